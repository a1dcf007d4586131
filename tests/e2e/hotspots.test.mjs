// Hotspot clustering in real headless Chromium on the real 500,000-row sample: every algorithm
// runs in the worker on every row and gives exactly what `patroliq cluster` gives natively; a
// degenerate run is flagged; a filter narrows the points; a run can be cancelled.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, loadFile, settled, text, num, shot, DATA, ROOT } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const CLI = path.join(ROOT, 'target/release/patroliq');

let server, browser, page;

function cli(args) {
  return JSON.parse(execFileSync(CLI, ['cluster', SAMPLE, '--json', ...args], { maxBuffer: 64 << 20 }).toString());
}

async function run(algo, fields = {}) {
  await page.selectOption('#cluster-algo', algo);
  for (const [id, v] of Object.entries(fields)) await page.fill(id, String(v));
  const before = await page.getAttribute('#cluster-results', 'data-run').catch(() => null);
  await page.click('#cluster-run');
  await page.waitForSelector('#cluster-progress', { timeout: 10_000 }).catch(() => {});
  await page.waitForFunction(
    ([algo, before]) => {
      const r = document.querySelector('#cluster-results');
      return !document.querySelector('#cluster-progress') && r?.dataset.algo === algo && r.dataset.run !== before;
    },
    [algo, before], { timeout: 180_000 });
}

async function sizes() {
  return page.locator('#cluster-table tbody td:nth-child(2)').evaluateAll((tds) => tds.map((td) => Number(td.textContent.replace(/,/g, ''))));
}

describe('hotspots on the real sample', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await loadFile(page, SAMPLE);
    await page.click('#nav-hotspots');
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('K-Means k = 9 on all 495,829 rows equals the native CLI, cluster for cluster', async () => {
    await run('kmeans');
    // Nine regions of tens of km² each are not hotspots: the page calls them areas and says why.
    assert.equal(await text(page, '#cluster-results h2'), '9 areas of 495,829 incidents');
    assert.match(await text(page, '#cluster-areas-note'), /^Called areas, not hotspots: the largest covers \d+ km²/);
    assert.match(await text(page, '#hotspot-meaning'), /^A hotspot is a small place — a few blocks, at most about 1 km² — where incidents concentrate far above the city's average/);
    assert.equal(await text(page, '#cluster-table tbody tr td'), 'Area 1');
    const native = cli(['--algo', 'kmeans', '--k', '9']);
    assert.deepEqual(await sizes(), native.sizes);
    assert.equal(await text(page, '#metric-silhouette .kpi-value'), native.silhouette.toFixed(3));
    assert.equal(await text(page, '#metric-db .kpi-value'), native.davies_bouldin.toFixed(3));
    assert.equal(await page.locator('#cluster-warnings').count(), 0);
    await page.waitForSelector('#chart-cluster-map .main-svg');
    // 9 hulls drawn as lines, and the sampled points.
    assert.ok(await page.locator('#chart-cluster-map .scatterlayer .trace').count() >= 19);
    // The 10,000 sampled points are one image under the hulls (chart.rs), not 10,000 SVG
    // elements: drawn as SVG they held the UI thread for half a second.
    const img = page.locator('#chart-cluster-map .imagelayer image');
    assert.equal(await img.count(), 1);
    assert.match(await img.getAttribute('href'), /^blob:/);
    assert.ok(await page.locator('#chart-cluster-map .scatterlayer .point').count() < 100);
    console.log(`# K-Means k=9 in the browser: ${await text(page, '#metric-time .kpi-value')}; native ${native.seconds.toFixed(2)} s`);
    await shot(page, 'hotspots-kmeans');
  });

  it('draws the same hotspots on street tiles when asked, and remembers the choice', async () => {
    // The tile server is a stand-in (an empty response is a failed tile): no internet in tests.
    let asked = 0;
    await browser.context.route('https://tile.openstreetmap.org/**', (route) => { asked++; return route.abort(); });
    try {
      await page.click('#chart-cluster-map-streets');
      // Plotly's MapLibre map: a WebGL canvas, the same traces as points, hulls and centres.
      await page.waitForSelector('#chart-cluster-map canvas.maplibregl-canvas', { timeout: 30_000 });
      const types = await page.evaluate(() => [...new Set(document.getElementById('chart-cluster-map').data.map((t) => t.type))]);
      assert.deepEqual(types, ['scattermap']);
      assert.equal(await page.evaluate(() => localStorage.getItem('patroliq.map.street')), '1');
      // The tiles failed: the note says the outlines carry the map.
      await page.waitForSelector('#chart-cluster-map-street-note:not([hidden])', { timeout: 30_000 });
      assert.ok(asked > 0);
      await shot(page, 'hotspots-street');
      await page.click('#chart-cluster-map-streets');
      await page.waitForSelector('#chart-cluster-map .main-svg .scatterlayer');
      assert.equal(await page.evaluate(() => localStorage.getItem('patroliq.map.street')), '0');
    } finally {
      await browser.context.unroute('https://tile.openstreetmap.org/**');
    }
  });

  /** The run's clusters are patrol-sized hotspots: none holds half the incidents (the old
   * defaults made one of 46 % and 207 km²), and it is called a hotspot. */
  async function hotspotsNotOneBlob(native) {
    assert.ok(native.sizes[0] < 0.5 * native.points, `largest cluster ${native.sizes[0]} of ${native.points}`);
    const shown = await sizes();
    assert.ok(shown[0] / native.points < 0.1, `largest shown ${shown[0]}`);
    assert.match(await text(page, '#cluster-results h2'), new RegExp(`^${native.n_clusters} hotspots of 495,829 incidents$`));
    assert.equal(await page.locator('#cluster-warnings').count(), 0, 'no degenerate-result warning');
    const areas = await page.locator('#cluster-table tbody td:nth-child(4)').evaluateAll((tds) => tds.map((td) => Number(td.textContent)));
    const median = [...areas].sort((a, b) => a - b)[Math.floor(areas.length / 2)];
    assert.ok(median <= 1, `median hull of the 50 largest listed: ${median} km²`);
  }

  it('DBSCAN with the page\'s defaults equals the native CLI\'s defaults and finds hotspots; Ward runs on every row', async () => {
    assert.equal(await page.inputValue('#cluster-algo'), 'kmeans');
    await page.selectOption('#cluster-algo', 'dbscan');
    assert.deepEqual([await page.inputValue('#cluster-eps'), await page.inputValue('#cluster-min-samples')], ['100', '100']);
    await run('dbscan');
    const native = cli(['--algo', 'dbscan']);
    assert.deepEqual([native.params.eps_m, native.params.min_samples], [100, 100]);
    assert.equal(Number(await page.getAttribute('#cluster-results', 'data-clusters')), native.n_clusters);
    assert.equal(num((await text(page, '#metric-noise .kpi-value')).split(' (')[0]), native.noise);
    const shown = await sizes();
    assert.deepEqual(shown, native.sizes.slice(0, shown.length));
    await hotspotsNotOneBlob(native);
    await shot(page, 'hotspots-dbscan-defaults');
    console.log(`# DBSCAN in the browser: ${await text(page, '#metric-time .kpi-value')}; native ${native.seconds.toFixed(2)} s`);
    await run('hierarchical');
    const ward = cli(['--algo', 'hierarchical']);
    assert.deepEqual(await sizes(), ward.sizes);
    // The dendrogram: the last 29 merges and the cut line.
    await page.waitForSelector('#chart-dendrogram .main-svg');
    assert.equal(await page.locator('#chart-dendrogram .xtick').count(), 30);
    await shot(page, 'hotspots-ward');
    console.log(`# Ward in the browser: ${await text(page, '#metric-time .kpi-value')}; native ${ward.seconds.toFixed(2)} s`);
  });

  it('HDBSCAN with the defaults on every row equals the native CLI and finds hotspots', async () => {
    await page.selectOption('#cluster-algo', 'hdbscan');
    assert.deepEqual([await page.inputValue('#cluster-min-cluster-size'), await page.inputValue('#cluster-hd-min-samples')], ['150', '100']);
    await run('hdbscan');
    const native = cli(['--algo', 'hdbscan']);
    assert.equal(Number(await page.getAttribute('#cluster-results', 'data-clusters')), native.n_clusters);
    assert.equal(num((await text(page, '#metric-noise .kpi-value')).split(' (')[0]), native.noise);
    const shown = await sizes();
    assert.deepEqual(shown, native.sizes.slice(0, shown.length));
    await hotspotsNotOneBlob(native);
    console.log(`# HDBSCAN in the browser: ${await text(page, '#metric-time .kpi-value')}; native ${native.seconds.toFixed(2)} s`);
    await shot(page, 'hotspots-hdbscan');
  });

  it('says so when a result is degenerate, and refuses impossible parameters with a reason', async () => {
    await run('dbscan', { '#cluster-eps': 20, '#cluster-min-samples': 200 });
    assert.match(await text(page, '#cluster-warnings'), /of the points are noise/);
    await shot(page, 'hotspots-degenerate');
    await page.fill('#cluster-eps', '-5');
    await page.click('#cluster-run');
    assert.match(await text(page, '#cluster-form-error'), /eps must be between/);
    await page.selectOption('#cluster-algo', 'hierarchical');
    await page.fill('#cluster-cell', '30');
    await page.click('#cluster-run');
    await page.waitForSelector('#cluster-error', { timeout: 60_000 });
    assert.match(await text(page, '#cluster-error'), /too many for Ward/);
    await page.fill('#cluster-cell', '200');
  });

  it('clusters only the filtered rows, and marks a result the filter has moved on from', async () => {
    await page.click('#filter-districts summary');
    await page.check('#filter-districts input[value="1"]');
    await page.click('#filter-districts summary');
    await settled(page);
    assert.equal(await page.locator('#cluster-stale').count(), 1);
    const rows = num((await text(page, '#filtered-rows')).split(' of ')[0]);
    await run('kmeans', { '#cluster-k': 4 });
    // Areas unless every cluster's hull is at most 1 km² (cluster/report.rs, HOTSPOT_MAX_KM2).
    const areas = await page.locator('#cluster-table tbody td:nth-child(4)').evaluateAll((tds) => tds.map((td) => Number(td.textContent)));
    const called = areas.some((a) => a > 1) ? 'areas' : 'hotspots';
    assert.equal(await text(page, '#cluster-results h2'), `4 ${called} of ${rows.toLocaleString('en-US')} incidents`);
    assert.equal((await sizes()).reduce((a, b) => a + b, 0), rows);
    assert.equal(await page.locator('#cluster-stale').count(), 0);
  });

  it('sweeps k and can cancel a run, keeping the data and the last result', async () => {
    await page.click('#cluster-sweep');
    await page.waitForSelector('#chart-sweep .main-svg', { timeout: 180_000 });
    await page.waitForFunction(() => document.querySelectorAll('#chart-sweep .scatterlayer .point').length === 28);
    await shot(page, 'hotspots-sweep');

    const before = await text(page, '#cluster-results h2');
    await page.selectOption('#cluster-algo', 'hierarchical');
    await page.fill('#cluster-cell', '100');
    // Cancel from inside the page, in the microtask after the button appears: a Playwright click
    // waits for the button to be stable first, and on the filtered rows Ward can finish in that
    // time (the button then detaches and the click waits out its timeout). No reply of the worker
    // can be handled between the button's appearance and this click.
    await page.evaluate(() => new Promise((resolve) => {
      const cancel = () => {
        const button = document.querySelector('#cluster-cancel');
        if (!button) return false;
        button.click();
        resolve();
        return true;
      };
      const watch = new MutationObserver(() => cancel() && watch.disconnect());
      watch.observe(document.body, { childList: true, subtree: true });
      document.querySelector('#cluster-run').click();
    }));
    await page.waitForSelector('#cluster-progress', { state: 'detached' });
    // The worker was replaced and the sample reloaded; the previous result stays.
    await page.waitForFunction(() => !document.querySelector('#progress'), null, { timeout: 120_000 });
    await settled(page);
    assert.equal(await text(page, '#cluster-results h2'), before);
    assert.match(await text(page, '#filtered-rows'), /of 495,829 incidents/);
    assert.deepEqual(browser.errors, []);
  });
});
