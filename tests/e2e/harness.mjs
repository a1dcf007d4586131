// Shared end-to-end harness: serves the built site (dist/) on 127.0.0.1 beside test-only routes,
// and launches Debian's Chromium through playwright-core with the flags this machine needs.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const DATA = process.env.PATROLIQ_DATA_DIR || path.resolve(ROOT, '../shared/data');
export const OUT = path.join(ROOT, 'test-results');
fs.mkdirSync(OUT, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.csv': 'text/csv', '.gz': 'application/gzip',
  '.parquet': 'application/octet-stream', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/**
 * Starts the static server. `routes` maps a path to a handler (req, res, url) for test-only
 * endpoints (e.g. a fake Chicago Data Portal). Returns { url, close, requests }.
 */
export async function serve(routes = {}) {
  // Under tests/e2e/run.mjs the site is served once for every file; a file with test-only routes
  // (a fake portal) still gets a server of its own.
  const shared = process.env.PATROLIQ_E2E_URL;
  if (shared && Object.keys(routes).length === 0) return { url: shared, requests: [], close: async () => {} };
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const route = routes[url.pathname];
    if (route) return route(req, res, url);
    let file = path.join(DIST, decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST)) { res.writeHead(403); return res.end(); }
    if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404); return res.end('not found'); }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-length': st.size,
      });
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}

// Debian's Chromium with the flags this machine needs.
const CHROMIUM = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};
const CONTEXT = { viewport: { width: 1280, height: 900 }, acceptDownloads: true };

/** Starts one Chromium (a fresh temporary profile) that test files connect to (run.mjs). */
export async function launchServer() {
  return chromium.launchServer(CHROMIUM);
}

/**
 * A fresh browser context for one test file: on the browser run.mjs started when there is one
 * (a new context has its own storage, cache and service workers, as a fresh profile does),
 * otherwise on a Chromium of its own with a fresh --user-data-dir. `own: true` always starts one:
 * a file given to a shared browser is streamed to it whole, which a test of a 3 GiB sparse file
 * cannot afford (a browser of its own reads the file from disk, and refuses it unread).
 * `context` overrides the context's settings (e.g. a touch tablet's viewport and `hasTouch`).
 */
export async function launch({ own = false, context: options = {} } = {}) {
  let context, done;
  // `options`: the context's own settings over the defaults (a tablet: viewport, hasTouch).
  const settings = { ...CONTEXT, ...options };
  if (process.env.PATROLIQ_E2E_WS && !own) {
    const browser = await chromium.connect(process.env.PATROLIQ_E2E_WS);
    context = await browser.newContext(settings);
    done = async () => { await context.close(); await browser.close(); };
  } else {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroliq-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { ...CHROMIUM, ...settings });
    done = async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); };
  }
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  return { context, errors, close: done };
}

/**
 * Opens the app and waits until a dataset is summarised (the demo, by default). Without a hash
 * in `url` it opens the Data page (`page`), where the file input is; `page: null` opens the
 * app's own start page (the briefing).
 */
export async function openApp(context, url, { waitForDataset = true, page: start = 'overview' } = {}) {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  await page.goto(url.includes('#') || start === null ? url : `${url}#${start}`);
  if (waitForDataset) {
    // The filter bar is on every page once a dataset is loaded.
    await page.waitForSelector('#filter-status', { timeout: 60_000 });
    await settled(page);
  }
  return page;
}

/** Waits until the analysis of the current dataset and filter has arrived. */
export async function settled(page, timeout = 60_000) {
  await page.waitForSelector('#filter-status[data-busy="false"][data-ms]', { timeout });
}

/** Text of an element, trimmed. */
export async function text(page, sel) {
  return (await page.locator(sel).first().textContent()).trim();
}

/** "495,829" → 495829 */
export function num(s) { return Number(String(s).replace(/[^0-9.-]/g, '')); }

export async function shot(page, name) {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Answers "Replace the loaded data?" with Replace when the page asks it (it asks when the user's
 * own data is loaded, not over the demo). The question is put within a frame of the click or
 * file choice that caused it, so one frame and a task later it is either open or not coming.
 */
export async function confirmReplace(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  if (await page.$('#replace-dialog[open]')) {
    await page.click('#replace-yes');
    await page.waitForSelector('#replace-dialog:not([open])', { state: 'attached' });
    return true;
  }
  return false;
}

/** Chooses `file` in the Data page's file input, replacing the loaded data if asked. */
export async function chooseFile(page, file) {
  await page.setInputFiles('#file-input', file);
  return confirmReplace(page);
}

/** Loads a local file through the file input and waits for its analysis. */
export async function loadFile(page, file, timeout = 120_000) {
  if (!(await page.$('#file-input'))) {
    await page.click('#nav-overview');
    await page.waitForSelector('#file-input');
  }
  await chooseFile(page, file);
  await page.waitForFunction(
    (n) => document.querySelector('#dataset-name')?.textContent === n && !document.querySelector('#progress'),
    path.basename(file), { timeout });
  await settled(page, timeout);
}

/**
 * Where a download is on this machine: saved into test-results under its suggested name
 * (`download.path()` is not available on a browser run.mjs shares: it lives with the browser).
 */
export async function saved(download) {
  const file = path.join(OUT, `download-${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return file;
}

/** The native CLI's JSON answer (target/release/patroliq). */
export function cli(args) {
  return JSON.parse(execFileSync(path.join(ROOT, 'target/release/patroliq'), [...args], { maxBuffer: 64 << 20 }).toString());
}

/** Waits for a new result in `sel` (its data-run changes) once `click` is clicked. */
export async function rerun(page, sel, click, progress, timeout = 180_000) {
  const before = await page.getAttribute(sel, 'data-run').catch(() => null);
  await page.click(click);
  await page.waitForFunction(
    ([sel, progress, before]) => {
      const r = document.querySelector(sel);
      return !document.querySelector(progress) && r && r.dataset.run !== before;
    },
    [sel, progress, before], { timeout });
}

/**
 * Hovers over a point of a chart drawn as a picture (chart.rs: its points are pixels, their hover
 * text a trace that draws nothing) and returns { shown, expected }: the text of the hover label
 * that appears and the hover text of the point hovered, read from the figure.
 */
export async function hoverPictured(page, id) {
  // The point is chosen where the plot stands now; a plot still settling (a late resize after the
  // picture or the legend is drawn) would move it from under the pointer: chosen again until two
  // choices 300 ms apart agree.
  let target = await pictured(page, id);
  for (let tries = 0; tries < 10; tries++) {
    await page.waitForTimeout(300);
    const again = await pictured(page, id);
    if (again && target && again.x === target.x && again.y === target.y) break;
    target = again;
  }
  if (!target) throw new Error(`${id}: no pictured point to hover`);
  // A label left from an earlier hover of the same chart would be read as this one's.
  await page.mouse.move(0, 0);
  await page.waitForFunction((id) => !document.querySelector(`#${id} .hoverlayer .hovertext`), id, { timeout: 5_000 });
  await page.locator(`#${id}`).hover({ position: { x: target.x, y: target.y } });
  const label = page.locator(`#${id} .hoverlayer .hovertext`).first();
  await label.waitFor({ timeout: 5_000 });
  return { shown: (await label.textContent()).trim(), expected: target.text };
}

/** A hover point of `id`'s pictured traces with no other within Plotly's hover distance (20 px)
 * and a margin, so that the one nearest the pointer is surely it; its position in the plot. */
async function pictured(page, id) {
  return page.evaluate((id) => {
    const gd = document.getElementById(id);
    const fl = gd._fullLayout;
    const hover = gd.data.filter((d) => d.mode === 'none' && d.hoveron === 'points');
    const at = (d, i) => [fl.xaxis.l2p(d.x[i]) + fl.xaxis._offset, fl.yaxis.l2p(d.y[i]) + fl.yaxis._offset];
    const all = hover.flatMap((d) => d.x.map((_, i) => at(d, i)));
    // The widest margin some point has: 24 px, else 12 (a crowded map).
    for (const r of [24, 12]) {
      for (const d of hover) {
        for (let i = 0; i < d.x.length; i++) {
          const [x, y] = at(d, i);
          if (all.filter(([u, v]) => Math.hypot(u - x, v - y) < r).length === 1) {
            return { x, y, text: Array.isArray(d.hovertext) ? d.hovertext[i] : null };
          }
        }
      }
    }
    return null;
  }, id);
}
