//! A scenario projected from a workspace: the history it is calibrated on
//! (the whole service or one team), a scenario found by its file or by the
//! name it is saved under, and the run from calibration to Monte Carlo
//! that `keel scenario run`, the board report and the app's meeting
//! slides share.

use super::Error;
use super::calibrate::Observed;
use super::model::Plan;
use super::persist::{self, Scenario};
use super::scope::Observers;
use super::simulate::{Projection, project};
use crate::workspace::Workspace;
use std::path::Path;

/// The whole service's history in the workspace at `root`.
pub fn observed(root: &Path) -> Result<Observed, Error> {
    Observed::load(&Workspace::open_existing(root)?)
}

/// The workspace's history, ready to be scoped to a scenario's team.
pub fn observers(root: &Path) -> Result<Observers, Error> {
    Observers::load(&Workspace::open_existing(root)?)
}

/// A path to a file, else a scenario saved in the workspace by that name.
pub fn find_scenario(root: &Path, given: &Path) -> Result<Scenario, Error> {
    if given.is_file() {
        return persist::load(given);
    }
    if let Some(name) = given.to_str() {
        let saved = persist::path_of(root, name);
        if persist::check_name(name).is_ok() && saved.is_file() {
            return persist::load(&saved);
        }
    }
    Err(Error::NotFound {
        given: given.to_path_buf(),
    })
}

/// Calibrate on the scenario's range, apply its overrides and levers, and
/// run the projection: what `scenario run` prints and the report draws.
pub fn project_scenario(
    observed: &Observed,
    scenario: &Scenario,
    months: usize,
    runs: usize,
    seed: Option<u64>,
) -> Result<Projection, Error> {
    let mut cal = observed.calibrate(scenario.calibrate_from, scenario.calibrate_to)?;
    cal.apply_overrides(&scenario.overrides)?;
    let plan = Plan::new(&cal, &scenario.levers, months)?;
    project(&plan, runs, seed.unwrap_or(scenario.seed))
}
