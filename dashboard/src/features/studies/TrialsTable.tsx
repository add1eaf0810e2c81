// The trials ranked by the objective, best first, filterable by algorithm.
import { useState } from "react";
import type { Trial } from "../../api/types";
import { SelectField } from "../../components/ui/Inputs";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { Empty } from "../../components/ui/States";
import { formatValue } from "../../lib/format";
import { OBJECTIVES, type Objective } from "./form";
import { keyHyperparameters, rankTrials } from "./trials";

const ALL = "all";

export const objectiveUnit = (objective: string) =>
  objective === "oos_total_return_pct" ? "pct" : "ratio";

export function TrialsTable({ trials, objective }: { trials: Trial[]; objective: string }) {
  const [algorithm, setAlgorithm] = useState(ALL);
  if (trials.length === 0) return <Empty>No trial has finished yet.</Empty>;
  const algorithms = [...new Set(trials.map((t) => t.algorithm ?? "?"))].sort();
  // ranks are over the whole study; the filter only hides rows
  const ranked = rankTrials(trials).map((trial, index) => ({ trial, rank: index + 1 }));
  const shown = ranked.filter(({ trial }) => algorithm === ALL || trial.algorithm === algorithm);
  return (
    <>
      {algorithms.length > 1 && (
        <div className="study-filter">
          <SelectField
            label="Show algorithm"
            value={algorithm}
            options={[{ value: ALL, label: "all algorithms" }, ...algorithms]}
            onChange={setAlgorithm}
          />
        </div>
      )}
      <ScrollRegion label="Trials, scrollable">
        <table className="table table-numbers study-trials" aria-label="Trials">
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Trial</th>
              <th scope="col">Algorithm</th>
              <th scope="col">{OBJECTIVES[objective as Objective] ?? objective}</th>
              <th scope="col">Hyperparameters</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ trial, rank }) => (
              <tr key={trial.number}>
                <td>{rank}</td>
                <td>#{trial.number}</td>
                <td>{trial.algorithm ?? "—"}</td>
                <td>{formatValue(trial.value, objectiveUnit(objective))}</td>
                <td className="study-params">{keyHyperparameters(trial) || "—"}</td>
                <td>
                  {trial.state === "failed" ? (
                    <span className="error-text study-trial-error">
                      failed{trial.error ? `: ${trial.error}` : ""}
                    </span>
                  ) : (
                    "complete"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
