// Trials in rank order and the few hyperparameters worth a column.
import type { Trial } from "../../api/types";

/** Best objective first; trials without a value (failed or undefined) last, by number. */
export function rankTrials(trials: readonly Trial[]): Trial[] {
  return [...trials].sort((a, b) => {
    const va = a.state === "complete" ? a.value : null;
    const vb = b.state === "complete" ? b.value : null;
    if (va != null && vb != null && va !== vb) return vb - va;
    if (va != null && vb == null) return -1;
    if (va == null && vb != null) return 1;
    return a.number - b.number;
  });
}

/** A trial's hyperparameters as "name value" pairs, numbers to four significant digits. */
export function keyHyperparameters(trial: Trial): string {
  return Object.entries(trial.hyperparameters ?? {})
    .map(
      ([name, value]) =>
        `${name} ${typeof value === "number" ? shortNumber(value) : String(value)}`,
    )
    .join(", ");
}

function shortNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
