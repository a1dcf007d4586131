//! The page shell: the top bar with the page tabs, the banners every page shares, and the router
//! from the URL's `#slug` to a page. Pages take their state from context and never import this.

use leptos::prelude::*;
use patroliq_core::track::DatasetPrint;

use crate::location::Page;
use crate::protocol::Source;
use crate::state::{AppState, Data, RunLog, Target};
use crate::ui::pages::backtest::BacktestPage;
use crate::ui::pages::bench::BenchPage;
use crate::ui::pages::experiments::Experiments;
use crate::ui::pages::explore::Explore;
use crate::ui::pages::features::FeaturesPage;
use crate::ui::pages::heatmaps::Heatmaps;
use crate::ui::pages::home::Home;
use crate::ui::pages::hotspots::Hotspots;
use crate::ui::pages::overview::Overview;
use crate::ui::pages::patrol::Patrol;
use crate::ui::pages::shape::Shape;
use crate::ui::pages::when::When;
use crate::ui::widgets::column_mapper::ColumnMapper;
use crate::ui::widgets::dataset_line::{DatasetLine, DemoBanner};
use crate::ui::widgets::filter_bar::FilterBar;
use crate::ui::widgets::progress::LoadProgress;
use crate::ui::widgets::replace_dialog::ReplaceDialog;
use crate::ui::widgets::report::ReportView;
use crate::ui::widgets::source_panel::SourcePanel;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::start();
    state.provide();
    // Street tiles under the maps, or not: one choice for every map.
    provide_context(crate::ui::charts::chart::Streets::load());
    // Charts are laid out at page width whenever the page is printed.
    crate::ui::charts::print::lay_out_for_print();
    // The `?data=` link's dataset, else the one kept on this device, else the demo.
    state.data.open();
    let page = RwSignal::new(Page::current());
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| page.set(Page::current()));
    // The listener lives as long as the page.
    std::mem::forget(on_hash);
    // A re-opened run fills its page's form until the user goes to another page.
    let reopened = state.log.reopened;
    Effect::new(move |_| {
        let page = page.get();
        if reopened.with_untracked(|r| r.as_ref().is_some_and(|r| r.params.page() != page.slug())) {
            reopened.set(None);
        }
    });

    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◆"</span>
                <span class="name">"PatrolIQ"</span>
                <span class="tagline">"Crime analytics in your browser — your data never leaves this device"</span>
            </div>
            <Nav page=page/>
        </header>
        <main class="page">
            <LoadProgress/>
            <FailureBanner/>
            <DemoBanner/>
            <DatasetLine/>
            <FilterBar/>
            <ReopenedBanner page=page/>
            {move || match page.get() {
                Page::Home => view! { <Home/> }.into_any(),
                Page::Overview => view! { <SourcePanel/><Overview/><ReportView/> }.into_any(),
                Page::Heatmaps => view! { <Heatmaps/> }.into_any(),
                Page::Explore => view! { <Explore/> }.into_any(),
                Page::Features => view! { <FeaturesPage/> }.into_any(),
                Page::Hotspots => view! { <Hotspots/> }.into_any(),
                Page::When => view! { <When/> }.into_any(),
                Page::Shape => view! { <Shape/> }.into_any(),
                Page::Patrol => view! { <Patrol/> }.into_any(),
                Page::Backtest => view! { <BacktestPage/> }.into_any(),
                Page::Bench => view! { <BenchPage/> }.into_any(),
                Page::Experiments => view! { <Experiments/> }.into_any(),
            }}
        </main>
        <ReplaceDialog/>
        <footer class="footer" id="footer">
            "PatrolIQ runs entirely in this browser tab (Rust + WebAssembly); your data never leaves this device."
            {move || state.data.source.with(|s| matches!(s, Some(Source::Demo { .. }))).then_some(
                " The demo data loaded now is synthetic."
            )}
        </footer>
    }
}

/// The page tabs: plain links to `#slug`, so they work with the keyboard, open in a new tab and
/// survive a reload.
#[component]
fn Nav(page: RwSignal<Page>) -> impl IntoView {
    view! {
        <nav class="tabs-nav" aria-label="Pages">
            {Page::TABS
                .into_iter()
                .map(|p| {
                    let current = move || page.get() == p;
                    view! {
                        <a
                            href=format!("#{}", p.slug())
                            id=format!("nav-{}", p.slug())
                            class:active=current
                            aria-current=move || current().then_some("page")
                        >
                            {p.title()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Says which logged run the page shows after "Re-open" on the Experiments page, and whether it
/// was made on other data than the dataset now loaded.
#[component]
fn ReopenedBanner(page: RwSignal<Page>) -> impl IntoView {
    let (data, log) = (expect_context::<Data>(), expect_context::<RunLog>());
    move || {
        let run = log.reopened.get()?;
        if run.params.page() != page.get().slug() {
            return None;
        }
        let now = data.dataset.with(|d| d.as_ref().map(|d| DatasetPrint::of(&d.report)));
        let other = now.filter(|d| d.fingerprint != run.dataset.fingerprint).map(|d| {
            format!(
                " It was made on {} ({} rows); it has been run again on the data now loaded, {} ({} rows).",
                run.dataset.name, run.dataset.rows, d.name, d.rows
            )
        });
        let when = patroliq_core::track::exchange::utc(run.started_ms).replace('T', " ").replace('Z', " UTC");
        Some(view! {
            <div class="banner info" id="reopened" role="status" data-run=run.id.clone()>
                <div class="banner-text">
                    <strong>{format!("Re-opened: {} ", run.title)}</strong>
                    {format!("(logged {when}). Its filter and parameters are restored and it has been run again.")}
                    {other}
                </div>
                <button class="btn ghost" aria-label="Dismiss" on:click=move |_| log.reopened.set(None)>"✕"</button>
            </div>
        })
    }
}

#[component]
fn FailureBanner() -> impl IntoView {
    let data = expect_context::<Data>();
    // A load started far down the page (Change columns… under the report) fails up here: the
    // message is brought into view, or the user would see nothing happen.
    Effect::new(move |_| {
        if data.failure.with(Option::is_some) {
            if let Some(banner) = document().get_element_by_id("load-error") {
                banner.scroll_into_view_with_bool(true);
            }
        }
    });
    move || {
        data.failure.get().map(|f| {
            let kept = data
                .dataset
                .get_untracked()
                .map(|d| format!("Your previous dataset ({}) is still loaded.", d.report.source.name));
            let dismiss = move |_| data.failure.set(None);
            view! {
                <div class="banner error" id="load-error" role="alert" data-kind=f.kind.clone()>
                    <div class="banner-text">
                        <strong>"Could not load the data. "</strong>
                        <span class="message">{f.message.clone()}</span>
                        {kept.map(|k| view! { <div class="kept">{k}</div> })}
                    </div>
                    <button class="btn ghost" on:click=dismiss aria-label="Dismiss">"✕"</button>
                </div>
                // Beside the banner, not in it: the banner's one button dismisses it.
                {f.preview.clone().map(|p| view! { <ColumnMapper preview=*p target=Target::Failed/> })}
            }
        })
    }
}
