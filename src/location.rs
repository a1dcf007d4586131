//! The page URL as the app's memory: `?data=<url>` picks the dataset, the filter's parameters
//! (`from`, `to`, `type`, `district`, `arrest`, `domestic`) pick the rows, and `#explore` the page,
//! so a copied link reproduces the view.
//!
//! Hash-based pages rather than a path router: the app is a static site served from any folder
//! (trunk's `public_url = "./"`), and a path like `/explore` would 404 on a plain file server.

use leptos::prelude::window;
use patroliq_core::filter::Filter;

use crate::protocol::Source;

/// The pages of the app, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Overview,
    Explore,
    Hotspots,
    When,
    Shape,
    Heatmaps,
    Patrol,
    Backtest,
    Features,
    Experiments,
    /// The whole-pipeline benchmark: linked from the Data page, not a tab.
    Bench,
}

impl Page {
    pub const ALL: [Page; 12] = [
        Page::Home,
        Page::Overview,
        Page::Explore,
        Page::Hotspots,
        Page::When,
        Page::Shape,
        Page::Heatmaps,
        Page::Patrol,
        Page::Backtest,
        Page::Features,
        Page::Experiments,
        Page::Bench,
    ];

    /// The pages with a tab (and a tile on the briefing).
    pub const TABS: [Page; 11] = [
        Page::Home,
        Page::Overview,
        Page::Explore,
        Page::Hotspots,
        Page::When,
        Page::Shape,
        Page::Heatmaps,
        Page::Patrol,
        Page::Backtest,
        Page::Features,
        Page::Experiments,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Overview => "overview",
            Page::Explore => "explore",
            Page::Hotspots => "hotspots",
            Page::When => "when",
            Page::Shape => "shape",
            Page::Heatmaps => "heatmaps",
            Page::Patrol => "patrol",
            Page::Backtest => "backtest",
            Page::Features => "features",
            Page::Experiments => "experiments",
            Page::Bench => "bench",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Page::Home => "Briefing",
            Page::Overview => "Data",
            Page::Explore => "Explore",
            Page::Hotspots => "Hotspots",
            Page::When => "When",
            Page::Shape => "Shape",
            Page::Heatmaps => "Heatmaps",
            Page::Patrol => "Patrol",
            Page::Backtest => "Back-test",
            Page::Features => "Features",
            Page::Experiments => "Experiments",
            Page::Bench => "Benchmark",
        }
    }

    /// The page named by the URL's hash; anything unknown is the briefing.
    pub fn current() -> Page {
        let hash = window().location().hash().unwrap_or_default();
        let slug = hash.trim_start_matches('#');
        Page::ALL.into_iter().find(|p| p.slug() == slug).unwrap_or(Page::Home)
    }
}

fn search() -> String {
    window().location().search().unwrap_or_default()
}

/// `?data=<url>` if given.
pub fn data_source() -> Option<Source> {
    web_sys::UrlSearchParams::new_with_str(&search())
        .ok()
        .and_then(|p| p.get("data"))
        .filter(|u| !u.trim().is_empty())
        .map(|url| Source::Url { url })
}

/// The filter in the URL, and what was wrong with it (ignored values).
pub fn filter() -> (Filter, Vec<String>) {
    Filter::from_query(&search())
}

/// Writes `filter` into the URL, keeping `data=` and the page, without a new history entry per
/// click (the back button leaves the app rather than undoing filter clicks one by one).
pub fn set_filter(filter: &Filter) {
    let params = web_sys::UrlSearchParams::new_with_str(&search()).ok();
    let data = params.and_then(|p| p.get("data"));
    write(data, filter);
}

/// Sets or removes `data=` in the URL, keeping the filter and the page: once the user loads other
/// data, a reload must not fetch the link's again.
pub fn set_data(url: Option<&str>) {
    write(url.map(str::to_owned), &filter().0);
}

fn write(data: Option<String>, filter: &Filter) {
    let mut query = String::new();
    if let Some(d) = data {
        query = form_query("data", &d);
    }
    let f = filter.to_query();
    if !f.is_empty() {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&f);
    }
    let loc = window().location();
    let path = loc.pathname().unwrap_or_default();
    let hash = loc.hash().unwrap_or_default();
    let url = if query.is_empty() { format!("{path}{hash}") } else { format!("{path}?{query}{hash}") };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn form_query(key: &str, value: &str) -> String {
    let p = web_sys::UrlSearchParams::new().expect("URLSearchParams exists");
    p.append(key, value);
    p.to_string().into()
}
