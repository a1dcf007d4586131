// The Back-test page in real headless Chromium on the real 500,000-row sample: every method's hit
// rate, PAI and PEI equal the CLI's (train 2016-02 → 2017-08, test to 2017-12), the curve, PAI
// bars and map are drawn, the filter reaches the back-test ("robberies on Friday nights"), and a
// split outside the data or a bad coverage gets a message.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, openApp, loadFile, settled, text, num, shot, cli, rerun as rerunIn, DATA } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');

let server, browser, page;
const rerun = (sel, click, progress, timeout) => rerunIn(page, sel, click, progress, timeout);

/** The methods table as { method: { hit, pai, pei } }. */
async function tableRows() {
  return page.locator('#bt-table tbody tr[data-method]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => {
    const td = [...r.querySelectorAll('td')].map((t) => t.textContent.trim());
    return [r.dataset.method, { hit: td[1], pai: Number(td[2]), pei: Number(td[3]) }];
  })));
}

function sameAsCli(rows, native) {
  assert.equal(Object.keys(rows).length, native.methods.length);
  for (const m of native.methods) {
    const r = rows[m.method];
    assert.ok(r, `row for ${m.method}`);
    assert.equal(r.pai.toFixed(2), m.pai.toFixed(2), `${m.method} PAI`);
    assert.equal(r.pei.toFixed(2), m.pei.toFixed(2), `${m.method} PEI`);
    assert.equal(num(r.hit).toFixed(1), (100 * m.hit_rate).toFixed(1), `${m.method} hit rate`);
  }
}

async function runBacktest(split, extra = {}) {
  await page.fill('#bt-split', split);
  for (const [sel, v] of Object.entries(extra)) await page.fill(sel, v);
  await rerun('#bt-result', '#bt-run', '#bt-progress', 300_000);
}

describe('back-test: every hotspot method scored on a later period', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await loadFile(page, SAMPLE);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('scores every method as the CLI does, with the curve, PAI bars, map and routes', async () => {
    await page.click('#nav-backtest');
    await page.waitForSelector('#bt-run:not([disabled])');
    assert.match(await text(page, '#bt-range'), /2016-02-26 → 2017-12-31/);
    await runBacktest('2017-09-01');
    const native = cli(['backtest', SAMPLE, '--split', '2017-09-01', '--coverage', '0.05,0.01,0.1', '--json']);
    sameAsCli(await tableRows(), native);
    assert.equal(await page.getAttribute('#bt-result', 'data-winner'), native.winner);
    assert.equal(num(await text(page, '#bt-train .kpi-value')), native.train.incidents);
    assert.equal(num(await text(page, '#bt-test .kpi-value')), native.test.incidents);
    assert.match(await text(page, '#bt-test .kpi-note'), /2017-09-01 → 2017-12-31/);
    // The curve has every method and the best possible; the map has the flagged cells.
    await page.waitForSelector('#bt-curve .main-svg');
    const legend = await page.locator('#bt-curve .legendtext').allTextContents();
    assert.ok(legend.includes('best possible') && legend.includes('KDE'), legend.join(' | '));
    assert.equal(await page.locator('#bt-pai .bars .point').count(), native.methods.length);
    // The flagged cells are the map's only markers (under them: the city's roads, outlines, names).
    const cells = await page.locator('#bt-map .scatterlayer .trace .point').count();
    assert.equal(cells, native.methods[0].cells, 'one square per flagged cell');
    // Route scoring: the optimised route and the naive one of (at most) its length.
    const routes = await page.locator('#bt-routes tbody tr').count();
    assert.equal(routes, 2);
    const [opt, naive] = native.route.rows;
    assert.ok(naive.distance_m <= opt.distance_m + 1);
    assert.equal(num(await text(page, '#bt-routes tr[data-route="optimised"] td:nth-child(2)')), opt.stops);
    console.log(`# back-test in the browser: ${await text(page, '#bt-seconds .kpi-value')} s; native ${native.seconds.toFixed(1)} s`);
    await shot(page, 'backtest');
    // Another method on the map.
    await page.selectOption('#bt-method', 'hdbscan');
    await page.waitForFunction(() => [...document.querySelectorAll('#bt-map .legendtext')].some((t) => t.textContent.includes('HDBSCAN')));
  });

  it('"robberies on Friday nights": the filter reaches the back-test', async () => {
    const filter = 'type=ROBBERY&hours=20-4&day=fri';
    await page.goto(`${server.url}?${filter}`);
    await settled(page);
    await loadFile(page, SAMPLE);
    const chips = (await page.locator('#filter-chips .chip').allTextContents()).join(' ');
    for (const c of ['20:00–04:00 shift', 'Shifts from Fri']) assert.ok(chips.includes(c), chips);
    assert.match(chips, /robbery/i);
    await page.click('#nav-backtest');
    await page.waitForSelector('#bt-run:not([disabled])');
    await runBacktest('2017-09-01', { '#bt-stops': '10' });
    const native = cli(['backtest', SAMPLE, '--split', '2017-09-01', '--coverage', '0.05,0.01,0.1', '--stops', '10', '--filter', filter, '--json']);
    sameAsCli(await tableRows(), native);
    assert.ok(native.test.incidents < 500, `${native.test.incidents} test robberies`);
    assert.equal(num(await text(page, '#bt-test .kpi-value')), native.test.incidents);
    await shot(page, 'backtest-friday-robberies');
  });

  it('a split outside the data and a bad coverage get a message, and the last result stays', async () => {
    const run = await page.getAttribute('#bt-result', 'data-run');
    await page.fill('#bt-split', '2030-01-01');
    await page.click('#bt-run');
    await page.waitForSelector('#bt-error');
    assert.match(await text(page, '#bt-error'), /no test rows/);
    await page.fill('#bt-split', '2017-09-01');
    await page.fill('#bt-coverage', '0');
    await page.click('#bt-run');
    assert.match(await text(page, '#bt-form-error'), /coverage/);
    assert.equal(await page.getAttribute('#bt-result', 'data-run'), run);
  });
});
