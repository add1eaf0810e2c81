// Two to six simulations side by side (/simulations/compare?ids=a,b,c): their metrics, then their
// equity curves overlaid from a common 1.0. Loaded on demand, so Recharts stays out of the first
// bundle.
import { Suspense, lazy, useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { Section } from "../../components/ui/Card";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import type { CurveLine } from "../../features/simulations/CompareEquity";
import { type CompareColumn, CompareTable } from "../../features/simulations/CompareTable";
import { MAX_COMPARED, MIN_COMPARED, idsFrom } from "../../features/simulations/compare";
import { useEquities, useSimulationsById } from "../../features/simulations/compareApi";

const CompareEquity = lazy(() => import("../../features/simulations/CompareEquity"));

// Distinct at a glance and on white (each at least 3:1), in the order columns appear.
const COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777"];

export default function SimulationCompare() {
  const [search] = useSearchParams();
  const asked = useMemo(() => idsFrom(search), [search]);
  const ids = asked.slice(0, MAX_COMPARED);
  return (
    <>
      <p className="crumbs">
        <Link to="/simulations">Simulations</Link> / compare
      </p>
      <h1>Compare simulations</h1>
      {ids.length < MIN_COMPARED ? (
        <Empty>
          Choose at least two simulations to compare: tick them in{" "}
          <Link to="/simulations">the list of simulations</Link> and press “Compare selected”.
        </Empty>
      ) : (
        <>
          {asked.length > MAX_COMPARED && (
            <p className="state">
              Showing the first {MAX_COMPARED} of the {asked.length} simulations asked for.
            </p>
          )}
          <Comparison ids={ids} />
        </>
      )}
    </>
  );
}

function Comparison({ ids }: { ids: string[] }) {
  const sims = useSimulationsById(ids);
  const ready = sims.map((q) => q.data?.status === "succeeded");
  const equities = useEquities(ids, ready);
  const columns: CompareColumn[] = ids.map((id, i) => ({
    id,
    sim: sims[i]?.data,
    error: sims[i]?.error,
    pending: sims[i]?.isPending ?? true,
    color: COLORS[i % COLORS.length] ?? "#2563eb",
  }));
  const curves: CurveLine[] = columns.flatMap((c, i) => {
    const points = equities[i]?.data?.items;
    if (!c.sim || !points) return [];
    const name = `${c.sim.model_used} · ${c.sim.request.symbols.join(", ")}`;
    return [{ key: `s${i}`, name, color: c.color, points }];
  });
  const equityPending = equities.some((q, i) => ready[i] && q.isPending);
  const equityError = equities.find((q) => q.isError)?.error;
  const curvesKey = curves.map((c) => `${c.key}:${c.points.length}`).join();
  // A stable array while the same curves are loaded, so the chart does not recompute each render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: curvesKey says when curves change
  const stableCurves = useMemo(() => curves, [curvesKey]);

  return (
    <>
      <Section title="Metrics">
        <CompareTable columns={columns} />
      </Section>
      <Section title="Normalised equity">
        {equityError !== undefined && <ErrorNote error={equityError} />}
        {equityPending ? (
          <Loading what="the equity curves" />
        ) : (
          <Suspense fallback={<Loading what="the chart" />}>
            <CompareEquity curves={stableCurves} />
          </Suspense>
        )}
      </Section>
    </>
  );
}
