// One training: live progress (fold by fold, or an agent's timesteps) while its job runs, then
// the model it made.
import { Link, useParams } from "react-router";
import { type Training, isFinal } from "../../api/types";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { ProgressBar, StatusBadge } from "../../features/jobs/JobStatus";
import { useCancelJob } from "../../features/jobs/api";
import { useJobEvents } from "../../features/jobs/useJobEvents";
import {
  AgentFigures,
  AgentProgressFigures,
  AgentReport,
  TrainingCurve,
} from "../../features/training/AgentTraining";
import {
  BacktestWarning,
  FoldsTable,
  HeadlineFigures,
} from "../../features/training/TrainingReport";
import { TrainingStages } from "../../features/training/TrainingStages";
import { agentProgress, isAgentReport } from "../../features/training/agent-report";
import { useAlgorithms, useTraining } from "../../features/training/api";
import { isReinforcement } from "../../features/training/environment";
import { asRecord } from "../../features/training/report";
import { formatDate } from "../../lib/format";
import "../../features/training/training.css";

export default function TrainingResult() {
  const { id = "" } = useParams();
  const training = useTraining(id);
  return (
    <>
      <p className="crumbs train-crumbs">
        <Link to="/train">Train</Link> / <code>{id.slice(0, 8)}</code>
      </p>
      {training.isPending ? (
        <Loading what="the training" />
      ) : training.isError ? (
        <ErrorNote error={training.error} retry={() => void training.refetch()} />
      ) : (
        <Result training={training.data} />
      )}
    </>
  );
}

/** An agent's training: its algorithm's task says so; before the catalogue has loaded, an
 * environment in the request, a reinforcement report or a timesteps message says so. */
function useIsAgent(training: Training): boolean {
  const catalogue = useAlgorithms();
  const algorithm = catalogue.data?.items.find((a) => a.name === training.request.algorithm);
  return (
    isReinforcement(algorithm) ||
    !!training.request.environment ||
    isAgentReport(training.report) ||
    agentProgress(training.message) !== undefined
  );
}

function Result({ training }: { training: Training }) {
  const { request } = training;
  const agent = useIsAgent(training);
  return (
    <>
      <h1>
        {training.model_name} <StatusBadge status={training.status} />
      </h1>
      <p className="muted train-summary">
        {request.algorithm} on {request.symbols.join(", ")} ({request.source}, {request.interval}) ·{" "}
        {formatDate(request.start)} → {formatDate(request.end)} · hyperparameters{" "}
        <code>{JSON.stringify(request.hyperparameters ?? {})}</code>
      </p>
      {!isFinal(training.status) && <LiveProgress training={training} agent={agent} />}
      {training.status === "failed" && (
        <ErrorNote error={new Error(training.error ?? "the training failed")} />
      )}
      {training.status === "cancelled" && (
        <p className="state">
          This training was cancelled. <Link to="/train">Start another</Link>.
        </p>
      )}
      {training.status === "succeeded" && <Done training={training} agent={agent} />}
    </>
  );
}

function LiveProgress({ training, agent }: { training: Training; agent: boolean }) {
  const job = useJobEvents(training.job_id, true);
  const cancel = useCancelJob();
  const now = job ?? training;
  return (
    <Section title="Training">
      <ProgressBar job={now} />
      {agent ? (
        <>
          <AgentProgressFigures message={now.message} />
          <p className="hint">
            The reward curve and the out-of-sample figures appear once the agent is evaluated.
          </p>
        </>
      ) : (
        <>
          <TrainingStages message={now.message} folds={training.request.validation?.n_folds ?? 5} />
          <p className="hint">
            Per-fold scores appear once every fold and the final model are done.
          </p>
        </>
      )}
      <div className="train-actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate(training.job_id)}
        >
          {cancel.isPending ? "Cancelling…" : "Cancel training"}
        </button>
      </div>
      {cancel.isError && <ErrorNote error={cancel.error} />}
    </Section>
  );
}

function Done({ training, agent }: { training: Training; agent: boolean }) {
  const modelId = training.model_id;
  return (
    <>
      <Section title="Model">
        <HeadlineFigures report={training.report} />
        {agent && <AgentFigures report={training.report} />}
        <BacktestWarning report={training.report} />
        {modelId ? (
          <div className="train-actions">
            <Link className="button" to={`/models/${modelId}`}>
              Open the model
            </Link>
            <Link to={`/simulations?model=${encodeURIComponent(modelId)}`}>Simulate with it</Link>
          </div>
        ) : (
          <p className="state">The model is not registered yet.</p>
        )}
      </Section>
      {agent ? (
        <>
          <Section title="Training curve">
            <TrainingCurve curve={asRecord(training.report).curve} />
          </Section>
          <Section title="Time split and training run">
            <AgentReport report={training.report} />
          </Section>
        </>
      ) : (
        <Section title="Validation folds">
          <FoldsTable report={training.report} />
        </Section>
      )}
    </>
  );
}
