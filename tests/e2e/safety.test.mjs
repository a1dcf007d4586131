// What an officer's analyst needs to trust the screen (issue #34): the loaded data kept on this
// device across reloads and never replaced without asking, the demo said to be synthetic, the
// dataset named on every page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import readline from 'node:readline';
import { serve, launch, openApp, loadFile, chooseFile, text, num, shot, settled, DATA, OUT } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const SMALL = path.join(OUT, 'chicago_small.csv');

/** The header and the first `rows` records of the real sample, written at test time. */
async function head(file, rows) {
  const lines = readline.createInterface({ input: fs.createReadStream(SAMPLE).pipe(zlib.createGunzip()) });
  const out = [];
  for await (const l of lines) {
    out.push(l);
    if (out.length > rows) break;
  }
  lines.close();
  fs.writeFileSync(file, out.join('\n') + '\n');
}

let server, browser, page;

describe('the loaded data is kept safe', () => {
  before(async () => {
    await head(SMALL, 5000);
    server = await serve({
      '/files/linked.csv': (req, res) => {
        res.writeHead(200, { 'content-type': 'text/csv' });
        fs.createReadStream(SMALL).pipe(res);
      },
    });
    browser = await launch();
  });
  after(async () => { await page?.close(); await browser?.close(); await server?.close(); });

  it('opens on the demo with a banner saying it is synthetic', async () => {
    page = await openApp(browser.context, server.url);
    assert.match(await text(page, '#demo-banner'), /^Demo data: synthetic incidents, not real crimes\./);
    assert.equal(await page.getAttribute('#dataset-line', 'data-source'), 'demo');
    assert.match(await text(page, '#footer'), /synthetic/);
    assert.equal(await page.locator('#forget-kept').count(), 0, 'nothing of the user\'s to forget');
  });

  it('keeps a loaded file across a reload, names it on every page, and forgets it on request', async () => {
    // Over the demo, nothing is asked.
    await loadFile(page, SMALL);
    await page.waitForSelector('#dataset-line[data-kept="kept"]');
    const rows = await text(page, '#rows-clean');
    const range = await text(page, '#date-range');
    assert.ok(num(rows) > 4_500, rows);
    assert.equal(await page.locator('#demo-banner').count(), 0, 'the demo banner goes with the demo');
    assert.doesNotMatch(await text(page, '#footer'), /synthetic/);
    assert.equal(await text(page, '#dataset-line-name'), 'chicago_small.csv');
    assert.equal(await text(page, '#dataset-line-rows'), rows);
    assert.equal(await text(page, '#dataset-line-range'), range.replace(/ \d\d:\d\d/g, ''));

    await page.reload();
    await page.waitForSelector('#restored-note', { timeout: 60_000 });
    await settled(page);
    assert.equal(await text(page, '#restored-note'), `Restored chicago_small.csv (${rows} incidents) from this device`);
    assert.equal(await text(page, '#dataset-name'), 'chicago_small.csv');
    assert.equal(await text(page, '#rows-clean'), rows);
    assert.equal(await page.locator('#demo-banner').count(), 0);
    for (const p of ['home', 'hotspots', 'patrol']) {
      await page.click(`#nav-${p}`);
      assert.equal(await text(page, '#dataset-line-name'), 'chicago_small.csv', p);
      assert.equal(await text(page, '#dataset-line-range'), range.replace(/ \d\d:\d\d/g, ''), p);
    }
    await shot(page, 'safety-restored');

    // Forget asks first; Escape keeps it, and so does Enter on the button that has the focus.
    await page.click('#forget-kept');
    await page.waitForSelector('#replace-dialog[open]');
    assert.match(await text(page, '#replace-title'), /^Forget chicago_small\.csv\?$/);
    await shot(page, 'safety-forget-question');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#replace-dialog:not([open])', { state: 'attached' });
    await page.click('#forget-kept');
    await page.waitForSelector('#replace-dialog[open]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'replace-no', 'the safe answer has the focus');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#replace-dialog:not([open])', { state: 'attached' });
    assert.equal(await text(page, '#dataset-line-name'), 'chicago_small.csv');
    // Tab to "Forget it", Enter.
    await page.click('#forget-kept');
    await page.waitForSelector('#replace-dialog[open]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'replace-yes');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#demo-banner', { timeout: 60_000 });
    await page.reload();
    await page.waitForSelector('#demo-banner', { timeout: 60_000 });
    assert.equal(await page.locator('#restored-note').count(), 0, 'nothing restored once forgotten');
  });

  it('asks before the user\'s data is replaced by the demo or another file', async () => {
    await loadFile(page, SMALL);
    await page.click('#nav-overview');
    await page.click('#load-demo');
    await page.waitForSelector('#replace-dialog[open]');
    assert.match(await text(page, '#replace-title'), /^Replace chicago_small\.csv \([\d,]+ incidents\) with the demo data\?$/);
    await page.click('#replace-no');
    await page.waitForTimeout(300);
    assert.equal(await text(page, '#dataset-name'), 'chicago_small.csv', 'kept when the user says keep');

    const other = path.join(OUT, 'chicago_smaller.csv');
    await head(other, 1000);
    await page.setInputFiles('#file-input', other);
    await page.waitForSelector('#replace-dialog[open]');
    assert.match(await text(page, '#replace-title'), /with chicago_smaller\.csv\?$/);
    await page.click('#replace-yes');
    await page.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'chicago_smaller.csv');
    await page.waitForSelector('#dataset-line[data-kept="kept"]');
    // The demo, answered "replace".
    await page.click('#load-demo');
    await page.waitForSelector('#replace-dialog[open]');
    await page.click('#replace-yes');
    await page.waitForSelector('#demo-banner', { timeout: 60_000 });
    assert.equal(await page.locator('#forget-kept').count(), 0);
  });

  it('a ?data= link loads its data without touching what is kept; a full storage is said', async () => {
    await chooseFile(page, SMALL);
    await page.waitForSelector('#dataset-line[data-kept="kept"]', { timeout: 60_000 });
    const linked = await openApp(browser.context, `${server.url}?data=${encodeURIComponent(`${server.url}files/linked.csv`)}`,
      { waitForDataset: false });
    await linked.waitForFunction(() => document.querySelector('#dataset-name')?.textContent === 'linked.csv', null, { timeout: 60_000 });
    assert.equal(await linked.getAttribute('#dataset-line', 'data-kept'), 'link');
    await linked.close();
    // Opened without the link, the kept file is back.
    const plain = await openApp(browser.context, server.url, { waitForDataset: false });
    await plain.waitForSelector('#restored-note', { timeout: 60_000 });
    await plain.close();

    // A browser that grants too little space: the file stays loaded and the page says it is not kept.
    const tight = await browser.context.newPage();
    await tight.addInitScript(() => {
      navigator.storage.estimate = async () => ({ quota: 100_000, usage: 90_000 });
    });
    await tight.goto(`${server.url}#overview`);
    await tight.waitForSelector('#filter-status', { timeout: 60_000 });
    await loadFile(tight, SMALL);
    await tight.waitForSelector('#dataset-line[data-kept="failed"]');
    assert.match(await text(tight, '#kept-note'), /chicago_small\.csv is not kept on this device: it needs \d+ MB and the browser grants this site 1 MB more/);
    await shot(tight, 'safety-quota');
    await tight.close();
  });
});
