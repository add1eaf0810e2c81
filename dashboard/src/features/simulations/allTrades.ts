// Every trade of a simulation for the price charts, page by page up to a cap: markers beyond a
// few thousand only cover the candles, and each page is a request.
import type { Trade } from "../../api/types";
import type { LoadTrades } from "./api";

/** The API's largest page (MAX_PAGE_SIZE). */
export const TRADES_PAGE = 200;
export const MAX_CHART_TRADES = 2000;

export type SomeTrades = { trades: Trade[]; total: number; capped: boolean };

export async function loadAllTrades(
  load: LoadTrades,
  cap = MAX_CHART_TRADES,
  pageSize = TRADES_PAGE,
): Promise<SomeTrades> {
  const trades: Trade[] = [];
  let total = 0;
  do {
    const limit = Math.min(pageSize, cap - trades.length);
    const page = await load({ sort: "entry_time", limit, offset: trades.length });
    total = page.total;
    trades.push(...page.items);
    if (page.items.length === 0) break; // the list shrank under us; stop rather than loop
  } while (trades.length < Math.min(total, cap));
  return { trades, total, capped: total > trades.length };
}
