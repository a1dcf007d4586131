//! A reply's bulk numbers, sent as bytes beside its JSON rather than inside it.
//!
//! Why: the page decodes JSON on the UI thread, a number at a time. The heatmap of the whole
//! history (204 monthly frames of ~8,800 cells: 1.8 M values) made a ~15 MB message whose copy
//! into WebAssembly and parse took one task of ~300 ms — the UI thread's longest at 8.3 M rows
//! (`bench/ui_trace.mjs`). The same values as 32-bit floats are one transferred buffer and one
//! copy. Only replies that can grow with the data have bulk; every other reply travels as before.

use super::Reply;

/// `None` on the wire: a density is never NaN (`density::round3` makes a non-finite value 0).
const BLANK: f32 = f32::NAN;

impl Reply {
    /// Takes the bulk numbers out of the reply (left empty in it), or `None` if it has none.
    pub fn take_bulk(&mut self) -> Option<Vec<f32>> {
        match self {
            Reply::Density(d) => {
                let cells = d.lat.len() * d.lon.len();
                let mut bulk = Vec::with_capacity(cells * (1 + d.frames.len()));
                for f in std::iter::once(&mut d.all).chain(d.frames.iter_mut()) {
                    bulk.extend(f.z.drain(..).map(|z| z.unwrap_or(BLANK)));
                }
                Some(bulk)
            }
            _ => None,
        }
    }

    /// Whether [`Reply::take_bulk`] sends bytes beside this reply (the page then waits for them).
    pub fn has_bulk(&self) -> bool {
        matches!(self, Reply::Density(_))
    }

    /// Puts back what [`Reply::take_bulk`] took, checking that it is whole.
    pub fn put_bulk(&mut self, bulk: &[f32]) -> Result<(), String> {
        match self {
            Reply::Density(d) => {
                let cells = d.lat.len() * d.lon.len();
                let want = cells * (1 + d.frames.len());
                if bulk.len() != want {
                    return Err(format!("the heatmap arrived with {} of its {want} values", bulk.len()));
                }
                let frames = std::iter::once(&mut d.all).chain(d.frames.iter_mut());
                for (f, z) in frames.zip(bulk.chunks_exact(cells.max(1))) {
                    f.z = z.iter().map(|&v| (!v.is_nan()).then_some(v)).collect();
                }
                Ok(())
            }
            _ if bulk.is_empty() => Ok(()),
            _ => Err("numbers arrived beside a reply that has none".into()),
        }
    }
}
