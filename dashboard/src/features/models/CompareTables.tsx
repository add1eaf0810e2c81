// Versions side by side: metrics with the best of each row marked, then the settings that differ.
import type { ModelDetail } from "../../api/types";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { featureDifferences, metricRows, settingRows } from "./compare";
import { plain } from "./metadata";

const heading = (m: ModelDetail) => `${m.name} v${m.version}`;

export function MetricsComparison({ models }: { models: ModelDetail[] }) {
  const rows = metricRows(models);
  if (rows.length === 0) return <p className="muted">These versions recorded no metrics.</p>;
  return (
    <ScrollRegion label="Metrics by version (scrolls sideways)">
      <table className="table table-numbers" aria-label="Metrics by version">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {models.map((m) => (
              <th key={m.id} scope="col">
                {heading(m)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.metric}>
              <th scope="row">{row.metric}</th>
              {row.values.map((v, i) => {
                const best = row.best.includes(i);
                return (
                  <td key={models[i]?.id ?? i} className={best ? "best" : undefined}>
                    {plain(v)}
                    {best && <span className="visually-hidden"> (best)</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export function SettingsComparison({ models }: { models: ModelDetail[] }) {
  const rows = settingRows(models);
  const extra = featureDifferences(models);
  return (
    <>
      <ScrollRegion label="Settings by version (scrolls sideways)">
        <table className="table" aria-label="Settings by version">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              {models.map((m) => (
                <th key={m.id} scope="col">
                  {heading(m)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.setting} className={row.differs ? "differs" : undefined}>
                <th scope="row">
                  {row.setting}
                  {row.differs && <span className="visually-hidden"> (differs)</span>}
                </th>
                {row.values.map((v, i) => (
                  <td key={models[i]?.id ?? i} className="cell-wrap">
                    {v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {extra.some((list) => list.length > 0) && (
        <>
          <h3 className="sub">Features only some versions use</h3>
          <ul>
            {models.map((m, i) => (
              <li key={m.id}>
                {heading(m)}: {extra[i]?.length ? extra[i]?.join(", ") : "none of its own"}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
