import { describe, expect, it } from "vitest";
import type { StudyVerdict } from "../../api/types";
import { studyVerdictSentence, studyVerdictTitle } from "./verdict";

const base: StudyVerdict = {
  n_trials: 20,
  best_sharpe_per_period: 0.0812,
  sharpe_variance_per_period: 0.0004,
  expected_max_sharpe_per_period: 0.035,
  deflated_sharpe_ratio: 0.97,
  likely_luck: false,
  verdict: "survives",
};

describe("study verdict", () => {
  it("says a winner above the bar survives", () => {
    expect(studyVerdictTitle(base)).toBe("Survives deflation.");
    expect(studyVerdictSentence(base)).toBe(
      "The winner's per-bar Sharpe of 0.081 out of 20 trials has a 97 % probability of being real skill rather than the luck of trying 20 (deflated Sharpe 0.97): it survives the luck of trying that many.",
    );
  });

  it("calls a winner under the bar likely luck", () => {
    const luck = { ...base, deflated_sharpe_ratio: 0.6, likely_luck: true };
    expect(studyVerdictTitle(luck)).toBe("Likely luck.");
    expect(studyVerdictSentence(luck)).toBe(
      "The winner's per-bar Sharpe of 0.081 out of 20 trials has a 60 % probability of being real skill rather than the luck of trying 20 (deflated Sharpe 0.60): short of the 95 % bar, treat it as likely luck.",
    );
  });

  it("says so when no deflated Sharpe could be computed", () => {
    const flat = {
      ...base,
      n_trials: 1,
      best_sharpe_per_period: null,
      deflated_sharpe_ratio: null,
      likely_luck: true,
    };
    expect(studyVerdictSentence(flat)).toBe(
      "The best of 1 trial has no deflated Sharpe (its returns are too flat or too few to test): treat it as likely luck.",
    );
  });
});
