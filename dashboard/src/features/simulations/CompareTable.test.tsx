import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import type { Simulation } from "../../api/types";
import { type CompareColumn, CompareTable } from "./CompareTable";

const sim = (id: string, strategy: string, totalReturn: number, maxDrawdown: number) =>
  ({
    simulation_id: id,
    status: "succeeded",
    model_used: strategy,
    max_drawdown_pct: maxDrawdown,
    request: { strategy, params: { fast: 5 }, symbols: ["SP500", "GOOG"], start: "2010-01-01" },
    metrics: { total_return_pct: totalReturn },
  }) as unknown as Simulation;

const column = (id: string, over: Partial<CompareColumn>): CompareColumn => ({
  id,
  sim: undefined,
  error: undefined,
  pending: false,
  color: "#2563eb",
  ...over,
});

function renderTable() {
  render(
    <MemoryRouter>
      <CompareTable
        columns={[
          column("s1", { sim: sim("s1", "sma_crossover", 12, 30) }),
          column("s2", { sim: sim("s2", "rsi_mean_reversion", 40, 10) }),
          column("missing-1", {
            error: new ApiError(404, { detail: "no simulation with id 'missing-1'" }),
          }),
        ]}
      />
    </MemoryRouter>,
  );
  return within(screen.getByRole("table", { name: "Compared metrics" }));
}

const cellsOf = (table: ReturnType<typeof renderTable>, metric: string) =>
  table
    .getByRole("rowheader", { name: new RegExp(`^${metric}`) })
    .closest("tr")
    ?.querySelectorAll("td") ?? [];

describe("CompareTable", () => {
  it("heads each column with the strategy, symbols and parameters", () => {
    const table = renderTable();
    expect(table.getByRole("link", { name: "sma_crossover" })).toHaveAttribute(
      "href",
      "/simulations/s1",
    );
    expect(table.getAllByText("SP500, GOOG")).toHaveLength(2);
    expect(table.getAllByText('{"fast":5}')).toHaveLength(2);
  });

  it("marks the best of each row: the highest return, the smallest drawdown", () => {
    const table = renderTable();
    const returns = [...cellsOf(table, "Total return")];
    expect(returns.map((c) => c.textContent)).toEqual(["12 %", "40 % ★ (best)", "—"]);
    const drawdowns = [...cellsOf(table, "Max drawdown")];
    expect(drawdowns.map((c) => c.className)).toEqual(["", "best", ""]);
    expect(drawdowns[1]).toHaveTextContent("10 %");
  });

  it("says why a column has no simulation", () => {
    const table = renderTable();
    expect(table.getByRole("alert")).toHaveTextContent(
      "missing-: no simulation with id 'missing-1'",
    );
  });
});
