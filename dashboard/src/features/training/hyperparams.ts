// Hyperparameters as the API declares them (type, default, range, choices) turned into form
// controls and checked against the same ranges, so RL algorithms or any new one slot in unchanged.
import type { HyperParam } from "../../api/types";
import { outside, parseNumber } from "../simulations/form";

/** What a form shows for one declared parameter. */
export type ParamControl =
  | { kind: "number"; integer: boolean; min?: number; max?: number; step: string }
  | { kind: "checkbox" }
  | { kind: "select"; choices: string[] };

/** A parameter's value while it is edited: text for numbers and choices, a flag for booleans. */
export type ParamValue = string | boolean;
export type HyperValue = number | boolean | string;

export function controlFor(param: HyperParam): ParamControl {
  switch (param.type) {
    case "bool":
      return { kind: "checkbox" };
    case "choice":
      return { kind: "select", choices: param.choices ?? [] };
    default: {
      const integer = param.type === "int";
      return {
        kind: "number",
        integer,
        ...(param.min != null ? { min: param.min } : {}),
        ...(param.max != null ? { max: param.max } : {}),
        // Floats take any value in range; a fixed step would make the browser flag 0.0003.
        step: integer ? "1" : "any",
      };
    }
  }
}

/** The hint under a parameter: its range, default, scale and the API's description. */
export function hintFor(param: HyperParam): string {
  const parts: string[] = [];
  if (param.min != null && param.max != null) parts.push(`${param.min}–${param.max}`);
  else if (param.min != null) parts.push(`at least ${param.min}`);
  else if (param.max != null) parts.push(`at most ${param.max}`);
  parts.push(`default ${String(param.default)}${param.log ? ", log scale" : ""}`);
  const head = parts.join(", ");
  return param.description ? `${head}. ${param.description}` : head;
}

export function defaultValue(param: HyperParam): ParamValue {
  if (param.type === "bool") return param.default === true;
  return param.default == null ? "" : String(param.default);
}

export function defaultValues(params: readonly HyperParam[]): Record<string, ParamValue> {
  return Object.fromEntries(params.map((p) => [p.name, defaultValue(p)]));
}

export type ParamCheck = { ok: true; value: HyperValue } | { ok: false; message: string };

/** One parameter's value for the request, or the message to show by its field. */
export function checkParam(param: HyperParam, raw: ParamValue | undefined): ParamCheck {
  const control = controlFor(param);
  if (control.kind === "checkbox") return { ok: true, value: raw === true };
  const text = typeof raw === "string" ? raw : "";
  if (control.kind === "select") {
    return control.choices.includes(text)
      ? { ok: true, value: text }
      : { ok: false, message: `Choose one of ${control.choices.join(", ")}.` };
  }
  const value = parseNumber(text);
  if (value === undefined) {
    return { ok: false, message: `${param.name} must be a number (default ${param.default}).` };
  }
  if (control.integer && !Number.isInteger(value)) {
    return { ok: false, message: `${param.name} must be a whole number.` };
  }
  if (control.min !== undefined && control.max !== undefined) {
    if (value < control.min || value > control.max) {
      return {
        ok: false,
        message: `${param.name} must be between ${control.min} and ${control.max}.`,
      };
    }
  } else {
    const problem = outside(value, { min: control.min, max: control.max }, param.name);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, value };
}
