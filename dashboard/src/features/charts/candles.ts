// From the API's bars and trades to what lightweight-charts draws. Pure functions, no chart here.
import type { SeriesMarker, UTCTimestamp } from "lightweight-charts";
import type { Bar, Trade } from "../../api/types";
import { formatValue } from "../../lib/format";

export type Candle = { time: UTCTimestamp; open: number; high: number; low: number; close: number };
export type VolumeBar = { time: UTCTimestamp; value: number; color: string };
export type ClosePoint = { time: UTCTimestamp; value: number };
export type TradeMarker = SeriesMarker<UTCTimestamp>;

export const COLORS = {
  up: "#15803d",
  down: "#b91c1c",
  volumeUp: "rgba(21, 128, 61, 0.35)",
  volumeDown: "rgba(185, 28, 28, 0.35)",
  long: "#1d4ed8",
  short: "#c2410c",
} as const;

/** Seconds since the epoch, UTC: the chart's time unit, which keeps intraday bars apart. */
export function toChartTime(iso: string): UTCTimestamp {
  return Math.floor(Date.parse(iso) / 1000) as UTCTimestamp;
}

export function toCandles(bars: Bar[]): Candle[] {
  return bars.map((b) => ({
    time: toChartTime(b.timestamp),
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
  }));
}

export function toClosePoints(bars: Bar[]): ClosePoint[] {
  return bars.map((b) => ({ time: toChartTime(b.timestamp), value: b.close }));
}

/** Volume coloured like its candle; bars without volume are left out (the source has none). */
export function toVolumes(bars: Bar[]): VolumeBar[] {
  const out: VolumeBar[] = [];
  for (const b of bars) {
    if (b.volume === null || b.volume === undefined) continue;
    out.push({
      time: toChartTime(b.timestamp),
      value: b.volume,
      color: b.close >= b.open ? COLORS.volumeUp : COLORS.volumeDown,
    });
  }
  return out;
}

type Leg = { trade: Trade; kind: "entry" | "exit"; time: UTCTimestamp };

/** Beyond this many fills their labels overlap into noise: arrows only (sizes are in the table). */
export const MAX_LABELLED_MARKERS = 24;
/** Room a label like "cover 83.56" needs along the time axis, about its own width. */
export const LABEL_WIDTH_PX = 45;

/** How many fills a chart this wide can label without their texts running into each other. */
export function labelBudget(widthPx: number): number {
  return Math.min(MAX_LABELLED_MARKERS, Math.floor(widthPx / LABEL_WIDTH_PX));
}

/**
 * Entry ▲ below the bar and exit ▼ above it for each trade, placed on the bar that holds the
 * fill, in time order (lightweight-charts requires it). On a shared bar the exit comes first: a
 * reversal closes the old position before opening the new one. Fills outside the bars are left
 * out, since the chart has no place for them.
 */
export function toTradeMarkers(
  trades: Trade[],
  barTimes: readonly number[],
  maxLabelled = MAX_LABELLED_MARKERS,
): TradeMarker[] {
  const legs: Leg[] = [];
  for (const trade of trades) {
    const entry = barHolding(barTimes, toChartTime(trade.entry_time));
    if (entry !== undefined) legs.push({ trade, kind: "entry", time: entry });
    if (trade.is_open || !trade.exit_time) continue;
    const exit = barHolding(barTimes, toChartTime(trade.exit_time));
    if (exit !== undefined) legs.push({ trade, kind: "exit", time: exit });
  }
  legs.sort(
    (a, b) =>
      a.time - b.time ||
      (a.kind === b.kind ? 0 : a.kind === "exit" ? -1 : 1) ||
      a.trade.seq - b.trade.seq,
  );
  const labelled = legs.length <= maxLabelled;
  return legs.map((leg) => toMarker(leg, labelled));
}

function toMarker({ trade, kind, time }: Leg, labelled: boolean): TradeMarker {
  const short = trade.direction === "short";
  const verb = kind === "entry" ? (short ? "short" : "buy") : short ? "cover" : "sell";
  return {
    time,
    id: `${trade.seq}-${kind}`,
    position: kind === "entry" ? "belowBar" : "aboveBar",
    shape: kind === "entry" ? "arrowUp" : "arrowDown",
    color: short ? COLORS.short : COLORS.long,
    text: labelled ? `${verb} ${formatValue(trade.quantity, "ratio")}` : "",
  };
}

/**
 * The time of the bar a moment falls in: the last bar at or before it. A moment before the
 * first bar, or a bar's width past the last one, is in none.
 */
export function barHolding(barTimes: readonly number[], time: number): UTCTimestamp | undefined {
  const first = barTimes[0];
  const last = barTimes.at(-1);
  if (first === undefined || last === undefined || time < first) return undefined;
  const width = barTimes.length > 1 ? last - (barTimes.at(-2) ?? last) : 86_400;
  if (time >= last + width) return undefined;
  let lo = 0;
  let hi = barTimes.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((barTimes[mid] ?? 0) <= time) lo = mid;
    else hi = mid - 1;
  }
  return barTimes[lo] as UTCTimestamp;
}

/** The chart's text alternative: what it shows, over which range, from how many bars. */
export function describeBars(symbol: string, bars: Bar[]): string {
  const first = bars[0]?.timestamp.slice(0, 10);
  const last = bars.at(-1)?.timestamp.slice(0, 10);
  if (!first || !last) return `${symbol}: no bars`;
  const count = `${formatValue(bars.length, "count")} bar${bars.length === 1 ? "" : "s"}`;
  return `${symbol} from ${first} to ${last}, ${count}`;
}

/** Bars closer than a day apart need the time of day on the axis. */
export function isIntraday(bars: Bar[]): boolean {
  const [a, b] = bars;
  return (
    a !== undefined &&
    b !== undefined &&
    toChartTime(b.timestamp) - toChartTime(a.timestamp) < 86_400
  );
}
