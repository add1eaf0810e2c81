// An RL agent's training as the trainer reports it (shared/ml/rl_pipeline.py, rl_callbacks.py):
// the live job message, the headline figures, the learning curve and the two time windows.
// The report is free-form JSON, so every read checks the shape it finds.
import { formatDate, formatValue } from "../../lib/format";
import { asRecord } from "./report";

export type AgentProgress = { timesteps: number; total: number; meanReward?: number };
export type CurvePoint = { timesteps: number; reward: number };
export type Fact = { label: string; value: string };

// "timesteps 4,096 / 20,000 · mean episode reward 0.0123" (the reward once an episode ended)
const PROGRESS = /^timesteps ([\d,]+) \/ ([\d,]+)(?: · mean episode reward (\S+))?/;
const reward = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

const count = (text: string) => Number(text.replaceAll(",", ""));
const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/** Timesteps done and the recent mean episode reward, read from a running job's message. */
export function agentProgress(message: string): AgentProgress | undefined {
  const match = PROGRESS.exec(message.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const progress: AgentProgress = { timesteps: count(match[1]), total: count(match[2]) };
  const meanReward = match[3] === undefined ? undefined : Number(match[3]);
  return meanReward !== undefined && Number.isFinite(meanReward)
    ? { ...progress, meanReward }
    : progress;
}

/** Episode rewards are small numbers of either sign: four significant digits, not two decimals. */
export function formatReward(value: number | undefined): string {
  return value === undefined ? "—" : reward.format(value);
}

export function isAgentReport(report: unknown): boolean {
  return asRecord(report).task === "reinforcement";
}

/** The learning curve (report.curve, or metadata.curve): mean episode reward against timesteps,
 * in timestep order, dropping points a chart cannot place. */
export function curveSeries(curve: unknown): CurvePoint[] {
  if (!Array.isArray(curve)) return [];
  return curve
    .flatMap((raw) => {
      const point = asRecord(raw);
      const timesteps = num(point.timesteps);
      const value = num(point.episode_reward);
      return timesteps === undefined || value === undefined ? [] : [{ timesteps, reward: value }];
    })
    .sort((a, b) => a.timesteps - b.timesteps);
}

/** Beside the out-of-sample figures: how training went and where it ran. */
export function agentFigures(report: unknown): Fact[] {
  const r = asRecord(report);
  const metrics = asRecord(r.metrics);
  const training = asRecord(r.training);
  const figures: Fact[] = [];
  const meanReward = num(metrics.train_mean_episode_reward) ?? num(training.mean_episode_reward);
  if (meanReward !== undefined) {
    figures.push({ label: "Mean episode reward", value: formatReward(meanReward) });
  }
  const speed = num(metrics.timesteps_per_s) ?? num(training.timesteps_per_s);
  if (speed !== undefined)
    figures.push({ label: "Timesteps/s", value: formatValue(speed, "count") });
  if (typeof r.device === "string") figures.push({ label: "Device", value: r.device });
  return figures;
}

function windowText(raw: unknown): string {
  const w = asRecord(raw);
  if (typeof w.start !== "string") return "—";
  const bars = num(w.bars);
  return `${formatDate(w.start)} → ${formatDate(typeof w.end === "string" ? w.end : null)}${
    bars === undefined ? "" : ` (${formatValue(bars, "count")} bars)`
  }`;
}

/** The training and evaluation windows ({train, evaluation}: report.windows or metadata's
 * validation), the agent never having seen the second. */
export function windowFacts(windows: unknown): Fact[] {
  const w = asRecord(windows);
  if (!("train" in w) && !("evaluation" in w)) return [];
  return [
    { label: "Training window", value: windowText(w.train) },
    { label: "Evaluation (unseen)", value: windowText(w.evaluation) },
  ];
}

/** Timesteps, episodes and time spent (report.training, or metadata.training). */
export function trainingFacts(training: unknown): Fact[] {
  const t = asRecord(training);
  const timesteps = num(t.timesteps);
  const total = num(t.total_timesteps);
  if (timesteps === undefined) return [];
  return [
    {
      label: "Timesteps",
      value: `${formatValue(timesteps, "count")}${total === undefined ? "" : ` of ${formatValue(total, "count")} asked`}`,
    },
    { label: "Episodes", value: formatValue(num(t.episodes), "count") },
    { label: "Mean episode length", value: formatValue(num(t.mean_episode_length), "ratio") },
    { label: "Seconds", value: formatValue(num(t.seconds), "ratio") },
  ];
}
