// The best combination's parameters and metrics, and a button that backtests it on its own
// (equity curve, trades) as a simulation.
import { useNavigate } from "react-router";
import type { Combination, SweepRequest } from "../../api/types";
import { Figure } from "../../components/ui/Card";
import { ErrorNote } from "../../components/ui/States";
import { formatValue } from "../../lib/format";
import { useSubmitSimulation } from "../simulations/api";
import { simulationFor } from "./simulate";

export function BestCombination({ best, request }: { best: Combination; request: SweepRequest }) {
  const navigate = useNavigate();
  const submit = useSubmitSimulation();
  const simulate = () =>
    submit.mutate(simulationFor(request, best.params), {
      onSuccess: (accepted) => navigate(`/simulations/${accepted.simulation_id}`),
    });
  return (
    <>
      <h3 className="sub">Parameters</h3>
      <div className="figures">
        {Object.entries(best.params).map(([name, value]) => (
          <Figure key={name} label={name} value={formatValue(value, "ratio")} />
        ))}
      </div>
      <h3 className="sub">Metrics</h3>
      <div className="figures">
        <Figure label="Sharpe" value={formatValue(best.sharpe, "ratio")} />
        <Figure label="Sortino" value={formatValue(best.sortino, "ratio")} />
        <Figure label="Calmar" value={formatValue(best.calmar, "ratio")} />
        <Figure
          label="Total return"
          value={formatValue(best.total_return_pct, "pct")}
          tone={tone(best.total_return_pct)}
        />
        <Figure label="Max drawdown" value={formatValue(best.max_drawdown_pct, "pct")} />
        <Figure label="End value" value={formatValue(best.portfolio_end, "money")} />
        <Figure label="Trades" value={formatValue(best.total_trades, "count")} />
      </div>
      <p className="sweep-actions">
        <button type="button" className="button" onClick={simulate} disabled={submit.isPending}>
          {submit.isPending ? "Submitting…" : "Simulate this"}
        </button>
        <span className="hint">
          backtests these parameters alone, with its equity curve and trades
        </span>
      </p>
      {submit.isError && <ErrorNote error={submit.error} />}
    </>
  );
}

function tone(value: number | null): "good" | "bad" | undefined {
  if (value === null) return undefined;
  return value >= 0 ? "good" : "bad";
}
