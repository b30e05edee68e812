//! `keel scenario calibrate|run`.

use super::Failure;
use crate::month::Month;
use crate::scenario::{find_scenario, observed, observers, project_scenario};
use crate::table_out::Format;
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

pub fn run(root: &Path, command: ScenarioCommand) -> Result<(), Failure> {
    match command {
        ScenarioCommand::Calibrate(a) => calibrate(root, a),
        ScenarioCommand::Run(a) => run_scenario(root, a),
    }
}

fn calibrate(root: &Path, a: CalibrateArgs) -> Result<(), Failure> {
    let cal = observed(root)?.calibrate(a.from, a.to)?;
    super::emit(&cal.to_frame()?, a.format)
}

fn run_scenario(root: &Path, a: RunArgs) -> Result<(), Failure> {
    let scenario = find_scenario(root, &a.scenario)?;
    let months = a.months.or(scenario.months).unwrap_or(24);
    if !(1..=60).contains(&months) {
        return Err(Failure::ScenarioMonths(months));
    }
    if a.runs == 0 || a.runs > 1_000_000 {
        return Err(Failure::Runs(a.runs));
    }
    let mut observers = observers(root)?;
    let observed = observers.get(scenario.team.as_deref())?;
    let p = project_scenario(observed, &scenario, months, a.runs, a.seed)?;
    super::emit(&p.to_frame()?, a.format)
}
