import { describe, expect, it } from "vitest";
import type { EquityPoint } from "../../api/types";
import { toChartSeries } from "./series";

const point = (
  day: number,
  equity: number,
  drawdown_pct: number,
  benchmark: number | null,
): EquityPoint => ({
  timestamp: `2020-01-${String(day).padStart(2, "0")}T00:00:00Z`,
  equity,
  drawdown_pct,
  benchmark,
});

describe("toChartSeries", () => {
  it("maps each point to a time, equity, benchmark and a drawdown drawn below zero", () => {
    const { rows, hasBenchmark } = toChartSeries([
      point(2, 100_000, 0, 100_000),
      point(3, 95_000, 5, 99_000),
    ]);
    expect(hasBenchmark).toBe(true);
    expect(rows).toEqual([
      { t: Date.UTC(2020, 0, 2), equity: 100_000, benchmark: 100_000, drawdown: 0 },
      { t: Date.UTC(2020, 0, 3), equity: 95_000, benchmark: 99_000, drawdown: -5 },
    ]);
  });

  it("says when there is no benchmark to draw", () => {
    expect(toChartSeries([point(2, 1, 0, null)]).hasBenchmark).toBe(false);
  });

  it("thins a long curve evenly and keeps its first and last points", () => {
    const points = Array.from({ length: 28 }, (_, i) => point(i + 1, 1000 + i, 0, null));
    const { rows } = toChartSeries(points, 10);
    expect(rows).toHaveLength(10);
    expect(rows[0]?.equity).toBe(1000);
    expect(rows.at(-1)?.equity).toBe(1027);
    const times = rows.map((r) => r.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("keeps an empty curve empty", () => {
    expect(toChartSeries([])).toEqual({ rows: [], hasBenchmark: false });
  });
});
