import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { describe, expect, it, vi } from "vitest";
import type { Simulation } from "../../api/types";

// The API client keeps the fetch it finds at start-up: replace it before the client loads.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

const { RecentSimulations } = await import("./RecentSimulations");

const sim = (id: string, model: string): Simulation =>
  ({
    simulation_id: id,
    status: "succeeded",
    model_used: model,
    request: { symbols: ["SP500"], start: "2010-01-01", end: "2012-01-01" },
    metrics: {},
  }) as unknown as Simulation;

const SIMS = ["a", "b", "c", "d", "e", "f", "g"].map((id) => sim(`${id}-id`, `model-${id}`));

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname + location.search}</p>;
}

function renderList() {
  fetchMock.mockImplementation(
    async () =>
      new Response(JSON.stringify({ items: SIMS, total: SIMS.length, limit: 20, offset: 0 }), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/simulations"]}>
        <Routes>
          <Route path="/simulations" element={<RecentSimulations limit={20} selectable />} />
          <Route path="/simulations/compare" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

const tick = (user: ReturnType<typeof userEvent.setup>, model: string) =>
  user.click(screen.getByRole("checkbox", { name: new RegExp(`Select ${model} `) }));

describe("RecentSimulations selection", () => {
  it("compares only two to six ticked simulations", async () => {
    const user = renderList();
    await screen.findByText(/model-a/);
    const compare = () => screen.getByRole("button", { name: /Compare selected/ });
    expect(compare()).toBeDisabled();
    await tick(user, "model-a");
    expect(compare()).toBeDisabled();
    for (const m of ["b", "c", "d", "e", "f", "g"]) await tick(user, `model-${m}`);
    expect(compare()).toHaveTextContent("Compare selected (7)");
    expect(compare()).toBeDisabled();
    expect(screen.getByText("Compare at most 6 at once; untick 1.")).toBeInTheDocument();
    await tick(user, "model-a"); // unticked again
    expect(compare()).toBeEnabled();
  });

  it("opens the comparison of the ticked simulations in the order ticked", async () => {
    const user = renderList();
    await screen.findByText(/model-a/);
    await tick(user, "model-c");
    await tick(user, "model-a");
    await user.click(screen.getByRole("button", { name: "Compare selected (2)" }));
    expect(screen.getByTestId("where")).toHaveTextContent("/simulations/compare?ids=c-id,a-id");
  });
});
