// The bad-input corpus (tests/corpus) in real headless Chromium: each file refused with the kind
// and a message that expected.json names while the dataset loaded before stays loaded, or loaded
// with the rows it names; then the degenerate ones (one row, two rows, identical rows, one type)
// go through the analyses of every page, each giving a result or a message, never a dead tab.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, loadFile, chooseFile, text, num, shot, ROOT } from './harness.mjs';

const CORPUS = path.join(ROOT, 'tests/corpus');
const expected = JSON.parse(fs.readFileSync(path.join(CORPUS, 'expected.json'), 'utf8'));

let server, browser, page;

async function current() {
  return { name: await text(page, '#dataset-name'), rows: await text(page, '#kpi-rows .kpi-value') };
}

/** Waits until one of the page's selectors shows: the result or the error of an analysis. */
async function outcome(result, error) {
  await page.waitForSelector(`${result}, ${error}`, { timeout: 120_000 });
  if (await page.$(error)) return { error: await text(page, error) };
  return { ok: true };
}

describe('the bad-input corpus in the browser', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('each file gets its outcome, and a refused file leaves the dataset loaded', async () => {
    for (const [name, want] of Object.entries(expected)) {
      const before = await current();
      const file = path.join(CORPUS, name);
      await chooseFile(page, file);
      await page.waitForFunction(
        (n) => document.querySelector('#load-error') || (document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress')),
        name, { timeout: 60_000 });
      const error = await page.$('#load-error');
      if (error) {
        const kind = await page.getAttribute('#load-error', 'data-kind');
        const message = await text(page, '#load-error .message');
        assert.ok(want.error || want.error_any || want.error_or_rows, `${name} (${want.why}) was refused: ${message}`);
        if (want.error) assert.equal(kind, want.error, `${name}: ${message}`);
        assert.ok(message.length > 10, `${name}: a message in words`);
        assert.deepEqual(await current(), before, `${name}: the dataset before stays loaded`);
        await page.click('#load-error button');
      } else {
        assert.ok(!want.error && !want.error_any, `${name} (${want.why}) should have been refused`);
        await page.waitForSelector('#filter-status[data-busy="false"][data-ms]', { timeout: 60_000 });
        const rows = num(await text(page, '#kpi-rows .kpi-value'));
        if (want.rows !== undefined) assert.equal(rows, want.rows, name);
        if (want.rows_at_least !== undefined) assert.ok(rows >= want.rows_at_least, `${name}: ${rows}`);
      }
    }
    await shot(page, 'corpus-last');
  });

  for (const name of ['one_row.csv', 'two_rows.csv', 'identical_rows.csv', 'one_type.csv']) {
    it(`${name}: every page's analysis gives a result or a message`, async () => {
      await loadFile(page, path.join(CORPUS, name));
      const checks = [
        ['hotspots', '#cluster-results', '#cluster-error, .task-error, [role="alert"]'],
        ['when', '#temporal-results', '.task-error, [role="alert"]'],
        ['shape', '#pca-results', '.task-error, [role="alert"]'],
        ['patrol', '#risk-result', '.task-error, .form-error, [role="alert"]'],
        ['heatmaps', '#hm-result', '.task-error, [role="alert"]'],
        ['home', '#home-expected', '.task-error, [role="alert"]'],
      ];
      const seen = [];
      for (const [slug, result, error] of checks) {
        await page.click(`#nav-${slug}`);
        const o = await outcome(result, error);
        seen.push(`${slug}: ${o.ok ? 'result' : o.error}`);
        if (!o.ok) assert.ok(o.error.length > 10, `${name} ${slug}: a message in words`);
      }
      await page.click('#nav-backtest');
      await page.click('#bt-run');
      const bt = await outcome('#bt-result', '.task-error, [role="alert"]');
      seen.push(`backtest: ${bt.ok ? 'result' : bt.error}`);
      console.log(`# ${name}: ${seen.join(' | ')}`);
      // The tab is alive: the filter bar still answers.
      assert.equal(await page.locator('#fault').count(), 0);
      await page.click('#nav-overview');
      assert.equal(await text(page, '#dataset-name'), name);
      await shot(page, `corpus-${name.replace('.csv', '')}`);
    });
  }
});
