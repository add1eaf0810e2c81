import { describe, expect, it } from "vitest";
import { trainingStages } from "./stages";

const states = (message: string, folds = 3) =>
  trainingStages(message, folds).map(
    (s) => `${s.label}:${s.state}${s.detail ? `(${s.detail})` : ""}`,
  );

describe("trainingStages", () => {
  it("waits on every stage while bars load", () => {
    expect(states("loading bars")).toEqual([
      "Fold 1:waiting",
      "Fold 2:waiting",
      "Fold 3:waiting",
      "Final model:waiting",
      "Backtest and save:waiting",
    ]);
  });

  it("marks earlier folds done and the current one running with its rounds", () => {
    expect(states("fold 2/4: 120/200", 3)).toEqual([
      "Fold 1:done",
      "Fold 2:running(120/200)",
      "Fold 3:waiting",
      "Fold 4:waiting",
      "Final model:waiting",
      "Backtest and save:waiting",
    ]);
  });

  it("moves on to the final model, then the backtest, then done", () => {
    expect(states("final model: 3/10")).toEqual([
      "Fold 1:done",
      "Fold 2:done",
      "Fold 3:done",
      "Final model:running(3/10)",
      "Backtest and save:waiting",
    ]);
    expect(states("saving the artifact").slice(-2)).toEqual([
      "Final model:done",
      "Backtest and save:running",
    ]);
    expect(states("done").slice(-1)).toEqual(["Backtest and save:done"]);
  });
});
