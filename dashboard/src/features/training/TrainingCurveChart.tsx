// The agent's learning curve: mean episode reward against timesteps (Recharts), loaded on demand
// with the pages that draw it.
import { useMemo } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { Empty } from "../../components/ui/States";
import { curveSeries, formatReward } from "./agent-report";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const timestepsLabel = (v: unknown) => `${Number(v).toLocaleString("en-US")} timesteps`;

export default function TrainingCurveChart({ curve }: { curve: unknown }) {
  const rows = useMemo(() => curveSeries(curve), [curve]);
  if (rows.length === 0) {
    return <Empty>No episode ended during training, so there is no reward curve.</Empty>;
  }
  return (
    <figure className="chart training-curve-chart" aria-label="Training curve">
      <figcaption>Mean episode reward against timesteps ({rows.length} points)</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis
            type="number"
            dataKey="timesteps"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(v: number) => compact.format(v)}
          />
          <YAxis
            // room for a minus sign and four significant digits, e.g. -0.0765
            width={72}
            domain={["auto", "auto"]}
            tickFormatter={(v: number) => formatReward(v)}
          />
          <Tooltip labelFormatter={timestepsLabel} formatter={(v: number) => formatReward(v)} />
          <Line
            type="monotone"
            dataKey="reward"
            name="Mean episode reward"
            stroke="#2563eb"
            dot={false}
            strokeWidth={1.6}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
