// Combinations → a matrix of the objective over two parameters, and its colour scale.
import type { Combination, GridHeatmap } from "../../api/types";
import type { Metric } from "./form";

export type HeatCell = {
  /** The best finite value of the metric in the cell; null when the cell has none. */
  value: number | null;
  /** Combinations that fall in the cell (more than one when other parameters vary). */
  count: number;
  /** The combination that gives the cell its value. */
  best: Combination | undefined;
};

export type Heatmap = {
  xs: number[];
  /** One row per value of the y parameter; a single row [undefined] when there is none. */
  ys: (number | undefined)[];
  /** cells[row][column], following ys and xs. */
  cells: HeatCell[][];
  min: number | null;
  max: number | null;
  /** Where the best value sits, if any cell has one. */
  bestAt: { row: number; column: number } | undefined;
  /** True when some cell holds several combinations (other parameters varied). */
  aggregated: boolean;
};

/** The parameters that take more than one value across the combinations, in their order. */
export function sweptParams(combos: Combination[]): string[] {
  const names = [...new Set(combos.flatMap((c) => Object.keys(c.params)))];
  return names.filter((name) => new Set(combos.map((c) => c.params[name])).size > 1);
}

function distinct(combos: Combination[], param: string): number[] {
  const values = combos.map((c) => c.params[param]).filter((v): v is number => v !== undefined);
  return [...new Set(values)].sort((a, b) => a - b);
}

function finite(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** The metric over x (columns) and y (rows); other parameters take their best value per cell. */
export function heatmapMatrix(
  combos: Combination[],
  metric: Metric,
  xParam: string,
  yParam?: string,
): Heatmap {
  const xs = distinct(combos, xParam);
  const ys: (number | undefined)[] = yParam ? distinct(combos, yParam) : [undefined];
  const cells: HeatCell[][] = ys.map(() =>
    xs.map(() => ({ value: null, count: 0, best: undefined })),
  );
  for (const combo of combos) {
    const column = xs.indexOf(combo.params[xParam] ?? Number.NaN);
    const row = yParam ? ys.indexOf(combo.params[yParam]) : 0;
    const cell = cells[row]?.[column];
    if (!cell) continue; // a combination without the parameter (none in a well-formed sweep)
    cell.count += 1;
    const value = combo[metric];
    if (finite(value) && (cell.value === null || value > cell.value)) {
      cell.value = value;
      cell.best = combo;
    }
  }
  return withRange(xs, ys, cells);
}

/**
 * The report's map of the whole grid over x and y, either way round, as a Heatmap: undefined
 * when there is no second parameter or the report holds no map of the pair.
 */
export function gridHeatmap(
  maps: GridHeatmap[] | undefined,
  x: string,
  y: string | undefined,
): Heatmap | undefined {
  const found = maps?.find((m) => (m.x === x && m.y === y) || (m.x === y && m.y === x));
  if (!y || !found) return undefined;
  const swap = found.x !== x;
  const xs = swap ? found.ys : found.xs;
  const ys = swap ? found.xs : found.ys;
  const cells = ys.map((_, row) =>
    xs.map((_, column): HeatCell => {
      const [i, j] = swap ? [column, row] : [row, column];
      return {
        value: found.best[i]?.[j] ?? null,
        count: found.count[i]?.[j] ?? 0,
        best: undefined,
      };
    }),
  );
  return withRange(xs, ys, cells);
}

/** The matrix with its range, where its best cell is, and whether cells aggregate. */
function withRange(xs: number[], ys: (number | undefined)[], cells: HeatCell[][]): Heatmap {
  let min: number | null = null;
  let max: number | null = null;
  let bestAt: Heatmap["bestAt"];
  cells.forEach((cellsOfRow, row) => {
    cellsOfRow.forEach((cell, column) => {
      if (cell.value === null) return;
      if (min === null || cell.value < min) min = cell.value;
      if (max === null || cell.value > max) {
        max = cell.value;
        bestAt = { row, column };
      }
    });
  });
  const aggregated = cells.some((r) => r.some((c) => c.count > 1));
  return { xs, ys, cells, min, max, bestAt, aggregated };
}

// Viridis: ordered in lightness and readable to the colour-blind.
const STOPS: [number, number, number][] = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

/** Where a value sits between min and max, 0..1 (the middle when they are equal). */
export function position(value: number, min: number, max: number): number {
  if (max <= min) return 0.5;
  return Math.min(1, Math.max(0, (value - min) / (max - min)));
}

export function colourAt(t: number): string {
  const scaled = t * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]] as [number[], number[]];
  const rgb = a.map((v, k) => Math.round(v + ((b[k] ?? v) - v) * f));
  return `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/** Black or white, whichever reads better on the background (WCAG contrast). */
export function textOn(background: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(background.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const onBlack = (luminance + 0.05) / 0.05;
  const onWhite = 1.05 / (luminance + 0.05);
  return onBlack >= onWhite ? "#000000" : "#ffffff";
}

/**
 * The note a heatmap built from the loaded rows needs when they are not the whole grid. The
 * listing may itself hold fewer rows than the grid (each chunk keeps only its best 5,000), so the
 * comparison is with the grid's size. The loaded rows are still the grid's best ones: the API
 * ranks the listing best first and each chunk keeps at least as many rows as are loaded.
 */
export function partialNote(loaded: number, nCombinations: number): string | null {
  if (loaded >= nCombinations) return null;
  const shown = loaded.toLocaleString("en-US");
  const total = nCombinations.toLocaleString("en-US");
  return `Only the best ${shown} of ${total} combinations are shown; cells made only of worse ones are left blank.`;
}
