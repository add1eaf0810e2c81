import { trainingStages } from "./stages";

const MARK = { done: "✓", running: "…", waiting: "·" } as const;

/** Each fold, the final fit and the backtest, ticked off as the job's messages arrive. */
export function TrainingStages({ message, folds }: { message: string; folds: number }) {
  const stages = trainingStages(message, folds);
  return (
    <ol className="train-stages" aria-label="Training stages">
      {stages.map((s) => (
        <li key={s.label} className={`train-stage train-stage-${s.state}`}>
          <span aria-hidden="true" className="train-stage-mark">
            {MARK[s.state]}
          </span>{" "}
          {s.label}
          <span className="visually-hidden"> ({s.state})</span>
          {s.detail && <span className="train-stage-detail"> {s.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
