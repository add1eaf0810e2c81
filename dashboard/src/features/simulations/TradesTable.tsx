// Trades, sorted and paged by the API (`sort`, `limit`, `offset`), never in the browser.
import { useState } from "react";
import type { Trade } from "../../api/types";
import { Pager } from "../../components/ui/Pager";
import { SortHeader, signedSortDirection } from "../../components/ui/SortHeader";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDate, formatValue } from "../../lib/format";
import { type LoadTrades, useTradesPage } from "./api";

type Column = { key: string; label: string; sortable: boolean; cell: (t: Trade) => string };

const COLUMNS: Column[] = [
  { key: "symbol", label: "Symbol", sortable: true, cell: (t) => t.symbol },
  { key: "direction", label: "Side", sortable: false, cell: (t) => t.direction },
  { key: "entry_time", label: "Entry", sortable: true, cell: (t) => formatDate(t.entry_time) },
  {
    key: "entry_price",
    label: "Entry price",
    sortable: false,
    cell: (t) => formatValue(t.entry_price, "ratio"),
  },
  {
    key: "exit_time",
    label: "Exit",
    sortable: true,
    cell: (t) => (t.is_open ? "open" : formatDate(t.exit_time)),
  },
  {
    key: "exit_price",
    label: "Exit price",
    sortable: false,
    cell: (t) => formatValue(t.exit_price, "ratio"),
  },
  { key: "pnl", label: "P&L", sortable: true, cell: (t) => formatValue(t.pnl, "money") },
  {
    key: "return_pct",
    label: "Return",
    sortable: true,
    cell: (t) => formatValue(t.return_pct, "pct"),
  },
];

export const PAGE_SIZE = 20;

export function TradesTable({
  queryKey,
  load,
  pageSize = PAGE_SIZE,
}: { queryKey: string; load: LoadTrades; pageSize?: number }) {
  const [sort, setSort] = useState("entry_time");
  const [offset, setOffset] = useState(0);
  const page = useTradesPage(queryKey, load, { sort, limit: pageSize, offset });

  const sortBy = (key: string) => {
    setSort((current) => (current === key ? `-${key}` : key));
    setOffset(0);
  };

  if (page.isPending) return <Loading what="trades" />;
  if (page.isError) return <ErrorNote error={page.error} retry={() => void page.refetch()} />;
  const { items, total } = page.data;
  if (total === 0)
    return <Empty>No trades: the strategy never entered a position over this range.</Empty>;

  return (
    <div>
      <div className="table-scroll">
        <table className="table table-numbers" aria-label="Trades">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <SortHeader
                  key={c.key}
                  label={c.label}
                  direction={signedSortDirection(sort, c.key)}
                  onSort={c.sortable ? () => sortBy(c.key) : undefined}
                />
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((trade) => (
              <tr key={trade.seq}>
                {COLUMNS.map((c) => (
                  <td
                    key={c.key}
                    className={c.key === "pnl" ? (trade.pnl < 0 ? "neg" : "pos") : undefined}
                  >
                    {c.cell(trade)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="Trades pages"
        offset={offset}
        shown={items.length}
        total={total}
        pageSize={pageSize}
        onOffset={setOffset}
      />
    </div>
  );
}
