import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Combination, CombinationsPage } from "../../api/types";
import { CombinationsTable } from "./CombinationsTable";
import { type CombinationsQuery, loadAllCombinations } from "./api";

function combo(fast: number, slow: number, sharpe: number | null, trades: number): Combination {
  return {
    params: { fast, slow },
    sharpe,
    sortino: null,
    calmar: null,
    total_return_pct: null,
    max_drawdown_pct: null,
    portfolio_end: null,
    total_trades: trades,
    sr_period: null,
    skew: null,
    kurtosis: null,
    n_obs: 100,
  };
}

// In the API's order: best Sharpe first, undefined last.
const COMBOS = [
  combo(10, 50, 1.5, 3),
  combo(5, 30, 0.8, 12),
  combo(20, 90, 0.1, 2),
  combo(15, 70, -0.4, 7),
  combo(25, 30, null, 0),
];

function renderTable(total = COMBOS.length) {
  render(<CombinationsTable combos={COMBOS} metric="sharpe" total={total} pageSize={2} />);
  return userEvent.setup();
}

const column = (index: number) =>
  within(screen.getByRole("table", { name: "Combinations" }))
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell")[index]?.textContent);

describe("CombinationsTable", () => {
  it("starts with the best by the sweep's metric, a page at a time", async () => {
    const user = renderTable();
    expect(screen.getByText("1–2 of 5")).toBeInTheDocument();
    expect(column(2)).toEqual(["1.5", "0.8"]);
    expect(screen.getByRole("columnheader", { name: /Sharpe/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(screen.getByText("3–4 of 5")).toBeInTheDocument();
    expect(column(2)).toEqual(["0.1", "-0.4"]);
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(column(2)).toEqual(["—"]);
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
  });

  it("sorts a parameter ascending, then descending, back on page one", async () => {
    const user = renderTable();
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(screen.getByRole("button", { name: "fast" }));
    expect(screen.getByText("1–2 of 5")).toBeInTheDocument();
    expect(column(0)).toEqual(["5", "10"]);
    await user.click(screen.getByRole("button", { name: /fast/ }));
    expect(column(0)).toEqual(["25", "20"]);
    expect(screen.getByRole("columnheader", { name: /fast/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
  });

  it("sorts a metric best first, then worst first with undefined values still last", async () => {
    const user = renderTable();
    await user.click(screen.getByRole("button", { name: "Trades" }));
    expect(column(8)).toEqual(["12", "7"]);
    await user.click(screen.getByRole("button", { name: /Sharpe/ }));
    await user.click(screen.getByRole("button", { name: /Sharpe/ }));
    expect(screen.getByRole("columnheader", { name: /Sharpe/ })).toHaveAttribute(
      "aria-sort",
      "ascending",
    );
    expect(column(2)).toEqual(["-0.4", "0.1"]);
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(column(2)).toEqual(["—"]);
  });

  it("says when only the best of a larger sweep were loaded", () => {
    renderTable(12_000);
    expect(screen.getByText("1–2 of 5 (the best of 12,000)")).toBeInTheDocument();
  });

  it("says so when nothing has finished", () => {
    render(<CombinationsTable combos={[]} metric="sharpe" total={0} />);
    expect(screen.getByText("No combination has finished yet.")).toBeInTheDocument();
  });
});

describe("loadAllCombinations", () => {
  const server = (count: number) => {
    const asked: CombinationsQuery[] = [];
    const all = Array.from({ length: count }, (_, i) => combo(i, 100, 1 - i / 1000, 1));
    const load = async (q: CombinationsQuery): Promise<CombinationsPage> => {
      asked.push(q);
      const items = all.slice(q.offset, q.offset + Math.min(q.limit, 200));
      return { items, total: count, limit: q.limit, offset: q.offset };
    };
    return { asked, load };
  };

  it("asks page after page until it has them all", async () => {
    const { asked, load } = server(450);
    const result = await loadAllCombinations(load);
    expect(result.items).toHaveLength(450);
    expect(result.items[449]?.params.fast).toBe(449);
    expect(result.total).toBe(450);
    expect(asked.map((q) => q.offset)).toEqual([0, 200, 400]);
  });

  it("stops at the cap and reports the sweep's full size", async () => {
    const { asked, load } = server(1000);
    const result = await loadAllCombinations(load, 300);
    expect(result.items).toHaveLength(300);
    expect(result.total).toBe(1000);
    expect(asked).toEqual([
      { limit: 200, offset: 0 },
      { limit: 100, offset: 200 },
    ]);
  });

  it("asks once for an empty sweep", async () => {
    const { asked, load } = server(0);
    expect(await loadAllCombinations(load)).toEqual({ items: [], total: 0 });
    expect(asked).toHaveLength(1);
  });
});
