// The heatmap's diverging scale: red for losses, green for gains, white at zero. The ends stay
// light enough that the dark cell text keeps a 4.5:1 contrast everywhere on the scale.
const WHITE = [255, 255, 255] as const;
const GAIN = [74, 222, 128] as const; // #4ade80
const LOSS = [248, 113, 113] as const; // #f87171

/** The cell colour of a return (per cent) on a scale whose ends are ±maxAbs. */
export function heatColor(value: number, maxAbs: number): string {
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, value / maxAbs)) : 0;
  const end = t >= 0 ? GAIN : LOSS;
  const mix = WHITE.map((w, i) => Math.round(w + ((end[i] ?? w) - w) * Math.abs(t)));
  return `rgb(${mix.join(", ")})`;
}
