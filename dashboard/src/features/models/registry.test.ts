import { describe, expect, it } from "vitest";
import { model } from "./fixtures";
import {
  DEFAULT_QUERY,
  headlineMetrics,
  nextSort,
  paramsFromQuery,
  queryFromParams,
} from "./registry";

describe("the registry query in the URL", () => {
  it("reads filters, sort and page, and ignores a stage the API does not know", () => {
    const query = queryFromParams(
      new URLSearchParams("name=a&stage=nonsense&tag=x&sort=version&order=asc&offset=40"),
    );
    expect(query).toEqual({
      name: "a",
      algorithm: "",
      stage: "",
      tag: "x",
      sort: "version",
      order: "asc",
      offset: 40,
    });
  });

  it("writes only what differs from the defaults", () => {
    expect(paramsFromQuery(DEFAULT_QUERY).toString()).toBe("");
    expect(paramsFromQuery({ ...DEFAULT_QUERY, stage: "production", offset: 20 }).toString()).toBe(
      "stage=production&offset=20",
    );
  });

  it("flips the order on the same column and starts a new one afresh on page one", () => {
    const byReturn = nextSort({ ...DEFAULT_QUERY, offset: 40 }, "metrics.oos_total_return_pct");
    expect(byReturn).toMatchObject({
      sort: "metrics.oos_total_return_pct",
      order: "desc",
      offset: 0,
    });
    expect(nextSort(byReturn, "metrics.oos_total_return_pct").order).toBe("asc");
    expect(nextSort(DEFAULT_QUERY, "name").order).toBe("asc");
  });
});

describe("headline metrics", () => {
  it("are the out-of-sample Sharpe and return when a walk-forward backtest ran", () => {
    expect(headlineMetrics(model())).toEqual([
      { key: "oos_sharpe", label: "OOS Sharpe", value: "0.11" },
      { key: "oos_total_return_pct", label: "OOS return", value: "3.2 %" },
    ]);
  });

  it("fall back to the validation score without one", () => {
    const kfold = model({ metrics: { validation_r2: 0.0312, train_r2: 0.4 } });
    expect(headlineMetrics(kfold)).toEqual([
      { key: "validation_r2", label: "Validation R²", value: "0.03" },
    ]);
  });
});
