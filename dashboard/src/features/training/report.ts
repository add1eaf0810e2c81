// A finished training's report (free-form JSON from the trainer) as figures and fold rows.
import { type Unit, formatValue } from "../../lib/format";

export type Headline = { key: string; label: string; value: string; tone?: "good" | "bad" };
export type FoldRow = {
  index: number;
  trainRange: string;
  testRange: string;
  trainRows: number | undefined;
  testRows: number | undefined;
  scores: (number | undefined)[];
};
export type FoldColumn = {
  side: "train" | "test";
  key: string;
  label: string;
  unit: Unit;
  fraction?: boolean;
};

type Spec = { key: string; label: string; unit: Unit; fraction?: boolean; signed?: boolean };

// Scores in [0, 1] shown as percentages; the backtest's own figures are percentages already.
const HEADLINES: Spec[] = [
  { key: "validation_accuracy", label: "Validation accuracy", unit: "pct", fraction: true },
  { key: "validation_roc_auc", label: "Validation ROC AUC", unit: "ratio" },
  { key: "validation_log_loss", label: "Validation log loss", unit: "ratio" },
  {
    key: "validation_directional_accuracy",
    label: "Validation direction hit rate",
    unit: "pct",
    fraction: true,
  },
  { key: "validation_r2", label: "Validation R²", unit: "ratio" },
  { key: "validation_rmse", label: "Validation RMSE", unit: "ratio" },
  { key: "oos_sharpe", label: "Out-of-sample Sharpe", unit: "ratio", signed: true },
  { key: "oos_total_return_pct", label: "Out-of-sample return", unit: "pct", signed: true },
  { key: "oos_max_drawdown_pct", label: "Out-of-sample max drawdown", unit: "pct" },
  { key: "oos_total_trades", label: "Out-of-sample trades", unit: "count" },
  { key: "buy_and_hold_sharpe", label: "Buy-and-hold Sharpe", unit: "ratio" },
  { key: "buy_and_hold_total_return_pct", label: "Buy-and-hold return", unit: "pct" },
];

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function show(value: number | undefined, spec: { unit: Unit; fraction?: boolean }): string {
  return formatValue(value === undefined || !spec.fraction ? value : value * 100, spec.unit);
}

/** The metrics a reader looks at first, in a fixed order, for whichever task the model has. */
export function headlines(metrics: unknown): Headline[] {
  const m = asRecord(metrics);
  return HEADLINES.flatMap((spec) => {
    const value = num(m[spec.key]);
    if (value === undefined) return [];
    const tone = spec.signed ? (value > 0 ? "good" : value < 0 ? "bad" : undefined) : undefined;
    const headline: Headline = { key: spec.key, label: spec.label, value: show(value, spec) };
    return [tone ? { ...headline, tone } : headline];
  });
}

export function foldColumns(task: unknown): FoldColumn[] {
  return task === "regression"
    ? [
        {
          side: "test",
          key: "directional_accuracy",
          label: "Test hit rate",
          unit: "pct",
          fraction: true,
        },
        { side: "test", key: "r2", label: "Test R²", unit: "ratio" },
        {
          side: "train",
          key: "directional_accuracy",
          label: "Train hit rate",
          unit: "pct",
          fraction: true,
        },
      ]
    : [
        { side: "test", key: "accuracy", label: "Test accuracy", unit: "pct", fraction: true },
        { side: "test", key: "roc_auc", label: "Test ROC AUC", unit: "ratio" },
        { side: "train", key: "accuracy", label: "Train accuracy", unit: "pct", fraction: true },
      ];
}

const day = (value: unknown) => (typeof value === "string" ? value.slice(0, 10) : "—");

/** One row per validation fold: its date ranges, sizes and the columns' scores. */
export function foldRows(report: unknown, columns: readonly FoldColumn[]): FoldRow[] {
  const folds = asRecord(report).folds;
  if (!Array.isArray(folds)) return [];
  return folds.map((raw, position) => {
    const fold = asRecord(raw);
    return {
      index: (num(fold.index) ?? position) + 1,
      trainRange: `${day(fold.train_start)} → ${day(fold.train_end)}`,
      testRange: `${day(fold.test_start)} → ${day(fold.test_end)}`,
      trainRows: num(fold.train_rows),
      testRows: num(fold.test_rows),
      scores: columns.map((c) => num(asRecord(fold[c.side])[c.key])),
    };
  });
}

export function formatScore(value: number | undefined, column: FoldColumn): string {
  return show(value, column);
}
