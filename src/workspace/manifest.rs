//! `keel.json`: the record of every import and plan edit, the single source
//! of truth for what the workspace holds. It is replaced atomically, last,
//! so a crash before that point leaves the previous state intact.

use crate::extract::Kind;
use crate::month::Month;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The newest format this Keel reads and writes.
pub const FORMAT: u32 = 3;
/// The format of a manifest without plan edits, which a Keel from before
/// the improvement plan reads too. A manifest is raised to [`FORMAT_PLAN`]
/// when its first plan edit is stored, so an older Keel refuses it ("written
/// by a newer Keel") instead of rewriting it without the plan's history.
pub const FORMAT_V1: u32 = 1;
/// The format of a manifest holding plan edits.
pub const FORMAT_PLAN: u32 = 2;
/// The format of a manifest holding a census return (an import of kind
/// `census`, which an older Keel cannot read): raised when the first is
/// stored, so an older Keel says "written by a newer Keel" rather than
/// calling the manifest damaged.
pub const FORMAT_CENSUS: u32 = 3;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub imports: Vec<ImportRecord>,
    /// DfE benchmark files; the latest of each kind is the one in use.
    #[serde(default)]
    pub benchmarks: Vec<BenchmarkRecord>,
    /// Every saved version of the improvement plan, oldest first; the
    /// latest active one is the plan (absent from older manifests).
    #[serde(default)]
    pub plan_edits: Vec<PlanEdit>,
    /// BLAKE3 of each stored file (path relative to the workspace) as it
    /// was written, so `keel verify` can prove the data is what was
    /// stored. Absent from manifests written before checksums existed;
    /// their first verify records them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checksums: BTreeMap<String, String>,
}

/// One saved version of the improvement plan: `plans/<id>.json`, and what
/// the change was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanEdit {
    pub id: u64,
    pub at: DateTime<Utc>,
    /// What changed, as history lists it: "imported plan.xlsx (17 items)",
    /// "R3 status → done", "event added: Peer review".
    pub action: String,
    pub status: Status,
    /// The settings' milestones and events this edit moved into the plan
    /// (and cleared from the settings): `keel undo` puts them back.
    #[serde(default, skip_serializing_if = "FromSettings::is_empty")]
    pub from_settings: FromSettings,
}

/// Milestones and events taken from the settings into the plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FromSettings {
    #[serde(default)]
    pub milestones: Vec<crate::settings::Milestone>,
    #[serde(default)]
    pub events: Vec<crate::settings::Event>,
}

impl FromSettings {
    pub fn is_empty(&self) -> bool {
        self.milestones.is_empty() && self.events.is_empty()
    }
}

impl PlanEdit {
    pub fn data_file(&self) -> String {
        format!("plans/{}.json", self.id)
    }

    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }
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
    /// Taken back by `keel undo`; its rows (or plan version) stay on disk.
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

/// Where an import stands, as History and `keel history` say it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Its rows count.
    Active,
    /// Every month it held is now held by later imports (its rows no
    /// longer count; undoing those imports brings it back).
    Replaced {
        by: Vec<u64>,
    },
    /// Some of its months are held by later imports; the others count.
    PartlyReplaced {
        by: Vec<u64>,
    },
    Undone,
}

/// Whether `r`, one of `imports`, counts: an active import whose months
/// are all owned by later imports is replaced, not active.
pub fn standing(imports: &[ImportRecord], r: &ImportRecord) -> Standing {
    if !r.is_active() {
        return Standing::Undone;
    }
    // The owner of a month, as `Manifest::owner` finds it.
    let owner = |m: &Month| {
        imports
            .iter()
            .filter(|o| o.is_active() && o.kind == r.kind && o.months.contains(m))
            .map(|o| o.id)
            .max()
    };
    let owners: Vec<u64> = r.months.iter().filter_map(owner).collect();
    let mut by: Vec<u64> = owners.iter().copied().filter(|id| *id != r.id).collect();
    by.sort_unstable();
    by.dedup();
    if !r.kind.is_monthly() || by.is_empty() {
        Standing::Active
    } else if owners.iter().all(|id| *id != r.id) {
        Standing::Replaced { by }
    } else {
        Standing::PartlyReplaced { by }
    }
}

impl std::fmt::Display for Standing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids = |by: &[u64]| {
            by.iter()
                .map(|i| format!("#{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Standing::Active => f.write_str("active"),
            Standing::Replaced { by } => write!(f, "replaced by {}", ids(by)),
            Standing::PartlyReplaced { by } => write!(f, "partly replaced by {}", ids(by)),
            Standing::Undone => f.write_str("undone"),
        }
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

    /// Whether `r` counts (see [`standing`]).
    pub fn standing(&self, r: &ImportRecord) -> Standing {
        standing(&self.imports, r)
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

    /// The imports of the last import command not undone, and when it was.
    pub fn last_active_batch(&self) -> Option<(u64, DateTime<Utc>)> {
        let batch = self.active().map(|r| r.batch).max()?;
        let at = self
            .active()
            .filter(|r| r.batch == batch)
            .map(|r| r.imported_at)
            .max()?;
        Some((batch, at))
    }

    /// The plan version in force: the latest plan edit not undone.
    pub fn active_plan_edit(&self) -> Option<&PlanEdit> {
        self.plan_edits
            .iter()
            .filter(|e| e.is_active())
            .max_by_key(|e| e.id)
    }

    pub fn next_plan_edit_id(&self) -> u64 {
        self.plan_edits.iter().map(|e| e.id).max().unwrap_or(0) + 1
    }
}
