import { describe, expect, it } from "vitest";
import { fieldOfApiError } from "./apiField";

const SHOWN = [
  "algorithm",
  "hyperparameters.max_depth",
  "symbols",
  "features",
  "target.kind",
  "validation.n_folds",
  "validation.window",
  "validation.train_bars",
  "decision.long_above",
  "decision.short_below",
] as const;

const error = (field: string | null, message = "") => ({ field, message });

describe("fieldOfApiError", () => {
  it("puts a field the API names exactly on that field", () => {
    expect(fieldOfApiError(error("hyperparameters.max_depth"), SHOWN)).toBe(
      "hyperparameters.max_depth",
    );
    expect(fieldOfApiError(error("validation.n_folds"), SHOWN)).toBe("validation.n_folds");
    expect(fieldOfApiError(error("body.target.kind"), SHOWN)).toBe("target.kind");
  });

  it("puts an item of a list on the list", () => {
    expect(fieldOfApiError(error("features[0]"), SHOWN)).toBe("features");
    expect(fieldOfApiError(error("features.2.kind"), SHOWN)).toBe("features");
  });

  it("puts a rule across a group on the field its message names first", () => {
    const decision = error("decision", "decision: short_below 0.45 is above long_above 0.3");
    expect(fieldOfApiError(decision, SHOWN)).toBe("decision.short_below");
    const rolling = error("validation", "validation.train_bars is required with window='rolling'");
    expect(fieldOfApiError(rolling, SHOWN)).toBe("validation.train_bars");
  });

  it("finds no field for an unknown hyperparameter, a hidden field or none at all", () => {
    expect(
      fieldOfApiError(error("hyperparameters.foo", "no hyperparameter 'foo'"), SHOWN),
    ).toBeUndefined();
    expect(fieldOfApiError(error("costs.commission_rate"), SHOWN)).toBeUndefined();
    expect(fieldOfApiError(error(null), SHOWN)).toBeUndefined();
  });
});
