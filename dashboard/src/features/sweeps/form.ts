// The sweep form's values and their check: the strategy's grid and the objective here, the market,
// costs and execution through the simulation form's shared check.
import type { Strategy, SweepRequest } from "../../api/types";
import type { Unit } from "../../lib/format";
import {
  type BacktestFieldName,
  type BacktestValues,
  INITIAL_BACKTEST,
  checkBacktest,
} from "../simulations/form";
import { type GridInput, MAX_COMBINATIONS, combinationCount, initialGrid, parseGrid } from "./grid";

export const METRICS = {
  sharpe: "Sharpe ratio",
  sortino: "Sortino ratio",
  calmar: "Calmar ratio",
  total_return_pct: "Total return",
} as const satisfies Record<SweepRequest["metric"] & string, string>;

export type Metric = keyof typeof METRICS;

export const metricUnit = (metric: Metric): Unit =>
  metric === "total_return_pct" ? "pct" : "ratio";

export type SweepValues = BacktestValues & {
  strategy: string;
  metric: Metric;
  grid: Record<string, GridInput>;
};

export type SweepFieldName = BacktestFieldName | "strategy" | "metric" | "grid" | `grid.${string}`;
export type SweepErrors = Partial<Record<SweepFieldName, string>>;

export type SweepChecked = { ok: true; request: SweepRequest } | { ok: false; errors: SweepErrors };

/** Strategies with something to sweep (buy and hold has no parameters). */
export function sweepable(strategies: Strategy[]): Strategy[] {
  return strategies.filter((s) => Object.keys(s.params).length > 0);
}

/** The first two parameters start as ranges around their defaults, the others fixed. */
export function initialGrids(strategy: Strategy | undefined): Record<string, GridInput> {
  if (!strategy) return {};
  return Object.fromEntries(
    Object.entries(strategy.params).map(([name, spec], i) => [name, initialGrid(spec, i < 2)]),
  );
}

export function initialSweepValues(strategy: Strategy | undefined): SweepValues {
  return {
    ...INITIAL_BACKTEST,
    strategy: strategy?.name ?? "",
    metric: "sharpe",
    grid: initialGrids(strategy),
  };
}

/** Combinations the grid holds as typed now, or undefined while a parameter is invalid. */
export function liveCount(values: SweepValues, strategy: Strategy | undefined): number | undefined {
  if (!strategy) return undefined;
  return combinationCount(
    Object.entries(strategy.params).map(([name, spec]) =>
      parseGrid(name, spec, values.grid[name] ?? initialGrid(spec, false)),
    ),
  );
}

/** Every problem with the form, or the sweep request to send. */
export function checkSweep(
  values: SweepValues,
  strategies: Strategy[],
  knownSymbols: readonly string[] = [],
): SweepChecked {
  const errors: SweepErrors = {};
  const strategy = strategies.find((s) => s.name === values.strategy);
  const params: Record<string, number> = {};
  const grid: SweepRequest["grid"] = {};
  let count = 1;
  if (!strategy) {
    errors.strategy = "Choose a strategy.";
  } else {
    for (const [name, spec] of Object.entries(strategy.params)) {
      const parsed = parseGrid(name, spec, values.grid[name] ?? initialGrid(spec, false));
      if (!parsed.ok) errors[`grid.${name}`] = parsed.error;
      else if ("fixed" in parsed) params[name] = parsed.fixed;
      else {
        grid[name] = parsed.grid;
        count *= parsed.count;
      }
    }
    const allValid = !Object.keys(errors).some((k) => k.startsWith("grid."));
    if (allValid && Object.keys(grid).length === 0) {
      errors.grid = "Sweep at least one parameter: give it a range or a list of values.";
    } else if (allValid && count > MAX_COMBINATIONS) {
      errors.grid = `The grid has ${count.toLocaleString("en-US")} combinations; the limit is ${MAX_COMBINATIONS.toLocaleString("en-US")}: use fewer values or larger steps.`;
    }
  }
  if (!(values.metric in METRICS)) errors.metric = "Choose the metric to rank by.";
  const backtest = checkBacktest(values, errors, knownSymbols);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      strategy: values.strategy,
      params,
      grid,
      metric: values.metric,
      ...backtest,
    } as SweepRequest,
  };
}
