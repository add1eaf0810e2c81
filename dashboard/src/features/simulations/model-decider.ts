// A trained model as the simulation's decider: its decision-rule thresholds (the simulator's
// ModelDecider.params and shared/ml/decisions.py) and the form's defaults for it.
import type { Model } from "../../api/types";

export type ModelChoice = Pick<
  Model,
  "id" | "name" | "version" | "algorithm" | "task" | "symbols" | "source" | "trained_to"
> & { trained_from?: string | null };

type Threshold = { name: string; min: number; max?: number; description: string };

/** Whether the model is an RL agent: it acts by its policy, with no thresholds to set. */
export function isAgentTask(task: string): boolean {
  return task === "reinforcement";
}

/** The thresholds a model's rule takes; each is optional (left out, the model's own applies).
 * An agent has none: the simulator's policy decider takes no parameters. */
export function decisionThresholds(task: string): Threshold[] {
  if (isAgentTask(task)) return [];
  return task === "regression"
    ? [
        { name: "min_abs_return", min: 0, description: "act when |predicted return| > this" },
        { name: "scale", min: 0, description: "0: the sign; else clip(prediction / scale)" },
      ]
    : [
        { name: "long_above", min: 0, max: 1, description: "long when P(up) ≥ this" },
        { name: "short_below", min: 0, max: 1, description: "short when P(up) ≤ this" },
      ];
}

export type DecisionCheck = { params: Record<string, number>; errors: Record<string, string> };

/** The thresholds given (blank ones left to the model), or a message per bad field. */
export function checkDecision(task: string, given: Record<string, string>): DecisionCheck {
  const params: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const t of decisionThresholds(task)) {
    const text = (given[t.name] ?? "").trim();
    if (text === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value)) errors[t.name] = `${t.name} must be a number, or blank.`;
    else if (value < t.min || (t.max !== undefined && value > t.max)) {
      errors[t.name] =
        t.max === undefined
          ? `${t.name} must be at least ${t.min}.`
          : `${t.name} must be between ${t.min} and ${t.max}.`;
    } else params[t.name] = value;
  }
  const { long_above: long, short_below: short } = params;
  if (long !== undefined && short !== undefined && short > long) {
    errors.short_below = "short_below must not exceed long_above (between them means flat).";
  }
  return { params, errors };
}

/** The day after training ends: from there on, the model has seen none of the bars. */
export function dayAfter(iso: string | null | undefined): string {
  if (!iso) return "";
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return "";
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

export function modelLabel(model: ModelChoice): string {
  return `${model.name} v${model.version} (${model.algorithm}, ${model.task})`;
}
