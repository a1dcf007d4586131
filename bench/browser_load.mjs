// In-browser benchmark (not a test): load + clean the real 500,000-row sample in headless Chromium
// through the file input, from CSV.gz and from the Parquet that `patroliq prepare` writes; then the
// EDA of one filter change and the feature export of all rows.
// Then the When page's temporal patterns, the Shape page's PCA and a UMAP (20,000) and t-SNE
// (5,000) map. Prints the median of RUNS each, as measured inside the worker.
// Run after `trunk build --release` and `cargo build --release -p patroliq-cli`:
//   node bench/browser_load.mjs [RUNS]          # everything
//   ONLY=shape node bench/browser_load.mjs [RUNS]  # only temporal, PCA and the maps
//   ONLY=shape UMAP_N=50000 TSNE_N=10000 node bench/browser_load.mjs 1  # scikit-learn's sizes
//   ONLY=patrol node bench/browser_load.mjs [RUNS]  # only the risk grid and a 50-stop route
//   ONLY=backtest node bench/browser_load.mjs [RUNS]  # only the back-test
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, settled, chooseFile, confirmReplace, DATA, OUT, ROOT } from '../tests/e2e/harness.mjs';

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
    await confirmReplace(page);
    await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'demo' && !document.querySelector('#progress'));
    await chooseFile(page, file);
    const name = path.basename(file);
    await page.waitForFunction((n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'), name, { timeout: 120_000 });
    times.push(Number(await page.getAttribute('#cleaning-report', 'data-duration-ms')));
  }
  return times;
}

const ONLY = process.env.ONLY;
const ONLY_SHAPE = ONLY === 'shape' || ONLY === 'patrol' || ONLY === 'backtest';
const rows = [];
const line = (what, xs) => rows.push(`| ${what} | ${median(xs)} | ${xs.join(', ')} |`);
if (!ONLY_SHAPE) {
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

line('CSV.gz (28.1 MB)', csv);
line('Parquet, zstd (19.3 MB)', pq);
line('EDA of all 495,829 rows (aggregates + 19×19 correlation)', eda);
line('the 33 features of 495,829 rows (computed during the export)', featuresMs);
line('feature export, 33 × 495,829 → Parquet', exportMs);
line('K-Means k=9, 1 init, + metrics and table', km1);
line('DBSCAN 150 m / 50, + metrics and table', dbscan);
line('Ward on 200 m cells, k=9, + metrics and table', wardMs);
line('HDBSCAN min cluster 500 / min samples 50, + metrics and table', hdbscanMs);
} else {
  await chooseFile(page, SAMPLE);
  await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'chicago_crimes_sample.csv.gz' && !document.querySelector('#progress'), null, { timeout: 120_000 });
  await settled(page);
}

/** Clicks `button` RUNS times, each time waiting for a new result in `sel`; its data-ms. */
async function timeRuns(sel, button, progress) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const before = await page.getAttribute(sel, 'data-run').catch(() => null);
    await page.click(button);
    await page.waitForFunction(([s, p, b]) => {
      const r = document.querySelector(s);
      return r && r.dataset.run !== b && !document.querySelector(p);
    }, [sel, progress, before], { timeout: 600_000 });
    times.push(Number(await page.getAttribute(sel, 'data-ms')));
  }
  return times;
}
if (ONLY !== 'patrol' && ONLY !== 'backtest') {
await page.click('#nav-when');
await page.waitForSelector('#temporal-results', { timeout: 60_000 });
line('temporal patterns, k = 3…6 swept × 4 restarts, + peaks', await timeRuns('#temporal-results', '#temporal-run', '#temporal-progress'));
await page.click('#nav-shape');
await page.waitForSelector('#pca-results', { timeout: 60_000 });
// PCA reruns when the filter changes: flip the domestic filter and back, timing the full run.
const pcaMs = [];
for (let i = 0; i < RUNS; i++) {
  for (const v of ['no', '']) {
    const before = await page.getAttribute('#pca-results', 'data-run');
    await page.selectOption('#filter-domestic', v);
    await page.waitForFunction((b) => document.querySelector('#pca-results')?.dataset.run !== b && !document.querySelector('#pca-progress'), before, { timeout: 120_000 });
  }
  pcaMs.push(Number(await page.getAttribute('#pca-results', 'data-ms')));
}
line('PCA of 20 features, all rows, + 4,000-point scatter', pcaMs);
// Map sizes: UMAP_N (default 20,000, the page's default) and TSNE_N (default 5,000).
const UMAP_N = Number(process.env.UMAP_N || 20000);
const TSNE_N = Number(process.env.TSNE_N || 5000);
await page.fill('#map-sample', String(UMAP_N));
line(`UMAP map of ${UMAP_N} (k-NN + layout + trustworthiness)`, await timeRuns('#map-results', '#map-run', '#map-progress'));
await page.selectOption('#map-method', 'tsne');
await page.fill('#map-sample', String(TSNE_N));
line(`t-SNE map of ${TSNE_N}, 1,000 iterations (k-NN + layout + trustworthiness)`, await timeRuns('#map-results', '#map-run', '#map-progress'));
}
if (ONLY !== 'shape' && ONLY !== 'backtest') {
  await page.click('#nav-patrol');
  await page.waitForSelector('#risk-result', { timeout: 60_000 });
  line('risk grid, 250 m cells (score, Poisson environment model, KDE, Gi* + FDR), 20 hotspots',
    await timeRuns('#risk-result', '#risk-run', '#risk-progress'));
  await page.fill('#route-stops', '50');
  line('route through the 50 riskiest cells from HQ (TSP + evaluation at 6 departures × 2 routes)',
    await timeRuns('#route-result', '#route-run', '#route-progress'));
}
if (ONLY !== 'shape' && ONLY !== 'patrol') {
  await page.click('#nav-backtest');
  await page.fill('#bt-split', '2017-09-01');
  line('back-test, split 2017-09-01: 8 methods fitted on 409k rows, scored at 4 coverages, 2 routes',
    await timeRuns('#bt-result', '#bt-run', '#bt-progress'));
}

const version = browser.context.browser()?.version() ?? 'chromium';
console.log(`Chromium ${version}, ${RUNS} runs each, 500,000 rows (495,829 kept)`);
console.log(`| stage | median ms | runs (ms) |`);
console.log(`|---|---|---|`);
rows.forEach((r) => console.log(r));
await browser.close();
await server.close();
