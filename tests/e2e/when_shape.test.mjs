// The When page (temporal patterns, peaks) and the Shape page (PCA, t-SNE and UMAP maps) in real
// headless Chromium on the real 500,000-row sample: the browser's results equal the native CLI's,
// every chart is drawn, a map can be cancelled and the tab keeps working.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, openApp, loadFile, settled, text, num, shot, cli, hoverPictured, rerun as rerunIn, DATA, ROOT } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');

let server, browser, page;

const rerun = (sel, click, progress, timeout) => rerunIn(page, sel, click, progress, timeout);
// Waits for a map other than run `run` to be shown, no map in progress.
const mapAfter = (run) => page.waitForFunction((run) => {
  const r = document.querySelector('#map-results');
  return !document.querySelector('#map-progress') && r && r.dataset.run !== run;
}, run, { timeout: 180_000 });

async function drawn(id) {
  await page.waitForSelector(`${id} .main-svg`, { timeout: 30_000 });
}

describe('when and shape on the real sample', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await loadFile(page, SAMPLE);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('finds the temporal patterns of all 495,829 incidents, as the CLI does', async () => {
    await page.click('#nav-when');
    await page.waitForSelector('#temporal-results', { timeout: 60_000 });
    const native = cli(['temporal', SAMPLE]);
    assert.equal(Number(await page.getAttribute('#temporal-results', 'data-k')), native.k);
    assert.equal(await text(page, '#temporal-kpi-silhouette .kpi-value'), native.silhouette.toFixed(3));
    const labels = await page.locator('#pattern-table .pattern-label').allTextContents();
    assert.deepEqual(labels, native.patterns.map((p) => p.label));
    const counts = await page.locator('#pattern-table tbody td:nth-child(3)').allTextContents();
    assert.deepEqual(counts.map(num), native.patterns.map((p) => p.incidents));
    assert.equal(counts.map(num).reduce((a, b) => a + b, 0), 495_829);
    for (const id of ['#chart-pattern-hours', '#chart-pattern-weekdays', '#chart-pattern-months',
      '#chart-temporal-sweep', '#chart-pattern-heatmap', '#chart-seasonality']) await drawn(id);
    // One line per pattern in the hour profile.
    assert.equal(await page.locator('#chart-pattern-hours .scatterlayer .trace').count(), native.k);
    // Peaks: the most frequent type first, with its three busiest hours.
    const theft = native.peaks.by_type[0];
    const first = page.locator('#peaks-by-type tbody tr').first();
    assert.equal((await first.locator('td').nth(0).textContent()).trim(), theft.name);
    assert.equal((await first.locator('td').nth(2).textContent()).trim(),
      theft.peak_hours.map((h) => `${String(h).padStart(2, '0')}:00`).join(', '));
    assert.equal(await page.locator('#peaks-by-district tbody tr').count(), native.peaks.by_district.length);
    assert.ok(await page.locator('#hotspot-times-none').isVisible());
    // The page opens with its one-line answer, the core's on the same rows (peaks.answer).
    assert.equal(await text(page, '#when-answer-line'), native.peaks.answer.line);
    assert.equal(await text(page, '#when-answer-detail'), native.peaks.answer.detail);
    assert.match(native.peaks.answer.line, /^Most incidents: .+ \d\d:00–\d\d:00, /);
    const [answer, form] = await Promise.all(['#when-answer', '#temporal-run'].map((s) => page.locator(s).boundingBox()));
    assert.ok(answer.y < form.y, 'the answer comes before the form');
    // Times are the records' own clock: the axes say local time.
    assert.equal(await text(page, '#chart-pattern-hours .xtitle'), 'hour of day (local time)');
    // February 2016 (4 of 29 days in the sample) is ringed as a partial month.
    assert.ok((await page.locator('#chart-seasonality .legendtext').allTextContents()).includes('partial month'));
    console.log(`# temporal patterns in the browser: ${await text(page, '#temporal-kpi-time .kpi-value')}; native ${native.seconds.toFixed(2)} s`);
    await shot(page, 'when-patterns');
    await page.locator('#when').screenshot({ path: path.join(ROOT, 'test-results', 'when-answer.png') });
  });

  it('another pattern heatmap, and a fixed k in the standardised encoding equal to the CLI', async () => {
    await page.selectOption('#pattern-pick', '1');
    await page.waitForFunction(() => document.querySelector('#chart-pattern-heatmap .gtitle')?.textContent
      .startsWith(document.querySelectorAll('#pattern-table .pattern-label')[1].textContent));
    await page.selectOption('#temporal-encoding', 'standardised');
    await page.fill('#temporal-k', '4');
    await rerun('#temporal-results', '#temporal-run', '#temporal-progress');
    const native = cli(['temporal', SAMPLE, '--encoding', 'standardised', '--k', '4']);
    assert.equal(Number(await page.getAttribute('#temporal-results', 'data-k')), 4);
    const counts = await page.locator('#pattern-table tbody td:nth-child(3)').allTextContents();
    assert.deepEqual(counts.map(num), native.patterns.map((p) => p.incidents));
    await page.fill('#temporal-k', '1');
    await page.click('#temporal-run');
    assert.match(await text(page, '#temporal-form-error'), /k must be between 2 and 12/);
    await page.fill('#temporal-k', '');
    await page.selectOption('#temporal-encoding', 'cyclical');
  });

  it('shows when each hotspot is busy once the hotspots are found', async () => {
    await page.click('#nav-hotspots');
    await page.waitForSelector('#cluster-results', { timeout: 120_000 });
    await page.click('#nav-when');
    await rerun('#temporal-results', '#temporal-run', '#temporal-progress');
    await drawn('#chart-hotspot-times');
    // K-Means k = 9: nine hotspot bars in each pattern's trace.
    const bars = await page.locator('#chart-hotspot-times .barlayer .trace').first().locator('.point').count();
    assert.equal(bars, 9);
    await shot(page, 'when-hotspots');
  });

  it('PCA of every row equals the CLI and says honestly how much three components explain', async () => {
    await page.click('#nav-shape');
    await page.waitForSelector('#pca-results', { timeout: 60_000 });
    const native = cli(['pca', SAMPLE]);
    assert.equal(Number(await page.getAttribute('#pca-results', 'data-k70')), native.components_for_70);
    assert.equal(Number(await page.getAttribute('#pca-results', 'data-k90')), native.components_for_90);
    assert.equal(Number(await page.getAttribute('#pca-results', 'data-rows')), native.rows);
    const first3 = (100 * native.cumulative[2]).toFixed(1);
    assert.equal(await text(page, '#pca-kpi-3 .kpi-value'), `${first3} %`);
    assert.match(await text(page, '#pca-summary'), /largely independent/);
    for (const id of ['#chart-scree', '#chart-pca-scatter', '#chart-loadings']) await drawn(id);
    // The scatter's 2,000 points are a picture with their hover text (chart.rs).
    await page.waitForSelector('#chart-pca-scatter .imagelayer image', { timeout: 30_000 });
    const hovered = await hoverPictured(page, 'chart-pca-scatter');
    assert.equal(hovered.shown, hovered.expected);
    assert.equal(await page.locator('#chart-scree .barlayer .point').count(), native.features.length);
    assert.equal(await page.locator('#pca-top tbody tr').count(), 5);
    // The patterns of the When page colour the scatter too.
    await page.check('#pca-colour input[value="pattern"]');
    await page.waitForFunction(() => /by temporal pattern/.test(document.querySelector('#chart-pca-scatter .gtitle')?.textContent));
    const legend = await page.locator('#chart-pca-scatter .legendtext').allTextContents();
    assert.deepEqual([...legend].sort(), cli(['temporal', SAMPLE]).patterns.map((p) => p.label).sort());
    // The 3-D view (WebGL; Chromium's software renderer draws it here).
    await page.click('#pca-3d-toggle');
    await page.waitForSelector('#chart-pca-3d .gl-container canvas', { timeout: 30_000 });
    assert.equal(await page.locator('#chart-pca-3d .legendtext').count(), 9);
    await shot(page, 'shape-pca');
    await page.click('#pca-3d-toggle');
    await page.waitForSelector('#chart-pca-3d', { state: 'detached' });
  });

  it('a UMAP map of a seeded sample is as trustworthy as the CLI\'s, coloured by temporal pattern', async () => {
    await page.fill('#map-sample', '3000');
    await rerun('#map-results', '#map-run', '#map-progress');
    assert.equal(await page.getAttribute('#map-results', 'data-method'), 'UMAP');
    assert.equal(Number(await page.getAttribute('#map-results', 'data-points')), 3000);
    const trust = Number(await page.getAttribute('#map-results', 'data-trust'));
    const native = cli(['embed', SAMPLE, '--method', 'umap', '--sample', '3000', '--out', path.join(ROOT, 'target/e2e-umap.csv'), '--json']);
    // The same sample and start; f32 sums may differ in the last bit between WASM and native.
    assert.ok(Math.abs(trust - native.trustworthiness) < 0.01, `${trust} vs ${native.trustworthiness}`);
    assert.ok(trust > 0.9, `trustworthiness ${trust}`);
    await drawn('#chart-embedding');
    // The temporal run above was of the same rows: the patterns colour the map.
    await page.check('#map-colour input[value="pattern"]');
    await page.waitForFunction(() => [...document.querySelectorAll('#chart-embedding .legendtext')]
      .some((t) => /nights|evenings|mornings|afternoons/.test(t.textContent)));
    console.log(`# UMAP of 3,000 in the browser: ${await text(page, '#map-kpi-time .kpi-value')}; native ${native.seconds.toFixed(2)} s`);
    // The points are one picture (chart.rs), and hovering one still tells what it is.
    await page.waitForSelector('#chart-embedding .imagelayer image', { timeout: 30_000 });
    assert.ok(await page.locator('#chart-embedding .scatterlayer .point').count() < 50);
    const { shown, expected } = await hoverPictured(page, 'chart-embedding');
    assert.match(expected, / · \w+ \d\d:00 · district \d+$/);
    assert.equal(shown, expected);
    await shot(page, 'shape-umap');
  });

  it('a map of 6,000 points is one picture, its legend and hover kept', async () => {
    await page.fill('#map-sample', '6000');
    await rerun('#map-results', '#map-run', '#map-progress');
    assert.equal(Number(await page.getAttribute('#map-results', 'data-points')), 6000);
    await page.waitForSelector('#chart-embedding .imagelayer image', { timeout: 30_000 });
    assert.match(await page.getAttribute('#chart-embedding .imagelayer image', 'href'), /^blob:/);
    assert.ok(await page.locator('#chart-embedding .scatterlayer .point').count() < 50);
    assert.ok(await page.locator('#chart-embedding .legendtext').count() >= 3);
    const { shown, expected } = await hoverPictured(page, 'chart-embedding');
    assert.equal(shown, expected);
    await shot(page, 'shape-umap-picture');
  });

  it('a t-SNE map too, and all are listed to compare', async () => {
    await page.selectOption('#map-method', 'tsne');
    await page.fill('#map-sample', '2000');
    await page.fill('#map-iterations', '500');
    await rerun('#map-results', '#map-run', '#map-progress');
    assert.equal(await page.getAttribute('#map-results', 'data-method'), 't-SNE');
    const trust = Number(await page.getAttribute('#map-results', 'data-trust'));
    const native = cli(['embed', SAMPLE, '--method', 'tsne', '--sample', '2000', '--iterations', '500',
      '--out', path.join(ROOT, 'target/e2e-tsne.csv'), '--json']);
    assert.ok(Math.abs(trust - native.trustworthiness) < 0.02, `${trust} vs ${native.trustworthiness}`);
    assert.ok(trust > 0.9, `trustworthiness ${trust}`);
    assert.equal(await page.locator('#map-runs tbody tr').count(), 3, 'UMAP of 3,000 and 6,000, t-SNE');
    await shot(page, 'shape-tsne');
  });

  it('a filter changed and changed back answers from the worker\'s kept results, not a new run', async () => {
    // The t-SNE map above is of every row. Narrow the filter (PCA reruns for it), then widen it
    // again and ask for the same map: the worker answers from the result it kept.
    const first = { run: await page.getAttribute('#map-results', 'data-run'), ms: Number(await page.getAttribute('#map-results', 'data-ms')),
      trust: await page.getAttribute('#map-results', 'data-trust') };
    const pcaRun = await page.getAttribute('#pca-results', 'data-run');
    await page.selectOption('#filter-arrest', 'yes');
    await page.waitForFunction((r) => document.querySelector('#pca-results')?.dataset.run !== r, pcaRun, { timeout: 60_000 });
    await settled(page);
    assert.ok(Number(await page.getAttribute('#pca-results', 'data-rows')) < 495_829);
    const pcaNarrow = await page.getAttribute('#pca-results', 'data-run');
    await page.selectOption('#filter-arrest', '');
    await page.waitForFunction((r) => document.querySelector('#pca-results')?.dataset.run !== r, pcaNarrow, { timeout: 60_000 });
    await settled(page);
    assert.equal(Number(await page.getAttribute('#pca-results', 'data-rows')), 495_829);
    await rerun('#map-results', '#map-run', '#map-progress');
    assert.notEqual(await page.getAttribute('#map-results', 'data-run'), first.run);
    assert.equal(await page.getAttribute('#map-results', 'data-trust'), first.trust, 'the same map');
    // Kept, not recomputed: a 2,000-point t-SNE takes seconds, its kept answer milliseconds.
    const again = Number(await page.getAttribute('#map-results', 'data-ms'));
    assert.ok(again < first.ms / 10, `answered in ${again} ms; computed in ${first.ms} ms`);
    console.log(`# t-SNE of 2,000: computed in ${first.ms} ms, answered again from the kept result in ${again} ms`);
  });

  it('a map is drawn by the second worker while the data worker answers the other pages', async () => {
    await page.selectOption('#map-method', 'umap');
    await page.fill('#map-sample', '19000');
    const run = await page.getAttribute('#map-results', 'data-run');
    await page.click('#map-run');
    await page.waitForSelector('#map-progress');
    // A clustering asked for meanwhile (K-Means k = 5, not kept from before) is answered first:
    // before the map worker, it waited behind the map.
    await page.click('#nav-hotspots');
    await page.selectOption('#cluster-algo', 'kmeans');
    await page.fill('#cluster-k', '5');
    const before = await page.getAttribute('#cluster-results', 'data-run');
    await page.click('#cluster-run');
    await page.waitForFunction((before) => {
      const r = document.querySelector('#cluster-results');
      return !document.querySelector('#cluster-progress') && r?.dataset.run !== before && r.dataset.algo === 'kmeans';
    }, before, { timeout: 60_000 });
    assert.equal(await page.locator('#cluster-table tbody tr').count() > 0, true);
    await page.click('#nav-shape');
    // The tabs are links: the page changes on the hashchange event, a task after the click.
    await page.waitForSelector('#maps');
    assert.ok(await page.$('#map-progress'), 'the map is still being drawn after the clustering came back');
    await mapAfter(run);
    assert.equal(Number(await page.getAttribute('#map-results', 'data-points')), 19000);
    assert.ok(Number(await page.getAttribute('#map-results', 'data-trust')) > 0.9);
    await shot(page, 'shape-map-worker');
    assert.deepEqual(browser.errors, []);
  });

  it('a map asked for while another is drawn starts at once on a second map worker', async () => {
    // The UMAP of 19,000 above took `umapMs`. Ask for another (a new seed: not kept), then,
    // while it runs, for a small t-SNE instead: it goes to a second map worker instead of
    // queueing behind the UMAP, so it is answered in a fraction of the UMAP's time.
    const umapMs = Number(await page.getAttribute('#map-results', 'data-ms'));
    await page.fill('#map-seed', '7');
    await page.click('#map-run');
    await page.waitForSelector('#map-progress');
    assert.equal(await page.textContent('#map-run'), 'Make this map instead');
    await page.selectOption('#map-method', 'tsne');
    await page.fill('#map-sample', '1000');
    await page.fill('#map-iterations', '250');
    const run = await page.getAttribute('#map-results', 'data-run');
    await page.click('#map-run');
    await mapAfter(run);
    assert.equal(await page.getAttribute('#map-results', 'data-method'), 't-SNE');
    assert.equal(Number(await page.getAttribute('#map-results', 'data-points')), 1000);
    // The fewest iterations allowed still end past the early exaggeration (a line, 0.70, before).
    const trust = Number(await page.getAttribute('#map-results', 'data-trust'));
    assert.ok(trust > 0.9, `trustworthiness ${trust} after 250 iterations`);
    const tsneMs = Number(await page.getAttribute('#map-results', 'data-ms'));
    assert.ok(tsneMs < umapMs / 2, `the t-SNE took ${tsneMs} ms, the UMAP before it ${umapMs} ms`);
    console.log(`# a t-SNE of 1,000 asked for during a UMAP of 19,000: ${tsneMs} ms (the UMAP alone: ${umapMs} ms)`);
    assert.equal(await page.textContent('#map-run'), 'Make the map');
    await settled(page);
    await shot(page, 'shape-map-instead');
    assert.deepEqual(browser.errors, []);
  });

  it('bad map parameters are refused with a reason; a long map can be cancelled', async () => {
    await page.fill('#map-sample', '10');
    await page.click('#map-run');
    assert.match(await text(page, '#map-form-error'), /sample must be between 100 and 100,000/);
    await page.selectOption('#map-method', 'umap');
    await page.fill('#map-sample', '20000');
    const run = await page.getAttribute('#map-results', 'data-run');
    await page.click('#map-run');
    await page.waitForSelector('#map-progress');
    await page.click('#map-progress-cancel');
    await page.waitForSelector('#map-error');
    assert.match(await text(page, '#map-error'), /cancelled/);
    // The worker was replaced and the data reloaded; the last map is still shown.
    await settled(page, 120_000);
    assert.equal(await page.getAttribute('#map-results', 'data-run'), run);
    assert.match(await text(page, '#filtered-rows'), /495,829/);
    assert.deepEqual(browser.errors, []);
  });
});
