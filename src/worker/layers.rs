//! Environment layers (issue #36): the bytes of each file the user added, kept so that each risk
//! run reads them again in the loaded dataset's projection (a new dataset moves its centre,
//! `features::set_frame_for`) and clips them to its crimes' extent.

use std::rc::Rc;

use patroliq_core::terrain::layers::crime_extent;
use patroliq_core::terrain::sketch::MAX_FEATURES;
use patroliq_core::terrain::{Layer, LayerError};
use patroliq_core::CrimeTable;
use web_sys::File;

use super::answer::Job;
use super::io::{read_all, SMALL_FILE};
use super::state::Worker;
use crate::protocol::{Failure, LayerRead, Reply};

/// One added file: the page's id for it, the file's name (for messages) and its bytes.
pub(super) struct KeptLayer {
    pub id: u32,
    pub file: String,
    pub bytes: Rc<Vec<u8>>,
}

/// Reads a layer file, answers its summary in the loaded dataset's frame, and keeps its bytes.
/// A file that is no layer is answered with why and what to do, and nothing kept changes.
pub(super) async fn add(w: Rc<Worker>, job: Job, file: Option<File>, id: u32, name: String) {
    let Some(file) = file else {
        return job.reply(Err(Failure::Missing("no layer file was given".into())));
    };
    let fail = |message: String| job.reply(Err(Failure::Io(message)));
    if file.size() > SMALL_FILE {
        return fail(format!("{}: too large for an environment layer (64 MB at most)", file.name()));
    }
    let bytes = match read_all(&file).await {
        Ok(b) => Rc::new(b),
        Err(e) => return fail(format!("{}: {e}", file.name())),
    };
    let layer = match w.table() {
        Ok(t) => read(&t, &file.name(), &name, &bytes),
        // No dataset yet: read it to check it; it is placed when the risk grid is computed.
        Err(_) => Layer::read(&name, &bytes).map_err(|e| message(&file.name(), &e)),
    };
    match layer {
        Ok(layer) => {
            // Turned back to degrees here, in the frame it was just read in.
            let sketch = layer.sketch(MAX_FEATURES);
            let mut kept = w.layers.borrow_mut();
            kept.retain(|k| k.id != id);
            kept.push(KeptLayer { id, file: file.name(), bytes });
            job.reply(Ok(Reply::Layer(Box::new(LayerRead { id, summary: layer.summary, sketch }))));
        }
        Err(m) => fail(m),
    }
}

/// The layers `wanted` (id, name as the user named it) read for `t`. The others stay kept: one
/// being added is not yet on the page's list (it goes with `ForgetLayer`).
pub(super) fn for_table(w: &Worker, t: &CrimeTable, wanted: &[(u32, String)]) -> Result<Vec<Layer>, Failure> {
    let kept = w.layers.borrow();
    wanted
        .iter()
        .map(|(id, name)| {
            let k = kept.iter().find(|k| k.id == *id).ok_or_else(|| {
                Failure::Missing(format!(
                    "the layer '{name}' is no longer in the data engine: remove it and add its file again"
                ))
            })?;
            read(t, &k.file, name, &k.bytes).map_err(Failure::Invalid)
        })
        .collect()
}

/// Reads one layer in `t`'s frame and drops what lies outside its crimes.
fn read(t: &CrimeTable, file: &str, name: &str, bytes: &[u8]) -> Result<Layer, String> {
    let name = if name.trim().is_empty() { file } else { name.trim() };
    let mut layer = Layer::read(name, bytes).map_err(|e| message(file, &e))?;
    if let Some(x) = crime_extent(t) {
        layer.clip(&x);
    }
    let left = layer.points.len() + layer.lines.len() + layer.polygons.len();
    if left == 0 {
        return Err(format!(
            "{file}: all {} features lie outside the loaded crimes' area: choose a layer of the same city",
            layer.summary.outside
        ));
    }
    Ok(layer)
}

/// Why `file` is no layer, and what to do about it.
fn message(file: &str, e: &LayerError) -> String {
    let todo = match e {
        LayerError::Empty => "choose a file with one feature a row",
        LayerError::NoGeometry(_) => {
            "this file has no coordinate or geometry column: choose GeoJSON, or a CSV with latitude and \
             longitude columns, a \"(lat, lon)\" column, or a WKT or WKB geometry column"
        }
        LayerError::BadWkt { .. } => "fix or delete that row and add the file again",
        LayerError::NotGeoJson(_) => "export the layer again as GeoJSON or as CSV",
        LayerError::Malformed(_) => "save it again as CSV (comma-separated, UTF-8)",
    };
    format!("{file}: {e} — {todo}")
}
