// From a stress report's histogram (equal-width bins of scenario counts) to what the stress
// charts draw: each bin's share of the scenarios, and a step line over the bin edges.
import type { Distribution } from "../../api/types";

export type HistogramBin = {
  from: number;
  to: number;
  count: number;
  /** per cent of the scenarios with a defined value */
  share: number;
};

/** One point per bin edge, for a step chart that holds each value until the next edge. */
export type StepPoint = { x: number; share: number; bin: HistogramBin | null };

/** The report's bins with their shares; empty when the report has no histogram. */
export function histogramBins(dist: Distribution): HistogramBin[] {
  const hist = dist.histogram;
  if (!hist || hist.counts.length === 0 || hist.edges.length !== hist.counts.length + 1) return [];
  const total = hist.counts.reduce((sum, c) => sum + c, 0);
  if (total === 0) return [];
  return hist.counts.map((count, i) => ({
    from: hist.edges[i] as number,
    to: hist.edges[i + 1] as number,
    count,
    share: (100 * count) / total,
  }));
}

/** Step-chart points: each bin's left edge at its share, then a drop to zero at the last edge. */
export function toStepPoints(bins: HistogramBin[]): StepPoint[] {
  const last = bins.at(-1);
  if (!last) return [];
  return [
    ...bins.map((bin) => ({ x: bin.from, share: bin.share, bin })),
    { x: last.to, share: 0, bin: null },
  ];
}
