// The Benchmark page (#bench) in real headless Chromium: the whole pipeline runs in the worker on
// the demo data with every stage timed, its peak heap counted, a chart and a table drawn, the same
// JSON as `patroliq bench` offered; and every deterministic stage finds in the browser exactly what
// the CLI finds on the same rows (the same work is timed on both sides). Bad numbers get a message.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, shot, cli, rerun, OUT, ROOT, saved } from './harness.mjs';

let server, browser, page;

describe('benchmark page: the whole pipeline in the worker', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('times every stage on the demo, as the CLI does, and offers the JSON', async () => {
    await page.click('#link-bench');
    await page.waitForSelector('#bench-run:not([disabled])', { timeout: 60_000 });
    assert.match(page.url(), /#bench$/);
    // No tab of its own: it is reached from the Data page's link or its address.
    assert.equal(await page.$('#nav-bench'), null);
    const params = { '#bench-runs': '1', '#bench-umap': '800', '#bench-tsne': '400', '#bench-stops': '10' };
    for (const [sel, v] of Object.entries(params)) await page.fill(sel, v);
    await rerun(page, '#bench-results', '#bench-run', '#bench-progress', 300_000);
    const report = JSON.parse(await page.getAttribute('#bench-results', 'data-json'));
    const names = report.stages.map((s) => s.stage);
    assert.deepEqual(names, ['load', 'features', 'eda', 'kmeans', 'dbscan', 'hierarchical', 'hdbscan', 'temporal',
      'pca', 'umap', 'tsne', 'risk', 'route', 'backtest']);
    for (const s of report.stages) {
      assert.ok(!s.outcome.startsWith('error'), `${s.stage}: ${s.outcome}`);
      assert.ok(s.median_ms > 0 || s.stage === 'risk', `${s.stage} timed: ${s.median_ms}`);
      // The worker counts its heap: every analysis holds at least the table.
      if (s.stage !== 'load') assert.ok(s.peak_bytes >= report.table_bytes, `${s.stage} peak ${s.peak_bytes}`);
    }
    assert.match(report.target, /WebAssembly/);
    assert.equal(await page.locator('#bench-table tbody tr').count(), 14);
    assert.equal(await page.locator('#bench-table tbody tr.error').count(), 0);
    await page.waitForSelector('#bench-chart .main-svg');
    assert.equal(await page.locator('#bench-chart .bars .point').count(), 13);

    // The CLI on the same rows (the demo, written by the CLI with the app's seed) finds the same.
    const demo = path.join(OUT, 'bench-demo.csv.gz');
    execFileSync(path.join(ROOT, 'target/release/patroliq'), ['demo', demo]);
    const native = cli(['bench', demo, '--runs', '1', '--umap-sample', '800', '--tsne-sample', '400',
      '--route-stops', '10', '--json']);
    assert.equal(native.rows, report.rows);
    const outcome = (r, stage) => r.stages.find((s) => s.stage === stage).outcome;
    for (const stage of ['features', 'eda', 'kmeans', 'dbscan', 'hierarchical', 'hdbscan', 'temporal', 'pca', 'risk',
      'route', 'backtest']) {
      assert.equal(outcome(report, stage), outcome(native, stage), stage);
    }
    // Then a whole pass with the maps in the map worker (on by default): the same findings, the
    // maps included (the same WebAssembly maps the same sample alike in either worker).
    assert.equal(report.beside.runs_ms.length, 1);
    assert.ok(report.beside.median_ms > 0);
    assert.deepEqual(report.beside.stages.map((s) => s.stage), names.slice(1));
    for (const s of report.beside.stages) assert.equal(s.outcome, outcome(report, s.stage), `beside: ${s.stage}`);
    assert.match(await page.textContent('#bench-beside'), /in workers of their own beside the other stages, a pass took/);
    await shot(page, 'bench-demo');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#bench-download')]);
    const json = JSON.parse(fs.readFileSync(await saved(download), 'utf8'));
    assert.deepEqual(json.stages.map((s) => s.stage), names);
  });

  it('refuses bad numbers with a message and keeps the last result', async () => {
    const run = await page.getAttribute('#bench-results', 'data-run');
    await page.fill('#bench-runs', '0');
    await page.click('#bench-run');
    await page.waitForSelector('#bench-form-error');
    assert.match(await page.textContent('#bench-form-error'), /runs must be 1–20/);
    await page.fill('#bench-runs', '1');
    await page.fill('#bench-umap', '50');
    await page.click('#bench-run');
    assert.match(await page.textContent('#bench-form-error'), /at least 100 incidents/);
    await page.fill('#bench-umap', '');
    await page.click('#bench-run');
    assert.match(await page.textContent('#bench-form-error'), /UMAP sample: not a number/);
    await page.fill('#bench-umap', '800');
    await page.fill('#bench-only', 'kmeans, clustering');
    await page.click('#bench-run');
    assert.match(await page.textContent('#bench-form-error'), /no stage is called "clustering"/);
    assert.equal(await page.getAttribute('#bench-results', 'data-run'), run);
  });

  it('runs only the stages named', async () => {
    await page.fill('#bench-only', 'kmeans, risk');
    await page.uncheck('#bench-beside-on');
    await rerun(page, '#bench-results', '#bench-run', '#bench-progress', 300_000);
    const report = JSON.parse(await page.getAttribute('#bench-results', 'data-json'));
    assert.deepEqual(report.stages.map((s) => s.stage), ['load', 'kmeans', 'risk']);
    assert.equal(report.beside, null);
  });
});
