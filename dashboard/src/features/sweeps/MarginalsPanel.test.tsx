import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import type { SweepReport } from "../../api/types";
import { MarginalsPanel } from "./MarginalsPanel";

function renderPanel(marginals: SweepReport["marginals"], nCombinations = 6) {
  return render(
    <MemoryRouter>
      <MarginalsPanel marginals={marginals} nCombinations={nCombinations} metric="sharpe" />
    </MemoryRouter>,
  );
}

describe("MarginalsPanel", () => {
  it("offers to run the sweep again when the report has no marginals", () => {
    renderPanel(undefined);
    expect(screen.getByText(/no parameter marginals/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Run the sweep again" })).toHaveAttribute(
      "href",
      "/sweeps",
    );
  });

  it("shows a single value as a table, not a chart", () => {
    renderPanel({ slow: [{ value: 50, count: 6, best: 1.4, median: 0.45 }] });
    const figure = screen.getByRole("figure", { name: "Best and median Sharpe ratio by slow" });
    const cells = within(figure)
      .getAllByRole("row")
      .map((r) => r.textContent);
    expect(cells).toEqual(["slowCombinationsBestMedian", "5061.40.45"]);
  });

  it("draws a parameter with several values, with its values in a table behind a summary", () => {
    renderPanel({
      fast: [
        { value: 5, count: 3, best: 0.9, median: null },
        { value: 10, count: 3, best: 1.4, median: 0.6 },
      ],
    });
    const figure = screen.getByRole("figure", { name: "Best and median Sharpe ratio by fast" });
    expect(figure.textContent).toMatch(/at each of 2 values/);
    expect(within(figure).getByText("The values as a table")).toBeInTheDocument();
    expect(within(figure).getAllByRole("row", { hidden: true })).toHaveLength(3);
  });
});
