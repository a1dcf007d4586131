// The chart rasteriser (public/raster.js) on a fake canvas: `node --test tests/js/`.
import assert from 'node:assert/strict';
import test from 'node:test';

await import('../../public/raster.js');
const R = globalThis.PatrolIQRaster;

const scatter = (n, extra = {}) => ({
  type: 'scatter',
  meta: 'raster',
  name: 'pts',
  x: Array.from({ length: n }, (_, i) => i),
  y: Array.from({ length: n }, (_, i) => 2 * i),
  text: Array.from({ length: n }, (_, i) => `p${i}`),
  marker: { color: '#ff0000', size: 4, opacity: 0.5 },
  ...extra,
});

test('only plain scatters marked raster with points are drawn', () => {
  const fig = {
    data: [scatter(3), scatter(3, { meta: undefined }), scatter(3, { type: 'scattergl' }), scatter(0)],
  };
  assert.equal(R.rasterTraces(fig).length, 1);
});

test('bounds skip points that are not finite, and an area of zero is none', () => {
  const t = { x: [0, NaN, 4, 2], y: [1, 5, null, 3] };
  assert.deepEqual(R.bounds([t]), { x0: 0, x1: 2, y0: 1, y1: 3 });
  assert.equal(R.bounds([{ x: [1, 1], y: [0, 5] }]), null);
});

test('the image is twice the plot area, equal axes keep the aspect, and its size is capped', () => {
  const b = { x0: 0, x1: 10, y0: 0, y1: 10 };
  const layout = { height: 500, margin: { l: 50, r: 50, t: 50, b: 50 } };
  assert.deepEqual(R.frame(layout, 900, b), { w: 1600, h: 800, pxPerDot: 2 });
  const equal = { ...layout, yaxis: { scaleanchor: 'x', scaleratio: 1 } };
  assert.deepEqual(R.frame(equal, 900, b), { w: 800, h: 800, pxPerDot: 2 });
  const huge = R.frame(layout, 900, { x0: 0, x1: 1e-9, y0: 0, y1: 1 });
  assert.ok(huge.w <= 4096 && huge.h <= 4096);
});

test('a drawn trace keeps one point for its legend and a hover trace keeps every point', () => {
  const t = scatter(5);
  const [h] = R.hoverTraces([t]);
  assert.deepEqual(t.x, [0]);
  assert.equal(t.hoverinfo, 'skip');
  assert.equal(t.text, undefined);
  assert.equal(h.mode, 'none');
  assert.equal(h.x.length, 5);
  assert.deepEqual(h.text, ['p0', 'p1', 'p2', 'p3', 'p4']);
  assert.equal(h.legendgroup, t.legendgroup);
  assert.equal(h.showlegend, false);
});

test('rasterise paints every point on a canvas and puts the image under the axes', async () => {
  const arcs = [];
  const ctx = {
    beginPath() {},
    fill() {},
    arc(x, y, r) {
      arcs.push({ x, y, r, fill: this.fillStyle, alpha: this.globalAlpha });
    },
  };
  const canvas = { getContext: () => ctx, toBlob: (done) => done({ type: 'image/png' }) };
  globalThis.document = {
    getElementById: (id) => (id === 'map' ? { clientWidth: 900 } : null),
    createElement: (tag) => (tag === 'canvas' ? canvas : null),
  };
  const { createObjectURL, revokeObjectURL } = URL;
  const revoked = [];
  let n = 0;
  URL.createObjectURL = () => `blob:${++n}`;
  URL.revokeObjectURL = (u) => revoked.push(u);
  try {
    const fig = { data: [scatter(4)], layout: { height: 500 } };
    await R.rasterise('map', fig);
    assert.equal(arcs.length, 4);
    assert.deepEqual([arcs[0].fill, arcs[0].alpha], ['#ff0000', 0.5]);
    assert.equal(canvas.width, 2 * (900 - 160));
    // The image covers the points' bounds (x 0–3, y 0–6) and 3 % more on each side, and the
    // axes reach as far (a corner trace of no marker): the dots at the edges are whole, off the
    // plot's edge.
    const [img] = fig.layout.images;
    assert.deepEqual([img.source, img.layer], ['blob:1', 'below']);
    for (const [got, want] of [[img.x, -0.09], [img.y, 6.18], [img.sizex, 3.18], [img.sizey, 6.36]]) {
      assert.ok(Math.abs(got - want) < 1e-9, `${got} vs ${want}`);
    }
    assert.equal(fig.data.length, 3);
    const corner = fig.data[2];
    assert.deepEqual([corner.mode, corner.showlegend, corner.hoverinfo], ['none', false, 'skip']);
    const near = (a, b) => a.every((v, i) => Math.abs(v - b[i]) < 1e-9);
    assert.ok(near([...corner.x, ...corner.y], [img.x, img.x + img.sizex, img.y - img.sizey, img.y]), JSON.stringify(corner));
    // The first and last points are painted a dot's radius or more inside the image.
    const last = arcs[3];
    assert.ok(arcs[0].x >= arcs[0].r && arcs[0].y <= canvas.height - arcs[0].r, JSON.stringify(arcs[0]));
    assert.ok(last.x <= canvas.width - last.r && last.y >= last.r, JSON.stringify(last));
    // Drawing the same chart again lets its previous image go.
    await R.rasterise('map', { data: [scatter(4)], layout: {} });
    assert.deepEqual(revoked, ['blob:1']);
    // No element, or nothing to draw: the figure is left as it was.
    const other = { data: [scatter(4)] };
    await R.rasterise('gone', other);
    assert.equal(other.data[0].x.length, 4);
  } finally {
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
    delete globalThis.document;
  }
});

test('reference lines become one shape path each, gaps lifted, other traces kept in order', () => {
  const road = { type: 'scatter', mode: 'lines', legendgroup: 'reference', name: 'arterials',
    x: [1, 2, null, 3, 4, 5], y: [10, 20, null, 30, NaN, 50], line: { color: '#aaa', width: 0.8, dash: 'dash' } };
  const names = { type: 'scatter', mode: 'text', legendgroup: 'reference', x: [1], y: [2], text: ['Loop'] };
  const route = { type: 'scatter', mode: 'lines', name: 'route', x: [1, 2], y: [3, 4] };
  const hidden = { ...road, name: 'hidden', visible: false };
  const fig = { data: [road, names, route, hidden], layout: { shapes: [{ type: 'line' }] } };
  assert.equal(R.outlines(fig), 1);
  assert.deepEqual(fig.data.map((t) => t.name ?? t.mode), ['text', 'route', 'hidden']);
  const s = fig.layout.shapes[1];
  // A missing or non-finite point lifts the pen: 4 → (NaN) → 5 is not drawn.
  assert.equal(s.path, 'M1,10L2,20M3,30M5,50');
  assert.deepEqual([s.xref, s.yref, s.layer, s.name], ['x', 'y', 'below', 'arterials']);
  assert.deepEqual(s.line, { color: '#aaa', width: 0.8, dash: 'dash' });
  assert.equal(fig.layout.shapes[0].type, 'line', 'shapes of the figure kept first');
  // Over a heatmap the lines go above the traces (they were drawn over the grid).
  const grid = { data: [{ type: 'heatmap', z: [[1]] }, { ...road }] };
  assert.equal(R.outlines(grid), 1);
  assert.equal(grid.layout.shapes[0].layer, 'above');
  assert.equal(R.outlines({ data: [route] }), 0);
});
