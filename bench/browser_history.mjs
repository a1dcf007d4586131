// The whole-history benchmark in headless Chromium (bench/history.sh): each file (CSV, CSV.gz,
// prepared Parquet) loaded through the file input, as the worker times it (the report's
// data-duration-ms), then the EDA of every row (the first analysis after the load: the filter
// bar's data-ms), one run each; then DuckDB-WASM on the same files in a Chromium of its own
// (bench/duckdb_wasm.mjs; NO_DUCKDB_WASM=1 skips it). Prints JSON: {stage: seconds}.
//   node bench/browser_history.mjs HISTORY.csv HISTORY.csv.gz HISTORY.parquet
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, settled, chooseFile } from '../tests/e2e/harness.mjs';
import { duckdbWasm, VERSIONS } from './duckdb_wasm.mjs';

const files = process.argv.slice(2);
const server = await serve();
const browser = await launch({ own: true });
const page = await openApp(browser.context, server.url);
const out = { chromium: execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim() };
for (const file of files) {
  const kind = file.endsWith('.gz') ? 'csv.gz' : path.extname(file).slice(1);
  await chooseFile(page, file);
  await page.waitForFunction((n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'),
    path.basename(file), { timeout: 900_000 });
  out[`load ${kind}`] = Number(await page.getAttribute('#cleaning-report', 'data-duration-ms')) / 1000;
  await settled(page, 900_000);
  out[`eda after ${kind}`] = Number(await page.getAttribute('#filter-status', 'data-ms')) / 1000;
  out.rows = Number((await page.textContent('#rows-clean')).replace(/[^0-9]/g, ''));
}
await browser.close();
await server.close();
if (!process.env.NO_DUCKDB_WASM) {
  for (const v of VERSIONS) Object.assign(out, await duckdbWasm(files, v));
}
console.log(JSON.stringify(out, null, 1));
