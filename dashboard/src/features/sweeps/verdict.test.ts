import { describe, expect, it } from "vitest";
import type { OverfittingReport } from "../../api/types";
import { pboSampleLine, percent, verdictSentence, verdictTitle } from "./verdict";

function report(patch: Partial<OverfittingReport>): OverfittingReport {
  return {
    n_trials: 120,
    best_sharpe: 1.2,
    best_sharpe_per_period: 0.075,
    sharpe_variance_per_period: 0.0004,
    expected_max_sharpe_per_period: 0.05,
    deflated_sharpe_ratio: 0.62,
    pbo: 0.31,
    pbo_detail: {},
    likely_luck: true,
    verdict: "",
    ...patch,
  };
}

describe("verdictSentence", () => {
  it("calls a best that is more likely skill than not, but short of the bar, not proven", () => {
    expect(verdictTitle(report({}))).toBe("Not proven.");
    expect(verdictSentence(report({}))).toBe(
      "The best Sharpe of 1.20 out of 120 combinations has a 62 % probability of being real " +
        "skill rather than the luck of trying 120 (deflated Sharpe 0.62; 95 % is the bar), and a " +
        "PBO of 0.31 means the in-sample winner fell into the bottom half out of sample in 31 % " +
        "of the splits: short of the 95 % bar, luck cannot be ruled out.",
    );
  });

  it("calls a weak deflated Sharpe or a high PBO likely luck", () => {
    const weak = report({ deflated_sharpe_ratio: 0.3 });
    expect(verdictTitle(weak)).toBe("Likely luck.");
    expect(verdictSentence(weak)).toMatch(/: treat it as likely luck\.$/);
    const overfit = report({ deflated_sharpe_ratio: 0.9, pbo: 0.6 });
    expect(verdictTitle(overfit)).toBe("Likely luck.");
    expect(
      verdictTitle(report({ deflated_sharpe_ratio: 0.99, pbo: 0.1, likely_luck: false })),
    ).toBe("Survives the tests.");
  });

  it("says when the best survives both tests", () => {
    expect(
      verdictSentence(report({ deflated_sharpe_ratio: 0.987, pbo: 0.05, likely_luck: false })),
    ).toBe(
      "The best Sharpe of 1.20 out of 120 combinations has a 99 % probability of being real " +
        "skill rather than the luck of trying 120 (deflated Sharpe 0.99; 95 % is the bar), and a " +
        "PBO of 0.05 means the in-sample winner fell into the bottom half out of sample in 5 % " +
        "of the splits: it survives both tests.",
    );
  });

  it("copes with a missing deflated Sharpe, Sharpe and PBO", () => {
    expect(
      verdictSentence(
        report({
          n_trials: 1,
          best_sharpe: null,
          deflated_sharpe_ratio: null,
          pbo: null,
          likely_luck: true,
        }),
      ),
    ).toBe(
      "The best of 1 combination has no deflated Sharpe (its returns are too flat or too few " +
        "to test), and the probability of backtest overfitting could not be estimated: treat " +
        "it as likely luck.",
    );
  });

  it("says the best survives deflation when there is no PBO to check", () => {
    expect(
      verdictSentence(report({ deflated_sharpe_ratio: 0.97, pbo: null, likely_luck: false })),
    ).toMatch(/could not be estimated: it survives deflation\.$/);
  });
});

describe("percent", () => {
  it("never rounds a probability to a certainty or to zero", () => {
    expect(percent(0.9996)).toBe(">99 %");
    expect(percent(0.004)).toBe("<1 %");
    expect(percent(1)).toBe("100 %");
    expect(percent(0)).toBe("0 %");
    expect(percent(0.625)).toBe("63 %");
  });
});

describe("pboSampleLine", () => {
  it("says PBO was computed over a seeded sample of the grid", () => {
    const sampled = report({
      n_trials: 1_000_000,
      pbo_detail: { n_combinations: 2_000, combinations_sampled: true },
    });
    expect(pboSampleLine(sampled)).toBe(
      "PBO over a seeded sample of 2,000 of 1,000,000 combinations",
    );
  });

  it("says nothing when every combination was ranked, or there is no PBO", () => {
    expect(
      pboSampleLine(report({ pbo_detail: { n_combinations: 120, combinations_sampled: false } })),
    ).toBeNull();
    expect(pboSampleLine(report({ pbo_detail: {} }))).toBeNull();
    expect(
      pboSampleLine(
        report({ pbo: null, pbo_detail: { n_combinations: 10, combinations_sampled: true } }),
      ),
    ).toBeNull();
  });
});
