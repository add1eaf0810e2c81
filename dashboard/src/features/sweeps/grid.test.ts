import { describe, expect, it } from "vitest";
import type { StrategyParam } from "../../api/types";
import { type GridInput, combinationCount, parseGrid, rangeCount, rangeValues } from "./grid";

const FAST: StrategyParam = { default: 20, min: 2, max: 500, integer: true, description: "" };
const LEVEL: StrategyParam = { default: 30, min: 1, max: 99, integer: false, description: "" };

const input = (patch: Partial<GridInput>): GridInput => ({
  mode: "range",
  value: "",
  start: "",
  stop: "",
  step: "",
  list: "",
  ...patch,
});

describe("rangeValues", () => {
  it("runs from start up to and including stop", () => {
    expect(rangeValues(5, 20, 5)).toEqual([5, 10, 15, 20]);
    expect(rangeValues(30, 90, 20)).toEqual([30, 50, 70, 90]);
  });

  it("stops before a stop the step overshoots", () => {
    expect(rangeValues(30, 100, 20)).toEqual([30, 50, 70, 90]);
    expect(rangeCount(30, 100, 20)).toBe(4);
  });

  it("keeps fractional steps free of float noise, and counts their last value", () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floating point; the API rounds to 10 decimals.
    expect(rangeValues(0.1, 0.3, 0.1)).toEqual([0.1, 0.2, 0.3]);
    expect(rangeCount(0, 1, 0.1)).toBe(11);
  });
});

describe("parseGrid", () => {
  it("turns a range into the API's {start, stop, step} with its count", () => {
    expect(parseGrid("fast", FAST, input({ start: "5", stop: "20", step: "5" }))).toEqual({
      ok: true,
      grid: { start: 5, stop: 20, step: 5 },
      count: 4,
    });
  });

  it.each([
    [{ start: "5", stop: "20", step: "0" }, "The step of fast must be above 0."],
    [{ start: "5", stop: "20", step: "-5" }, "The step of fast must be above 0."],
    [{ start: "20", stop: "5", step: "5" }, "The stop of fast must not be below its start."],
    [{ start: "5", stop: "", step: "5" }, "Start, stop and step of fast must be numbers."],
    [{ start: "1", stop: "20", step: "5" }, "fast must stay between 2 and 500."],
    [{ start: "400", stop: "600", step: "50" }, "fast must stay between 2 and 500."],
    [
      { start: "5", stop: "20", step: "2.5" },
      "fast is a whole number: use a whole start and step.",
    ],
  ])("refuses the range %o", (range, message) => {
    expect(parseGrid("fast", FAST, input(range))).toEqual({ ok: false, error: message });
  });

  it("accepts a range whose stop lies beyond the maximum when no value reaches it", () => {
    // 400, 450, 500: the stop 520 is never reached, so every value is valid.
    expect(parseGrid("fast", FAST, input({ start: "400", stop: "520", step: "50" }))).toMatchObject(
      { ok: true, count: 3 },
    );
  });

  it("reads a list of values separated by commas or spaces", () => {
    expect(parseGrid("lower", LEVEL, input({ mode: "list", list: "20, 25.5 30" }))).toEqual({
      ok: true,
      grid: [20, 25.5, 30],
      count: 3,
    });
  });

  it("refuses a list with a value out of range, a fraction for a whole number, or a repeat", () => {
    expect(parseGrid("lower", LEVEL, input({ mode: "list", list: "20, 120" }))).toEqual({
      ok: false,
      error: '"120": lower must be between 1 and 99.',
    });
    expect(parseGrid("fast", FAST, input({ mode: "list", list: "5 7.5" }))).toEqual({
      ok: false,
      error: '"7.5": fast must be a whole number.',
    });
    expect(parseGrid("fast", FAST, input({ mode: "list", list: "5, 10, 5" }))).toEqual({
      ok: false,
      error: "5 is listed twice.",
    });
    expect(parseGrid("fast", FAST, input({ mode: "list", list: " , " }))).toEqual({
      ok: false,
      error: "Give at least one value of fast.",
    });
  });

  it("takes one value as a fixed parameter", () => {
    expect(parseGrid("fast", FAST, input({ mode: "fixed", value: "12" }))).toEqual({
      ok: true,
      fixed: 12,
      count: 1,
    });
    expect(parseGrid("fast", FAST, input({ mode: "fixed", value: "x" }))).toEqual({
      ok: false,
      error: "fast must be a number (default 20).",
    });
  });
});

describe("combinationCount", () => {
  it("multiplies the counts, and has none while a parameter is invalid", () => {
    expect(
      combinationCount([
        { ok: true, grid: { start: 5, stop: 20, step: 5 }, count: 4 },
        { ok: true, grid: [30, 50, 70], count: 3 },
        { ok: true, fixed: 1, count: 1 },
      ]),
    ).toBe(12);
    expect(
      combinationCount([
        { ok: true, fixed: 1, count: 1 },
        { ok: false, error: "x" },
      ]),
    ).toBe(undefined);
  });
});
