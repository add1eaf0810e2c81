// Horizontal bars of the top features (Recharts); loaded on demand with the model page's charts.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { FeatureImportance } from "../../api/types";
import { Empty } from "../../components/ui/States";
import { importanceSeries } from "./importance";

const BAR_PX = 22;
const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

export default function FeatureImportanceChart({ items }: { items: FeatureImportance[] }) {
  const rows = importanceSeries(items);
  if (rows.length === 0) return <Empty>This model reports no feature importance.</Empty>;
  const longest = Math.max(...rows.map((r) => r.feature.length));
  return (
    <figure className="chart importance-chart" aria-label="Feature importance">
      <figcaption>
        Top {rows.length} of {items.length} features
      </figcaption>
      <ResponsiveContainer width="100%" height={rows.length * BAR_PX + 40}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => number.format(v)} />
          <YAxis
            type="category"
            dataKey="feature"
            interval={0}
            width={Math.min(180, 12 + longest * 7)}
            tick={{ fontSize: 12 }}
          />
          <Tooltip formatter={(v: number) => number.format(v)} />
          <Bar dataKey="importance" name="Importance" fill="#2563eb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
