import { useState } from "react";
import { Link, useNavigate } from "react-router";
import type { Simulation } from "../../api/types";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDate, formatValue } from "../../lib/format";
import { StatusBadge } from "../jobs/JobStatus";
import { useSimulations } from "./api";
import { MAX_COMPARED, MIN_COMPARED, compareHref } from "./compare";
import "./simulation-extras.css";

/** The newest simulations; with `selectable`, tick two to six and open them side by side. */
export function RecentSimulations({
  limit,
  selectable = false,
}: { limit: number; selectable?: boolean }) {
  const sims = useSimulations(limit);
  const navigate = useNavigate();
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) =>
    setSelected((ids) => (ids.includes(id) ? ids.filter((s) => s !== id) : [...ids, id]));
  if (sims.isPending) return <Loading what="simulations" />;
  if (sims.isError) return <ErrorNote error={sims.error} retry={() => void sims.refetch()} />;
  if (sims.data.items.length === 0) {
    return (
      <Empty>
        No simulations yet. <Link to="/simulations">Run a backtest</Link>.
      </Empty>
    );
  }
  const canCompare = selected.length >= MIN_COMPARED && selected.length <= MAX_COMPARED;
  return (
    <>
      {selectable && (
        <div className="compare-bar">
          <button
            type="button"
            className="button button-small"
            disabled={!canCompare}
            onClick={() => navigate(compareHref(selected))}
          >
            Compare selected ({selected.length})
          </button>
          <span className="hint" aria-live="polite">
            {selected.length > MAX_COMPARED
              ? `Compare at most ${MAX_COMPARED} at once; untick ${selected.length - MAX_COMPARED}.`
              : `Tick ${MIN_COMPARED}–${MAX_COMPARED} simulations to compare them.`}
          </span>
        </div>
      )}
      <div className="table-scroll">
        <table className="table table-numbers" aria-label="Recent simulations">
          <thead>
            <tr>
              {selectable && (
                <th scope="col">
                  <span className="visually-hidden">Select</span>
                </th>
              )}
              <th scope="col">Simulation</th>
              <th scope="col">Status</th>
              <th scope="col">Range</th>
              <th scope="col">End value</th>
              <th scope="col">Return</th>
              <th scope="col">Sharpe</th>
              <th scope="col">Max DD</th>
            </tr>
          </thead>
          <tbody>
            {sims.data.items.map((s) => (
              <SimulationRow
                key={s.simulation_id}
                sim={s}
                selection={
                  selectable
                    ? {
                        checked: selected.includes(s.simulation_id),
                        toggle: () => toggle(s.simulation_id),
                      }
                    : undefined
                }
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

type Selection = { checked: boolean; toggle: () => void };

function SimulationRow({ sim, selection }: { sim: Simulation; selection?: Selection }) {
  const symbols = sim.request.symbols.join(", ");
  return (
    <tr>
      {selection && (
        <td>
          <input
            type="checkbox"
            checked={selection.checked}
            onChange={selection.toggle}
            aria-label={`Select ${sim.model_used} · ${symbols} (${sim.simulation_id.slice(0, 8)})`}
          />
        </td>
      )}
      <td>
        <Link to={`/simulations/${sim.simulation_id}`}>
          {sim.model_used} · {symbols}
        </Link>
      </td>
      <td>
        <StatusBadge status={sim.status} />
      </td>
      <td>
        {formatDate(sim.start_date ?? sim.request.start)} →{" "}
        {formatDate(sim.end_date ?? sim.request.end)}
      </td>
      <td>{formatValue(sim.portfolio_end, "money")}</td>
      <td>{formatValue(sim.metrics?.total_return_pct, "pct")}</td>
      <td>{formatValue(sim.metrics?.sharpe, "ratio")}</td>
      <td>{formatValue(sim.max_drawdown_pct, "pct")}</td>
    </tr>
  );
}
