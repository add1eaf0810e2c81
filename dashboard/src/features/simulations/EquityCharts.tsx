// Equity against the buy-and-hold benchmark, and the drawdown below it (Recharts).
import { useMemo } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { EquityPoint } from "../../api/types";
import { Empty } from "../../components/ui/States";
import { formatValue } from "../../lib/format";
import { toChartSeries } from "./series";

const dateTick = (t: number) => new Date(t).toISOString().slice(0, 7);
const dateLabel = (t: unknown) =>
  typeof t === "number" ? new Date(t).toISOString().slice(0, 10) : "";
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export default function EquityCharts({ points }: { points: EquityPoint[] }) {
  const { rows, hasBenchmark } = useMemo(() => toChartSeries(points), [points]);
  if (rows.length === 0) return <Empty>No equity curve was stored for this simulation.</Empty>;
  return (
    <div className="charts">
      <figure className="chart" aria-label="Equity against the benchmark">
        <figcaption>Equity vs buy-and-hold</figcaption>
        <ResponsiveContainer width="100%" height={280}>
          <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={dateTick}
              minTickGap={40}
            />
            <YAxis
              tickFormatter={(v: number) => compact.format(v)}
              width={52}
              domain={["auto", "auto"]}
            />
            <Tooltip
              labelFormatter={dateLabel}
              formatter={(v: number) => formatValue(v, "money")}
            />
            <Legend />
            <Line
              type="monotone"
              dataKey="equity"
              name="Strategy"
              stroke="#2563eb"
              dot={false}
              strokeWidth={1.6}
              isAnimationActive={false}
            />
            {hasBenchmark && (
              <Line
                type="monotone"
                dataKey="benchmark"
                name="Buy and hold"
                stroke="#9ca3af"
                dot={false}
                strokeWidth={1.2}
                isAnimationActive={false}
              />
            )}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart" aria-label="Drawdown">
        <figcaption>Drawdown (%)</figcaption>
        <ResponsiveContainer width="100%" height={160}>
          <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={dateTick}
              minTickGap={40}
            />
            <YAxis
              tickFormatter={(v: number) => `${v.toFixed(0)}`}
              width={52}
              domain={["dataMin", 0]}
            />
            <Tooltip labelFormatter={dateLabel} formatter={(v: number) => formatValue(v, "pct")} />
            <Area
              type="monotone"
              dataKey="drawdown"
              name="Drawdown"
              stroke="#dc2626"
              fill="#fecaca"
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
