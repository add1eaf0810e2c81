import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { OverfittingPanel } from "./OverfittingPanel";

describe("OverfittingPanel", () => {
  it("reads its verdict as title, space, sentence", () => {
    render(
      <OverfittingPanel
        report={{
          n_trials: 16,
          best_sharpe: 0.8,
          best_sharpe_per_period: 0.051,
          sharpe_variance_per_period: 0.0004,
          expected_max_sharpe_per_period: 0.017,
          deflated_sharpe_ratio: 0.92,
          pbo: 0.45,
          pbo_detail: {},
          likely_luck: true,
          verdict: "",
        }}
      />,
    );
    const verdict = screen.getByText(/The best Sharpe of 0\.80/).closest("p");
    expect(verdict?.textContent).toMatch(/^Not proven\. The best Sharpe of 0\.80 out of 16/);
  });
});

describe("OverfittingPanel on a sampled PBO", () => {
  it("says PBO was computed on a seeded sample, once", () => {
    render(
      <OverfittingPanel
        report={{
          n_trials: 1_000_000,
          best_sharpe: 1.1,
          best_sharpe_per_period: 0.07,
          sharpe_variance_per_period: 0.0004,
          expected_max_sharpe_per_period: 0.05,
          deflated_sharpe_ratio: 0.4,
          pbo: 0.6,
          pbo_detail: {
            n_combinations: 2_000,
            combinations_sampled: true,
            note: "CSCV ranked a seeded sample of 2,000 of the 1,000,000 combinations",
          },
          likely_luck: true,
          verdict: "",
        }}
      />,
    );
    expect(
      screen.getByText("PBO over a seeded sample of 2,000 of 1,000,000 combinations."),
    ).toBeInTheDocument();
    expect(screen.queryByText(/CSCV ranked a seeded sample/)).toBeNull();
  });
});
