//! Sample data: a fictional council's children's social care workforce history, written
//! the way real HR systems export it, for demonstrations, tests and benchmarks.
//!
//! The default run tells the story an Ofsted inspection might: Brackenford Borough
//! Council starts with high turnover, a quarter of its capacity from agencies and many
//! newly qualified workers, relapses mid-series, then steadily improves. The output is
//! fully determined by the seed: the same options give byte-identical files.

mod calendar;
mod error;
mod model;
mod names;
mod plan;
mod story;
mod write;

#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use error::Result;
pub use error::{Cause, Error};

use model::{Config, Outcome, simulate};
use write::{
    CouncilFiles, NationalFile, write_establishment, write_leavers, write_supervision_log,
    year_month,
};

/// Above this many workers callers should choose the single-CSV national layout; the
/// named Brackenford teams are also replaced by numbered teams beyond it.
pub const NATIONAL_SCALE_WORKERS: usize = 1_000;
/// Months of supervision sessions in the council's supervision log.
const SUPERVISION_LOG_MONTHS: usize = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleOptions {
    /// Approximate headcount in post each month, agency workers included.
    pub workers: usize,
    /// Number of monthly snapshots; the series always ends at 30 September 2026.
    pub months: usize,
    pub seed: u64,
    /// One `workforce.csv` holding every month (national-scale benchmarks) instead of
    /// the council's mix of yearly CSV, monthly CSVs and monthly workbooks.
    pub single_csv: bool,
}

impl Default for SampleOptions {
    fn default() -> SampleOptions {
        SampleOptions {
            workers: 180,
            months: 36,
            seed: 42,
            single_csv: false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SampleSummary {
    /// Every file written, workforce extracts first in month order.
    pub files: Vec<PathBuf>,
    /// Rows written across all workforce extracts.
    pub workforce_rows: usize,
    /// Snapshot dates (month ends), oldest first.
    pub months: Vec<NaiveDate>,
}

/// Simulates the series and writes it to `out_dir` (created if missing).
pub fn generate(opts: &SampleOptions, out_dir: &Path) -> Result<SampleSummary> {
    if opts.workers == 0 {
        return Err(Error::NoWorkers);
    }
    if opts.months == 0 {
        return Err(Error::NoMonths);
    }
    fs::create_dir_all(out_dir).map_err(error::create(out_dir))?;
    let config = Config {
        workers: opts.workers,
        months: opts.months,
        seed: opts.seed,
        named_org: !opts.single_csv && opts.workers <= NATIONAL_SCALE_WORKERS,
        supervision_log_months: if opts.single_csv {
            0
        } else {
            SUPERVISION_LOG_MONTHS.min(opts.months)
        },
    };
    if opts.single_csv {
        generate_national(&config, out_dir)
    } else {
        generate_council(&config, out_dir)
    }
}

fn generate_council(config: &Config, out_dir: &Path) -> Result<SampleSummary> {
    let dates = calendar::snapshot_dates(config.months)?;
    let mut sink = CouncilFiles::new(out_dir, &dates);
    let outcome = simulate(config, &mut sink)?;
    let mut files = sink.into_files();
    let span = series_span(&outcome.snapshot_dates, outcome.snapshot_dates.len())?;
    files.push(write_leavers(
        out_dir.join(format!("leavers_{span}.csv")),
        &outcome.org,
        &outcome.leavers,
    )?);
    files.push(write_establishment(
        out_dir.join("establishment.csv"),
        &outcome.org,
        &outcome.establishment,
    )?);
    if config.supervision_log_months > 0 {
        let log_span = series_span(&outcome.snapshot_dates, config.supervision_log_months)?;
        files.push(write_supervision_log(
            out_dir.join(format!("supervision_log_{log_span}.csv")),
            &outcome.sessions,
        )?);
    }
    if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        files.push(plan::write_plan(out_dir, *first, *last)?);
    }
    files.push(write_readme(out_dir, &council_readme(&outcome, &files))?);
    Ok(summary(files, outcome))
}

fn generate_national(config: &Config, out_dir: &Path) -> Result<SampleSummary> {
    let mut sink = NationalFile::create(out_dir.join("workforce.csv"))?;
    let outcome = simulate(config, &mut sink)?;
    let mut files = vec![sink.finish()?];
    files.push(write_leavers(
        out_dir.join("leavers.csv"),
        &outcome.org,
        &outcome.leavers,
    )?);
    files.push(write_establishment(
        out_dir.join("establishment.csv"),
        &outcome.org,
        &outcome.establishment,
    )?);
    files.push(write_readme(out_dir, &national_readme(config, &outcome))?);
    Ok(summary(files, outcome))
}

fn summary(files: Vec<PathBuf>, outcome: Outcome) -> SampleSummary {
    SampleSummary {
        files,
        workforce_rows: outcome.rows,
        months: outcome.snapshot_dates,
    }
}

/// "2023-10_to_2026-09" for the last `months` snapshots.
fn series_span(dates: &[NaiveDate], months: usize) -> Result<String> {
    let from = dates
        .len()
        .checked_sub(months)
        .and_then(|i| dates.get(i))
        .ok_or(Error::NoSnapshotMonths)?;
    let to = dates.last().ok_or(Error::NoSnapshotMonths)?;
    Ok(format!("{}_to_{}", year_month(*from), year_month(*to)))
}

fn write_readme(out_dir: &Path, text: &str) -> Result<PathBuf> {
    let path = out_dir.join("README.md");
    fs::write(&path, text).map_err(error::write(&path))?;
    Ok(path)
}

fn file_names(files: &[PathBuf]) -> String {
    files
        .iter()
        .filter_map(|f| f.file_name())
        .map(|name| format!("- `{}`\n", name.to_string_lossy()))
        .collect()
}

fn council_readme(outcome: &Outcome, files: &[PathBuf]) -> String {
    let teams: String = outcome
        .org
        .teams
        .iter()
        .enumerate()
        .map(|(index, team)| format!("| {} | {} |\n", team.name, outcome.org.service_name(index)))
        .collect();
    format!(
        "# Sample data: Brackenford Borough Council (fictional)\n\
         \n\
         Brackenford Borough Council does not exist. Every person, name, payroll number and\n\
         figure in these files was generated by `keel` from a random seed; any resemblance\n\
         to a real council or person is coincidence.\n\
         \n\
         The files tell the story an Ofsted inspection might find: at the start about one\n\
         in five employed social workers leave in a year, a quarter of the workforce is\n\
         agency staff and a fifth of employed staff are newly qualified (ASYE). Things\n\
         improve, relapse badly in the middle of the series, then recover to turnover\n\
         near 13%, agency use near 16% and fewer newly qualified staff. Newly\n\
         qualified workers start in cohorts through the year, the largest in the\n\
         autumn, and stay in their ASYE year for twelve months from starting.\n\
         The inspection report came out in the fourth month; the council's plan\n\
         answering it is in `improvement_plan.csv`.\n\
         \n\
         ## Files\n\
         \n\
         {files}\
         \n\
         - `workforce_*_to_*.csv`: the first year of monthly staff-in-post snapshots in\n  \
         one HR export (UK `dd/mm/yyyy` dates, `Extract Date` per row).\n\
         - `workforce_YYYY-MM.csv`: the next months, one CSV each, from a system with\n  \
         other headers (`Staff ID`, `Weekly Hours`, dates such as `31-Mar-2025`).\n\
         - `workforce_YYYY-MM.xlsx`: the remaining months as workbooks (sheet\n  \
         `Staff in post`) with real date cells and text person IDs.\n\
         - `leavers_*.csv`: HR's leavers report for employed staff. Like real reports it\n  \
         misses a few leavers (their leave date is on their last snapshot) and holds a\n  \
         couple that no snapshot recorded.\n\
         - `establishment.csv`: funded FTE per team, with a mid-series change for two\n  \
         teams.\n\
         - `supervision_log_*.csv`: supervision sessions of employed case holders in the\n  \
         last months.\n\
         - `improvement_plan.csv`: the improvement plan agreed after the inspection (its\n  \
         start in the `Plan Start` column), with progress, linked measures and events.\n  \
         `keel import` leaves it alone; `keel plan import` reads it.\n\
         \n\
         Agency workers have their own references (such as `A10234`); payroll numbers\n\
         are six-digit text with leading zeros. Names are present only so that importers\n\
         can show they never store them.\n\
         \n\
         ## Teams\n\
         \n\
         | team | service |\n\
         |---|---|\n\
         {teams}",
        files = file_names(files),
    )
}

fn national_readme(config: &Config, outcome: &Outcome) -> String {
    format!(
        "# Sample data: national-scale benchmark (fictional)\n\
         \n\
         Generated by `keel` from seed {seed}: about {workers} workers in {teams} numbered\n\
         teams and {services} services over {months} months ({rows} rows). Nothing in it\n\
         describes a real council or person.\n\
         \n\
         - `workforce.csv`: every monthly snapshot in one file (UK `dd/mm/yyyy` dates,\n  \
         `Extract Date` per row, no name column).\n\
         - `leavers.csv`: the leavers report for employed staff.\n\
         - `establishment.csv`: funded FTE per team.\n",
        seed = config.seed,
        workers = config.workers,
        teams = outcome.org.teams.len(),
        services = outcome.org.services.len(),
        months = config.months,
        rows = outcome.rows,
    )
}
