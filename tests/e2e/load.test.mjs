// Loading data in real headless Chromium: the demo on open, the real 500k-row sample through the
// file input, Parquet, drag-and-drop, a URL, the portal API (a local stand-in), cancel, download.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, loadFile, chooseFile, confirmReplace, text, num, shot, DATA, OUT, ROOT } from './harness.mjs';
import { fakePortal } from './fake_portal.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const EXTRA = path.join(DATA, 'chicago_crimes_2012_2016_extra.csv.gz');
const CLI = path.join(ROOT, 'target/release/patroliq');

let server, browser, page, portal;

async function chartDrawn(id) {
  await page.waitForSelector(`#${id} .main-svg`, { timeout: 20_000 });
  // Plotly draws one bar path per point; an empty chart has none.
  return page.locator(`#${id} .point, #${id} .scatterlayer path`).count();
}

describe('loading data in the browser', () => {
  before(async () => {
    portal = fakePortal();
    server = await serve({
      '/files/sample.csv.gz': (req, res) => {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': fs.statSync(SAMPLE).size });
        fs.createReadStream(SAMPLE).pipe(res);
      },
      '/resource/ijzp-q8t2.csv': portal.handler,
    });
    browser = await launch();
    page = await openApp(browser.context, server.url);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('opens with the built-in demo summarised', async () => {
    assert.equal(await text(page, '#dataset-name'), 'demo');
    const kept = num(await text(page, '#rows-clean'));
    assert.ok(kept > 55_000 && kept < 60_000, `demo rows ${kept}`);
    assert.ok(await chartDrawn('chart-types') >= 25, 'crime-type bars');
    assert.ok(await chartDrawn('chart-hours') >= 24, 'hour bars');
    await shot(page, 'demo');
    // The same seeded rows as `patroliq demo` writes natively (32-bit WASM draws like 64-bit).
    const file = path.join(OUT, 'demo-native.csv');
    execFileSync(CLI, ['demo', file]);
    const native = JSON.parse(execFileSync(CLI, ['validate', file, '--json']).toString());
    assert.equal(kept, native.rows_clean);
    assert.equal(num(await text(page, '#rows-dropped')), native.rows_read - native.rows_clean);
    assert.equal(await text(page, '#kpi-arrest .kpi-value'), `${(native.arrest_rate * 100).toFixed(1)} %`);
    assert.deepEqual(browser.errors, []);
  });

  it('loads the real 500,000-row sample through the file input and reports its figures', async () => {
    const t0 = Date.now();
    await loadFile(page, SAMPLE);
    console.log(`# sample.csv.gz loaded in the browser in ${Date.now() - t0} ms`);
    assert.equal(await text(page, '#rows-read'), '500,000');
    assert.equal(await text(page, '#rows-clean'), '495,829');
    assert.equal(await text(page, '#rows-dropped'), '4,171');
    assert.equal(await text(page, '#dropped-table tr[data-reason="missing_coordinates"] td.num'), '4,171');
    assert.equal(await text(page, '#primary-types'), '32');
    assert.equal(await text(page, '#date-range'), '2016-02-26 01:20 → 2017-12-31 23:58');
    assert.equal(await text(page, '#kpi-arrest .kpi-value'), '19.5 %');
    assert.ok(await chartDrawn('chart-types') >= 32);
    // The map worker inflated the gzip while the data worker parsed it (the figures above are
    // the ones of a load in one worker: the CLI's and earlier runs').
    assert.equal(await page.getAttribute('#cleaning-report', 'data-inflated'), 'beside');
    assert.match(await text(page, '#report-source'), /inflated on a second core/);
    await shot(page, 'sample-loaded');
  });

  it('downloads the cleaning report as JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
    const file = path.join(OUT, 'report.json');
    await download.saveAs(file);
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(report.rows_read, 500_000);
    assert.equal(report.dropped.missing_coordinates, 4_171);
    assert.equal(report.primary_types, 32);
  });

  it('loads the Parquet file that `patroliq prepare` writes', async () => {
    const pq = path.join(OUT, 'sample.parquet');
    execFileSync(CLI, ['prepare', SAMPLE, pq]);
    const t0 = Date.now();
    await loadFile(page, pq);
    console.log(`# prepared sample.parquet loaded in the browser in ${Date.now() - t0} ms`);
    assert.equal(await text(page, '#rows-clean'), '495,829');
    assert.match(await text(page, '#report-source'), /parquet/);
  });

  it('loads Parquet written by DuckDB and pyarrow', async () => {
    const dir = process.env.PATROLIQ_FIXTURES || path.join(ROOT, 'target/fixtures');
    for (const name of ['duckdb_default.parquet', 'pyarrow_zstd.parquet', 'pandas_style.parquet']) {
      await loadFile(page, path.join(dir, name));
      assert.equal(await text(page, '#rows-read'), '20,000', name);
    }
  });

  it('loads a file dropped on the page', async () => {
    const csv = 'ID,Date,Primary Type,Latitude,Longitude\n1,01/02/2017 10:00:00 AM,THEFT,41.9,-87.7\n' +
      '2,01/02/2017 11:00:00 PM,ROBBERY,41.8,-87.6\n';
    const dt = await page.evaluateHandle((t) => {
      const d = new DataTransfer();
      d.items.add(new File([t], 'dropped.csv', { type: 'text/csv' }));
      return d;
    }, csv);
    await page.dispatchEvent('.source-panel', 'drop', { dataTransfer: dt });
    assert.ok(await confirmReplace(page), 'dropping a file over the real sample asks first');
    await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'dropped.csv');
    assert.equal(await text(page, '#rows-clean'), '2');
  });

  it('opens a link with ?data=<url>', async () => {
    const p2 = await openApp(browser.context, `${server.url}?data=${encodeURIComponent(server.url + 'files/sample.csv.gz')}`, { waitForDataset: false });
    await p2.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'sample.csv.gz', null, { timeout: 120_000 });
    assert.equal(await text(p2, '#rows-clean'), '495,829');
    await p2.close();
  });

  it('fetches from the Chicago Data Portal API (newest N rows and a date range)', async () => {
    await page.click('#tab-portal');
    await page.click('.advanced summary');
    await page.fill('#portal-endpoint', server.url + 'resource/ijzp-q8t2.csv');
    await page.fill('#portal-limit', '1500');
    await page.click('#portal-load');
    await confirmReplace(page);
    await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'ijzp-q8t2.csv' && !document.querySelector('#progress'));
    assert.equal(await text(page, '#rows-read'), '1,500');
    let q = portal.requests.at(-1);
    assert.equal(q.get('$limit'), '1500');
    assert.equal(q.get('$order'), 'date DESC');

    await page.fill('#portal-from', '2017-03-01');
    await page.fill('#portal-to', '2017-03-31');
    await page.click('#portal-load');
    assert.ok(await confirmReplace(page), 'fetching over the portal\'s rows asks first');
    await page.waitForFunction(() => document.querySelector('#rows-read')?.textContent !== '1,500' && !document.querySelector('#progress'));
    q = portal.requests.at(-1);
    assert.equal(q.get('$where'), "date >= '2017-03-01T00:00:00' AND date <= '2017-03-31T23:59:59'");
    assert.match(await text(page, '#date-range'), /^2017-03-\d\d .* → 2017-03-\d\d/);
    await shot(page, 'portal-loaded');
  });

  it('cancels a long load and keeps the dataset it had', async () => {
    const before = await text(page, '#dataset-name');
    const rows = await text(page, '#rows-clean');
    await page.click('#tab-file');
    await chooseFile(page, EXTRA);
    await page.waitForSelector('#progress');
    await page.waitForFunction(() => /[1-9]/.test(document.querySelector('#progress .muted')?.textContent || ''));
    await shot(page, 'loading-progress');
    await page.click('#cancel-load');
    await page.waitForSelector('#progress', { state: 'detached' });
    // A cancelled load must not land later either.
    await page.waitForTimeout(3000);
    assert.equal(await text(page, '#dataset-name'), before);
    assert.equal(await text(page, '#rows-clean'), rows);
    assert.equal(await page.locator('#load-error').count(), 0);
  });

  it('recovers from a crash of the data worker and reloads the last dataset', async () => {
    const name = await text(page, '#dataset-name');
    const rows = await text(page, '#rows-clean');
    // The data worker starts a map worker of its own (the same script, named apart).
    const byName = async (name) => {
      const found = [];
      for (const w of page.workers()) if ((await w.evaluate(() => self.name).catch(() => null)) === name) found.push(w);
      return found;
    };
    const workers = await byName('');
    assert.equal(workers.length, 1, 'one data worker');
    assert.equal((await byName('patroliq-maps')).length, 1, 'and its map worker');
    // An uncaught error inside the worker, as a bug or running out of memory would raise.
    await workers[0].evaluate(() => setTimeout(() => { throw new Error('simulated failure'); }, 0));
    await page.waitForSelector('#load-error[data-kind="crashed"]');
    assert.match(await text(page, '#load-error'), /restarted/);
    await page.waitForFunction((n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'), name);
    assert.equal(await text(page, '#rows-clean'), rows);
    await page.waitForFunction(() => document.querySelector('#progress') === null);
    assert.equal((await byName('')).length, 1, 'the old worker is gone, a new one runs');
  });
});
