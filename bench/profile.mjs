// Where the worker's time goes in headless Chromium, by function: runs the Benchmark page once
// with V8's sampling profiler (--prof) and leaves its logs in target/bench/v8/. Not a test. After
// `trunk build --release`:
//   node bench/profile.mjs FILE                     the whole Benchmark page
//   node bench/profile.mjs FILE map umap|tsne N     one map, the first of its map worker
//   node bench/profile.mjs FILE load                the load of FILE alone
//   node --prof-process $(ls -S target/bench/v8/*.log | head -1) | head -40
// A WebAssembly function listed without '*' ran in V8's baseline tier (Liftoff): V8 optimises a
// function only for the calls after it has been hot, so a long loop inside one call stays there
// (How it is built, "WebAssembly tiers").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, openApp, loadFile, ROOT } from '../tests/e2e/harness.mjs';
const LOGS = path.join(ROOT, 'target/bench/v8');
fs.rmSync(LOGS, { recursive: true, force: true });
fs.mkdirSync(LOGS, { recursive: true });
if (!process.argv[2]) {
  console.error('usage: node bench/profile.mjs FILE [map umap|tsne N]');
  process.exit(64);
}
const server = await serve();
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--js-flags=--prof --logfile=${LOGS}/v8-%p.log --no-logfile-per-isolate`],
  viewport: { width: 1280, height: 900 },
});
const page = await openApp(context, server.url);
await loadFile(page, path.resolve(process.argv[2]), 300_000);
if (process.argv[3] === 'load') {
  // The load alone (the file above): its profile is the log's.
} else if (process.argv[3] === 'map') {
  // One map in a fresh map worker, as a user's first: what runs in V8's baseline tier shows.
  const [method = 'umap', n = '20000'] = process.argv.slice(4);
  await page.click('#nav-shape');
  await page.waitForSelector('#map-run:not([disabled])', { timeout: 120_000 });
  await page.waitForFunction(() => !document.querySelector('[id$="-progress"]'), null, { timeout: 300_000 });
  await page.selectOption('#map-method', method);
  await page.fill('#map-sample', n);
  const run = await page.$eval('#map-results', (r) => r.dataset.run).catch(() => null);
  await page.click('#map-run');
  await page.waitForFunction((run) => {
    const r = document.querySelector('#map-results');
    return !document.querySelector('#map-progress') && r && r.dataset.run !== run;
  }, run, { timeout: 600_000 });
  console.log(`${method} of ${n}: ${await page.getAttribute('#map-results', 'data-ms')} ms in the workers`);
} else {
  await page.goto(`${server.url}#bench`);
  await page.waitForSelector('#bench-run:not([disabled])', { timeout: 120_000 });
  await page.fill('#bench-runs', '1');
  await page.fill('#bench-umap', '20000');
  await page.fill('#bench-tsne', '5000');
  await page.fill('#bench-stops', '50');
  await page.click('#bench-run');
  await page.waitForSelector('#bench-results', { timeout: 3_600_000 });
  const report = JSON.parse(await page.getAttribute('#bench-results', 'data-json'));
  console.log(report.stages.map((s) => `${s.stage} ${Math.round(s.median_ms)}`).join('\n'));
}
await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
server.close();
console.log(`logs in ${LOGS}`);
