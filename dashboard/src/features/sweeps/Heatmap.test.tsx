import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Combination, GridHeatmap } from "../../api/types";
import { Heatmap } from "./Heatmap";

function combo(params: Record<string, number>, sharpe: number): Combination {
  return {
    params,
    sharpe,
    sortino: null,
    calmar: null,
    total_return_pct: sharpe * 10,
    max_drawdown_pct: null,
    portfolio_end: null,
    total_trades: 1,
    sr_period: null,
    skew: null,
    kurtosis: null,
    n_obs: 10,
  };
}

const THREE = [
  combo({ a: 1, b: 10, c: 0 }, 0.5),
  combo({ a: 1, b: 10, c: 1 }, 0.7),
  combo({ a: 2, b: 10, c: 0 }, 1.2),
  combo({ a: 2, b: 20, c: 1 }, -0.1),
];

const cells = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    );

describe("Heatmap", () => {
  it("draws the first two parameters, marks the best cell and says what it aggregated", () => {
    render(<Heatmap combos={THREE} metric="sharpe" total={4} />);
    const table = screen.getByRole("table", { name: "Sharpe ratio by a and b" });
    // rows b = 10, 20; columns a = 1, 2; (1, 20) was not run
    expect(cells(table)).toEqual([
      ["0.7", "★ best: 1.2"],
      ["·not run", "-0.1"],
    ]);
    expect(screen.getByText("Each cell shows the best Sharpe ratio over c.")).toBeInTheDocument();
    expect(screen.getByTitle("a 1, b 10: Sharpe ratio 0.7 (best of 2 combinations)")).toBeTruthy();
  });

  it("lets the reader choose the axes and the metric when there are more than two", async () => {
    const user = userEvent.setup();
    render(<Heatmap combos={THREE} metric="sharpe" total={4} />);
    await user.selectOptions(screen.getByLabelText("Rows (y)"), "c");
    await user.selectOptions(screen.getByLabelText("Colour by"), "Total return");
    const table = screen.getByRole("table", { name: "Total return by a and c" });
    expect(cells(table)).toEqual([
      ["5 %", "★ best: 12 %"],
      ["7 %", "-1 %"],
    ]);
    // every (a, c) pair was run once, so nothing was aggregated over b
    expect(screen.queryByText(/Each cell shows the best/)).not.toBeInTheDocument();
  });

  it("maps the whole grid from the report when only the best rows were loaded", async () => {
    const user = userEvent.setup();
    // the report's map of (b, a): rows a = 1, 2; columns b = 10, 20; a fifth combination
    // (a 1, b 20) was run but is not among the loaded rows
    const maps: GridHeatmap[] = [
      {
        x: "b",
        y: "a",
        xs: [10, 20],
        ys: [1, 2],
        best: [
          [0.7, -0.4],
          [1.2, -0.1],
        ],
        count: [
          [2, 1],
          [1, 1],
        ],
      },
    ];
    render(<Heatmap combos={THREE} metric="sharpe" total={5} gridMaps={maps} />);
    const table = screen.getByRole("table", { name: "Sharpe ratio by a and b" });
    expect(cells(table)).toEqual([
      ["0.7", "★ best: 1.2"],
      ["-0.4", "-0.1"],
    ]);
    expect(screen.getByText(/Every one of the 5 combinations is counted/)).toBeInTheDocument();
    expect(screen.queryByText(/Only the best/)).not.toBeInTheDocument();
    // another metric: the report has no map of it, so the loaded rows are drawn, with the note
    await user.selectOptions(screen.getByLabelText("Colour by"), "Total return");
    expect(screen.getByText(/Only the best 4 of 5 combinations are shown/)).toBeInTheDocument();
  });
});
