import { ScrollRegion } from "../../components/ui/ScrollRegion";
// Each validation fold's windows and out-of-sample scores, with mean ± std below.
import type { Metadata } from "./metadata";
import { foldSummary, foldTable } from "./metadata";

export function FoldMetrics({ meta }: { meta: Metadata }) {
  const { metrics, rows } = foldTable(meta);
  if (rows.length === 0) return <p className="muted">No per-fold metrics were recorded.</p>;
  const summary = foldSummary(meta, metrics);
  return (
    <ScrollRegion label="Per-fold metrics (scrolls sideways)">
      <table className="table table-numbers" aria-label="Per-fold metrics">
        <thead>
          <tr>
            <th scope="col">Fold</th>
            <th scope="col">Train window</th>
            <th scope="col">Test window</th>
            <th scope="col">Train rows</th>
            <th scope="col">Test rows</th>
            {metrics.map((m) => (
              <th key={m} scope="col">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.index}>
              <th scope="row">{r.index}</th>
              <td>{r.train}</td>
              <td>{r.test}</td>
              <td>{r.trainRows}</td>
              <td>{r.testRows}</td>
              {metrics.map((m) => (
                <td key={m}>{r.scores[m] ?? "—"}</td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={5}>
              Mean ± std over folds
            </th>
            {metrics.map((m) => (
              <td key={m}>{summary[m]}</td>
            ))}
          </tr>
        </tfoot>
      </table>
    </ScrollRegion>
  );
}
