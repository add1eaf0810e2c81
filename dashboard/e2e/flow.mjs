// End to end in a real browser (Debian's chromium driven by playwright-core) against a running
// platform: the overview; an invalid form that sends nothing; a simulation launched from the form
// with its summary, equity, price and monthly charts and trades; a stress test on it; two
// simulations compared; a symbol charted on the data page; a sweep and its heatmap; a training
// until its model appears; a running job cancelled from the jobs page; then every main page at
// laptop and phone widths, screenshotted, with no sideways scrolling and no serious
// accessibility violation.
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOTS=var/e2e node e2e/flow.mjs
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { accessible, check, checks, noSideways, shot as shotIn } from "./lib.mjs";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8000";
const OUT = process.env.SCREENSHOTS ?? "var/e2e";
const BROWSER = process.env.CHROMIUM ?? "/usr/bin/chromium";
const JOB_TIMEOUT_MS = 180_000; // a bound on a backtest's run, far above what one takes
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const shot = (page, name) => shotIn(page, OUT, name);

/** POSTs to `path` the page sent, counted so a test can say an invalid form sent nothing. */
function countPosts(page, path) {
  const sent = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === path) sent.push(r);
  });
  return sent;
}

async function overview(page) {
  await page.goto(`${BASE}/`);
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await page.getByText(/Platform (healthy|degraded)/).waitFor();
  await page.getByRole("heading", { name: "Recent simulations" }).waitFor();
  await page.getByRole("heading", { name: "Recent models" }).waitFor();
  check("overview shows health", (await page.locator(".health-item").count()) >= 3);
}

/** Returns the result page's URL. */
async function simulation(page) {
  const sent = countPosts(page, "/api/v1/simulations");
  await page.getByRole("link", { name: "Simulations", exact: true }).click();
  await page.getByLabel("Strategy", { exact: true }).selectOption("sma_crossover");
  const fast = page.getByLabel("fast", { exact: true });
  await fast.waitFor();
  await fast.fill("1000");
  await page.getByRole("button", { name: "Run simulation" }).click();
  await page.getByText(/fast must be between/).waitFor();
  check("an invalid form sends nothing", sent.length === 0, `${sent.length} sent`);
  await shot(page, "simulation-form-invalid-1280");

  await fast.fill("10");
  await page.getByLabel("slow", { exact: true }).fill("50");
  await page.getByLabel("Symbols", { exact: true }).fill("SP500");
  await page.getByLabel("Start", { exact: true }).fill("2012-01-01");
  await page.getByLabel("End", { exact: true }).fill("2018-12-31");
  await page.getByRole("button", { name: "Run simulation" }).click();
  await page.waitForURL(/\/simulations\/[^/]+$/);
  check("a valid form sends one request", sent.length === 1, `${sent.length} sent`);

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
  const price = page.locator("figure.price-chart");
  await price.locator("canvas").first().waitFor();
  const priceName = (await price.getAttribute("aria-label")) ?? "";
  check(
    "the price chart marks the trades",
    /with [1-9]\d* trade markers/.test(priceName),
    priceName,
  );
  const months = await page.locator(".heat-cell").count();
  check("the monthly returns heatmap has ~7 years of months", months >= 80, `${months} cells`);
  return page.url();
}

/** A small stress test launched on the result page, down to its distribution. */
async function stressTest(page) {
  await page.getByRole("button", { name: "Run stress test" }).click();
  const report = page.locator(".stress-report");
  await report.waitFor({ timeout: JOB_TIMEOUT_MS });
  await page.locator("figure.stress-histogram .recharts-area-area").first().waitFor();
  const loss = await report.locator(".figure", { hasText: "P(loss)" }).textContent();
  check("the stress test reports P(loss)", /\d+(\.\d+)?\s?%/.test(loss ?? ""), loss ?? "");
}

/** The form's simulation and a second one (sent through the API) ticked on the list. */
async function compareSimulations(page) {
  const second = await page.request.post(`${BASE}/api/v1/simulations`, {
    data: {
      strategy: "sma_crossover",
      params: { fast: 20, slow: 100 },
      symbols: ["SP500"],
      start: "2012-01-01",
      end: "2018-12-31",
    },
  });
  check("a second simulation is accepted", second.status() === 202, String(second.status()));
  const url = `${BASE}/api/v1/simulations/${(await second.json()).simulation_id}`;
  const status = async () => (await (await page.request.get(url)).json()).status;
  for (let i = 0; i < 600 && !["succeeded", "failed", "cancelled"].includes(await status()); i++) {
    await page.waitForTimeout(200);
  }
  check("the second simulation succeeds", (await status()) === "succeeded");
  await page.goto(`${BASE}/simulations`);
  const boxes = page.getByRole("checkbox", { name: /^Select / });
  await boxes.nth(1).waitFor();
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("button", { name: "Compare selected (2)" }).click();
  await page.waitForURL(/\/simulations\/compare\?ids=/);
  await page.getByRole("table", { name: "Compared metrics" }).waitFor();
  await page.locator("figure.compare-chart .recharts-line-curve").nth(1).waitFor();
  return page.url();
}

/** The data page charts a symbol from a shareable URL. */
async function data(page) {
  await page.goto(`${BASE}/data?source=builtin&symbol=SP500&interval=1d&start=2017-01-01`);
  const chart = page.locator("figure.price-chart");
  await chart.locator("canvas").first().waitFor();
  const name = (await chart.getAttribute("aria-label")) ?? "";
  check("the data page charts SP500's bars", /SP500.*\d+ bars/.test(name), name);
  return page.url();
}

/** A 4 × 4 grid launched from the form; returns the result page's URL. */
async function sweep(page) {
  await page.goto(`${BASE}/sweeps`);
  await page.getByRole("heading", { name: "Sweeps", exact: true }).waitFor();
  await page.getByLabel("Strategy", { exact: true }).selectOption("sma_crossover");
  for (const [name, start, stop, step] of [
    ["fast", "5", "20", "5"],
    ["slow", "30", "90", "20"],
  ]) {
    await page.getByLabel(`${name} values`).selectOption({ label: "range (start, stop, step)" });
    await page.getByLabel(`${name} start`).fill(start);
    await page.getByLabel(`${name} stop`).fill(stop);
    await page.getByLabel(`${name} step`).fill(step);
  }
  await page.getByLabel("Symbols", { exact: true }).fill("SP500");
  await page.getByLabel("Start", { exact: true }).fill("2012-01-01");
  await page.getByLabel("End", { exact: true }).fill("2018-12-31");
  await page.locator(".sweep-count output", { hasText: "16 combinations" }).waitFor();
  await page.getByRole("button", { name: "Run sweep" }).click();
  await page.waitForURL(/\/sweeps\/[^/]+$/);

  const heatmap = page.locator(".heatmap-table");
  await heatmap.waitFor({ timeout: JOB_TIMEOUT_MS });
  const cells = await heatmap.locator(".heatmap-cell").count();
  check("the heatmap has a cell per combination", cells === 16, `${cells} cells`);
  check("the best cell is marked", (await heatmap.locator(".heatmap-best").count()) === 1);
  const verdict = await page.locator(".sweep-verdict").textContent();
  check("the sweep's verdict is one sentence", /deflated Sharpe/i.test(verdict ?? ""), verdict);
  return page.url();
}

/** A small model trained from the form; returns the model page's URL. */
async function training(page) {
  const sent = countPosts(page, "/api/v1/trainings");
  await page.goto(`${BASE}/train`);
  await page.getByRole("heading", { name: "Train", exact: true }).waitFor();
  await page.getByLabel("Algorithm").selectOption("logistic_regression");
  await page.getByLabel("Model name").fill("e2e-logit");
  await page.getByLabel("Symbols", { exact: true }).fill("SP500");
  await page.getByLabel("Start", { exact: true }).fill("2012-01-01");
  await page.getByLabel("End", { exact: true }).fill("2011-01-01");
  await page.getByRole("button", { name: "Start training" }).click();
  await page.getByText("The end must come after the start.").waitFor();
  check("an invalid training sends nothing", sent.length === 0, `${sent.length} sent`);
  await page.getByLabel("End", { exact: true }).fill("2016-12-31");
  await page.getByRole("button", { name: "Start training" }).click();
  await page.waitForURL(/\/train\/[^/]+$/);
  const open = page.getByRole("link", { name: "Open the model" });
  await open.waitFor({ timeout: JOB_TIMEOUT_MS });
  await page.getByRole("table", { name: "Validation folds" }).waitFor();
  await open.click();
  await page.getByRole("heading", { name: /e2e-logit v\d+/ }).waitFor();
  await page.getByRole("table", { name: "Per-fold metrics" }).waitFor();
  return page.url();
}

/** A long sweep sent through the API, cancelled from the jobs page while it runs. */
async function cancelRunningJob(page) {
  const grid = { fast: { start: 2, stop: 101, step: 1 }, slow: { start: 110, stop: 309, step: 1 } };
  const response = await page.request.post(`${BASE}/api/v1/sweeps`, {
    data: { strategy: "sma_crossover", source: "builtin", symbols: ["SP500"], grid },
  });
  check("a long sweep is accepted", response.status() === 202, String(response.status()));
  const jobId = (await response.json()).job.id;
  const job = async () => (await page.request.get(`${BASE}/api/v1/jobs/${jobId}`)).json();
  for (let i = 0; i < 300 && (await job()).status === "queued"; i++) {
    await page.waitForTimeout(200);
  }
  check("the long sweep is running", (await job()).status === "running");

  await page.goto(`${BASE}/jobs`);
  const row = page.getByRole("row").filter({ hasText: jobId.slice(0, 8) });
  await row.getByRole("button", { name: `Cancel job ${jobId.slice(0, 8)}` }).click();
  await row.locator(".badge-cancelled").waitFor({ timeout: 60_000 });
  check("the cancelled job stays cancelled", (await job()).status === "cancelled");
}

/** Every main page at both widths; axe runs at the laptop width (the same DOM at both). */
async function tour(page, pages) {
  for (const [viewport, width] of [
    [LAPTOP, 1280],
    [PHONE, 390],
  ]) {
    await page.setViewportSize(viewport);
    for (const [name, url] of pages) {
      await page.goto(url);
      await page.locator("h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      await shot(page, `${name}-${width}`);
      await noSideways(page, `${name} at ${width}`);
      if (width === LAPTOP.width) await accessible(page, name);
    }
  }
}

async function run() {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: BROWSER, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: LAPTOP });
    const failures = [];
    page.on("pageerror", (e) => failures.push(String(e)));

    await overview(page);
    const simulationUrl = await simulation(page);
    await stressTest(page);
    const compareUrl = await compareSimulations(page);
    const dataUrl = await data(page);
    const sweepUrl = await sweep(page);
    const modelUrl = await training(page);
    await cancelRunningJob(page);
    await tour(page, [
      ["overview", `${BASE}/`],
      ["data", dataUrl],
      ["simulations", `${BASE}/simulations`],
      ["simulation-result", simulationUrl],
      ["simulation-compare", compareUrl],
      ["sweeps", `${BASE}/sweeps`],
      ["sweep-result", sweepUrl],
      ["models", `${BASE}/models`],
      ["model", modelUrl],
      ["train", `${BASE}/train`],
      ["studies", `${BASE}/train/studies`],
      ["jobs", `${BASE}/jobs`],
    ]);
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
