// From GET /simulations/{id}/equity to what the charts draw.
import type { EquityPoint } from "../../api/types";

export type ChartRow = {
  /** epoch milliseconds: a numeric axis keeps uneven gaps (weekends, holidays) honest */
  t: number;
  equity: number;
  benchmark: number | null;
  /** drawn below zero: a fall of 12 % is -12 */
  drawdown: number;
};

export type ChartSeries = { rows: ChartRow[]; hasBenchmark: boolean };

/** More points than a chart is wide only costs time: thin evenly, keeping both ends. */
export const MAX_POINTS = 1500;

export function toChartSeries(points: EquityPoint[], maxPoints = MAX_POINTS): ChartSeries {
  const rows = thin(points, maxPoints).map((p) => ({
    t: Date.parse(p.timestamp),
    equity: p.equity,
    benchmark: p.benchmark ?? null,
    drawdown: p.drawdown_pct === 0 ? 0 : -Math.abs(p.drawdown_pct),
  }));
  return { rows, hasBenchmark: rows.some((r) => r.benchmark !== null) };
}

function thin<T>(items: T[], maxPoints: number): T[] {
  if (items.length <= maxPoints) return items;
  const step = (items.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => items[Math.round(i * step)] as T);
}
