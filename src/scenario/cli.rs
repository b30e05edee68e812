//! `keel scenario calibrate|run`.

use super::calibrate::Observed;
use super::model::Plan;
use super::persist;
use super::simulate::project;
use crate::month::Month;
use crate::table_out::Format;
use crate::workspace::Workspace;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum ScenarioCommand {
    /// Print the parameters calibrated from the workspace's history, with their evidence
    Calibrate(CalibrateArgs),
    /// Project a scenario: expected path and P10/P50/P90 per month and measure
    Run(RunArgs),
}

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// First month of the calibration range [default: 11 months before --to]
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Option<Month>,
    /// Last month of the range, and the snapshot projections start from [default: the latest held]
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<Month>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario JSON file, or the name of a scenario saved in the workspace
    #[arg(long, value_name = "FILE")]
    pub scenario: PathBuf,
    /// Months to project, 1–60 [default: the scenario's, else 24]
    #[arg(long, value_name = "N")]
    pub months: Option<usize>,
    /// Monte Carlo runs
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub runs: usize,
    /// Random seed [default: the scenario's]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

pub fn run(root: &Path, command: ScenarioCommand) -> Result<(), String> {
    match command {
        ScenarioCommand::Calibrate(a) => calibrate(root, a),
        ScenarioCommand::Run(a) => run_scenario(root, a),
    }
}

pub fn open(root: &Path) -> Result<Observed, String> {
    Observed::load(&Workspace::open_existing(root)?)
}

/// The workspace's history, ready to be scoped to a scenario's team.
pub fn observers(root: &Path) -> Result<super::scope::Observers, String> {
    super::scope::Observers::load(&Workspace::open_existing(root)?)
}

fn emit(df: &polars::prelude::DataFrame, format: Format) -> Result<(), String> {
    let stdout = std::io::stdout();
    match crate::table_out::write(df, format, &mut stdout.lock()) {
        Ok(()) => Ok(()),
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.to_string().contains("Broken pipe") => Ok(()),
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}

fn calibrate(root: &Path, a: CalibrateArgs) -> Result<(), String> {
    let cal = open(root)?.calibrate(a.from, a.to)?;
    emit(&cal.to_frame().map_err(|e| e.to_string())?, a.format)
}

/// A path to a file, else a scenario saved in the workspace by that name.
pub fn find_scenario(root: &Path, given: &Path) -> Result<persist::Scenario, String> {
    if given.is_file() {
        return persist::load(given);
    }
    if let Some(name) = given.to_str() {
        let saved = persist::path_of(root, name);
        if persist::check_name(name).is_ok() && saved.is_file() {
            return persist::load(&saved);
        }
    }
    Err(format!(
        "{}: no such scenario file (nor a scenario of that name in the workspace)",
        given.display()
    ))
}

fn run_scenario(root: &Path, a: RunArgs) -> Result<(), String> {
    let scenario = find_scenario(root, &a.scenario)?;
    let months = a.months.or(scenario.months).unwrap_or(24);
    if !(1..=60).contains(&months) {
        return Err(format!("--months must be 1 to 60, not {months}"));
    }
    if a.runs == 0 || a.runs > 1_000_000 {
        return Err(format!("--runs must be 1 to 1,000,000, not {}", a.runs));
    }
    let mut observers = observers(root)?;
    let observed = observers.get(scenario.team.as_deref())?;
    let p = project_scenario(observed, &scenario, months, a.runs, a.seed)?;
    emit(&p.to_frame().map_err(|e| e.to_string())?, a.format)
}

/// Calibrate on the scenario's range, apply its overrides and levers, and
/// run the projection: what `scenario run` prints and the report draws.
pub fn project_scenario(
    observed: &Observed,
    scenario: &persist::Scenario,
    months: usize,
    runs: usize,
    seed: Option<u64>,
) -> Result<super::simulate::Projection, String> {
    let mut cal = observed.calibrate(scenario.calibrate_from, scenario.calibrate_to)?;
    cal.apply_overrides(&scenario.overrides)?;
    let plan = Plan::new(&cal, &scenario.levers, months)?;
    project(&plan, runs, seed.unwrap_or(scenario.seed))
}
