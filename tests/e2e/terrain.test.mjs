// The risk terrain on the Patrol page (issue #36) in real headless Chromium on the real 500,000-row
// sample: two environment layers added through the file input give the same factors and relative
// risks as `patroliq risk --layer … --layer …`, the hotspots' reasons name the layers and the
// experiment log names them, a file with no coordinates is refused with a message naming it while
// the layers already added stay, the layers survive a reload (IndexedDB), a renamed or removed
// layer changes the next grid, a new dataset reads them again in its own area, and a data engine
// restarted after a crash gets them again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { serve, launch, openApp, loadFile, settled, shot, cli, rerun as rerunIn, DATA, OUT } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const LIQUOR = path.join(DATA, 'environment', 'chicago_env_liquorRetail.geojson');
const L_STOPS = path.join(DATA, 'environment', 'chicago_env_cta_L_stops.csv');

let server, browser, page;

const rerun = () => rerunIn(page, '#risk-result', '#risk-run', '#risk-progress');

async function factorRows() {
  return page.locator('#terrain-factors tbody tr').evaluateAll((rows) => rows.map((r) => ({
    name: r.dataset.factor, form: r.dataset.form, rr: Number(r.dataset.rr),
    cells: [...r.querySelectorAll('td')].map((t) => t.textContent.trim()),
  })));
}

/** The page's factors are the CLI's: names, forms and relative risks (to the last few bits: the
 * browser's `exp` and `ln` are not the native ones). */
function sameFactors(rows, factors) {
  assert.ok(factors.length > 0, 'the CLI selects factors');
  assert.deepEqual(rows.map((r) => [r.name, r.form]), factors.map((f) => [f.name, f.form]));
  rows.forEach((r, i) => {
    const rr = factors[i].relative_risk;
    assert.ok(Math.abs(r.rr - rr) <= 1e-9 * rr, `${r.name}: relative risk ${r.rr}, the CLI's ${rr}`);
  });
}

async function layerNames() {
  return page.locator('#layer-list .layer-name').evaluateAll((inputs) => inputs.map((i) => i.value));
}

describe('terrain: environment layers on the Patrol page', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await loadFile(page, SAMPLE);
    await page.click('#nav-patrol');
    await page.waitForSelector('#risk-result', { timeout: 60_000 });
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('says the environment part falls back to the location descriptions without layers', async () => {
    assert.match(await page.textContent('#risk-env-source'), /location descriptions \(fallback/);
    assert.equal(await page.locator('#terrain-factors').count(), 0);
  });

  it('reads two layers and lists them with their features', async () => {
    await page.setInputFiles('#layer-files', [LIQUOR, L_STOPS]);
    await page.waitForFunction(() => document.querySelectorAll('#layer-list .layer').length === 2, null, { timeout: 30_000 });
    assert.deepEqual((await layerNames()).sort(), ['cta L stops', 'liquorRetail']);
    const stops = page.locator('#layer-list .layer[data-file="chicago_env_cta_L_stops.csv"]');
    assert.match(await stops.locator('.layer-count').textContent(), /^282 points/);
    assert.match(await stops.locator('.layer-outside').textContent(), /^16 outside/);
    // A keyboard user reaches each name by its label.
    assert.equal(await page.getByLabel('Name', { exact: true }).count(), 2);
  });

  it('fits the risk grid on the layers, with the CLI\'s factors and relative risks', async () => {
    // Listed in the order picked: the factors follow the layers' order, as the CLI's follow its
    // --layer flags.
    assert.deepEqual(await page.locator('#layer-list .layer').evaluateAll((ls) => ls.map((l) => l.dataset.file)),
      ['chicago_env_liquorRetail.geojson', 'chicago_env_cta_L_stops.csv']);
    await rerun();
    const native = cli(['risk', SAMPLE, '--layer', LIQUOR, '--layer', L_STOPS, '--top', '20', '--json']);
    assert.match(await page.textContent('#risk-env-source'), /risk terrain from 2 layers/);
    const rows = await factorRows();
    sameFactors(rows, native.factors);
    rows.forEach((r, i) => {
      const f = native.factors[i];
      assert.equal(r.cells[4], f.relative_risk.toFixed(3));
      assert.equal(r.cells[5], `${f.interval[0].toFixed(3)}–${f.interval[1].toFixed(3)}`);
    });
    // The hotspots' reasons name the layers, in the words the CLI gives the cells.
    const why = await page.locator('#hotspot-table tbody tr td:nth-child(5)').allTextContents();
    assert.ok(why.some((w) => /'liquorRetail'|'cta L stops'/.test(w)), `a reason names a layer: ${why[0]}`);
    assert.ok(native.cells[0].reasons.every((r) => why.some((w) => w.includes(r))), 'the riskiest cell\'s reasons are the CLI\'s');
    await shot(page, 'terrain-factors');
    await page.locator('#terrain-factors').screenshot({ path: path.join(OUT, 'terrain-factors-table.png') });
    // The run is logged with its layers' names.
    await page.click('#nav-experiments');
    await page.waitForFunction(() => /layers (liquorRetail, cta L stops|cta L stops, liquorRetail)/.test(document.body.textContent), null, { timeout: 30_000 });
    await page.click('#nav-patrol');
    await page.waitForSelector('#terrain-factors');
  });

  it('refuses a file with no coordinates, naming it, and keeps the layers added', async () => {
    const broken = path.join(OUT, 'broken_layer.csv');
    fs.writeFileSync(broken, 'name,kind\nCorner store,liquor\nBar,liquor\n');
    await page.setInputFiles('#layer-files', broken);
    await page.waitForSelector('#layer-errors li', { timeout: 30_000 });
    const error = await page.textContent('#layer-errors');
    assert.match(error, /broken_layer\.csv/);
    assert.match(error, /no coordinate or geometry column/);
    assert.equal(await page.locator('#layer-list .layer').count(), 2);
    await shot(page, 'terrain-broken-layer');
    await page.locator('#env-layers').screenshot({ path: path.join(OUT, 'terrain-layers-panel.png') });
  });

  it('keeps the layers on this device: a reload lists them again and the grid uses them', async () => {
    const before = (await factorRows()).map((r) => r.rr);
    await page.reload();
    await page.waitForSelector('#filter-status', { timeout: 120_000 });
    await settled(page, 120_000);
    if (!(await page.$('#risk-run'))) await page.click('#nav-patrol');
    await page.waitForFunction(() => document.querySelectorAll('#layer-list .layer').length === 2, null, { timeout: 30_000 });
    assert.deepEqual((await layerNames()).sort(), ['cta L stops', 'liquorRetail']);
    // The page's own first grid may still be running: wait for it before asking for another.
    await page.waitForSelector('#risk-result', { timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('#risk-progress'), null, { timeout: 120_000 });
    await rerun();
    assert.match(await page.textContent('#risk-env-source'), /risk terrain from 2 layers/);
    assert.deepEqual((await factorRows()).map((r) => r.rr), before);
  });

  it('renames a layer and removes one: the next grid follows', async () => {
    const stops = page.locator('#layer-list .layer[data-file="chicago_env_cta_L_stops.csv"]');
    await stops.locator('.layer-name').fill('L stations');
    await stops.locator('.layer-name').press('Enter');
    await stops.locator('.layer-name').blur();
    await rerun();
    const names = (await factorRows()).map((r) => r.name);
    assert.ok(names.includes('L stations') && !names.includes('cta L stops'), names.join(', '));
    await page.click('#layer-list .layer[data-file="chicago_env_liquorRetail.geojson"] .layer-remove');
    assert.deepEqual(await layerNames(), ['L stations']);
    await rerun();
    const native = cli(['risk', SAMPLE, '--layer', `${L_STOPS}=L stations`, '--top', '20', '--json']);
    assert.match(await page.textContent('#risk-env-source'), /risk terrain from 1 layer$/);
    sameFactors(await factorRows(), native.factors);
    await page.click('#layer-list .layer-remove');
    await rerun();
    assert.match(await page.textContent('#risk-env-source'), /fallback/);
    assert.equal(await page.locator('#terrain-factors').count(), 0);
  });

  it('reads the layers again for a new dataset: clipped to its area, fitted as the CLI fits it', async () => {
    // The sample's incidents in a box north of the Loop: most 'L' stops lie outside it.
    const subset = path.join(OUT, 'north_side.csv');
    const lines = zlib.gunzipSync(fs.readFileSync(SAMPLE)).toString('utf8').split('\n');
    const inside = lines.slice(1).filter((line) => {
      const m = /,(-?\d+\.\d+),(-?\d+\.\d+),"?\(/.exec(line);
      return m && Number(m[1]) > 41.85 && Number(m[1]) < 41.95 && Number(m[2]) > -87.70 && Number(m[2]) < -87.60;
    });
    fs.writeFileSync(subset, [lines[0], ...inside].join('\n') + '\n');
    await page.setInputFiles('#layer-files', L_STOPS);
    await page.waitForFunction(() => document.querySelectorAll('#layer-list .layer').length === 1, null, { timeout: 30_000 });
    await loadFile(page, subset);
    await page.click('#nav-patrol');
    await page.waitForSelector('#risk-result', { timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('#risk-progress'), null, { timeout: 120_000 });
    await rerun();
    const native = cli(['risk', subset, '--layer', L_STOPS, '--top', '20', '--json']);
    assert.equal(native.layers[0].outside, 166, 'the CLI drops the stops outside the box');
    assert.match(await page.textContent('#layer-list .layer-outside'), /^166 outside/);
    assert.match(await page.textContent('#layer-list .layer-count'), /^132 points/);
    sameFactors(await factorRows(), native.factors);
  });

  it('sends the layers again to a data engine restarted after a crash', async () => {
    await page.click('#nav-overview');
    const name = await page.textContent('#dataset-name');
    let data = null;
    for (const w of page.workers()) if ((await w.evaluate(() => self.name).catch(() => null)) === '') data = w;
    assert.ok(data, 'the data worker');
    // An uncaught error inside the worker, as a bug or running out of memory would raise.
    await data.evaluate(() => setTimeout(() => { throw new Error('simulated failure'); }, 0));
    await page.waitForSelector('#load-error[data-kind="crashed"]', { timeout: 60_000 });
    await page.waitForFunction((n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'), name, { timeout: 120_000 });
    await settled(page, 120_000);
    await page.click('#nav-patrol');
    await page.waitForSelector('#risk-run');
    assert.deepEqual(await layerNames(), ['cta L stops']);
    await page.waitForFunction(() => !document.querySelector('#risk-progress'), null, { timeout: 120_000 });
    if (await page.$('#risk-result')) await rerun();
    else {
      await page.click('#risk-run');
      await page.waitForSelector('#risk-result', { timeout: 120_000 });
      await page.waitForFunction(() => !document.querySelector('#risk-progress'), null, { timeout: 120_000 });
    }
    assert.equal(await page.locator('#risk-error').count(), 0);
    assert.match(await page.textContent('#risk-env-source'), /risk terrain from 1 layer$/);
    const native = cli(['risk', path.join(OUT, 'north_side.csv'), '--layer', L_STOPS, '--top', '20', '--json']);
    sameFactors(await factorRows(), native.factors);
  });
});
