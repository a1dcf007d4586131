//! A Plotly chart in a `div`: drawn once the element is in the page, redrawn when the plot changes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plotly::Plot;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Plotly.react` (plotly.js is loaded by index.html). Bound here rather than through
    /// `plotly::bindings::react`, which panics when the promise rejects (e.g. a map whose street
    /// tiles cannot load offline): a panic on the UI thread would stop the whole app.
    #[wasm_bindgen(js_namespace = Plotly, js_name = react, catch)]
    fn plotly_react(id: &str, figure: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

#[wasm_bindgen(inline_js = "export function next_task() { return new Promise((r) => setTimeout(r, 0)); }")]
extern "C" {
    /// Resolves in a task of its own (a timer's), after whatever the browser has queued.
    fn next_task() -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    /// Draws the points of the figure's traces marked `meta: "raster"` (plain 2-D scatter) into
    /// one image under the axes, leaves those traces one point each for their legend entries, and
    /// adds beside each a trace of its points that draws nothing but gives their hover text;
    /// resolves when done (at once when there are none). In `public/raster.js` (loaded by
    /// index.html), where it is tested (`tests/js/raster.test.mjs`).
    #[wasm_bindgen(js_namespace = PatrolIQRaster, catch)]
    fn rasterise(id: &str, figure: &JsValue) -> Result<js_sys::Promise, JsValue>;
    /// Moves a map's reference lines (roads, outlines) into the layout as shapes, one SVG path
    /// each, which Plotly draws in a fraction of a line trace's time. In `public/raster.js`.
    #[wasm_bindgen(js_namespace = PatrolIQRaster, catch)]
    fn outlines(figure: &JsValue) -> Result<u32, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// Whether the browser can draw WebGL (street maps need it). In `public/streets.js`.
    #[wasm_bindgen(js_namespace = PatrolIQStreets, js_name = webgl)]
    fn street_webgl() -> bool;
    /// Draws a street figure (`crate::street::to_street`) and its labels in chart `id`; tiles that
    /// fail are said in element `note`.
    #[wasm_bindgen(js_namespace = PatrolIQStreets, js_name = draw)]
    fn street_draw(id: &str, figure: &JsValue, labels: &JsValue, note: &str) -> js_sys::Promise;
    /// Clears a street map in chart `id` before a plain figure is drawn there.
    #[wasm_bindgen(js_namespace = PatrolIQStreets, js_name = plain)]
    fn street_plain(id: &str, note: &str);
    /// Shows `text` in element `note` (hides it when `None`).
    #[wasm_bindgen(js_namespace = PatrolIQStreets, js_name = say)]
    fn street_say(note: &str, text: Option<String>);
}

/// Whether maps are drawn on street tiles: one choice for every map, off until the user turns it
/// on (no tile server is contacted before), kept on this device.
#[derive(Debug, Clone, Copy)]
pub struct Streets(pub RwSignal<bool>);

const STREETS_KEY: &str = "patroliq.map.street";

impl Streets {
    /// The choice kept on this device (off when none).
    pub fn load() -> Streets {
        let on = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STREETS_KEY).ok().flatten())
            .is_some_and(|v| v == "1");
        Streets(RwSignal::new(on))
    }

    pub fn set(self, on: bool) {
        self.0.set(on);
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(STREETS_KEY, if on { "1" } else { "0" });
        }
    }
}

/// Traces marked so ([`RASTER`]) are drawn as one image under the axes: Plotly draws every point
/// of an SVG scatter as an element of its own (40–50 ms per 1,000 points on the UI thread), so the
/// Hotspots map's 10,000 points took one task of 350–540 ms; as pixels, tens of ms. Their hover
/// text is kept by a trace that draws nothing; hiding one in the legend leaves its pixels (the
/// hulls, centres and legend stay vectors).
pub const RASTER: &str = "raster";

#[wasm_bindgen(inline_js = "export function separate_thousands(fig) {
  const layout = fig.layout || (fig.layout = {});
  if (layout.separators == null) layout.separators = '.,';
  const data = Array.isArray(fig.data) ? fig.data : [];
  const nums = (v) => (Array.isArray(v) ? v.flat(2) : []);
  const big = (vals) => vals.length > 0 && vals.every((v) => v == null || typeof v === 'number')
    && vals.some((v) => typeof v === 'number' && Math.abs(v) >= 1000);
  const fmt = ',~f';
  // Grouped ticks of seven digits (1,200,000) are wider than the charts' usual margin: room for
  // the widest tick the values can reach (a digit or comma ~7.5 px at 13 px) and the title.
  const peak = (vals) => {
    let max = 0;
    for (const v of vals) if (typeof v === 'number' && Math.abs(v) > max) max = Math.abs(v);
    return max;
  };
  const widen_left = (layout, ax, vals) => {
    const max = peak(vals);
    const digits = Math.floor(Math.log10(max * 1.25)) + 1;
    const chars = digits + Math.floor((digits - 1) / 3);
    const need = Math.ceil(chars * 7.5 + (ax.title ? 32 : 0) + 10);
    const m = layout.margin || (layout.margin = {});
    if ((m.l ?? 80) < need) m.l = need;
  };
  for (const dim of ['x', 'y']) {
    const ids = new Set(data.map((t) => t[dim + 'axis'] || dim));
    for (const id of ids) {
      const key = dim + 'axis' + id.slice(1);
      const ax = layout[key] || (layout[key] = {});
      if (ax.tickformat != null || ax.tickvals || (ax.type && ax.type !== 'linear' && ax.type !== '-')) continue;
      const vals = data.filter((t) => (t[dim + 'axis'] || dim) === id && !t.geo).flatMap((t) => nums(t[dim]));
      if (big(vals)) {
        // Six-digit and longer ticks across (horizontal bars' counts) do not fit a half-width
        // chart side by side: Plotly tilts them over the axis title. Across they are written
        // short (500k, 1.2M); the hover keeps every digit.
        ax.tickformat = dim === 'x' && peak(vals) >= 100000 ? '~s' : fmt;
        if (ax.hoverformat == null) ax.hoverformat = fmt;
        if (dim === 'y' && ax.side !== 'right' && !ax.overlaying) widen_left(layout, ax, vals);
      }
    }
  }
  for (const t of data) {
    if (big(nums(t.z))) {
      const cb = t.colorbar || (t.colorbar = {});
      if (cb.tickformat == null && !cb.tickvals) cb.tickformat = fmt;
    }
    const m = t.marker;
    if (m && big(nums(m.color))) {
      const cb = m.colorbar || (m.colorbar = {});
      if (cb.tickformat == null && !cb.tickvals) cb.tickformat = fmt;
    }
  }
}")]
extern "C" {
    /// Thousands separators on every number ≥ 1,000 a chart's axes and colour bars show: the
    /// layout's `separators`, and `tickformat` ",~f" (grouped, no trailing zeros) on numeric axes
    /// and colour bars whose values reach 1,000 and that set no format or ticks of their own
    /// (Plotly's default writes 4-digit ticks bare and 5-digit ones as "10k"), the left margin
    /// widened for the y axis's longest tick; ticks across of 100,000 and more are written short
    /// ("500k") so that they fit side by side. Date and category axes are left alone.
    fn separate_thousands(figure: &JsValue);
}

/// Draws a map on street tiles in element `id` (of `width` px); `false` when it has no street
/// form or the browser no WebGL (the note says so), to be drawn plain.
async fn draw_street(id: &str, figure: &serde_json::Value, width: f64) -> bool {
    let note = format!("{id}-street-note");
    if !street_webgl() {
        street_say(&note, Some("Street maps need WebGL, which this browser does not offer: the map is drawn without streets.".into()));
        return false;
    }
    let height = figure["layout"]["height"].as_f64().unwrap_or(560.0);
    let Some((fig, labels)) = crate::street::to_street(figure, width, height) else {
        street_say(&note, Some("This map cannot be drawn on streets: it is drawn without them.".into()));
        return false;
    };
    let parse = |v: String| js_sys::JSON::parse(&v);
    let (Ok(fig), Ok(labels)) =
        (parse(fig.to_string()), parse(serde_json::to_string(&labels).expect("labels serialise")))
    else {
        return false;
    };
    let _ = wasm_bindgen_futures::JsFuture::from(street_draw(id, &fig, &labels, &note)).await;
    true
}

/// Draws or updates the chart in element `id`; a failure is logged, never a panic. `street`: a
/// map to draw on street tiles, with the chart's width.
async fn draw(id: &str, plot: &Plot, street: Option<(&serde_json::Value, f64)>) {
    // Each chart is drawn in a task of its own. Drawn together in the task that rendered the page,
    // the charts of one page made a single task of 180–260 ms on 500,000 rows (bench/
    // browser_pipeline.mjs), during which a tap or a scroll waits; apart, input gets in between.
    let _ = wasm_bindgen_futures::JsFuture::from(next_task()).await;
    if let Some((figure, width)) = street {
        if draw_street(id, figure, width).await {
            return;
        }
    } else {
        street_plain(id, &format!("{id}-street-note"));
    }
    let figure = match js_sys::JSON::parse(&plot.to_json()) {
        Ok(f) => f,
        Err(e) => return leptos::logging::error!("chart {id}: figure not valid JSON: {e:?}"),
    };
    separate_thousands(&figure);
    if let Err(e) = outlines(&figure) {
        leptos::logging::warn!("chart {id}: reference lines left as traces: {e:?}");
    }
    let rasterised = match rasterise(id, &figure) {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = rasterised {
        leptos::logging::warn!("chart {id}: points not drawn as an image: {e:?}");
    }
    let drawn = match plotly_react(id, &figure) {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = drawn {
        leptos::logging::warn!("chart {id}: {e:?}");
    }
}

#[wasm_bindgen(inline_js = "export function on_plot_click(gd, cb) {
  gd.addEventListener('click', (ev) => {
    const fl = gd._fullLayout;
    const map = fl && fl.map && fl.map._subplot && fl.map._subplot.map;
    if (map) {
      // A map on street tiles: MapLibre knows where the click is. (Heard as it goes down to the
      // map: it does not come back up.)
      const b = map.getContainer().getBoundingClientRect();
      const x = ev.clientX - b.left, y = ev.clientY - b.top;
      if (x < 0 || y < 0 || x > b.width || y > b.height) return;
      const p = map.unproject([x, y]);
      return cb(p.lng, p.lat);
    }
    if (!fl || !fl.xaxis || !fl.yaxis) return;
    const r = gd.getBoundingClientRect();
    const px = ev.clientX - r.left - fl.xaxis._offset, py = ev.clientY - r.top - fl.yaxis._offset;
    if (px < 0 || py < 0 || px > fl.xaxis._length || py > fl.yaxis._length) return;
    cb(fl.xaxis.p2l(px), fl.yaxis.p2l(py));
  }, true);
}")]
extern "C" {
    /// Calls `cb(x, y)` with the data coordinates of a click inside the plot area of the chart
    /// `gd`, wherever it lands (a gap of a heatmap included: Plotly's own `plotly_click` only
    /// reports clicks on a trace's points); on a street map, (longitude, latitude).
    fn on_plot_click(gd: &web_sys::HtmlElement, cb: &Closure<dyn FnMut(f64, f64)>);
}

#[wasm_bindgen(inline_js = "export function point_listening(gd) { return !!(gd._ev && gd._ev.__piqPoint); }
export function on_point(gd, cb) {
  if (typeof gd.on !== 'function') return false;
  if (gd._ev) gd._ev.__piqPoint = true;
  const num = (v, spec) => {
    if (typeof v !== 'number') return v;
    const d = /\\.(\\d)f/.exec(spec || '');
    const s = d ? v.toFixed(Number(d[1])) : String(Math.round(v * 1e4) / 1e4);
    return (spec || '').includes(',') ? Number(s).toLocaleString('en-US', { maximumFractionDigits: d ? Number(d[1]) : 4 }) : s;
  };
  gd.on('plotly_click', (e) => {
    const p = e && e.points && e.points[0];
    if (!p) return;
    const t = p.data || {};
    const at = (v) => (Array.isArray(v) ? v[p.pointNumber] : v);
    let text = at(t.hovertext) ?? at(t.text);
    const template = at(t.hovertemplate);
    if ((text == null || text === '') && template) {
      text = String(template).replace(/<extra>.*?<\\/extra>/g, '').replace(/%\\{(\\w+)(?::([^}]*))?\\}/g,
        (_, k, spec) => { const v = k === 'text' ? at(t.text) : p[k]; return v == null ? '' : String(num(v, spec)); });
    }
    if (text == null || text === '') {
      text = [t.name, [p.x, p.y, p.z].filter((v) => v != null).map((v) => num(v)).join(', ')].filter(Boolean).join('<br>');
    }
    const lines = String(text).split(/<br\\s*\\/?>/i).map((l) => l.replace(/<[^>]*>/g, '')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim()).filter(Boolean);
    if (lines.length) cb(lines.join('\\n'), t.name || '', p.pointNumber ?? -1);
  });
  return true;
}")]
extern "C" {
    /// Calls `cb(text, trace, index)` when a point of the drawn chart `gd` is clicked or tapped:
    /// its hover text (or its hover template filled in, or its trace and values) as lines, its
    /// trace's name and its index. `false` when the chart is not drawn yet.
    fn on_point(gd: &web_sys::HtmlElement, cb: &Closure<dyn FnMut(String, String, i32)>) -> bool;
    /// Whether `on_point` listens to the chart as drawn now (a chart cleared to change between
    /// a plain and a street map loses its Plotly listeners).
    fn point_listening(gd: &web_sys::HtmlElement) -> bool;
}

/// What a tap on a point of a chart shows under it: hover text is not there on a touch screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    /// The trace's name and the point's index in it (-1 when not a point of a trace).
    pub trace: String,
    pub index: i32,
    pub lines: Vec<String>,
}

fn listen_points(
    el: &web_sys::HtmlElement,
    picked: RwSignal<Option<Picked>>,
    describe: Option<Callback<Picked, Picked>>,
) -> bool {
    let handler =
        Closure::<dyn FnMut(String, String, i32)>::new(move |text: String, trace: String, index: i32| {
            let lines = text.lines().map(str::to_owned).collect();
            let p = Picked { trace, index, lines };
            picked.try_set(Some(match describe {
                Some(d) => d.run(p),
                None => p,
            }));
        });
    let listening = on_point(el, &handler);
    // Lives as long as the element: its listener holds the only reference to it.
    handler.forget();
    listening
}

/// The details of the point tapped (or clicked, or picked in a table beside), in a panel under
/// the chart, in words; closed by its button.
#[component]
pub fn PointDetails(id: &'static str, picked: RwSignal<Option<Picked>>) -> impl IntoView {
    move || {
        picked.get().map(|p| {
            let mut lines = p.lines.into_iter();
            let head = lines.next().unwrap_or_default();
            view! {
                <div class="chart-details" id=format!("{id}-details") role="status" data-trace=p.trace data-index=p.index>
                    <div class="chart-details-text">
                        <strong>{head}</strong>
                        {lines.map(|l| view! { <span class="line">{l}</span> }).collect_view()}
                    </div>
                    <button class="btn ghost small" aria-label="Close the details" on:click=move |_| picked.set(None)>"✕"</button>
                </div>
            }
        })
    }
}

fn listen_clicks(el: &web_sys::HtmlElement, f: Callback<(f64, f64)>) {
    let handler = Closure::<dyn FnMut(f64, f64)>::new(move |x: f64, y: f64| f.run((x, y)));
    on_plot_click(el, &handler);
    // Lives as long as the element: its listener holds the only reference to it.
    handler.forget();
}

/// `plot` builds the figure; it is rebuilt when the signals it reads change. (A builder rather
/// than a signal of `Plot`, because plotly's traces are not `Send`.) `on_click` gets the data
/// coordinates (x, y) of a click. A click or tap on a point shows its details under the chart
/// ([`PointDetails`]; `picked` to share them with a table beside it).
#[component]
pub fn Chart<F>(
    /// The element id Plotly draws into; unique in the page.
    id: &'static str,
    plot: F,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] on_click: Option<Callback<(f64, f64)>>,
    #[prop(optional)] picked: Option<RwSignal<Option<Picked>>>,
    /// Says more of a picked point than its hover text (the page knows what its traces are).
    #[prop(optional)]
    describe: Option<Callback<Picked, Picked>>,
) -> impl IntoView
where
    F: Fn() -> Plot + 'static,
{
    let node = NodeRef::<leptos::html::Div>::new();
    let listening = StoredValue::new(false);
    let points = StoredValue::new(false);
    let picked = picked.unwrap_or_else(|| RwSignal::new(None));
    let streets = use_context::<Streets>().unwrap_or_else(|| Streets(RwSignal::new(false)));
    // Whether the figure is a map (longitude/latitude): then it has the streets control.
    let is_map = RwSignal::new(false);
    Effect::new(move |_| {
        let plot = plot();
        // A new figure: the point picked in the last one may not be in it.
        picked.set(None);
        let figure: serde_json::Value = serde_json::from_str(&plot.to_json()).unwrap_or_default();
        let map = crate::street::is_map(&figure);
        is_map.set(map);
        // Read (and so followed) only by maps: turning streets on redraws the maps alone.
        let street = map && streets.0.get();
        if let Some(el) = node.get() {
            spawn_local(async move {
                let width = f64::from(el.client_width()).max(300.0);
                draw(id, &plot, street.then_some((&figure, width))).await;
                // The chart may be gone by now (its page left while the draw waited for its
                // task): then its stored flag is disposed, and nothing is left to listen to.
                if let Some(f) = on_click.filter(|_| listening.try_get_value() == Some(false)) {
                    listening.set_value(true);
                    listen_clicks(&el, f);
                }
                if points.try_get_value().is_some() && !point_listening(&el) {
                    points.set_value(listen_points(&el, picked, describe));
                }
            });
        }
    });
    view! {
        <div class=format!("chart-box {class}")>
            {move || is_map.get().then(|| view! { <StreetsControl id=id streets=streets/> })}
            <div class=format!("chart {class}") id=id node_ref=node></div>
            <p class="street-note" id=format!("{id}-street-note") role="status" hidden=true></p>
            <PointDetails id=id picked=picked/>
        </div>
    }
}

/// The switch above every map: streets under the data or not, for every map at once.
#[component]
fn StreetsControl(id: &'static str, streets: Streets) -> impl IntoView {
    let on = streets.0;
    view! {
        <div class="streets-control">
            <button
                type="button"
                class="btn ghost small streets-toggle"
                id=format!("{id}-streets")
                aria-pressed=move || if on.get() { "true" } else { "false" }
                title="Street tiles come from openstreetmap.org. Each request carries only the tile's \
                       coordinates (which part of the map is shown), never your data. Applies to every map; \
                       remembered on this device."
                on:click=move |_| streets.set(!on.get_untracked())
            >
                {move || if on.get() { "Streets: on" } else { "Streets: off" }}
            </button>
            <span class="streets-why">
                {move || {
                    if on.get() {
                        view! {
                            "Streets "
                            <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">
                                "© OpenStreetMap contributors"
                            </a>
                            ". Tile requests send only tile coordinates, never your data."
                        }
                            .into_any()
                    } else {
                        "Street tiles (openstreetmap.org) are off: turning them on sends only tile coordinates, never your data."
                            .into_any()
                    }
                }}
            </span>
        </div>
    }
}

/// Layout defaults shared by every chart: compact margins, readable fonts, no Plotly logo.
pub fn base_layout(title: &str, height: usize) -> plotly::Layout {
    use plotly::common::{Font, Title};
    use plotly::layout::Margin;
    plotly::Layout::new()
        .title(Title::with_text(title).font(Font::new().size(16)))
        .height(height)
        .margin(Margin::new().left(60).right(20).top(48).bottom(48))
        .font(Font::new().family("system-ui, -apple-system, Segoe UI, Roboto, sans-serif").size(13))
        .paper_background_color("rgba(0,0,0,0)")
        .plot_background_color("rgba(0,0,0,0)")
}

/// Base margins with room for labels measured by [`label_width`]: `left` for the y axis's
/// labels, `bottom` for the x axis's, in pixels (never less than [`base_layout`]'s own).
///
/// Charts set their margins from their labels rather than asking Plotly's `automargin`, which
/// measures the drawn labels and then draws the whole chart again with the margins they need: the
/// correlation chart took 30 ms warm with it and 15 ms without (`bench/ui_trace.mjs` and an A/B
/// of `Plotly.newPlot`), and its first draw on the Explore page was the UI thread's longest task.
pub fn label_margin(left: f64, bottom: f64) -> plotly::layout::Margin {
    plotly::layout::Margin::new()
        .left(left.ceil().max(60.0) as usize)
        .right(20)
        .top(48)
        .bottom(bottom.ceil().max(48.0) as usize)
}

/// Width in pixels of the longest label at the charts' 13 px font, estimated on the generous
/// side (a capital as 0.72 em, any other character as 0.6 em: the crime types are in capitals),
/// plus the gap Plotly leaves between labels and axis.
pub fn label_width<'a>(labels: impl IntoIterator<Item = &'a str>) -> f64 {
    const FONT: f64 = 13.0;
    let em = |c: char| if c.is_uppercase() || c == 'W' || c == 'M' { 0.72 } else { 0.6 };
    labels.into_iter().map(|l| l.chars().map(em).sum::<f64>() * FONT).fold(0.0, f64::max) + 10.0
}

/// Height taken below the axis by labels of [`label_width`] `width` rotated `degrees` (and a
/// line of their own height), plus `title` pixels for the axis's title (0 when it has none).
pub fn rotated_height(width: f64, degrees: f64, title: f64) -> f64 {
    let a = degrees.abs().to_radians();
    width * a.sin() + 13.0 * a.cos() + title
}

pub fn config() -> plotly::Configuration {
    plotly::Configuration::new().responsive(true).display_logo(false)
}
