import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import type { Job } from "../../api/types";

// The API client keeps the fetch it finds at start-up: replace it before the client loads.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<typeof fetch>();
  globalThis.fetch = mock;
  return mock;
});

const { JobsTable } = await import("./JobsTable");

const job = (id: string, over: Partial<Job>): Job =>
  ({
    id,
    kind: "simulation",
    queue: "simulation",
    status: "succeeded",
    progress: 1,
    message: "done",
    params: {},
    result: null,
    error: null,
    cancel_requested: false,
    created_at: "2024-01-02T10:00:00Z",
    ...over,
  }) as Job;

function renderTable(jobs: Job[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <JobsTable jobs={jobs} cancellable />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

const rowOf = (text: string) => {
  const row = screen.getByText(text).closest("tr");
  if (!row) throw new Error(`no row with ${text}`);
  return within(row);
};

describe("JobsTable", () => {
  it("shows a failed job's error text in place of its progress", () => {
    renderTable([
      job("aaaaaaaa-1", { status: "failed", progress: 0.3, error: "SP500: no bars in 1950" }),
    ]);
    expect(rowOf("aaaaaaaa").getByText("SP500: no bars in 1950")).toBeInTheDocument();
    expect(rowOf("aaaaaaaa").queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("shows a running job's progress and message, and cancels it with one click", async () => {
    const running = job("bbbbbbbb-2", {
      status: "running",
      progress: 0.42,
      message: "chunk 3 of 8",
    });
    fetchMock.mockResolvedValueOnce(
      new Response(JSON.stringify({ ...running, cancel_requested: true }), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      }),
    );
    const user = renderTable([running, job("cccccccc-3", {})]);
    expect(rowOf("bbbbbbbb").getByText("42% · chunk 3 of 8")).toBeInTheDocument();
    expect(rowOf("cccccccc").queryByRole("button")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel job bbbbbbbb" }));
    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(request.method).toBe("POST");
    expect(new URL(request.url).pathname).toBe("/api/v1/jobs/bbbbbbbb-2/cancel");
  });

  it("links a stress test to the page of the simulation it stresses", () => {
    renderTable([job("dddddddd-4", { kind: "stress_test", params: { simulation_id: "sim-9" } })]);
    expect(rowOf("dddddddd").getByRole("link", { name: "open" })).toHaveAttribute(
      "href",
      "/simulations/sim-9",
    );
  });
});
