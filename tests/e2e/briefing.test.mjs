// The briefing (home page) and the geographic heatmaps page on the real sample, against the CLI.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, loadFile, text, num, shot, cli, DATA } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const AREAS = path.join(DATA, 'chicago_community_areas.geojson');
const DISTRICTS = path.join(DATA, 'chicago_police_districts.geojson');

/** The portal's geospatial export, served from the shared boundary files. */
function fakeGeospatial() {
  const file = { 'fthy-xz3r': DISTRICTS, 'cauq-8yn6': AREAS };
  const routes = {};
  for (const [id, f] of Object.entries(file)) {
    routes[`/geospatial/${id}`] = (req, res, url) => {
      assert.equal(url.searchParams.get('format'), 'GeoJSON');
      res.writeHead(200, { 'content-type': 'application/json' });
      fs.createReadStream(f).pipe(res);
    };
  }
  return routes;
}

const pct = (r) => `${(100 * r).toFixed(1)} %`;

describe('briefing and heatmaps', () => {
  let server, browser, page;
  before(async () => {
    server = await serve(fakeGeospatial());
    browser = await launch();
  });
  after(async () => { await page?.close(); await browser?.close(); await server?.close(); });

  it('opens on the briefing, computed from the demo data without a click, with a way to every page', async () => {
    page = await openApp(browser.context, server.url, { page: null });
    await page.waitForSelector('#briefing[data-run]', { timeout: 60_000 });
    assert.match(await text(page, '#home-shift'), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) 20:00–04:00$/);
    assert.ok((await page.$$('#home-hotspots tbody tr')).length > 0);
    assert.ok((await page.$$('#home-areas tbody tr')).length > 0);
    assert.match(await text(page, '#home-peaks'), /Peak hours: \d\d:00/);
    // The demo ends in 2017: the page says "tonight" is a typical shift of that history.
    assert.match(await text(page, '#home-stale'), /^The data ends on 2017-12-31, [\d,]+ days before today: /);
    const tiles = await page.$$eval('#home-nav a', (a) => a.map((x) => x.getAttribute('href')));
    assert.deepEqual(tiles, ['#overview', '#explore', '#hotspots', '#when', '#shape', '#heatmaps', '#patrol', '#backtest', '#features', '#experiments']);
    // A tablet in both orientations: every tab is on screen and large enough to touch.
    for (const [w, h] of [[1024, 768], [768, 1024]]) {
      await page.setViewportSize({ width: w, height: h });
      // Turned from landscape to portrait, the charts shrink with the page: nothing sticks out.
      await page.waitForFunction((w) => document.documentElement.scrollWidth <= w, w, { timeout: 10_000 });
      const boxes = await page.$$eval('.tabs-nav a', (a) => a.map((x) => x.getBoundingClientRect().toJSON()));
      assert.equal(boxes.length, 11);
      for (const b of boxes) {
        assert.ok(b.right <= w + 1 && b.left >= 0, `tab inside the ${w}px screen`);
        assert.ok(b.height >= 40, 'touch target at least 40 px high');
      }
      await shot(page, `home-tablet-${w}x${h}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('#tile-heatmaps');
    await page.waitForSelector('#heatmaps');
  });

  it('briefs Friday night on the real sample exactly as the CLI does', async () => {
    await loadFile(page, SAMPLE);
    await page.click('#nav-home');
    await page.selectOption('#home-day', '4');
    await page.fill('#home-start', '20');
    await page.fill('#home-hours', '8');
    await page.click('#home-run');
    await page.waitForFunction(() => document.querySelector('#home-shift')?.textContent === 'Fri 20:00–04:00'
      && document.querySelector('#briefing') && !document.querySelector('#home-progress'), null, { timeout: 120_000 });
    const native = cli(['briefing', SAMPLE, '--day', 'fri', '--json']);
    assert.equal(await text(page, '#home-expected .kpi-value'), native.expected_total.toFixed(0));
    const peaks = native.peak_hours.map((h) => `${String(h).padStart(2, '0')}:00`).join(', ');
    assert.equal(await text(page, '#home-peaks strong'), peaks);
    const ids = async (sel) => page.$$eval(`${sel} tbody tr`, (r) => r.map((x) => Number(x.dataset.id)));
    assert.deepEqual(await ids('#home-areas'), native.community_areas.slice(0, 10).map((a) => a.id));
    assert.deepEqual(await ids('#home-districts'), native.districts.slice(0, 5).map((a) => a.id));
    const perShift = await page.$$eval('#home-areas .per-shift', (c) => c.map((x) => x.textContent));
    assert.deepEqual(perShift, native.community_areas.slice(0, 10).map((a) => a.per_shift.toFixed(1)));
    assert.equal(num(await text(page, '#home-4w .kpi-value')), native.four_weeks.last);
    // Hotspots and stops by name, as the CLI names them: blocks, community area, district.
    assert.equal((await page.$$('#home-hotspots tbody tr')).length, native.hotspots.length);
    const names = await page.$$eval('#home-hotspots .place-name', (c) => c.map((x) => x.textContent));
    assert.deepEqual(names, native.hotspots.map((h) => h.place.blocks[0]));
    for (const n of names) assert.doesNotMatch(n, /^-?\d+\.\d+, /, 'a name, not coordinates');
    const areas = await page.$$eval('#home-hotspots .place-areas', (c) => c.map((x) => x.textContent));
    assert.deepEqual(areas, native.hotspots.map((h) => `${h.place.community_area} · ${h.place.district}`));
    const visits = native.route.cars.flatMap((c) => c.visits);
    const stops = await page.$$eval('#home-stops .place-name', (c) => c.map((x) => x.textContent));
    assert.deepEqual(stops, visits.map((v) => v.place.blocks[0]));
    assert.match(await text(page, '#home-route'), /12 min at each stop/);
    assert.equal(await page.$('#home-reconcile') ? await text(page, '#home-reconcile') : null, native.reconcile);
    // Areas named without a boundary file.
    const areaNames = await page.$$eval('#home-areas .name', (c) => c.map((x) => x.textContent));
    assert.deepEqual(areaNames, native.community_areas.slice(0, 10).map((a) => a.name));
    // The map: hotspot labels by name, and the city's reference layers (built in: no network).
    const mapText = await page.$$eval('#home-map .scatterlayer .trace text', (t) => t.map((x) => x.textContent));
    assert.ok(mapText.includes(`1 · ${native.hotspots[0].place.blocks[0].replace(' block of ', ' ')}`), mapText.join('|'));
    // Community areas named where the hotspots' labels leave room (reference.rs, place::labels).
    const areaNamesShown = mapText.filter((t) => /^[A-Z][a-z]+( [A-Z][a-z]+)*$/.test(t));
    assert.ok(areaNamesShown.length >= 5, `community areas named on the map: ${areaNamesShown.join('|')}`);
    // No label prints over another, downtown included.
    const boxes = await page.$$eval('#home-map .scatterlayer .trace text', (t) => t.filter((x) => x.textContent)
      .map((x) => { const r = x.getBoundingClientRect(); return [x.textContent, r.left, r.top, r.right, r.bottom]; }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 2 && Math.min(a[4], b[4]) - Math.max(a[2], b[2]) > 2;
        assert.ok(!overlap, `"${a[0]}" and "${b[0]}" overlap on the map`);
      }
    }
    const lines = await page.$$eval('#home-map .scatterlayer .trace .js-line', (l) => l.length);
    assert.ok(lines >= 1, `${lines} line traces: the route`);
    // The roads, area and district outlines: one path each, drawn as the layout's shapes.
    const outlines = await page.$$eval('#home-map .shapelayer path', (p) => p.map((x) => (x.getAttribute('d') || '').length));
    assert.ok(outlines.length >= 4 && outlines.every((n) => n > 100), `outlines drawn: ${outlines.join(', ')}`);
    assert.match(await text(page, '#home-route'), new RegExp(`${(native.route.distance_m / 1000).toFixed(1)} km`));
    assert.equal(await text(page, '#home-rows .kpi-value'), '495,829');
    // The hotspots' track record: the same forecast and the same line as the CLI's.
    assert.equal(await page.getAttribute('#home-track-record', 'data-method'), native.track_record.method);
    assert.ok((await text(page, '#home-track-record')).startsWith(native.track_record.sentence));
    assert.match(native.track_record.sentence, /^Over the last 8 Friday nights these cells held [0-9.]+ % of incidents in 1\.0 % of the city \(counting: [0-9.]+ %\)\.$/);
    // The map shows the hotspots and the route.
    assert.ok(await page.$('#home-map .scatterlayer .trace'));
    await shot(page, 'home-briefing');
  });

  it('names the filter that leaves the briefing no incidents, and clears it in one click', async () => {
    // Mondays only, with Friday night's briefing: no incident of the filter is in the shift.
    await page.click('#filter-weekdays summary');
    await page.check('#filter-weekdays input[value="0"]');
    await page.click('#filter-weekdays summary');
    await page.waitForSelector('#home-emptied', { timeout: 60_000 });
    assert.equal(await text(page, '#home-emptied p'), 'The filter “Mon” leaves no incidents in the shift Fri 20:00–04:00.');
    assert.equal(await page.locator('#home-expected').count(), 0, 'no "0 expected"');
    assert.equal(await page.locator('#home-map').count(), 0, 'no blank map');
    await shot(page, 'home-emptied');
    await page.click('#home-emptied-clear');
    await page.waitForSelector('#home-expected', { timeout: 120_000 });
    assert.equal(await page.locator('#filter-chips .chip').count(), 0);
    assert.equal(await page.locator('#home-emptied').count(), 0);
  });

  it('maps density by month on one grid and animates it', async () => {
    await page.click('#nav-heatmaps');
    await page.waitForSelector('#hm-result', { timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('#hm-progress'));
    // The cleaned sample keeps only located rows (4,171 without coordinates were dropped).
    assert.equal(await text(page, '#hm-incidents .kpi-value'), '495,829');
    // 2016-02 … 2017-12: 23 months.
    assert.equal(await page.getAttribute('#hm-slider', 'max'), '23');
    await page.fill('#hm-slider', '6');
    await page.waitForFunction(() => document.querySelector('#hm-frame .kpi-value')?.textContent === '2016-07');
    assert.ok(await page.$('#hm-map .heatmaplayer .hm, #hm-map .heatmaplayer image'), 'the heatmap is drawn');
    // The colours end at the frames' 99th percentile, on purpose: the bar's top tick says "≥" it,
    // its title gives the frame's peak, and both are above every other tick.
    await page.waitForSelector('#hm-map .colorbar');
    const ticks = await page.$$eval('#hm-map .colorbar .cbaxis text, #hm-map .colorbar .ytick text', (t) => t.map((x) => x.textContent));
    const title = await text(page, '#hm-map .colorbar .cbtitle');
    const peak = num(/peak ([\d,]+)/.exec(title)?.[1]);
    const top = ticks[ticks.length - 1];
    assert.match(top, /^≥ [\d,]+$/, ticks.join('|'));
    assert.ok(peak > num(top), `peak ${peak} above the clipped top ${top}`);
    assert.ok(ticks.slice(0, -1).every((t) => /^[\d,]+$/.test(t) && num(t) < num(top)), ticks.join('|'));
    await page.click('#hm-play');
    await page.waitForFunction(() => document.querySelector('#hm-result').dataset.frame !== '6', null, { timeout: 5000 });
    await page.click('#hm-play');
    // By hour of day with counts per cell.
    await page.selectOption('#hm-frames', 'hour');
    await page.selectOption('#hm-method', 'counts');
    const before = await page.getAttribute('#hm-result', 'data-run');
    await page.click('#hm-run');
    await page.waitForFunction((b) => document.querySelector('#hm-result')?.dataset.run !== b && !document.querySelector('#hm-progress'), before);
    assert.equal(await page.getAttribute('#hm-slider', 'max'), '24');
    await page.fill('#hm-slider', '21');
    await page.waitForFunction(() => document.querySelector('#hm-frame .kpi-value')?.textContent === '20:00');
    await shot(page, 'heatmaps-density');
  });

  it('colours community areas from a boundary file and districts fetched from the portal, agreeing with the CLI', async () => {
    await page.setInputFiles('#boundaries-input', AREAS);
    await page.waitForSelector('#areas-result[data-kind="community_area"]', { timeout: 60_000 });
    const native = cli(['areas', SAMPLE, '--boundaries', AREAS, '--json']);
    assert.equal(await text(page, '#areas-agreement .kpi-value'), pct(native.agreement.rate));
    assert.ok(native.agreement.rate > 0.97);
    assert.equal(await text(page, '#areas-count .kpi-value'), '77');
    const first = await page.$$eval('#areas-table tbody tr', (r) => r.slice(0, 5).map((x) => Number(x.dataset.id)));
    assert.deepEqual(first, native.areas.slice(0, 5).map((a) => a.id));
    // Filled areas: one trace per colour class, and the outlines on the heatmap.
    const fills = await page.$$eval('#choropleth .scatterlayer .trace .fills path', (p) => p.length);
    assert.ok(fills >= 7, `${fills} filled classes`);
    await page.selectOption('#hm-overlay', 'community_area');
    await shot(page, 'heatmaps-choropleth');

    // Districts from the (fake) portal.
    await page.click('#areas summary');
    await page.fill('#boundaries-portal', `${server.url}geospatial/`);
    await page.click('#fetch-district');
    await page.waitForSelector('#boundaries-loaded li[data-kind="district"]');
    await page.selectOption('#areas-kind', 'district');
    await page.waitForSelector('#areas-result[data-kind="district"]');
    const d = cli(['areas', SAMPLE, '--boundaries', DISTRICTS, '--json']);
    assert.equal(await text(page, '#areas-agreement .kpi-value'), pct(d.agreement.rate));
    // Kinds switched while a run is in flight: the last choice is what shows.
    await page.selectOption('#areas-kind', 'community_area');
    await page.selectOption('#areas-kind', 'district');
    await page.waitForFunction(() => document.querySelector('#areas-result')?.dataset.kind === 'district'
      && !document.querySelector('#areas-progress'));
    assert.equal(await text(page, '#areas-agreement .kpi-value'), pct(d.agreement.rate));
    await page.selectOption('#areas-measure', 'change');
    await shot(page, 'heatmaps-districts-change');

    // A file that is not a boundary export: a message, and what was loaded stays.
    await page.setInputFiles('#boundaries-input', path.join(DATA, 'chicago_police_stations.csv'));
    await page.waitForSelector('#boundaries-error');
    assert.match(await text(page, '#boundaries-error'), /not GeoJSON/);
    assert.equal((await page.$$('#boundaries-loaded li')).length, 2);
    // The briefing names the community areas now.
    await page.click('#nav-home');
    await page.click('#home-run');
    await page.waitForFunction(() => !document.querySelector('#home-progress') && document.querySelector('#home-areas .name'));
    await page.waitForFunction(() => !/^Area \d+$/.test(document.querySelector('#home-areas .name').textContent));
    const names = cli(['briefing', SAMPLE, '--day', 'fri', '--boundaries', AREAS, '--json']);
    assert.equal(await text(page, '#home-areas .name'), names.community_areas[0].name);
  });
});
