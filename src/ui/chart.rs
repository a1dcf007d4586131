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

/// Draws or updates the chart in element `id`; a failure is logged, never a panic.
async fn draw(id: &str, plot: &Plot) {
    // Each chart is drawn in a task of its own. Drawn together in the task that rendered the page,
    // the charts of one page made a single task of 180–260 ms on 500,000 rows (bench/
    // browser_pipeline.mjs), during which a tap or a scroll waits; apart, input gets in between.
    let _ = wasm_bindgen_futures::JsFuture::from(next_task()).await;
    let figure = match js_sys::JSON::parse(&plot.to_json()) {
        Ok(f) => f,
        Err(e) => return leptos::logging::error!("chart {id}: figure not valid JSON: {e:?}"),
    };
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
    if (!fl || !fl.xaxis || !fl.yaxis) return;
    const r = gd.getBoundingClientRect();
    const px = ev.clientX - r.left - fl.xaxis._offset, py = ev.clientY - r.top - fl.yaxis._offset;
    if (px < 0 || py < 0 || px > fl.xaxis._length || py > fl.yaxis._length) return;
    cb(fl.xaxis.p2l(px), fl.yaxis.p2l(py));
  });
}")]
extern "C" {
    /// Calls `cb(x, y)` with the data coordinates of a click inside the plot area of the chart
    /// `gd`, wherever it lands (a gap of a heatmap included: Plotly's own `plotly_click` only
    /// reports clicks on a trace's points).
    fn on_plot_click(gd: &web_sys::HtmlElement, cb: &Closure<dyn FnMut(f64, f64)>);
}

fn listen_clicks(el: &web_sys::HtmlElement, f: Callback<(f64, f64)>) {
    let handler = Closure::<dyn FnMut(f64, f64)>::new(move |x: f64, y: f64| f.run((x, y)));
    on_plot_click(el, &handler);
    // Lives as long as the element: its listener holds the only reference to it.
    handler.forget();
}

/// `plot` builds the figure; it is rebuilt when the signals it reads change. (A builder rather
/// than a signal of `Plot`, because plotly's traces are not `Send`.) `on_click` gets the data
/// coordinates (x, y) of a click.
#[component]
pub fn Chart<F>(
    /// The element id Plotly draws into; unique in the page.
    id: &'static str,
    plot: F,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] on_click: Option<Callback<(f64, f64)>>,
) -> impl IntoView
where
    F: Fn() -> Plot + 'static,
{
    let node = NodeRef::<leptos::html::Div>::new();
    let listening = StoredValue::new(false);
    Effect::new(move |_| {
        let plot = plot();
        if let Some(el) = node.get() {
            spawn_local(async move {
                draw(id, &plot).await;
                // The chart may be gone by now (its page left while the draw waited for its
                // task): then its stored flag is disposed, and nothing is left to listen to.
                if let Some(f) = on_click.filter(|_| listening.try_get_value() == Some(false)) {
                    listening.set_value(true);
                    listen_clicks(&el, f);
                }
            });
        }
    });
    view! { <div class=format!("chart {class}") id=id node_ref=node></div> }
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

pub fn config() -> plotly::Configuration {
    plotly::Configuration::new().responsive(true).display_logo(false)
}
