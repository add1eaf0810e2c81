// One study: live progress and the trials so far while it runs (with cancel), then each
// algorithm's best, the deflated Sharpe verdict, every trial ranked and "Register the best".
import { Link, useParams } from "react-router";
import { type Study, isFinal } from "../../api/types";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { ProgressBar, StatusBadge } from "../../features/jobs/JobStatus";
import { useCancelJob } from "../../features/jobs/api";
import { useJobEvents } from "../../features/jobs/useJobEvents";
import { AlgorithmBests } from "../../features/studies/AlgorithmBests";
import { RegisterBest } from "../../features/studies/RegisterBest";
import { StudyVerdictPanel } from "../../features/studies/StudyVerdictPanel";
import { TrialsTable } from "../../features/studies/TrialsTable";
import { useStudy } from "../../features/studies/api";
import { OBJECTIVES, type Objective } from "../../features/studies/form";
import { formatDate } from "../../lib/format";
import "../../features/sweeps/sweeps.css";
import "../../features/studies/studies.css";

export default function StudyResult() {
  const { id = "" } = useParams();
  const study = useStudy(id);
  return (
    <>
      <p className="crumbs">
        <Link to="/train">Train</Link> / <Link to="/train/studies">Studies</Link> /{" "}
        <code>{id.slice(0, 8)}</code>
      </p>
      {study.isPending ? (
        <Loading what="the study" />
      ) : study.isError ? (
        <ErrorNote error={study.error} retry={() => void study.refetch()} />
      ) : (
        <Result study={study.data} />
      )}
    </>
  );
}

function Result({ study }: { study: Study }) {
  const { request } = study;
  const report = study.report;
  const objective = report?.objective ?? request.objective;
  return (
    <>
      <h1>
        Study of {request.algorithms.join(", ")} on {request.symbols.join(", ")}{" "}
        <StatusBadge status={study.status} />
      </h1>
      <p className="muted">
        {request.source} ·{" "}
        {request.start || request.end
          ? `${formatDate(request.start)} → ${formatDate(request.end)}`
          : "all history"}{" "}
        · {study.n_trials} trials · maximising {OBJECTIVES[objective as Objective] ?? objective}
      </p>
      {!isFinal(study.status) && <LiveProgress study={study} />}
      {study.status === "failed" && (
        <Section title="Failed">
          <ErrorNote error={new Error(study.error ?? "the study failed")} />
        </Section>
      )}
      {study.status === "cancelled" && (
        <Section title="Cancelled">
          <p className="state">This study was cancelled; the trials it finished are below.</p>
        </Section>
      )}
      {report && (
        <>
          <Section title="Skill or luck?">
            <StudyVerdictPanel verdict={report.overfitting} />
          </Section>
          <Section title="Best per algorithm">
            <AlgorithmBests bests={report.by_algorithm} objective={objective} />
          </Section>
          {report.best && (
            <Section title="Register the best">
              <p className="hint">
                Trial #{report.best.number} ({report.best.algorithm}) won.
                {report.overfitting.likely_luck
                  ? " Its edge is likely luck: register with care."
                  : ""}
              </p>
              <RegisterBest
                studyId={study.study_id}
                suggestedName={`${report.best.algorithm ?? "agent"}-study-${request.symbols[0] ?? ""}`
                  .toLowerCase()
                  .replace(/[^a-z0-9_.-]/g, "-")}
                registeredModelId={study.model_id ?? null}
              />
            </Section>
          )}
        </>
      )}
      <Section title={report ? "Trials ranked" : "Trials so far"}>
        <TrialsTable trials={report?.ranked ?? study.trials ?? []} objective={objective} />
      </Section>
    </>
  );
}

function LiveProgress({ study }: { study: Study }) {
  const job = useJobEvents(study.job_id, true);
  const cancel = useCancelJob();
  const requested = cancel.isSuccess || job?.cancel_requested === true;
  return (
    <Section title="Running">
      <ProgressBar
        job={job ?? { progress: study.progress, status: study.status, message: study.status }}
      />
      <p className="sweep-actions">
        <span>
          {study.trials_done} of {study.n_trials} trials done
        </span>
        <button
          type="button"
          className="button button-small"
          disabled={cancel.isPending || requested}
          onClick={() => cancel.mutate(study.job_id)}
        >
          {requested ? "Cancelling…" : "Cancel study"}
        </button>
      </p>
      {cancel.isError && <ErrorNote error={cancel.error} />}
    </Section>
  );
}
