// PatrolIQ's service worker: keeps the site's own files so the app opens and works offline after
// the first visit (the list and the version are written in at build time by
// scripts/post_build.mjs), and the OpenStreetMap tiles the user has seen with streets turned on,
// so that those maps keep their streets offline. Data files are read from disk by the page and
// never pass through here; requests to other sites are left alone.
const VERSION = 'dev';
const FILES = [];
const CACHE = `patroliq-${VERSION}`;
// Tiles outlive a new version of the site; at most TILE_LIMIT are kept, the oldest evicted (about
// 15–25 KB each: a city's worth of zoom levels in some tens of MB).
const TILES = 'osm-tiles';
const TILE_HOST = 'tile.openstreetmap.org';
const TILE_LIMIT = 3000;
let puts = 0;

/** Keeps a tile just fetched; every 50 puts, evicts the oldest beyond the limit. */
async function keepTile(req, res) {
  const cache = await caches.open(TILES);
  // Put anew, so that a tile seen again counts as recent (keys come back oldest first).
  await cache.delete(req);
  await cache.put(req, res);
  if (++puts % 50 === 0) await trimTiles(cache);
}

async function trimTiles(cache) {
  const keys = await cache.keys();
  for (const k of keys.slice(0, Math.max(0, keys.length - TILE_LIMIT))) await cache.delete(k);
}

/** Network first (the browser's HTTP cache honours the server's caching), the kept tile offline. */
async function tile(event) {
  const req = event.request;
  try {
    const res = await fetch(req);
    if (res.ok) event.waitUntil(keepTile(req, res.clone()).catch(() => {}));
    return res;
  } catch (offline) {
    const hit = await (await caches.open(TILES)).match(req, { ignoreVary: true });
    if (hit) return hit;
    throw offline;
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('patroliq-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// Network first (a new version is picked up at once when online), the cache when offline.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method === 'GET' && url.hostname === TILE_HOST) return event.respondWith(tile(event));
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const res = await fetch(req);
      return res;
    } catch (offline) {
      const cache = await caches.open(CACHE);
      // A page opened with a filter or data link (?type=…) is still index.html.
      const hit = await cache.match(req, { ignoreSearch: req.mode === 'navigate' })
        || (req.mode === 'navigate' ? await cache.match('./') : undefined);
      if (hit) return hit;
      throw offline;
    }
  })());
});
