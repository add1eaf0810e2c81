// A simulation's stress tests: the form that queues one, the list with live progress, and the
// chosen test's report.
import { useState } from "react";
import { messageOf } from "../../api/errors";
import { type StressTest, isFinal } from "../../api/types";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDateTime, formatValue } from "../../lib/format";
import { ProgressBar, StatusBadge } from "../jobs/JobStatus";
import { useCancelJob } from "../jobs/api";
import { useJobEvents } from "../jobs/useJobEvents";
import { StressForm } from "./StressForm";
import { StressReportView } from "./StressReportView";
import { useStressTests, useSubmitStress } from "./stressApi";
import "./simulation-extras.css";

// Browsers keep about six connections per host: only a few rows hold a live stream.
const MAX_LIVE_ROWS = 2;

export function StressTests({
  simulationId,
  initialCash,
}: { simulationId: string; initialCash: number | null | undefined }) {
  const tests = useStressTests(simulationId);
  const submit = useSubmitStress(simulationId);
  const [chosenId, setChosenId] = useState<string>();
  const items = tests.data?.items ?? [];
  const chosen =
    items.find((t) => t.stress_id === chosenId) ??
    items.find((t) => t.status === "succeeded") ??
    items[0];

  return (
    <>
      <h3 className="sub">New stress test</h3>
      <StressForm
        pending={submit.isPending}
        submitError={submit.error ?? undefined}
        onSubmit={(request) =>
          submit.mutate(request, { onSuccess: (accepted) => setChosenId(accepted.stress_id) })
        }
      />
      <h3 className="sub">Stress tests of this simulation</h3>
      {tests.isPending ? (
        <Loading what="stress tests" />
      ) : tests.isError ? (
        <ErrorNote error={tests.error} retry={() => void tests.refetch()} />
      ) : items.length === 0 ? (
        <Empty>
          No stress tests yet. Run one with the form above (50 scenarios take a minute).
        </Empty>
      ) : (
        <>
          <StressList tests={items} chosenId={chosen?.stress_id} onChoose={setChosenId} />
          {chosen && <StressReportView test={chosen} initialCash={initialCash} />}
        </>
      )}
    </>
  );
}

function StressList({
  tests,
  chosenId,
  onChoose,
}: { tests: StressTest[]; chosenId: string | undefined; onChoose: (id: string) => void }) {
  const live = new Set(
    tests
      .filter((t) => !isFinal(t.status))
      .slice(0, MAX_LIVE_ROWS)
      .map((t) => t.stress_id),
  );
  return (
    <div className="table-scroll">
      <table className="table table-numbers" aria-label="Stress tests">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Scenarios</th>
            <th scope="col">P(loss)</th>
            <th scope="col">Report</th>
          </tr>
        </thead>
        <tbody>
          {tests.map((t) => (
            <StressRow
              key={t.stress_id}
              test={t}
              live={live.has(t.stress_id)}
              chosen={t.stress_id === chosenId}
              onChoose={() => onChoose(t.stress_id)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StressRow({
  test,
  live,
  chosen,
  onChoose,
}: { test: StressTest; live: boolean; chosen: boolean; onChoose: () => void }) {
  const job = useJobEvents(test.job_id, live);
  const cancel = useCancelJob();
  const status = job?.status ?? test.status;
  const methods = (test.request.methods ?? []).join(" + ");
  return (
    <tr className={chosen ? "row-chosen" : undefined}>
      <td>{formatDateTime(test.created_at)}</td>
      <td>
        <StatusBadge status={status} />
      </td>
      <td className="cell-progress">
        {status === "failed" ? (
          <span className="error-text">{job?.error ?? test.error ?? "the stress test failed"}</span>
        ) : (
          <ProgressBar job={job ?? { progress: test.progress, status: test.status, message: "" }} />
        )}
        {!isFinal(status) && (
          <button
            type="button"
            className="link-button"
            disabled={cancel.isPending || job?.cancel_requested}
            onClick={() => cancel.mutate(test.job_id)}
          >
            {job?.cancel_requested ? "Cancelling…" : "Cancel"}
          </button>
        )}
        {cancel.isError && <span className="error-text">{messageOf(cancel.error)}</span>}
      </td>
      <td>
        {formatValue(test.request.n_scenarios, "count")} · {methods}
      </td>
      <td>{formatValue(lossPct(test), "pct")}</td>
      <td>
        <button
          type="button"
          className="button button-small"
          aria-pressed={chosen}
          onClick={onChoose}
        >
          {chosen ? "Shown" : "Show"}
        </button>
      </td>
    </tr>
  );
}

const lossPct = (test: StressTest) => (test.result ? test.result.all.prob_loss * 100 : undefined);
