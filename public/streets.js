// PatrolIQ's street maps (src/ui/charts/chart.rs draws through these; src/street.rs makes the
// figure): a map drawn on Plotly's MapLibre map over OpenStreetMap tiles, the labels MapLibre
// cannot print without a font server drawn over it, and a note when tiles do not load.
//
// Tile requests carry only the tile's coordinates (zoom, x, y): which part of the city is on
// screen. The service worker (sw.js) keeps the tiles seen, for offline use.
(function () {
  'use strict';
  let gl = null;

  /** Whether this browser can draw WebGL (MapLibre needs it). */
  function webgl() {
    if (gl === null) {
      try {
        const c = document.createElement('canvas');
        gl = !!(c.getContext('webgl2') || c.getContext('webgl'));
      } catch (e) {
        gl = false;
      }
    }
    return gl;
  }

  function say(noteId, text) {
    const el = document.getElementById(noteId);
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || '';
  }

  function mapOf(gd) {
    const s = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    return s && s.map;
  }

  // Plotly's textposition → where the label's box goes against its point (fractions of its own
  // size, and the gap from the marker).
  const GAP = 7;
  function offset(position) {
    const [v, h] = String(position || 'middle center').split(' ');
    const dx = h === 'right' ? [0, GAP] : h === 'left' ? [-100, -GAP] : [-50, 0];
    const dy = v === 'top' ? [-100, -GAP] : v === 'bottom' ? [0, GAP] : [-50, 0];
    return { dx, dy };
  }

  /** Draws `labels` over the map and keeps them on their points as the map moves. */
  function label(map, labels) {
    const box = map.getContainer();
    let layer = box.querySelector('.street-labels');
    if (!layer) {
      layer = document.createElement('div');
      layer.className = 'street-labels';
      box.appendChild(layer);
    }
    layer.textContent = '';
    const items = labels.map((l) => {
      const el = document.createElement('span');
      el.className = 'street-label';
      el.textContent = l.text;
      el.style.fontSize = `${l.size}px`;
      el.style.color = l.colour;
      layer.appendChild(el);
      return { el, l, o: offset(l.position) };
    });
    // Placed in order (the data's labels first, then the areas' names); a label that would print
    // over one placed before is hidden until the map is zoomed in enough for it.
    const place = () => {
      const taken = [];
      for (const it of items) {
        const { el, l, o } = it;
        if (it.w === undefined) { it.w = el.offsetWidth; it.h = el.offsetHeight; }
        const p = map.project([l.lon, l.lat]);
        const x = p.x + o.dx[1] + (o.dx[0] / 100) * it.w;
        const y = p.y + o.dy[1] + (o.dy[0] / 100) * it.h;
        const b = [x, y, x + it.w, y + it.h];
        const free = !taken.some((t) => b[0] < t[2] && t[0] < b[2] && b[1] < t[3] && t[1] < b[3]);
        el.hidden = !free;
        if (free) taken.push(b);
        el.style.transform = `translate(${x}px, ${y}px)`;
      }
    };
    place();
    if (map.__piqPlace) map.off('move', map.__piqPlace);
    map.__piqPlace = place;
    map.on('move', place);
    map.on('resize', place);
  }

  /** The street tiles the map holds, loaded and failed. */
  function held(map) {
    const caches = map.style && map.style.sourceCaches;
    const cache = caches && caches.osm;
    const n = { ok: 0, failed: 0 };
    for (const t of Object.values((cache && cache._tiles) || {})) {
      if (t.state === 'loaded' || t.state === 'reloading') n.ok++;
      else if (t.state === 'errored') n.failed++;
    }
    return n;
  }

  /**
   * Counts the tiles loaded and failed (the tiles first shown load before Plotly hands the map
   * over, so they are counted from the map's own tile cache, again whenever it settles), and says
   * so under the map when they fail.
   */
  function watch(gd, map, noteId) {
    const update = () => {
      const n = held(map);
      if (map.__piqFailed && n.failed === 0 && n.ok === 0) n.failed = 1;
      gd.dataset.tilesOk = String(n.ok);
      gd.dataset.tilesFailed = String(n.failed);
      if (n.failed > 0 && n.ok === 0) {
        say(noteId, 'Street tiles are unavailable offline — showing district and area outlines and main roads.');
      } else if (n.failed > 0) {
        say(noteId, 'Some street tiles are unavailable offline — where they are missing, the district and area outlines and main roads show the way.');
      } else {
        say(noteId, null);
      }
    };
    if (!map.__piqWatched) {
      map.__piqWatched = true;
      map.on('error', (e) => {
        if (e && e.sourceId === 'osm') { map.__piqFailed = true; update(); }
      });
      map.on('idle', update);
    }
    update();
  }

  // Each street map's draw in flight: a draw waits for the one before it on the same element. A
  // second Plotly.react while the map's style was still loading (a page drawing its map twice in
  // quick succession) threw inside Plotly's map code ("reading 'layers'").
  const drawing = new WeakMap();

  /**
   * Draws the street figure in chart `id` (a plain chart there before is cleared first: Plotly
   * does not turn axes into a map in place); resolves once drawn, whatever the tiles do.
   */
  function draw(id, figure, labels, noteId) {
    const gd = document.getElementById(id);
    if (!gd) return Promise.resolve();
    // Waited for at most a few seconds: a map whose tiles never come may never say it loaded.
    const before = Promise.race([
      (drawing.get(gd) || Promise.resolve()).catch(() => {}),
      new Promise((r) => setTimeout(r, 5000)),
    ]);
    // A plain draw asked for meanwhile (streets turned off) wins: this one is dropped.
    const plainDraws = gd.__piqPlainDraws || 0;
    const mine = before.then(() => (gd.__piqPlainDraws || 0) === plainDraws && drawNow(gd, figure, labels, noteId));
    drawing.set(gd, mine);
    return mine;
  }

  async function drawNow(gd, figure, labels, noteId) {
    if (!gd.isConnected) return;
    if (gd.dataset.kind !== 'street') Plotly.purge(gd);
    gd.dataset.kind = 'street';
    try {
      await Plotly.react(gd, figure);
    } catch (e) {
      // A tile failing before the map's first frame rejects Plotly's promise; the map is drawn.
      console.warn(`street map ${gd.id}:`, e && e.message ? e.message : e);
    }
    const map = mapOf(gd);
    if (!map) return;
    watch(gd, map, noteId);
    const go = () => label(map, labels);
    if (map.loaded()) go(); else map.once('load', go);
    go();
  }

  /** Clears a street map in chart `id` before a plain figure is drawn there. */
  function plain(id, noteId) {
    const gd = document.getElementById(id);
    if (!gd) return;
    if (gd.dataset.kind === 'street') Plotly.purge(gd);
    // A street draw cut short by this one is not waited for by the next, nor drawn after it.
    drawing.delete(gd);
    gd.__piqPlainDraws = (gd.__piqPlainDraws || 0) + 1;
    gd.dataset.kind = 'plain';
    delete gd.dataset.tilesOk;
    delete gd.dataset.tilesFailed;
    say(noteId, null);
  }

  // Plotly rejects a promise of its own, which nobody holds, when a tile fails while it sets the
  // map up ("Map error."): that is the note's business, not an error of the page.
  self.addEventListener('unhandledrejection', (e) => {
    if (e.reason && e.reason.message === 'Map error.') e.preventDefault();
  });

  self.PatrolIQStreets = { webgl, draw, plain, say };
})();
