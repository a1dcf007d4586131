// Which column is which, chosen by the user (issue #37), end to end in Chromium: mappings an older
// version kept in localStorage moved to IndexedDB and used, for the file they name and for another
// file of the same columns; new columns that cannot be used leaving the data loaded as it was; and the NYPD sample, read as NYPD's layout (type OFNS_DESC), given
// PD_DESC as its type by *Change columns…* — the report and the type counts follow, the browser
// keeps what the CLI keeps with the saved mapping, and the mapping is remembered across a reload.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, loadFile, chooseFile, confirmReplace, settled, text, num, shot, cli, DATA, OUT } from './harness.mjs';

const NYC = path.join(DATA, 'exports', 'nyc_nypd_complaint_historic_2010_sample.csv');
let server, browser, page;

/** The column mappings in IndexedDB (`patroliq-columns`), key → mapping. */
async function remembered(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('patroliq-columns');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('mappings')) { db.close(); return resolve({}); }
      const store = db.transaction('mappings').objectStore('mappings');
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        db.close();
        resolve(Object.fromEntries(keys.result.map((k, i) => [k, JSON.parse(values.result[i])])));
      };
    };
  }));
}

/** The column the report says fed `role`. */
const column = (page, role) => text(page, `#columns-table tr[data-role="${role}"] td:nth-child(2)`);

/** Waits for the file `name` on screen with nothing loading, or fails at once on a load error. */
async function loadedOrFailed(page, name, timeout = 60_000) {
  await page.waitForFunction(
    (n) => document.querySelector('#load-error')
      || (document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress')),
    name, { timeout });
  if (await page.$('#load-error')) assert.fail(`the load failed: ${await text(page, '#load-error .message')}`);
  await settled(page);
}

describe('the columns of a file, chosen by the user and remembered', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  // Columns no name list knows; the type and coordinates need the user. 400 incidents around LA.
  const unknown = path.join(OUT, 'columns_unknown.csv');
  const kinds = ['THEFT', 'ROBBERY', 'BURGLARY', 'ASSAULT'];
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(unknown, 'ref,when,what,y_deg,x_deg\n' + Array.from({ length: 400 }, (_, i) => {
    const lat = (34.0 + ((i * 37) % 100) / 1000 + (i % 3) * 0.02).toFixed(5);
    const lon = (-118.3 - ((i * 53) % 100) / 1000 - (i % 2) * 0.03).toFixed(5);
    return `${i + 1},2019-03-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:15,${kinds[i % 4]},${lat},${lon}`;
  }).join('\n') + '\n');

  it('moves the mappings an older version kept in localStorage to IndexedDB, and uses them', async () => {
    // As the previous version wrote them; an entry that does not read is dropped, not fatal.
    await page.evaluate((name) => localStorage.setItem('patroliq.columns', JSON.stringify({
      [`name:${name}`]: { columns: { type: 'what', latitude: 'y_deg', longitude: 'x_deg' } },
      'header:ref|when|what': 'not a mapping',
    })), path.basename(unknown));
    await page.setInputFiles('#file-input', unknown);
    // Without the mapping this file fails (the next test's CLI check shows why): no questions.
    await loadedOrFailed(page, path.basename(unknown));
    assert.equal(num(await text(page, '#rows-clean')), 400);
    assert.equal(await column(page, 'type'), 'what');
    assert.equal(await column(page, 'latitude'), 'y_deg');
    assert.equal(await page.evaluate(() => localStorage.getItem('patroliq.columns')), null, 'moved once, then gone');
    const kept = await remembered(page);
    assert.deepEqual(kept[`name:${path.basename(unknown)}`], { columns: { type: 'what', latitude: 'y_deg', longitude: 'x_deg' } });
    assert.equal(kept['header:ref|when|what'], undefined);
    assert.deepEqual(browser.errors, []);
  });

  it('a file of the same columns under another name is read with them, no question asked', async () => {
    // Next month's export: the same header, other rows, another name.
    const next = path.join(OUT, 'columns_unknown_next.csv');
    const lines = fs.readFileSync(unknown, 'utf8').trim().split('\n');
    fs.writeFileSync(next, [lines[0], ...lines.slice(1, 251)].join('\n') + '\n');
    await chooseFile(page, next);
    await loadedOrFailed(page, path.basename(next));
    assert.equal(num(await text(page, '#rows-clean')), 250);
    assert.equal(await column(page, 'type'), 'what');
    assert.equal((await remembered(page))[`name:${path.basename(next)}`]?.columns.type, 'what');
    // Back to the first file for the next test (by its name).
    await chooseFile(page, unknown);
    await loadedOrFailed(page, path.basename(unknown));
    assert.equal(num(await text(page, '#rows-clean')), 400);
    assert.deepEqual(browser.errors, []);
  });

  it('new columns that cannot be used leave the data loaded as it was, and say what to do', async () => {
    // A record number is not a latitude: detection sets it aside and finds none.
    const bad = path.join(OUT, 'columns_bad.json');
    fs.writeFileSync(bad, JSON.stringify({ columns: { type: 'what', latitude: 'ref', longitude: 'x_deg' } }));
    assert.throws(() => cli(['validate', unknown, '--columns', bad, '--json']), 'the CLI refuses it too');
    await page.click('#change-columns');
    await page.waitForSelector('#column-changer');
    await page.selectOption('#changer-table tr[data-column="ref"] select', 'latitude');
    // One column per role: y_deg gave latitude up.
    assert.equal(await page.inputValue('#changer-table tr[data-column="y_deg"] select'), '');
    await page.click('#changer-load');
    await page.waitForSelector('#load-error', { timeout: 30_000 });
    assert.equal(await page.getAttribute('#load-error', 'data-kind'), 'wrong_schema');
    assert.match(await text(page, '#load-error .message'), /^The columns you chose could not be used: .*coordinates.* Choose other columns below/);
    assert.match(await text(page, '#load-error .kept'), /columns_unknown\.csv\) is still loaded/);
    // Said where the user is: the button was far down the page, the message is at its top.
    const top = await page.evaluate(() => document.querySelector('#load-error').getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 200, `the message is brought into view (top ${top}px)`);
    // The data loaded before is untouched, and the mapper under the error starts from the choice.
    assert.equal(num(await text(page, '#rows-clean')), 400);
    assert.equal(await column(page, 'latitude'), 'y_deg');
    assert.equal(await page.inputValue('#mapper-table tr[data-column="ref"] select'), 'latitude');
    await shot(page, 'columns-refused');
    await page.screenshot({ path: path.join(OUT, 'columns-refused-top.png') });
    // Not remembered: a choice that did not load is not offered again.
    assert.deepEqual((await remembered(page))[`name:${path.basename(unknown)}`].columns.latitude, 'y_deg');
    await page.click('#load-error button[aria-label="Dismiss"]');
    assert.equal(await page.$('#column-mapper'), null);
    assert.deepEqual(browser.errors, []);
  });

  it('Change columns… reads the NYPD sample with PD_DESC as its type; the choice is remembered', async () => {
    await loadFile(page, NYC);
    const detected = cli(['validate', NYC, '--json']);
    assert.equal(await page.getAttribute('#read-as', 'data-layout'), 'nypd_complaint');
    assert.equal(await column(page, 'type'), 'OFNS_DESC');
    assert.equal(num(await text(page, '#primary-types')), detected.primary_types);
    assert.equal(num(await text(page, '#kpi-types .kpi-value')), detected.primary_types);

    // Opened on the roles the file was read as; the keyboard lands on it.
    const button = await page.locator('#change-columns').boundingBox();
    assert.ok(button.height >= 44, `the button is a touch target: ${button.height}px`);
    await page.click('#change-columns');
    await page.waitForSelector('#column-changer');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'column-changer-title');
    assert.equal(await page.getAttribute('#change-columns', 'aria-expanded'), 'true');
    assert.equal(await page.locator('#changer-table tbody tr').count(), 35);
    assert.equal(await page.inputValue('#changer-table tr[data-column="OFNS_DESC"] select'), 'type');
    assert.equal(await page.inputValue('#changer-table tr[data-column="PD_DESC"] select'), 'description');
    assert.equal(await page.inputValue('#changer-table tr[data-column="CMPLNT_FR_TM"] select'), 'time');
    const select = page.locator('#changer-table tr[data-column="PD_DESC"] select');
    assert.equal(await select.getAttribute('aria-label'), 'Role of column PD_DESC');
    assert.ok((await select.boundingBox()).height >= 44);
    assert.ok(await page.isDisabled('#changer-load'), 'nothing changed yet');
    // Escape closes it, and the focus goes back to the button.
    await page.keyboard.press('Escape');
    await page.waitForSelector('#column-changer', { state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'change-columns');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#column-changer');

    // PD_DESC (142 detailed offences) rather than OFNS_DESC (its 37 categories).
    await page.selectOption('#changer-table tr[data-column="PD_DESC"] select', 'type');
    assert.equal(await page.inputValue('#changer-table tr[data-column="OFNS_DESC"] select'), '');
    assert.equal(await text(page, '#changer-missing'), '');
    await shot(page, 'columns-change');
    await page.locator('#column-changer').screenshot({ path: path.join(OUT, 'columns-change-mapper.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#changer-save')]);
    const mapping = path.join(OUT, 'columns_nyc_mapping.json');
    await download.saveAs(mapping);
    const native = cli(['validate', NYC, '--columns', mapping, '--json']);
    assert.equal(native.columns.type, 'PD_DESC');
    assert.ok(native.primary_types > detected.primary_types + 50, `${native.primary_types} types`);

    await page.click('#changer-load');
    await page.waitForFunction(
      () => document.querySelector('#columns-table tr[data-role="type"] td:nth-child(2)')?.textContent === 'PD_DESC'
        && !document.querySelector('#progress'), null, { timeout: 60_000 });
    await settled(page);
    assert.equal(await page.$('#load-error'), null);
    assert.equal(await page.$('#column-changer'), null, 'closed once loaded');
    assert.equal(num(await text(page, '#rows-clean')), native.rows_clean);
    assert.equal(num(await text(page, '#primary-types')), native.primary_types);
    assert.equal(num(await text(page, '#kpi-types .kpi-value')), native.primary_types);
    await shot(page, 'columns-changed');
    await page.locator('#cleaning-report').screenshot({ path: path.join(OUT, 'columns-changed-report.png') });

    // Remembered in IndexedDB under the file's name and its header.
    const kept = await remembered(page);
    const byName = kept[`name:${path.basename(NYC)}`];
    assert.equal(byName?.columns.type, 'PD_DESC');
    const byHeader = Object.entries(kept).find(([k]) => k.startsWith('header:cmplntnum|cmplntfrdt|'));
    assert.deepEqual(byHeader?.[1], byName);

    // A reload restores the file with its columns.
    await page.reload();
    await page.waitForSelector('#filter-status', { timeout: 60_000 });
    await settled(page);
    assert.equal(await text(page, '#dataset-name'), path.basename(NYC));
    assert.equal(await column(page, 'type'), 'PD_DESC');
    assert.equal(num(await text(page, '#primary-types')), native.primary_types);

    // Picked again after the demo (so that nothing of the NYPD load is on screen): read with
    // the columns remembered for its name.
    await page.click('#load-demo');
    assert.ok(await confirmReplace(page), 'the demo replaces the user\'s data only when asked');
    await page.waitForFunction(() => !document.querySelector('#progress')
      && document.querySelector('#dataset-name')?.textContent.startsWith('demo'), null, { timeout: 60_000 });
    await chooseFile(page, NYC);
    await loadedOrFailed(page, path.basename(NYC));
    assert.equal(await column(page, 'type'), 'PD_DESC');
    assert.equal(num(await text(page, '#kpi-types .kpi-value')), native.primary_types);
    await shot(page, 'columns-remembered');
    assert.deepEqual(browser.errors, []);
  });

  it('a mapping lookup that never answers delays a load by two seconds at most, then reads the file by itself', async () => {
    // A database that never opens (held by another tab's upgrade, say): the lookup is abandoned.
    const stuck = await browser.context.newPage();
    await stuck.addInitScript(() => {
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (name, ...rest) {
        return name === 'patroliq-columns' ? {} : open.call(this, name, ...rest);
      };
    });
    await stuck.goto(`${server.url}#overview`);
    await stuck.waitForSelector('#filter-status', { timeout: 60_000 });
    await settled(stuck);
    await stuck.setInputFiles('#file-input', NYC);
    const t0 = Date.now();
    await confirmReplace(stuck);
    await stuck.waitForFunction(
      () => document.querySelector('#columns-table tr[data-role="type"] td:nth-child(2)')?.textContent === 'OFNS_DESC'
        && !document.querySelector('#progress'), null, { timeout: 30_000 });
    const waited = Date.now() - t0;
    assert.ok(waited >= 1900 && waited < 15_000, `loaded by detection after the lookup gave up: ${waited} ms`);
    assert.equal(await stuck.$('#load-error'), null);
    await stuck.close();
    assert.deepEqual(browser.errors, []);
  });
});
