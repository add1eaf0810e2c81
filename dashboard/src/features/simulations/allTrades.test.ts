import { describe, expect, it } from "vitest";
import type { Trade, TradesPage } from "../../api/types";
import { loadAllTrades } from "./allTrades";
import type { TradesQuery } from "./api";

const trade = (seq: number): Trade => ({
  seq,
  symbol: "SP500",
  direction: "long",
  quantity: 1,
  entry_time: "2020-01-02T00:00:00Z",
  entry_price: 1,
  exit_time: null,
  exit_price: null,
  pnl: 0,
  return_pct: 0,
  fees: 0,
  slippage: 0,
  is_open: true,
});

function server(count: number) {
  const asked: TradesQuery[] = [];
  const all = Array.from({ length: count }, (_, i) => trade(i));
  const load = async (q: TradesQuery): Promise<TradesPage> => {
    asked.push(q);
    return {
      items: all.slice(q.offset, q.offset + q.limit),
      total: count,
      limit: q.limit,
      offset: q.offset,
      sort: q.sort,
    };
  };
  return { asked, load };
}

describe("loadAllTrades", () => {
  it("pages through every trade in entry order", async () => {
    const { asked, load } = server(5);
    const result = await loadAllTrades(load, 100, 2);
    expect(result.trades.map((t) => t.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(result).toMatchObject({ total: 5, capped: false });
    expect(asked).toEqual([
      { sort: "entry_time", limit: 2, offset: 0 },
      { sort: "entry_time", limit: 2, offset: 2 },
      { sort: "entry_time", limit: 2, offset: 4 },
    ]);
  });

  it("stops at the cap, asks for no more than it keeps, and says it was capped", async () => {
    const { asked, load } = server(10);
    const result = await loadAllTrades(load, 5, 2);
    expect(result.trades).toHaveLength(5);
    expect(result).toMatchObject({ total: 10, capped: true });
    expect(asked.map((q) => q.limit)).toEqual([2, 2, 1]);
  });

  it("asks once when there are no trades", async () => {
    const { asked, load } = server(0);
    expect(await loadAllTrades(load)).toEqual({ trades: [], total: 0, capped: false });
    expect(asked).toHaveLength(1);
  });
});
