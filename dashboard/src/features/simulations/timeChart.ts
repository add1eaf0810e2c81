// What the equity charts share: dates (epoch ms in `t`) on a time-scaled x axis, one grid and
// margin. Recharts finds its axes by element type, so these are props to spread, not components.
import type { CartesianGridProps, XAxisProps } from "recharts";

/** An axis tick: the month, e.g. 2020-01 (UTC, as the API's bars are dated). */
export const monthTick = (t: number) => new Date(t).toISOString().slice(0, 7);

/** A tooltip's title: the day, e.g. 2020-01-31; nothing for a label that is not a time. */
export const dayLabel = (t: unknown) =>
  typeof t === "number" ? new Date(t).toISOString().slice(0, 10) : "";

export const CHART_MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };

export const GRID: CartesianGridProps = { strokeDasharray: "3 3", stroke: "#e5e7eb" };

export const TIME_AXIS: XAxisProps = {
  dataKey: "t",
  type: "number",
  scale: "time",
  domain: ["dataMin", "dataMax"],
  tickFormatter: monthTick,
  minTickGap: 40,
};
