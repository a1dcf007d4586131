// The risk terrain in the forecasts (issue #36, "use it") in real headless Chromium on the real
// 500,000-row sample: with two environment layers added on the Patrol page, `risk_terrain` joins
// the Back-test page's split back-test and rolling back-test with the CLI's figures
// (`patroliq backtest … --layer … [--rolling]`), and the briefing's hotspots choose among eight
// forecasts, the terrain one of them, as `patroliq briefing --layer …` does.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, openApp, loadFile, text, num, shot, cli, rerun as rerunIn, DATA } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const LIQUOR = path.join(DATA, 'environment', 'chicago_env_liquorRetail.geojson');
const L_STOPS = path.join(DATA, 'environment', 'chicago_env_cta_L_stops.csv');
const LAYERS = ['--layer', LIQUOR, '--layer', L_STOPS];

let server, browser, page;
const rerun = (sel, click, progress, timeout) => rerunIn(page, sel, click, progress, timeout);

/** A table's rows as { method: [cell texts] }. */
async function rowsOf(table) {
  return page.locator(`${table} tbody tr[data-method]`).evaluateAll((rs) => Object.fromEntries(rs.map((r) =>
    [r.dataset.method, [...r.querySelectorAll('td')].map((t) => t.textContent.trim())])));
}

describe('terrain in the forecasts: back-tests and the briefing', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await loadFile(page, SAMPLE);
    await page.click('#nav-patrol');
    await page.setInputFiles('#layer-files', [LIQUOR, L_STOPS]);
    await page.waitForFunction(() => document.querySelectorAll('#layer-list .layer').length === 2, null, { timeout: 60_000 });
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('adds risk_terrain to the split back-test with the CLI\'s hit rate, PAI and PEI', async () => {
    await page.click('#nav-backtest');
    await page.waitForSelector('#bt-run:not([disabled])');
    await page.fill('#bt-split', '2017-09-01');
    await rerun('#bt-result', '#bt-run', '#bt-progress', 400_000);
    const native = cli(['backtest', SAMPLE, '--split', '2017-09-01', '--coverage', '0.05,0.01,0.1', ...LAYERS, '--json']);
    const rows = await rowsOf('#bt-table');
    assert.deepEqual(Object.keys(rows).sort(), native.methods.map((m) => m.method).sort());
    const t = native.methods.find((m) => m.method === 'risk_terrain');
    assert.ok(t, 'the CLI runs risk_terrain');
    const r = rows.risk_terrain;
    assert.equal(Number(r[2]).toFixed(2), t.pai.toFixed(2), 'PAI');
    assert.equal(Number(r[3]).toFixed(2), t.pei.toFixed(2), 'PEI');
    assert.equal(num(r[1]).toFixed(1), (100 * t.hit_rate).toFixed(1), 'hit rate');
    assert.match(r[0], /Risk terrain/);
    // Its cells can be shown on the map, in a colour of their own.
    await page.selectOption('#bt-method', 'risk_terrain');
    await page.waitForFunction(() => (document.getElementById('bt-map')?.data ?? []).some((d) => /Risk terrain/.test(d.name ?? '')), null, { timeout: 30_000 });
    await shot(page, 'terrain-backtest');
    // The run is logged with its layers' names.
    await page.click('#nav-experiments');
    await page.waitForFunction(() => /Back-test from 2017-09-01, \d+ m cells, layers liquorRetail, cta L stops/.test(document.body.textContent), null, { timeout: 30_000 });
    await page.click('#nav-backtest');
    await page.waitForSelector('#rb-run:not([disabled])');
  });

  it('adds risk_terrain to the rolling back-test, night by night as the CLI does', async () => {
    await page.fill('#rb-from', '2017-12-18');
    await page.fill('#rb-to', '2017-12-31');
    await rerun('#rb-result', '#rb-run', '#rb-progress', 400_000);
    const native = cli(['backtest', SAMPLE, '--rolling', '--from', '2017-12-18', '--to', '2017-12-31', '--horizon', 'shift', '--shift', '20-4', ...LAYERS, '--json']);
    const rows = await rowsOf('#rb-table');
    assert.deepEqual(Object.keys(rows), native.methods.map((m) => m.method));
    const t = native.methods.find((m) => m.method === 'risk_terrain');
    assert.ok(t, 'the CLI runs risk_terrain');
    assert.equal(rows.risk_terrain[2], t.pai.toFixed(2), 'PAI');
    assert.equal(num(rows.risk_terrain[1]).toFixed(1), (100 * t.hit_rate).toFixed(1), 'hit rate');
    assert.match(t.note, /liquorRetail \(RR/);
    assert.ok(t.pai > 1, `the terrain beats chance: PAI ${t.pai}`);
    await shot(page, 'terrain-rolling');
  });

  it('lets the terrain compete for the briefing\'s hotspots, choosing as the CLI does', async () => {
    await page.click('#nav-home');
    await page.selectOption('#home-day', '4');
    await page.fill('#home-start', '20');
    await page.fill('#home-hours', '8');
    await page.click('#home-run');
    await page.waitForFunction(() => document.querySelector('#home-shift')?.textContent === 'Fri 20:00–04:00'
      && document.querySelector('#home-track-record') && !document.querySelector('#home-progress'), null, { timeout: 300_000 });
    const native = cli(['briefing', SAMPLE, '--day', 'fri', ...LAYERS, '--json']);
    const tr = native.track_record;
    assert.ok(tr.candidates.some((c) => c.method === 'risk_terrain'), 'the CLI has the terrain among the candidates');
    assert.equal(await page.getAttribute('#home-track-record', 'data-method'), tr.method);
    assert.match(await text(page, '#home-track-record'), new RegExp(`best record of ${tr.candidates.length} forecasts`));
    assert.equal(tr.candidates.length, 8);
    // The forecasts' records, folded under the line: the CLI's order and PAI, the chosen one marked.
    await page.click('#home-candidates summary');
    const rows = await page.locator('#home-candidates tbody tr').evaluateAll((rs) => rs.map((r) => ({
      method: r.dataset.method, chosen: r.classList.contains('chosen'), pai: r.querySelectorAll('td')[2].textContent.trim(),
    })));
    assert.deepEqual(rows.map((r) => r.method), tr.candidates.map((c) => c.method));
    assert.deepEqual(rows.map((r) => r.pai), tr.candidates.map((c) => c.pai.toFixed(2)));
    assert.deepEqual(rows.filter((r) => r.chosen).map((r) => r.method), [tr.method]);
    const summary = await page.locator('#home-candidates summary').boundingBox();
    assert.ok(summary.height >= 40, `the fold is a touch target: ${summary.height} px`);
    await shot(page, 'terrain-briefing');
  });
});
