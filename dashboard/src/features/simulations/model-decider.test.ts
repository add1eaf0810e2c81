import { describe, expect, it } from "vitest";
import { checkDecision, dayAfter, decisionThresholds } from "./model-decider";

describe("a model's decision thresholds", () => {
  it("leaves blank ones to the model and checks the rest", () => {
    expect(checkDecision("classification", { long_above: "0.6", short_below: " " })).toEqual({
      params: { long_above: 0.6 },
      errors: {},
    });
    expect(checkDecision("regression", { scale: "abc" }).errors).toEqual({
      scale: "scale must be a number, or blank.",
    });
  });
});

describe("an RL agent as the decider", () => {
  it("has no thresholds: anything typed for one is neither checked nor sent", () => {
    expect(decisionThresholds("reinforcement")).toEqual([]);
    expect(checkDecision("reinforcement", { long_above: "7", scale: "x" })).toEqual({
      params: {},
      errors: {},
    });
  });
});

describe("dayAfter", () => {
  it("crosses month and year ends, and leap days", () => {
    expect(dayAfter("2016-12-31T00:00:00Z")).toBe("2017-01-01");
    expect(dayAfter("2016-02-28")).toBe("2016-02-29");
    expect(dayAfter(null)).toBe("");
  });
});
