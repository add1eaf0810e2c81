import { Link } from "react-router";
import type { Simulation } from "../../api/types";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDate, formatValue } from "../../lib/format";
import { StatusBadge } from "../jobs/JobStatus";
import { useSimulations } from "./api";

export function RecentSimulations({ limit }: { limit: number }) {
  const sims = useSimulations(limit);
  if (sims.isPending) return <Loading what="simulations" />;
  if (sims.isError) return <ErrorNote error={sims.error} retry={() => void sims.refetch()} />;
  if (sims.data.items.length === 0) {
    return (
      <Empty>
        No simulations yet. <Link to="/simulations">Run a backtest</Link>.
      </Empty>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table table-numbers" aria-label="Recent simulations">
        <thead>
          <tr>
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
            <SimulationRow key={s.simulation_id} sim={s} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SimulationRow({ sim }: { sim: Simulation }) {
  const symbols = sim.request.symbols.join(", ");
  return (
    <tr>
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
