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

/** Every Plotly chart of the page, scrolled to the top of the screen in turn (where a sticky bar
 * would sit over its title and legend): the filter bar's box never meets the chart's. */
async function filterBarClear(p, where) {
  const ids = await p.$$eval('.js-plotly-plot', (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.id));
  assert.ok(ids.length >= 1, `${where}: charts drawn`);
  for (const id of ids) {
    await p.evaluate((id) => {
      const e = document.getElementById(id);
      window.scrollTo(0, window.scrollY + e.getBoundingClientRect().top - 4);
    }, id);
    const [bar, chart] = await Promise.all(['#filters', `#${id}`].map((s) => p.locator(s).boundingBox()));
    const meet = bar && bar.y < chart.y + chart.height && chart.y < bar.y + bar.height
      && bar.x < chart.x + chart.width && chart.x < bar.x + bar.width;
    assert.ok(!meet, `${where}: the filter bar (${JSON.stringify(bar)}) covers #${id} (${JSON.stringify(chart)})`);
  }
  await p.evaluate(() => window.scrollTo(0, 0));
  return ids;
}

/** What the tablet's screen shows (a full-page screenshot leaves the touch emulation for its
 * capture, and would show a toolbar the tablet does not). */
async function screen(p, name) {
  await p.screenshot({ path: path.join(OUT, `${name}.png`) });
}

/** Visible controls under 44 px high (a checkbox's or radio's label is its target). */
async function smallTargets(p) {
  return p.$$eval('main button, main select, main summary, main input:not([type="checkbox"]):not([type="radio"]):not([type="file"]), '
    + '.tabs-nav a, main label:has(> input[type="checkbox"]), main label:has(> input[type="radio"])',
    (els) => els.filter((e) => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden')
      .map((e) => [e.id || e.textContent.trim().slice(0, 24), Math.round(e.getBoundingClientRect().height)])
      .filter(([, h]) => h < 44));
}

/**
 * The screen position and hover text of point `i` of the trace named `trace`; without a trace, of
 * a point of a picture's hover-only traces with no other within 12 px (so a tap surely picks it).
 */
async function pointAt(p, id, trace, i) {
  await p.locator(`#${id}`).scrollIntoViewIfNeeded();
  return p.evaluate(([id, trace, i]) => {
    const gd = document.getElementById(id);
    const fl = gd._fullLayout;
    const r = gd.getBoundingClientRect();
    const at = (d, k) => ({
      x: r.left + fl.xaxis._offset + fl.xaxis.l2p(d.x[k]), y: r.top + fl.yaxis._offset + fl.yaxis.l2p(d.y[k]),
      text: Array.isArray(d.hovertext) ? d.hovertext[k] : null, name: d.name,
    });
    if (trace) return at(gd.data.find((t) => t.name === trace), i);
    const hover = gd.data.filter((d) => d.mode === 'none' && d.hoveron === 'points');
    const all = hover.flatMap((d) => d.x.map((_, k) => at(d, k)));
    return all.find((a) => all.filter((b) => Math.hypot(a.x - b.x, a.y - b.y) < 12).length === 1
      && a.y > 0 && a.y < innerHeight) ?? null;
  }, [id, trace, i]);
}

describe('a 1024 × 768 tablet with a touch screen', () => {
  let site, tablet, tp;
  before(async () => {
    site = await serve();
    tablet = await launch({ context: { viewport: { width: 1024, height: 768 }, hasTouch: true } });
  });
  after(async () => { await tp?.close(); await tablet?.close(); await site?.close(); });

  it('folds the filter bar to its chips, which then covers no chart, and hides Plotly\'s toolbar', async () => {
    tp = await openApp(tablet.context, site.url, { page: null });
    await tp.waitForSelector('#briefing[data-run]', { timeout: 60_000 });
    await tp.waitForSelector('#home-map .main-svg');
    await tp.waitForSelector('#home-hours-chart .main-svg');
    assert.equal(await tp.isVisible('#filter-row'), false, 'folded to its chips');
    const folded = await tp.locator('#filters').boundingBox();
    assert.ok(folded.height < 0.12 * 768, `the folded bar is ${folded.height}px high`);
    await tp.tap('#filters-toggle');
    assert.equal(await tp.isVisible('#filter-row'), true, 'a tap unfolds it');
    assert.equal(await tp.getAttribute('#filters-toggle', 'aria-expanded'), 'true');
    await tp.tap('#filters-toggle');
    assert.equal(await tp.isVisible('#filter-row'), false);
    assert.deepEqual(await filterBarClear(tp, 'home'), ['home-map', 'home-hours-chart']);
    const bars = await tp.$$eval('.modebar-container', (els) => els.map((e) => getComputedStyle(e).display));
    assert.ok(bars.length >= 2, 'each chart has its toolbar');
    assert.deepEqual([...new Set(bars)], ['none'], 'no Plotly toolbar over a title');
    assert.deepEqual(await smallTargets(tp), [], 'every target at least 44 px high');
    await screen(tp, 'safety-tablet-home');
  });

  it('a tapped hotspot on the briefing map, or a tapped row of its table, shows its details', async () => {
    const at = await pointAt(tp, 'home-map', 'hotspots', 0);
    await tp.touchscreen.tap(at.x, at.y);
    await tp.waitForSelector('#home-map-details');
    assert.match(await text(tp, '#home-map-details strong'), /^hotspot #1: \d+–?\d* block of /i);
    assert.match(await text(tp, '#home-map-details'), /incidents per shift/);
    await tp.tap('#home-hotspots tbody tr:nth-child(2)');
    await tp.waitForFunction(() => /^Hotspot #2: /.test(document.querySelector('#home-map-details strong')?.textContent));
    assert.match(await text(tp, '#home-map-details'), /incidents per shift.*\d+\.\d{4}, -\d+\.\d{4}/s);
    await tp.evaluate(() => document.querySelector('#home-map').scrollIntoView());
    await screen(tp, 'safety-tablet-details');
  });

  it('on the Hotspots page too: the bar covers no chart, and a tapped point of the map says what it is', async () => {
    await tp.tap('#nav-hotspots');
    await tp.waitForSelector('#cluster-results', { timeout: 120_000 });
    await tp.waitForSelector('#chart-cluster-map .main-svg');
    await tp.waitForTimeout(500);
    const ids = await filterBarClear(tp, 'hotspots');
    assert.ok(ids.includes('chart-cluster-map'), ids.join(' '));
    assert.deepEqual(await smallTargets(tp), [], 'every target at least 44 px high');
    // A tap on a metric's "?" says what it means.
    await tp.tap('.gloss[data-term="silhouette"] .gloss-q');
    assert.equal(await tp.isVisible('.gloss[data-term="silhouette"] .gloss-text'), true, 'a tap opens the gloss');
    // A point drawn as pixels (its hover text in a trace that draws nothing): a tap still says it.
    const at = await pointAt(tp, 'chart-cluster-map', null, 0);
    assert.ok(at, 'a point of the map on screen with no other within 12 px');
    await tp.touchscreen.tap(at.x, at.y);
    await tp.waitForSelector('#chart-cluster-map-details');
    // Its hotspot's figures, as the table has them (noise: the trace's name and the point).
    const n = /^(\d+):/.exec(at.name)?.[1];
    // "Area 3" when the page calls K-Means' clusters areas (its title says which).
    const one = (await text(tp, '#cluster-results h2')).includes(' areas of ') ? 'Area' : 'Hotspot';
    assert.equal(await text(tp, '#chart-cluster-map-details strong'), n ? `${one} ${n}` : at.name);
    if (n) {
      const size = await text(tp, `#cluster-table tr[data-cluster="${n - 1}"] td.num`);
      assert.match(await text(tp, '#chart-cluster-map-details'), new RegExp(`${size} incidents on .* km².*Most: .*Busiest at \\d\\d:00.*This point: `, 's'));
    }
    await tp.evaluate(() => document.querySelector('#chart-cluster-map-details').scrollIntoView({ block: 'end' }));
    await screen(tp, 'safety-tablet-hotspots');
  });

  it('every page\'s targets are at least 44 px high on the touch screen', async () => {
    for (const slug of ['overview', 'explore', 'when', 'shape', 'heatmaps', 'patrol', 'backtest', 'features', 'experiments', 'bench']) {
      await tp.goto(`${site.url}#${slug}`);
      await tp.waitForSelector('#filter-status', { timeout: 60_000 });
      await tp.waitForTimeout(300);
      assert.deepEqual(await smallTargets(tp), [], `${slug}: targets under 44 px`);
    }
  });
});

/** Pages of a PDF: its page objects (`/Type /Page`, not the `/Pages` tree). */
function pdfPages(bytes) {
  return (bytes.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) || []).length;
}

describe('the roll-call handout', () => {
  let site, desk, hp;
  before(async () => {
    site = await serve();
    desk = await launch();
  });
  after(async () => { await hp?.close(); await desk?.close(); await site?.close(); });

  it('prints the briefing on one or two A4 or Letter pages: the map at page width, the stops, the hours, the areas, the data', async () => {
    hp = await openApp(desk.context, site.url, { page: null });
    await hp.waitForSelector('#briefing[data-run]', { timeout: 60_000 });
    await hp.waitForSelector('#home-map .main-svg');
    assert.equal(await hp.isVisible('#home-print'), true);
    const stops = await hp.$$eval('#home-stops tbody tr .arrive', (c) => c.map((x) => x.textContent));
    assert.ok(stops.length >= 3 && stops.every((s) => /^\d\d:\d\d$/.test(s)), stops.join(' '));
    const onScreen = await hp.$eval('#home-map .main-svg', (s) => Number(s.getAttribute('width')));

    await hp.emulateMedia({ media: 'print' });
    await hp.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await hp.waitForFunction(() => Number(document.querySelector('#home-map .main-svg').getAttribute('width')) === 700);
    // At print size the map is smaller than the scale its labels were placed for: none prints over
    // another or over a marker (a hotspot's name gives way to its rank, or to nothing where even
    // that would: the stops below name them all), and most hotspots keep their names.
    await hp.waitForSelector('#home-map[data-decluttered="1"]');
    const printed = await hp.$$eval('#home-map .scatterlayer .trace text', (t) => t
      .filter((x) => x.textContent && getComputedStyle(x).visibility !== 'hidden')
      .map((x) => { const r = x.getBoundingClientRect(); return [x.textContent, r.left, r.top, r.right, r.bottom]; }));
    const named = printed.filter((p) => /^\d+ · /.test(p[0])).length;
    assert.ok(named >= 5, `${named} hotspots named on the printed map: ${printed.map((p) => p[0]).join('|')}`);
    const markers = await hp.$$eval('#home-map .scatterlayer .trace .points path', (m) => m
      .map((x) => { const r = x.getBoundingClientRect(); return ['a marker', r.left, r.top, r.right, r.bottom]; }));
    printed.push(...markers);
    for (let i = 0; i < printed.length; i++) {
      for (let j = i + 1; j < printed.length; j++) {
        const [a, b] = [printed[i], printed[j]];
        if (a[0] === 'a marker' && b[0] === 'a marker') continue;
        const overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 2 && Math.min(a[4], b[4]) - Math.max(a[2], b[2]) > 2;
        assert.ok(!overlap, `"${a[0]}" and "${b[0]}" overlap on the printed map`);
      }
    }
    for (const hidden of ['.tabs-nav', '#filters', '#home-print', '#home-run', '#home-nav', '#forget-kept']) {
      assert.equal(await hp.isVisible(hidden), false, `${hidden} is not printed`);
    }
    for (const shown of ['#home-map .main-svg', '#home-stops', '#home-peaks', '#home-areas', '#home-districts', '#dataset-line-range', '#home-shift']) {
      assert.equal(await hp.isVisible(shown), true, `${shown} is printed`);
    }
    assert.match(await text(hp, '#home-peaks'), /Peak hours: \d\d:00/);
    await shot(hp, 'safety-print');
    for (const format of ['A4', 'Letter']) {
      const pdf = await hp.pdf({ format, printBackground: true, path: path.join(OUT, `briefing-${format}.pdf`) });
      const n = pdfPages(pdf);
      assert.ok(n >= 1 && n <= 2, `${format}: ${n} pages`);
      console.log(`# the briefing prints on ${n} ${format} page(s), ${pdf.length} bytes`);
    }
    await hp.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await hp.emulateMedia({ media: 'screen' });
    const back = (w) => Number(document.querySelector('#home-map .main-svg').getAttribute('width')) === w;
    await hp.waitForFunction(back, onScreen);
    // The button: the charts go to print width for the print, and come back.
    await hp.evaluate(() => {
      window.widths = [];
      window.addEventListener('beforeprint', () => window.widths.push('before'));
      const print = window.print;
      window.print = () => { window.widths.push(document.querySelector('#home-map .main-svg').getAttribute('width')); print.call(window); };
    });
    await hp.click('#home-print');
    await hp.waitForFunction(back, onScreen);
    assert.deepEqual((await hp.evaluate(() => window.widths)).filter((w) => w !== 'before'), ['700'], 'printed at 700 px');
  });

  it('says every metric in plain words beside it, shown on focus (not only on hover) and gone on Escape', async () => {
    /** The "?" of `term` on the page: hidden, then shown once focused, with its sentence. */
    const explained = async (term, words) => {
      const g = hp.locator(`.gloss[data-term="${term}"]`).first();
      await g.scrollIntoViewIfNeeded();
      const tip = g.locator('.gloss-text');
      await hp.mouse.move(0, 0);
      assert.equal(await tip.isVisible(), false, `${term}: closed at first`);
      await g.locator('.gloss-q').focus();
      assert.equal(await tip.isVisible(), true, `${term}: open on focus`);
      const said = (await tip.textContent()).trim();
      assert.match(said, words, term);
      const id = await tip.getAttribute('id');
      assert.equal(await g.locator('.gloss-q').getAttribute('aria-describedby'), id);
      await hp.keyboard.press('Escape');
      assert.equal(await tip.isVisible(), false, `${term}: Escape closes it`);
      return said;
    };
    await hp.click('#nav-home');
    await hp.waitForSelector('#home-stops');
    await explained('per-shift', /^per shift: The incidents expected in one such shift/);
    await explained('gi-z', /^Gi\* z: .*standard deviations/);
    await explained('severity-weighted', /^severity-weighted: .*homicide weighs more than a theft/);
    await hp.click('#nav-hotspots');
    await hp.waitForSelector('#cluster-results', { timeout: 120_000 });
    await explained('silhouette', /^silhouette: From −1 to 1/);
    await explained('davies-bouldin', /^Davies–Bouldin: .*lower is better/);
    await explained('calinski-harabasz', /^Calinski–Harabasz: .*higher is better/);
    await hp.click('#nav-patrol');
    await hp.waitForSelector('#hotspot-table', { timeout: 120_000 });
    await explained('risk-score', /^risk score: From 0 to 1/);
    await explained('deviance-explained', /^deviance explained: /);
    // The same sentence wherever the metric is shown.
    const here = (await hp.locator('.gloss[data-term="gi-z"] .gloss-text').first().textContent()).trim();
    await hp.click('#nav-home');
    await hp.waitForSelector('#home-stops');
    assert.equal((await hp.locator('.gloss[data-term="gi-z"] .gloss-text').first().textContent()).trim(), here);
    await hp.locator('.gloss[data-term="gi-z"] .gloss-q').first().focus();
    await shot(hp, 'safety-gloss');
  });
});
