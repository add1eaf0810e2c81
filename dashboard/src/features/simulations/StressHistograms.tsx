// Histograms of final equity and max drawdown over the scenarios (Recharts, loaded on demand).
// The bins are the report's own: equal-width, counting every scenario (see stressSeries.ts).
import { useMemo } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Distribution, ScenarioSummary, StressReport } from "../../api/types";
import { Empty } from "../../components/ui/States";
import { type Unit, formatValue } from "../../lib/format";
import { type StepPoint, histogramBins, toStepPoints } from "./stressSeries";

type Props = {
  summary: ScenarioSummary;
  baseline: StressReport["baseline"];
  initialCash: number | null;
};

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export default function StressHistograms({ summary, baseline, initialCash }: Props) {
  return (
    <div className="charts stress-charts">
      <Histogram
        title="Final equity"
        dist={summary.portfolio_end}
        unit="money"
        tick={(v) => compact.format(v)}
        color="#2563eb"
        marks={[
          { x: initialCash, label: "start", color: "#6b7280" },
          { x: baseline.portfolio_end, label: "this run", color: "#111827" },
        ]}
      />
      <Histogram
        title="Max drawdown (%)"
        dist={summary.max_drawdown_pct}
        unit="pct"
        tick={(v) => v.toFixed(0)}
        color="#dc2626"
        marks={[{ x: baseline.max_drawdown_pct, label: "this run", color: "#111827" }]}
      />
      <p className="hint">
        The share of the {summary.n_scenarios} scenarios in each equal-width bin; dashed lines mark
        the starting cash and this run's own result.
      </p>
    </div>
  );
}

type Mark = { x: number | null; label: string; color: string };

function Histogram({
  title,
  dist,
  unit,
  tick,
  color,
  marks,
}: {
  title: string;
  dist: Distribution;
  unit: Unit;
  tick: (v: number) => string;
  color: string;
  marks: Mark[];
}) {
  const points = useMemo(() => toStepPoints(histogramBins(dist)), [dist]);
  return (
    <figure className="chart stress-histogram" aria-label={`Histogram of ${title.toLowerCase()}`}>
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <Empty>
          No histogram: no scenario has a value, or this report predates histograms (run a new
          stress test to get one).
        </Empty>
      ) : (
        <ResponsiveContainer width="100%" height={200}>
          <AreaChart data={points} margin={{ top: 16, right: 24, bottom: 0, left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
            <XAxis
              dataKey="x"
              type="number"
              domain={["dataMin", "dataMax"]}
              tickFormatter={tick}
              minTickGap={12}
            />
            <YAxis hide domain={[0, "auto"]} />
            <Tooltip content={<BinTooltip unit={unit} />} />
            <Area
              type="stepAfter"
              dataKey="share"
              name={title}
              stroke={color}
              fill={color}
              fillOpacity={0.25}
              isAnimationActive={false}
            />
            {marks.map((m) =>
              m.x === null ? null : (
                <ReferenceLine
                  key={m.label}
                  x={m.x}
                  stroke={m.color}
                  strokeDasharray="4 3"
                  ifOverflow="extendDomain"
                  label={{ value: m.label, position: "top", fill: m.color, fontSize: 11 }}
                />
              ),
            )}
          </AreaChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

function BinTooltip({
  unit,
  active,
  payload,
}: { unit: Unit; active?: boolean; payload?: { payload: StepPoint }[] }) {
  const bin = payload?.[0]?.payload.bin;
  if (!active || !bin) return null;
  return (
    <div className="chart-tooltip">
      {formatValue(bin.count, "count")} scenarios ({formatValue(bin.share, "pct")}) between{" "}
      {formatValue(bin.from, unit)} and {formatValue(bin.to, unit)}
    </div>
  );
}
