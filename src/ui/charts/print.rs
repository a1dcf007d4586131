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
function toPrint(width, tallest) {
  if (typeof Plotly === 'undefined') return;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!gd.layout || screen.has(gd)) continue;
    screen.set(gd, [gd.layout.width, gd.layout.height]);
    const h = Math.round(Math.min(0.6 * (gd.layout.height || tallest), tallest));
    Plotly.relayout(gd, { width, height: h });
  }
}
function toScreen() {
  for (const [gd, [w, h]] of screen) {
    if (!document.body.contains(gd)) continue;
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
