//! What every page's parameter form shares: number fields bound to text signals (the value is
//! kept as typed, so a half-typed number is not lost), parsing with a message naming the field,
//! and the form's life on its page — filled from the run being re-opened, read on "Run" with its
//! error shown, and the page's default run once the data is there.

use leptos::prelude::*;
use patroliq_core::track::RunParams;

use crate::state::{Data, RunLog, Slot};

/// A page's parameter form: its fields as typed and what they read into.
pub trait ParamForm: Copy + 'static {
    type Params;

    /// The parameters typed, checked as the worker will check them, or what is wrong in words.
    fn read(&self) -> Result<Self::Params, String>;

    /// Puts a logged run's parameters in the form (re-opening it from the Experiments page); a
    /// run of another analysis leaves it as it is.
    fn fill(&self, _params: &RunParams) {}
}

/// Wires `form` to its page: filled from the run being re-opened, if any. Returns the form's error
/// line and its reader: the parameters typed, or `None` with why not on the error line.
pub fn wire<F: ParamForm>(
    form: F,
) -> (RwSignal<Option<String>>, impl Fn() -> Option<F::Params> + Copy + 'static) {
    if let Some(reopened) = expect_context::<RunLog>().reopened.get_untracked() {
        form.fill(&reopened.params);
    }
    let error = RwSignal::new(None::<String>);
    let read = move || match form.read() {
        Ok(p) => {
            error.set(None);
            Some(p)
        }
        Err(e) => {
            error.set(Some(e));
            None
        }
    };
    (error, read)
}

/// The page's default run: `run` once the dataset and its EDA are there while `idle` (read
/// untracked) says nothing is computed, running or failed — so a failure is not retried in a loop.
pub fn run_when_ready(idle: impl Fn() -> bool + 'static, run: impl Fn() + 'static) {
    let data = expect_context::<Data>();
    Effect::new(move |_| {
        let ready = data.dataset.with(Option::is_some) && data.analysis.with(Option::is_some);
        if ready && idle() {
            run();
        }
    });
}

/// Whether `slot` has no result, no run and no error: the page has not run its analysis yet.
pub fn untouched<T: Send + Sync + 'static>(slot: Slot<T>) -> bool {
    slot.result.with_untracked(Option::is_none)
        && slot.running.with_untracked(Option::is_none)
        && slot.error.with_untracked(Option::is_none)
}

/// The number typed in `v`, or "WHAT: not a number".
pub fn num<T: std::str::FromStr>(v: RwSignal<String>, what: &str) -> Result<T, String> {
    v.get_untracked().trim().parse().map_err(|_| format!("{what}: not a number"))
}

/// [`num`], or `None` when nothing is typed (the analysis then picks its own).
pub fn optional_num<T: std::str::FromStr>(v: RwSignal<String>, what: &str) -> Result<Option<T>, String> {
    if v.with_untracked(|t| t.trim().is_empty()) {
        Ok(None)
    } else {
        num(v, what).map(Some)
    }
}

/// A labelled number input bound to `value`; `unit` under it, `placeholder` inside it when empty.
pub fn number_field(
    id: &'static str,
    label: &'static str,
    unit: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                type="number"
                id=id
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            // Always there, empty or not: it keeps the fields of a row aligned.
            <span class="unit">{unit}</span>
        </label>
    }
}
