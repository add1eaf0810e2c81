import { Link } from "react-router";
import { messageOf } from "../../api/errors";
import { type Job, isFinal } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { ProgressBar, StatusBadge } from "./JobStatus";
import { useCancelJob } from "./api";
import { useJobEvents } from "./useJobEvents";
import "./jobs.css";

// Browsers keep about six connections per host: only a few rows hold a live stream, the rest
// follow the list's polling.
const MAX_LIVE_ROWS = 3;

export function JobsTable({ jobs, cancellable }: { jobs: Job[]; cancellable: boolean }) {
  const liveIds = new Set(
    jobs
      .filter((job) => !isFinal(job.status))
      .slice(0, MAX_LIVE_ROWS)
      .map((job) => job.id),
  );
  return (
    <div className="table-scroll">
      <table className="table jobs-table" aria-label="Jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Created</th>
            {cancellable && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} live={liveIds.has(job.id)} cancellable={cancellable} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function JobRow({ job, live, cancellable }: { job: Job; live: boolean; cancellable: boolean }) {
  const current = useJobEvents(job.id, live) ?? job;
  const cancel = useCancelJob();
  const target = resultLink(current);
  return (
    <tr>
      <td>
        <span className="job-kind">{current.kind}</span>
        <code className="job-id">{current.id.slice(0, 8)}</code>
        {target && (
          <Link to={target} className="row-link">
            open
          </Link>
        )}
      </td>
      <td data-label="Status">
        <StatusBadge status={current.status} />
      </td>
      <td className="cell-progress" data-label={current.status === "failed" ? "Error" : "Progress"}>
        {current.status === "failed" ? (
          <span className="error-text">{current.error ?? current.message}</span>
        ) : (
          <ProgressBar job={current} />
        )}
      </td>
      <td data-label="Created">{formatDateTime(current.created_at)}</td>
      {cancellable && (
        <td data-label="Action" className={isFinal(current.status) ? "cell-idle" : undefined}>
          {!isFinal(current.status) && (
            <button
              type="button"
              className="button button-small"
              disabled={cancel.isPending || current.cancel_requested}
              onClick={() => cancel.mutate(current.id)}
              aria-label={`Cancel job ${current.id.slice(0, 8)}`}
            >
              {current.cancel_requested ? "Cancelling…" : "Cancel"}
            </button>
          )}
          {cancel.isError && <span className="error-text">{messageOf(cancel.error)}</span>}
        </td>
      )}
    </tr>
  );
}

/** Where a job's outcome is shown, when the dashboard has a page for it. */
function resultLink(job: Job): string | undefined {
  const id = job.result?.simulation_id ?? job.params.simulation_id;
  // A stress test's report is on the page of the simulation it stresses.
  if ((job.kind === "simulation" || job.kind === "stress_test") && typeof id === "string") {
    return `/simulations/${id}`;
  }
  return undefined;
}
