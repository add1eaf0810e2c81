// Is the best combination skill or luck: the deflated Sharpe ratio and PBO, read in one sentence.
import type { OverfittingReport } from "../../api/types";
import { Figure } from "../../components/ui/Card";
import { formatValue } from "../../lib/format";
import { DSR_SIGNIFICANCE, pboSampleLine, verdictSentence, verdictTitle } from "./verdict";

export function OverfittingPanel({ report }: { report: OverfittingReport }) {
  const dsr = report.deflated_sharpe_ratio;
  const sample = pboSampleLine(report);
  // the API's note says the same as the sample line when PBO was sampled
  const note = sample === null ? report.pbo_detail.note : null;
  return (
    <>
      <p
        className={`sweep-verdict ${report.likely_luck ? "sweep-verdict-luck" : "sweep-verdict-skill"}`}
      >
        <strong>{verdictTitle(report)}</strong> {verdictSentence(report)}
      </p>
      {sample && <p className="sweep-pbo-sample">{sample}.</p>}
      <div className="figures">
        <Figure
          label="Deflated Sharpe ratio"
          value={formatValue(dsr, "ratio")}
          tone={dsr === null ? undefined : dsr >= DSR_SIGNIFICANCE ? "good" : "bad"}
        />
        <Figure
          label="PBO"
          value={formatValue(report.pbo, "ratio")}
          tone={report.pbo === null ? undefined : report.pbo > 0.5 ? "bad" : "good"}
        />
        <Figure label="Combinations tried" value={formatValue(report.n_trials, "count")} />
        <Figure label="Best Sharpe (annual)" value={formatValue(report.best_sharpe, "ratio")} />
        <Figure label="Best Sharpe per bar" value={perBar(report.best_sharpe_per_period)} />
        <Figure
          label="Luck's best, per bar"
          value={perBar(report.expected_max_sharpe_per_period)}
        />
      </div>
      <p className="hint">
        The deflated Sharpe ratio is the probability that the best Sharpe beats what the best of{" "}
        {formatValue(report.n_trials, "count")} strategies without skill would show by chance (
        {DSR_SIGNIFICANCE} is the bar). PBO, the probability of backtest overfitting, is how often
        the in-sample winner ranks in the bottom half out of sample (above 0.5 is worse than a
        random pick).
        {note ? ` PBO: ${note}.` : ""}
      </p>
    </>
  );
}

/** Per-bar Sharpe ratios are small (a daily 0.05 is about 0.8 a year): three decimals. */
function perBar(value: number | null): string {
  return value === null || !Number.isFinite(value) ? "—" : value.toFixed(3);
}
