// Versions side by side: one row per metric (the best value marked) and the settings that differ.
import type { ModelDetail } from "../../api/types";
import { plain } from "./metadata";

// Metrics where a smaller number is better; drawdown is stored as a positive percentage.
const LOWER_IS_BETTER = /(log_loss|mae|rmse|max_drawdown_pct)$/;
// Counts describe a run rather than rank it.
const UNRANKED = /(total_trades|_n)$/;

export type MetricRow = { metric: string; values: (number | null)[]; best: number[] };

/** Rows in the order first met; `best` holds the column indexes of the best value (ties share). */
export function metricRows(models: Pick<ModelDetail, "metrics">[]): MetricRow[] {
  const names: string[] = [];
  for (const m of models)
    for (const key of Object.keys(m.metrics)) if (!names.includes(key)) names.push(key);
  return names.map((metric) => {
    const values = models.map((m) => {
      const v = m.metrics[metric];
      return typeof v === "number" && Number.isFinite(v) ? v : null;
    });
    return { metric, values, best: bestColumns(metric, values) };
  });
}

function bestColumns(metric: string, values: (number | null)[]): number[] {
  const present = values.filter((v): v is number => v !== null);
  if (UNRANKED.test(metric) || present.length < 2) return [];
  const target = LOWER_IS_BETTER.test(metric) ? Math.min(...present) : Math.max(...present);
  if (present.every((v) => v === target)) return []; // all equal: nothing stands out
  return values.flatMap((v, i) => (v === target ? [i] : []));
}

export type SettingRow = { setting: string; values: string[]; differs: boolean };

function settingsOf(model: ModelDetail): Record<string, string> {
  const meta = model.metadata;
  const out: Record<string, string> = {
    algorithm: model.algorithm,
    task: model.task,
    symbols: model.symbols.join(", "),
    "trained range": `${plain(model.trained_from)} → ${plain(model.trained_to)}`,
    seed: plain(meta.seed),
  };
  const hyper = meta.hyperparameters;
  if (hyper && typeof hyper === "object") {
    for (const [k, v] of Object.entries(hyper)) out[`hyperparameter ${k}`] = plain(v);
  }
  const features = Array.isArray(meta.features) ? meta.features.map(String) : [];
  out.features = features.join(", ");
  return out;
}

/** Hyperparameters, features and data per version; `differs` when any two versions disagree. */
export function settingRows(models: ModelDetail[]): SettingRow[] {
  const per = models.map(settingsOf);
  const names: string[] = [];
  for (const s of per) for (const key of Object.keys(s)) if (!names.includes(key)) names.push(key);
  return names.map((setting) => {
    const values = per.map((s) => s[setting] ?? "—");
    return { setting, values, differs: new Set(values).size > 1 };
  });
}

/** Features a version has that another lacks, per version (what "features differ" means). */
export function featureDifferences(models: ModelDetail[]): string[][] {
  const sets = models.map((m) =>
    Array.isArray(m.metadata.features) ? m.metadata.features.map(String) : [],
  );
  return sets.map((mine) => mine.filter((f) => sets.some((other) => !other.includes(f))));
}
