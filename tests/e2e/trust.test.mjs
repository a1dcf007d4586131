// A tool officers can rely on, in real headless Chromium: a strict Content-Security-Policy with no
// violation; no request leaves the site while a local file is loaded and every analysis runs; text
// from data files is shown as text, never run as HTML; a panic shows a notice with a way back and
// the run log survives it; the app opens and analyses offline after the first visit; it is an
// installable web app; and every page fits a phone and a tablet in both orientations.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, openApp, loadFile, settled, text, shot, OUT, DATA } from './harness.mjs';

const SAMPLE = path.join(DATA, 'chicago_crimes_sample.csv.gz');
const PAGES = ['home', 'overview', 'explore', 'hotspots', 'when', 'shape', 'heatmaps', 'patrol', 'backtest', 'features', 'experiments'];

let server, browser, page;
const requests = [];

/** The first `n` records of the real sample, as a CSV in test-results (never committed). */
function head(n) {
  const file = path.join(OUT, `sample-head-${n}.csv`);
  if (!fs.existsSync(file)) {
    const lines = zlib.gunzipSync(fs.readFileSync(SAMPLE)).toString('utf8').split('\n');
    fs.writeFileSync(file, lines.slice(0, n + 1).join('\n') + '\n');
  }
  return file;
}

async function go(slug) {
  await page.click(`#nav-${slug}`);
  await page.waitForFunction((s) => location.hash === `#${s}`, slug);
}

async function runCount() {
  await go('experiments');
  await page.waitForSelector('#runs-count');
  return page.locator('#runs-table tbody tr').count();
}

describe('trust: privacy, faults, offline, devices', () => {
  before(async () => {
    server = await serve();
    browser = await launch();
    browser.context.on('request', (r) => requests.push(r.url()));
    // Counts CSP violations in every page (an init script is not subject to the page's CSP).
    await browser.context.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    page = await openApp(browser.context, server.url);
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('a local file loaded and analysed on every page sends nothing off the site, under a strict CSP', async () => {
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'/);
    assert.doesNotMatch(csp, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/, 'no eval, no inline script but the hashed one');
    assert.ok(requests.some((u) => u.endsWith('_bg.wasm')), 'the listener sees the site\'s own requests');
    requests.length = 0;
    await loadFile(page, head(20_000));
    const waitFor = (sel) => page.waitForSelector(sel, { timeout: 180_000 });
    await go('explore');
    await go('hotspots');
    await waitFor('#cluster-results');
    await go('when');
    await waitFor('#temporal-results');
    await go('shape');
    await waitFor('#pca-results');
    await go('heatmaps');
    await waitFor('#hm-result');
    await go('patrol');
    await waitFor('#risk-result');
    await page.waitForSelector('#route-run:not([disabled])');
    await page.click('#route-run');
    await waitFor('#route-result');
    await go('backtest');
    await page.click('#bt-run');
    await waitFor('#bt-result');
    await go('home');
    await waitFor('#home-expected');
    assert.ok(await runCount() >= 6, 'the analyses were logged');
    const origin = server.url;
    const away = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(away, [], 'no request left the site');
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
  });

  it('text from a data file is shown as text, never run as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const header = 'ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location\n';
    let csv = header;
    for (let i = 0; i < 60; i++) {
      const d = `01/${String(1 + (i % 28)).padStart(2, '0')}/2017 0${i % 10}:15:00 PM`;
      csv += `${i},JA${i},${d},"${evil.replace(/"/g, '""')} BLOCK",0820,"<b>THEFT</b>","${evil.replace(/"/g, '""')}","<script>window.__pwned=2</script>",false,false,0111,001,42,32,06,1176000,1900000,2017,,41.8${i % 10},-87.6${i % 7},\n`;
    }
    const file = path.join(OUT, 'html-in-data.csv');
    fs.writeFileSync(file, csv);
    await loadFile(page, file);
    for (const slug of ['overview', 'explore', 'hotspots', 'home']) {
      await go(slug);
      await settled(page);
      await page.waitForTimeout(500);
    }
    await go('explore');
    await page.waitForFunction(() => document.body.innerText.includes('<script>window.__pwned=2</script>'), null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing from the file ran');
    assert.equal(await page.locator('img[src="x"], b:text("THEFT")').count(), 0, 'no element was made from the file');
    await shot(page, 'trust-html-as-text');
  });

  it('a panic shows a notice with a way back, and the run log survives it', async () => {
    const before = await runCount();
    assert.ok(before > 0);
    await page.evaluate(() => { try { window.wasmBindings.patroliq_test_panic(); } catch { /* the trap */ } });
    await page.waitForSelector('#fault');
    assert.match(await text(page, '#fault-detail'), /a test of the panic notice/);
    assert.match(await text(page, '#fault'), /experiment log is safe/);
    await shot(page, 'trust-panic');
    await page.click('#fault-reload');
    await page.waitForSelector('#filter-status', { timeout: 60_000 });
    assert.equal(await page.locator('#fault').count(), 0);
    assert.equal(await runCount(), before, 'every logged run is still there');
  });

  it('opens and analyses with no network after the first visit', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready);
    // The first visit was not controlled by the worker; from the next load on it is.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys.find((k) => k.startsWith('patroliq-')));
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    assert.ok(cached.some((p) => p.endsWith('_bg.wasm')) && cached.some((p) => p.endsWith('worker_bg.wasm')), cached.join(' '));
    await browser.context.setOffline(true);
    try {
      requests.length = 0;
      await page.goto(`${server.url}#hotspots`);
      await page.waitForSelector('#filter-status', { timeout: 60_000 });
      await page.waitForSelector('#cluster-results', { timeout: 120_000 });
      assert.match(await text(page, '#cluster-results h2'), /(hotspots|areas) of [\d,]+ incidents/);
      await shot(page, 'trust-offline');
      // Offline, the briefing's map still has the city under it: roads, districts, area names.
      await page.click('#nav-home');
      await page.waitForSelector('#briefing[data-run]', { timeout: 60_000 });
      await page.waitForFunction(() => [...document.querySelectorAll('#home-map .scatterlayer .trace text')]
        .some((t) => t.textContent === 'Loop'), null, { timeout: 30_000 });
      await shot(page, 'trust-offline-briefing');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('is an installable web app', async () => {
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel="manifest"]');
      const m = await (await fetch(link.href)).json();
      const icons = [];
      for (const i of m.icons) {
        const r = await fetch(new URL(i.src, link.href));
        icons.push({ ...i, status: r.status, type: r.headers.get('content-type') });
      }
      return { ...m, icons };
    });
    assert.equal(manifest.short_name, 'PatrolIQ');
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.icons.every((i) => i.status === 200), JSON.stringify(manifest.icons));
    assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable'));
    assert.ok(manifest.icons.some((i) => i.sizes === '192x192'));
  });

  it('every page fits a phone and a 10-inch tablet in both orientations, with large touch targets', async () => {
    for (const [w, h, name] of [[390, 844, 'phone'], [1280, 800, 'tablet-landscape'], [800, 1280, 'tablet-portrait']]) {
      await page.setViewportSize({ width: w, height: h });
      for (const slug of PAGES) {
        await page.goto(`${server.url}#${slug}`);
        await page.waitForSelector('#filter-status', { timeout: 60_000 });
        await page.waitForTimeout(300);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= w + 1, `${slug} on a ${name} (${w}px) is ${wide}px wide`);
        const small = await page.$$eval('main button:not(.ghost), main select, main input:not([type="checkbox"]):not([type="radio"]):not([type="file"])',
          (els) => els.filter((e) => e.offsetParent !== null).map((e) => [e.id || e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height]).filter(([, hgt]) => hgt < 36));
        assert.deepEqual(small, [], `${slug} on a ${name}: controls under 36 px high`);
      }
      await shot(page, `trust-${name}-home`);
    }
  });
});
