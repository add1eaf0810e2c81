import { describe, expect, it } from "vitest";
import type { Combination } from "../../api/types";
import { colourAt, heatmapMatrix, partialNote, position, sweptParams, textOn } from "./heatmap";

function combo(params: Record<string, number>, sharpe: number | null): Combination {
  return {
    params,
    sharpe,
    sortino: null,
    calmar: null,
    total_return_pct: sharpe === null ? null : sharpe * 10,
    max_drawdown_pct: -10,
    portfolio_end: 100_000,
    total_trades: 4,
    sr_period: null,
    skew: null,
    kurtosis: null,
    n_obs: 100,
  };
}

// fast × slow, with a third parameter `lag` that varies in two cells; (10, 50) is missing
// (e.g. skipped by the strategy) and (5, 70) ran but has no Sharpe (no trades).
const COMBOS: Combination[] = [
  combo({ fast: 10, slow: 30, lag: 1 }, 0.4),
  combo({ fast: 5, slow: 30, lag: 1 }, 0.2),
  combo({ fast: 5, slow: 30, lag: 2 }, 0.9),
  combo({ fast: 5, slow: 50, lag: 1 }, -0.3),
  combo({ fast: 10, slow: 70, lag: 1 }, 1.1),
  combo({ fast: 10, slow: 70, lag: 2 }, Number.NaN),
  combo({ fast: 5, slow: 70, lag: 1 }, null),
];

describe("heatmapMatrix", () => {
  const map = heatmapMatrix(COMBOS, "sharpe", "fast", "slow");
  const values = map.cells.map((row) => row.map((c) => c.value));
  const counts = map.cells.map((row) => row.map((c) => c.count));

  it("puts the x parameter's values in columns and the y parameter's in rows, ascending", () => {
    expect(map.xs).toEqual([5, 10]);
    expect(map.ys).toEqual([30, 50, 70]);
  });

  it("keeps each cell's best value when other parameters vary, and says it aggregated", () => {
    //            fast 5   fast 10
    // slow 30:   max(0.2, 0.9)   0.4
    // slow 50:   -0.3            missing
    // slow 70:   null (no value) max(1.1, NaN) = 1.1
    expect(values).toEqual([
      [0.9, 0.4],
      [-0.3, null],
      [null, 1.1],
    ]);
    expect(counts).toEqual([
      [2, 1],
      [1, 0],
      [1, 2],
    ]);
    expect(map.cells[0]?.[0]?.best?.params).toEqual({ fast: 5, slow: 30, lag: 2 });
    expect(map.aggregated).toBe(true);
  });

  it("finds the scale's ends and marks the best cell", () => {
    expect(map.min).toBe(-0.3);
    expect(map.max).toBe(1.1);
    expect(map.bestAt).toEqual({ row: 2, column: 1 });
  });

  it("maps another metric from the same combinations", () => {
    const returns = heatmapMatrix(COMBOS, "total_return_pct", "slow", "fast");
    expect(returns.xs).toEqual([30, 50, 70]);
    expect(returns.cells.map((row) => row.map((c) => c.value))).toEqual([
      [9, -3, null],
      [4, null, 11],
    ]);
  });

  it("draws a single row when only one parameter was swept", () => {
    const single = heatmapMatrix(
      [combo({ fast: 5 }, 0.5), combo({ fast: 10 }, 0.7)],
      "sharpe",
      "fast",
    );
    expect(single.ys).toEqual([undefined]);
    expect(single.cells.map((row) => row.map((c) => c.value))).toEqual([[0.5, 0.7]]);
    expect(single.aggregated).toBe(false);
  });

  it("has no scale and no best cell when no combination has a value", () => {
    const empty = heatmapMatrix([combo({ fast: 5, slow: 30 }, null)], "sharpe", "fast", "slow");
    expect(empty.min).toBeNull();
    expect(empty.bestAt).toBeUndefined();
  });
});

describe("sweptParams", () => {
  it("names the parameters that take more than one value", () => {
    expect(sweptParams(COMBOS)).toEqual(["fast", "slow", "lag"]);
    expect(sweptParams([combo({ a: 1, b: 2 }, 0), combo({ a: 1, b: 3 }, 0)])).toEqual(["b"]);
  });
});

describe("colour scale", () => {
  it("runs from dark purple through teal to yellow", () => {
    expect(colourAt(0)).toBe("#440154");
    expect(colourAt(0.5)).toBe("#21918c");
    expect(colourAt(1)).toBe("#fde725");
    // a quarter of the way: exactly the second stop
    expect(colourAt(0.25)).toBe("#3b528b");
  });

  it("places values between min and max, clamped, the middle when all are equal", () => {
    expect(position(0.5, -0.5, 1.5)).toBe(0.5);
    expect(position(2, 0, 1)).toBe(1);
    expect(position(3, 3, 3)).toBe(0.5);
  });

  it("writes white on the dark end and black on the light end", () => {
    expect(textOn("#440154")).toBe("#ffffff");
    expect(textOn("#fde725")).toBe("#000000");
  });
});

describe("partialNote", () => {
  it("says only the best are shown when the loaded rows are fewer than the grid", () => {
    // a 1,000,000 grid whose listing holds each chunk's best 5,000: 5,000 loaded
    expect(partialNote(5_000, 1_000_000)).toBe(
      "Only the best 5,000 of 1,000,000 combinations are shown; cells made only of worse ones are left blank.",
    );
  });

  it("says nothing when every combination is loaded", () => {
    expect(partialNote(120, 120)).toBeNull();
  });
});
