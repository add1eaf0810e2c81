import type { Job } from "../../api/types";

export function StatusBadge({ status }: { status: Job["status"] }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function ProgressBar({ job }: { job: Pick<Job, "progress" | "status" | "message"> }) {
  const pct = Math.round(job.progress * 100);
  return (
    <div className="progress-wrap">
      <progress max={100} value={pct} aria-label={`progress ${pct}%`} />
      <span className="progress-text">
        {pct}%{job.message ? ` · ${job.message}` : ""}
      </span>
    </div>
  );
}
