// A simulation's prices with its entries and exits: one symbol's chart at a time, chosen from the
// simulation's symbols, over the simulation's range and interval.
import { useQuery } from "@tanstack/react-query";
import { Suspense, lazy, useId, useMemo, useState } from "react";
import type { Simulation, Trade } from "../../api/types";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatValue } from "../../lib/format";
import { useBars } from "../charts/api";
import { MAX_CHART_TRADES, loadAllTrades } from "./allTrades";
import type { LoadTrades } from "./api";

const PriceChart = lazy(() => import("../charts/PriceChart"));

export function PriceAndTrades({ sim, load }: { sim: Simulation; load: LoadTrades }) {
  const symbols = sim.request.symbols;
  const [symbol, setSymbol] = useState(symbols[0] ?? "");
  const pickerId = useId();
  const trades = useQuery({
    queryKey: ["chart-trades", sim.simulation_id],
    queryFn: () => loadAllTrades(load),
    staleTime: Number.POSITIVE_INFINITY, // a finished simulation's trades never change
  });
  const counts = useMemo(() => countBySymbol(trades.data?.trades ?? []), [trades.data]);

  if (symbols.length === 0) return <Empty>This simulation names no symbols.</Empty>;
  return (
    <div className="charts">
      {symbols.length > 1 && (
        <div className="field price-symbol-picker">
          <label htmlFor={pickerId} className="field-label">
            Symbol to chart
          </label>
          <select id={pickerId} value={symbol} onChange={(e) => setSymbol(e.target.value)}>
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s}
                {trades.data ? ` (${counts.get(s.toUpperCase()) ?? 0} trades)` : ""}
              </option>
            ))}
          </select>
        </div>
      )}
      {trades.isError && <ErrorNote error={trades.error} retry={() => void trades.refetch()} />}
      {trades.data?.capped && (
        <p className="hint">
          Markers show the first {formatValue(trades.data.trades.length, "count")} of{" "}
          {formatValue(trades.data.total, "count")} trades (at most{" "}
          {formatValue(MAX_CHART_TRADES, "count")}); the table below lists them all.
        </p>
      )}
      <SymbolChart sim={sim} symbol={symbol} trades={trades.data?.trades} />
    </div>
  );
}

function SymbolChart({
  sim,
  symbol,
  trades,
}: { sim: Simulation; symbol: string; trades: Trade[] | undefined }) {
  const bars = useBars({
    source: sim.request.source,
    symbol,
    interval: sim.request.interval ?? "1d",
    start: dayOf(sim.start_date ?? sim.request.start),
    end: dayOf(sim.end_date ?? sim.request.end),
  });
  const mine = useMemo(
    () => trades?.filter((t) => t.symbol.toUpperCase() === symbol.toUpperCase()),
    [trades, symbol],
  );
  if (bars.isPending) return <Loading what={`prices of ${symbol}`} />;
  if (bars.isError) return <ErrorNote error={bars.error} retry={() => void bars.refetch()} />;
  if (bars.data.items.length === 0) return <Empty>No bars of {symbol} over this range.</Empty>;
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <PriceChart
        symbol={bars.data.symbol}
        bars={bars.data.items}
        trades={mine}
        closeOnly={bars.data.close_only}
      />
    </Suspense>
  );
}

function countBySymbol(trades: { symbol: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of trades)
    counts.set(t.symbol.toUpperCase(), (counts.get(t.symbol.toUpperCase()) ?? 0) + 1);
  return counts;
}

/** The date part of an ISO time; none means the symbol's own first or last bar. */
function dayOf(iso: string | null | undefined): string | undefined {
  return iso ? iso.slice(0, 10) : undefined;
}
