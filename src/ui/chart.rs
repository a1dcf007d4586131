//! A Plotly chart in a `div`: drawn once the element is in the page, redrawn when the plot changes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plotly::Plot;

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
            spawn_local(async move { plotly::bindings::react(id, &plot).await });
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
