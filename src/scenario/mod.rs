//! Scenario modelling: calibration from the workspace's history, a monthly
//! stock-and-flow projection over cohorts, and Monte Carlo bands.
//!
//! The pieces, in the order data flows through them:
//! - [`calibrate`]: per-cohort rates and the starting state, each parameter
//!   with the counts it came from, overridable by name;
//! - [`levers`]: what a scenario changes (recruitment, conversions, agency
//!   cap, retention, establishment, demand, costs), as readable JSON;
//! - [`model`]: the month-by-month plan and the deterministic expected path;
//! - [`simulate`]: the Monte Carlo (each run's rates and demand drawn from
//!   their calibrated uncertainty, binomial leavers and joiners, seeded);
//! - [`compare`]: scenarios side by side at horizons, months to target;
//! - [`persist`]: scenarios saved in `<workspace>/scenarios/<name>.json`;
//! - [`backtest`]: calibrate on early history, project the later months.

pub mod backtest;
pub mod calibrate;
pub mod cli;
pub mod compare;
pub mod levers;
pub mod model;
pub mod persist;
pub mod scope;
pub mod simulate;

use serde::{Deserialize, Serialize};

/// The model's cohorts. NQSW and early career are defined by time since
/// qualifying (the contract's 365 and 730 days), so they are tracked by
/// month since qualifying and progress on time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    Nqsw,
    EarlyCareer,
    Experienced,
    Agency,
}

impl Cohort {
    pub const ALL: [Cohort; 4] = [
        Cohort::Nqsw,
        Cohort::EarlyCareer,
        Cohort::Experienced,
        Cohort::Agency,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cohort::Nqsw => "nqsw",
            Cohort::EarlyCareer => "early_career",
            Cohort::Experienced => "experienced",
            Cohort::Agency => "agency",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn parse(s: &str) -> Option<Cohort> {
        Cohort::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// The projected measures, in output order. The first seven are the
/// contract's metrics (same names and definitions, at service level); the
/// rest break FTE down by cohort and add the permanent pay bill.
pub const METRICS: &[&str] = &[
    "agency_rate_pct",
    "turnover_rate_12m_pct",
    "nqsw_share_pct",
    "vacancy_rate_pct",
    "caseload_per_fte",
    "employed_fte",
    "agency_cost",
    "agency_fte",
    "nqsw_fte",
    "early_career_fte",
    "experienced_fte",
    "vacancy_fte",
    "permanent_cost",
];

/// The projected measures that are the contract's own (same names and
/// definitions as `keel metrics`), which views and reports compare.
pub const CONTRACT_MEASURES: &[&str] = METRICS.split_at(7).0;

/// Index of a metric in [`METRICS`].
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| *m == name)
}
