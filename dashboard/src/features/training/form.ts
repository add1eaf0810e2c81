// The training form's values, checked before anything is sent against the ranges the API
// declares (TrainingRequest, TargetIn, ValidationIn, DecisionIn, each algorithm's params).
import type {
  Algorithm,
  AlgorithmsCatalogue,
  FeatureSpec,
  TrainingRequest,
  TrainingTarget,
  TrainingValidation,
} from "../../api/types";
import { type Range, checkMarket, outside, parseNumber } from "../simulations/form";
import {
  type EnvironmentErrors,
  type EnvironmentField,
  type EnvironmentValues,
  checkEnvironment,
  initialEnvironment,
  isReinforcement,
} from "./environment";
import { type HyperValue, type ParamValue, checkParam, defaultValues } from "./hyperparams";

export type TrainingFormValues = {
  algorithm: string;
  hyperparameters: Record<string, ParamValue>;
  source: string;
  symbols: string;
  start: string;
  end: string;
  interval: string;
  modelName: string;
  features: string[];
  targetKind: TrainingTarget["kind"];
  horizon: string;
  deadZone: string;
  method: TrainingValidation["method"];
  folds: string;
  window: TrainingValidation["window"];
  trainBars: string;
  embargo: string;
  minTrainBars: string;
  longAbove: string;
  shortBelow: string;
  minAbsReturn: string;
  initialCash: string;
  seed: string;
  device: TrainingRequest["device"];
  /** RL agents only; sent instead of target, validation and decision */
  environment: EnvironmentValues;
};

/** Field names as the API names them, so that a 422's `field` lands on the same input. */
export type TrainingField =
  | "algorithm"
  | `hyperparameters.${string}`
  | "source"
  | "symbols"
  | "start"
  | "end"
  | "interval"
  | "model_name"
  | "features"
  | "target.kind"
  | "target.horizon"
  | "target.dead_zone"
  | "validation.method"
  | "validation.n_folds"
  | "validation.window"
  | "validation.train_bars"
  | "validation.embargo_bars"
  | "validation.min_train_bars"
  | "decision.long_above"
  | "decision.short_below"
  | "decision.min_abs_return"
  | "initial_cash"
  | "seed"
  | "device"
  | EnvironmentField;

export type TrainingErrors = Partial<Record<TrainingField, string>> & EnvironmentErrors;
export type TrainingChecked =
  | { ok: true; request: TrainingRequest }
  | { ok: false; errors: TrainingErrors };

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_SEED = 2 ** 31 - 1;

/** The target kinds an algorithm can learn: a classifier predicts direction, a regressor return. */
export function targetKinds(algorithm: Algorithm | undefined): TrainingTarget["kind"][] {
  const kinds: TrainingTarget["kind"][] = [];
  if (algorithm?.tasks.includes("classification")) kinds.push("direction");
  if (algorithm?.tasks.includes("regression")) kinds.push("return");
  return kinds;
}

export function suggestedModelName(algorithm: string, symbols: string): string {
  const first = symbols.split(/[\s,]+/).find(Boolean) ?? "model";
  return `${algorithm}-${first}`.toLowerCase().replace(/[^a-z0-9_.-]/g, "-");
}

/** The form as the API's defaults would fill it, for the first algorithm in the catalogue. */
export function initialTrainingValues(catalogue: AlgorithmsCatalogue): TrainingFormValues {
  const algorithm = catalogue.items[0];
  const name = algorithm?.name ?? "";
  return {
    algorithm: name,
    hyperparameters: algorithm ? defaultValues(algorithm.params) : {},
    source: "builtin",
    symbols: "SP500",
    start: "2012-01-01",
    end: "2016-12-31",
    interval: "1d",
    modelName: suggestedModelName(name, "SP500"),
    features: defaultKinds(catalogue.default_features),
    targetKind: targetKinds(algorithm)[0] ?? "direction",
    horizon: "1",
    deadZone: "0",
    method: "walk_forward",
    folds: "5",
    window: "expanding",
    trainBars: "",
    embargo: "0",
    minTrainBars: "50",
    longAbove: "0.55",
    shortBelow: "0.45",
    minAbsReturn: "0",
    initialCash: "100000",
    seed: "42",
    device: "auto",
    environment: initialEnvironment(name),
  };
}

/** The form after picking another algorithm: its own defaults, and a target it can learn. */
export function withAlgorithm(
  values: TrainingFormValues,
  algorithm: Algorithm,
): TrainingFormValues {
  const kinds = targetKinds(algorithm);
  return {
    ...values,
    algorithm: algorithm.name,
    hyperparameters: defaultValues(algorithm.params),
    targetKind: kinds.includes(values.targetKind) ? values.targetKind : (kinds[0] ?? "direction"),
    device: algorithm.supports_cuda ? values.device : "auto",
    // each agent starts from the action kind the API would pick for it
    environment: { ...values.environment, action: initialEnvironment(algorithm.name).action },
  };
}

function defaultKinds(defaults: readonly FeatureSpec[]): string[] {
  return [...new Set(defaults.map((f) => f.kind))];
}

/** The pipeline for the checked kinds: the default set's entries of a kind (several periods or
 * lags), or else one entry with the kind's declared defaults. */
export function featuresFor(
  kinds: readonly string[],
  catalogue: AlgorithmsCatalogue,
): FeatureSpec[] {
  return catalogue.feature_kinds
    .filter((k) => kinds.includes(k.kind))
    .flatMap((k) => {
      const preset = catalogue.default_features.filter((f) => f.kind === k.kind);
      if (preset.length > 0) return preset;
      const params = Object.fromEntries(k.params.map((p) => [p.name, Number(p.default)]));
      return [{ kind: k.kind, params }];
    });
}

/** Every problem with the form, or the request to send. */
export function checkTraining(
  values: TrainingFormValues,
  catalogue: AlgorithmsCatalogue,
  knownSymbols: readonly string[] = [],
): TrainingChecked {
  const errors: TrainingErrors = {};
  const algorithm = catalogue.items.find((a) => a.name === values.algorithm);
  const hyperparameters: Record<string, HyperValue> = {};
  if (!algorithm) errors.algorithm = "Choose an algorithm.";
  for (const param of algorithm?.params ?? []) {
    const result = checkParam(param, values.hyperparameters[param.name]);
    if (result.ok) hyperparameters[param.name] = result.value;
    else errors[`hyperparameters.${param.name}`] = result.message;
  }

  const symbols = checkMarket(values, knownSymbols, errors);
  if (!MODEL_NAME.test(values.modelName)) {
    errors.model_name =
      "Up to 64 letters, digits and _ . - (starting with a letter or digit), e.g. rf-sp500.";
  }
  if (values.features.length === 0) errors.features = "Pick at least one feature.";
  const num = (text: string, spec: NumberSpec, field: TrainingField) =>
    checkNumber(text, spec, errors, field);
  const cash = num(
    values.initialCash,
    { label: "Initial cash", above: 0, max: 1e12 },
    "initial_cash",
  );
  const seed = num(values.seed, { label: "Seed", integer: true, min: 0, max: MAX_SEED }, "seed");
  // An agent is refused a target, validation or decision (rl_plan.py): it gets an environment.
  const task = isReinforcement(algorithm)
    ? {
        environment: checkEnvironment(values.environment, values.algorithm, values, errors),
      }
    : checkSupervised(values, algorithm, errors);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      source: values.source,
      symbols,
      start: values.start || null,
      end: values.end || null,
      interval: values.interval,
      model_name: values.modelName,
      algorithm: values.algorithm,
      hyperparameters,
      features: featuresFor(values.features, catalogue),
      ...task,
      initial_cash: cash,
      seed,
      device: values.device,
    },
  };
}

type SupervisedParts = Pick<TrainingRequest, "target" | "validation" | "decision">;

/** A supervised model's target, validation scheme and decision rule. */
function checkSupervised(
  values: TrainingFormValues,
  algorithm: Algorithm | undefined,
  errors: TrainingErrors,
): SupervisedParts {
  if (algorithm && !targetKinds(algorithm).includes(values.targetKind)) {
    errors["target.kind"] = `${algorithm.name} cannot predict ${values.targetKind}.`;
  }
  const num = (text: string, spec: NumberSpec, field: TrainingField) =>
    checkNumber(text, spec, errors, field);
  const horizon = num(
    values.horizon,
    { label: "Horizon", integer: true, min: 1, max: 250 },
    "target.horizon",
  );
  const deadZone = num(
    values.deadZone,
    { label: "Dead zone", min: 0, below: 1 },
    "target.dead_zone",
  );
  const folds = num(
    values.folds,
    { label: "Folds", integer: true, min: 2, max: 20 },
    "validation.n_folds",
  );
  const embargo = num(
    values.embargo,
    { label: "Embargo", integer: true, min: 0, max: 500 },
    "validation.embargo_bars",
  );
  const minTrain = num(
    values.minTrainBars,
    { label: "Minimum training bars", integer: true, min: 10 },
    "validation.min_train_bars",
  );
  const trainBars =
    values.window === "rolling"
      ? num(
          values.trainBars,
          { label: "Training window", integer: true, min: 10 },
          "validation.train_bars",
        )
      : null;
  const longAbove = num(
    values.longAbove,
    { label: "Long above", min: 0, max: 1 },
    "decision.long_above",
  );
  const shortBelow = num(
    values.shortBelow,
    { label: "Short below", min: 0, max: 1 },
    "decision.short_below",
  );
  const minAbsReturn = num(
    values.minAbsReturn,
    { label: "Minimum |return|", min: 0 },
    "decision.min_abs_return",
  );
  if (!errors["decision.long_above"] && !errors["decision.short_below"] && shortBelow > longAbove) {
    errors["decision.short_below"] = "Short below must not be above long above.";
  }
  return {
    target: { kind: values.targetKind, horizon, dead_zone: deadZone },
    validation: {
      method: values.method,
      n_folds: folds,
      window: values.window,
      train_bars: trainBars,
      embargo_bars: embargo,
      min_train_bars: minTrain,
    },
    decision: {
      long_above: longAbove,
      short_below: shortBelow,
      min_abs_return: minAbsReturn,
      scale: null,
    },
  };
}

type NumberSpec = Range & { label: string; integer?: boolean };

function checkNumber(
  text: string,
  { label, integer, ...range }: NumberSpec,
  errors: TrainingErrors,
  field: TrainingField,
): number {
  const value = parseNumber(text);
  const problem =
    value === undefined
      ? `${label} must be a number.`
      : integer && !Number.isInteger(value)
        ? `${label} must be a whole number.`
        : outside(value, range, label);
  if (problem) errors[field] = problem;
  return value ?? Number.NaN;
}
