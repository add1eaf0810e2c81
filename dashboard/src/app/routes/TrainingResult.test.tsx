import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Training } from "../../api/types";

const { network, json } = await vi.hoisted(async () => {
  const edge = await import("../../test/network");
  globalThis.fetch = edge.fakeFetch as typeof fetch;
  return edge;
});

import { RL_CATALOGUE } from "../../features/training/fixtures";
import TrainingResult from "./TrainingResult";

// jsdom has no layout: Recharts' ResponsiveContainer only needs the observer to exist.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// A PPO training as the gateway returns it (report trimmed from a real run).
function ppoTraining(change: Partial<Training>): Training {
  return {
    training_id: "t1",
    status: "succeeded",
    job_id: "j1",
    created_at: "2026-11-30T08:49:42Z",
    model_name: "dashrl-ppo",
    model_id: "m1",
    progress: 1,
    message: "done",
    request: {
      source: "builtin",
      symbols: ["SP500"],
      start: "2012-01-01",
      end: "2016-12-31",
      interval: "1d",
      model_name: "dashrl-ppo",
      algorithm: "ppo",
      hyperparameters: { total_timesteps: 3000 },
      environment: null,
    },
    report: {
      task: "reinforcement",
      metrics: {
        oos_sharpe: 1.111,
        buy_and_hold_sharpe: 1.547,
        train_mean_episode_reward: -0.062147875,
        timesteps_per_s: 2897.12,
      },
      windows: {
        train: { start: "2012-03-14T00:00:00+00:00", end: "2016-01-15T00:00:00+00:00", bars: 967 },
        evaluation: {
          start: "2016-01-19T00:00:00+00:00",
          end: "2016-12-30T00:00:00+00:00",
          bars: 242,
        },
      },
      training: { timesteps: 3072, total_timesteps: 3000, episodes: 24, seconds: 1.06 },
      curve: [
        { timesteps: 516, episode_reward: -0.0611 },
        { timesteps: 3072, episode_reward: -0.0621 },
      ],
      device: "cpu",
    },
    ...change,
  } as Training;
}

function renderTraining(training: Training) {
  network.answer = (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/trainings/t1") return json(200, training);
    if (path === "/api/v1/algorithms") return json(200, RL_CATALOGUE);
    return json(404, { detail: `no route ${path}`, code: "not_found" });
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/train/t1"]}>
        <Routes>
          <Route path="/train/:id" element={<TrainingResult />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  network.sent = [];
});

describe("the training page for an RL agent", () => {
  it("shows timesteps and the mean episode reward while it runs, not fold stages", async () => {
    renderTraining(
      ppoTraining({
        status: "running",
        progress: 0.4,
        message: "timesteps 1,024 / 3,000 · mean episode reward -0.0534",
        report: null,
        model_id: null,
      }),
    );
    const live = await screen.findByRole("region", { name: "Training" });
    expect(await within(live).findByText("1,024 / 3,000")).toBeInTheDocument();
    expect(within(live).getByText("-0.0534")).toBeInTheDocument();
    expect(screen.queryByRole("list", { name: "Training stages" })).not.toBeInTheDocument();
  });

  it("shows the figures, the curve and the time split when done, and no folds", async () => {
    renderTraining(ppoTraining({}));
    const model = await screen.findByRole("region", { name: "Model" });
    expect(within(model).getByText("Out-of-sample Sharpe")).toBeInTheDocument();
    expect(within(model).getByText("Buy-and-hold Sharpe")).toBeInTheDocument();
    expect(within(model).getByText("-0.06215")).toBeInTheDocument();
    expect(within(model).getByText("2,897")).toBeInTheDocument();
    expect(within(model).getByText("cpu")).toBeInTheDocument();
    expect(await screen.findByRole("figure", { name: "Training curve" })).toBeInTheDocument();
    const split = screen.getByRole("region", { name: "Time split and training run" });
    expect(within(split).getByText("2016-01-19 → 2016-12-30 (242 bars)")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Validation folds" })).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
