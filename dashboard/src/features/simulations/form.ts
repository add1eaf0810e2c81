// The simulation form's values, checked here before anything is sent: the same limits the API
// enforces (SimulationRequest, CostModel, ExecutionOptions), with messages that say the fix.
// The market, costs and execution part is shared with the sweep form (`checkBacktest`).
import type { SimulationRequest, Strategy, StrategyParam } from "../../api/types";
import { type ModelChoice, checkDecision, dayAfter } from "./model-decider";

/** What every backtest asks besides its strategy: the market, the costs and the execution. */
export type BacktestValues = {
  source: string;
  symbols: string;
  start: string;
  end: string;
  initialCash: string;
  commissionRate: string;
  slippageBps: string;
  spreadBps: string;
  fill: "next_open" | "close";
  positionSize: string;
  allowShort: boolean;
  stopLoss: string;
  takeProfit: string;
};

export type FormValues = BacktestValues & {
  /** what decides: a built-in strategy, or a trained model (SimulationRequest.model_id) */
  decider: "strategy" | "model";
  strategy: string;
  model: string;
  params: Record<string, string>;
};

/** The backtest fields as the API names them, so that a 422's `field` lands on the same input. */
export type BacktestFieldName =
  | "source"
  | "symbols"
  | "start"
  | "end"
  | "initial_cash"
  | "costs.commission_rate"
  | "costs.slippage_bps"
  | "costs.spread_bps"
  | "execution.position_size"
  | "execution.stop_loss"
  | "execution.take_profit";

export type FieldName = "strategy" | "model_id" | `params.${string}` | BacktestFieldName;

export type FieldErrors = Partial<Record<FieldName, string>>;

/** The request's market, costs and execution, once every one of those fields is valid. */
export type BacktestRequest = Pick<
  SimulationRequest,
  "source" | "symbols" | "start" | "end" | "initial_cash" | "costs" | "execution"
>;

export type Checked = { ok: true; request: SimulationRequest } | { ok: false; errors: FieldErrors };

export const INITIAL_BACKTEST: BacktestValues = {
  source: "builtin",
  symbols: "SP500",
  start: "2010-01-01",
  end: "2018-12-31",
  initialCash: "100000",
  commissionRate: "0.0005",
  slippageBps: "2",
  spreadBps: "0",
  fill: "next_open",
  positionSize: "1",
  allowShort: false,
  stopLoss: "",
  takeProfit: "",
};

export function initialValues(strategy?: Strategy, model?: ModelChoice): FormValues {
  const values: FormValues = {
    ...INITIAL_BACKTEST,
    decider: "strategy",
    strategy: strategy?.name ?? "",
    model: "",
    params: strategy ? defaultParams(strategy) : {},
  };
  if (!model) return values;
  // A model's own market, from the day after its training data ends (bars it never saw) to the
  // latest bar; its decision thresholds start blank, so its trained rule applies.
  return {
    ...values,
    decider: "model",
    model: model.id,
    params: {},
    source: model.source,
    symbols: model.symbols.join(", "),
    start: dayAfter(model.trained_to) || values.start,
    end: "",
  };
}

export function defaultParams(strategy: Strategy): Record<string, string> {
  return Object.fromEntries(
    Object.entries(strategy.params).map(([name, spec]) => [name, String(spec.default)]),
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SYMBOL = /^[A-Za-z0-9._^=-]{1,32}$/;

export function splitSymbols(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Why one value of a strategy parameter is not allowed, or undefined when it is. */
export function paramProblem(name: string, spec: StrategyParam, value: number | undefined) {
  if (value === undefined) return `${name} must be a number (default ${spec.default}).`;
  if (spec.integer && !Number.isInteger(value)) return `${name} must be a whole number.`;
  if (value < spec.min || value > spec.max) {
    return `${name} must be between ${spec.min} and ${spec.max}.`;
  }
  return undefined;
}

/** Every problem with the form, or the request to send. */
export function check(
  values: FormValues,
  strategies: Strategy[],
  knownSymbols: readonly string[] = [],
  models: readonly ModelChoice[] = [],
): Checked {
  const errors: FieldErrors = {};
  const strategy = strategies.find((s) => s.name === values.strategy);
  const params: Record<string, number> = {};
  if (values.decider === "model") {
    const model = models.find((m) => m.id === values.model);
    if (!model) errors.model_id = "Choose a trained model.";
    else {
      const decision = checkDecision(model.task, values.params);
      Object.assign(params, decision.params);
      for (const [name, problem] of Object.entries(decision.errors)) {
        errors[`params.${name}`] = problem;
      }
    }
  } else if (!strategy) {
    errors.strategy = "Choose a strategy.";
  } else {
    for (const [name, spec] of Object.entries(strategy.params)) {
      const value = parseNumber(values.params[name] ?? "");
      const problem = paramProblem(name, spec, value);
      if (problem) errors[`params.${name}`] = problem;
      else if (value !== undefined) params[name] = value;
    }
  }
  const backtest = checkBacktest(values, errors, knownSymbols);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      ...(values.decider === "model" ? { model_id: values.model } : { strategy: values.strategy }),
      params,
      ...backtest,
    } as SimulationRequest,
  };
}

/**
 * The market, costs and execution of a backtest; each problem is written into `errors` under the
 * API's field name (the result is only meaningful when none was).
 */
export function checkBacktest(
  values: BacktestValues,
  errors: Partial<Record<BacktestFieldName, string>>,
  knownSymbols: readonly string[] = [],
): BacktestRequest {
  const symbols = checkMarket(values, knownSymbols, errors);

  const cash = bounded(
    values.initialCash,
    { above: 0, max: 1e12 },
    "Initial cash",
    errors,
    "initial_cash",
  );
  const commission = bounded(
    values.commissionRate,
    { min: 0, below: 1 },
    "Commission rate",
    errors,
    "costs.commission_rate",
  );
  const slippage = bounded(
    values.slippageBps,
    { min: 0, max: 10_000 },
    "Slippage",
    errors,
    "costs.slippage_bps",
  );
  const spread = bounded(
    values.spreadBps,
    { min: 0, max: 10_000 },
    "Spread",
    errors,
    "costs.spread_bps",
  );
  const size = bounded(
    values.positionSize,
    { above: 0, max: 10 },
    "Position size",
    errors,
    "execution.position_size",
  );
  const stopLoss = optional(
    values.stopLoss,
    { above: 0, below: 1 },
    "Stop loss",
    errors,
    "execution.stop_loss",
  );
  const takeProfit = optional(
    values.takeProfit,
    { above: 0 },
    "Take profit",
    errors,
    "execution.take_profit",
  );

  return {
    source: values.source,
    symbols,
    start: values.start || null,
    end: values.end || null,
    initial_cash: cash,
    costs: { commission_rate: commission, slippage_bps: slippage, spread_bps: spread },
    execution: {
      fill: values.fill,
      position_size: size,
      allow_short: values.allowShort,
      stop_loss: stopLoss ?? null,
      take_profit: takeProfit ?? null,
    },
  } as BacktestRequest;
}

export type MarketValues = Pick<FormValues, "source" | "symbols" | "start" | "end">;
export type MarketErrors = Partial<Record<"symbols" | "start" | "end", string>>;

/** The symbols and date range checked as the API does them; every form that picks market data
 * (simulations, trainings) shares these messages. Returns the symbols as a list. */
export function checkMarket(
  values: MarketValues,
  knownSymbols: readonly string[],
  errors: MarketErrors,
): string[] {
  const symbols = splitSymbols(values.symbols);
  const bad = symbols.find((s) => !SYMBOL.test(s));
  const unknown = knownSymbols.length ? symbols.find((s) => !knownSymbols.includes(s)) : undefined;
  if (symbols.length === 0) errors.symbols = "Give at least one symbol, e.g. SP500.";
  else if (bad) errors.symbols = `"${bad}" is not a symbol: letters, digits and . _ ^ = - only.`;
  else if (unknown)
    errors.symbols = `${unknown} is not a symbol of ${values.source}; pick one from the list.`;

  for (const field of ["start", "end"] as const) {
    if (values[field] && !isDate(values[field])) errors[field] = "Use a date as YYYY-MM-DD.";
  }
  if (!errors.start && !errors.end && values.start && values.end && values.start >= values.end) {
    errors.end = "The end must come after the start.";
  }
  return symbols;
}

export type Range = { min?: number; max?: number; above?: number; below?: number };

type BacktestErrors = Partial<Record<BacktestFieldName, string>>;

function bounded(
  text: string,
  range: Range,
  label: string,
  errors: BacktestErrors,
  field: BacktestFieldName,
): number {
  const value = parseNumber(text);
  const problem = value === undefined ? `${label} must be a number.` : outside(value, range, label);
  if (problem) errors[field] = problem;
  return value ?? Number.NaN;
}

function optional(
  text: string,
  range: Range,
  label: string,
  errors: BacktestErrors,
  field: BacktestFieldName,
): number | undefined {
  return text.trim() === "" ? undefined : bounded(text, range, label, errors, field);
}

export function outside(
  value: number,
  { min, max, above, below }: Range,
  label: string,
): string | undefined {
  if (min !== undefined && value < min) return `${label} must be at least ${min}.`;
  if (above !== undefined && value <= above) return `${label} must be above ${above}.`;
  if (max !== undefined && value > max) return `${label} must be at most ${max}.`;
  if (below !== undefined && value >= below) return `${label} must be below ${below}.`;
  return undefined;
}

export function parseNumber(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function isDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
