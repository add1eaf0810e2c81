// Histograms of final equity and max drawdown over the scenarios (Recharts, loaded on demand).
// The bins come from the report's percentiles: see stressSeries.ts.
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
import { type StepPoint, histogramBins, tailShare, toStepPoints } from "./stressSeries";

type Props = {
  summary: ScenarioSummary;
  percentiles: number[];
  baseline: StressReport["baseline"];
  initialCash: number | null;
};

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export default function StressHistograms({ summary, percentiles, baseline, initialCash }: Props) {
  const { below, above } = tailShare(percentiles);
  return (
    <div className="charts stress-charts">
      <Histogram
        title="Final equity"
        dist={summary.portfolio_end}
        percentiles={percentiles}
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
        percentiles={percentiles}
        unit="pct"
        tick={(v) => v.toFixed(0)}
        color="#dc2626"
        marks={[{ x: baseline.max_drawdown_pct, label: "this run", color: "#111827" }]}
      />
      <p className="hint">
        Each bar spans two neighbouring percentiles and its area is the share of scenarios between
        them; the {below} % below p{Math.min(...percentiles)} and the {above} % above p
        {Math.max(...percentiles)} are not drawn (the API reports percentiles, not each scenario).
      </p>
    </div>
  );
}

type Mark = { x: number | null; label: string; color: string };

function Histogram({
  title,
  dist,
  percentiles,
  unit,
  tick,
  color,
  marks,
}: {
  title: string;
  dist: Distribution;
  percentiles: number[];
  unit: Unit;
  tick: (v: number) => string;
  color: string;
  marks: Mark[];
}) {
  const points = useMemo(() => toStepPoints(histogramBins(dist, percentiles)), [dist, percentiles]);
  return (
    <figure className="chart stress-histogram" aria-label={`Histogram of ${title.toLowerCase()}`}>
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <Empty>
          Every scenario ended at {formatValue(dist.p50, unit)}: there is no spread to draw.
        </Empty>
      ) : (
        <ResponsiveContainer width="100%" height={200}>
          <AreaChart data={points} margin={{ top: 16, right: 24, bottom: 0, left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
            <XAxis
              dataKey="x"
              type="number"
              domain={["dataMin", "dataMax"]}
              ticks={points.map((p) => p.x)}
              interval="preserveStartEnd"
              tickFormatter={tick}
              minTickGap={12}
            />
            <YAxis hide domain={[0, "auto"]} />
            <Tooltip content={<BinTooltip unit={unit} />} />
            <Area
              type="stepAfter"
              dataKey="density"
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
      {formatValue(bin.share, "pct")} of scenarios between {formatValue(bin.from, unit)} and{" "}
      {formatValue(bin.to, unit)}
    </div>
  );
}
