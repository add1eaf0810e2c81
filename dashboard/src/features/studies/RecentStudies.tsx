import { Link } from "react-router";
import { type Study, isFinal } from "../../api/types";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDate, formatDateTime } from "../../lib/format";
import { ProgressBar, StatusBadge } from "../jobs/JobStatus";
import { useStudies } from "./api";
import { OBJECTIVES, type Objective } from "./form";

export function RecentStudies({ limit }: { limit: number }) {
  const studies = useStudies(limit);
  if (studies.isPending) return <Loading what="studies" />;
  if (studies.isError) {
    return <ErrorNote error={studies.error} retry={() => void studies.refetch()} />;
  }
  if (studies.data.items.length === 0) {
    return (
      <Empty>
        No studies yet. <a href="#study-form">Start one with the form above</a>.
      </Empty>
    );
  }
  return (
    <ScrollRegion label="Recent studies, scrollable">
      <table className="table table-numbers" aria-label="Recent studies">
        <thead>
          <tr>
            <th scope="col">Study</th>
            <th scope="col">Status</th>
            <th scope="col">Trials</th>
            <th scope="col">Objective</th>
            <th scope="col">Range</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {studies.data.items.map((s) => (
            <StudyRow key={s.study_id} study={s} />
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function StudyRow({ study }: { study: Study }) {
  const { request } = study;
  return (
    <tr>
      <td>
        <Link to={`/train/studies/${study.study_id}`}>
          {request.algorithms.join(" vs ")} · {request.symbols.join(", ")}
        </Link>
      </td>
      <td className={isFinal(study.status) ? undefined : "cell-progress"}>
        {isFinal(study.status) ? (
          <StatusBadge status={study.status} />
        ) : (
          <ProgressBar job={{ ...study, message: study.status }} />
        )}
      </td>
      <td>
        {study.trials_done} / {study.n_trials}
      </td>
      <td>{OBJECTIVES[request.objective as Objective] ?? request.objective}</td>
      <td>
        {request.start || request.end
          ? `${formatDate(request.start)} → ${formatDate(request.end)}`
          : "all history"}
      </td>
      <td>{formatDateTime(study.created_at)}</td>
    </tr>
  );
}
