// Each algorithm's best trial: which agent did best, and with what.
import type { AlgorithmBest } from "../../api/types";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { formatValue } from "../../lib/format";
import { objectiveUnit } from "./TrialsTable";
import { keyHyperparameters } from "./trials";

export function AlgorithmBests({
  bests,
  objective,
}: { bests: AlgorithmBest[]; objective: string }) {
  return (
    <ScrollRegion label="Best per algorithm, scrollable">
      <table className="table table-numbers" aria-label="Best per algorithm">
        <thead>
          <tr>
            <th scope="col">Algorithm</th>
            <th scope="col">Trials</th>
            <th scope="col">Best objective</th>
            <th scope="col">Best trial</th>
            <th scope="col">Hyperparameters</th>
          </tr>
        </thead>
        <tbody>
          {bests.map(({ algorithm, trials, best }) => (
            <tr key={algorithm}>
              <td>{algorithm}</td>
              <td>{trials}</td>
              <td>{formatValue(best?.value, objectiveUnit(objective))}</td>
              <td>{best ? `#${best.number}` : "none finished"}</td>
              <td className="study-params">{best ? keyHyperparameters(best) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
