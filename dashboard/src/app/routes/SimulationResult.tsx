// One simulation: live progress while its job runs, then the figures, charts and trades.
// Loaded on demand, so that Recharts stays out of the first page's bundle.
import { Suspense, lazy, useMemo } from "react";
import { Link, useParams } from "react-router";
import { type Simulation, isFinal } from "../../api/types";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { ProgressBar, StatusBadge } from "../../features/jobs/JobStatus";
import { useJobEvents } from "../../features/jobs/useJobEvents";
import { MonthlyReturns } from "../../features/simulations/MonthlyReturns";
import { PriceAndTrades } from "../../features/simulations/PriceAndTrades";
import { StressTests } from "../../features/simulations/StressTests";
import { SummaryCards } from "../../features/simulations/SummaryCards";
import { TradesTable } from "../../features/simulations/TradesTable";
import { tradesLoader, useEquity, useSimulation } from "../../features/simulations/api";
import { formatDate } from "../../lib/format";

const EquityCharts = lazy(() => import("../../features/simulations/EquityCharts"));

export default function SimulationResult() {
  const { id = "" } = useParams();
  const sim = useSimulation(id);
  return (
    <>
      <p className="crumbs">
        <Link to="/simulations">Simulations</Link> / <code>{id.slice(0, 8)}</code>
      </p>
      {sim.isPending ? (
        <Loading what="the simulation" />
      ) : sim.isError ? (
        <ErrorNote error={sim.error} retry={() => void sim.refetch()} />
      ) : (
        <Result sim={sim.data} />
      )}
    </>
  );
}

function Result({ sim }: { sim: Simulation }) {
  const done = sim.status === "succeeded";
  const title = `${sim.model_used} on ${sim.request.symbols.join(", ")}`;
  return (
    <>
      <h1>
        {title} <StatusBadge status={sim.status} />
      </h1>
      <p className="muted">
        {sim.request.source} · {formatDate(sim.start_date ?? sim.request.start)} →{" "}
        {formatDate(sim.end_date ?? sim.request.end)} · params{" "}
        <code>{JSON.stringify(sim.request.params ?? {})}</code>
      </p>
      {!isFinal(sim.status) && <LiveProgress sim={sim} />}
      {sim.status === "failed" && (
        <ErrorNote error={new Error(sim.error ?? "the simulation failed")} />
      )}
      {sim.status === "cancelled" && <p className="state">This simulation was cancelled.</p>}
      {done && <Done sim={sim} />}
    </>
  );
}

function LiveProgress({ sim }: { sim: Simulation }) {
  const job = useJobEvents(sim.job_id, true);
  return (
    <Section title="Running">
      <ProgressBar job={job ?? { progress: 0, status: sim.status, message: sim.status }} />
    </Section>
  );
}

function Done({ sim }: { sim: Simulation }) {
  const equity = useEquity(sim.simulation_id, true);
  const load = useMemo(() => tradesLoader(sim.simulation_id), [sim.simulation_id]);
  return (
    <>
      <Section title="Results">
        <SummaryCards simulation={sim} />
      </Section>
      <Section title="Equity and drawdown">
        {equity.isPending ? (
          <Loading what="the equity curve" />
        ) : equity.isError ? (
          <ErrorNote error={equity.error} retry={() => void equity.refetch()} />
        ) : (
          <Suspense fallback={<Loading what="charts" />}>
            <EquityCharts points={equity.data.items} />
          </Suspense>
        )}
      </Section>
      <Section title="Price and trades">
        <PriceAndTrades sim={sim} load={load} />
      </Section>
      <Section title="Trades">
        <TradesTable queryKey={sim.simulation_id} load={load} />
      </Section>
      <Section title="Monthly returns">
        {equity.isPending ? (
          <Loading what="the equity curve" />
        ) : equity.isError ? (
          <ErrorNote error={equity.error} retry={() => void equity.refetch()} />
        ) : (
          <MonthlyReturns points={equity.data.items} initialEquity={sim.portfolio_start} />
        )}
      </Section>
      <Section title="Stress tests">
        <StressTests simulationId={sim.simulation_id} initialCash={sim.request.initial_cash} />
      </Section>
    </>
  );
}
