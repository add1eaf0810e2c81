// A study's deflated Sharpe verdict in one sentence: is the winner more than the luck of having
// tried n_trials agents? Same bar and wording of probabilities as the sweeps' verdict.
import type { StudyVerdict } from "../../api/types";
import { DSR_SIGNIFICANCE, percent } from "../sweeps/verdict";

export function studyVerdictTitle(verdict: StudyVerdict): string {
  return verdict.likely_luck ? "Likely luck." : "Survives deflation.";
}

export function studyVerdictSentence(verdict: StudyVerdict): string {
  const n = verdict.n_trials.toLocaleString("en-US");
  const trials = `${n} trial${verdict.n_trials === 1 ? "" : "s"}`;
  const best = verdict.best_sharpe_per_period;
  const lead =
    best === null
      ? `The best of ${trials}`
      : `The winner's per-bar Sharpe of ${best.toFixed(3)} out of ${trials}`;
  const dsr = verdict.deflated_sharpe_ratio;
  if (dsr === null) {
    return `${lead} has no deflated Sharpe (its returns are too flat or too few to test): treat it as likely luck.`;
  }
  const conclusion = verdict.likely_luck
    ? `short of the ${percent(DSR_SIGNIFICANCE)} bar, treat it as likely luck`
    : "it survives the luck of trying that many";
  return `${lead} has a ${percent(dsr)} probability of being real skill rather than the luck of trying ${n} (deflated Sharpe ${dsr.toFixed(2)}): ${conclusion}.`;
}
