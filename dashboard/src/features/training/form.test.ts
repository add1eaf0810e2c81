import { describe, expect, it } from "vitest";
import { CATALOGUE } from "./fixtures";
import {
  type TrainingFormValues,
  checkTraining,
  featuresFor,
  initialTrainingValues,
  targetKinds,
  withAlgorithm,
} from "./form";

const values = (change: Partial<TrainingFormValues> = {}): TrainingFormValues => ({
  ...initialTrainingValues(CATALOGUE),
  ...change,
});
const forest = CATALOGUE.items[1];

describe("checkTraining", () => {
  it("builds the request the API expects from the defaults", () => {
    const result = checkTraining(values(), CATALOGUE, ["SP500", "NASDAQ"]);
    expect(result).toEqual({
      ok: true,
      request: {
        source: "builtin",
        symbols: ["SP500"],
        start: "2012-01-01",
        end: "2016-12-31",
        interval: "1d",
        model_name: "logistic_regression-sp500",
        algorithm: "logistic_regression",
        hyperparameters: { C: 1, max_iter: 200, class_weight: "none" },
        features: [
          { kind: "returns", params: { period: 1 } },
          { kind: "lagged_return", params: { lag: 1 } },
          { kind: "lagged_return", params: { lag: 2 } },
        ],
        target: { kind: "direction", horizon: 1, dead_zone: 0 },
        validation: {
          method: "walk_forward",
          n_folds: 5,
          window: "expanding",
          train_bars: null,
          embargo_bars: 0,
          min_train_bars: 50,
        },
        decision: { long_above: 0.55, short_below: 0.45, min_abs_return: 0, scale: null },
        initial_cash: 100000,
        seed: 42,
        device: "auto",
      },
    });
  });

  it("sends a regression forest with a rolling window, a chosen feature set and the GPU", () => {
    if (!forest) throw new Error("fixture");
    const form = {
      ...withAlgorithm(values(), forest),
      hyperparameters: { n_estimators: "50", max_features: "0.3", bootstrap: false },
      symbols: "SP500, NASDAQ",
      start: "",
      modelName: "rf.v2",
      features: ["month", "rsi"],
      targetKind: "return" as const,
      horizon: "5",
      method: "purged_kfold" as const,
      folds: "4",
      window: "rolling" as const,
      trainBars: "500",
      embargo: "5",
      minAbsReturn: "0.001",
      seed: "7",
      device: "cuda" as const,
    };
    const result = checkTraining(form, CATALOGUE);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request).toMatchObject({
      symbols: ["SP500", "NASDAQ"],
      start: null,
      model_name: "rf.v2",
      algorithm: "random_forest",
      hyperparameters: { n_estimators: 50, max_features: 0.3, bootstrap: false },
      // Catalogue order, and a kind outside the default set with its declared defaults.
      features: [
        { kind: "rsi", params: { period: 14 } },
        { kind: "month", params: {} },
      ],
      target: { kind: "return", horizon: 5, dead_zone: 0 },
      validation: {
        method: "purged_kfold",
        n_folds: 4,
        window: "rolling",
        train_bars: 500,
        embargo_bars: 5,
      },
      decision: { min_abs_return: 0.001 },
      seed: 7,
      device: "cuda",
    });
  });

  it("names every field out of its declared range", () => {
    const result = checkTraining(
      values({
        hyperparameters: { C: "0", max_iter: "20.5", class_weight: "none" },
        modelName: "-bad name",
        features: [],
        horizon: "251",
        deadZone: "1",
        folds: "1",
        embargo: "501",
        window: "rolling",
        trainBars: "",
        seed: "-1",
      }),
      CATALOGUE,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        "hyperparameters.C": "C must be between 0.0001 and 10000.",
        "hyperparameters.max_iter": "max_iter must be a whole number.",
        model_name:
          "Up to 64 letters, digits and _ . - (starting with a letter or digit), e.g. rf-sp500.",
        features: "Pick at least one feature.",
        "target.horizon": "Horizon must be at most 250.",
        "target.dead_zone": "Dead zone must be below 1.",
        "validation.n_folds": "Folds must be at least 2.",
        "validation.embargo_bars": "Embargo must be at most 500.",
        "validation.train_bars": "Training window must be a number.",
        seed: "Seed must be at least 0.",
      },
    });
  });

  it("refuses a short threshold above the long one, and a target the algorithm cannot learn", () => {
    const result = checkTraining(values({ longAbove: "0.4", targetKind: "return" }), CATALOGUE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors["decision.short_below"]).toBe("Short below must not be above long above.");
    expect(result.errors["target.kind"]).toBe("logistic_regression cannot predict return.");
  });

  it("reuses the simulation form's symbol and date checks", () => {
    const result = checkTraining(values({ symbols: "SP500 XYZ", end: "2011-01-01" }), CATALOGUE, [
      "SP500",
    ]);
    expect(result.ok || result.errors).toEqual({
      symbols: "XYZ is not a symbol of builtin; pick one from the list.",
      end: "The end must come after the start.",
    });
  });
});

describe("withAlgorithm", () => {
  it("resets the hyperparameters to the new algorithm's defaults and keeps a learnable target", () => {
    const [logistic, rf] = CATALOGUE.items;
    if (!logistic || !rf) throw new Error("fixture");
    const regression = { ...withAlgorithm(values(), rf), targetKind: "return" as const };
    const back = withAlgorithm(regression, logistic);
    expect(back.hyperparameters).toEqual({ C: "1", max_iter: "200", class_weight: "none" });
    expect(back.targetKind).toBe("direction");
    expect(targetKinds(rf)).toEqual(["direction", "return"]);
  });
});

describe("featuresFor", () => {
  it("expands a kind to every default entry of it", () => {
    expect(featuresFor(["lagged_return"], CATALOGUE)).toEqual([
      { kind: "lagged_return", params: { lag: 1 } },
      { kind: "lagged_return", params: { lag: 2 } },
    ]);
  });
});
