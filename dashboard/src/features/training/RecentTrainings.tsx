import { Link } from "react-router";
import { type Training, isFinal } from "../../api/types";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDateTime } from "../../lib/format";
import { ProgressBar, StatusBadge } from "../jobs/JobStatus";
import { useTrainings } from "./api";

export function RecentTrainings({ limit }: { limit: number }) {
  const trainings = useTrainings(limit);
  if (trainings.isPending) return <Loading what="trainings" />;
  if (trainings.isError) {
    return <ErrorNote error={trainings.error} retry={() => void trainings.refetch()} />;
  }
  if (trainings.data.items.length === 0) {
    return (
      <Empty>
        No trainings yet. <a href="#training-form">Train a model with the form above</a>.
      </Empty>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Recent trainings">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {trainings.data.items.map((t) => (
            <TrainingRow key={t.training_id} training={t} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TrainingRow({ training }: { training: Training }) {
  return (
    <tr>
      <td>
        <Link to={`/train/${training.training_id}`}>{training.model_name}</Link>
      </td>
      <td>{training.request.algorithm}</td>
      <td>
        <StatusBadge status={training.status} />
      </td>
      <td className="cell-progress">
        {isFinal(training.status) ? (
          <span className="muted">
            {training.status === "failed" ? "failed" : training.message || "—"}
          </span>
        ) : (
          <ProgressBar job={training} />
        )}
      </td>
      <td>{formatDateTime(training.created_at)}</td>
    </tr>
  );
}
