// One sweep: live progress while its job runs, a resume button when it stopped, then the best
// combination, the overfitting verdict, each parameter's marginals, the heatmap and every
// combination.
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { type Sweep, type SweepReport, isFinal } from "../../api/types";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { ProgressBar, StatusBadge } from "../../features/jobs/JobStatus";
import { useJobEvents } from "../../features/jobs/useJobEvents";
import { BestCombination } from "../../features/sweeps/BestCombination";
import { CombinationsTable } from "../../features/sweeps/CombinationsTable";
import { Heatmap } from "../../features/sweeps/Heatmap";
import { MarginalsPanel } from "../../features/sweeps/MarginalsPanel";
import { OverfittingPanel } from "../../features/sweeps/OverfittingPanel";
import {
  combinationsLoader,
  useAllCombinations,
  useResumeSweep,
  useSweep,
} from "../../features/sweeps/api";
import { engineLine } from "../../features/sweeps/engine";
import { METRICS, type Metric } from "../../features/sweeps/form";
import { formatDate, formatValue } from "../../lib/format";
import "../../features/sweeps/sweeps.css";

export default function SweepResult() {
  const { id = "" } = useParams();
  const sweep = useSweep(id);
  return (
    <>
      <p className="crumbs sweep-meta">
        <Link to="/sweeps">Sweeps</Link> / <code>{id.slice(0, 8)}</code>
      </p>
      {sweep.isPending ? (
        <Loading what="the sweep" />
      ) : sweep.isError ? (
        <ErrorNote error={sweep.error} retry={() => void sweep.refetch()} />
      ) : (
        <Result sweep={sweep.data} />
      )}
    </>
  );
}

function Result({ sweep }: { sweep: Sweep }) {
  const { request } = sweep;
  const metric = request.metric as Metric;
  return (
    <>
      <h1>
        {request.strategy ?? request.model_id} sweep on {request.symbols.join(", ")}{" "}
        <StatusBadge status={sweep.status} />
      </h1>
      <p className="muted sweep-meta">
        {request.source} ·{" "}
        {request.start || request.end
          ? `${formatDate(request.start)} → ${formatDate(request.end)}`
          : "all history"}{" "}
        · {formatValue(sweep.n_combinations, "count")} combinations · ranked by {METRICS[metric]}
        {Object.keys(request.params ?? {}).length > 0 && (
          <>
            {" "}
            · fixed <code>{JSON.stringify(request.params)}</code>
          </>
        )}
      </p>
      {sweep.result && <EngineLine report={sweep.result} />}
      {!isFinal(sweep.status) && <LiveProgress sweep={sweep} />}
      {(sweep.status === "failed" || sweep.status === "cancelled") && <Stopped sweep={sweep} />}
      {sweep.status === "succeeded" && <Done sweep={sweep} />}
    </>
  );
}

function EngineLine({ report }: { report: SweepReport }) {
  const line = engineLine(report);
  return line === null ? null : <p className="muted sweep-engine">{line}</p>;
}

function LiveProgress({ sweep }: { sweep: Sweep }) {
  const job = useJobEvents(sweep.job_id, true);
  return (
    <Section title="Running">
      <ProgressBar
        job={job ?? { progress: sweep.progress, status: sweep.status, message: sweep.status }}
      />
      <p className="hint">
        {sweep.n_chunks} chunk{sweep.n_chunks === 1 ? "" : "s"} of combinations run across the
        simulation workers; the results appear here when the last one is done.
      </p>
    </Section>
  );
}

function Stopped({ sweep }: { sweep: Sweep }) {
  const resume = useResumeSweep(sweep.sweep_id);
  return (
    <Section title={sweep.status === "failed" ? "Failed" : "Cancelled"}>
      {sweep.status === "failed" ? (
        <ErrorNote error={new Error(sweep.error ?? "the sweep failed")} />
      ) : (
        <p className="state">This sweep was cancelled.</p>
      )}
      <p className="sweep-actions">
        <button
          type="button"
          className="button"
          onClick={() => resume.mutate()}
          disabled={resume.isPending}
        >
          {resume.isPending ? "Resuming…" : "Resume sweep"}
        </button>
        <span className="hint">chunks already finished are kept, not run again</span>
      </p>
      {resume.isError && <ErrorNote error={resume.error} />}
    </Section>
  );
}

function Done({ sweep }: { sweep: Sweep }) {
  const load = useMemo(() => combinationsLoader(sweep.sweep_id), [sweep.sweep_id]);
  const combos = useAllCombinations(sweep.sweep_id, load, true);
  const report = sweep.result;
  const metric = sweep.request.metric as Metric;
  if (!report) return <ErrorNote error={new Error("the sweep finished without a report")} />;
  return (
    <>
      <Section title="Best combination">
        <BestCombination best={report.best} request={sweep.request} />
      </Section>
      <Section title="Skill or luck?">
        <OverfittingPanel report={report.overfitting} />
      </Section>
      <Section title="Parameter marginals">
        <MarginalsPanel
          marginals={report.marginals}
          nCombinations={report.n_combinations}
          metric={metric}
        />
      </Section>
      <Section title="Heatmap">
        {combos.isPending ? (
          <Loading what="the combinations" />
        ) : combos.isError ? (
          <ErrorNote error={combos.error} retry={() => void combos.refetch()} />
        ) : (
          <Heatmap
            combos={combos.data.items}
            metric={metric}
            total={gridSize(report, combos.data)}
            gridMaps={report.heatmaps}
          />
        )}
      </Section>
      <Section title="All combinations">
        {combos.isPending ? (
          <Loading what="the combinations" />
        ) : combos.isError ? (
          <ErrorNote error={combos.error} retry={() => void combos.refetch()} />
        ) : (
          <CombinationsTable
            combos={combos.data.items}
            metric={metric}
            total={gridSize(report, combos.data)}
          />
        )}
      </Section>
    </>
  );
}

/**
 * Combinations in the grid: the listing's total can be smaller, since a chunk of a big grid keeps
 * only its best rows for the listing.
 */
function gridSize(report: SweepReport, listing: { total: number }): number {
  return Math.max(report.n_combinations, listing.total);
}
