import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Trade, TradesPage } from "../../api/types";
import { TradesTable } from "./TradesTable";
import type { TradesQuery } from "./api";

const trade = (seq: number, symbol: string, pnl: number): Trade => ({
  seq,
  symbol,
  direction: "long",
  quantity: 10,
  entry_time: `2020-01-${String(seq).padStart(2, "0")}T00:00:00Z`,
  entry_price: 100,
  exit_time: `2020-02-${String(seq).padStart(2, "0")}T00:00:00Z`,
  exit_price: 100 + pnl / 10,
  pnl,
  return_pct: pnl / 10,
  fees: 1,
  slippage: 0.5,
  is_open: false,
});

const TRADES = [
  trade(1, "SP500", 50),
  trade(2, "NASDAQ", -20),
  trade(3, "SP500", 300),
  trade(4, "NASDAQ", 5),
  trade(5, "SP500", -80),
];

/** The server's side of the contract: sort by a column (`-` reverses), then a page. */
function serverWith(trades: Trade[]) {
  const asked: TradesQuery[] = [];
  const load = async (query: TradesQuery): Promise<TradesPage> => {
    asked.push(query);
    const key = query.sort.replace(/^-/, "") as keyof Trade;
    const sorted = [...trades].sort((a, b) =>
      (a[key] as number | string) < (b[key] as number | string) ? -1 : 1,
    );
    if (query.sort.startsWith("-")) sorted.reverse();
    return {
      items: sorted.slice(query.offset, query.offset + query.limit),
      total: trades.length,
      limit: query.limit,
      offset: query.offset,
      sort: query.sort,
    };
  };
  return { asked, load };
}

function renderTable(trades: Trade[], pageSize = 2) {
  const server = serverWith(trades);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TradesTable queryKey="sim-1" load={server.load} pageSize={pageSize} />
    </QueryClientProvider>,
  );
  return { ...server, user: userEvent.setup() };
}

const pnlColumn = () =>
  within(screen.getByRole("table", { name: "Trades" }))
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell")[6]?.textContent);

describe("TradesTable", () => {
  it("shows the first page in entry order and says how many there are", async () => {
    const { asked } = renderTable(TRADES);
    expect(await screen.findByText("1–2 of 5")).toBeInTheDocument();
    expect(pnlColumn()).toEqual(["50", "-20"]);
    expect(asked[0]).toEqual({ sort: "entry_time", limit: 2, offset: 0 });
  });

  it("asks the server for the next page and back", async () => {
    const { asked, user } = renderTable(TRADES);
    await screen.findByText("1–2 of 5");
    expect(screen.getByRole("button", { name: "Previous" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("3–4 of 5")).toBeInTheDocument();
    expect(pnlColumn()).toEqual(["300", "5"]);
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("5–5 of 5")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
    expect(asked.map((q) => q.offset)).toEqual([0, 2, 4]);
  });

  it("sorts by a column on the server, reverses on a second click and starts again at page one", async () => {
    const { asked, user } = renderTable(TRADES);
    await screen.findByText("1–2 of 5");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("3–4 of 5");
    await user.click(screen.getByRole("button", { name: /P&L/ }));
    expect(await screen.findByText("1–2 of 5")).toBeInTheDocument();
    expect(pnlColumn()).toEqual(["-80", "-20"]);
    expect(screen.getByRole("columnheader", { name: /P&L/ })).toHaveAttribute(
      "aria-sort",
      "ascending",
    );
    await user.click(screen.getByRole("button", { name: /P&L/ }));
    await screen.findByText("300");
    expect(pnlColumn()).toEqual(["300", "50"]);
    expect(screen.getByRole("columnheader", { name: /P&L/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
    expect(asked.at(-1)).toEqual({ sort: "-pnl", limit: 2, offset: 0 });
  });

  it("says so when there are no trades", async () => {
    renderTable([]);
    expect(await screen.findByText(/No trades/)).toBeInTheDocument();
  });

  it("shows the API's message when the call fails", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const load = async (): Promise<TradesPage> => {
      throw new Error("no simulation abc; list them with GET /api/v1/simulations");
    };
    render(
      <QueryClientProvider client={client}>
        <TradesTable queryKey="missing" load={load} />
      </QueryClientProvider>,
    );
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "no simulation abc; list them with GET /api/v1/simulations",
    );
  });
});
