// Hostile and broken files in real Chromium: each gets a clear message in the page, the tab keeps
// working, and the dataset loaded before stays loaded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, chooseFile, confirmReplace, text, shot, OUT, ROOT } from './harness.mjs';

const CLI = path.join(ROOT, 'target/release/patroliq');
const BAD = path.join(OUT, 'bad');
fs.mkdirSync(BAD, { recursive: true });

const HEADER = 'ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location\n';
const row = (id, date, lat = '41.9', lon = '-87.7') =>
  `${id},JA${id},${date},001XX W MADISON ST,0820,THEFT,$500 AND UNDER,STREET,false,false,0111,001,42,32,06,1176000,1900000,2017,,${lat},${lon},${lat ? `"(${lat}, ${lon})"` : ''}\n`;

let server, browser, page, baseline;

async function loadExpectingError(file, kind, beforeDismiss = async () => {}) {
  await chooseFile(page, file);
  await page.waitForSelector('#load-error', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#load-error', 'data-kind'), kind, await text(page, '#load-error'));
  const message = await text(page, '#load-error .message');
  // The earlier dataset is untouched and the page says so.
  assert.equal(await text(page, '#dataset-name'), baseline.name);
  assert.equal(await text(page, '#kpi-rows .kpi-value'), baseline.rows);
  assert.match(await text(page, '#load-error'), /previous dataset .* is still loaded/);
  await beforeDismiss();
  await page.click('#load-error button');
  return message;
}

describe('bad input in the browser', () => {
  before(async () => {
    server = await serve();
    // Its own browser: the 3 GiB file below must stay on disk, unread (see launch).
    browser = await launch({ own: true });
    page = await openApp(browser.context, server.url);
    baseline = { name: await text(page, '#dataset-name'), rows: await text(page, '#kpi-rows .kpi-value') };
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('an empty file', async () => {
    const f = path.join(BAD, 'empty.csv');
    fs.writeFileSync(f, '');
    assert.match(await loadExpectingError(f, 'empty'), /empty/);
  });

  it('a CSV with the wrong columns names what is missing', async () => {
    const f = path.join(BAD, 'wrong_columns.csv');
    fs.writeFileSync(f, 'name,colour,size\nbob,red,3\n');
    const m = await loadExpectingError(f, 'wrong_schema', async () => {
      // The column mapper offers the three columns with their values.
      assert.equal(await page.locator('#mapper-table tbody tr').count(), 3);
      await shot(page, 'bad-wrong-columns');
    });
    assert.match(m, /could not find a date \(or date-time\) column, nor a crime-type column, nor coordinates/);
    assert.match(m, /name, colour, size/);
  });

  it('binary garbage', async () => {
    const f = path.join(BAD, 'garbage.csv');
    const bytes = Buffer.alloc(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    fs.writeFileSync(f, bytes);
    assert.match(await loadExpectingError(f, 'unsupported'), /binary/);
  });

  it('a truncated Parquet file', async () => {
    const good = path.join(BAD, 'demo.parquet');
    execFileSync(CLI, ['demo', path.join(BAD, 'demo.csv'), '--rows', '20000']);
    execFileSync(CLI, ['prepare', path.join(BAD, 'demo.csv'), good]);
    const bytes = fs.readFileSync(good);
    const f = path.join(BAD, 'truncated.parquet');
    fs.writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
    assert.match(await loadExpectingError(f, 'malformed'), /Parquet file is truncated or corrupted/);
  });

  it('a truncated gzip download', async () => {
    const z = zlib.gzipSync(HEADER + Array.from({ length: 3000 }, (_, i) => row(i + 1, '01/02/2017 10:00:00 AM')).join(''));
    const f = path.join(BAD, 'cut.csv.gz');
    fs.writeFileSync(f, z.subarray(0, Math.floor(z.length * 0.6)));
    assert.match(await loadExpectingError(f, 'truncated'), /ends early/);
  });

  // Gzip is inflated in the map worker beside the parse: its errors must read as in one worker.
  it('a corrupted gzip file, and a gzip file of the wrong columns', async () => {
    const z = zlib.gzipSync(HEADER + Array.from({ length: 3000 }, (_, i) => row(i + 1, '01/02/2017 10:00:00 AM')).join(''));
    for (let i = 40; i < 400; i++) z[i] ^= 0x5a;
    const bad = path.join(BAD, 'corrupt.csv.gz');
    fs.writeFileSync(bad, z);
    assert.match(await loadExpectingError(bad, 'malformed'), /gzip data is corrupted/);
    const wrong = path.join(BAD, 'wrong_columns.csv.gz');
    fs.writeFileSync(wrong, zlib.gzipSync('name,age\nann,31\n'));
    assert.match(await loadExpectingError(wrong, 'wrong_schema'), /could not find a date \(or date-time\) column, nor a crime-type column, nor coordinates/);
  });

  // Gzip is inflated by the browser's DecompressionStream; whether it reads past the first member
  // or stops there with an error, every row of every member is read (the core's inflater goes on
  // from where it stopped): files of bgzip or `cat a.gz b.gz`.
  it('a gzip file of two members loads the rows of both', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(i + 1, '01/02/2017 10:00:00 AM'));
    const f = path.join(BAD, 'two_members.csv.gz');
    fs.writeFileSync(f, Buffer.concat([zlib.gzipSync(HEADER + rows.slice(0, 1000).join('')), zlib.gzipSync(rows.slice(1000).join(''))]));
    await chooseFile(page, f);
    await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'two_members.csv.gz' && !document.querySelector('#progress'));
    assert.equal(await text(page, '#rows-read'), '3,000');
    assert.equal(await text(page, '#rows-clean'), '3,000');
    await page.click('#load-demo');
    await confirmReplace(page);
    await page.waitForFunction((n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'), baseline.name);
  });

  it('a file larger than the browser can hold is refused at once', async () => {
    // Sparse: 8 GiB on paper, no disk used; Chromium reads none of it before refusing.
    const f = path.join(BAD, 'huge.csv');
    const fd = fs.openSync(f, 'w');
    fs.ftruncateSync(fd, 8 * 1024 ** 3);
    fs.closeSync(fd);
    try {
      assert.match(await loadExpectingError(f, 'too_large'), /more than this browser tab can hold/);
    } finally {
      fs.rmSync(f);
    }
  });

  it('a file whose every row is unusable shows why, and keeps the dataset', async () => {
    const f = path.join(BAD, 'no_good_rows.csv');
    fs.writeFileSync(f, HEADER + row(1, 'yesterday') + row(2, 'soon'));
    const m = await loadExpectingError(f, 'nothing_kept', async () => {
      // The failed file's report is shown while the message is, so the analyst sees why.
      assert.equal(await page.getAttribute('#cleaning-report', 'data-failed'), 'true');
      assert.equal(await text(page, '#dropped-table tr[data-reason="unparsable_date"] td.num'), '2');
      await shot(page, 'bad-nothing-kept');
    });
    assert.match(m, /None of the 2 rows.*date not readable/);
    // Dismissed: the report of the dataset in use is back.
    assert.equal(await page.getAttribute('#cleaning-report', 'data-failed'), 'false');
  });

  it('a CSV with some unparsable rows loads the rest and counts what it dropped', async () => {
    const f = path.join(BAD, 'some_bad_rows.csv');
    const rows = [
      row(1, '01/02/2017 10:00:00 AM'),
      row(2, 'not a date'),
      row(3, '02/30/2017 10:00:00 AM'),
      row(4, '01/03/2017 11:00:00 PM', 'NaN', '-87.7'),
      row(5, '01/04/2017 09:00:00 AM', '0', '0'),
      // No degrees and no State Plane X/Y either (a row with X/Y alone is placed from them).
      row(6, '01/05/2017 09:00:00 AM', '', '').replace(',1176000,1900000,', ',,,'),
      row(1, '01/06/2017 09:00:00 AM'),
      '7,JA7,01/07/2017 09:00:00 AM,too,few,fields\n',
      row(8, '2017-01-08T09:00:00'),
    ];
    fs.writeFileSync(f, HEADER + rows.join(''));
    await chooseFile(page, f);
    await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'some_bad_rows.csv');
    assert.equal(await text(page, '#rows-read'), '9');
    assert.equal(await text(page, '#rows-clean'), '2');
    const dropped = async (k) => text(page, `#dropped-table tr[data-reason="${k}"] td.num`);
    assert.equal(await dropped('unparsable_date'), '2');
    assert.equal(await dropped('invalid_coordinates'), '1');
    assert.equal(await dropped('zero_coordinates'), '1');
    // Reasons with no row are left out of the table once any row was dropped.
    assert.equal(await page.locator('#dropped-table tr[data-reason="out_of_bounds"]').count(), 0);
    assert.equal(await dropped('missing_coordinates'), '1');
    assert.equal(await dropped('duplicate_id'), '1');
    assert.equal(await dropped('malformed_row'), '1');
    assert.match(await text(page, '.warnings'), /77\.8% of the rows were dropped/);
    await shot(page, 'bad-some-rows');
    assert.deepEqual(browser.errors, []);
  });
});
