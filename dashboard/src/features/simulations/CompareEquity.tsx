// Equity curves of the compared simulations, each divided by its own start (Recharts, on demand).
import { useMemo } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { Empty } from "../../components/ui/States";
import { type Curve, normalisedOverlay } from "./compare";
import { CHART_MARGIN, GRID, TIME_AXIS, dayLabel } from "./timeChart";

export type CurveLine = Curve & { name: string; color: string };

export default function CompareEquity({ curves }: { curves: CurveLine[] }) {
  const rows = useMemo(() => normalisedOverlay(curves), [curves]);
  if (rows.length === 0)
    return <Empty>None of these simulations has an equity curve to draw.</Empty>;
  return (
    <figure
      className="chart compare-chart"
      aria-label="Equity of each simulation, 1.0 at its start"
    >
      <figcaption>Equity ÷ starting equity (1.0 = start)</figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <LineChart data={rows} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis {...TIME_AXIS} />
          <YAxis width={44} domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip labelFormatter={dayLabel} formatter={(v: number) => v.toFixed(3)} />
          <Legend />
          {curves.map((c) => (
            <Line
              key={c.key}
              type="monotone"
              dataKey={c.key}
              name={c.name}
              stroke={c.color}
              dot={false}
              strokeWidth={1.6}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
