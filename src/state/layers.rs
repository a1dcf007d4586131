//! The environment layers of the Patrol page's risk grid (issue #36): the files the user added,
//! their names (editable) and what the worker read in each. The worker keeps the bytes and reads
//! them again for every risk run, so a new dataset places them in its own frame; the files are
//! kept here too (and on this device, `crate::keep_layers`) so that a new worker or a reload gets
//! them again.

use std::sync::Arc;

use leptos::prelude::*;
use patroliq_core::terrain::layers::{file_of_url, name_of_file};
use patroliq_core::terrain::{LayerSummary, Sketch};
use wasm_bindgen_futures::spawn_local;
use web_sys::File;

use super::requests::Requests;
use crate::keep_layers::{self, KeptLayer};
use crate::protocol::{Reply, Request};

/// One layer on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerEntry {
    pub id: u32,
    /// The file it was read from.
    pub file: String,
    /// What the factors and reasons call it: the file's stem until the user renames it.
    pub name: String,
    pub summary: LayerSummary,
    /// Its features in degrees, thinned: the row's thumbnail and the maps' overlay.
    pub sketch: Arc<Sketch>,
    /// Drawn on the Patrol page's map (kept with the layer).
    pub shown: bool,
}

#[derive(Clone, Copy)]
pub struct EnvLayers {
    pub list: RwSignal<Vec<LayerEntry>>,
    /// Why each of the last files that could not be read (or kept) was refused.
    pub errors: RwSignal<Vec<String>>,
    /// Files being read.
    pub pending: RwSignal<usize>,
    /// The file of each listed layer (a `File` is a handle, not a copy, and stays on this thread).
    files: StoredValue<Vec<(u32, File)>, LocalStorage>,
    next_id: StoredValue<u32>,
    req: Requests,
}

impl EnvLayers {
    pub(super) fn new(req: Requests) -> EnvLayers {
        let l = EnvLayers {
            list: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            pending: RwSignal::new(0),
            files: StoredValue::new_local(Vec::new()),
            next_id: StoredValue::new(1),
            req,
        };
        // A new worker holds no layer bytes: they are sent again once it is started (the restart
        // empties the bridge's queue after telling us, so the sending waits a task).
        req.on_worker_lost(move |_| {
            l.pending.set(0);
            spawn_local(async move {
                let again: Vec<(KeptLayer, File)> = l.list.with_untracked(|v| {
                    v.iter()
                        .filter_map(|e| {
                            let meta = KeptLayer { id: e.id, name: e.name.clone(), shown: e.shown };
                            l.file_of(e.id).map(|f| (meta, f))
                        })
                        .collect()
                });
                for (meta, file) in again {
                    l.read(meta, file, false);
                }
            });
        });
        spawn_local(async move { l.restore().await });
        l
    }

    fn file_of(&self, id: u32) -> Option<File> {
        self.files.with_value(|f| f.iter().find(|(i, _)| *i == id).map(|(_, f)| f.clone()))
    }

    /// The layers kept on this device, read again (after a reload).
    async fn restore(&self) {
        match keep_layers::all().await {
            Ok(kept) => {
                let last = kept.iter().map(|(m, _)| m.id).max().unwrap_or(0);
                self.next_id.update_value(|n| *n = (*n).max(last + 1));
                for (meta, file) in kept {
                    self.read(meta, file, false);
                }
            }
            Err(e) => self.errors.update(|v| v.push(e)),
        }
    }

    /// Sends each file to the worker to be read; each is listed when it is, or its error shown.
    /// Layers already listed stay whatever the new files hold.
    pub fn add(&self, files: Vec<File>) {
        self.errors.set(Vec::new());
        for file in files {
            let id = self.next_id.get_value();
            self.next_id.set_value(id + 1);
            self.read(KeptLayer { id, name: name_of_file(&file.name()), shown: false }, file, true);
        }
    }

    /// Fetches `url` (in the page: the file then takes the path of a picked one, kept on this
    /// device as it is) and adds it under its last path segment's name. A failure says which URL
    /// and what to do; the layers listed stay.
    pub fn add_url(&self, url: &str) {
        let url = url.trim().to_string();
        if url.is_empty() {
            return;
        }
        self.errors.set(Vec::new());
        self.pending.update(|n| *n += 1);
        let l = *self;
        spawn_local(async move {
            let got = crate::fetch_file::fetch_file(&url, &file_of_url(&url)).await;
            l.pending.update(|n| *n = n.saturating_sub(1));
            match got {
                Ok(file) => l.add(vec![file]),
                Err(e) => l.errors.update(|v| v.push(e)),
            }
        });
    }

    /// Has the worker read `file` as layer `meta.id` called `meta.name`; lists it (in place of
    /// the same id) and, when `keep`, keeps it on this device.
    fn read(&self, meta: KeptLayer, file: File, keep: bool) {
        let job = self.req.new_job();
        self.pending.update(|n| *n += 1);
        let KeptLayer { id, name, shown } = meta;
        let (l, file_name, kept, asked) = (*self, file.name(), file.clone(), name.clone());
        self.req.expect(
            job,
            |_| {},
            move |a| {
                l.pending.update(|n| *n = n.saturating_sub(1));
                match a.result {
                    Ok(Reply::Layer(read)) if read.id == id => {
                        let entry = LayerEntry {
                            id,
                            file: file_name,
                            name: name.clone(),
                            summary: read.summary,
                            sketch: Arc::new(read.sketch),
                            shown,
                        };
                        // Listed in the order they were picked, whichever file was read first:
                        // the factors come in the layers' order.
                        l.list.update(|v| {
                            v.retain(|e| e.id != id);
                            v.push(entry);
                            v.sort_by_key(|e| e.id);
                        });
                        l.files.update_value(|f| {
                            f.retain(|(i, _)| *i != id);
                            f.push((id, kept.clone()));
                        });
                        if keep {
                            l.keep(KeptLayer { id, name, shown }, kept);
                        }
                    }
                    Ok(_) => l
                        .errors
                        .update(|e| e.push(format!("{file_name}: the data engine answered another request"))),
                    Err(f) => l.errors.update(|e| e.push(f.to_string())),
                }
            },
        );
        self.req.send(job, Request::AddLayer { id, name: asked }, vec![file]);
    }

    fn keep(&self, meta: KeptLayer, file: File) {
        let errors = self.errors;
        spawn_local(async move {
            if let Err(e) = keep_layers::put(&meta, &file).await {
                errors.update(|v| v.push(e));
            }
        });
    }

    /// Renames layer `id`; an empty name keeps the old one (a factor needs a name).
    pub fn rename(&self, id: u32, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        self.list.update(|v| v.iter_mut().filter(|e| e.id == id).for_each(|e| e.name = name.to_string()));
        self.keep_again(id);
    }

    /// Draws layer `id` on the Patrol page's map, or not.
    pub fn show(&self, id: u32, on: bool) {
        self.list.update(|v| v.iter_mut().filter(|e| e.id == id).for_each(|e| e.shown = on));
        self.keep_again(id);
    }

    /// Keeps layer `id`'s name and switch as they are now.
    fn keep_again(&self, id: u32) {
        let meta = self.list.with_untracked(|v| {
            v.iter().find(|e| e.id == id).map(|e| KeptLayer { id, name: e.name.clone(), shown: e.shown })
        });
        if let (Some(meta), Some(file)) = (meta, self.file_of(id)) {
            self.keep(meta, file);
        }
    }

    /// The layers to draw on the maps: name and sketch, in the list's order.
    pub fn shown(&self) -> Vec<(String, Arc<Sketch>)> {
        self.list.with(|v| v.iter().filter(|e| e.shown).map(|e| (e.name.clone(), e.sketch.clone())).collect())
    }

    pub fn remove(&self, id: u32) {
        self.list.update(|v| v.retain(|e| e.id != id));
        self.files.update_value(|f| f.retain(|(i, _)| *i != id));
        self.req.send(self.req.new_job(), Request::ForgetLayer { id }, Vec::new());
        let errors = self.errors;
        spawn_local(async move {
            if let Err(e) = keep_layers::delete(id).await {
                errors.update(|v| v.push(e));
            }
        });
    }

    /// The layers a risk run asks for: ids and names.
    pub fn wanted(&self) -> Vec<(u32, String)> {
        self.list.with_untracked(|v| v.iter().map(|e| (e.id, e.name.clone())).collect())
    }

    /// What a risk run read of the layers `asked` (in its frame and extent): the list's notes
    /// follow the dataset now loaded. A layer clipped otherwise than when it was read (a new
    /// dataset) is read again, for its sketch to show what the grid uses.
    pub fn refresh(&self, asked: &[(u32, String)], read: &[LayerSummary]) {
        let mut moved = Vec::new();
        self.list.update(|v| {
            for ((id, _), s) in asked.iter().zip(read) {
                if let Some(e) = v.iter_mut().find(|e| e.id == *id) {
                    if e.summary.outside != s.outside || e.summary.records != s.records {
                        moved.push(KeptLayer { id: e.id, name: e.name.clone(), shown: e.shown });
                    }
                    e.summary = s.clone();
                }
            }
        });
        for meta in moved {
            if let Some(file) = self.file_of(meta.id) {
                self.read(meta, file, false);
            }
        }
    }
}
