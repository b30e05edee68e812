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
//! - [`project`]: a workspace's history, a scenario found by file or name,
//!   and the run from calibration to Monte Carlo that the command line,
//!   the report and the app share;
//! - [`backtest`]: calibrate on early history, project the later months.

pub mod backtest;
pub mod calibrate;
pub mod compare;
mod error;
pub mod levers;
pub mod model;
pub mod persist;
pub mod project;
pub mod scope;
pub mod simulate;

pub use error::{Error, LeverProblem, OverrideProblem};
pub use project::{find_scenario, observed, observers, project_scenario};

use crate::measure::Measure;
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

    /// The cohort in plain words, mid-sentence ("early-career workers").
    pub fn plural(self) -> &'static str {
        match self {
            Cohort::Nqsw => "NQSWs",
            Cohort::EarlyCareer => "early-career workers",
            Cohort::Experienced => "experienced workers",
            Cohort::Agency => "agency workers",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn parse(s: &str) -> Option<Cohort> {
        Cohort::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// The projection's own measures, beside the contract's: FTE by cohort
/// and the permanent pay bill, at their places in a projection's output.
const OWN: [(u8, &str); 4] = [
    (8, "nqsw_fte"),
    (9, "early_career_fte"),
    (10, "experienced_fte"),
    (12, "permanent_cost"),
];

const fn output_count() -> usize {
    let mut n = OWN.len();
    let mut i = 0;
    while i < Measure::ALL.len() {
        if Measure::ALL[i].entry().projected.is_some() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The projected measures, in output order (`model::Plan::measures` writes
/// them so): the contract's that the registry marks projected (same names
/// and definitions as `keel metrics`, at service level), at their ranks,
/// and the projection's own.
pub const METRICS: [&str; output_count()] = {
    let mut out = [""; output_count()];
    let mut i = 0;
    while i < Measure::ALL.len() {
        if let Some(p) = Measure::ALL[i].entry().projected {
            out[p.rank as usize] = Measure::ALL[i].name();
        }
        i += 1;
    }
    let mut j = 0;
    while j < OWN.len() {
        out[OWN[j].0 as usize] = OWN[j].1;
        j += 1;
    }
    out
};

/// The projected measures of the contract that views and reports compare
/// between scenarios, in output order.
pub fn compared() -> Vec<Measure> {
    Measure::projected_where(|p| p.compared)
}

/// Index of a metric in [`METRICS`].
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| *m == name)
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn every_place_in_a_projection_has_one_measure() {
        assert_eq!(METRICS.len(), 13);
        let mut names = METRICS.to_vec();
        assert!(names.iter().all(|n| !n.is_empty()), "{names:?}");
        names.sort();
        names.dedup();
        assert_eq!(names.len(), METRICS.len(), "a measure twice");
        for m in compared() {
            assert!(metric_index(m.name()).is_some(), "{m}");
        }
    }
}
