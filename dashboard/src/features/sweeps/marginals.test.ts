import { describe, expect, it } from "vitest";
import type { SweepReport } from "../../api/types";
import { formatParamValue, marginalSeries, niceTicks } from "./marginals";

// shaped like SweepReport.marginals: per parameter, per value, count / best / median
const MARGINALS: SweepReport["marginals"] = {
  fast: [
    { value: 10, count: 3, best: 1.4, median: 0.6 },
    { value: 5, count: 3, best: 0.9, median: null },
  ],
  slow: [{ value: 50, count: 6, best: 1.4, median: 0.4 }],
  unused: [],
};

describe("marginalSeries", () => {
  it("gives one series per parameter with values, ascending, in the report's order", () => {
    const series = marginalSeries(MARGINALS, 6);
    expect(series.map((s) => s.param)).toEqual(["fast", "slow"]);
    expect(series[0]?.points).toEqual([
      { value: 5, count: 3, best: 0.9, median: null },
      { value: 10, count: 3, best: 1.4, median: 0.6 },
    ]);
    expect(series[1]?.points).toHaveLength(1);
    expect(series.every((s) => s.defined && !s.thinned)).toBe(true);
  });

  it("does not reorder the report's own arrays", () => {
    const before = JSON.stringify(MARGINALS);
    marginalSeries(MARGINALS, 6);
    expect(JSON.stringify(MARGINALS)).toBe(before);
  });

  it("gives nothing for an old report without marginals, or an empty map", () => {
    expect(marginalSeries(undefined, 10)).toEqual([]);
    expect(marginalSeries({}, 10)).toEqual([]);
  });

  it("flags values left out when the shown ones hold fewer combinations than the grid", () => {
    // 1,000 values of `fast` thinned to 2 shown, each over 10 combinations of a 10,000 grid
    const series = marginalSeries(
      {
        fast: [
          { value: 1, count: 10, best: 0.1, median: 0 },
          { value: 999, count: 10, best: 0.2, median: 0.1 },
        ],
      },
      10_000,
    );
    expect(series[0]?.thinned).toBe(true);
  });

  it("marks a parameter whose values all lack a metric as undefined", () => {
    const series = marginalSeries({ fast: [{ value: 3, count: 2, best: null, median: null }] }, 2);
    expect(series[0]?.defined).toBe(false);
  });
});

describe("formatParamValue", () => {
  it("keeps small steps and groups thousands", () => {
    expect(formatParamValue(0.001)).toBe("0.001");
    expect(formatParamValue(12.5)).toBe("12.5");
    expect(formatParamValue(1500)).toBe("1,500");
  });
});

describe("niceTicks", () => {
  it("covers the range with round steps", () => {
    const ticks = niceTicks(0.69, 0.805);
    expect(ticks).toEqual([0.65, 0.7, 0.75, 0.8, 0.85]);
  });

  it("steps in 1, 2, 2.5 or 5 times a power of ten and brackets the data", () => {
    for (const [min, max] of [
      [-12.3, 48.9],
      [0.0012, 0.0031],
      [-1.5, -0.2],
      [3, 1000],
    ]) {
      const ticks = niceTicks(min as number, max as number);
      const [first, second, last] = [ticks[0] ?? Number.NaN, ticks[1] ?? Number.NaN, ticks.at(-1)];
      expect(first).toBeLessThanOrEqual(min as number);
      expect(last).toBeGreaterThanOrEqual(max as number);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(10);
      const step = second - first;
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
    }
  });

  it("spreads a single value and gives nothing for no data", () => {
    expect(niceTicks(2, 2)).toEqual([1.8, 2, 2.2]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
});
