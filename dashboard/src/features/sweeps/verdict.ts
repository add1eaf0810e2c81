// The overfitting report in one plain sentence. The numbers (simulator/sweeps.py, shared/stats):
// - deflated Sharpe ratio (DSR): the probability that the best combination's true Sharpe beats the
//   Sharpe the best of n_trials skill-less strategies would show by luck; 0.95 is the bar.
// - PBO (CSCV): the share of in-sample/out-of-sample splits in which the in-sample winner ranks in
//   the bottom half out of sample; above 0.5 the selection is worse than picking at random.
import type { OverfittingReport } from "../../api/types";

export const DSR_SIGNIFICANCE = 0.95;

/** A probability as a percentage a reader can trust: never "100 %" for something short of it. */
export function percent(p: number): string {
  const pct = p * 100;
  if (pct > 0 && pct < 1) return "<1 %";
  if (pct > 99 && pct < 100) return ">99 %";
  return `${Math.round(pct)} %`;
}

/**
 * The API flags anything short of the bar as likely luck; a best that is more likely skill than
 * not (deflated Sharpe of 0.5 or more, PBO at most 0.5) but short of the bar is "not proven".
 */
type Reading = "luck" | "unproven" | "skill";

function reading(report: OverfittingReport): Reading {
  if (!report.likely_luck) return "skill";
  const dsr = report.deflated_sharpe_ratio;
  const pbo = report.pbo;
  return dsr !== null && dsr >= 0.5 && (pbo === null || pbo <= 0.5) ? "unproven" : "luck";
}

const TITLES: Record<Reading, string> = {
  luck: "Likely luck.",
  unproven: "Not proven.",
  skill: "Survives the tests.",
};

export function verdictTitle(report: OverfittingReport): string {
  return TITLES[reading(report)];
}

export function verdictSentence(report: OverfittingReport): string {
  const n = report.n_trials.toLocaleString("en-US");
  const combos = `${n} combination${report.n_trials === 1 ? "" : "s"}`;
  const lead =
    report.best_sharpe === null
      ? `The best of ${combos}`
      : `The best Sharpe of ${report.best_sharpe.toFixed(2)} out of ${combos}`;
  const dsr = report.deflated_sharpe_ratio;
  const skill =
    dsr === null
      ? " has no deflated Sharpe (its returns are too flat or too few to test)"
      : ` has a ${percent(dsr)} probability of being real skill rather than the luck of trying ${n} (deflated Sharpe ${dsr.toFixed(2)}; ${percent(DSR_SIGNIFICANCE)} is the bar)`;
  const pbo = report.pbo;
  const overfit =
    pbo === null
      ? ", and the probability of backtest overfitting could not be estimated"
      : `, and a PBO of ${pbo.toFixed(2)} means the in-sample winner fell into the bottom half out of sample in ${percent(pbo)} of the splits`;
  const conclusions: Record<Reading, string> = {
    luck: "treat it as likely luck",
    unproven: `short of the ${percent(DSR_SIGNIFICANCE)} bar, luck cannot be ruled out`,
    skill: pbo === null ? "it survives deflation" : "it survives both tests",
  };
  const conclusion = conclusions[reading(report)];
  return `${lead}${skill}${overfit}: ${conclusion}.`;
}

/**
 * "PBO over a seeded sample of K of N combinations" when CSCV ranked a sample of a large grid
 * (K is the sample, N every combination tried); null when it ranked them all or gave no PBO.
 */
export function pboSampleLine(report: OverfittingReport): string | null {
  const { combinations_sampled, n_combinations } = report.pbo_detail;
  if (report.pbo === null || !combinations_sampled || typeof n_combinations !== "number") {
    return null;
  }
  const k = n_combinations.toLocaleString("en-US");
  const n = report.n_trials.toLocaleString("en-US");
  return `PBO over a seeded sample of ${k} of ${n} combinations`;
}
