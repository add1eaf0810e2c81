// From a StressReport to what the stress charts draw. The report carries percentiles (p5…p95),
// not the scenarios' values, so each histogram bin spans two neighbouring percentiles and holds
// the share of scenarios between them: 20 % between p5 and p25, 25 % between p25 and p50, …
// Its height is that share over its width, so that area, not height, is the share.
import type { Distribution } from "../../api/types";

export type HistogramBin = {
  from: number;
  to: number;
  /** per cent of all scenarios in [from, to] */
  share: number;
  /** share per unit of the value: the bar's height */
  density: number;
};

/** One point per bin edge, for a step chart that holds each value until the next edge. */
export type StepPoint = { x: number; density: number; bin: HistogramBin | null };

type Quantile = { pct: number; value: number };

/** The bins between neighbouring percentiles; empty when the percentiles are missing or equal. */
export function histogramBins(dist: Distribution, percentiles: number[]): HistogramBin[] {
  const quantiles = definedQuantiles(dist, percentiles);
  const bins: HistogramBin[] = [];
  let carried = 0; // the share of bins of zero width, handed to the next bin that has a width
  for (let i = 1; i < quantiles.length; i++) {
    const lo = quantiles[i - 1] as Quantile;
    const hi = quantiles[i] as Quantile;
    const share = hi.pct - lo.pct + carried;
    const width = hi.value - lo.value;
    if (width <= 0) {
      carried = share;
      continue;
    }
    carried = 0;
    bins.push({ from: lo.value, to: hi.value, share, density: share / width });
  }
  const last = bins.at(-1);
  if (last && carried > 0) {
    last.share += carried;
    last.density = last.share / (last.to - last.from);
  }
  return bins;
}

/** Step-chart points: each bin's left edge at its height, then a drop to zero at the last edge. */
export function toStepPoints(bins: HistogramBin[]): StepPoint[] {
  const last = bins.at(-1);
  if (!last) return [];
  return [
    ...bins.map((bin) => ({ x: bin.from, density: bin.density, bin })),
    { x: last.to, density: 0, bin: null },
  ];
}

function definedQuantiles(dist: Distribution, percentiles: number[]): Quantile[] {
  const values = dist as unknown as Record<string, number | null | undefined>;
  const quantiles: Quantile[] = [];
  for (const pct of [...percentiles].sort((a, b) => a - b)) {
    const value = values[`p${pct}`];
    if (typeof value === "number" && Number.isFinite(value)) quantiles.push({ pct, value });
  }
  return quantiles;
}

/** The share of scenarios the bins cannot show: below the lowest and above the highest percentile. */
export function tailShare(percentiles: number[]): { below: number; above: number } {
  if (percentiles.length === 0) return { below: 0, above: 0 };
  return { below: Math.min(...percentiles), above: 100 - Math.max(...percentiles) };
}
