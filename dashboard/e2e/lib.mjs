// What every end-to-end step shares: named checks, screenshots, layout and accessibility checks.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const AXE_SCRIPT = require.resolve("axe-core/axe.min.js");
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);

export const checks = [];

/** Record a named check; a failed one stops the run with its detail. */
export function check(name, ok, detail = "") {
  checks.push({ name, ok, detail });
  if (!ok) throw new Error(`${name} ${detail}`);
}

export async function shot(page, out, name) {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
}

/** A page must never scroll sideways: wide tables and charts scroll inside their own box. */
export async function noSideways(page, name) {
  const [scroll, width] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  check(`${name}: nothing wider than the screen`, scroll <= width + 1, `${scroll} > ${width}`);
}

/** axe-core on the page as it stands: no serious or critical violation. */
export async function accessible(page, name) {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    // @ts-ignore: axe is the global the script above defines
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  const blocking = violations.filter((v) => BLOCKING_IMPACTS.has(v.impact));
  const detail = blocking.map((v) => `${v.impact} ${v.id} at ${v.nodes.join(", ")}`).join("; ");
  check(`${name}: no serious or critical accessibility violation`, blocking.length === 0, detail);
  return violations;
}
