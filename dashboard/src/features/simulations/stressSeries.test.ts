import { describe, expect, it } from "vitest";
import type { Distribution } from "../../api/types";
import { histogramBins, tailShare, toStepPoints } from "./stressSeries";

const PERCENTILES = [5, 25, 50, 75, 95];

const dist = (p5: number, p25: number, p50: number, p75: number, p95: number): Distribution => ({
  mean: null,
  p5,
  p25,
  p50,
  p75,
  p95,
});

describe("histogramBins", () => {
  it("puts the share between neighbouring percentiles in each bin, its height share / width", () => {
    const bins = histogramBins(dist(80_000, 90_000, 100_000, 110_000, 130_000), PERCENTILES);
    expect(bins).toEqual([
      { from: 80_000, to: 90_000, share: 20, density: 20 / 10_000 },
      { from: 90_000, to: 100_000, share: 25, density: 25 / 10_000 },
      { from: 100_000, to: 110_000, share: 25, density: 25 / 10_000 },
      { from: 110_000, to: 130_000, share: 20, density: 20 / 20_000 },
    ]);
  });

  it("hands the share of a zero-width bin to the next bin, so none is infinitely tall", () => {
    // Many scenarios never lose: p5 = p25 = 0 % drawdown.
    const bins = histogramBins(dist(0, 0, 4, 8, 18), PERCENTILES);
    expect(bins).toEqual([
      { from: 0, to: 4, share: 45, density: 45 / 4 },
      { from: 4, to: 8, share: 25, density: 25 / 4 },
      { from: 8, to: 18, share: 20, density: 2 },
    ]);
  });

  it("gives a trailing zero-width share to the last bin", () => {
    expect(histogramBins(dist(1, 2, 3, 5, 5), PERCENTILES).at(-1)).toEqual({
      from: 3,
      to: 5,
      share: 45,
      density: 22.5,
    });
  });

  it("skips a missing percentile and draws nothing when all are equal or missing", () => {
    const gap: Distribution = { mean: 1, p5: 0, p25: null, p50: 10, p75: null, p95: 20 };
    expect(histogramBins(gap, PERCENTILES)).toEqual([
      { from: 0, to: 10, share: 45, density: 4.5 },
      { from: 10, to: 20, share: 45, density: 4.5 },
    ]);
    expect(histogramBins(dist(7, 7, 7, 7, 7), PERCENTILES)).toEqual([]);
    const none: Distribution = { mean: null, p5: null, p25: null, p50: null, p75: null, p95: null };
    expect(histogramBins(none, PERCENTILES)).toEqual([]);
  });
});

describe("toStepPoints", () => {
  it("puts each bin's height at its left edge and drops to zero at the right end", () => {
    const bins = histogramBins(dist(-10, 0, 5, 10, 30), PERCENTILES);
    expect(toStepPoints(bins).map(({ x, density }) => [x, density])).toEqual([
      [-10, 2],
      [0, 5],
      [5, 5],
      [10, 1],
      [30, 0],
    ]);
  });

  it("draws nothing without bins", () => {
    expect(toStepPoints([])).toEqual([]);
  });
});

describe("tailShare", () => {
  it("says how much of the scenarios lie outside the outer percentiles", () => {
    expect(tailShare(PERCENTILES)).toEqual({ below: 5, above: 5 });
  });
});
