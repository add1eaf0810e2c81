// A parameter's grid as typed in the form (one value, a start/stop/step range or a list), checked
// against the strategy's declared range and expanded the way the API expands it
// (shared/schemas/sweeps.py GridRange: start, start+step, … up to and including stop).
import type { GridRange, StrategyParam } from "../../api/types";
import { paramProblem, parseNumber } from "../simulations/form";

/**
 * The gateway's default MAX_SWEEP_COMBINATIONS. The API does not publish its limit, so the form
 * refuses grids above the default and the API's own 422 covers a smaller configured limit.
 */
export const MAX_COMBINATIONS = 1_000_000;

export type GridMode = "fixed" | "range" | "list";

export type GridInput = {
  mode: GridMode;
  value: string;
  start: string;
  stop: string;
  step: string;
  list: string;
};

/** A checked grid input: what the request carries for this parameter, and how many values. */
export type ParsedGrid =
  | { ok: true; fixed: number; count: 1 }
  | { ok: true; grid: GridRange | number[]; count: number }
  | { ok: false; error: string };

/** How many values start, start+step, … ≤ stop holds (the API's arithmetic, with its tolerance). */
export function rangeCount(start: number, stop: number, step: number): number {
  return Math.floor((stop - start) / step + 1e-9) + 1;
}

export function rangeValues(start: number, stop: number, step: number): number[] {
  const count = rangeCount(start, stop, step);
  const whole = [start, stop, step].every(Number.isInteger);
  return Array.from({ length: count }, (_, i) =>
    whole ? start + i * step : Number((start + i * step).toFixed(10)),
  );
}

/** A sensible first grid around the default: half to twice it, in about six steps. */
export function initialGrid(spec: StrategyParam, swept: boolean): GridInput {
  const step = spec.integer ? Math.max(1, Math.round(spec.default / 4)) : round2(spec.default / 4);
  const start = Math.max(spec.min, spec.integer ? Math.round(spec.default / 2) : spec.default / 2);
  const stop = Math.min(spec.max, spec.default * 2);
  return {
    mode: swept ? "range" : "fixed",
    value: String(spec.default),
    start: String(round2(start)),
    stop: String(round2(stop)),
    step: String(step || 1),
    list: String(spec.default),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** One parameter's grid, or the message to show next to it. */
export function parseGrid(name: string, spec: StrategyParam, input: GridInput): ParsedGrid {
  if (input.mode === "fixed") {
    const value = parseNumber(input.value);
    const problem = paramProblem(name, spec, value);
    if (problem || value === undefined) return { ok: false, error: problem ?? "" };
    return { ok: true, fixed: value, count: 1 };
  }
  if (input.mode === "list") return parseList(name, spec, input.list);
  return parseRange(name, spec, input);
}

function parseList(name: string, spec: StrategyParam, text: string): ParsedGrid {
  const parts = text.split(/[\s,;]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return { ok: false, error: `Give at least one value of ${name}.` };
  const values: number[] = [];
  for (const part of parts) {
    const value = parseNumber(part);
    const problem = paramProblem(name, spec, value);
    if (problem || value === undefined) return { ok: false, error: `"${part}": ${problem}` };
    if (values.includes(value)) return { ok: false, error: `${value} is listed twice.` };
    values.push(value);
  }
  return { ok: true, grid: values, count: values.length };
}

function parseRange(name: string, spec: StrategyParam, input: GridInput): ParsedGrid {
  const start = parseNumber(input.start);
  const stop = parseNumber(input.stop);
  const step = parseNumber(input.step);
  if (start === undefined || stop === undefined || step === undefined) {
    return { ok: false, error: `Start, stop and step of ${name} must be numbers.` };
  }
  if (step <= 0) return { ok: false, error: `The step of ${name} must be above 0.` };
  if (stop < start) return { ok: false, error: `The stop of ${name} must not be below its start.` };
  if (spec.integer && ![start, step].every(Number.isInteger)) {
    return { ok: false, error: `${name} is a whole number: use a whole start and step.` };
  }
  const count = rangeCount(start, stop, step);
  const last = start + (count - 1) * step;
  if (start < spec.min || last > spec.max) {
    return { ok: false, error: `${name} must stay between ${spec.min} and ${spec.max}.` };
  }
  return { ok: true, grid: { start, stop, step }, count };
}

/** Combinations of the whole grid: the product of every parameter's count. */
export function combinationCount(parsed: ParsedGrid[]): number | undefined {
  let total = 1;
  for (const p of parsed) {
    if (!p.ok) return undefined;
    total *= p.count;
  }
  return total;
}
