// The Patrol page in real headless Chromium on the real 500,000-row sample: the risk grid and its
// hotspots equal the CLI's, a route is planned from a police station loaded from the portal's CSV
// and downloaded as GPX, the road network can be loaded and driven, the map's click sets the
// start, "tonight, Friday" filters the grid, and bad files get a message.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, openApp, loadFile, settled, text, num, shot, cli, rerun as rerunIn, DATA, ROOT } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const STATIONS = path.join(DATA, 'chicago_police_stations.csv');
const NODES = path.join(DATA, 'chicago_road_network_tntp_nodes.csv.gz');
const LINKS = path.join(DATA, 'chicago_road_network_tntp_links.csv.gz');

let server, browser, page;

/** Located rows of the portal CSV in the shift Fri 20:00 → Sat 04:00, and on calendar Friday at those hours. */
function fridayNight(file) {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  let shift = 0, calendar = 0;
  for (const line of text.split('\n').slice(1)) {
    const d = /(\d\d)\/(\d\d)\/(\d{4}) (\d\d):\d\d:\d\d (AM|PM)/.exec(line);
    if (!d || !/,-?\d+\.\d+,-?\d+\.\d+,"?\(/.test(line)) continue;
    const hour = (Number(d[4]) % 12) + (d[5] === 'PM' ? 12 : 0);
    const weekday = new Date(Date.UTC(+d[3], +d[1] - 1, +d[2])).getUTCDay();
    if ((weekday === 5 && hour >= 20) || (weekday === 6 && hour < 4)) shift += 1;
    if (weekday === 5 && (hour >= 20 || hour < 4)) calendar += 1;
  }
  return { shift, calendar };
}

const rerun = (sel, click, progress, timeout) => rerunIn(page, sel, click, progress, timeout);

async function hotspotRows() {
  return page.locator('#hotspot-table tbody tr').evaluateAll((rows) => rows.map((r) => {
    const td = [...r.querySelectorAll('td')].map((t) => t.textContent.trim());
    const place = r.querySelector('td.place');
    const [lat, lon] = [Number(place.dataset.lat), Number(place.dataset.lon)];
    const name = place.querySelector('.place-name').textContent;
    return { rank: Number(td[0]), lat, lon, name, score: Number(td[2]), incidents: Number(td[3].replace(/,/g, '')) };
  }));
}

function sameHotspots(browserRows, cells) {
  assert.equal(browserRows.length, cells.length);
  browserRows.forEach((b, i) => {
    const c = cells[i];
    assert.ok(Math.abs(b.lat - c.lat) < 1e-5 && Math.abs(b.lon - c.lon) < 1e-5, `hotspot ${i + 1} position`);
    assert.equal(b.incidents, c.incidents, `hotspot ${i + 1} incidents`);
    assert.equal(b.score.toFixed(3), c.score.toFixed(3), `hotspot ${i + 1} score`);
    if (c.place) assert.equal(b.name, c.place.blocks[0], `hotspot ${i + 1} named by its busiest block`);
  });
}

describe('patrol: risk grid, hotspots and routes on the real sample', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await loadFile(page, SAMPLE);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('computes the risk grid and lists the same hotspots as the CLI', async () => {
    await page.click('#nav-patrol');
    await page.waitForSelector('#risk-result', { timeout: 60_000 });
    const native = cli(['risk', SAMPLE, '--top', '20', '--json']);
    // Patrollable areas by default: places 800 m apart, not 20 adjacent downtown cells.
    sameHotspots(await hotspotRows(), native.hotspots);
    assert.equal(num(await text(page, '#risk-incidents .kpi-value')), native.incidents);
    assert.equal(num(await text(page, '#risk-hot .kpi-value')), native.hot_cells);
    assert.equal(num(await text(page, '#risk-cells .kpi-value')), native.grid.study_cells);
    assert.equal(await page.locator('#environment-table tbody tr').count(), 7);
    await page.waitForSelector('#risk-map .main-svg', { timeout: 30_000 });
    assert.equal(await page.locator('#risk-map .hm, #risk-map .heatmaplayer image').count() > 0, true, 'the heatmap is drawn');
    // The colour bar covers the scores drawn: its colours end at the 99th percentile of the cells
    // (on purpose), so its top tick reads "≥ x" and its title gives the peak, the largest cell
    // score drawn (the bar once read 0–0.12 beside cells scoring up to 0.99, saying nothing).
    const ticks = await page.$$eval('#risk-map .colorbar .cbaxis text, #risk-map .colorbar .ytick text', (t) => t.map((x) => x.textContent));
    const drawn = await page.evaluate(() => document.getElementById('risk-map').data[0].z.flat().filter((v) => v != null));
    const top = ticks[ticks.length - 1];
    const [lo, hi] = [Math.min(...drawn), Math.max(...drawn)];
    const covered = (v) => v >= 0 && (top.startsWith('≥') || v <= num(top));
    assert.ok(covered(lo) && covered(hi), `bar ${ticks.join('|')} vs scores drawn ${lo}–${hi}`);
    assert.match(top, /^≥ 0\.\d+$/, 'the 99th-percentile clip is said on the bar');
    assert.ok(num(top) < hi, `the clip ${top} is below the peak ${hi}`);
    const peak = /peak ([\d.,]+)/.exec(await text(page, '#risk-map .colorbar .cbtitle'))?.[1];
    assert.equal(peak, hi.toFixed(2), 'the title gives the peak drawn');
    await page.locator('#risk-map').screenshot({ path: path.join(ROOT, 'test-results', 'patrol-risk-colour-bar.png') });
    // Gi* layer and back.
    await page.selectOption('#risk-layer', 'gi');
    await page.waitForFunction(() => [...document.querySelectorAll('#risk-map .legendtext')].some((t) => t.textContent.includes('hotspots')));
    console.log(`# risk grid in the browser: ${await text(page, '#risk-seconds .kpi-value')} s; native ${native.seconds.toFixed(2)} s`);
    await shot(page, 'patrol-risk');
    await page.selectOption('#risk-layer', 'score');
  });

  it('Gi* clusters as hotspots, as the CLI finds them', async () => {
    await page.selectOption('#risk-mode', 'gi');
    await page.fill('#risk-top', '10');
    await rerun('#risk-result', '#risk-run', '#risk-progress');
    const native = cli(['risk', SAMPLE, '--top', '10', '--hotspots', 'gi', '--json']);
    const rows = await hotspotRows();
    assert.equal(rows.length, native.hotspots.length);
    rows.forEach((r, i) => {
      assert.equal(r.incidents, native.hotspots[i].incidents);
      assert.ok(Math.abs(r.lat - native.hotspots[i].lat) < 1e-5);
    });
    assert.match(await text(page, '#hotspot-table tbody tr td:nth-child(5)'), /significant hot cells/);
    await page.selectOption('#risk-mode', 'areas');
    await page.fill('#risk-top', '20');
    await rerun('#risk-result', '#risk-run', '#risk-progress');
  });

  it('plans a route from a police station of the portal CSV and downloads it as GPX', async () => {
    await page.setInputFiles('#stations-file', STATIONS);
    await page.waitForFunction(() => document.querySelectorAll('#route-start option').length === 24);
    const label = await page.locator('#route-start option[value="s0"]').textContent();
    assert.match(label, /^District 1 – Central/);
    await page.selectOption('#route-start', 's0');
    await page.fill('#route-stops', '20');
    await rerun('#route-result', '#route-run', '#route-progress');
    const station = '41.85837259,-87.62735617';
    const native = cli(['route', SAMPLE, '--start', station, '--stops', '20', '--depart', '20:00', '--json']);
    assert.equal(Number(await page.getAttribute('#route-result', 'data-distance')), Number(native.distance_m.toFixed(1)));
    assert.equal(num(await text(page, '#route-time .kpi-value')), Math.round(native.travel_time_s / 60));
    assert.equal(await page.locator('#route-stops-1 tbody tr').count(), 20);
    const ranks = await page.locator('#route-stops-1 tbody td:nth-child(2)').allTextContents();
    assert.deepEqual(ranks.map(num), native.stops.map((s) => s.rank));
    // The evaluation: the optimised route drives less than the naive one at every departure.
    const evalRows = await page.locator('#route-eval tbody tr').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((t) => t.textContent.trim())));
    assert.equal(evalRows.length, native.evaluation.rows.length);
    for (let i = 0; i < evalRows.length; i += 2) {
      assert.equal(evalRows[i][0], 'optimised');
      assert.ok(Number(evalRows[i][3]) < Number(evalRows[i + 1][3]), `departure ${evalRows[i][1]}`);
    }
    await page.waitForSelector('#route-eval-chart .main-svg');
    // The map draws the route.
    await page.waitForFunction(() => [...document.querySelectorAll('#risk-map .legendtext')].some((t) => t.textContent === 'car 1 route'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-gpx')]);
    assert.equal(download.suggestedFilename(), 'patroliq-route.gpx');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'patroliq-gpx-')), 'route.gpx');
    await download.saveAs(file);
    const gpx = fs.readFileSync(file, 'utf8');
    assert.match(gpx, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<gpx version="1.1"/);
    const rtept = [...gpx.matchAll(/<rtept lat="([-0-9.]+)" lon="([-0-9.]+)"/g)];
    assert.equal(rtept.length, 22, 'start, 20 stops, back to the start');
    assert.equal(Number(rtept[0][1]).toFixed(5), '41.85837');
    assert.deepEqual(rtept[0].slice(1), rtept[21].slice(1));
    assert.ok(gpx.trim().endsWith('</gpx>'));
    // Waypoints by name, as the CLI names the stops.
    assert.ok(gpx.includes(`<name>1. ${native.stops[0].name.replace(/&/g, '&amp;')}</name>`), native.stops[0].name);
    await shot(page, 'patrol-route');
  });

  it('loads the road network and shares a shift between two cars on it', async () => {
    await page.setInputFiles('#network-files', [NODES, LINKS]);
    await page.waitForFunction(() => document.querySelector('#network-status')?.textContent.includes('loaded'), null, { timeout: 60_000 });
    await page.check('#route-network');
    await page.fill('#route-cars', '2');
    await page.fill('#route-shift', '60');
    await page.fill('#route-depart', '17:00');
    await rerun('#route-result', '#route-run', '#route-progress');
    const native = cli(['route', SAMPLE, '--start', '41.85837259,-87.62735617', '--stops', '20', '--cars', '2',
      '--shift-min', '60', '--depart', '17:00', '--network', NODES, LINKS, '--json']);
    assert.equal(native.model, 'road network');
    assert.equal(Number(await page.getAttribute('#route-result', 'data-distance')), Number(native.distance_m.toFixed(1)));
    assert.equal(Number(await page.getAttribute('#route-result', 'data-stops')), native.stops.length);
    assert.ok(native.cars.every((c) => c.duration_s <= 60 * 60 * 1.7 + 1), 'each car within its shift (at rush-hour speed)');
    assert.match(await text(page, '#route-time .kpi-note'), /road network/);
    assert.equal(await page.locator('#route-stops-2').count(), 1);
    await shot(page, 'patrol-network');
    await page.uncheck('#route-network');
    await page.fill('#route-cars', '1');
    await page.fill('#route-shift', '');
    await page.fill('#route-depart', '20:00');
  });

  it('a click on the map starts the route there; a click on the lake does not', async () => {
    const at = async (lat, lon) => {
      const pos = await page.evaluate(([lat, lon]) => {
        const fl = document.getElementById('risk-map')._fullLayout;
        return { x: fl.xaxis.l2p(lon), y: fl.yaxis.l2p(lat) };
      }, [lat, lon]);
      await page.locator('#risk-map .nsewdrag').first().click({ position: pos });
    };
    await at(41.88, -87.45);
    await page.waitForSelector('#map-click-note');
    assert.match(await text(page, '#map-click-note'), /outside the city's grid/);
    // The 60th riskiest cell, which has incidents whatever the map looks like there.
    const cell = cli(['risk', SAMPLE, '--top', '60', '--json']).cells[59];
    await at(cell.lat, cell.lon);
    await page.waitForFunction(() => document.querySelector('#route-start-name')?.textContent.startsWith('Map point'));
    assert.equal(await page.locator('#map-click-note').count(), 0);
    const [lat, lon] = (await text(page, '#route-start-name')).replace('Map point ', '').split(',').map(Number);
    assert.ok(Math.abs(lat - cell.lat) < 0.002 && Math.abs(lon - cell.lon) < 0.003, `${lat}, ${lon}`);
    await rerun('#route-result', '#route-run', '#route-progress');
    const native = cli(['route', SAMPLE, '--start', `${lat},${lon}`, '--stops', '20', '--json']);
    assert.ok(Math.abs(Number(await page.getAttribute('#route-result', 'data-distance')) - native.distance_m) < 20,
      'the same route from the clicked point (the label rounds it to 1 m)');
    await shot(page, 'patrol-click');
  });

  it('bad files and bad numbers get a message, and the page keeps working', async () => {
    await page.setInputFiles('#stations-file', { name: 'stations.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
    await page.waitForSelector('#files-error');
    assert.match(await text(page, '#files-error'), /LATITUDE/);
    assert.equal(await page.locator('#route-start option').count(), 24, 'the stations loaded before are kept');
    await page.setInputFiles('#network-files', [
      { name: 'nodes.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\n') },
      { name: 'links.csv', mimeType: 'text/csv', buffer: Buffer.from('x\n') }]);
    await page.waitForFunction(() => /no node/.test(document.querySelector('#files-error')?.textContent ?? ''));
    await page.fill('#route-stops', '0');
    await page.click('#route-run');
    assert.match(await text(page, '#route-form-error'), /stops must be 1–200/);
    await page.fill('#route-stops', '20');
    await page.fill('#risk-cell', '20');
    await page.click('#risk-run');
    assert.match(await text(page, '#risk-form-error'), /cell size must be 100–1000/);
    await page.fill('#risk-cell', '250');
    assert.deepEqual(browser.errors, []);
  });

  it('"tonight, Friday": the filter reaches the grid, as the CLI filters it', async () => {
    await page.selectOption('#filter-hours', '20-4');
    await page.locator('#filter-weekdays summary').click();
    await page.check('#filter-weekdays input[value="4"]');
    await settled(page);
    await page.waitForSelector('#risk-stale');
    await rerun('#risk-result', '#risk-run', '#risk-progress');
    assert.equal(await page.locator('#risk-stale').count(), 0);
    const native = cli(['risk', SAMPLE, '--top', '20', '--filter', 'hours=20-4&day=fri', '--json']);
    sameHotspots(await hotspotRows(), native.hotspots);
    assert.equal(num(await text(page, '#risk-incidents .kpi-value')), native.incidents);
    assert.ok(native.incidents < 60_000 && native.incidents > 20_000, `${native.incidents} Friday-night incidents`);
    // Counted here from the file itself: "Friday night" is the shift Fri 20:00 → Sat 04:00, not
    // calendar Friday's evening plus Thursday night's tail.
    const { shift, calendar } = fridayNight(SAMPLE);
    assert.equal(num(await text(page, '#risk-incidents .kpi-value')), shift);
    assert.notEqual(shift, calendar);
    assert.deepEqual(await page.locator('#filter-chips .chip').allTextContents(), ['20:00–04:00 shift✕', 'Shifts from Fri✕']);
    assert.match(page.url(), /hours=20-4&day=fri/);
    await shot(page, 'patrol-friday-night');
  });
});
