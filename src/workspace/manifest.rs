//! `keel.json`: the record of every import, the single source of truth for
//! what the workspace holds. It is replaced atomically, last, so a crash
//! before that point leaves the previous state intact.

use crate::extract::Kind;
use crate::month::Month;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub imports: Vec<ImportRecord>,
    /// DfE benchmark files; the latest of each kind is the one in use.
    #[serde(default)]
    pub benchmarks: Vec<BenchmarkRecord>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BenchmarkRecord {
    pub id: u64,
    pub imported_at: DateTime<Utc>,
    pub file: String,
    pub file_hash: String,
    pub kind: super::benchmarks::SourceKind,
    pub rows_read: usize,
    pub warnings: usize,
}

impl BenchmarkRecord {
    pub fn data_file(&self) -> String {
        format!("benchmarks/{}.parquet", self.id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    /// Taken back by `keel undo`; its rows stay on disk.
    Undone,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportRecord {
    pub id: u64,
    /// Imports made by one command share a batch, and are undone together.
    pub batch: u64,
    pub imported_at: DateTime<Utc>,
    pub file: String,
    pub file_hash: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub months: Vec<Month>,
    pub rows_read: usize,
    pub rows: usize,
    pub warnings: usize,
    pub pseudonymised: bool,
    pub status: Status,
    /// Months this import took over from earlier imports (kept on disk).
    #[serde(default)]
    pub replaced: Vec<Replaced>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replaced {
    pub month: Month,
    pub import: u64,
}

impl ImportRecord {
    pub fn data_file(&self) -> String {
        format!("imports/{}.parquet", self.id)
    }

    pub fn warnings_file(&self) -> String {
        format!("imports/{}.warnings.json", self.id)
    }

    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }
}

impl Manifest {
    pub fn active(&self) -> impl Iterator<Item = &ImportRecord> {
        self.imports.iter().filter(|r| r.is_active())
    }

    /// The import whose snapshot counts for a month: monthly kinds hold one
    /// snapshot per month, and the latest active import holding it wins.
    pub fn owner(&self, kind: Kind, month: Month) -> Option<&ImportRecord> {
        self.active()
            .filter(|r| r.kind == kind && r.months.contains(&month))
            .max_by_key(|r| r.id)
    }

    pub fn months_held(&self, kind: Kind) -> Vec<Month> {
        let mut m: Vec<Month> = self
            .active()
            .filter(|r| r.kind == kind)
            .flat_map(|r| r.months.iter().copied())
            .collect();
        m.sort();
        m.dedup();
        m
    }

    pub fn next_id(&self) -> u64 {
        self.imports.iter().map(|r| r.id).max().unwrap_or(0) + 1
    }

    pub fn next_batch(&self) -> u64 {
        self.imports.iter().map(|r| r.batch).max().unwrap_or(0) + 1
    }
}
