import { describe, expect, it } from "vitest";
import { featureDifferences, metricRows, settingRows } from "./compare";
import { detail } from "./fixtures";

const v1 = detail({
  id: "a",
  version: 1,
  metrics: {
    oos_sharpe: 0.4,
    validation_log_loss: 0.69,
    oos_max_drawdown_pct: 12,
    oos_total_trades: 100,
    validation_accuracy: 0.52,
  },
  metadata: {
    hyperparameters: { max_depth: 3, learning_rate: 0.1 },
    features: ["a", "b"],
    seed: 7,
  },
});
const v2 = detail({
  id: "b",
  version: 2,
  metrics: {
    oos_sharpe: 0.7,
    validation_log_loss: 0.72,
    oos_max_drawdown_pct: 9,
    oos_total_trades: 140,
    validation_accuracy: 0.52,
  },
  metadata: {
    hyperparameters: { max_depth: 5, learning_rate: 0.1 },
    features: ["a", "c"],
    seed: 7,
  },
});
const v3 = detail({
  id: "c",
  version: 3,
  metrics: { oos_sharpe: 0.7, validation_log_loss: null },
  metadata: { hyperparameters: { max_depth: 5 }, features: ["a", "b"], seed: 7 },
});

describe("the compare table's metrics", () => {
  it("marks the best value per row: highest, or lowest for losses and drawdown", () => {
    const rows = Object.fromEntries(metricRows([v1, v2]).map((r) => [r.metric, r.best]));
    expect(rows.oos_sharpe).toEqual([1]);
    expect(rows.validation_log_loss).toEqual([0]);
    expect(rows.oos_max_drawdown_pct).toEqual([1]);
  });

  it("marks nothing for counts or for a row where all agree, and every column that ties", () => {
    const rows = Object.fromEntries(metricRows([v1, v2, v3]).map((r) => [r.metric, r]));
    expect(rows.oos_total_trades?.best).toEqual([]);
    expect(rows.validation_accuracy?.best).toEqual([]);
    expect(rows.oos_sharpe?.best).toEqual([1, 2]);
    // v3 has no log loss: it is shown empty and the best is chosen among the others
    expect(rows.validation_log_loss?.values).toEqual([0.69, 0.72, null]);
    expect(rows.validation_log_loss?.best).toEqual([0]);
  });
});

describe("the compare table's settings", () => {
  it("flags the hyperparameters and features that differ", () => {
    const rows = Object.fromEntries(settingRows([v1, v2]).map((r) => [r.setting, r]));
    expect(rows["hyperparameter max_depth"]).toEqual({
      setting: "hyperparameter max_depth",
      values: ["3", "5"],
      differs: true,
    });
    expect(rows["hyperparameter learning_rate"]?.differs).toBe(false);
    expect(rows.seed?.differs).toBe(false);
    expect(rows.features?.differs).toBe(true);
  });

  it("shows a dash where one version lacks a hyperparameter", () => {
    const rows = Object.fromEntries(settingRows([v1, v3]).map((r) => [r.setting, r]));
    expect(rows["hyperparameter learning_rate"]?.values).toEqual(["0.1", "—"]);
    expect(rows["hyperparameter learning_rate"]?.differs).toBe(true);
  });

  it("lists each version's features that another lacks", () => {
    expect(featureDifferences([v1, v2])).toEqual([["b"], ["c"]]);
    expect(featureDifferences([v1, v3])).toEqual([[], []]);
  });
});
