// How each swept parameter moves the metric on its own: the best and median over every
// combination holding each value (the report's marginals, computed over the whole grid).
import { Suspense, lazy, useMemo } from "react";
import { Link } from "react-router";
import type { SweepReport } from "../../api/types";
import { Empty, Loading } from "../../components/ui/States";
import { type Unit, formatValue } from "../../lib/format";
import { METRICS, type Metric, metricUnit } from "./form";
import { type MarginalSeries, formatParamValue, marginalSeries } from "./marginals";

const MarginalChart = lazy(() => import("./MarginalChart"));

type Props = {
  marginals: SweepReport["marginals"];
  nCombinations: number;
  metric: Metric;
};

export function MarginalsPanel({ marginals, nCombinations, metric }: Props) {
  const series = useMemo(
    () => marginalSeries(marginals, nCombinations),
    [marginals, nCombinations],
  );
  if (series.length === 0) {
    return (
      <Empty>
        This sweep's report has no parameter marginals (it predates them).{" "}
        <Link to="/sweeps">Run the sweep again</Link> to see how each parameter moves the{" "}
        {METRICS[metric]}.
      </Empty>
    );
  }
  const label = METRICS[metric];
  const unit = metricUnit(metric);
  return (
    <>
      <p className="hint">
        For each value of a parameter, the best and the median {label} over every combination that
        holds it — the whole grid, not only the rows loaded below.
      </p>
      <div className="charts marginals">
        {series.map((s) => (
          <Marginal key={s.param} series={s} label={label} unit={unit} />
        ))}
      </div>
    </>
  );
}

function Marginal({ series, label, unit }: { series: MarginalSeries; label: string; unit: Unit }) {
  const n = series.points.length;
  return (
    <figure className="chart marginal" aria-label={`Best and median ${label} by ${series.param}`}>
      <figcaption>
        <strong>{series.param}</strong>: best and median {label} at each of {n} value
        {n === 1 ? "" : "s"}
        {series.thinned ? " (evenly picked; the grid has more)" : ""}
      </figcaption>
      {!series.defined ? (
        <Empty>
          No combination has a defined {label} (no trades?), so there is nothing to draw.
        </Empty>
      ) : n === 1 ? (
        <MarginalTable series={series} label={label} unit={unit} />
      ) : (
        <>
          <Suspense fallback={<Loading what="the chart" />}>
            <MarginalChart series={series} metricLabel={label} unit={unit} />
          </Suspense>
          <details className="marginal-values">
            <summary>The values as a table</summary>
            <MarginalTable series={series} label={label} unit={unit} />
          </details>
        </>
      )}
    </figure>
  );
}

function MarginalTable({
  series,
  label,
  unit,
}: { series: MarginalSeries; label: string; unit: Unit }) {
  return (
    <div className="table-scroll">
      <table className="table table-numbers">
        <caption className="visually-hidden">
          Best and median {label} by {series.param}
        </caption>
        <thead>
          <tr>
            <th scope="col">{series.param}</th>
            <th scope="col">Combinations</th>
            <th scope="col">Best</th>
            <th scope="col">Median</th>
          </tr>
        </thead>
        <tbody>
          {series.points.map((p) => (
            <tr key={p.value}>
              <th scope="row">{formatParamValue(p.value)}</th>
              <td>{formatValue(p.count, "count")}</td>
              <td>{formatValue(p.best, unit)}</td>
              <td>{formatValue(p.median, unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
