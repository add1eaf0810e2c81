import { describe, expect, it } from "vitest";
import type { HyperParam } from "../../api/types";
import { checkParam, controlFor, defaultValues, hintFor } from "./hyperparams";

const INT: HyperParam = {
  name: "max_depth",
  type: "int",
  default: 8,
  min: 1,
  max: 32,
  log: false,
  description: "deepest level",
};
const FLOAT: HyperParam = {
  name: "learning_rate",
  type: "float",
  default: 0.1,
  min: 0.001,
  max: 1,
  log: true,
  description: "step size",
};
const BOOL: HyperParam = {
  name: "bootstrap",
  type: "bool",
  default: true,
  log: false,
  description: "",
};
const CHOICE: HyperParam = {
  name: "class_weight",
  type: "choice",
  default: "none",
  choices: ["none", "balanced"],
  log: false,
  description: "",
};
const OPEN: HyperParam = {
  name: "gamma",
  type: "float",
  default: 0,
  min: 0,
  max: null,
  log: false,
  description: "",
};

describe("controlFor", () => {
  it("gives whole-number inputs to ints and any-step inputs to floats, with the declared range", () => {
    expect(controlFor(INT)).toEqual({ kind: "number", integer: true, min: 1, max: 32, step: "1" });
    expect(controlFor(FLOAT)).toEqual({
      kind: "number",
      integer: false,
      min: 0.001,
      max: 1,
      step: "any",
    });
    expect(controlFor(OPEN)).toEqual({ kind: "number", integer: false, min: 0, step: "any" });
  });

  it("makes a checkbox of a bool and a select of a choice", () => {
    expect(controlFor(BOOL)).toEqual({ kind: "checkbox" });
    expect(controlFor(CHOICE)).toEqual({ kind: "select", choices: ["none", "balanced"] });
  });
});

describe("hintFor", () => {
  it("says the range, the default, the scale and the description", () => {
    expect(hintFor(FLOAT)).toBe("0.001–1, default 0.1, log scale. step size");
    expect(hintFor(OPEN)).toBe("at least 0, default 0");
    expect(hintFor(BOOL)).toBe("default true");
  });
});

describe("defaultValues", () => {
  it("fills numbers and choices as text and bools as flags", () => {
    expect(defaultValues([INT, FLOAT, BOOL, CHOICE])).toEqual({
      max_depth: "8",
      learning_rate: "0.1",
      bootstrap: true,
      class_weight: "none",
    });
  });
});

describe("checkParam", () => {
  it("accepts values inside the range as numbers", () => {
    expect(checkParam(INT, "32")).toEqual({ ok: true, value: 32 });
    expect(checkParam(FLOAT, "0.001")).toEqual({ ok: true, value: 0.001 });
    expect(checkParam(OPEN, "5000")).toEqual({ ok: true, value: 5000 });
  });

  it("names the range a value falls outside", () => {
    expect(checkParam(INT, "33")).toEqual({
      ok: false,
      message: "max_depth must be between 1 and 32.",
    });
    expect(checkParam(FLOAT, "0")).toEqual({
      ok: false,
      message: "learning_rate must be between 0.001 and 1.",
    });
    expect(checkParam(OPEN, "-1")).toEqual({ ok: false, message: "gamma must be at least 0." });
  });

  it("refuses a fraction for an int, and text that is no number", () => {
    expect(checkParam(INT, "2.5")).toEqual({
      ok: false,
      message: "max_depth must be a whole number.",
    });
    expect(checkParam(INT, "")).toEqual({
      ok: false,
      message: "max_depth must be a number (default 8).",
    });
    expect(checkParam(FLOAT, "abc")).toEqual({
      ok: false,
      message: "learning_rate must be a number (default 0.1).",
    });
  });

  it("passes flags through and keeps choices to the declared ones", () => {
    expect(checkParam(BOOL, false)).toEqual({ ok: true, value: false });
    expect(checkParam(CHOICE, "balanced")).toEqual({ ok: true, value: "balanced" });
    expect(checkParam(CHOICE, "heavy")).toEqual({
      ok: false,
      message: "Choose one of none, balanced.",
    });
  });
});
