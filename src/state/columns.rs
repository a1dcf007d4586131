//! Choosing a file's columns (the column mapper): after a load that failed for want of a date, a
//! type or coordinates, and after one that loaded (*Change columns…* under the report's "Read
//! as"). A picked file's remembered mapping is looked up before it loads; a mapping is remembered
//! (`crate::mappings`, IndexedDB) only once a load with it has succeeded, so a choice that did not
//! load is never applied to the next file by itself.

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use patroliq_core::load::layout::{Mapping, Preview};

use super::data::Data;
use super::requests::Requests;
use crate::mappings;
use crate::protocol::{JobId, Source};

/// How long a load waits for a remembered mapping before going on without it (IndexedDB answers
/// in milliseconds; it stalls only when something holds the database).
const LOOKUP_MS: i32 = 2000;

/// Which file the mapper loads again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The file whose load failed (the mapper under the load error).
    Failed,
    /// The file loaded now (*Change columns…*).
    Loaded,
}

/// The mapper opened on the loaded file, and the reload with the user's columns.
#[derive(Clone, Copy)]
pub struct Columns {
    data: Data,
    /// *Change columns…* was pressed: the mapper is shown under "Read as".
    pub changing: RwSignal<bool>,
    /// The load reading the loaded file again with the user's columns (said beside the button:
    /// the progress bar is at the top of the page, far from it).
    reading: RwSignal<Option<JobId>>,
}

impl Columns {
    pub(super) fn new(req: Requests, data: Data) -> Columns {
        let (changing, reading) = (RwSignal::new(false), RwSignal::new(None));
        // The columns of a new dataset are another question.
        req.on_new_dataset(move || {
            changing.set(false);
            reading.set(None);
        });
        Columns { data, changing, reading }
    }

    /// The loaded file's columns with the roles they were read as, when they can be changed: a
    /// file read from text (a URL, the portal and the demo take no mapping; Parquet's columns are
    /// read by name). Tracked.
    pub fn loaded_preview(&self) -> Option<Box<Preview>> {
        let file = self.data.source.with(|s| matches!(s, Some(Source::File { .. })));
        file.then(|| self.data.dataset.with(|d| d.as_ref().and_then(|d| d.preview.clone())))?
    }

    /// Opens the mapper on the loaded file. A load error on screen is dismissed: its own mapper
    /// (of another file) and this one would ask two questions at once.
    pub fn open(&self) {
        self.data.failure.set(None);
        self.changing.set(true);
    }

    pub fn close(&self) {
        self.changing.set(false);
    }

    /// Loads `target` again with `mapping`; the dataset loaded now stays until the new one is
    /// whole, and stays if it fails.
    pub fn load_with(&self, target: Target, mapping: Mapping) {
        self.changing.set(false);
        self.data.remap(target, mapping);
        let job = self.data.running.with_untracked(|r| r.as_ref().map(|r| r.job));
        self.reading.set(job.filter(|_| target == Target::Loaded));
    }

    /// The loaded file is being read again with the user's columns now (until it loads, fails or
    /// is cancelled). Tracked.
    pub fn reading_again(&self) -> bool {
        let job = self.data.running.with(|r| r.as_ref().map(|r| r.job));
        job.is_some() && self.reading.get() == job
    }
}

async fn looked_up(
    what: &str,
    lookup: impl std::future::Future<Output = Result<Option<Mapping>, String>>,
) -> Option<Mapping> {
    match mappings::at_most(LOOKUP_MS, lookup).await {
        Ok(m) => m,
        Err(e) => {
            // Nothing is lost: the file is read by its names and values, and the mapper asks
            // if they are not enough.
            warn!("{e}: {what} is read without a remembered column mapping");
            None
        }
    }
}

/// The mapping remembered for a file of this name (none when the lookup fails or stalls).
pub(super) async fn remembered_for(name: &str) -> Option<Mapping> {
    looked_up(name, mappings::for_name(name)).await
}

/// What to do when a file's columns could not all be found.
pub(super) enum Next {
    /// Load it again with the mapping remembered for files of its header.
    Retry(Mapping),
    /// Show the mapper, starting from these roles.
    Ask(Box<Preview>),
}

/// A load failed for want of columns. A file of a header the user mapped before (next month's
/// export under another name) is loaded again with that mapping, once: not when that mapping is
/// the one that just failed, nor when the user has just chosen the columns (`retry` false: their
/// choice is not overruled). Otherwise the mapper starts from the roles guessed, then those
/// remembered for the header, then those just tried.
pub(super) async fn after_wrong_schema(
    mut preview: Box<Preview>,
    tried: Option<Mapping>,
    retry: bool,
) -> Next {
    let remembered = looked_up("the file", mappings::for_header(&preview.headers))
        .await
        .map(|m| m.within(&preview.headers));
    // Detection finds what the mapping does not name (one may hold only the roles that were
    // missing then).
    if let Some(m) =
        remembered.clone().filter(|m| retry && !m.columns.is_empty() && tried.as_ref() != Some(m))
    {
        return Next::Retry(m);
    }
    let guessed = Mapping { columns: std::mem::take(&mut preview.roles), crs: None };
    let start = [remembered, tried.map(|t| t.within(&preview.headers))]
        .into_iter()
        .flatten()
        .fold(guessed, |m, later| m.then(&later));
    preview.roles = start.columns;
    Next::Ask(preview)
}

/// A load of `source` succeeded: a mapping it was loaded with is remembered for its name and
/// header (only the columns the file has: one remembered by name may come from another file).
pub(super) fn remember(source: &Source, preview: Option<&Preview>) {
    let (Source::File { name, columns: Some(m), .. }, Some(p)) = (source, preview) else { return };
    let (name, headers, mapping) = (name.clone(), p.headers.clone(), m.within(&p.headers));
    spawn_local(async move {
        if let Err(e) = mappings::remember(&name, &headers, &mapping).await {
            warn!("{e}: the columns of {name} will be asked for again next time");
        }
    });
}
