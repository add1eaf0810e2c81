import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Combination, Sweep, SweepReport } from "../../api/types";

const { network, json } = await vi.hoisted(async () => {
  const edge = await import("../../test/network");
  globalThis.fetch = edge.fakeFetch as typeof fetch;
  return edge;
});

import SweepResult from "./SweepResult";

// jsdom has no layout: Recharts' ResponsiveContainer only needs the observer to exist.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

function combo(fast: number, slow: number, sharpe: number): Combination {
  return {
    params: { fast, slow },
    sharpe,
    sortino: null,
    calmar: null,
    total_return_pct: null,
    max_drawdown_pct: null,
    portfolio_end: null,
    total_trades: 4,
    sr_period: sharpe / 16,
    skew: 0,
    kurtosis: 3,
    n_obs: 500,
  };
}

// The best three of a 1,000 x 1,000 grid: the listing holds only a chunk's best rows.
const ROWS = [combo(10, 50, 1.5), combo(11, 50, 1.4), combo(10, 60, 1.2)];

function bigSweep(report: Partial<SweepReport>): Sweep {
  return {
    sweep_id: "s1",
    status: "succeeded",
    job_id: "j1",
    progress: 1,
    created_at: "2026-11-30T08:00:00Z",
    n_combinations: 1_000_000,
    n_chunks: 20,
    request: {
      source: "builtin",
      symbols: ["SP500"],
      interval: "1d",
      strategy: "sma_crossover",
      initial_cash: 100_000,
      grid: { fast: { start: 1, stop: 1000, step: 1 }, slow: { start: 1, stop: 1000, step: 1 } },
      metric: "sharpe",
    },
    result: {
      n_combinations: 1_000_000,
      metric: "sharpe",
      best: ROWS[0] as Combination,
      top: ROWS,
      overfitting: {
        n_trials: 1_000_000,
        best_sharpe: 1.5,
        best_sharpe_per_period: 0.094,
        sharpe_variance_per_period: 0.0004,
        expected_max_sharpe_per_period: 0.09,
        deflated_sharpe_ratio: 0.3,
        pbo: 0.7,
        pbo_detail: { n_combinations: 2_000, combinations_sampled: true },
        likely_luck: true,
        verdict: "",
      },
      marginals: {
        fast: [
          { value: 10, count: 1000, best: 1.5, median: 0.2 },
          { value: 11, count: 1000, best: 1.4, median: 0.1 },
        ],
        slow: [{ value: 50, count: 1000, best: 1.5, median: 0.3 }],
      },
      engine: "mixed",
      engine_reason: "stop loss set",
      n_general: 50_000,
      ...report,
    },
  } as Sweep;
}

function renderSweep(sweep: Sweep) {
  network.answer = (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/sweeps/s1") return json(200, sweep);
    if (path === "/api/v1/sweeps/s1/combinations") {
      return json(200, { items: ROWS, total: ROWS.length, limit: 200, offset: 0 });
    }
    return json(404, { detail: `no route ${path}`, code: "not_found" });
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/sweeps/s1"]}>
        <Routes>
          <Route path="/sweeps/:id" element={<SweepResult />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  network.sent = [];
});

describe("the result of a sweep over a big grid", () => {
  it("names the engine, the PBO sample, the marginals and the partial heatmap", async () => {
    renderSweep(bigSweep({}));
    expect(
      await screen.findByText("Mixed: 50,000 combinations through simulate(): stop loss set"),
    ).toBeInTheDocument();
    expect(
      screen.getByText("PBO over a seeded sample of 2,000 of 1,000,000 combinations."),
    ).toBeInTheDocument();
    const marginals = screen.getByRole("region", { name: "Parameter marginals" });
    expect(
      within(marginals).getByRole("figure", { name: "Best and median Sharpe ratio by fast" }),
    ).toBeInTheDocument();
    const heatmap = screen.getByRole("region", { name: "Heatmap" });
    // the listing's total (3) is not the grid's size: the note compares with the grid
    expect(
      await within(heatmap).findByText(/^Only the best 3 of 1,000,000 combinations are shown/),
    ).toBeInTheDocument();
  });

  it("says nothing of the engine or marginals an old report lacks, beyond an empty state", async () => {
    renderSweep(
      bigSweep({
        engine: undefined,
        engine_reason: undefined,
        n_general: undefined,
        marginals: undefined,
      }),
    );
    const marginals = await screen.findByRole("region", { name: "Parameter marginals" });
    expect(within(marginals).getByText(/no parameter marginals/)).toBeInTheDocument();
    expect(screen.queryByText(/simulate\(\)|Fused kernel|General engine/)).toBeNull();
  });
});
