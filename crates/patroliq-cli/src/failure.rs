//! Why a command failed, and the exit code that says so.

use std::path::Path;

use patroliq_core::LoadError;

/// A failed command: `kind` and `message` are what `--json` prints as `{"error": …}`, `code` the
/// exit status (1 I/O or analysis, 2 the input cannot be used, 64 a usage error).
pub struct Failure {
    pub kind: &'static str,
    pub message: String,
    pub code: u8,
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure { kind: e.kind(), message: e.to_string(), code: 2 }
    }
}

pub fn io_failure(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure { kind: "io", message: format!("{}: {e}", path.display()), code: 1 }
}

pub fn usage(e: impl std::fmt::Display) -> Failure {
    Failure { kind: "usage", message: e.to_string(), code: 64 }
}

/// A side file (boundaries, stations, a road network) that was read but cannot be used.
pub fn bad_file(kind: &'static str, path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure { kind, message: format!("{}: {e}", path.display()), code: 2 }
}
