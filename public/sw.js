// PatrolIQ's service worker: keeps the site's own files so the app opens and works offline after
// the first visit. It caches nothing but this site's files (the list and the version are written
// in at build time by scripts/post_build.mjs): data files are read from disk by the page and never
// pass through here; requests to other sites are left alone.
const VERSION = 'dev';
const FILES = [];
const CACHE = `patroliq-${VERSION}`;

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
