//! Why a build produced nothing: the manuscript's problems (shown with their
//! sources), or an output that could not be written.

use crate::diagnostics::{Diagnostics, SourceMap};
use std::path::PathBuf;

/// Why a build produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The manuscript has problems; the diagnostics say which and where.
    #[error("{}", diagnostics.summary())]
    Manuscript {
        diagnostics: Diagnostics,
        sources: SourceMap,
    },
    /// The output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
