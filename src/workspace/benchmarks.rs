//! What the workspace keeps of the DfE benchmark files: their kind (the
//! manifest records it) and a file as read and checked, ready to store.
//! Reading the files is [`crate::benchmark`]'s; it depends on this module,
//! never the other way round.

use polars::prelude::DataFrame;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Indicators,
    Neighbours,
}

impl SourceKind {
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Indicators => "indicators",
            SourceKind::Neighbours => "neighbours",
        }
    }
}

/// A benchmark file, read and checked.
#[derive(Debug)]
pub struct Source {
    pub kind: SourceKind,
    pub data: DataFrame,
    pub rows_read: usize,
    pub warnings: Vec<String>,
}
