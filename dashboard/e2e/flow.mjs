// End to end in a real browser (Debian's chromium driven by playwright-core) against a running
// platform: the overview, an invalid form that sends nothing, a simulation launched from the form
// with its summary, equity chart and trades, at laptop and phone widths, with screenshots.
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOTS=var/e2e node e2e/flow.mjs
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8000";
const OUT = process.env.SCREENSHOTS ?? "var/e2e";
const BROWSER = process.env.CHROMIUM ?? "/usr/bin/chromium";
const JOB_TIMEOUT_MS = 180_000; // a bound on a backtest's run, far above what one takes

const checks = [];
function check(name, ok, detail = "") {
  checks.push({ name, ok, detail });
  if (!ok) throw new Error(`${name} ${detail}`);
}

async function noSideways(page, name) {
  const [scroll, width] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  check(`${name}: nothing wider than the screen`, scroll <= width + 1, `${scroll} > ${width}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

async function run() {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: BROWSER, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const submissions = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/v1/simulations")
        submissions.push(r);
    });
    const failures = [];
    page.on("pageerror", (e) => failures.push(String(e)));

    await page.goto(`${BASE}/`);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByText(/Platform (healthy|degraded)/).waitFor();
    await page.getByRole("heading", { name: "Recent simulations" }).waitFor();
    check("overview shows health", (await page.locator(".health-item").count()) >= 3);
    await shot(page, "overview-1280");

    await page.getByRole("link", { name: "Simulations", exact: true }).click();
    await page.getByLabel("Strategy", { exact: true }).selectOption("sma_crossover");
    const fast = page.getByLabel("fast", { exact: true });
    await fast.waitFor();
    await fast.fill("1000");
    await page.getByRole("button", { name: "Run simulation" }).click();
    await page.getByText(/fast must be between/).waitFor();
    check("an invalid form sends nothing", submissions.length === 0, `${submissions.length} sent`);
    await shot(page, "simulation-form-invalid-1280");

    await fast.fill("10");
    await page.getByLabel("slow", { exact: true }).fill("50");
    await page.getByLabel("Symbols").fill("SP500");
    await page.getByLabel("Start").fill("2012-01-01");
    await page.getByLabel("End").fill("2018-12-31");
    await page.getByRole("button", { name: "Run simulation" }).click();
    await page.waitForURL(/\/simulations\/[^/]+$/);
    check("a valid form sends one request", submissions.length === 1, `${submissions.length} sent`);
    const resultUrl = page.url();

    await page.getByRole("heading", { name: "Summary" }).waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.locator(".recharts-line-curve").first().waitFor();
    const curves = await page.locator(".recharts-line-curve").count();
    check("equity and benchmark are drawn", curves >= 2, `${curves} lines`);
    const trades = page.getByRole("table", { name: "Trades" });
    await trades.waitFor();
    const rows = await trades.getByRole("row").count();
    check("the trades table has rows", rows > 1, `${rows} rows`);
    const end = await page
      .locator(".figure", { hasText: "Portfolio end" })
      .locator(".figure-value")
      .textContent();
    check("the summary shows the end value", /\d/.test(end ?? ""), end ?? "");
    await trades.getByRole("button", { name: /P&L/ }).click();
    await page.locator('th[aria-sort="ascending"]').waitFor();
    await shot(page, "simulation-result-1280");
    await noSideways(page, "result at 1280");

    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    await page.getByRole("table").waitFor();
    await shot(page, "jobs-1280");

    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, url] of [
      ["overview", `${BASE}/`],
      ["simulations", `${BASE}/simulations`],
      ["simulation-result", resultUrl],
      ["jobs", `${BASE}/jobs`],
    ]) {
      await page.goto(url);
      await page.locator("h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      await shot(page, `${name}-390`);
      await noSideways(page, `${name} at 390`);
    }
    check("no script errors in the page", failures.length === 0, failures.join("; "));
  } catch (error) {
    for (const p of browser.contexts().flatMap((c) => c.pages())) await shot(p, "failure");
    throw error;
  } finally {
    await browser.close();
  }
}

run()
  .then(() => {
    for (const c of checks) console.log(`ok   ${c.name}`);
    console.log(`e2e: ${checks.length} checks passed; screenshots in ${OUT}`);
  })
  .catch((error) => {
    for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name} ${c.detail}`);
    console.error(`e2e failed: ${error.stack ?? error}`);
    process.exit(1);
  });
