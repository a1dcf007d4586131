// Another city's export, end to end in Chromium: the Los Angeles sample (LAPD's layout, re-saved by
// Excel: a duplicated DATE OCC header, HHMM times, 0/0 coordinates) chosen in the file input,
// recognised, cleaned as the CLI cleans it, then clustered, gridded, routed from its own hotspot
// (not Chicago's headquarters) and back-tested; and a file of unknown columns refused with words.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, openApp, loadFile, chooseFile, text, num, shot, cli, rerun, DATA, OUT } from './harness.mjs';

const LA = path.join(DATA, 'exports', 'la_crime_2020_present_westla_excel_derived.csv');
let server, browser, page;

describe("another city's export opens and every analysis runs on it", () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('places rows that have only State Plane X/Y (NYPD without its degrees) where the CLI does', async () => {
    // The NYPD sample with Latitude, Longitude and Lat_Lon left out, written at run time.
    const rows = parseCsv(fs.readFileSync(path.join(DATA, 'exports', 'nyc_nypd_complaint_historic_2010_sample.csv'), 'utf8'));
    const drop = new Set(['Latitude', 'Longitude', 'Lat_Lon'].map((h) => rows[0].indexOf(h)));
    assert.ok(!drop.has(-1), 'the sample has its degrees columns');
    const quote = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    const f = path.join(OUT, 'nypd_xy_only.csv');
    fs.writeFileSync(f, rows.map((r) => r.filter((_, i) => !drop.has(i)).map(quote).join(',')).join('\n') + '\n');
    await loadFile(page, f);
    const native = cli(['validate', f, '--json']);
    assert.equal(native.projection.epsg, 2263);
    assert.equal(native.projection.city, 'New York');
    assert.ok(native.rows_clean > 2000, `${native.rows_clean} rows kept`);
    assert.equal(num(await text(page, '#rows-clean')), native.rows_clean);
    assert.equal(await text(page, '#columns-table tr[data-role="x"] td:nth-child(2)'), 'X_COORD_CD');
    const said = await text(page, '#projection');
    assert.match(said, /EPSG:2263/);
    assert.match(said, /New York/);
    assert.match(said, new RegExp(native.projection.rows.toLocaleString('en-US')));
    await shot(page, 'exports-nypd-xy-report');
  });

  it("opens a records system's European report: title lines, semicolons, decimal commas, a day and an hour column", async () => {
    // 3,000 real rows of the Chicago sample rewritten at run time as such a report.
    const lines = zlib.gunzipSync(fs.readFileSync(path.join(DATA, 'chicago_crimes_sample.csv.gz'))).toString('utf8').split('\n');
    const rows = parseCsv(lines.slice(0, 3001).join('\n') + '\n');
    const at = (h) => rows[0].indexOf(h);
    const [id, date, type, block, lat, lon] = ['ID', 'Date', 'Primary Type', 'Block', 'Latitude', 'Longitude'].map(at);
    const out = ['Springfield Police Department;;;;;;', 'Incident Listing by Date;;;;;;', ';;;;;;',
      'Incident Number;Occurrence Date;Occurrence Hour;Offense Type;Address;Latitude;Longitude'];
    for (const r of rows.slice(1).filter((r) => r[lat] && r[date])) {
      const [, mo, d, y, h, ampm] = r[date].match(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):\d\d:\d\d (AM|PM)$/);
      const hour = (Number(h) % 12) + (ampm === 'PM' ? 12 : 0);
      out.push([r[id], `${d}/${mo}/${y}`, hour, r[type], r[block], r[lat].replace('.', ','), r[lon].replace('.', ',')].join(';'));
    }
    const f = path.join(OUT, 'rms_report_eu.csv');
    fs.writeFileSync(f, out.join('\r\n') + '\r\n');
    await loadFile(page, f);
    const native = cli(['validate', f, '--json']);
    assert.equal(native.columns.time, 'Occurrence Hour');
    assert.equal(native.columns.latitude, 'Latitude');
    assert.equal(native.rows_clean, out.length - 4, 'every row written is kept');
    assert.ok(native.rows_clean > 2800, `${native.rows_clean} rows kept`);
    assert.equal(num(await text(page, '#rows-clean')), native.rows_clean);
    assert.equal(await text(page, '#columns-table tr[data-role="time"] td:nth-child(2)'), 'Occurrence Hour');
    // The hours are the rows' own, not all midnight.
    const eda = cli(['eda', f, '--json']);
    assert.ok(eda.by_hour.filter((n) => n > 0).length >= 20, `hours ${eda.by_hour}`);
    await shot(page, 'exports-rms-report-eu');
    assert.deepEqual(browser.errors, []);
  });

  it("opens Vancouver's layout: the date in YEAR, MONTH, DAY, HOUR, MINUTE columns and UTM X/Y", async () => {
    // 3,000 real rows of the Chicago sample moved to Vancouver and written at run time in the
    // Vancouver Police Department's open-data layout (UTM zone 10N on NAD83, no degrees).
    const lines = zlib.gunzipSync(fs.readFileSync(path.join(DATA, 'chicago_crimes_sample.csv.gz'))).toString('utf8').split('\n');
    const rows = parseCsv(lines.slice(0, 3001).join('\n') + '\n');
    const at = (h) => rows[0].indexOf(h);
    const [date, type, block, lat, lon] = ['Date', 'Primary Type', 'Block', 'Latitude', 'Longitude'].map(at);
    const out = ['TYPE,YEAR,MONTH,DAY,HOUR,MINUTE,HUNDRED_BLOCK,NEIGHBOURHOOD,X,Y'];
    const hours = new Array(24).fill(0);
    for (const r of rows.slice(1).filter((r) => r[lat] && r[date])) {
      const [, mo, d, y, h, mi, ampm] = r[date].match(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):\d\d (AM|PM)$/);
      const hour = (Number(h) % 12) + (ampm === 'PM' ? 12 : 0);
      hours[hour] += 1;
      const [x, y2] = utm(Number(r[lat]) - 41.84 + 49.25, Number(r[lon]) + 87.68 - 123.12, 10);
      out.push([`"${r[type]}"`, y, Number(mo), Number(d), hour, Number(mi), `"${r[block]}"`, 'Fairview', x.toFixed(2), y2.toFixed(2)].join(','));
    }
    const f = path.join(OUT, 'vancouver_layout.csv');
    fs.writeFileSync(f, out.join('\n') + '\n');
    await loadFile(page, f);
    const native = cli(['validate', f, '--json']);
    assert.equal(native.projection.epsg, 26910);
    assert.equal(native.projection.city, 'Vancouver');
    assert.equal(native.columns.date, 'YEAR');
    assert.equal(native.date_formats['year, month, day columns'], out.length - 1);
    assert.equal(native.rows_clean, out.length - 1, 'every row written is kept');
    assert.equal(num(await text(page, '#rows-clean')), native.rows_clean);
    assert.match(await text(page, '#projection'), /EPSG:26910/);
    // Each row at its own hour.
    const eda = cli(['eda', f, '--json']);
    assert.deepEqual(eda.by_hour, hours);
    await shot(page, 'exports-vancouver-layout');
    assert.deepEqual(browser.errors, []);
  });

  it('recognises the LAPD layout and keeps the rows the CLI keeps', async () => {
    await loadFile(page, LA);
    const native = cli(['validate', LA, '--json']);
    assert.equal(native.layout, 'lapd_2020_present');
    assert.equal(num(await text(page, '#rows-clean')), native.rows_clean);
    assert.equal(await page.getAttribute('#read-as', 'data-layout'), 'lapd_2020_present');
    assert.equal(await text(page, '#columns-table tr[data-role="date"] td:nth-child(2)'), 'DATE OCC');
    assert.equal(await text(page, '#columns-table tr[data-role="time"] td:nth-child(2)'), 'TIME OCC');
    assert.match(await text(page, '#read-as summary'), /not Chicago/);
    assert.equal(num(await text(page, '#dropped-table tr[data-reason="zero_coordinates"] td.num')), native.dropped.zero_coordinates);
    assert.ok(native.dropped.zero_coordinates > 0);
    await shot(page, 'exports-la-report');
    // Change columns… opens on the roles read; Excel's second DATE OCC has no choice of its own
    // (a mapping names columns, and that name reads as the first).
    await page.click('#change-columns');
    const dates = page.locator('#changer-table tr[data-column="DATE OCC"]');
    assert.equal(await dates.count(), 2);
    assert.equal(await dates.nth(0).locator('select').inputValue(), 'date');
    assert.ok(await dates.nth(1).locator('select').isDisabled());
    assert.equal(await dates.nth(1).getAttribute('data-twin'), '3');
    assert.equal(await page.inputValue('#changer-table tr[data-column="Crm Cd Desc"] select'), 'type');
    await page.click('#changer-cancel');
    await page.waitForSelector('#column-changer', { state: 'detached' });
    assert.deepEqual(browser.errors, []);
  });

  it('clusters, grids, routes from its own hotspot and back-tests Los Angeles', async () => {
    await page.click('#nav-hotspots');
    await page.selectOption('#cluster-algo', 'kmeans');
    await rerun(page, '#cluster-results', '#cluster-run', '#cluster-progress');
    await page.waitForSelector('#chart-cluster-map .main-svg');
    await shot(page, 'exports-la-hotspots');

    await page.click('#nav-patrol');
    await page.waitForSelector('#risk-result', { timeout: 60_000 });
    const lat = Number(await page.getAttribute('#risk-result', 'data-top-lat'));
    assert.ok(lat > 33.5 && lat < 34.5, `the riskiest place is in Los Angeles, not Chicago: ${lat}`);
    // The route starts at the data's own riskiest hotspot, not at Chicago's headquarters.
    await page.waitForFunction(() => document.querySelector('#route-start-name')?.textContent.startsWith('Hotspot 1'));
    await page.fill('#route-stops', '5');
    await rerun(page, '#route-result', '#route-run', '#route-progress');
    assert.equal(await page.locator('#route-stops-1 tbody tr').count(), 5);
    await shot(page, 'exports-la-patrol');

    await page.click('#nav-backtest');
    await page.waitForSelector('#bt-run:not([disabled])');
    await page.fill('#bt-split', '2021-05-01');
    await rerun(page, '#bt-result', '#bt-run', '#bt-progress', 300_000);
    const native = cli(['backtest', LA, '--split', '2021-05-01', '--coverage', '0.05,0.01,0.1', '--json']);
    assert.equal(num(await text(page, '#bt-test .kpi-value')), native.test.incidents);
    await shot(page, 'exports-la-backtest');
    assert.deepEqual(browser.errors, []);
  });

  it('a file whose columns cannot be found is mapped by clicks in the column mapper, then analysed', async () => {
    // Columns no name list knows; the type column's name says nothing. 400 incidents around LA.
    const f = path.join(OUT, 'unknown_columns.csv');
    const kinds = ['THEFT', 'ROBBERY', 'BURGLARY', 'ASSAULT'];
    const rows = Array.from({ length: 400 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const lat = (34.0 + ((i * 37) % 100) / 1000 + (i % 3) * 0.02).toFixed(5);
      const lon = (-118.3 - ((i * 53) % 100) / 1000 - (i % 2) * 0.03).toFixed(5);
      return `${i + 1},2019-03-${day} ${String(i % 24).padStart(2, '0')}:15,${kinds[i % 4]},${lat},${lon}`;
    });
    fs.writeFileSync(f, 'ref,when,what,y_deg,x_deg\n' + rows.join('\n') + '\n');
    await page.click('#nav-overview');
    await chooseFile(page, f);
    await page.waitForSelector('#load-error', { timeout: 30_000 });
    assert.equal(await page.getAttribute('#load-error', 'data-kind'), 'wrong_schema');
    assert.match(await text(page, '#load-error .message'), /could not find a crime-type column.*--columns/);
    assert.equal(await text(page, '#dataset-name'), path.basename(LA), 'the data loaded before stays');
    // The mapper: every column with its first values, the date already guessed.
    await page.waitForSelector('#column-mapper');
    assert.equal(await page.locator('#mapper-table tbody tr').count(), 5);
    assert.equal(await page.inputValue('#mapper-table tr[data-column="when"] select'), 'date');
    assert.match(await text(page, '#mapper-table tr[data-column="what"] td.samples'), /THEFT/);
    assert.ok(await page.isDisabled('#mapper-load'));
    assert.match(await text(page, '#mapper-missing'), /a crime type/);
    // Three choices.
    await page.selectOption('#mapper-table tr[data-column="what"] select', 'type');
    await page.selectOption('#mapper-table tr[data-column="y_deg"] select', 'latitude');
    await page.selectOption('#mapper-table tr[data-column="x_deg"] select', 'longitude');
    assert.equal(await text(page, '#mapper-missing'), '');
    await shot(page, 'exports-mapper');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#mapper-save')]);
    const mapping = path.join(OUT, 'mapping.json');
    await download.saveAs(mapping);
    await page.click('#mapper-load');
    await page.waitForFunction(
      (n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'),
      path.basename(f), { timeout: 60_000 });
    // The browser keeps what the CLI keeps with the saved mapping.
    const native = cli(['validate', f, '--columns', mapping, '--json']);
    assert.equal(native.rows_clean, 400);
    assert.equal(num(await text(page, '#rows-clean')), native.rows_clean);
    assert.equal(await text(page, '#columns-table tr[data-role="type"] td:nth-child(2)'), 'what');
    // Analysed: the Hotspots page clusters it.
    await page.click('#nav-hotspots');
    await page.selectOption('#cluster-algo', 'kmeans');
    await rerun(page, '#cluster-results', '#cluster-run', '#cluster-progress');
    assert.match(await text(page, '#cluster-results h2'), /of 400 incidents/);
    // Remembered: the same file again opens with no questions.
    await page.click('#nav-overview');
    await loadFile(page, f);
    assert.equal(num(await text(page, '#rows-clean')), 400);
    assert.deepEqual(browser.errors, []);
  });
});

// RFC 4180 rows (quoted fields with commas, quotes and newlines).
function parseCsv(textIn) {
  const out = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < textIn.length; i++) {
    const c = textIn[i];
    if (quoted) {
      if (c === '"' && textIn[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && textIn[i + 1] === '\n') i++;
      row.push(field); field = '';
      out.push(row); row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); out.push(row); }
  return out.filter((r) => r.length > 1 || r[0] !== '');
}

/** UTM easting and northing of a point on GRS 80 (NAD83) in `zone` (north): Snyder's series
 * (Map Projections, USGS 1987, eq. 8-9 to 8-10), millimetre-exact within a zone; written here
 * apart from the app's proj4rs so the test checks the loader against another implementation. */
function utm(latDeg, lonDeg, zone) {
  const a = 6378137, f = 1 / 298.257222101, k0 = 0.9996;
  const e2 = f * (2 - f), ep2 = e2 / (1 - e2);
  const phi = (latDeg * Math.PI) / 180, lam = (lonDeg * Math.PI) / 180, lam0 = ((zone * 6 - 183) * Math.PI) / 180;
  const N = a / Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const T = Math.tan(phi) ** 2, C = ep2 * Math.cos(phi) ** 2, A = Math.cos(phi) * (lam - lam0);
  const M = a * ((1 - e2 / 4 - (3 * e2 ** 2) / 64 - (5 * e2 ** 3) / 256) * phi
    - ((3 * e2) / 8 + (3 * e2 ** 2) / 32 + (45 * e2 ** 3) / 1024) * Math.sin(2 * phi)
    + ((15 * e2 ** 2) / 256 + (45 * e2 ** 3) / 1024) * Math.sin(4 * phi)
    - ((35 * e2 ** 3) / 3072) * Math.sin(6 * phi));
  const x = k0 * N * (A + ((1 - T + C) * A ** 3) / 6 + ((5 - 18 * T + T ** 2 + 72 * C - 58 * ep2) * A ** 5) / 120) + 500000;
  const y = k0 * (M + N * Math.tan(phi) * (A ** 2 / 2 + ((5 - T + 9 * C + 4 * C ** 2) * A ** 4) / 24
    + ((61 - 58 * T + T ** 2 + 600 * C - 330 * ep2) * A ** 6) / 720));
  return [x, y];
}
