// Hyperparameters fixed for every trial of a study (StudyRequest.hyperparameters): only those every
// chosen agent declares may be fixed, within the range they all accept, and never one also searched.
import type { Algorithm, AlgorithmsCatalogue, HyperParam } from "../../api/types";
import {
  type HyperValue,
  type ParamValue,
  checkParam,
  defaultValue,
} from "../training/hyperparams";

/** One hyperparameter's fixed value while it is edited: `on` when it is fixed at all. */
export type FixedValue = { on: boolean; value: ParamValue };

/** A parameter every agent declares, with the range all of them accept and each one's default. */
export type SharedParam = { param: HyperParam; defaults: Record<string, HyperParam["default"]> };

function chosen(catalogue: AlgorithmsCatalogue, names: readonly string[]): Algorithm[] {
  return names.flatMap((n) => catalogue.items.filter((a) => a.name === n));
}

/** The parameters every one of `names` declares, in the first one's order, ranges intersected. */
export function sharedParams(
  catalogue: AlgorithmsCatalogue,
  names: readonly string[],
): SharedParam[] {
  const agents = chosen(catalogue, names);
  const [first, ...rest] = agents;
  if (!first) return [];
  const shared: SharedParam[] = [];
  for (const param of first.params) {
    const same = rest.map((a) => a.params.find((p) => p.name === param.name));
    if (same.some((p) => p === undefined || p.type !== param.type)) continue;
    const all = [param, ...(same as HyperParam[])];
    const mins = all.map((p) => p.min).filter((m): m is number => m != null);
    const maxes = all.map((p) => p.max).filter((m): m is number => m != null);
    const choices = param.choices?.filter((c) => all.every((p) => p.choices?.includes(c)));
    shared.push({
      param: {
        ...param,
        min: mins.length ? Math.max(...mins) : param.min,
        max: maxes.length ? Math.min(...maxes) : param.max,
        ...(choices ? { choices } : {}),
      },
      defaults: Object.fromEntries(agents.map((a, i) => [a.name, all[i]?.default ?? null])),
    });
  }
  return shared;
}

/** "ppo 50000, dqn 20000", or the one default they share. */
export function defaultsText(shared: SharedParam): string {
  const values = Object.values(shared.defaults).map(String);
  if (values.every((v) => v === values[0])) return `default ${values[0] ?? "none"}`;
  return `defaults ${Object.entries(shared.defaults)
    .map(([name, value]) => `${name} ${String(value)}`)
    .join(", ")}`;
}

/** A value to start from when a parameter is first fixed: the first agent's default. */
export function startValue(shared: SharedParam): FixedValue {
  return { on: true, value: defaultValue(shared.param) };
}

type FixedErrors = Partial<Record<`hyperparameters.${string}`, string>>;

/**
 * The fixed values to send; problems filed under `hyperparameters.<name>` (the API's field).
 * A parameter no longer shared by every chosen agent is neither shown nor sent.
 */
export function checkFixed(
  shared: readonly SharedParam[],
  fixed: Record<string, FixedValue>,
  searchedBy: ReadonlyMap<string, string>,
  errors: FixedErrors,
): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  for (const { param } of shared) {
    const edited = fixed[param.name];
    if (!edited?.on) continue;
    const field = `hyperparameters.${param.name}` as const;
    const searcher = searchedBy.get(param.name);
    if (searcher) {
      errors[field] = `${param.name} is searched for ${searcher}: fix it or search it, not both.`;
      continue;
    }
    const checked = checkParam(param, edited.value);
    if (checked.ok) out[param.name] = checked.value;
    else errors[field] = checked.message;
  }
  return out;
}
