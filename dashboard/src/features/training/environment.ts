// An RL agent's trading environment in the training form (the API's EnvironmentIn): how it acts,
// how its reward is penalised, and where the unseen evaluation window starts. Checked against the
// schema's bounds; the action kinds follow trainer/rl_plan.py (dqn discrete only, sac continuous).
import type { Algorithm, EnvironmentRequest } from "../../api/types";
import { outside, parseNumber } from "../simulations/form";

export type ActionKind = "discrete" | "continuous";
export type EvalBy = "share" | "start";

export type EnvironmentValues = {
  action: ActionKind;
  episodeBars: string;
  drawdownPenalty: string;
  turnoverPenalty: string;
  evalBy: EvalBy;
  evalShare: string;
  evalStart: string;
};

export type EnvironmentField =
  | "environment.action"
  | "environment.episode_bars"
  | "environment.drawdown_penalty"
  | "environment.turnover_penalty"
  | "environment.eval_share"
  | "environment.eval_start";

export type EnvironmentErrors = Partial<Record<EnvironmentField, string>>;

export const REINFORCEMENT = "reinforcement";

// The API's default share held out when the window is given by share (EnvironmentIn.eval_share).
const DEFAULT_EVAL_SHARE = 0.2;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isReinforcement(algorithm: Pick<Algorithm, "tasks"> | undefined): boolean {
  return algorithm?.tasks.includes(REINFORCEMENT) ?? false;
}

/** The action kinds an agent can take: dqn picks one of short/flat/long, sac sets weights. */
export function actionKinds(algorithm: string): ActionKind[] {
  if (algorithm === "dqn") return ["discrete"];
  if (algorithm === "sac") return ["continuous"];
  return ["discrete", "continuous"];
}

/** What the API picks when the action is left out: continuous for sac, discrete for the rest. */
export function defaultAction(algorithm: string): ActionKind {
  return algorithm === "sac" ? "continuous" : "discrete";
}

export function initialEnvironment(algorithm: string): EnvironmentValues {
  return {
    action: defaultAction(algorithm),
    episodeBars: "256",
    drawdownPenalty: "0",
    turnoverPenalty: "0",
    evalBy: "share",
    evalShare: String(DEFAULT_EVAL_SHARE),
    evalStart: "",
  };
}

type Bounds = { label: string; integer?: boolean; min?: number; max?: number; above?: number };

function checked(
  text: string,
  { label, integer, ...range }: Bounds & { below?: number },
  errors: EnvironmentErrors,
  field: EnvironmentField,
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

function isDay(text: string): boolean {
  if (!DATE.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

/** The environment block to send, with every problem filed under its API field name. The
 * market's start and end bound the evaluation start (it must leave bars on both sides). */
export function checkEnvironment(
  values: EnvironmentValues,
  algorithm: string,
  market: { start: string; end: string },
  errors: EnvironmentErrors,
): EnvironmentRequest {
  if (!actionKinds(algorithm).includes(values.action)) {
    errors["environment.action"] = `${algorithm} cannot act in ${values.action} actions.`;
  }
  const episodeBars = checked(
    values.episodeBars,
    { label: "Episode bars", integer: true, min: 2, max: 100_000 },
    errors,
    "environment.episode_bars",
  );
  const penalty = (text: string, label: string, field: EnvironmentField) =>
    checked(text, { label, min: 0, max: 100 }, errors, field);
  const drawdown = penalty(
    values.drawdownPenalty,
    "Drawdown penalty",
    "environment.drawdown_penalty",
  );
  const turnover = penalty(
    values.turnoverPenalty,
    "Turnover penalty",
    "environment.turnover_penalty",
  );
  const byShare = values.evalBy === "share";
  const share = byShare
    ? checked(
        values.evalShare,
        { label: "Evaluation share", above: 0, below: 1 },
        errors,
        "environment.eval_share",
      )
    : DEFAULT_EVAL_SHARE; // ignored by the API once eval_start is given
  if (!byShare) {
    const start = values.evalStart.trim();
    if (!isDay(start)) errors["environment.eval_start"] = "Use a date as YYYY-MM-DD.";
    else if ((market.start && start <= market.start) || (market.end && start >= market.end)) {
      errors["environment.eval_start"] =
        "The evaluation must start after the data's start and before its end.";
    }
  }
  return {
    action: values.action,
    episode_bars: episodeBars,
    drawdown_penalty: drawdown,
    turnover_penalty: turnover,
    eval_share: share,
    eval_start: byShare ? null : values.evalStart.trim(),
  };
}
