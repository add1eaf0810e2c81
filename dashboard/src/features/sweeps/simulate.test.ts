import { describe, expect, it } from "vitest";
import type { SweepRequest } from "../../api/types";
import { simulationFor } from "./simulate";

describe("simulationFor", () => {
  it("keeps the sweep's market and fixed parameters, sets the combination, drops the grid", () => {
    const sweep: SweepRequest = {
      strategy: "rsi_mean_reversion",
      params: { exit: 55 },
      grid: { period: { start: 5, stop: 20, step: 5 }, lower: [20, 30] },
      metric: "calmar",
      chunk_size: 100,
      source: "builtin",
      symbols: ["SP500"],
      start: "2012-01-01",
      end: "2016-12-31",
      initial_cash: 50_000,
      interval: "1d",
    };
    expect(simulationFor(sweep, { period: 10, lower: 20 })).toEqual({
      strategy: "rsi_mean_reversion",
      params: { exit: 55, period: 10, lower: 20 },
      source: "builtin",
      symbols: ["SP500"],
      start: "2012-01-01",
      end: "2016-12-31",
      initial_cash: 50_000,
      interval: "1d",
    });
    expect(sweep.params).toEqual({ exit: 55 }); // the sweep's request is left as it was
  });
});
