// Street tiles under the maps (src/street.rs, src/ui/charts/chart.rs, public/streets.js, sw.js):
// off until asked, one switch for every map, remembered; the tiles seen kept for offline use; and
// offline without them, the reference layers carry the map and a note says so. The tile server is
// a stand-in (a generated PNG): the tests never need the internet.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import path from 'node:path';
import { serve, launch, openApp, DATA } from './harness.mjs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A 256 × 256 tile: pale green with a grey grid, so that a screenshot shows tiles were drawn. */
function tilePng() {
  const rows = [];
  for (let y = 0; y < 256; y++) {
    const row = Buffer.alloc(1 + 256 * 3);
    for (let x = 0; x < 256; x++) {
      const line = x % 64 === 0 || y % 64 === 0;
      row.set(line ? [170, 170, 170] : [222, 238, 214], 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(256, 0);
  ihdr.writeUInt32BE(256, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}
const TILE = tilePng();
const TILE_URL = 'https://tile.openstreetmap.org/**';

describe('street tiles under the maps', () => {
  let server, browser, page;
  const tiles = [];
  let offline = false;
  before(async () => {
    server = await serve();
    browser = await launch();
    // The tile server: every request recorded; each path must be /z/x/y.png and nothing else.
    await browser.context.route(TILE_URL, (route) => {
      const u = new URL(route.request().url());
      tiles.push(u.pathname + u.search);
      if (offline) return route.abort('internetdisconnected');
      return route.fulfill({ status: 200, contentType: 'image/png', headers: { 'access-control-allow-origin': '*' }, body: TILE });
    });
  });
  after(async () => { await page?.close(); await browser?.close(); await server?.close(); });

  const streetMap = (id) => page.waitForSelector(`#${id} canvas.maplibregl-canvas`, { timeout: 60_000 });
  const tilesDrawn = (id) => page.waitForFunction((id) => Number(document.getElementById(id)?.dataset.tilesOk) > 0, id, { timeout: 60_000 });
  const labels = (id) => page.$$eval(`#${id} .street-label:not([hidden])`, (l) => l.map((x) => x.textContent));
  const traces = (id) => page.evaluate((id) => document.getElementById(id).data.map((t) => `${t.type}:${t.name}`), id);

  it('are off until asked; one keyboard press turns them on under the briefing map, with names and the attribution', async () => {
    page = await openApp(browser.context, server.url, { page: null });
    await page.waitForSelector('#briefing[data-run]', { timeout: 60_000 });
    await page.waitForSelector('#home-map .main-svg .scatterlayer');
    // The service worker controls the page before tiles are fetched, so that it keeps them.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await page.waitForSelector('#home-map .main-svg .scatterlayer', { timeout: 60_000 });
    const toggle = page.locator('#home-map-streets');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.match(await toggle.getAttribute('title'), /only the tile's coordinates/);
    assert.equal(tiles.length, 0, 'no tile server contact before streets are turned on');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await streetMap('home-map');
    await tilesDrawn('home-map');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.ok(tiles.length > 0);
    for (const t of tiles) assert.match(t, /^\/\d+\/\d+\/\d+\.png$/, 'a tile request carries only its coordinates');
    // The reference layers on top of the tiles, the hotspots and the route.
    const drawn = await traces('home-map');
    for (const name of ['arterials', 'police districts', 'community area names', 'hotspots', 'route']) {
      assert.ok(drawn.includes(`scattermap:${name}`), `${name} in ${drawn.join(', ')}`);
    }
    // Labels are names: the hotspots' blocks ("1 · 100 N State St") and community areas.
    const l = await labels('home-map');
    assert.ok(l.some((t) => /^\d+ · \d+ [NSEW] /.test(t)), l.join(' | '));
    assert.ok(l.some((t) => /^[A-Z][a-z]+/.test(t)), l.join(' | '));
    assert.match(await page.locator('#home-map').locator('..').locator('.streets-why').textContent(), /© OpenStreetMap contributors/);
    await page.locator('#home-map').scrollIntoViewIfNeeded();
    await page.locator('#home-map').screenshot({ path: 'test-results/streets-briefing.png' });
  });

  it('the same choice draws the patrol map on streets, and is remembered after a reload', async () => {
    await page.click('#nav-patrol');
    await page.waitForSelector('#risk-result', { timeout: 60_000 });
    await streetMap('risk-map');
    await tilesDrawn('risk-map');
    assert.equal(await page.getAttribute('#risk-map-streets', 'aria-pressed'), 'true');
    const drawn = await traces('risk-map');
    assert.ok(drawn.some((t) => t.startsWith('choroplethmap:')), `the risk grid over the streets: ${drawn.join(', ')}`);
    assert.ok(drawn.includes('scattermap:police districts'));
    const l = await labels('risk-map');
    assert.ok(l.some((t) => /^\d+ · /.test(t)), l.join(' | '));
    await page.locator('#risk-map').screenshot({ path: 'test-results/streets-patrol.png' });
    // A click on the street map still starts the route there (MapLibre gives its longitude and
    // latitude): on the riskiest hotspot.
    const spot = await page.evaluate(() => {
      const gd = document.getElementById('risk-map');
      const h = gd.data.find((t) => t.name === 'hotspots');
      const p = gd._fullLayout.map._subplot.map.project([h.lon[0], h.lat[0]]);
      return { x: p.x, y: p.y, lon: h.lon[0], lat: h.lat[0] };
    });
    await page.locator('#risk-map canvas.maplibregl-canvas').click({ position: { x: spot.x, y: spot.y } });
    await page.waitForFunction(() => document.querySelector('#route-start-name')?.textContent.startsWith('Map point'));
    const [lat, lon] = (await page.textContent('#route-start-name')).replace('Map point ', '').split(',').map(Number);
    assert.ok(Math.abs(lat - spot.lat) < 0.001 && Math.abs(lon - spot.lon) < 0.001, `${lat}, ${lon} vs ${spot.lat}, ${spot.lon}`);
    // The density heatmap too: its cells as squares on the streets.
    await page.click('#nav-heatmaps');
    await streetMap('hm-map');
    assert.ok((await traces('hm-map')).some((t) => t.startsWith('choroplethmap:')));
    // And the choropleth of a boundary file: its filled areas over the streets.
    await page.setInputFiles('#boundaries-input', path.join(DATA, 'chicago_community_areas.geojson'));
    await page.waitForSelector('#areas-result[data-kind="community_area"]', { timeout: 60_000 });
    await streetMap('choropleth');
    await tilesDrawn('choropleth');
    const fills = await page.evaluate(() => document.getElementById('choropleth').data.filter((t) => t.type === 'scattermap' && t.fill === 'toself').length);
    assert.ok(fills >= 7, `${fills} filled classes`);
    await page.locator('#choropleth').screenshot({ path: 'test-results/streets-choropleth.png' });
    await page.click('#nav-patrol');
    await page.reload();
    await page.waitForSelector('#risk-result', { timeout: 60_000 });
    await streetMap('risk-map');
    assert.equal(await page.evaluate(() => localStorage.getItem('patroliq.map.street')), '1');
    assert.equal(await page.getAttribute('#risk-map-streets', 'aria-pressed'), 'true');
  });

  it('offline, the tiles seen are served by the service worker', async () => {
    const kept = await page.evaluate(async () => (await (await caches.open('osm-tiles')).keys()).length);
    assert.ok(kept > 0, 'tiles kept for offline use');
    offline = true;
    await browser.context.setOffline(true);
    try {
      // The map drawn anew (streets off and on) asks for the same tiles.
      await page.click('#risk-map-streets');
      await page.waitForSelector('#risk-map .main-svg .scatterlayer');
      await page.click('#risk-map-streets');
      await streetMap('risk-map');
      await tilesDrawn('risk-map');
      assert.equal(await page.locator('#risk-map-street-note').isVisible(), false);
    } finally {
      await browser.context.setOffline(false);
      offline = false;
    }
  });

  it('offline without kept tiles, the outlines and roads carry the map and a note says so', async () => {
    await page.evaluate(() => caches.delete('osm-tiles'));
    offline = true;
    await browser.context.setOffline(true);
    try {
      await page.click('#nav-home');
      await page.waitForSelector('#briefing[data-run]', { timeout: 60_000 });
      await streetMap('home-map');
      await page.waitForSelector('#home-map-street-note:not([hidden])', { timeout: 30_000 });
      assert.match(await page.textContent('#home-map-street-note'),
        /^Street tiles are unavailable offline — showing district and area outlines and main roads/);
      const drawn = await traces('home-map');
      for (const name of ['arterials', 'expressways', 'police districts', 'community areas']) {
        assert.ok(drawn.includes(`scattermap:${name}`), `${name} in ${drawn.join(', ')}`);
      }
      assert.ok((await labels('home-map')).length > 0);
      await page.locator('#home-map').locator('..').screenshot({ path: 'test-results/streets-offline.png' });
      // Turned off, the plain map is back and the note gone.
      await page.click('#home-map-streets');
      await page.waitForSelector('#home-map .main-svg .scatterlayer');
      assert.equal(await page.locator('#home-map-street-note').isVisible(), false);
      assert.equal(await page.evaluate(() => localStorage.getItem('patroliq.map.street')), '0');
    } finally {
      await browser.context.setOffline(false);
      offline = false;
    }
    assert.deepEqual(browser.errors, []);
  });

  it('without WebGL, the plain map stays and a note says why', async () => {
    await page.evaluate(() => localStorage.setItem('patroliq.map.street', '1'));
    const bare = await browser.context.newPage();
    await bare.addInitScript(() => {
      const get = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return /webgl/.test(kind) ? null : get.call(this, kind, ...rest);
      };
    });
    try {
      await bare.goto(server.url);
      await bare.waitForSelector('#briefing[data-run]', { timeout: 60_000 });
      await bare.waitForSelector('#home-map .main-svg .scatterlayer');
      await bare.waitForSelector('#home-map-street-note:not([hidden])');
      assert.match(await bare.textContent('#home-map-street-note'), /need WebGL/);
      assert.equal(await bare.locator('#home-map canvas.maplibregl-canvas').count(), 0);
    } finally {
      await bare.close();
      await page.evaluate(() => localStorage.setItem('patroliq.map.street', '0'));
    }
  });
});
