// The seed's summary figures, then the risk metrics, as cards.
import type { Simulation } from "../../api/types";
import { Figure } from "../../components/ui/Card";
import { type Unit, formatValue } from "../../lib/format";

type Card = { key: string; label: string; unit: Unit; signed?: boolean };

const SEED: Card[] = [
  { key: "portfolio_start", label: "Portfolio start", unit: "money" },
  { key: "portfolio_end", label: "Portfolio end", unit: "money" },
  { key: "total_trades", label: "Trades", unit: "count" },
  { key: "max_drawdown_pct", label: "Max drawdown", unit: "pct" },
  { key: "avg_trade_return_pct", label: "Avg trade return", unit: "pct", signed: true },
  { key: "best_trade_return_pct", label: "Best trade", unit: "pct", signed: true },
  { key: "worst_trade_return_pct", label: "Worst trade", unit: "pct", signed: true },
];

const RISK: Card[] = [
  { key: "total_return_pct", label: "Total return", unit: "pct", signed: true },
  { key: "annual_return_pct", label: "Annual return", unit: "pct", signed: true },
  { key: "volatility_pct", label: "Volatility (ann.)", unit: "pct" },
  { key: "sharpe", label: "Sharpe", unit: "ratio", signed: true },
  { key: "sortino", label: "Sortino", unit: "ratio", signed: true },
  { key: "calmar", label: "Calmar", unit: "ratio", signed: true },
  { key: "max_drawdown_duration_days", label: "Longest drawdown", unit: "days" },
  { key: "win_rate_pct", label: "Win rate", unit: "pct" },
  { key: "profit_factor", label: "Profit factor", unit: "ratio" },
  { key: "exposure_pct", label: "Exposure", unit: "pct" },
  { key: "fees_paid", label: "Fees paid", unit: "money" },
];

export function SummaryCards({ simulation }: { simulation: Simulation }) {
  const values: Record<string, unknown> = { ...simulation.metrics, ...simulation };
  return (
    <>
      <h3 className="sub">Summary</h3>
      <div className="figures">{SEED.map((c) => card(c, values[c.key]))}</div>
      <h3 className="sub">Risk</h3>
      <div className="figures">{RISK.map((c) => card(c, values[c.key]))}</div>
    </>
  );
}

function card(c: Card, value: unknown) {
  const tone =
    c.signed && typeof value === "number" && value !== 0 ? (value > 0 ? "good" : "bad") : undefined;
  return <Figure key={c.key} label={c.label} value={formatValue(value, c.unit)} tone={tone} />;
}
