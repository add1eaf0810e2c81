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
import { CHART_MARGIN, GRID, TIME_AXIS, dayLabel } from "./timeChart";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export default function EquityCharts({ points }: { points: EquityPoint[] }) {
  const { rows, hasBenchmark } = useMemo(() => toChartSeries(points), [points]);
  if (rows.length === 0) return <Empty>No equity curve was stored for this simulation.</Empty>;
  return (
    <div className="charts">
      <figure className="chart" aria-label="Equity against the benchmark">
        <figcaption>Equity vs buy-and-hold</figcaption>
        <ResponsiveContainer width="100%" height={280}>
          <LineChart data={rows} margin={CHART_MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis {...TIME_AXIS} />
            <YAxis
              tickFormatter={(v: number) => compact.format(v)}
              width={52}
              domain={["auto", "auto"]}
            />
            <Tooltip labelFormatter={dayLabel} formatter={(v: number) => formatValue(v, "money")} />
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
          <AreaChart data={rows} margin={CHART_MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis {...TIME_AXIS} />
            <YAxis
              tickFormatter={(v: number) => `${v.toFixed(0)}`}
              width={52}
              domain={["dataMin", 0]}
            />
            <Tooltip labelFormatter={dayLabel} formatter={(v: number) => formatValue(v, "pct")} />
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
