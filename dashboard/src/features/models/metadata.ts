// metadata.json, as the trainer writes it (shared/ml/training.py), mapped to what the model page
// shows. The API types it as a free-form object, so every read here checks the shape it finds:
// an older or partial artifact shows "—" rather than breaking the page.
import { type Unit, formatDate, formatValue } from "../../lib/format";

export type Metadata = Record<string, unknown>;
export type Fact = { label: string; value: string };

const decimals = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** One value as text: numbers to 4 decimals, dates cut to the day, lists joined. */
export function plain(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "number") return Number.isFinite(value) ? decimals.format(value) : "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string")
    return /^\d{4}-\d{2}-\d{2}T/.test(value) ? formatDate(value) : value;
  if (Array.isArray(value)) return value.map(plain).join(", ");
  return JSON.stringify(value);
}

function facts(source: unknown, labels: [key: string, label: string][]): Fact[] {
  const values = record(source);
  return labels.map(([key, label]) => ({ label, value: plain(values[key]) }));
}

/** Every key of an object as a fact, in the order written (hyperparameters, versions). */
export function allFacts(source: unknown): Fact[] {
  return Object.entries(record(source)).map(([label, value]) => ({ label, value: plain(value) }));
}

export function dataFacts(meta: Metadata): Fact[] {
  const data = record(meta.data);
  return [
    ...facts(data, [
      ["source", "Source"],
      ["symbols", "Symbols"],
      ["interval", "Interval"],
    ]),
    { label: "Requested", value: `${plain(data.start)} → ${plain(data.end)}` },
    { label: "Rows used", value: `${plain(data.first_row)} → ${plain(data.last_row)}` },
    ...facts(data, [
      ["rows", "Rows"],
      ["fingerprint", "Bars fingerprint"],
    ]),
  ];
}

export function targetFacts(meta: Metadata): Fact[] {
  return facts(meta.target, [
    ["kind", "Kind"],
    ["horizon", "Horizon (bars)"],
    ["dead_zone", "Dead zone"],
  ]);
}

export function validationFacts(meta: Metadata): Fact[] {
  return facts(meta.validation, [
    ["method", "Method"],
    ["n_folds", "Folds"],
    ["window", "Window"],
    ["train_bars", "Train bars"],
    ["embargo_bars", "Embargo (bars)"],
    ["min_train_bars", "Min train bars"],
  ]);
}

export function runFacts(meta: Metadata): Fact[] {
  return facts(meta, [
    ["seed", "Seed"],
    ["device", "Device"],
    ["cpu_threads", "CPU threads"],
    ["training_seconds", "Training seconds"],
  ]);
}

/** The features as specified: kind and parameters, e.g. "macd (fast 12, slow 26, signal 9)". */
export function featureSpecs(meta: Metadata): string[] {
  const spec = record(meta.feature_spec).features;
  if (Array.isArray(spec) && spec.length > 0) {
    return spec.map((item) => {
      const { kind, params } = record(item);
      const args = Object.entries(record(params)).map(([k, v]) => `${k} ${plain(v)}`);
      return args.length ? `${String(kind)} (${args.join(", ")})` : String(kind);
    });
  }
  return Array.isArray(meta.features) ? meta.features.map(String) : [];
}

export type FoldRow = {
  index: number;
  train: string;
  test: string;
  trainRows: string;
  testRows: string;
  scores: Record<string, string>;
};

// Row counts and label balance are not scores; they stay out of the per-fold metric columns.
const NOT_SCORES = new Set(["n", "positive_rate"]);

/** Per fold: its windows and its out-of-sample (test) scores; `metrics` names the columns. */
export function foldTable(meta: Metadata): { metrics: string[]; rows: FoldRow[] } {
  const folds = record(meta.validation).folds;
  if (!Array.isArray(folds)) return { metrics: [], rows: [] };
  const metrics: string[] = [];
  const rows = folds.map((raw, i) => {
    const fold = record(raw);
    const test = record(fold.test);
    for (const key of Object.keys(test)) {
      if (!NOT_SCORES.has(key) && !metrics.includes(key)) metrics.push(key);
    }
    return {
      index: typeof fold.index === "number" ? fold.index + 1 : i + 1,
      train: `${plain(fold.train_start)} → ${plain(fold.train_end)}`,
      test: `${plain(fold.test_start)} → ${plain(fold.test_end)}`,
      trainRows: plain(fold.train_rows),
      testRows: plain(fold.test_rows),
      scores: Object.fromEntries(Object.entries(test).map(([k, v]) => [k, plain(v)])),
    };
  });
  return { metrics, rows };
}

/** "mean ± std" of each score over the folds. */
export function foldSummary(meta: Metadata, metrics: string[]): Record<string, string> {
  const summary = record(record(meta.validation).fold_summary);
  return Object.fromEntries(
    metrics.map((key) => {
      const { mean, std } = record(summary[key]);
      return [key, typeof mean === "number" ? `${plain(mean)} ± ${plain(std)}` : "—"];
    }),
  );
}

export type BacktestRow = { label: string; unit: "ratio" | "pct"; model: unknown; hold: unknown };

export type Backtest = {
  period: string;
  bars: string;
  rows: BacktestRow[];
  extra: Fact[];
  decision: Fact[];
  /** an agent's backtest: how its policy acted (it has no decision rule) */
  policy: string | undefined;
  warning: string | undefined;
};

const SIDE_BY_SIDE: [key: string, label: string, unit: "ratio" | "pct"][] = [
  ["sharpe", "Sharpe", "ratio"],
  ["total_return_pct", "Total return", "pct"],
  ["annual_return_pct", "Annual return", "pct"],
  ["max_drawdown_pct", "Max drawdown", "pct"],
];

const MODEL_ONLY: [key: string, label: string, unit: Unit][] = [
  ["total_trades", "Trades", "count"],
  ["win_rate_pct", "Win rate", "pct"],
  ["exposure_pct", "Exposure", "pct"],
  ["fees_paid", "Fees paid", "money"],
  ["portfolio_end", "Portfolio end", "money"],
];

/** The out-of-sample backtest beside buy-and-hold over the same bars; undefined if none ran. */
export function backtestView(meta: Metadata): Backtest | undefined {
  if (typeof meta.backtest !== "object" || meta.backtest === null) return undefined;
  const bt = record(meta.backtest);
  const model = record(bt.model);
  const hold = record(bt.buy_and_hold);
  return {
    period: `${plain(bt.start)} → ${plain(bt.end)}`,
    bars: plain(bt.bars),
    rows: SIDE_BY_SIDE.map(([key, label, unit]) => ({
      label,
      unit,
      model: model[key],
      hold: hold[key],
    })),
    extra: MODEL_ONLY.map(([key, label, unit]) => ({
      label,
      value: formatValue(model[key], unit),
    })),
    decision: allFacts(bt.decision),
    policy: typeof bt.policy === "string" ? bt.policy : undefined,
    warning: typeof bt.warning === "string" ? bt.warning : undefined,
  };
}
