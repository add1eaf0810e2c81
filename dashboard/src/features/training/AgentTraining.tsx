// An RL agent's training: live timesteps and episode reward while it runs, then its figures,
// learning curve and time windows (an agent has no folds).
import { Suspense, lazy } from "react";
import { Figure } from "../../components/ui/Card";
import { Loading } from "../../components/ui/States";
import { FactList } from "./FactList";
import {
  agentFigures,
  agentProgress,
  formatReward,
  trainingFacts,
  windowFacts,
} from "./agent-report";
import { asRecord } from "./report";
import "./agent.css";

const TrainingCurveChart = lazy(() => import("./TrainingCurveChart"));

/** What the running job says: timesteps done of those asked, and the recent episode reward. */
export function AgentProgressFigures({ message }: { message: string }) {
  const progress = agentProgress(message);
  if (!progress) return <p className="muted train-agent-stage">{message}</p>;
  return (
    <div className="figures" aria-live="polite">
      <Figure
        label="Timesteps"
        value={`${progress.timesteps.toLocaleString("en-US")} / ${progress.total.toLocaleString("en-US")}`}
      />
      <Figure
        label="Mean episode reward"
        value={
          progress.meanReward === undefined ? "no episode yet" : formatReward(progress.meanReward)
        }
      />
    </div>
  );
}

/** Mean episode reward, speed and device, after the out-of-sample headline figures. */
export function AgentFigures({ report }: { report: unknown }) {
  const figures = agentFigures(report);
  if (figures.length === 0) return null;
  return (
    <div className="figures train-agent-figures">
      {figures.map((f) => (
        <Figure key={f.label} label={f.label} value={f.value} />
      ))}
    </div>
  );
}

export function TrainingCurve({ curve }: { curve: unknown }) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <TrainingCurveChart curve={curve} />
    </Suspense>
  );
}

/** The windows and the run: {train, evaluation} windows and the training counters. */
export function AgentWindows({ windows, training }: { windows: unknown; training: unknown }) {
  return (
    <div className="agent-grid">
      <div>
        <h3 className="sub">Time split</h3>
        <FactList facts={windowFacts(windows)} label="Time split" />
      </div>
      <div>
        <h3 className="sub">Training run</h3>
        <FactList facts={trainingFacts(training)} label="Training run" />
      </div>
    </div>
  );
}

/** The finished report's parts, for the training page. */
export function AgentReport({ report }: { report: unknown }) {
  const r = asRecord(report);
  return <AgentWindows windows={r.windows} training={r.training} />;
}
