import { describe, expect, it } from "vitest";
import { importanceSeries } from "./importance";

describe("the feature-importance series", () => {
  it("keeps the 20 largest, largest first, whatever order they come in", () => {
    // f0 … f24 with importance 0.00 … 0.24, shuffled: the top 20 are f24 down to f5
    const items = Array.from({ length: 25 }, (_, i) => ({ feature: `f${i}`, importance: i / 100 }));
    const shuffled = [...items.slice(12), ...items.slice(0, 12)].reverse();
    const series = importanceSeries(shuffled);
    expect(series).toHaveLength(20);
    expect(series[0]).toEqual({ feature: "f24", importance: 0.24 });
    expect(series[19]).toEqual({ feature: "f5", importance: 0.05 });
  });

  it("breaks ties by name and drops values that cannot be drawn", () => {
    const series = importanceSeries([
      { feature: "rsi_14", importance: 0.1 },
      { feature: "bad", importance: Number.NaN },
      { feature: "day_of_week", importance: 0.1 },
      { feature: "macd", importance: 0.3 },
    ]);
    expect(series.map((s) => s.feature)).toEqual(["macd", "day_of_week", "rsi_14"]);
  });
});
