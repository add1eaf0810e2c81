import { describe, expect, it } from "vitest";
import type { EquityPoint } from "../../api/types";
import { toMonthlyReturns } from "./monthly";

const at = (date: string, equity: number): EquityPoint => ({
  timestamp: `${date}T00:00:00Z`,
  equity,
  drawdown_pct: 0,
  benchmark: null,
});

describe("toMonthlyReturns", () => {
  it("compounds a partial first month from the initial equity and each month from the last", () => {
    // Starts mid-January at 100 (after a cost of 2 from 102), ends mid-March.
    const { years } = toMonthlyReturns(
      [
        at("2020-01-15", 100),
        at("2020-01-31", 105),
        at("2020-02-03", 99),
        at("2020-02-28", 94.5),
        at("2020-03-10", 103.95),
      ],
      102,
    );
    expect(years).toHaveLength(1);
    const [jan, feb, mar, ...rest] = years[0]?.months ?? [];
    expect(jan).toBeCloseTo((105 / 102 - 1) * 100, 10); // 2.941…
    expect(feb).toBeCloseTo(-10, 10); // 105 → 94.5
    expect(mar).toBeCloseTo(10, 10); // 94.5 → 103.95
    expect(rest).toEqual(Array(9).fill(null));
    expect(years[0]?.total).toBeCloseTo((103.95 / 102 - 1) * 100, 10);
  });

  it("takes the first bar as the start when no initial equity is given", () => {
    const { years } = toMonthlyReturns([at("2021-05-03", 200), at("2021-05-28", 210)]);
    expect(years[0]?.months[4]).toBeCloseTo(5, 10);
  });

  it("leaves a month without bars empty and measures the next one from the last month seen", () => {
    const { years } = toMonthlyReturns(
      [at("2019-01-31", 110), at("2019-03-29", 121), at("2019-04-30", 108.9)],
      100,
    );
    expect(
      years[0]?.months.slice(0, 4).map((m) => (m === null ? null : Number(m.toFixed(6)))),
    ).toEqual([10, null, 10, -10]);
    expect(years[0]?.total).toBeCloseTo(8.9, 10);
  });

  it("rolls over the year: January is measured from December's last equity", () => {
    const { years, maxAbs } = toMonthlyReturns(
      [at("2018-12-03", 100), at("2018-12-31", 80), at("2019-01-02", 90), at("2019-01-31", 100)],
      100,
    );
    expect(years.map((y) => y.year)).toEqual([2018, 2019]);
    expect(years[0]?.months[11]).toBeCloseTo(-20, 10);
    expect(years[0]?.total).toBeCloseTo(-20, 10);
    expect(years[1]?.months[0]).toBeCloseTo(25, 10); // 80 → 100
    expect(years[1]?.total).toBeCloseTo(25, 10);
    expect(maxAbs).toBeCloseTo(25, 10);
  });

  it("dates bars in UTC, as the API stamps them", () => {
    const { years } = toMonthlyReturns(
      [
        { ...at("2020-01-31", 100), timestamp: "2020-01-31T23:30:00Z" },
        { ...at("2020-02-01", 120), timestamp: "2020-02-01T00:30:00Z" },
      ],
      100,
    );
    expect(years[0]?.months[0]).toBe(0);
    expect(years[0]?.months[1]).toBeCloseTo(20, 10);
  });

  it("gives nothing for an empty curve", () => {
    expect(toMonthlyReturns([], 100)).toEqual({ years: [], maxAbs: 0 });
  });
});
