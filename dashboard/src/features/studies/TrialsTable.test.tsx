import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Trial } from "../../api/types";
import { TrialsTable } from "./TrialsTable";

function trial(number: number, algorithm: string, value: number | null, failed = false): Trial {
  return {
    number,
    state: failed ? "failed" : "complete",
    algorithm,
    hyperparameters: { learning_rate: 0.000312345, n_steps: 64 },
    value,
    metrics: {},
    sr_period: null,
    skew: null,
    kurtosis: null,
    n_obs: 250,
    error: failed ? "diverged" : null,
    worker: null,
  };
}

// In trial order, as GET /studies/{id} lists them while the study runs.
const TRIALS = [
  trial(0, "ppo", 0.4),
  trial(1, "a2c", 1.25),
  trial(2, "ppo", null, true),
  trial(3, "a2c", -0.3),
  trial(4, "ppo", 0.9),
];

const rows = () =>
  within(screen.getByRole("table", { name: "Trials" }))
    .getAllByRole("row")
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    );

describe("TrialsTable", () => {
  it("ranks by the objective, best first, failed last", () => {
    render(<TrialsTable trials={TRIALS} objective="oos_sharpe" />);
    expect(rows()).toEqual([
      ["1", "#1", "a2c", "1.25", "learning_rate 0.0003123, n_steps 64", "complete"],
      ["2", "#4", "ppo", "0.9", "learning_rate 0.0003123, n_steps 64", "complete"],
      ["3", "#0", "ppo", "0.4", "learning_rate 0.0003123, n_steps 64", "complete"],
      ["4", "#3", "a2c", "-0.3", "learning_rate 0.0003123, n_steps 64", "complete"],
      ["5", "#2", "ppo", "—", "learning_rate 0.0003123, n_steps 64", "failed: diverged"],
    ]);
  });

  it("filters by algorithm and keeps the study-wide ranks", async () => {
    render(<TrialsTable trials={TRIALS} objective="oos_total_return_pct" />);
    await userEvent.setup().selectOptions(screen.getByLabelText("Show algorithm"), "a2c");
    expect(rows().map((r) => [r[0], r[1], r[3]])).toEqual([
      ["1", "#1", "1.25 %"],
      ["4", "#3", "-0.3 %"],
    ]);
  });

  it("says so when no trial has finished", () => {
    render(<TrialsTable trials={[]} objective="oos_sharpe" />);
    expect(screen.getByText("No trial has finished yet.")).toBeInTheDocument();
  });
});
