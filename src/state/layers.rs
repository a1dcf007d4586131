//! The environment layers of the Patrol page's risk grid (issue #36): the files the user added,
//! their names (editable) and what the worker read in each. The worker keeps the bytes and reads
//! them again for every risk run, so a new dataset places them in its own frame.

use leptos::prelude::*;
use patroliq_core::terrain::layers::name_of_file;
use patroliq_core::terrain::LayerSummary;
use web_sys::File;

use super::requests::Requests;
use crate::protocol::{Failure, Reply, Request};

/// One layer on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerEntry {
    pub id: u32,
    /// The file it was read from.
    pub file: String,
    /// What the factors and reasons call it: the file's stem until the user renames it.
    pub name: String,
    pub summary: LayerSummary,
}

#[derive(Clone, Copy)]
pub struct EnvLayers {
    pub list: RwSignal<Vec<LayerEntry>>,
    /// Why each of the last files that could not be read was refused.
    pub errors: RwSignal<Vec<String>>,
    /// Files being read.
    pub pending: RwSignal<usize>,
    next_id: StoredValue<u32>,
    req: Requests,
}

impl EnvLayers {
    pub(super) fn new(req: Requests) -> EnvLayers {
        let l = EnvLayers {
            list: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            pending: RwSignal::new(0),
            next_id: StoredValue::new(1),
            req,
        };
        // The new worker holds no layer bytes: say so rather than fail the next risk run.
        req.on_worker_lost(move |_| {
            if !l.list.with_untracked(Vec::is_empty) {
                l.list.set(Vec::new());
                l.errors.set(vec!["the data engine restarted: add the environment layers again".into()]);
            }
            l.pending.set(0);
        });
        l
    }

    /// Sends each file to the worker to be read; each is listed when it is, or its error shown.
    /// Layers already listed stay whatever the new files hold.
    pub fn add(&self, files: Vec<File>) {
        self.errors.set(Vec::new());
        for file in files {
            let id = self.next_id.get_value();
            self.next_id.set_value(id + 1);
            let (file_name, name) = (file.name(), name_of_file(&file.name()));
            let job = self.req.new_job();
            self.pending.update(|n| *n += 1);
            let l = *self;
            self.req.expect(
                job,
                |_| {},
                move |a| {
                    l.pending.update(|n| *n = n.saturating_sub(1));
                    match a.result {
                        Ok(Reply::Layer(read)) if read.id == id => {
                            let name =
                                if read.summary.name.is_empty() { name } else { read.summary.name.clone() };
                            let entry = LayerEntry { id, file: file_name, name, summary: read.summary };
                            l.list.update(|v| v.push(entry));
                        }
                        Ok(_) => l.errors.update(|e| {
                            e.push(format!(
                                "{file_name}: {}",
                                Failure::Io("the data engine answered another request".into())
                            ))
                        }),
                        Err(f) => l.errors.update(|e| e.push(f.to_string())),
                    }
                },
            );
            self.req.send(job, Request::AddLayer { id, name: name_of_file(&file.name()) }, vec![file]);
        }
    }

    /// Renames layer `id`; an empty name keeps the old one (a factor needs a name).
    pub fn rename(&self, id: u32, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        self.list.update(|v| v.iter_mut().filter(|e| e.id == id).for_each(|e| e.name = name.to_string()));
    }

    pub fn remove(&self, id: u32) {
        self.list.update(|v| v.retain(|e| e.id != id));
    }

    /// The layers a risk run asks for: ids and names.
    pub fn wanted(&self) -> Vec<(u32, String)> {
        self.list.with_untracked(|v| v.iter().map(|e| (e.id, e.name.clone())).collect())
    }

    /// What a risk run read of the layers `asked` (in its frame and extent): the list's notes
    /// follow the dataset now loaded.
    pub fn refresh(&self, asked: &[(u32, String)], read: &[LayerSummary]) {
        self.list.update(|v| {
            for ((id, _), s) in asked.iter().zip(read) {
                if let Some(e) = v.iter_mut().find(|e| e.id == *id) {
                    e.summary = s.clone();
                }
            }
        });
    }
}
