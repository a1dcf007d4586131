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

/// Draws or updates the chart in element `id`; a failure is logged, never a panic.
async fn draw(id: &str, plot: &Plot) {
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

/// `plot` builds the figure; it is rebuilt when the signals it reads change. (A builder rather
/// than a signal of `Plot`, because plotly's traces are not `Send`.)
#[component]
pub fn Chart<F>(
    /// The element id Plotly draws into; unique in the page.
    id: &'static str,
    plot: F,
    #[prop(optional)] class: &'static str,
) -> impl IntoView
where
    F: Fn() -> Plot + 'static,
{
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let plot = plot();
        if node.get().is_some() {
            spawn_local(async move { draw(id, &plot).await });
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
