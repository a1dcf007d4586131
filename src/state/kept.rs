//! The loaded dataset kept on this device across reloads (`crate::keep`, IndexedDB): kept after a
//! load the user asked for, restored when the app opens without a `?data=` link, forgotten on
//! request. A dataset opened from a link is not kept (the link loads it again) and leaves what
//! was kept as it is.

use leptos::prelude::*;
use leptos::task::spawn_local;
use patroliq_core::CleaningReport;
use web_sys::File;

use crate::keep::{self, KeptMeta};
use crate::protocol::Source;

/// Why a load was started: it decides what is kept afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The demo the app opens with when nothing is kept.
    Opening,
    /// What was kept on this device, read back on opening.
    Restore,
    /// A `?data=` link the app was opened with.
    Link,
    /// The user chose it (a file, a URL, the portal, the demo button).
    User,
}

/// Whether the dataset on screen is kept on this device, as the dataset line says it.
#[derive(Debug, Clone, PartialEq)]
pub enum KeptStatus {
    /// Nothing to keep (the demo) or nothing said yet.
    Nothing,
    /// Being written.
    Saving,
    /// Kept; `restored`: read back from this device when the app opened.
    Kept { restored: bool },
    /// Opened from a link, which loads it again: not kept, and what was kept is left alone.
    FromLink,
    /// Could not be kept or read back, and why.
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct Kept {
    pub status: RwSignal<KeptStatus>,
    /// Counts the writes, so that a slow write's end does not speak for a later dataset.
    generation: StoredValue<u64>,
}

fn day(iso: &Option<String>) -> Option<String> {
    iso.as_deref().and_then(|s| s.get(..10)).map(str::to_owned)
}

impl Kept {
    pub(super) fn new() -> Kept {
        Kept { status: RwSignal::new(KeptStatus::Nothing), generation: StoredValue::new(0) }
    }

    fn next(&self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    fn set_if_current(&self, generation: u64, status: KeptStatus) {
        if self.generation.try_get_value() == Some(generation) {
            self.status.set(status);
        }
    }

    /// What was kept, read back (`Ok(None)`: nothing).
    pub(super) async fn read() -> Result<Option<(KeptMeta, Option<File>)>, String> {
        keep::get().await
    }

    /// A dataset loaded fine: keep it, or not, by why it was loaded.
    pub(super) fn after_load(
        &self,
        origin: Origin,
        source: &Source,
        file: Option<File>,
        report: &CleaningReport,
        only: patroliq_core::LoadFilter,
    ) {
        let generation = self.next();
        match (origin, source) {
            (Origin::Restore, _) => self.status.set(KeptStatus::Kept { restored: true }),
            (Origin::Link, _) => self.status.set(KeptStatus::FromLink),
            (Origin::Opening, _) => self.status.set(KeptStatus::Nothing),
            // The demo chosen: nothing of the user's is left to keep.
            (Origin::User, Source::Demo { .. }) => {
                self.status.set(KeptStatus::Nothing);
                let me = *self;
                spawn_local(async move {
                    if let Err(m) = keep::forget().await {
                        me.set_if_current(generation, KeptStatus::Failed(m));
                    }
                });
            }
            (Origin::User, _) => {
                self.status.set(KeptStatus::Saving);
                let meta = KeptMeta {
                    source: source.clone(),
                    rows: report.rows_clean,
                    first: day(&report.date_min),
                    last: day(&report.date_max),
                    saved_ms: js_sys::Date::now(),
                    only,
                };
                let me = *self;
                spawn_local(async move {
                    let status = match keep::put(&meta, file.as_ref()).await {
                        Ok(()) => KeptStatus::Kept { restored: false },
                        Err(m) => KeptStatus::Failed(m),
                    };
                    me.set_if_current(generation, status);
                });
            }
        }
    }

    /// What was kept could not be loaded again: it is forgotten, and the page says why.
    pub(super) fn unusable(&self, why: String) {
        let generation = self.next();
        self.status.set(KeptStatus::Failed(why));
        let me = *self;
        spawn_local(async move {
            if let Err(m) = keep::forget().await {
                me.set_if_current(generation, KeptStatus::Failed(m));
            }
        });
    }
}
