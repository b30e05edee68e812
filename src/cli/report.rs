//! `keel report`, `keel chart` and `keel export`: the monthly pack without
//! opening the app.

use super::Failure;
use crate::metrics::GroupKind;
use crate::metrics::table::MetricTable;
use crate::month::Month;
use crate::report::board::{self, Options};
use crate::report::chart::{self, ChartSpec};
use crate::report::{export, find_group, workspace_metrics};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// The groups a report can be broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportGroups {
    All,
    Service,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The PDF to write
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    /// The month reported on [default: the latest held]
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<Month>,
    /// The whole service, or it and each service area
    #[arg(long, value_enum, default_value = "all")]
    pub group_by: ReportGroups,
    /// Report on one service area or team instead
    #[arg(long, value_name = "NAME", conflicts_with = "group_by")]
    pub group: Option<String>,
    /// A scenario to compare (file, or name saved in the workspace); up to four
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    /// Months of history on each chart
    #[arg(long, value_name = "N", default_value_t = 24)]
    pub months: u32,
}

#[derive(Args, Debug)]
pub struct ChartArgs {
    /// The measure, as `keel metrics` names it (e.g. agency_rate_pct)
    #[arg(long, value_name = "NAME")]
    pub metric: String,
    /// The image to write: .png or .svg
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    pub out: PathBuf,
    #[arg(long, value_name = "W", default_value_t = 1920)]
    pub width: u32,
    #[arg(long, value_name = "H", default_value_t = 1080)]
    pub height: u32,
    /// A service area or team [default: the whole service]
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Option<Month>,
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<Month>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The file to write: .csv or .xlsx
    #[arg(long, value_name = "FILE.csv|FILE.xlsx")]
    pub out: PathBuf,
    /// Only this kind of group [default: all three]
    #[arg(long, value_enum)]
    pub group_by: Option<GroupKind>,
}

pub fn report(root: &Path, a: ReportArgs) -> Result<(), Failure> {
    if !(2..=120).contains(&a.months) {
        return Err(Failure::ReportMonths(a.months));
    }
    let opts = Options {
        month: a.month,
        group_by: match a.group_by {
            ReportGroups::All => GroupKind::All,
            ReportGroups::Service => GroupKind::Service,
        },
        group: a.group,
        scenarios: a.scenario,
        months_back: a.months,
        ..Options::default()
    };
    let r = board::write(root, &opts, &a.out)?;
    eprintln!("wrote {} ({} pages)", a.out.display(), r.pages);
    Ok(())
}

pub fn chart(root: &Path, a: ChartArgs) -> Result<(), Failure> {
    chart::ImageFormat::of(&a.out)?;
    let (ws, _, df) = workspace_metrics(root)?;
    let table = MetricTable::from_frame(&df).map_err(crate::report::Error::Table)?;
    let group = find_group(&table, a.group.as_deref())?;
    let (_, settings) = crate::plan::store::plan_and_chart_settings(&ws)?;
    let spec = ChartSpec::for_metric(&table, &a.metric, &[group], &settings, a.from, a.to)?;
    chart::save(&spec, &a.out, a.width, a.height)?;
    eprintln!("wrote {} ({}×{})", a.out.display(), a.width, a.height);
    Ok(())
}

pub fn export(root: &Path, a: ExportArgs) -> Result<(), Failure> {
    export::ExportFormat::of(&a.out)?;
    let (_, _, df) = workspace_metrics(root)?;
    let rows = export::rows(&df, a.group_by)?;
    export::write(&rows, &a.out)?;
    eprintln!("wrote {} ({} rows)", a.out.display(), rows.height());
    Ok(())
}
