import { describe, expect, it } from "vitest";
import type { EquityPoint, Simulation } from "../../api/types";
import { bestColumns, compareHref, compareRows, idsFrom, normalisedOverlay } from "./compare";

const sim = (metrics: Record<string, number | null>, top: Partial<Simulation> = {}) =>
  ({ simulation_id: "x", metrics, ...top }) as unknown as Simulation;

const at = (day: number, equity: number): EquityPoint => ({
  timestamp: `2020-01-${String(day).padStart(2, "0")}T00:00:00Z`,
  equity,
  drawdown_pct: 0,
  benchmark: null,
});

const row = (rows: ReturnType<typeof compareRows>, key: string) => rows.find((r) => r.key === key);

describe("compareRows", () => {
  const rows = compareRows([
    sim({ total_return_pct: 12, sharpe: 0.8, total_trades: 5 }, { max_drawdown_pct: 20 }),
    undefined, // an unknown id: a column of blanks
    sim({ total_return_pct: 30, sharpe: 0.8, total_trades: 9 }, { max_drawdown_pct: 35 }),
  ]);

  it("reads metrics and the simulation's own figures, with blanks for a missing column", () => {
    expect(row(rows, "total_return_pct")?.values).toEqual([12, null, 30]);
    expect(row(rows, "max_drawdown_pct")?.values).toEqual([20, null, 35]);
  });

  it("marks the highest return and the smallest drawdown as best", () => {
    expect(row(rows, "total_return_pct")?.best).toEqual([2]);
    expect(row(rows, "max_drawdown_pct")?.best).toEqual([0]);
  });

  it("marks every column on a tie and none where better is undefined", () => {
    expect(row(rows, "sharpe")?.best).toEqual([0, 2]);
    expect(row(rows, "total_trades")?.best).toEqual([]);
  });
});

describe("bestColumns", () => {
  it("marks nothing with fewer than two values to compare", () => {
    expect(bestColumns([null, 4, null], "higher")).toEqual([]);
  });

  it("handles negative values for lower-is-better", () => {
    expect(bestColumns([-3, -7, 2], "lower")).toEqual([1]);
    expect(bestColumns([-3, -7, 2], "higher")).toEqual([2]);
  });
});

describe("normalisedOverlay", () => {
  it("divides each curve by its own first equity and merges them on time", () => {
    const rows = normalisedOverlay([
      { key: "a", points: [at(2, 100_000), at(3, 110_000), at(6, 90_000)] },
      { key: "b", points: [at(3, 50), at(6, 75)] },
    ]);
    expect(rows).toEqual([
      { t: Date.UTC(2020, 0, 2), a: 1 },
      { t: Date.UTC(2020, 0, 3), a: 1.1, b: 1 },
      { t: Date.UTC(2020, 0, 6), a: 0.9, b: 1.5 },
    ]);
  });

  it("leaves out a curve that is empty or starts at zero", () => {
    const rows = normalisedOverlay([
      { key: "a", points: [] },
      { key: "b", points: [at(2, 0), at(3, 10)] },
      { key: "c", points: [at(2, 4)] },
    ]);
    expect(rows).toEqual([{ t: Date.UTC(2020, 0, 2), c: 1 }]);
  });
});

describe("idsFrom and compareHref", () => {
  it("reads the ids of the address without blanks or repeats, and writes them back", () => {
    expect(idsFrom(new URLSearchParams("ids=a, b,,a,c"))).toEqual(["a", "b", "c"]);
    expect(idsFrom(new URLSearchParams(""))).toEqual([]);
    expect(compareHref(["a", "b"])).toBe("/simulations/compare?ids=a,b");
  });
});
