// Draws the points of a Plotly figure's big 2-D scatters into one image under the axes
// (src/ui/charts/chart.rs calls `PatrolIQRaster.rasterise` before `Plotly.react`).
//
// Plotly draws every point of an SVG scatter as an element of its own (40–50 ms per 1,000 points
// on the UI thread); as pixels, a 10,000-point map takes tens of ms. Traces marked
// `meta: 'raster'` are drawn; each keeps one point for its legend entry, and a trace that draws
// nothing keeps their hover text.
//
// A classic script (loaded by index.html before the app), so that it needs no bundler and the
// Content-Security-Policy's 'self' covers it; it defines one global, also read by
// tests/js/raster.test.mjs.
'use strict';

globalThis.PatrolIQRaster = (() => {
  const images = new Map();

  /** The traces to draw as pixels: plain scatters marked 'raster', with points. */
  function rasterTraces(fig) {
    return (fig.data || []).filter(
      (t) => t.meta === 'raster' && (t.type || 'scatter') === 'scatter' && t.x && t.x.length,
    );
  }

  /** The data bounds of the finite points of `traces`, or null when they span no area. */
  function bounds(traces) {
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const t of traces) {
      for (let i = 0; i < t.x.length; i++) {
        const x = t.x[i];
        const y = t.y[i];
        if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    return x1 > x0 && y1 > y0 ? { x0, x1, y0, y1 } : null;
  }

  /**
   * The bounds widened by PAD of their span on each side: the image covers them, so that the
   * dots at the edges are drawn whole, and the axes reach them (a corner trace, below), so that
   * those dots do not touch the plot's edge — as Plotly pads the range of a scatter of markers
   * (the hover traces, of no markers, are not padded).
   */
  const PAD = 0.03;
  function padded(b) {
    const [px, py] = [PAD * (b.x1 - b.x0), PAD * (b.y1 - b.y0)];
    return { x0: b.x0 - px, x1: b.x1 + px, y0: b.y0 - py, y1: b.y1 + py };
  }

  /**
   * The image's size in pixels and the pixels per screen pixel, for a chart `clientWidth` wide.
   * Pixels per unit as the plot area will show the points (its size less the margins; the axes
   * keep y at scaleratio × x), at twice that so that the dots stay sharp when zoomed a little.
   */
  function frame(layout, clientWidth, b) {
    const lay = layout || {};
    const mg = lay.margin || {};
    const ratio = (lay.yaxis && lay.yaxis.scaleratio) || 1;
    const pw = Math.max(100, (clientWidth || 800) - (mg.l ?? 80) - (mg.r ?? 80));
    const ph = Math.max(100, (lay.height || 450) - (mg.t ?? 100) - (mg.b ?? 80));
    const [dx, dy] = [b.x1 - b.x0, b.y1 - b.y0];
    // Without that constraint each axis fills the plot area on its own.
    const equal = !!(lay.yaxis && lay.yaxis.scaleanchor);
    const sx = 2 * (equal ? Math.min(pw / dx, ph / (dy * ratio)) : pw / dx);
    const sy = equal ? sx * ratio : (2 * ph) / dy;
    const w = Math.min(4096, Math.max(1, Math.round(sx * dx)));
    const h = Math.min(4096, Math.max(1, Math.round(sy * dy)));
    // Image pixels per screen pixel: 2, less where the size was capped.
    const pxPerDot = 2 * Math.min(w / (sx * dx), h / (sy * dy));
    return { w, h, pxPerDot };
  }

  /** Paints each trace's points as dots of its marker's colour, size and opacity. */
  function paint(g, traces, b, { w, h, pxPerDot }) {
    for (const t of traces) {
      const m = t.marker || {};
      g.fillStyle = m.color || '#1f77b4';
      g.globalAlpha = m.opacity == null ? 1 : m.opacity;
      const r = (pxPerDot * (m.size || 6)) / 2;
      for (let i = 0; i < t.x.length; i++) {
        const px = ((t.x[i] - b.x0) / (b.x1 - b.x0)) * w;
        const py = ((b.y1 - t.y[i]) / (b.y1 - b.y0)) * h;
        if (!(Number.isFinite(px) && Number.isFinite(py))) continue;
        g.beginPath();
        g.arc(px, py, r, 0, 2 * Math.PI);
        g.fill();
      }
    }
  }

  /**
   * For each drawn trace, a trace of its points drawn as nothing (mode 'none'), for its hover
   * text: Plotly finds the point under the pointer in the trace's data, not in its SVG, so hover
   * costs no element per point. In the same legend group, so that hiding the trace in the legend
   * hides its hover too. The drawn trace keeps one of its points (drawn over its own pixel), so
   * that it keeps its legend entry: Plotly lists no entry for an empty trace, and one of [null]
   * drew a NaN path.
   */
  function hoverTraces(traces) {
    return traces.map((t, i) => {
      t.legendgroup = t.legendgroup || `raster-${i}`;
      const h = {
        type: 'scatter',
        mode: 'none',
        hoveron: 'points',
        x: t.x,
        y: t.y,
        name: t.name,
        legendgroup: t.legendgroup,
        showlegend: false,
        hoverlabel: { bgcolor: (t.marker || {}).color },
      };
      for (const k of ['text', 'hovertext', 'hoverinfo', 'hovertemplate', 'xaxis', 'yaxis']) {
        if (t[k] !== undefined) h[k] = t[k];
      }
      t.x = t.x.slice(0, 1);
      t.y = t.y.slice(0, 1);
      t.text = undefined;
      t.hovertext = undefined;
      t.hoverinfo = 'skip';
      return h;
    });
  }

  /**
   * Draws the raster traces of `fig` (for the chart in element `id`) into one image under the
   * axes and rewrites `fig` to show it; resolves when done (at once when there is nothing to draw).
   */
  async function rasterise(id, fig) {
    const big = rasterTraces(fig);
    const el = document.getElementById(id);
    if (!big.length || !el) return;
    const tight = bounds(big);
    if (!tight) return;
    const b = padded(tight);
    const size = frame(fig.layout, el.clientWidth, b);
    const c = document.createElement('canvas');
    c.width = size.w;
    c.height = size.h;
    const g = c.getContext('2d');
    if (!g) return;
    paint(g, big, b, size);
    // Encoded by toBlob, which Chromium does off the UI thread (toDataURL took 150–450 ms on it);
    // the chart's previous image is let go.
    const blob = await new Promise((done) => c.toBlob(done, 'image/png'));
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    if (images.has(id)) URL.revokeObjectURL(images.get(id));
    images.set(id, url);
    fig.layout = fig.layout || {};
    fig.layout.images = (fig.layout.images || []).concat([
      {
        source: url,
        xref: 'x',
        yref: 'y',
        x: b.x0,
        y: b.y1,
        sizex: b.x1 - b.x0,
        sizey: b.y1 - b.y0,
        xanchor: 'left',
        yanchor: 'top',
        sizing: 'stretch',
        layer: 'below',
      },
    ]);
    const axes = { xaxis: big[0].xaxis, yaxis: big[0].yaxis };
    fig.data.push(...hoverTraces(big), {
      type: 'scatter', mode: 'none', x: [b.x0, b.x1], y: [b.y0, b.y1], hoverinfo: 'skip', showlegend: false, ...axes,
    });
  }

  /**
   * The city's reference lines (roads, district and area outlines: line traces of the legend
   * group 'reference', src/ui/charts/reference.rs) as layout shapes, one SVG path each: Plotly
   * draws a shape's path as it is, where a line trace's thousands of points each went through
   * its scatter code (a map's reference lines took 20–30 ms of its 50–75 ms draw; as shapes
   * about 10). They show no hover and no legend entry either way. Under the traces, as they were
   * drawn first; over a heatmap (a risk grid), which they were drawn over too — shapes have no
   * layer between traces. Returns how many traces became shapes.
   */
  function outlines(fig) {
    const data = Array.isArray(fig.data) ? fig.data : [];
    const heat = data.some((t) => t.type === 'heatmap' || t.type === 'contour');
    const shapes = [];
    fig.data = data.filter((t) => {
      const line = t.legendgroup === 'reference' && t.mode === 'lines' && (t.type || 'scatter') === 'scatter'
        && t.visible !== false && Array.isArray(t.x) && Array.isArray(t.y);
      if (!line) return true;
      const parts = [];
      let pen = false;
      for (let i = 0; i < t.x.length; i++) {
        const [x, y] = [t.x[i], t.y[i]];
        if (!(Number.isFinite(x) && Number.isFinite(y))) { pen = false; continue; }
        parts.push(`${pen ? 'L' : 'M'}${x},${y}`);
        pen = true;
      }
      if (parts.length) {
        shapes.push({
          type: 'path', path: parts.join(''), xref: t.xaxis || 'x', yref: t.yaxis || 'y',
          layer: heat ? 'above' : 'below', name: t.name, line: { ...(t.line || {}) },
        });
      }
      return false;
    });
    if (shapes.length) {
      fig.layout = fig.layout || {};
      fig.layout.shapes = (fig.layout.shapes || []).concat(shapes);
    }
    return shapes.length;
  }

  return { rasterise, rasterTraces, bounds, padded, frame, hoverTraces, outlines };
})();
