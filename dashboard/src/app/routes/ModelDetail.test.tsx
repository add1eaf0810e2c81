import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelDetail as Detail } from "../../api/types";

const { network, json } = await vi.hoisted(async () => {
  const edge = await import("../../test/network");
  globalThis.fetch = edge.fakeFetch as typeof fetch;
  return edge;
});

import { agentDetail, detail } from "../../features/models/fixtures";
import ModelDetail from "./ModelDetail";

// jsdom has no layout: Recharts' ResponsiveContainer only needs the observer to exist.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

function answerWith(model: Detail) {
  network.answer = (request) => {
    const path = new URL(request.url).pathname;
    if (path === `/api/v1/models/${model.id}`) return json(200, model);
    if (path === `/api/v1/models/${model.id}/versions`) return json(200, { items: [], total: 0 });
    if (path === `/api/v1/models/${model.id}/feature-importance`)
      return json(200, { items: [], total: 0 });
    return json(404, { detail: `no route ${path}`, code: "not_found" });
  };
}

function renderModel(model: Detail) {
  answerWith(model);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[`/models/${model.id}`]}>
        <Routes>
          <Route path="/models/:id" element={<ModelDetail />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const asked = (suffix: string) =>
  network.sent.some((r) => new URL(r.url).pathname.endsWith(suffix));

beforeEach(() => {
  network.sent = [];
});

describe("the model page for an RL agent", () => {
  it("shows its environment, evaluation split, curve and windows, and no folds", async () => {
    renderModel(agentDetail());
    expect(await screen.findByRole("heading", { name: /dashrl-ppo v1/ })).toBeInTheDocument();
    const env = within(screen.getByLabelText("Environment"));
    expect(env.getByText("discrete (short / flat / long)")).toBeInTheDocument();
    expect(env.getByText("long only")).toBeInTheDocument();
    expect(env.getByText("128")).toBeInTheDocument();
    expect(env.getByText("0.5")).toBeInTheDocument();
    const split = within(screen.getByLabelText("Evaluation split"));
    expect(split.getByText("holdout")).toBeInTheDocument();
    expect(split.getByText("0.2")).toBeInTheDocument();
    const time = within(screen.getByLabelText("Time split"));
    expect(time.getByText("2016-01-19 → 2016-12-30 (242 bars)")).toBeInTheDocument();
    expect(within(screen.getByLabelText("Training run")).getByText("24")).toBeInTheDocument();
    expect(await screen.findByRole("figure", { name: "Training curve" })).toBeInTheDocument();
    expect(
      screen.getByText("Mean episode reward against timesteps (2 points)"),
    ).toBeInTheDocument();
    expect(screen.getByText("-0.06215")).toBeInTheDocument();
    expect(screen.getByText(/deterministic actions on bars it never saw/)).toBeInTheDocument();

    expect(screen.queryByRole("region", { name: "Per-fold metrics" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Feature importance" })).not.toBeInTheDocument();
    expect(screen.queryByText("Target")).not.toBeInTheDocument();
    expect(screen.queryByText("Decision rule")).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(asked("/feature-importance")).toBe(false);
  });

  it("keeps folds and feature importance for a supervised model", async () => {
    renderModel(detail({ id: "m1" }));
    expect(await screen.findByRole("region", { name: "Per-fold metrics" })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Feature importance" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Training curve" })).not.toBeInTheDocument();
    expect(screen.getByText("Target")).toBeInTheDocument();
  });
});
