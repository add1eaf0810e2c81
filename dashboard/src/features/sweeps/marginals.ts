// The report's marginals as series to draw: per swept parameter, the best and median metric at
// each value, over every combination holding that value (the whole grid, not the loaded rows).
import type { SweepReport } from "../../api/types";

export type MarginalPoint = {
  value: number;
  /** Combinations holding this value. */
  count: number;
  best: number | null;
  median: number | null;
};

export type MarginalSeries = {
  param: string;
  /** Ascending by value. */
  points: MarginalPoint[];
  /** Whether any value has a defined metric (a grid of no-trade combinations has none). */
  defined: boolean;
  /** The API keeps at most 500 values per parameter, evenly picked: were some left out? */
  thinned: boolean;
};

const paramNumber = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 });

/** A parameter's value as typed in the grid: 0.001 stays 0.001 (two decimals would show 0). */
export function formatParamValue(value: number): string {
  return paramNumber.format(value);
}

const finiteOrNull = (v: number | null | undefined): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;

/**
 * One series per swept parameter, in the report's order; parameters without values are dropped,
 * so an old report (no `marginals`) gives none. `nCombinations` is the grid's size: when the
 * shown values hold fewer combinations, values were left out.
 */
export function marginalSeries(
  marginals: SweepReport["marginals"],
  nCombinations: number,
): MarginalSeries[] {
  return Object.entries(marginals ?? {}).flatMap(([param, rows]) => {
    const points = (rows ?? [])
      .filter((r) => Number.isFinite(r.value))
      .map((r) => ({
        value: r.value,
        count: r.count,
        best: finiteOrNull(r.best),
        median: finiteOrNull(r.median),
      }))
      .sort((a, b) => a.value - b.value);
    if (points.length === 0) return [];
    const covered = points.reduce((sum, p) => sum + p.count, 0);
    return [
      {
        param,
        points,
        defined: points.some((p) => p.best !== null),
        thinned: covered < nCombinations,
      },
    ];
  });
}

/** Steps a reader counts in: 1, 2, 2.5 or 5 times a power of ten. */
const NICE_STEPS = [1, 2, 2.5, 5, 10];

/**
 * Round axis ticks covering [min, max]: about `count` of them, a nice step apart, the first at
 * or below min and the last at or above max (0.6, 0.7, 0.8, not 0.69, 0.805). One value, or
 * none finite: ticks around it, or none.
 */
export function niceTicks(a: number, b: number, count = 5): number[] {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [];
  const pad = a !== b ? 0 : a === 0 ? 1 : Math.abs(a) * 0.1;
  const min = Math.min(a, b) - pad;
  const max = Math.max(a, b) + pad;
  const rough = (max - min) / Math.max(count - 1, 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = (NICE_STEPS.find((s) => s * power >= rough) ?? 10) * power;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  // multiples of the step, rounded to its own digits so 0.1 * 3 reads 0.3, not 0.30000000000000004
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Array.from({ length: last - first + 1 }, (_, i) =>
    Number(((first + i) * step).toFixed(digits)),
  );
}
