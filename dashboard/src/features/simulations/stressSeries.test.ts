import { describe, expect, it } from "vitest";
import type { Distribution } from "../../api/types";
import { histogramBins, toStepPoints } from "./stressSeries";

const dist = (histogram: Distribution["histogram"]): Distribution => ({
  mean: null,
  p5: null,
  p25: null,
  p50: null,
  p75: null,
  p95: null,
  histogram,
});

describe("histogramBins", () => {
  it("gives each bin its edges, count and share of all scenarios", () => {
    const bins = histogramBins(dist({ edges: [80, 90, 100, 120], counts: [5, 10, 25] }));
    expect(bins).toEqual([
      { from: 80, to: 90, count: 5, share: 12.5 },
      { from: 90, to: 100, count: 10, share: 25 },
      { from: 100, to: 120, count: 25, share: 62.5 },
    ]);
  });

  it("draws nothing for a report without a histogram, or a malformed or empty one", () => {
    expect(histogramBins(dist(null))).toEqual([]);
    expect(histogramBins(dist(undefined))).toEqual([]);
    expect(histogramBins(dist({ edges: [1, 2], counts: [1, 2] }))).toEqual([]);
    expect(histogramBins(dist({ edges: [1, 2, 3], counts: [0, 0] }))).toEqual([]);
  });
});

describe("toStepPoints", () => {
  it("holds each bin's share from its left edge and drops to zero at the last edge", () => {
    const bins = histogramBins(dist({ edges: [0, 5, 10], counts: [3, 1] }));
    expect(toStepPoints(bins).map(({ x, share }) => [x, share])).toEqual([
      [0, 75],
      [5, 25],
      [10, 0],
    ]);
    expect(toStepPoints([])).toEqual([]);
  });
});
