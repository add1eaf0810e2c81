import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Training } from "../../api/types";
import { RecentTrainings } from "./RecentTrainings";

// The typed client keeps the fetch it was made with: put the stand-in in place before it loads.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

const answer = (status: number, body: unknown) =>
  fetchMock.mockResolvedValue(
    new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    }),
  );

function training(change: Partial<Training>): Training {
  return {
    training_id: "t-1",
    status: "succeeded",
    job_id: "j-1",
    created_at: "2026-01-02T03:04:05Z",
    model_name: "lr-sp500",
    model_id: "m-1",
    progress: 1,
    message: "done",
    error: null,
    request: {
      source: "builtin",
      symbols: ["SP500"],
      interval: "1d",
      model_name: "lr-sp500",
      algorithm: "logistic_regression",
      initial_cash: 100000,
      seed: 42,
      device: "auto",
    },
    report: null,
    ...change,
  };
}

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <RecentTrainings limit={20} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => fetchMock.mockReset());

describe("RecentTrainings", () => {
  it("lists each training with its status, progress and a link to it", async () => {
    answer(200, {
      items: [
        training({}),
        training({
          training_id: "t-2",
          status: "running",
          model_name: "rf-sp500",
          progress: 0.4,
          message: "fold 2/5: 10/200",
        }),
      ],
      total: 2,
      limit: 20,
      offset: 0,
    });
    show();
    const table = await screen.findByRole("table", { name: "Recent trainings" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[2] as HTMLElement).getByRole("link", { name: "rf-sp500" })).toHaveAttribute(
      "href",
      "/train/t-2",
    );
    expect(within(rows[2] as HTMLElement).getByText("40% · fold 2/5: 10/200")).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).getByText("succeeded")).toBeInTheDocument();
    expect(String(fetchMock.mock.calls[0]?.[0].url)).toContain("/api/v1/trainings?limit=20");
  });

  it("points to the form when there are none", async () => {
    answer(200, { items: [], total: 0, limit: 20, offset: 0 });
    show();
    expect(await screen.findByText(/No trainings yet/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Train a model/ })).toHaveAttribute(
      "href",
      "#training-form",
    );
  });

  it("shows the API's message when the list fails", async () => {
    answer(503, { detail: "the database is unreachable; retry shortly", code: "unavailable" });
    show();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "the database is unreachable; retry shortly",
    );
  });
});
