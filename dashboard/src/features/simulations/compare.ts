// Side-by-side comparison of simulations: which one is best on each metric, and equity curves
// normalised to 1.0 at each one's start so that different cash and dates overlay.
import type { EquityPoint, Simulation } from "../../api/types";
import type { Unit } from "../../lib/format";
import { toChartSeries } from "./series";

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 6;

/** The ids in `?ids=a,b,c`, without blanks or repeats. */
export function idsFrom(search: URLSearchParams): string[] {
  const ids = (search.get("ids") ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  return [...new Set(ids)];
}

/** The comparison page's address for these simulations. */
export function compareHref(ids: string[]): string {
  return `/simulations/compare?ids=${ids.map(encodeURIComponent).join(",")}`;
}

export type Better = "higher" | "lower" | null;
type MetricSpec = { key: string; label: string; unit: Unit; better: Better };

export const COMPARE_METRICS: MetricSpec[] = [
  { key: "total_return_pct", label: "Total return", unit: "pct", better: "higher" },
  { key: "annual_return_pct", label: "Annual return", unit: "pct", better: "higher" },
  { key: "portfolio_end", label: "Portfolio end", unit: "money", better: "higher" },
  { key: "sharpe", label: "Sharpe", unit: "ratio", better: "higher" },
  { key: "sortino", label: "Sortino", unit: "ratio", better: "higher" },
  { key: "calmar", label: "Calmar", unit: "ratio", better: "higher" },
  { key: "max_drawdown_pct", label: "Max drawdown", unit: "pct", better: "lower" },
  { key: "max_drawdown_duration_days", label: "Longest drawdown", unit: "days", better: "lower" },
  { key: "volatility_pct", label: "Volatility (ann.)", unit: "pct", better: "lower" },
  { key: "win_rate_pct", label: "Win rate", unit: "pct", better: "higher" },
  { key: "profit_factor", label: "Profit factor", unit: "ratio", better: "higher" },
  { key: "fees_paid", label: "Fees paid", unit: "money", better: "lower" },
  // Neither more nor fewer is better in itself: shown, never marked.
  { key: "total_trades", label: "Trades", unit: "count", better: null },
  { key: "exposure_pct", label: "Exposure", unit: "pct", better: null },
];

export type MetricRow = MetricSpec & {
  values: (number | null)[];
  /** columns holding the best value (all of them on a tie); none with fewer than two values */
  best: number[];
};

/** One row per metric, one value per column; a column without a simulation has nulls. */
export function compareRows(sims: (Simulation | undefined)[]): MetricRow[] {
  return COMPARE_METRICS.map((spec) => {
    const values = sims.map((sim) => (sim ? metricOf(sim, spec.key) : null));
    return { ...spec, values, best: bestColumns(values, spec.better) };
  });
}

export function bestColumns(values: (number | null)[], better: Better): number[] {
  const defined = values.filter((v): v is number => v !== null);
  if (!better || defined.length < 2) return [];
  const target = better === "higher" ? Math.max(...defined) : Math.min(...defined);
  return values.flatMap((v, i) => (v === target ? [i] : []));
}

function metricOf(sim: Simulation, key: string): number | null {
  const value =
    (sim.metrics as Record<string, unknown> | null | undefined)?.[key] ??
    (sim as unknown as Record<string, unknown>)[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A chart row: the time, then each curve's value under its key (absent where it has no bar). */
export type OverlayRow = { t: number } & Record<string, number>;

export type Curve = { key: string; points: EquityPoint[] };

/** Each curve divided by its first equity, merged on time; long curves thinned first. */
export function normalisedOverlay(curves: Curve[], maxPointsEach = 800): OverlayRow[] {
  const byTime = new Map<number, OverlayRow>();
  for (const { key, points } of curves) {
    const rows = toChartSeries(points, maxPointsEach).rows;
    const start = rows[0]?.equity;
    if (!start) continue; // nothing to divide by: no curve, or one starting at zero
    for (const { t, equity } of rows) {
      const row = byTime.get(t) ?? ({ t } as OverlayRow);
      row[key] = equity / start;
      byTime.set(t, row);
    }
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}
