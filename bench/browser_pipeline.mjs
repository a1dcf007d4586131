// The whole-pipeline benchmark in headless Chromium (the real WebAssembly build): loads FILE
// through the file input as a user would, walks the pages (each runs its analysis as it opens),
// then runs the Benchmark page (#bench: the core's pipeline in the worker, the same stages as
// `patroliq bench`). Long tasks on the UI thread are recorded all along (PerformanceObserver
// 'longtask': any task over 50 ms; the goal is none over 100 ms). Not a test.
// Run after `trunk build --release`:
//   node bench/browser_pipeline.mjs FILE [RUNS]       → target/bench/browser-NAME.json
//   UMAP_N=20000 TSNE_N=5000 STOPS=50 (the defaults)
//   ONLY=kmeans,dbscan   only these stages (the page's Stages field; default: every stage)
//   WALK=0               skip the walk through the pages (the whole history: straight to #bench)
//   BESIDE=0             no whole passes with the maps beside
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, loadFile, ROOT } from '../tests/e2e/harness.mjs';

const FILE = path.resolve(process.argv[2] || '');
if (!process.argv[2] || !fs.existsSync(FILE)) {
  console.error('usage: node bench/browser_pipeline.mjs FILE [RUNS]');
  process.exit(64);
}
const RUNS = String(process.argv[3] || 3);
const OUT = path.join(ROOT, 'target/bench');
fs.mkdirSync(OUT, { recursive: true });

const server = await serve();
const browser = await launch();
await browser.context.addInitScript(() => {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
});
const page = await openApp(browser.context, server.url);
const tasks = async () => page.evaluate(() => window.__longtasks.splice(0));
const summary = (ts) => ({
  count: ts.length,
  over_100ms: ts.filter((t) => t.ms > 100).length,
  max_ms: Math.round(Math.max(0, ...ts.map((t) => t.ms))),
  total_ms: Math.round(ts.reduce((a, t) => a + t.ms, 0)),
});
await tasks();

const walk = {};
const t0 = Date.now();
await loadFile(page, FILE, 900_000);
walk.load = { ...summary(await tasks()), wall_ms: Date.now() - t0 };
console.error(`loaded in ${walk.load.wall_ms} ms`);

/** Waits until no analysis of the page is running (every progress bar gone). */
async function idle(timeout) {
  await page.waitForFunction(() => !document.querySelector('[id$="-progress"], #progress'), null, { timeout });
}
for (const p of process.env.WALK === '0' ? [] : ['home', 'explore', 'hotspots', 'when', 'shape', 'heatmaps', 'patrol', 'backtest', 'experiments']) {
  const start = Date.now();
  await page.click(`#nav-${p}`);
  await page.waitForTimeout(500);
  await idle(900_000);
  const wall = Date.now() - start;
  // The charts are drawn after the progress bar goes, each in a task of its own: their tasks
  // belong to this page, not to the next one.
  await page.waitForTimeout(2_000);
  walk[p] = { ...summary(await tasks()), wall_ms: wall };
  console.error(`${p}: ${walk[p].wall_ms} ms, longest UI task ${walk[p].max_ms} ms`);
}

await page.goto(`${server.url}#bench`);
await page.waitForSelector('#bench-run:not([disabled])', { timeout: 120_000 });
await tasks();
await page.fill('#bench-runs', RUNS);
await page.fill('#bench-umap', process.env.UMAP_N || '20000');
await page.fill('#bench-tsne', process.env.TSNE_N || '5000');
await page.fill('#bench-stops', process.env.STOPS || '50');
await page.fill('#bench-only', process.env.ONLY || '');
if (process.env.BESIDE === '0') await page.uncheck('#bench-beside-on');
await page.click('#bench-run');
await page.waitForSelector('#bench-results', { timeout: 3_600_000 });
const report = JSON.parse(await page.getAttribute('#bench-results', 'data-json'));
walk.bench = summary(await tasks());
report.long_tasks = walk;
const ua = await page.evaluate(() => navigator.userAgent);
report.target = `Chromium ${ua.match(/Chrome\/([\d.]+)/)?.[1] ?? '?'}, WebAssembly in a worker`;
const name = path.basename(FILE).replace(/\..*/, '');
const out = path.join(OUT, `browser-${name}.json`);
fs.writeFileSync(out, JSON.stringify(report));
for (const s of report.stages) console.error(`${s.stage.padEnd(13)} ${String(Math.round(s.median_ms)).padStart(8)} ms  ${s.outcome}`);
console.error(`→ ${out}`);
await browser.close();
await server.close();
