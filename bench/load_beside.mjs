// The load of a gzip file in headless Chromium, inflated in the map worker beside the parse (the
// file input) against inflated in the data worker itself (the same file by URL, `?data=`, whose
// network chunks are inflated where they arrive), alternately, each in a fresh page.
//
//   node bench/load_beside.mjs FILE [PAIRS]
//
// Prints each load's time as the worker measured it (the cleaning report's) and the medians.
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, loadFile } from '../tests/e2e/harness.mjs';

const FILE = process.argv[2];
const PAIRS = Number(process.argv[3] || 3);
if (!FILE) {
  console.error('usage: node bench/load_beside.mjs FILE [PAIRS]');
  process.exit(2);
}
const name = path.basename(FILE);
const server = await serve({
  [`/files/${name}`]: (req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': fs.statSync(FILE).size });
    fs.createReadStream(FILE).pipe(res);
  },
});
const browser = await launch();
const timed = async (page) => ({
  ms: Number(await page.getAttribute('#cleaning-report', 'data-duration-ms')),
  inflated: await page.getAttribute('#cleaning-report', 'data-inflated'),
});
const runs = { beside: [], here: [] };
for (let i = 0; i < PAIRS; i++) {
  const a = await openApp(browser.context, server.url);
  // The map worker is up once the page is (it starts with the data worker); wait a moment more.
  await a.waitForTimeout(1000);
  await loadFile(a, FILE, 600_000);
  const beside = await timed(a);
  await a.close();
  const b = await openApp(browser.context, `${server.url}?data=${encodeURIComponent(`${server.url}files/${name}`)}`,
    { waitForDataset: false });
  await b.waitForFunction((n) => document.querySelector('#dataset-name')?.textContent === n
    && !document.querySelector('#progress'), name, { timeout: 600_000 });
  await b.click('#nav-overview').catch(() => {});
  await b.waitForSelector('#cleaning-report');
  const here = await timed(b);
  await b.close();
  console.error(`pair ${i + 1}: file input ${beside.ms} ms (inflated ${beside.inflated}), URL ${here.ms} ms (inflated ${here.inflated})`);
  runs.beside.push(beside.ms);
  runs.here.push(here.ms);
}
const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
console.log(JSON.stringify({ file: name, beside_ms: median(runs.beside), here_ms: median(runs.here), runs }));
await browser.close();
await server.close();
