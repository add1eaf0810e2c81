// The study form's values, checked before anything is sent against what the API declares
// (StudyRequest, ParamRangeIn, each algorithm's params from GET /algorithms; docs/rl.md).
import type {
  Algorithm,
  AlgorithmsCatalogue,
  HyperParam,
  ParamRange,
  StudyRequest,
} from "../../api/types";
import {
  type BacktestFieldName,
  type BacktestValues,
  INITIAL_BACKTEST,
  checkBacktest,
  parseNumber,
} from "../simulations/form";
import {
  type ActionKind,
  type EnvironmentErrors,
  type EnvironmentValues,
  actionKinds,
  checkEnvironment,
  initialEnvironment,
  isReinforcement,
} from "../training/environment";
import { type FixedValue, checkFixed, sharedParams } from "./fixed";

/** MAX_STUDY_TRIALS's default in the API's settings. */
export const MAX_STUDY_TRIALS = 200;
export const STUDY_ALGORITHMS = ["ppo", "a2c", "dqn", "sac"] as const;
export type StudyAlgorithm = (typeof STUDY_ALGORITHMS)[number];
export type Objective = StudyRequest["objective"];
export const OBJECTIVES: Record<Objective, string> = {
  oos_sharpe: "Out-of-sample Sharpe",
  oos_total_return_pct: "Out-of-sample total return %",
};
// ppo acts in both kinds: the environment section then offers both, and the action picks agents.
export const BOTH_KINDS_AGENT = "ppo";
// What the API searches for an algorithm given no ranges; the form starts from the same.
const SEARCHED_BY_DEFAULT = ["learning_rate", "gamma"];

/** One numeric hyperparameter's search range while it is edited. */
export type RangeValues = { searched: boolean; low: string; high: string; log: boolean };

/** The market, initial cash, costs and execution, as every backtest form has them. */
export type StudyFormValues = BacktestValues & {
  interval: string;
  algorithms: string[];
  /** algorithm -> hyperparameter -> range */
  ranges: Record<string, Record<string, RangeValues>>;
  /** hyperparameter -> its value for every trial (when on) */
  fixed: Record<string, FixedValue>;
  nTrials: string;
  objective: Objective;
  environment: EnvironmentValues;
  seed: string;
};

/** Field names as the API names them, so that a 422's `field` lands on the same input. */
export type StudyField =
  | BacktestFieldName
  | "algorithms"
  | `search_space.${string}`
  | `hyperparameters.${string}`
  | "n_trials"
  | "objective"
  | "seed";

export type StudyErrors = Partial<Record<StudyField, string>> & EnvironmentErrors;
export type StudyChecked = { ok: true; request: StudyRequest } | { ok: false; errors: StudyErrors };

const MAX_SEED = 2 ** 31 - 1;
/** StudyRequest's own defaults (initial_cash, CostModel, ExecutionOptions): an untouched form
 * sends what an API call that leaves them out gets. */
const API_COSTS = {
  initialCash: "100000",
  commissionRate: "0.001",
  slippageBps: "5",
  spreadBps: "0",
} as const;

export const isNumeric = (param: HyperParam) => param.type === "int" || param.type === "float";

/** The agents a study can compare in this action kind: dqn needs one symbol's discrete actions. */
export function studyAlgorithms(
  catalogue: AlgorithmsCatalogue,
  action: ActionKind,
  symbolCount: number,
): Algorithm[] {
  return catalogue.items.filter(
    (a) =>
      isReinforcement(a) &&
      (STUDY_ALGORITHMS as readonly string[]).includes(a.name) &&
      actionKinds(a.name).includes(action) &&
      (a.name !== "dqn" || symbolCount <= 1),
  );
}

/** Every numeric parameter at its declared range; learning rate and gamma searched. */
export function initialRanges(algorithm: Algorithm): Record<string, RangeValues> {
  return Object.fromEntries(
    algorithm.params.filter(isNumeric).map((p) => [
      p.name,
      {
        searched: SEARCHED_BY_DEFAULT.includes(p.name),
        low: p.min == null ? "" : String(p.min),
        high: p.max == null ? "" : String(p.max),
        log: p.log,
      },
    ]),
  );
}

export function initialStudyValues(catalogue: AlgorithmsCatalogue): StudyFormValues {
  const agents = studyAlgorithms(catalogue, "discrete", 1);
  const chosen = agents.slice(0, 2);
  return {
    ...INITIAL_BACKTEST,
    ...API_COSTS,
    source: "builtin",
    symbols: "SP500",
    start: "2008-01-01",
    end: "2015-12-31",
    interval: "1d",
    algorithms: chosen.map((a) => a.name),
    ranges: Object.fromEntries(agents.map((a) => [a.name, initialRanges(a)])),
    fixed: {},
    nTrials: "6",
    objective: "oos_sharpe",
    environment: initialEnvironment(BOTH_KINDS_AGENT),
    seed: "42",
  };
}

type RangeCheck = { range?: ParamRange; problem?: string };

/** One searched range, or the message to show by it. */
export function checkRange(param: HyperParam, values: RangeValues): RangeCheck {
  const low = parseNumber(values.low);
  const high = parseNumber(values.high);
  if (low === undefined || high === undefined) {
    return { problem: `${param.name}: give a low and a high number.` };
  }
  if (param.type === "int" && !(Number.isInteger(low) && Number.isInteger(high))) {
    return { problem: `${param.name}: whole numbers only.` };
  }
  if ((param.min != null && low < param.min) || (param.max != null && high > param.max)) {
    return { problem: `${param.name}: keep within ${param.min ?? "−∞"}–${param.max ?? "∞"}.` };
  }
  if (low >= high) return { problem: `${param.name}: the low must be below the high.` };
  if (values.log && low <= 0) return { problem: `${param.name}: a log range needs low > 0.` };
  return { range: { low, high, log: values.log } };
}

function checkSearchSpace(
  values: StudyFormValues,
  catalogue: AlgorithmsCatalogue,
  errors: StudyErrors,
): StudyRequest["search_space"] {
  const space: NonNullable<StudyRequest["search_space"]> = {};
  for (const name of values.algorithms) {
    const algorithm = catalogue.items.find((a) => a.name === name);
    const ranges: Record<string, ParamRange> = {};
    for (const param of algorithm?.params.filter(isNumeric) ?? []) {
      const edited = values.ranges[name]?.[param.name];
      if (!edited?.searched) continue;
      const { range, problem } = checkRange(param, edited);
      if (range) ranges[param.name] = range;
      else errors[`search_space.${name}.${param.name}`] = problem;
    }
    // none searched: left out, and the API searches learning_rate and gamma
    if (Object.keys(ranges).length > 0) space[name] = ranges;
  }
  return space;
}

/** Hyperparameter -> the first chosen agent that searches it (learning_rate and gamma for an
 * agent with nothing ticked, as the API does). */
export function searchedBy(values: StudyFormValues): Map<string, string> {
  const by = new Map<string, string>();
  for (const name of values.algorithms) {
    const ticked = Object.entries(values.ranges[name] ?? {})
      .filter(([, r]) => r.searched)
      .map(([p]) => p);
    for (const param of ticked.length ? ticked : SEARCHED_BY_DEFAULT) {
      if (!by.has(param)) by.set(param, name);
    }
  }
  return by;
}

function checkInteger(
  text: string,
  label: string,
  min: number,
  max: number,
): { value: number; problem?: string } {
  const value = parseNumber(text);
  if (value === undefined || !Number.isInteger(value)) {
    return { value: Number.NaN, problem: `${label} must be a whole number.` };
  }
  if (value < min || value > max) {
    return { value, problem: `${label} must be between ${min} and ${max}.` };
  }
  return { value };
}

/** Every problem with the form, or the request to send. */
export function checkStudy(
  values: StudyFormValues,
  catalogue: AlgorithmsCatalogue,
  knownSymbols: readonly string[] = [],
): StudyChecked {
  const errors: StudyErrors = {};
  const backtest = checkBacktest(values, errors, knownSymbols);
  const symbols = backtest.symbols;
  const offered = studyAlgorithms(catalogue, values.environment.action, symbols.length).map(
    (a) => a.name,
  );
  const misfit = values.algorithms.find((a) => !offered.includes(a));
  if (values.algorithms.length === 0) errors.algorithms = "Pick at least one algorithm.";
  else if (misfit) {
    errors.algorithms = `${misfit} cannot act in ${values.environment.action} actions${
      misfit === "dqn" ? " with several symbols" : ""
    }.`;
  }
  const searchSpace = checkSearchSpace(values, catalogue, errors);
  const shared = sharedParams(catalogue, values.algorithms);
  const fixed = checkFixed(shared, values.fixed, searchedBy(values), errors);
  const trials = checkInteger(values.nTrials, "Trials", 1, MAX_STUDY_TRIALS);
  if (trials.problem) errors.n_trials = trials.problem;
  const seed = checkInteger(values.seed, "Seed", 0, MAX_SEED);
  if (seed.problem) errors.seed = seed.problem;
  const environment = checkEnvironment(values.environment, BOTH_KINDS_AGENT, values, errors);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      source: values.source,
      symbols,
      start: values.start || null,
      end: values.end || null,
      interval: values.interval,
      // in the catalogue's order, as checked against STUDY_ALGORITHMS above
      algorithms: offered.filter((a) => values.algorithms.includes(a)) as StudyAlgorithm[],
      search_space: searchSpace,
      hyperparameters: fixed,
      n_trials: trials.value,
      objective: values.objective,
      environment,
      initial_cash: backtest.initial_cash,
      costs: backtest.costs,
      execution: backtest.execution,
      seed: seed.value,
    },
  };
}
