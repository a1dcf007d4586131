//! Replacing the loaded dataset asks first: a file of 230,000 rows is not thrown away by one
//! click on "Reload demo data" or a file dropped by mistake. The question waits here, with the
//! load it would start, until the user answers it (a dialog the keyboard answers too).

use leptos::prelude::*;
use web_sys::File;

use crate::protocol::Source;

/// The question, as the dialog shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub title: String,
    pub detail: String,
    /// The button that replaces.
    pub replace: String,
    /// The button that keeps what is loaded (the default: Escape and Enter on opening).
    pub keep: String,
}

#[derive(Clone, Copy)]
pub struct Replacing {
    pub asking: RwSignal<Option<Question>>,
    waiting: StoredValue<Option<(Source, Option<File>)>, LocalStorage>,
}

impl Replacing {
    pub(super) fn new() -> Replacing {
        Replacing { asking: RwSignal::new(None), waiting: StoredValue::new_local(None) }
    }

    /// Asks `question`; the load waits for the answer (a second question replaces the first).
    pub(super) fn ask(&self, question: Question, source: Source, file: Option<File>) {
        self.waiting.set_value(Some((source, file)));
        self.asking.set(Some(question));
    }

    /// The load the user agreed to, taken.
    pub(super) fn agreed(&self) -> Option<(Source, Option<File>)> {
        self.asking.set(None);
        self.waiting.try_update_value(Option::take).flatten()
    }

    /// The user kept what is loaded.
    pub fn keep(&self) {
        self.asking.set(None);
        self.waiting.set_value(None);
    }
}
