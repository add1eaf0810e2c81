// The finished training: headline figures, the per-fold table and the backtest's caveat.
import { Figure } from "../../components/ui/Card";
import { Empty } from "../../components/ui/States";
import { asRecord, foldColumns, foldRows, formatScore, headlines } from "./report";

export function HeadlineFigures({ report }: { report: unknown }) {
  const figures = headlines(asRecord(report).metrics);
  if (figures.length === 0) return <Empty>The report has no metrics.</Empty>;
  return (
    <div className="figures">
      {figures.map((f) => (
        <Figure key={f.key} label={f.label} value={f.value} {...(f.tone ? { tone: f.tone } : {})} />
      ))}
    </div>
  );
}

export function FoldsTable({ report }: { report: unknown }) {
  const columns = foldColumns(asRecord(report).task);
  const rows = foldRows(report, columns);
  if (rows.length === 0) return <Empty>The report lists no folds.</Empty>;
  return (
    <div className="table-scroll">
      <table className="table table-numbers" aria-label="Validation folds">
        <thead>
          <tr>
            <th scope="col">Fold</th>
            <th scope="col">Train</th>
            <th scope="col">Test</th>
            <th scope="col">Train rows</th>
            <th scope="col">Test rows</th>
            {columns.map((c) => (
              <th key={`${c.side}-${c.key}`} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.index}>
              <td>{row.index}</td>
              <td>{row.trainRange}</td>
              <td>{row.testRange}</td>
              <td>{row.trainRows ?? "—"}</td>
              <td>{row.testRows ?? "—"}</td>
              {columns.map((c, i) => (
                <td key={`${c.side}-${c.key}`}>{formatScore(row.scores[i], c)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Purged k-fold's backtest is not out-of-sample; the trainer says so in the report. */
export function BacktestWarning({ report }: { report: unknown }) {
  const warning = asRecord(asRecord(report).backtest).warning;
  return typeof warning === "string" ? <p className="hint">{warning}</p> : null;
}
