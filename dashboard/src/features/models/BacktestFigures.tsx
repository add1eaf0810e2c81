import { ScrollRegion } from "../../components/ui/ScrollRegion";
// The out-of-sample backtest of the folds' decisions beside buy-and-hold over the same bars.
import { formatValue } from "../../lib/format";
import { FactList } from "./ModelMetadata";
import { type Metadata, backtestView } from "./metadata";

export function BacktestFigures({ meta }: { meta: Metadata }) {
  const bt = backtestView(meta);
  if (!bt) {
    return <p className="muted">No out-of-sample backtest was run for this model.</p>;
  }
  return (
    <>
      {bt.warning && <p className="warning-note">{bt.warning}</p>}
      <p className="muted">
        {bt.period} · {bt.bars} bars
      </p>
      <ScrollRegion label="Out-of-sample backtest (scrolls sideways)">
        <table className="table table-numbers" aria-label="Out-of-sample backtest">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col">Model</th>
              <th scope="col">Buy and hold</th>
            </tr>
          </thead>
          <tbody>
            {bt.rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{formatValue(r.model, r.unit)}</td>
                <td>{formatValue(r.hold, r.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <div className="meta-grid">
        <div>
          <h3 className="sub">Model only</h3>
          <FactList facts={bt.extra} label="Backtest figures" />
        </div>
        {bt.policy && bt.decision.length === 0 ? (
          <div>
            <h3 className="sub">Policy</h3>
            <p className="muted">
              The agent's {bt.policy} actions on bars it never saw in training; it has no decision
              thresholds.
            </p>
          </div>
        ) : (
          <div>
            <h3 className="sub">Decision rule</h3>
            <FactList facts={bt.decision} label="Decision rule" />
          </div>
        )}
      </div>
    </>
  );
}
