// The risk terrain on the Patrol page (issue #36) in real headless Chromium on the real 500,000-row
// sample: two environment layers added through the file input give the same factors and relative
// risks as `patroliq risk --layer … --layer …`, the hotspots' reasons name the layers and the
// experiment log names them, a file with no coordinates is refused with a message naming it while
// the layers already added stay, the layers survive a reload (IndexedDB), a renamed or removed
// layer changes the next grid, a new dataset reads them again in its own area, and a data engine
// restarted after a crash gets them again. Each layer row draws its features in a thumbnail and
// can draw them on the risk map (a trace named after the layer, on the route too); the factors
// come with a map of the leave-one-area-out error and the five worst areas, as the CLI computes
// them; a layer can be dropped on the panel or fetched from a URL, and a URL that fails says
// which and what to do.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import path from 'node:path';
import { serve, launch, openApp, loadFile, settled, shot, cli, rerun as rerunIn, DATA, OUT } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const LIQUOR = path.join(DATA, 'environment', 'chicago_env_liquorRetail.geojson');
const L_STOPS = path.join(DATA, 'environment', 'chicago_env_cta_L_stops.csv');

let server, browser, page, layerServer;
/** The CLI's answer for the sample with both layers (the factors test). */
let nativeTwo;

/**
 * Another site serving layer files: /layers/NAME with CORS (the environment folder's files),
 * /private/NAME without it (a browser refuses to hand the page its answer), 404 for the rest.
 */
async function serveLayers() {
  const s = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const [, dir, name] = url.pathname.split('/');
    const file = path.join(DATA, 'environment', path.basename(decodeURIComponent(name || '')));
    if ((dir === 'layers' || dir === 'private') && name && fs.existsSync(file)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...(dir === 'layers' ? { 'access-control-allow-origin': '*' } : {}) });
      return fs.createReadStream(file).pipe(res);
    }
    res.writeHead(404, { 'access-control-allow-origin': '*' });
    res.end('not found');
  });
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${s.address().port}`, close: () => new Promise((r) => { s.closeAllConnections?.(); s.close(r); }) };
}

/** The traces of Plotly chart `id`: name, and the non-empty points drawn. */
async function traces(id) {
  return page.evaluate((id) => (document.getElementById(id)?.data || []).map((t) => ({
    name: t.name, type: t.type || 'scatter',
    points: (t.x || []).filter((v) => v != null).length,
    z: Array.isArray(t.z) ? t.z.flat().filter((v) => v != null).length : null,
  })), id);
}

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
  after(async () => { await browser?.close(); await server?.close(); await layerServer?.close(); });

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
    nativeTwo = native;
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

  it('draws each layer\'s features in a thumbnail: every liquor store, in degrees', async () => {
    const rows = page.locator('#layer-list .layer');
    assert.equal(await rows.count(), 2);
    for (const file of ['chicago_env_liquorRetail.geojson', 'chicago_env_cta_L_stops.csv']) {
      const row = page.locator(`#layer-list .layer[data-file="${file}"]`);
      const id = await row.getAttribute('data-id');
      await page.waitForFunction((id) => document.getElementById(`layer-map-${id}`)?.data?.length > 0, id, { timeout: 30_000 });
      const drawn = (await traces(`layer-map-${id}`)).reduce((n, t) => n + t.points, 0);
      const points = Number(await row.locator('.layer-thumb').getAttribute('data-points'));
      assert.ok(drawn >= 1 && points <= 2000, `${file}: ${drawn} drawn`);
      // Every point of the layer that is within the crimes' area, fewer than the cap.
      assert.equal(drawn, Number((await row.locator('.layer-count').textContent()).match(/^([\d,]+) points/)[1].replace(/,/g, '')));
    }
    const liquor = page.locator('#layer-list .layer[data-file="chicago_env_liquorRetail.geojson"]');
    const id = await liquor.getAttribute('data-id');
    // 937 stores, none outside the sample's area; drawn in Chicago's longitudes and latitudes.
    assert.equal(Number(await liquor.locator('.layer-thumb').getAttribute('data-points')), 937);
    const box = await page.evaluate((id) => {
      const t = document.getElementById(`layer-map-${id}`).data.at(-1);
      return [Math.min(...t.x), Math.max(...t.x), Math.min(...t.y), Math.max(...t.y)];
    }, id);
    assert.ok(box[0] > -88 && box[1] < -87.5 && box[2] > 41.6 && box[3] < 42.1, box.join(', '));
    await page.locator('#env-layers').screenshot({ path: path.join(OUT, 'terrain-layer-thumbnails.png') });
  });

  it('draws a layer on the risk map and the route when "Show on maps" is on, and not when off', async () => {
    const liquor = page.locator('#layer-list .layer[data-file="chicago_env_liquorRetail.geojson"]');
    const named = async () => (await traces('risk-map')).filter((t) => t.name === 'liquorRetail');
    assert.equal((await named()).length, 0, 'off by default');
    await liquor.getByLabel('Show on maps').check();
    await page.waitForFunction(() => (document.getElementById('risk-map').data || []).some((t) => t.name === 'liquorRetail'), null, { timeout: 30_000 });
    const [trace] = await named();
    assert.equal(trace.points, 937);
    // In the legend, as the layer is called.
    await page.waitForFunction(() => [...document.querySelectorAll('#risk-map .legendtext')].some((t) => t.textContent === 'liquorRetail'), null, { timeout: 10_000 });
    await page.locator('#risk-map').screenshot({ path: path.join(OUT, 'terrain-layer-on-risk-map.png') });
    // A planned route is drawn on the same map: the layer stays over it.
    await rerunIn(page, '#route-result', '#route-run', '#route-progress');
    await page.waitForFunction(() => {
      const names = (document.getElementById('risk-map').data || []).map((t) => t.name);
      return names.includes('liquorRetail') && names.some((n) => /^car \d+ route$/.test(n));
    }, null, { timeout: 30_000 });
    await page.locator('#risk-map').screenshot({ path: path.join(OUT, 'terrain-layer-on-route.png') });
    await liquor.getByLabel('Show on maps').uncheck();
    await page.waitForFunction(() => !(document.getElementById('risk-map').data || []).some((t) => t.name === 'liquorRetail'), null, { timeout: 30_000 });
    // On again, to be remembered across the reload below.
    await liquor.getByLabel('Show on maps').check();
    await page.waitForFunction(() => (document.getElementById('risk-map').data || []).some((t) => t.name === 'liquorRetail'), null, { timeout: 30_000 });
  });

  it('maps the leave-one-area-out error of every study cell, and lists the five worst areas as the CLI does', async () => {
    const cv = nativeTwo.terrain.cross_validation;
    const cells = cv.per_area.reduce((n, a) => n + a.cells, 0);
    await page.waitForFunction(() => document.getElementById('terrain-cv-map')?.data?.length > 0, null, { timeout: 30_000 });
    const [heat] = await traces('terrain-cv-map');
    assert.equal(heat.type, 'heatmap');
    assert.equal(heat.z, cells, 'one coloured cell per study cell of a fitted area');
    assert.equal(Number(await page.getAttribute('#terrain-cv', 'data-cells')), cells);
    assert.ok(cells > 1000 && cells <= Number((await page.textContent('#risk-cells .kpi-value')).match(/[\d,]{4,}/)[0].replace(/,/g, '')));
    // The colour bar says its unit.
    assert.match(await page.textContent('#terrain-cv-map .colorbar'), /incidents per cell/);
    const worst = await page.locator('#terrain-cv-worst tbody tr').evaluateAll((rows) => rows.map((r) => ({ area: r.dataset.area, mae: Number(r.dataset.mae) })));
    assert.equal(worst.length, 5);
    const max = Math.max(...cv.per_area.map((a) => a.mean_abs_error));
    assert.ok(Math.abs(worst[0].mae - max) <= 1e-9 * max, `first row ${worst[0].mae}, the CLI's worst ${max}`);
    assert.equal(worst[0].area, cv.per_area.find((a) => a.mean_abs_error === Math.max(...cv.per_area.map((b) => b.mean_abs_error))).name);
    assert.ok(worst.every((w, i) => i === 0 || w.mae <= worst[i - 1].mae), 'worst first');
    await page.locator('#terrain-cv').screenshot({ path: path.join(OUT, 'terrain-cv-map.png') });
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
    // "Show on maps" is kept with the layer.
    assert.ok(await page.locator('#layer-list .layer[data-file="chicago_env_liquorRetail.geojson"] .layer-show').isChecked());
    assert.ok(!(await page.locator('#layer-list .layer[data-file="chicago_env_cta_L_stops.csv"] .layer-show').isChecked()));
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
    // The thumbnail follows: it draws the 132 stops the grid uses, not the 282 of the sample's area.
    await page.waitForFunction(() => document.querySelector('#layer-list .layer-thumb')?.dataset.points === '132', null, { timeout: 30_000 });
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

  it('adds a layer dropped on the panel, named from the file', async () => {
    const before = await layerNames();
    await page.evaluate(async ({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'application/geo+json' }));
      const zone = document.querySelector('#layer-drop');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, { name: 'chicago_env_liquorRetail.geojson', text: fs.readFileSync(LIQUOR, 'utf8') });
    await page.waitForFunction((n) => document.querySelectorAll('#layer-list .layer').length === n, before.length + 1, { timeout: 30_000 });
    assert.deepEqual(await layerNames(), [...before, 'liquorRetail']);
    const row = page.locator('#layer-list .layer[data-file="chicago_env_liquorRetail.geojson"]');
    assert.match(await row.locator('.layer-count').textContent(), /points \(GeoJSON\)/);
    assert.ok(Number(await row.locator('.layer-thumb').getAttribute('data-drawn')) >= 1);
    // The file input is still there for the keyboard, inside the zone, by its label.
    assert.equal(await page.getByLabel('Add layer files').count(), 1);
  });

  it('adds a layer from a URL; a 404 or a server that refuses the page says which URL and what to do', async () => {
    layerServer = await serveLayers();
    const before = await layerNames();
    // The parks: polygons, drawn as outlines in the thumbnail and on the map.
    await page.fill('#layer-url', `${layerServer.url}/layers/chicago_env_cpd_parks_wkt_polygons.csv`);
    await page.click('#layer-url-add');
    await page.waitForFunction((n) => document.querySelectorAll('#layer-list .layer').length === n, before.length + 1, { timeout: 30_000 });
    assert.deepEqual(await layerNames(), [...before, 'cpd parks wkt polygons']);
    const row = page.locator('#layer-list .layer[data-file="chicago_env_cpd_parks_wkt_polygons.csv"]');
    assert.match(await row.locator('.layer-count').textContent(), /polygons \(WKT column the_geom\)/);
    assert.equal(await page.locator('#layer-errors').count(), 0);
    const id = await row.getAttribute('data-id');
    await page.waitForFunction((id) => document.getElementById(`layer-map-${id}`)?.data?.length > 0, id, { timeout: 30_000 });
    const [outlines] = await traces(`layer-map-${id}`);
    assert.ok(outlines.points > 100, `${outlines.points} outline vertices`);
    // Fitted on as a picked file is, and drawn on the map as outlines under its name.
    await row.getByLabel('Show on maps').check();
    await rerun();
    assert.match(await page.textContent('#risk-env-source'), new RegExp(`risk terrain from ${before.length + 1} layers`));
    await page.waitForFunction(() => (document.getElementById('risk-map').data || []).some((t) => t.name === 'cpd parks wkt polygons' && t.mode === 'lines'), null, { timeout: 30_000 });
    await page.locator('#risk-map').screenshot({ path: path.join(OUT, 'terrain-parks-on-risk-map.png') });
    const missing = `${layerServer.url}/layers/no_such_layer.geojson`;
    await page.fill('#layer-url', missing);
    await page.click('#layer-url-add');
    await page.waitForSelector('#layer-errors li', { timeout: 30_000 });
    let error = await page.textContent('#layer-errors');
    assert.ok(error.includes(missing), error);
    assert.match(error, /404/);
    assert.match(error, /check the address/);
    assert.equal(await page.locator('#layer-list .layer').count(), before.length + 1, 'the layers added stay');
    await page.locator('#env-layers').screenshot({ path: path.join(OUT, 'terrain-layer-url-404.png') });
    const refused = `${layerServer.url}/private/chicago_env_liquorRetail.geojson`;
    await page.fill('#layer-url', refused);
    await page.click('#layer-url-add');
    await page.waitForFunction((u) => document.querySelector('#layer-errors')?.textContent.includes(u), refused, { timeout: 30_000 });
    error = await page.textContent('#layer-errors');
    assert.match(error, /CORS/);
    assert.match(error, /download the file/);
    assert.equal(await page.locator('#layer-list .layer').count(), before.length + 1);
  });
});
