//! What the benchmark examples share (a folder, so that Cargo does not take it for an example).
use std::path::Path;

/// A file of little-endian f32s, as `embed_large` writes its matrices and layouts.
pub fn read_f32(path: &Path) -> Vec<f32> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}
