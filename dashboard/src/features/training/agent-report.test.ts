import { describe, expect, it } from "vitest";
import {
  agentFigures,
  agentProgress,
  curveSeries,
  isAgentReport,
  trainingFacts,
  windowFacts,
} from "./agent-report";

// Trimmed from a real PPO report (builtin SP500, 3,000 timesteps).
const REPORT = {
  task: "reinforcement",
  metrics: {
    oos_sharpe: 1.111,
    oos_total_return_pct: 9.67,
    buy_and_hold_sharpe: 1.547,
    train_mean_episode_reward: -0.062147875,
    timesteps_per_s: 2897.1235583375474,
  },
  windows: {
    train: { start: "2012-03-14T00:00:00+00:00", end: "2016-01-15T00:00:00+00:00", bars: 967 },
    evaluation: {
      start: "2016-01-19T00:00:00+00:00",
      end: "2016-12-30T00:00:00+00:00",
      bars: 242,
    },
  },
  training: {
    timesteps: 3072,
    total_timesteps: 3000,
    episodes: 24,
    mean_episode_reward: -0.062147875,
    mean_episode_length: 127.0,
    timesteps_per_s: 2897.1,
    seconds: 1.06,
  },
  curve: [
    { timesteps: 548, episode_reward: -0.0611115 },
    { timesteps: 516, episode_reward: -0.05 },
    { timesteps: 1024, episode_reward: null },
    { timesteps: 3072, episode_reward: 0.0125 },
  ],
  device: "cpu",
};

describe("agentProgress", () => {
  it("reads timesteps and the mean episode reward from the job message", () => {
    expect(agentProgress("timesteps 4,096 / 20,000 · mean episode reward 0.0123")).toEqual({
      timesteps: 4096,
      total: 20000,
      meanReward: 0.0123,
    });
    expect(agentProgress("timesteps 512 / 3,000")).toEqual({ timesteps: 512, total: 3000 });
    expect(agentProgress("timesteps 1,024 / 3,000 · mean episode reward -1.5e-05")).toEqual({
      timesteps: 1024,
      total: 3000,
      meanReward: -0.000015,
    });
  });

  it("leaves other stages to be shown as they are", () => {
    expect(agentProgress("building the market")).toBeUndefined();
    expect(agentProgress("evaluating the policy on the unseen window")).toBeUndefined();
  });
});

describe("curveSeries", () => {
  it("maps report.curve to reward points in timestep order, dropping unplaceable ones", () => {
    expect(curveSeries(REPORT.curve)).toEqual([
      { timesteps: 516, reward: -0.05 },
      { timesteps: 548, reward: -0.0611115 },
      { timesteps: 3072, reward: 0.0125 },
    ]);
  });

  it("is empty for a report without a curve", () => {
    expect(curveSeries(undefined)).toEqual([]);
    expect(curveSeries({ timesteps: 1 })).toEqual([]);
  });
});

describe("an agent's figures and windows", () => {
  it("tells an agent's report from a supervised one", () => {
    expect(isAgentReport(REPORT)).toBe(true);
    expect(isAgentReport({ task: "classification" })).toBe(false);
  });

  it("shows mean episode reward to 4 significant digits, speed and device", () => {
    expect(agentFigures(REPORT)).toEqual([
      { label: "Mean episode reward", value: "-0.06215" },
      { label: "Timesteps/s", value: "2,897" },
      { label: "Device", value: "cpu" },
    ]);
  });

  it("shows both windows by day with their bars", () => {
    expect(windowFacts(REPORT.windows)).toEqual([
      { label: "Training window", value: "2012-03-14 → 2016-01-15 (967 bars)" },
      { label: "Evaluation (unseen)", value: "2016-01-19 → 2016-12-30 (242 bars)" },
    ]);
    expect(windowFacts({})).toEqual([]);
  });

  it("counts timesteps done against those asked", () => {
    expect(trainingFacts(REPORT.training)).toEqual([
      { label: "Timesteps", value: "3,072 of 3,000 asked" },
      { label: "Episodes", value: "24" },
      { label: "Mean episode length", value: "127" },
      { label: "Seconds", value: "1.06" },
    ]);
  });
});
