// In-browser benchmark (not a test): load + clean the real 500,000-row sample in headless Chromium
// through the file input, from CSV.gz and from the Parquet that `patroliq prepare` writes; then the
// EDA of one filter change and the feature export of all rows.
// Prints the median of RUNS each, as measured inside the worker.
// Run after `trunk build --release` and `cargo build --release -p patroliq-cli`:
//   node bench/browser_load.mjs [RUNS]
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, settled, DATA, OUT, ROOT } from '../tests/e2e/harness.mjs';

const RUNS = Number(process.argv[2] || 5);
const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const PARQUET = path.join(OUT, 'bench-sample.parquet');
execFileSync(path.join(ROOT, 'target/release/patroliq'), ['prepare', SAMPLE, PARQUET]);

const server = await serve();
const browser = await launch();
const page = await openApp(browser.context, server.url);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeLoad(file) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate with the demo so every run really replaces the dataset.
    await page.click('#load-demo');
    await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'demo' && !document.querySelector('#progress'));
    await page.setInputFiles('#file-input', file);
    const name = path.basename(file);
    await page.waitForFunction((n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'), name, { timeout: 120_000 });
    times.push(Number(await page.getAttribute('#cleaning-report', 'data-duration-ms')));
  }
  return times;
}

const csv = await timeLoad(SAMPLE);
const pq = await timeLoad(PARQUET);

// The sample is loaded: time the EDA (filter → rows → every aggregate + correlation) and the
// feature export (33 features of every row → Parquet).
await settled(page);
const eda = [];
const exportMs = [];
const featuresMs = [];
for (let i = 0; i < RUNS; i++) {
  // Filter to non-domestic, then back to every row, which is the run timed.
  await page.selectOption('#filter-domestic', 'no');
  await page.waitForFunction(() => !/^All/.test(document.querySelector('#filtered-rows')?.textContent || 'All'));
  await page.selectOption('#filter-domestic', '');
  await page.waitForFunction(() => /^All/.test(document.querySelector('#filtered-rows')?.textContent || ''));
  await settled(page);
  eda.push(Number(await page.getAttribute('#filter-status', 'data-ms')));
}
await page.click('#nav-features');
for (let i = 0; i < RUNS; i++) {
  await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#export-features')]);
  await page.waitForSelector('#export-status[data-state="done"]');
  exportMs.push(Number(await page.getAttribute('#export-status', 'data-ms')));
  featuresMs.push(Number(await page.getAttribute('#export-status', 'data-features-ms')));
}
// Hotspot clustering of every row (fit + metrics + per-hotspot table), as timed in the worker.
await page.click('#nav-hotspots');
async function timeCluster(algo, fields) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.selectOption('#cluster-algo', algo);
    for (const [id, v] of Object.entries(fields)) await page.fill(id, String(v));
    const before = await page.getAttribute('#cluster-results', 'data-run').catch(() => null);
    await page.click('#cluster-run');
    await page.waitForFunction((b) => {
      const r = document.querySelector('#cluster-results');
      return r && r.dataset.run !== b && !document.querySelector('#cluster-progress');
    }, before, { timeout: 300_000 });
    times.push(Number(await page.getAttribute('#cluster-results', 'data-ms')));
  }
  return times;
}
const km1 = await timeCluster('kmeans', { '#cluster-k': 9, '#cluster-ninit': 1 });
const dbscan = await timeCluster('dbscan', { '#cluster-eps': 150, '#cluster-min-samples': 50 });
const wardMs = await timeCluster('hierarchical', { '#cluster-k': 9, '#cluster-cell': 200 });
const hdbscanMs = await timeCluster('hdbscan', { '#cluster-min-cluster-size': 500, '#cluster-hd-min-samples': 50 });

const version = browser.context.browser()?.version() ?? 'chromium';
console.log(`Chromium ${version}, ${RUNS} runs each, 500,000 rows (495,829 kept)`);
console.log(`| source | median ms | runs (ms) |`);
console.log(`|---|---|---|`);
console.log(`| CSV.gz (28.1 MB) | ${median(csv)} | ${csv.join(', ')} |`);
console.log(`| Parquet, zstd (19.3 MB) | ${median(pq)} | ${pq.join(', ')} |`);
console.log(`| EDA of all 495,829 rows (aggregates + 19×19 correlation) | ${median(eda)} | ${eda.join(', ')} |`);
console.log(`| the 33 features of 495,829 rows (computed during the export) | ${median(featuresMs)} | ${featuresMs.join(', ')} |`);
console.log(`| feature export, 33 × 495,829 → Parquet | ${median(exportMs)} | ${exportMs.join(', ')} |`);
console.log(`| K-Means k=9, 1 init, + metrics and table | ${median(km1)} | ${km1.join(', ')} |`);
console.log(`| DBSCAN 150 m / 50, + metrics and table | ${median(dbscan)} | ${dbscan.join(', ')} |`);
console.log(`| Ward on 200 m cells, k=9, + metrics and table | ${median(wardMs)} | ${wardMs.join(', ')} |`);
console.log(`| HDBSCAN min cluster 500 / min samples 50, + metrics and table | ${median(hdbscanMs)} | ${hdbscanMs.join(', ')} |`);
await browser.close();
await server.close();
