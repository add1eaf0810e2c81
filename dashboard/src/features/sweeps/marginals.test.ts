import { describe, expect, it } from "vitest";
import type { SweepReport } from "../../api/types";
import { formatParamValue, marginalSeries } from "./marginals";

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
