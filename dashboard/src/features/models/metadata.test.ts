import { describe, expect, it } from "vitest";
import {
  allFacts,
  backtestView,
  dataFacts,
  featureSpecs,
  foldSummary,
  foldTable,
  plain,
  validationFacts,
} from "./metadata";

// The shape shared/ml/training.py writes, trimmed to two folds.
const META = {
  features: ["return_1", "macd_12_26_9", "day_of_week"],
  feature_spec: {
    version: 1,
    features: [
      { kind: "returns", params: { period: 1 } },
      { kind: "macd", params: { fast: 12, slow: 26, signal: 9 } },
      { kind: "day_of_week", params: {} },
    ],
  },
  hyperparameters: { n_estimators: 60, learning_rate: 0.1, subsample: 0.8 },
  data: {
    source: "builtin",
    symbols: ["SP500", "NASDAQ"],
    interval: "1d",
    start: "2010-01-01",
    end: "2016-12-31",
    first_row: "2010-03-16T00:00:00+00:00",
    last_row: "2016-12-29T00:00:00+00:00",
    rows: 1712,
    fingerprint: "sha256:17ae",
  },
  validation: {
    method: "walk_forward",
    n_folds: 2,
    window: "expanding",
    train_bars: null,
    embargo_bars: 5,
    min_train_bars: 50,
    folds: [
      {
        index: 0,
        train_start: "2010-03-16T00:00:00+00:00",
        train_end: "2011-07-18T00:00:00+00:00",
        test_start: "2011-07-26T00:00:00+00:00",
        test_end: "2012-12-03T00:00:00+00:00",
        train_rows: 339,
        test_rows: 342,
        test: { accuracy: 0.51461988, log_loss: 0.74736994, n: 342, positive_rate: 0.53 },
      },
      {
        index: 1,
        train_start: "2010-03-16T00:00:00+00:00",
        train_end: "2012-11-26T00:00:00+00:00",
        test_start: "2012-12-04T00:00:00+00:00",
        test_end: "2014-04-14T00:00:00+00:00",
        train_rows: 681,
        test_rows: 342,
        test: { accuracy: 0.50292398, log_loss: 0.73314644, n: 342, positive_rate: 0.57 },
      },
    ],
    fold_summary: {
      accuracy: { mean: 0.50877193, std: 0.00826898, count: 2 },
      log_loss: { mean: 0.74025819, std: 0.01005733, count: 2 },
    },
  },
  backtest: {
    start: "2011-07-26T00:00:00+00:00",
    end: "2016-12-30T00:00:00+00:00",
    bars: 1369,
    model: { sharpe: 0.1075, total_return_pct: 3.1953, max_drawdown_pct: 25.96, total_trades: 271 },
    buy_and_hold: { sharpe: 0.7012, total_return_pct: 67.974, max_drawdown_pct: 17.527 },
    decision: { long_above: 0.55, short_below: 0.45, scale: null },
    walk_forward: true,
  },
};

describe("metadata.json on the model page", () => {
  it("shows the data it was trained on, dates cut to the day", () => {
    expect(dataFacts(META)).toEqual([
      { label: "Source", value: "builtin" },
      { label: "Symbols", value: "SP500, NASDAQ" },
      { label: "Interval", value: "1d" },
      { label: "Requested", value: "2010-01-01 → 2016-12-31" },
      { label: "Rows used", value: "2010-03-16 → 2016-12-29" },
      { label: "Rows", value: "1,712" },
      { label: "Bars fingerprint", value: "sha256:17ae" },
    ]);
  });

  it("names each feature with its parameters", () => {
    expect(featureSpecs(META)).toEqual([
      "returns (period 1)",
      "macd (fast 12, slow 26, signal 9)",
      "day_of_week",
    ]);
    expect(featureSpecs({ features: ["a", "b"] })).toEqual(["a", "b"]);
  });

  it("lists hyperparameters and the validation scheme, with a dash for what is unset", () => {
    expect(allFacts(META.hyperparameters)).toEqual([
      { label: "n_estimators", value: "60" },
      { label: "learning_rate", value: "0.1" },
      { label: "subsample", value: "0.8" },
    ]);
    expect(validationFacts(META)).toContainEqual({ label: "Train bars", value: "—" });
    expect(validationFacts(META)).toContainEqual({ label: "Embargo (bars)", value: "5" });
  });

  it("tabulates each fold's windows and test scores, counts left out of the score columns", () => {
    const { metrics, rows } = foldTable(META);
    expect(metrics).toEqual(["accuracy", "log_loss"]);
    expect(rows[1]).toEqual({
      index: 2,
      train: "2010-03-16 → 2012-11-26",
      test: "2012-12-04 → 2014-04-14",
      trainRows: "681",
      testRows: "342",
      scores: { accuracy: "0.5029", log_loss: "0.7331", n: "342", positive_rate: "0.57" },
    });
    expect(foldSummary(META, metrics)).toEqual({
      accuracy: "0.5088 ± 0.0083",
      log_loss: "0.7403 ± 0.0101",
    });
  });

  it("puts the backtest beside buy-and-hold, figure by figure", () => {
    const bt = backtestView(META);
    expect(bt?.period).toBe("2011-07-26 → 2016-12-30");
    expect(bt?.bars).toBe("1,369");
    expect(bt?.rows[0]).toEqual({ label: "Sharpe", unit: "ratio", model: 0.1075, hold: 0.7012 });
    expect(bt?.rows[3]).toEqual({
      label: "Max drawdown",
      unit: "pct",
      model: 25.96,
      hold: 17.527,
    });
    expect(bt?.extra[0]).toEqual({ label: "Trades", value: "271" });
    expect(bt?.decision).toContainEqual({ label: "scale", value: "—" });
    expect(bt?.warning).toBeUndefined();
  });

  it("copes with an artifact that lacks sections", () => {
    expect(backtestView({})).toBeUndefined();
    expect(foldTable({ validation: { folds: "broken" } })).toEqual({ metrics: [], rows: [] });
    expect(plain(Number.NaN)).toBe("—");
    expect(plain(true)).toBe("yes");
  });
});
