// The EDA page and the filter in real headless Chromium: the real sample, a filter applied by
// clicks that changes counts and charts, chips, the URL as the view's memory, the feature export.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, loadFile, settled, text, num, shot, cli, DATA, OUT } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');

let server, browser, page;

/** Bars (or points) Plotly has drawn in a chart. */
function points(id) {
  return page.locator(`#${id} .point`).count();
}

/** Waits until chart `id` has drawn exactly `n` bars or points. */
async function waitPoints(id, n, what) {
  await page.waitForSelector(`#${id} .main-svg`, { timeout: 20_000 });
  await page.waitForFunction(
    ([id, n]) => document.querySelectorAll(`#${id} .point`).length === n, [id, n], { timeout: 20_000 },
  ).catch(async () => assert.fail(`${what}: ${await points(id)} points in #${id}, expected ${n}`));
}

/** The option count the type picker shows for a crime type (from the whole dataset). */
async function typeCount(type) {
  return num(await text(page, `#filter-types label.option:has(input[value="${type}"]) .option-count`));
}

describe('exploring the real sample with filters', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await loadFile(page, SAMPLE);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('starts unfiltered: every incident counted, every type drawn', async () => {
    assert.equal(await text(page, '#filtered-rows'), 'All 495,829 incidents');
    assert.equal(await text(page, '#kpi-rows .kpi-value'), '495,829');
    assert.equal(await page.locator('#filter-chips .chip').count(), 0);
    await waitPoints('chart-types', 32, 'all 32 types');
  });

  it('a crime-type filter changes the count, the charts, the chips and the URL', async () => {
    const thefts = await typeCount('THEFT');
    assert.ok(thefts > 100_000 && thefts < 130_000, `thefts ${thefts}`);
    await page.click('#filter-types summary');
    await page.check('#filter-types input[value="THEFT"]');
    await page.waitForFunction(() => document.querySelector('#kpi-rows .kpi-value')?.textContent !== '495,829');
    await settled(page);
    assert.equal(num(await text(page, '#kpi-rows .kpi-value')), thefts);
    assert.equal(await text(page, '#filtered-rows'), `${thefts.toLocaleString('en-US')} of 495,829 incidents`);
    await waitPoints('chart-types', 1, 'one type left');
    assert.equal(await text(page, '#kpi-types .kpi-value'), '1');
    assert.deepEqual(await page.locator('#filter-chips .chip').allTextContents(), ['THEFT✕']);
    assert.match(page.url(), /[?&]type=THEFT(&|#|$)/);

    // A second condition: with an arrest. Every remaining incident is an arrest.
    await page.click('#filter-types summary');
    await page.selectOption('#filter-arrest', 'yes');
    await page.waitForFunction((n) => document.querySelector('#kpi-rows .kpi-value')?.textContent !== n,
      thefts.toLocaleString('en-US'));
    await settled(page);
    assert.equal(await text(page, '#kpi-arrest .kpi-value'), '100.0 %');
    const arrested = num(await text(page, '#kpi-rows .kpi-value'));
    assert.ok(arrested > 5_000 && arrested < thefts * 0.2, `theft arrests ${arrested}`);
    assert.match(page.url(), /arrest=yes/);
    await shot(page, 'explore-filtered-overview');

    // Removing the THEFT chip keeps the arrest condition only.
    await page.click('#filter-chips .chip[data-key="type:THEFT"]');
    await page.waitForFunction((n) => document.querySelector('#kpi-rows .kpi-value')?.textContent !== n,
      arrested.toLocaleString('en-US'));
    await settled(page);
    const allArrests = num(await text(page, '#kpi-rows .kpi-value'));
    // 19.5 % of the sample's incidents ended in an arrest.
    assert.ok(Math.abs(allArrests / 495_829 - 0.195) < 0.005, `arrests ${allArrests}`);
    assert.doesNotMatch(page.url(), /type=/);
  });

  it('the Explore page draws every EDA chart for the filtered rows', async () => {
    await page.click('#nav-explore');
    assert.match(page.url(), /#explore$/);
    for (const id of ['chart-eda-hours', 'chart-eda-weekdays', 'chart-heatmap', 'chart-eda-months', 'chart-weeks',
      'chart-eda-types', 'chart-rates', 'chart-locations', 'chart-districts', 'chart-correlation']) {
      await page.waitForSelector(`#${id} .main-svg`, { timeout: 20_000 });
    }
    await waitPoints('chart-eda-hours', 24, '24 hour bars');
    await waitPoints('chart-eda-weekdays', 7, '7 weekday bars');
    // Heatmaps draw into an image layer, not points.
    assert.equal(await page.locator('#chart-heatmap .hm image, #chart-heatmap .heatmaplayer image').count(), 1);
    assert.equal(await page.locator('#chart-correlation .heatmaplayer image').count(), 1);
    // Narcotics incidents are nearly all arrests: under "arrest = yes" its arrest-rate bar is full.
    const row = page.locator('#types-table tr[data-type="NARCOTICS"] td');
    await page.click('details.table-wrap summary');
    assert.equal(await row.nth(3).textContent(), '100.0 %');
    await shot(page, 'explore-page');
  });

  it('marks the partial first month and week, as the CLI computes them, and writes every number ≥ 1,000 with separators', async () => {
    // The sample starts on Friday 26 February 2016 and ends on Sunday 31 December 2017: February
    // 2016 holds 4 of its 29 days and the week of Monday 22 February 3 of 7; the end is whole.
    const query = new URL(page.url()).search.slice(1);
    const eda = cli(['eda', SAMPLE, '--filter', query]);
    assert.deepEqual(eda.partial_months.map((p) => p.note), ['partial month: data from 26 Feb (4 of 29 days)']);
    assert.deepEqual(eda.partial_weeks.map((p) => p.note), ['partial week: data from 26 Feb (3 of 7 days)']);
    for (const [id, what] of [['chart-eda-months', 'month'], ['chart-weeks', 'week']]) {
      await page.waitForSelector(`#${id} .annotation-text`);
      const notes = await page.locator(`#${id} .annotation-text`).allTextContents();
      assert.deepEqual(notes.map((n) => n.replace(/\s+/g, ' ')), [`partial ${what}: data from 26 Feb${what === 'month' ? '(4 of 29 days)' : '(3 of 7 days)'}`]);
      assert.ok((await page.locator(`#${id} .legendtext`).allTextContents()).includes(`partial ${what}`), `${id} has a partial-${what} legend entry`);
    }
    // No tick or colour-bar label of a number of 1,000 or more without its separator (years apart).
    const bare = await page.$$eval('#explore .main-svg text, #explore ~ * .main-svg text', (ts) => ts.map((t) => t.textContent.trim())
      .filter((s) => /^-?\d{4,}(\.\d+)?$/.test(s) && !(Number(s) >= 1900 && Number(s) <= 2100)));
    assert.deepEqual(bare, []);
    await page.locator('#chart-eda-months').screenshot({ path: path.join(OUT, 'explore-partial-month.png') });
    await page.locator('#chart-weeks').screenshot({ path: path.join(OUT, 'explore-partial-week.png') });
  });

  it('exports the features of the filtered rows as Parquet from the page', async () => {
    const rows = num((await text(page, '#filtered-rows')).split(' of ')[0]);
    await page.click('#nav-features');
    // The page renders on the hash change, after the click returns.
    await page.waitForSelector('#feature-catalogue tbody tr');
    assert.equal(await page.locator('#feature-catalogue tbody tr').count(), 33);
    assert.equal(await page.locator('#severity-basis tbody tr').count(), 10);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.click('#export-features'),
    ]);
    const file = path.join(OUT, 'features.parquet');
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(0, 4).toString(), 'PAR1');
    assert.equal(bytes.subarray(-4).toString(), 'PAR1');
    await page.waitForSelector('#export-status[data-state="done"]');
    const status = page.locator('#export-status');
    assert.equal(Number(await status.getAttribute('data-rows')), rows);
    console.log(`# features of ${rows} rows exported in the browser in ${await status.getAttribute('data-ms')} ms`);
    await shot(page, 'features-page');
  });
});

describe('a link reproduces the view', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('opens on the page and with the filter the URL names', async () => {
    page = await openApp(browser.context,
      `${server.url}?type=BATTERY&district=11&from=2017-01-01&to=2017-06-30&domestic=yes#explore`);
    assert.equal(await page.getAttribute('#nav-explore', 'aria-current'), 'page');
    const keys = await page.locator('#filter-chips .chip').evaluateAll((cs) => cs.map((c) => c.dataset.key));
    assert.deepEqual(keys, ['date', 'type:BATTERY', 'district:11', 'domestic']);
    assert.equal(await page.inputValue('#filter-from'), '2017-01-01');
    assert.equal(await page.inputValue('#filter-to'), '2017-06-30');
    assert.equal(await page.inputValue('#filter-domestic'), 'yes');
    await page.waitForSelector('#chart-eda-months .main-svg');
    // January to June only.
    await waitPoints('chart-eda-months', 6, 'six months');
    await page.click('#nav-overview');
    const rows = num(await text(page, '#kpi-rows .kpi-value'));
    assert.ok(rows > 0 && rows < 1_000, `rows ${rows}`);
    assert.equal(await text(page, '#kpi-domestic .kpi-value'), '100.0 %');
    await shot(page, 'link-view');
  });

  it('fits a 10-inch tablet in portrait: no sideways scrolling, one chart per row', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await page.click('#nav-explore');
    await page.waitForSelector('#chart-correlation .main-svg');
    await page.waitForTimeout(500);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the tablet`);
    const [a, b] = await Promise.all(['#chart-eda-hours', '#chart-eda-weekdays'].map((s) => page.locator(s).boundingBox()));
    assert.ok(b.y >= a.y + a.height - 1, 'weekday chart sits under the hour chart');
    assert.ok(a.width > 600, `chart width ${a.width}`);
    await shot(page, 'explore-tablet');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a date typed in the filter goes into the URL; bad link values are ignored and said', async () => {
    page = await openApp(browser.context, `${server.url}?district=banana&arrest=maybe&type=THEFT`);
    assert.match(await text(page, '#filter-notes'), /ignored district=banana.*ignored arrest=maybe/);
    assert.deepEqual(await page.locator('#filter-chips .chip').allTextContents(), ['THEFT✕']);
    await page.fill('#filter-from', '2017-03-01');
    await page.dispatchEvent('#filter-from', 'change');
    await page.waitForFunction(() => /from=2017-03-01/.test(location.search));
    await settled(page);
    assert.match(await text(page, '#kpi-range .kpi-value'), /^2017-03-0\d → 2017-12-3\d$/);
    await page.click('#clear-filters');
    await page.waitForFunction(() => location.search === '');
    await settled(page);
    assert.equal(await page.locator('#filter-chips .chip').count(), 0);
    assert.deepEqual(browser.errors, []);
  });
});

describe('a 1440 × 900 desktop with a mouse', () => {
  let site, desk;
  before(async () => {
    site = await serve();
    desk = await launch({ context: { viewport: { width: 1440, height: 900 } } });
  });
  after(async () => { await desk?.close(); await site?.close(); });

  it('a chart title scrolled into view stops below the sticky filter bar, not under it', async () => {
    const p = await openApp(desk.context, `${site.url}?type=THEFT&district=1#explore`);
    assert.equal(await p.evaluate(() => getComputedStyle(document.querySelector('#filters')).position), 'sticky');
    for (const id of ['chart-weeks', 'chart-districts', 'chart-correlation']) {
      await p.waitForSelector(`#${id} .gtitle`, { timeout: 20_000 });
      await p.evaluate((id) => document.querySelector(`#${id} .gtitle`).scrollIntoView(), id);
      await p.waitForTimeout(100);
      const bar = await p.locator('#filters').boundingBox();
      const title = await p.locator(`#${id} .gtitle`).boundingBox();
      assert.ok(title.y >= bar.y + bar.height, `#${id}'s title at ${title.y} is under the bar (${bar.y}–${bar.y + bar.height})`);
      assert.ok(title.y < 900, `#${id}'s title is on screen`);
    }
    await p.screenshot({ path: path.join(OUT, 'explore-desktop-sticky.png') });
    await p.close();
  });
});
