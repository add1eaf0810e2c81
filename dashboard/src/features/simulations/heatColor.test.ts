import { describe, expect, it } from "vitest";
import { heatColor } from "./heatColor";

/** WCAG relative luminance of an `rgb(r, g, b)` string. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

const CELL_TEXT = luminance("rgb(31, 41, 55)"); // #1f2937

describe("heatColor", () => {
  it("is white at zero and the scale's end colours at ±maxAbs and beyond", () => {
    expect(heatColor(0, 10)).toBe("rgb(255, 255, 255)");
    expect(heatColor(10, 10)).toBe("rgb(74, 222, 128)");
    expect(heatColor(-25, 10)).toBe("rgb(248, 113, 113)");
    expect(heatColor(5, 10)).toBe("rgb(165, 239, 192)"); // halfway: (255 + 74) / 2 …
  });

  it("keeps the dark cell text at 4.5:1 or more everywhere on the scale", () => {
    for (let v = -10; v <= 10; v += 0.5) {
      const contrast = (luminance(heatColor(v, 10)) + 0.05) / (CELL_TEXT + 0.05);
      expect(contrast).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("paints every cell white when all returns are zero", () => {
    expect(heatColor(0, 0)).toBe("rgb(255, 255, 255)");
  });
});
