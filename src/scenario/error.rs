//! What can go wrong between a scenario file and its projection, with the
//! facts of each case; the fronts print them (`Display`).

use crate::month::Month;
use std::path::PathBuf;

/// Why a scenario could not be read, saved, calibrated or projected.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Workspace(#[from] crate::workspace::Error),
    #[error("cannot read the workspace's data: {0}")]
    Data(#[from] polars::prelude::PolarsError),
    /// Nothing to calibrate on.
    #[error("the workspace holds no workforce snapshot: import a staff-in-post extract first")]
    NoSnapshot,
    /// Nothing to backtest on.
    #[error("the workspace holds no workforce snapshot")]
    NoHistory,
    #[error("--from {from} is after --to {to}")]
    Range { from: Month, to: Month },
    #[error("no snapshot is held on or before {0}")]
    NoSnapshotBy(Month),
    #[error("no snapshot is held for {0}")]
    NoSnapshotFor(Month),
    #[error("there is no team named '{0}' in the workforce extracts")]
    NoTeam(String),
    #[error("the history could not be read")]
    NoHistoryFor(Option<String>),
    /// Calibration overrides that cannot apply, one a line.
    #[error("{}", lines(.0, "\n"))]
    Overrides(Vec<OverrideProblem>),
    /// Levers out of range, one a line.
    #[error("{}", lines(.0, "\n"))]
    Levers(Vec<LeverProblem>),
    #[error("the horizon is 1 to 60 months, not {0}")]
    Horizon(usize),
    #[error("--runs must be at least 1")]
    NoRuns,
    #[error("compare one to {max} scenarios, not {given}", max = super::compare::MAX_SCENARIOS)]
    CompareCount { given: usize },
    #[error(
        "'{0}' cannot name a scenario: use letters, digits, spaces, '-' and '_' (at most 80, no leading or trailing space)"
    )]
    BadName(String),
    #[error("there is no scenario named '{0}'")]
    NoScenario(String),
    #[error("a scenario named '{0}' already exists")]
    Exists(String),
    /// Neither a scenario file nor the name of a saved one.
    #[error(
        "{}: no such scenario file (nor a scenario of that name in the workspace)",
        given.display()
    )]
    NotFound { given: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a scenario file: {source}", path.display())]
    NotAScenario {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// A scenario file whose levers are out of range, on one line.
    #[error("{}: {}", path.display(), lines(problems, "; "))]
    InvalidFile {
        path: PathBuf,
        problems: Vec<LeverProblem>,
    },
    #[error("{0}")]
    Json(serde_json::Error),
}

/// A lever out of range; `index` is its place in its list.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LeverProblem {
    #[error(
        "recruitment[{0}]: agency hires follow the cover of vacancies; use agency_cap_fte or conversions instead"
    )]
    AgencyRecruitment(usize),
    #[error("recruitment[{0}]: heads must be 0 or more")]
    RecruitmentHeads(usize),
    #[error("recruitment[{0}]: calendar_months are 1 to 12")]
    CalendarMonths(usize),
    #[error("conversions[{0}]: heads_per_month must be 0 or more")]
    Conversions(usize),
    #[error("leave_change[{0}]: change_pct must be −100 or more")]
    LeaveChange(usize),
    #[error("establishment_changes[{0}]: change_fte must be a number")]
    EstablishmentChange(usize),
    /// `agency_cap_fte`, `agency_day_rate` or `permanent_annual_cost`.
    #[error("{0} must be 0 or more")]
    Negative(&'static str),
    #[error("demand_growth_pct_per_year must be above −100")]
    DemandGrowth,
}

/// A calibration override that cannot apply; `key` as written
/// (`name.cohort` or `name`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OverrideProblem {
    #[error("override '{key}': {name} only reports what happened and cannot be overridden")]
    Informational { key: String, name: String },
    #[error("override '{key}': {value} must be a number, 0 or more")]
    Value { key: String, value: f64 },
    #[error("override '{key}': a monthly leave probability is at most 1")]
    Probability { key: String },
    /// Not a parameter; `parameters` are the ones that can be overridden.
    #[error("override '{key}' is not a parameter; parameters are {}", parameters.join(", "))]
    Unknown {
        key: String,
        parameters: Vec<String>,
    },
}

fn lines(items: &[impl std::fmt::Display], sep: &str) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(sep)
}
