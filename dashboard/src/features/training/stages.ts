// A running training's stages read from its job message. The trainer says "fold 2/5: 40/200"
// while fitting a fold (rounds, trees or epochs done), "final model: 3/10" for the last fit, then
// "backtesting …", "trained" and "saving the artifact"; the report arrives only at the end.

export type StageState = "done" | "running" | "waiting";
export type Stage = { label: string; state: StageState; detail?: string };

const FOLD = /^fold (\d+)\/(\d+)(?::\s*(.*))?$/;
const FINAL = /^final model(?::\s*(.*))?$/;
const AFTER_FIT = ["backtesting", "trained", "saving", "done"];

/** The folds, the final fit and the backtest, each marked done, running or waiting. */
export function trainingStages(message: string, expectedFolds: number): Stage[] {
  const text = message.trim();
  const fold = FOLD.exec(text);
  const final = FINAL.exec(text);
  const folds = fold ? Number(fold[2]) : expectedFolds;
  const afterFit = AFTER_FIT.some((word) => text.startsWith(word));
  // Which unit is being worked on: folds are 1..n, the final fit n+1, the backtest n+2.
  const current = fold ? Number(fold[1]) : final ? folds + 1 : afterFit ? folds + 2 : 0;
  const detail = fold?.[3] ?? final?.[1];
  const state = (unit: number): StageState =>
    unit < current ? "done" : unit === current ? "running" : "waiting";

  const stages: Stage[] = [];
  for (let k = 1; k <= folds; k += 1)
    stages.push(stage(`Fold ${k}`, state(k), k === current ? detail : undefined));
  stages.push(stage("Final model", state(folds + 1), final ? detail : undefined));
  stages.push(stage("Backtest and save", text === "done" ? "done" : state(folds + 2)));
  return stages;
}

function stage(label: string, state: StageState, detail?: string): Stage {
  return detail ? { label, state, detail } : { label, state };
}
