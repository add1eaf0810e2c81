// Calendar-month returns from the equity curve, for the heatmap: each month compounds from the
// previous month's last equity (the first from the initial equity) to its own last equity.
import type { EquityPoint } from "../../api/types";

export type MonthlyYear = {
  year: number;
  /** per cent, January first; null where the curve has no bar in that month */
  months: (number | null)[];
  /** per cent over the months of the year that have bars */
  total: number;
};

export type MonthlyReturns = {
  years: MonthlyYear[];
  /** the largest |monthly return|: the colour scale's end on both sides */
  maxAbs: number;
};

/** Returns per calendar month (UTC, as the API dates bars) and per year. */
export function toMonthlyReturns(
  points: EquityPoint[],
  initialEquity?: number | null,
): MonthlyReturns {
  const monthEnds = lastEquityPerMonth(points);
  const first = points[0];
  if (!first) return { years: [], maxAbs: 0 };
  let previous = initialEquity && initialEquity > 0 ? initialEquity : first.equity;
  const byYear = new Map<number, { months: (number | null)[]; start: number; end: number }>();
  for (const { year, month, equity } of monthEnds) {
    let row = byYear.get(year);
    if (!row) {
      row = { months: Array<number | null>(12).fill(null), start: previous, end: previous };
      byYear.set(year, row);
    }
    row.months[month] = pctChange(previous, equity);
    row.end = equity;
    previous = equity;
  }
  const years = [...byYear.entries()].map(([year, row]) => ({
    year,
    months: row.months,
    total: pctChange(row.start, row.end),
  }));
  const maxAbs = Math.max(
    0,
    ...years.flatMap((y) => y.months.filter((m): m is number => m !== null).map(Math.abs)),
  );
  return { years, maxAbs };
}

type MonthEnd = { year: number; month: number; equity: number };

/** The last equity of each month that has bars, in time order (the API sends bars in order). */
function lastEquityPerMonth(points: EquityPoint[]): MonthEnd[] {
  const ends: MonthEnd[] = [];
  for (const point of points) {
    const date = new Date(point.timestamp);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    const last = ends.at(-1);
    if (last && last.year === year && last.month === month) last.equity = point.equity;
    else ends.push({ year, month, equity: point.equity });
  }
  return ends;
}

function pctChange(from: number, to: number): number {
  return from === 0 ? 0 : (to / from - 1) * 100;
}
