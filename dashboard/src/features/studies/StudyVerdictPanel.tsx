// Is the study's winner skill or luck: its deflated Sharpe ratio given the trials made.
import type { StudyVerdict } from "../../api/types";
import { Figure } from "../../components/ui/Card";
import { formatValue } from "../../lib/format";
import { DSR_SIGNIFICANCE } from "../sweeps/verdict";
import { studyVerdictSentence, studyVerdictTitle } from "./verdict";

export function StudyVerdictPanel({ verdict }: { verdict: StudyVerdict }) {
  const dsr = verdict.deflated_sharpe_ratio;
  return (
    <>
      <p
        className={`sweep-verdict ${verdict.likely_luck ? "sweep-verdict-luck" : "sweep-verdict-skill"}`}
      >
        <strong>{studyVerdictTitle(verdict)}</strong> {studyVerdictSentence(verdict)}
      </p>
      <div className="figures">
        <Figure
          label="Deflated Sharpe ratio"
          value={formatValue(dsr, "ratio")}
          tone={dsr === null ? undefined : dsr >= DSR_SIGNIFICANCE ? "good" : "bad"}
        />
        <Figure label="Trials" value={formatValue(verdict.n_trials, "count")} />
        <Figure label="Best Sharpe per bar" value={perBar(verdict.best_sharpe_per_period)} />
        <Figure
          label="Luck's best, per bar"
          value={perBar(verdict.expected_max_sharpe_per_period)}
        />
      </div>
    </>
  );
}

/** Per-bar Sharpe ratios are small (a daily 0.05 is about 0.8 a year): three decimals. */
function perBar(value: number | null): string {
  return value === null || !Number.isFinite(value) ? "—" : value.toFixed(3);
}
