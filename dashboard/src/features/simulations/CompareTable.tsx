// Metrics side by side: one column per simulation (headed by what it ran), the best value of each
// row marked. A column whose simulation could not be read says why instead.
import { Link } from "react-router";
import { messageOf } from "../../api/errors";
import type { Simulation } from "../../api/types";
import { formatDate, formatValue } from "../../lib/format";
import { StatusBadge } from "../jobs/JobStatus";
import { compareRows } from "./compare";
import "./simulation-extras.css";

export type CompareColumn = {
  id: string;
  sim: Simulation | undefined;
  error: unknown;
  pending: boolean;
  /** the colour of this simulation's line in the overlay */
  color: string;
};

export function CompareTable({ columns }: { columns: CompareColumn[] }) {
  const rows = compareRows(columns.map((c) => (c.sim?.status === "succeeded" ? c.sim : undefined)));
  return (
    <div className="table-scroll">
      <table className="table table-numbers compare-table" aria-label="Compared metrics">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {columns.map((c) => (
              <th scope="col" key={c.id} className="compare-head">
                <ColumnHead column={c} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">
                {row.label}
                {row.better && (
                  <span className="muted compare-better">
                    {row.better === "higher" ? " ↑" : " ↓"}
                  </span>
                )}
              </th>
              {row.values.map((value, i) => {
                const best = row.best.includes(i);
                return (
                  <td key={columns[i]?.id ?? i} className={best ? "best" : undefined}>
                    {formatValue(value, row.unit)}
                    {best && (
                      <>
                        <span aria-hidden="true"> ★</span>
                        <span className="visually-hidden"> (best)</span>
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">↑ higher is better, ↓ lower is better; ★ marks the best of each row.</p>
    </div>
  );
}

function ColumnHead({ column }: { column: CompareColumn }) {
  const { id, sim, error, pending, color } = column;
  const short = <code>{id.slice(0, 8)}</code>;
  if (pending) return <span className="muted">Loading {short}…</span>;
  if (!sim) {
    return (
      <span className="compare-error" role="alert">
        {short}: {messageOf(error)}
      </span>
    );
  }
  return (
    <span className="compare-sim">
      <span className="compare-swatch" style={{ background: color }} aria-hidden="true" />
      <Link to={`/simulations/${sim.simulation_id}`}>{sim.request.strategy ?? sim.model_used}</Link>
      <span className="compare-detail">{sim.request.symbols.join(", ")}</span>
      <span className="compare-detail">
        <code>{JSON.stringify(sim.request.params ?? {})}</code>
      </span>
      <span className="compare-detail muted">
        {formatDate(sim.start_date ?? sim.request.start)} →{" "}
        {formatDate(sim.end_date ?? sim.request.end)}
      </span>
      {sim.status !== "succeeded" && <StatusBadge status={sim.status} />}
    </span>
  );
}
