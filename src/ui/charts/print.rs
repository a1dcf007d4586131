//! Charts at print width: before the page is printed (the browser's Print, Ctrl+P, or the
//! briefing's button), every drawn chart is laid out again at the width of an A4 or Letter page
//! inside its margins, and after printing at its screen size again. A chart drawn 1,200 px wide
//! on a desktop would otherwise be cut at the page's edge, or shrunk with the whole page.

use wasm_bindgen::prelude::*;

/// CSS pixels across an A4 page (210 mm) inside the 12 mm margins of `@page` in style.css;
/// a Letter page (8.5 in) is a little wider.
pub const PRINT_WIDTH: f64 = 700.0;
/// The tallest a chart is printed; each is printed at 60 % of its screen height up to this, so
/// that the briefing fits two pages.
pub const PRINT_HEIGHT: f64 = 400.0;

#[wasm_bindgen(inline_js = "
// Each chart's screen size while it is laid out for print; absent otherwise. Kept per chart and
// never overwritten while present: a print that begins before the last one's sizes came back
// (page.pdf, a second Ctrl+P) must not take the print size for the screen's.
const screen = new Map();
// The map labels changed for print, to be put back: [element, text, x, text-anchor].
const decluttered = [];
// Puts back the labels changed inside `within` (every one when null), latest change first, so
// that each ends as it was before its first.
function putBack(within) {
  for (let i = decluttered.length - 1; i >= 0; i--) {
    const [t, text, x, anchor] = decluttered[i];
    if (within && !within.contains(t)) continue;
    t.textContent = text;
    t.setAttribute('x', x);
    if (anchor) t.setAttribute('text-anchor', anchor);
    t.style.visibility = '';
    decluttered.splice(i, 1);
  }
}
// Moves label `t` to the other side of its marker (the point of the same index in its trace).
function mirror(t) {
  const trace = t.closest('.trace');
  if (!trace) return;
  const m = [...trace.querySelectorAll('.points path')][[...trace.querySelectorAll('text')].indexOf(t)];
  const anchor = t.getAttribute('text-anchor') || 'start';
  if (!m || (anchor !== 'start' && anchor !== 'end')) return;
  const mb = m.getBoundingClientRect(), tb = t.getBoundingClientRect();
  const cx = (mb.left + mb.right) / 2, x = parseFloat(t.getAttribute('x'));
  // The text's x is where its anchored edge is: mirrored about the marker's centre.
  t.setAttribute('x', x + 2 * (cx - (anchor === 'start' ? tb.left : tb.right)));
  t.setAttribute('text-anchor', anchor === 'start' ? 'end' : 'start');
}
// A map's labels were placed for its scale on screen (reference::labeller); printed smaller, some
// would print over others or over a marker. Most important first — ranked labels
// ('3 · 1400 N Clark St') by rank, then the rest as drawn — a label over one kept or a marker
// tries the other side of its marker, then its rank alone on either side; one that still does not
// fit (or has no rank) is hidden. Marks the chart data-decluttered.
function declutter(gd) {
  if (gd.layout?.yaxis?.scaleanchor !== 'x') return;
  // Done again once Plotly has finished: from the labels as drawn, not as last decluttered.
  putBack(gd);
  const rank = (t) => { const m = /^(\\d+) · /.exec(t.textContent); return m ? Number(m[1]) : Infinity; };
  const texts = [...gd.querySelectorAll('.scatterlayer .trace text')].filter((t) => t.textContent);
  texts.sort((a, b) => rank(a) - rank(b));
  const over = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  // The markers are printed whole: no label covers one.
  const kept = [...gd.querySelectorAll('.scatterlayer .trace .points path')].map((m) => m.getBoundingClientRect());
  for (const t of texts) {
    const r = rank(t), was = [t, t.textContent, t.getAttribute('x'), t.getAttribute('text-anchor')];
    const fits = () => { const b = t.getBoundingClientRect(); return kept.some((k) => over(k, b)) ? null : b; };
    const back = () => { t.setAttribute('x', was[2]); if (was[3]) t.setAttribute('text-anchor', was[3]); };
    const tries = r === Infinity ? [] : [() => mirror(t), () => { back(); t.textContent = String(r); }, () => mirror(t)];
    let box = fits();
    if (!box) decluttered.push(was);
    for (const step of tries) {
      if (box) break;
      step();
      box = fits();
    }
    if (box) kept.push(box);
    else t.style.visibility = 'hidden';
  }
  gd.dataset.decluttered = '1';
}
function toPrint(width, tallest) {
  if (typeof Plotly === 'undefined') return;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!gd.layout || screen.has(gd)) continue;
    screen.set(gd, [gd.layout.width, gd.layout.height]);
    const h = Math.round(Math.min(0.6 * (gd.layout.height || tallest), tallest));
    // An SVG chart is drawn again before relayout returns: decluttered at once, for a print that
    // begins in this task (the button's), and again once Plotly is done.
    const done = Plotly.relayout(gd, { width, height: h });
    declutter(gd);
    done.then(() => { if (screen.has(gd)) declutter(gd); });
  }
}
function toScreen() {
  putBack(null);
  for (const [gd, [w, h]] of screen) {
    if (!document.body.contains(gd)) continue;
    delete gd.dataset.decluttered;
    // A chart that fits its box is fitted again once drawn, unless a new print has begun.
    Plotly.relayout(gd, { width: w ?? null, height: h ?? null }).then(() => { if (!screen.has(gd)) Plotly.Plots.resize(gd); });
  }
  screen.clear();
}
export function follow_print(width, tallest) {
  window.addEventListener('beforeprint', () => toPrint(width, tallest));
  window.addEventListener('afterprint', toScreen);
  // Back on screen, whatever the print events did: the sizes come back, and charts that fit
  // their box are fitted to it again (one laid out while print styles applied took that box).
  window.matchMedia('print').addEventListener('change', (e) => {
    if (e.matches) return;
    toScreen();
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      if (gd.layout && gd.layout.width === undefined) Plotly.Plots.resize(gd);
    }
  });
}
export function print_page(width, tallest) {
  toPrint(width, tallest);
  window.print();
  // Chrome's print() returns once the dialog is closed (after afterprint); where no dialog came
  // (headless) or afterprint never does, the screen sizes come back anyway.
  if (screen.size) setTimeout(toScreen, 500);
}
")]
extern "C" {
    fn follow_print(width: f64, tallest: f64);
    fn print_page(width: f64, tallest: f64);
}

/// Listens for printing for as long as the page is open (the shell calls it once).
pub fn lay_out_for_print() {
    follow_print(PRINT_WIDTH, PRINT_HEIGHT);
}

/// Prints the page now, charts at print width first.
pub fn print() {
    print_page(PRINT_WIDTH, PRINT_HEIGHT);
}
