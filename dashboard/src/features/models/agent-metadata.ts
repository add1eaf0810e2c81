// An RL agent's metadata.json (trainer/rl_plan.py rl_model_metadata): the environment it acts in
// and how its time was split, in place of a supervised model's target and validation folds.
import { type Fact, type Metadata, plain } from "./metadata";

export const REINFORCEMENT = "reinforcement";

export function isAgent(task: string | undefined, meta: Metadata): boolean {
  return task === REINFORCEMENT || meta.task === REINFORCEMENT;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

const ACTIONS: Record<string, string> = {
  discrete: "discrete (short / flat / long)",
  continuous: "continuous (target weights)",
};

/** How the agent acts and what its reward is charged for (environment.json, scaler left out). */
export function environmentFacts(meta: Metadata): Fact[] {
  const env = record(meta.environment);
  if (Object.keys(env).length === 0) return [];
  const action = typeof env.action === "string" ? (ACTIONS[env.action] ?? env.action) : undefined;
  return [
    { label: "Action", value: plain(action) },
    { label: "Shorting", value: env.allow_short === true ? "allowed" : "long only" },
    { label: "Episode bars", value: plain(env.episode_bars) },
    { label: "Position size", value: plain(env.position_size) },
    { label: "Drawdown penalty", value: plain(env.drawdown_penalty) },
    { label: "Turnover penalty", value: plain(env.turnover_penalty) },
  ];
}

/** How the evaluation window was chosen: a start date, else the latest share of the bars. */
export function evaluationSplitFacts(meta: Metadata): Fact[] {
  const validation = record(meta.validation);
  if (Object.keys(validation).length === 0) return [];
  const start = validation.eval_start;
  return [
    { label: "Method", value: plain(validation.method) },
    typeof start === "string" && start
      ? { label: "Evaluation from", value: plain(start) }
      : { label: "Evaluation share", value: plain(validation.eval_share) },
  ];
}
