// Test data shaped like the demo model the running platform registers (trimmed).
import type { Model, ModelDetail } from "../../api/types";

export function model(overrides: Partial<Model> = {}): Model {
  return {
    id: "m1",
    name: "demo-xgboost-sp500",
    version: 1,
    status: "ready",
    stage: "none",
    tags: [],
    note: "",
    framework: "xgboost",
    algorithm: "xgboost",
    task: "classification",
    symbols: ["SP500"],
    source: "builtin",
    interval: "1d",
    trained_from: "2010-03-16T00:00:00Z",
    trained_to: "2016-12-29T00:00:00Z",
    metrics: { oos_sharpe: 0.10753, oos_total_return_pct: 3.19534, validation_accuracy: 0.5051 },
    checksum: "sha256:3076",
    created_at: "2026-11-30T07:33:11Z",
    updated_at: "2026-11-30T07:33:11Z",
    training_id: null,
    owner: null,
    model_name: "demo-xgboost-sp500",
    trained_on: "2026-11-30T07:33:11Z",
    ...overrides,
  };
}

export function detail(overrides: Partial<ModelDetail> = {}): ModelDetail {
  return { ...model(), metadata: {}, ...overrides };
}

/** A PPO agent as the running platform registered it (metadata.json trimmed, scaler left out). */
export function agentDetail(): ModelDetail {
  return detail({
    id: "a1",
    name: "dashrl-ppo",
    framework: "stable-baselines3",
    algorithm: "ppo",
    task: "reinforcement",
    trained_from: "2012-03-14T00:00:00Z",
    trained_to: "2016-01-15T00:00:00Z",
    metrics: { oos_sharpe: 1.111, train_mean_episode_reward: -0.062147875 },
    metadata: {
      task: "reinforcement",
      algorithm: "ppo",
      metrics: {
        oos_sharpe: 1.111,
        train_mean_episode_reward: -0.062147875,
        timesteps_per_s: 2897.12,
      },
      hyperparameters: { total_timesteps: 3000, n_envs: 4 },
      validation: {
        method: "holdout",
        train: { start: "2012-03-14T00:00:00+00:00", end: "2016-01-15T00:00:00+00:00", bars: 967 },
        evaluation: {
          start: "2016-01-19T00:00:00+00:00",
          end: "2016-12-30T00:00:00+00:00",
          bars: 242,
        },
        eval_share: 0.2,
        eval_start: null,
      },
      environment: {
        environment_version: 1,
        symbols: ["SP500"],
        action: "discrete",
        allow_short: false,
        episode_bars: 128,
        position_size: 1.0,
        drawdown_penalty: 0.0,
        turnover_penalty: 0.5,
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
        { timesteps: 516, episode_reward: -0.0611 },
        { timesteps: 3072, episode_reward: -0.0621 },
      ],
      backtest: {
        start: "2016-01-19T00:00:00+00:00",
        end: "2016-12-30T00:00:00+00:00",
        bars: 242,
        model: { sharpe: 1.111, total_return_pct: 9.67, total_trades: 29 },
        buy_and_hold: { sharpe: 1.547, total_return_pct: 19.15 },
        policy: "deterministic",
        walk_forward: true,
      },
      device: "cpu",
    },
  });
}
