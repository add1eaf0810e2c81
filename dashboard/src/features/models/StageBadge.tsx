import type { ModelStage } from "../../api/types";
import "./stage-badge.css";

export function StageBadge({ stage }: { stage: ModelStage }) {
  return <span className={`badge stage-${stage}`}>{stage === "none" ? "no stage" : stage}</span>;
}
