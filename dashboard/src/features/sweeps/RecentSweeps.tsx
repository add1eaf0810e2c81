import { Link } from "react-router";
import { type Combination, type Sweep, isFinal } from "../../api/types";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDate, formatDateTime, formatValue } from "../../lib/format";
import { ProgressBar, StatusBadge } from "../jobs/JobStatus";
import { useSweepReports, useSweeps } from "./api";
import { METRICS, type Metric, metricUnit } from "./form";

export function RecentSweeps({ limit }: { limit: number }) {
  const sweeps = useSweeps(limit);
  const reports = useSweepReports(sweeps.data?.items ?? []);
  if (sweeps.isPending) return <Loading what="sweeps" />;
  if (sweeps.isError) return <ErrorNote error={sweeps.error} retry={() => void sweeps.refetch()} />;
  if (sweeps.data.items.length === 0) {
    return (
      <Empty>
        No sweeps yet. <a href="#new-sweep">Launch one with the form above</a>.
      </Empty>
    );
  }
  const bestOf = new Map(
    reports.flatMap((r) => (r.data?.result ? [[r.data.sweep_id, r.data.result]] : [])),
  );
  return (
    <div className="table-scroll">
      <table className="table table-numbers" aria-label="Recent sweeps">
        <thead>
          <tr>
            <th scope="col">Sweep</th>
            <th scope="col">Status</th>
            <th scope="col">Combinations</th>
            <th scope="col">Best objective</th>
            <th scope="col">Range</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {sweeps.data.items.map((s) => (
            <SweepRow key={s.sweep_id} sweep={s} best={bestOf.get(s.sweep_id)?.best} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SweepRow({ sweep, best }: { sweep: Sweep; best: Combination | undefined }) {
  const request = sweep.request;
  const metric = request.metric as Metric;
  return (
    <tr>
      <td>
        <Link to={`/sweeps/${sweep.sweep_id}`}>
          {request.strategy ?? request.model_id} · {request.symbols.join(", ")}
        </Link>
      </td>
      <td className={isFinal(sweep.status) ? undefined : "cell-progress"}>
        {isFinal(sweep.status) ? (
          <StatusBadge status={sweep.status} />
        ) : (
          <ProgressBar job={{ ...sweep, message: sweep.status }} />
        )}
      </td>
      <td>{formatValue(sweep.n_combinations, "count")}</td>
      <td>
        {best
          ? `${METRICS[metric] ?? metric} ${formatValue(best[metric], metricUnit(metric))}`
          : "—"}
      </td>
      <td>
        {request.start || request.end
          ? `${formatDate(request.start)} → ${formatDate(request.end)}`
          : "all history"}
      </td>
      <td>{formatDateTime(sweep.created_at)}</td>
    </tr>
  );
}
