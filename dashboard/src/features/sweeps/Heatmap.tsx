// The objective over two parameters as a table of coloured cells (the values are in the cells and
// their titles, so the colour is never the only carrier), with a colour-scale legend.
import { useId, useMemo, useState } from "react";
import type { Combination, GridHeatmap } from "../../api/types";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { Empty } from "../../components/ui/States";
import { formatValue } from "../../lib/format";
import type { Unit } from "../../lib/format";
import { METRICS, type Metric, metricUnit } from "./form";
import {
  type HeatCell,
  colourAt,
  gridHeatmap,
  heatmapMatrix,
  partialNote,
  position,
  sweptParams,
  textOn,
} from "./heatmap";
import { formatParamValue } from "./marginals";

type Props = {
  /** The loaded combinations (a big grid's best ones only). */
  combos: Combination[];
  metric: Metric;
  /** The grid's size. */
  total: number;
  /** The report's maps of the whole grid (the sweep's metric; big grids only). */
  gridMaps?: GridHeatmap[];
};

export function Heatmap({ combos, metric: sweepMetric, total, gridMaps }: Props) {
  const id = useId();
  const params = useMemo(() => sweptParams(combos), [combos]);
  const [metric, setMetric] = useState<Metric>(sweepMetric);
  const [x, setX] = useState(params[0] ?? "");
  const [y, setY] = useState(params[1] ?? "");
  const yParam = y && y !== x ? y : undefined;
  // the report's map counts every combination, but only for the sweep's own metric
  const whole = useMemo(
    () => (metric === sweepMetric ? gridHeatmap(gridMaps, x, yParam) : undefined),
    [gridMaps, metric, sweepMetric, x, yParam],
  );
  const map = useMemo(
    () => whole ?? heatmapMatrix(combos, metric, x, yParam),
    [whole, combos, metric, x, yParam],
  );
  const partial = whole ? null : partialNote(combos.length, total);

  if (params.length === 0) {
    return <Empty>Every combination has the same parameters: there is nothing to map.</Empty>;
  }
  const others = params.filter((p) => p !== x && p !== yParam);
  const label = METRICS[metric];
  const choose = (name: string, value: string, onChange: (v: string) => void) => (
    <label className="field">
      <span className="field-label">{name}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {params.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="heatmap">
      {partial && <p className="hint">{partial}</p>}
      {whole && combos.length < total && (
        <p className="hint">
          Every one of the {total.toLocaleString("en-US")} combinations is counted in this map.
        </p>
      )}
      <div className="heatmap-controls">
        <label className="field">
          <span className="field-label">Colour by</span>
          <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
            {Object.entries(METRICS).map(([m, text]) => (
              <option key={m} value={m}>
                {text}
              </option>
            ))}
          </select>
        </label>
        {params.length > 2 && choose("Columns (x)", x, setX)}
        {params.length > 2 && choose("Rows (y)", y, setY)}
      </div>
      {others.length > 0 && map.aggregated && (
        <p className="hint" id={`${id}-note`}>
          Each cell shows the best {label} over {others.join(", ")}.
        </p>
      )}
      {yParam === undefined && params.length > 1 && (
        <p className="hint">Choose a different parameter for the rows to see two at once.</p>
      )}
      <p className="hint">
        {label} with {x} across{yParam ? ` and ${yParam} down` : ""}; hover a cell for details.
      </p>
      <ScrollRegion label="Heatmap, scrolls sideways">
        <table
          className="heatmap-table"
          aria-label={`${label} by ${x}${yParam ? ` and ${yParam}` : ""}`}
        >
          <thead>
            <tr>
              <th scope="col" className="heatmap-corner">
                {yParam ? `${yParam} \\ ${x}` : x}
              </th>
              {map.xs.map((v) => (
                <th key={v} scope="col">
                  {formatParamValue(v)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.ys.map((yValue, row) => (
              <tr key={yValue ?? "all"}>
                <th scope="row">{yValue === undefined ? label : formatParamValue(yValue)}</th>
                {map.xs.map((xValue, column) => (
                  <Cell
                    key={xValue}
                    cell={map.cells[row]?.[column]}
                    title={`${x} ${xValue}${yParam ? `, ${yParam} ${yValue}` : ""}`}
                    label={label}
                    unit={metricUnit(metric)}
                    range={[map.min, map.max]}
                    best={map.bestAt?.row === row && map.bestAt.column === column}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <Legend min={map.min} max={map.max} label={label} unit={metricUnit(metric)} />
    </div>
  );
}

type CellProps = {
  cell: HeatCell | undefined;
  title: string;
  label: string;
  unit: Unit;
  range: [number | null, number | null];
  best: boolean;
};

function Cell({ cell, title, label, unit, range: [min, max], best }: CellProps) {
  if (!cell || cell.count === 0) {
    return (
      <td
        className="heatmap-cell heatmap-missing"
        title={`${title}: not run (skipped or not loaded)`}
      >
        <span aria-hidden="true">·</span>
        <span className="visually-hidden">not run</span>
      </td>
    );
  }
  if (cell.value === null || min === null || max === null) {
    return (
      <td
        className="heatmap-cell heatmap-empty"
        title={`${title}: ${label} undefined (no trades?)`}
      >
        —
      </td>
    );
  }
  const background = colourAt(position(cell.value, min, max));
  const of = cell.count > 1 ? ` (best of ${cell.count} combinations)` : "";
  return (
    <td
      className={`heatmap-cell${best ? " heatmap-best" : ""}`}
      style={{ background, color: textOn(background) }}
      title={`${title}: ${label} ${formatValue(cell.value, unit)}${of}${best ? " — the best" : ""}`}
    >
      {best && (
        <>
          <span aria-hidden="true">★ </span>
          <span className="visually-hidden">best: </span>
        </>
      )}
      {formatValue(cell.value, unit)}
    </td>
  );
}

type LegendProps = { min: number | null; max: number | null; label: string; unit: Unit };

function Legend({ min, max, label, unit }: LegendProps) {
  if (min === null || max === null) return null;
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `${colourAt(t)} ${t * 100}%`).join(", ");
  return (
    <figure className="heatmap-legend" aria-label={`Colour scale of ${label}`}>
      <span>{formatValue(min, unit)}</span>
      <span
        className="heatmap-ramp"
        style={{ background: `linear-gradient(to right, ${stops})` }}
      />
      <span>{formatValue(max, unit)}</span>
      <figcaption className="hint">
        {label}: darker is worse, lighter is better; ★ marks the best cell, · a combination not run.
      </figcaption>
    </figure>
  );
}
