// One parameter's marginal: the best and median metric at each of its values (Recharts, loaded on
// demand with the sweep page's marginals panel).
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
import { type Unit, formatValue } from "../../lib/format";
import { type MarginalPoint, type MarginalSeries, formatParamValue, niceTicks } from "./marginals";

/** Blue for the best, amber dashed for the median: both at least 4.5:1 on white. */
const BEST = "#1d4ed8";
const MEDIAN = "#b45309";
/** Dots only while they stay apart; 500 values read as a line. */
const MAX_DOTS = 40;
/** Up to this many values, each gets its tick. */
const MAX_VALUE_TICKS = 8;

// significant digits, not decimals: a grid of 0.001 steps must not read 0, 0, 0
const tick = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 3 });

type Props = { series: MarginalSeries; metricLabel: string; unit: Unit };

export default function MarginalChart({ series, metricLabel, unit }: Props) {
  const dots = series.points.length <= MAX_DOTS;
  const axisLabel = unit === "pct" ? `${metricLabel} (%)` : metricLabel;
  const yAxis = metricAxis(series.points);
  const xTicks = valueTicks(series.points);
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={series.points} margin={{ top: 8, right: 20, bottom: 20, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis
          type="number"
          dataKey="value"
          domain={["dataMin", "dataMax"]}
          ticks={xTicks}
          interval="preserveStartEnd"
          tickFormatter={(v: number) => tick.format(v)}
          minTickGap={12}
          label={{ value: series.param, position: "insideBottom", offset: -12, fill: "#374151" }}
        />
        <YAxis
          width={64}
          domain={yAxis.domain}
          ticks={yAxis.ticks}
          interval={0}
          tickFormatter={(v: number) => tick.format(v)}
          label={{
            value: axisLabel,
            angle: -90,
            position: "insideLeft",
            offset: 2,
            style: { textAnchor: "middle" },
            fill: "#374151",
          }}
        />
        <Tooltip
          content={<PointTooltip param={series.param} metricLabel={metricLabel} unit={unit} />}
        />
        <Legend verticalAlign="top" height={24} />
        <Line
          type="linear"
          dataKey="best"
          name="Best"
          stroke={BEST}
          strokeWidth={1.8}
          dot={dots}
          isAnimationActive={false}
        />
        <Line
          type="linear"
          dataKey="median"
          name="Median"
          stroke={MEDIAN}
          strokeWidth={1.6}
          strokeDasharray="5 3"
          dot={dots}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** A few values: each one (5, 10, 15, 20, not 5, 9, 13, 20); many: round ticks inside them. */
function valueTicks(points: MarginalPoint[]): number[] {
  const values = points.map((p) => p.value);
  if (values.length <= MAX_VALUE_TICKS) return values;
  const [min, max] = [values[0] ?? 0, values[values.length - 1] ?? 0];
  return niceTicks(min, max).filter((v) => v >= min && v <= max);
}

/** Round ticks over both lines' values (Recharts' own "auto" gives 0.69, 0.805, ...). */
function metricAxis(points: MarginalPoint[]): {
  domain: [number, number] | ["auto", "auto"];
  ticks?: number[];
} {
  const values = points.flatMap((p) => [p.best, p.median]).filter((v): v is number => v !== null);
  const ticks = values.length ? niceTicks(Math.min(...values), Math.max(...values)) : [];
  const [first, last] = [ticks[0], ticks[ticks.length - 1]];
  if (first === undefined || last === undefined) return { domain: ["auto", "auto"] };
  return { domain: [first, last], ticks };
}

function PointTooltip({
  param,
  metricLabel,
  unit,
  active,
  payload,
}: {
  param: string;
  metricLabel: string;
  unit: Unit;
  active?: boolean;
  payload?: { payload: MarginalPoint }[];
}) {
  const point = payload?.[0]?.payload;
  if (!active || !point) return null;
  return (
    <div className="marginals-tooltip">
      <strong>
        {param} = {formatParamValue(point.value)}
      </strong>
      <br />
      {metricLabel}: best {formatValue(point.best, unit)}, median {formatValue(point.median, unit)}
      <br />
      over {formatValue(point.count, "count")} combination{point.count === 1 ? "" : "s"}
    </div>
  );
}
