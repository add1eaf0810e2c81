// One stress test's report: how often it lost, the percentiles of each outcome against the
// simulation's own, and histograms of final equity and drawdown (charts load on demand).
import { Suspense, lazy, useId, useState } from "react";
import type { Distribution, ScenarioSummary, StressReport, StressTest } from "../../api/types";
import { Figure } from "../../components/ui/Card";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { ErrorNote, Loading } from "../../components/ui/States";
import { type Unit, formatValue } from "../../lib/format";

const StressHistograms = lazy(() => import("./StressHistograms"));

export function StressReportView({
  test,
  initialCash,
}: { test: StressTest; initialCash: number | null | undefined }) {
  const headingId = useId();
  const heading = (
    <h3 className="sub" id={headingId}>
      Report · {test.request.n_scenarios} scenarios, seed {test.request.seed}
    </h3>
  );
  if (test.status === "failed") {
    return (
      <>
        {heading}
        <ErrorNote error={new Error(test.error ?? "the stress test failed")} />
      </>
    );
  }
  if (test.status === "cancelled") {
    return (
      <>
        {heading}
        <p className="state">This stress test was cancelled.</p>
      </>
    );
  }
  if (!test.result) {
    return (
      <>
        {heading}
        <p className="state">
          Still running; its report appears here when all its scenarios are done.
        </p>
      </>
    );
  }
  return (
    <section aria-labelledby={headingId} className="stress-report">
      {heading}
      <Report report={test.result} initialCash={initialCash} />
    </section>
  );
}

function Report({
  report,
  initialCash,
}: { report: StressReport; initialCash: number | null | undefined }) {
  const [group, setGroup] = useState("all");
  const summary: ScenarioSummary = report.by_method[group] ?? report.all;
  const groups = ["all", ...Object.keys(report.by_method)];
  return (
    <>
      {groups.length > 2 && (
        <fieldset className="segmented">
          <legend>Scenarios shown</legend>
          {groups.map((g) => (
            <label key={g}>
              <input
                type="radio"
                name="stress-group"
                value={g}
                checked={group === g}
                onChange={() => setGroup(g)}
              />
              {g === "all" ? "All" : g} ({(report.by_method[g] ?? report.all).n_scenarios})
            </label>
          ))}
        </fieldset>
      )}
      <div className="figures">
        <Figure
          label="P(loss)"
          value={formatValue(summary.prob_loss * 100, "pct")}
          tone={summary.prob_loss > 0.5 ? "bad" : undefined}
        />
        <Figure label="Scenarios" value={formatValue(summary.n_scenarios, "count")} />
        <Figure
          label="Median final equity"
          value={formatValue(summary.portfolio_end.p50, "money")}
        />
        <Figure
          label="This run's final equity"
          value={formatValue(report.baseline.portfolio_end, "money")}
        />
        <Figure
          label="Median max drawdown"
          value={formatValue(summary.max_drawdown_pct.p50, "pct")}
        />
        <Figure
          label="This run's max drawdown"
          value={formatValue(report.baseline.max_drawdown_pct, "pct")}
        />
      </div>
      <QuantileTable summary={summary} report={report} />
      <Suspense fallback={<Loading what="histograms" />}>
        <StressHistograms
          summary={summary}
          baseline={report.baseline}
          initialCash={initialCash ?? null}
        />
      </Suspense>
    </>
  );
}

const OUTCOMES: {
  key: keyof ScenarioSummary & keyof StressReport["baseline"];
  label: string;
  unit: Unit;
}[] = [
  { key: "portfolio_end", label: "Final equity", unit: "money" },
  { key: "total_return_pct", label: "Total return", unit: "pct" },
  { key: "max_drawdown_pct", label: "Max drawdown", unit: "pct" },
  { key: "sharpe", label: "Sharpe", unit: "ratio" },
];

function QuantileTable({ summary, report }: { summary: ScenarioSummary; report: StressReport }) {
  return (
    <ScrollRegion label="Stress test percentiles, scrollable">
      <table className="table table-numbers" aria-label="Stress test percentiles">
        <thead>
          <tr>
            <th scope="col">Outcome</th>
            <th scope="col">This run</th>
            <th scope="col">Mean</th>
            {report.percentiles.map((p) => (
              <th scope="col" key={p}>
                p{p}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {OUTCOMES.map(({ key, label, unit }) => {
            const dist = summary[key] as Distribution;
            const values = dist as unknown as Record<string, number | null>;
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td>{formatValue(report.baseline[key], unit)}</td>
                <td>{formatValue(dist.mean, unit)}</td>
                {report.percentiles.map((p) => (
                  <td key={p}>{formatValue(values[`p${p}`], unit)}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
