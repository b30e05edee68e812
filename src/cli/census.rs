//! `keel census`: the DfE census return on the command line.

use super::{Failure, census_lines, emit};
use crate::workspace::Workspace;
use clap::Subcommand;
use polars::prelude::*;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum CensusCommand {
    /// Validate a return without storing it, then print what the DfE will publish from it beside Keel's September figures, and the records behind the differences (exit 1 on errors)
    Check {
        #[arg(value_name = "FILE.xml")]
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::table_out::Format,
        /// Print every error [default: the first 50, then the rest counted by rule]
        #[arg(long)]
        all_errors: bool,
    },
    /// Write the return for a census year from the workspace; SWE numbers and personal items are read now from the --extract files (never stored)
    Write {
        /// The census year: the year to 30 September YYYY
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// The council's three-digit LA code
        #[arg(long, value_name = "NNN")]
        la_code: String,
        /// Files carrying SWE numbers: HR extracts whose worker id is the SWE number, or earlier returns
        #[arg(long = "extract", value_name = "FILE", required = true)]
        extracts: Vec<PathBuf>,
        #[arg(long, value_name = "FILE.xml")]
        out: PathBuf,
    },
}

pub fn run(root: &Path, c: CensusCommand) -> Result<(), Failure> {
    match c {
        CensusCommand::Check {
            file,
            format,
            all_errors,
        } => check(root, &file, format, all_errors),
        CensusCommand::Write {
            year,
            la_code,
            extracts,
            out,
        } => {
            let ws = Workspace::open_existing(root)?;
            let s = crate::census::write::write(&ws, year, &la_code, &extracts, &out)?;
            say!(
                "wrote {}: {} records ({} in post on 30 September {year}, {} leavers)",
                out.display(),
                s.records,
                s.in_post,
                s.leavers
            );
            if !s.without_swe.is_empty() {
                // Pseudonyms mean little to a reader: a few show the shape,
                // the count says how many (the app's Teams view names them).
                const SHOWN: usize = 10;
                let more = s.without_swe.len().saturating_sub(SHOWN);
                say!(
                    "  left out {} worker(s) whose SWE number no --extract file gives (the schema requires one): {}{}",
                    s.without_swe.len(),
                    s.without_swe[..s.without_swe.len().min(SHOWN)].join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
            for (item, n) in &s.left_out {
                say!("  {item}: {n} record(s)");
            }
            Ok(())
        }
    }
}

fn check(
    root: &Path,
    file: &Path,
    format: crate::table_out::Format,
    all_errors: bool,
) -> Result<(), Failure> {
    let ret = match crate::census::read_return(file) {
        Ok(r) => r,
        Err(rejected) => {
            eprintln!("{}", census_lines(&rejected.errors, all_errors));
            for w in &rejected.warnings {
                eprintln!("{w}");
            }
            return Err(Failure::CensusInvalid(rejected.errors.len()));
        }
    };
    for w in &ret.warnings {
        eprintln!("{w}");
    }
    let ws = if Workspace::exists(root) {
        Some(Workspace::open(root)?)
    } else {
        None
    };
    let report = crate::census::check::compare(&ret, ws.as_ref())?;
    if format == crate::table_out::Format::Json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::Output(crate::table_out::Error::Json(e)))?;
        say!("{text}");
        return Ok(());
    }
    if format == crate::table_out::Format::Csv {
        return emit(&one_table(&report)?, format);
    }
    say!(
        "{}: census year to 30 September {}, council {}, {} records: valid",
        ret.file_name,
        report.year,
        report.la_code.as_deref().unwrap_or("-"),
        report.records
    );
    if !report.september_held {
        say!(
            "the workspace holds no snapshot for {}: only the return's figures are shown",
            ret.month()
        );
    }
    say!("");
    emit(&measures_table(&report.measures)?, format)?;
    let e = &report.explained;
    if e.is_empty() {
        if report.september_held {
            say!("");
            say!("no record differs from Keel's September data");
        }
        return Ok(());
    }
    say!("");
    emit(&records_table(e)?, format)
}

fn round1(v: Option<f64>) -> Option<f64> {
    v.map(|v| crate::metrics::census::dfe_round(v, false))
}

fn measures_table(m: &[crate::census::check::MeasureRow]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        m.len(),
        vec![
            Column::new(
                "measure".into(),
                m.iter().map(|r| r.measure).collect::<Vec<_>>(),
            ),
            Column::new(
                "return".into(),
                m.iter().map(|r| r.from_return).collect::<Vec<_>>(),
            ),
            Column::new(
                "keel".into(),
                m.iter().map(|r| round1(r.keel)).collect::<Vec<_>>(),
            ),
            Column::new(
                "difference".into(),
                m.iter().map(|r| round1(r.difference)).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn records_table(e: &[crate::census::check::Explained]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        e.len(),
        vec![
            Column::new(
                "record".into(),
                e.iter()
                    .map(|r| r.record.map(|v| v as i64))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "line".into(),
                e.iter()
                    .map(|r| r.line.map(|v| v as i64))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "swe".into(),
                e.iter().map(|r| r.swe.as_deref()).collect::<Vec<_>>(),
            ),
            Column::new(
                "worker".into(),
                e.iter().map(|r| r.worker.as_deref()).collect::<Vec<_>>(),
            ),
            Column::new(
                "detail".into(),
                e.iter().map(|r| r.detail.as_str()).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// The check as one CSV table for a spreadsheet or a script: a `section`
/// column (`measure` rows first, then `record` rows), then the measures'
/// columns and the records' columns, each empty on the other section's
/// rows.
fn one_table(report: &crate::census::check::Report) -> PolarsResult<DataFrame> {
    let (m, e) = (&report.measures, &report.explained);
    let n = m.len() + e.len();
    let measures = measures_table(m)?;
    let records = records_table(e)?;
    let mut columns = vec![Column::new(
        "section".into(),
        std::iter::repeat_n("measure", m.len())
            .chain(std::iter::repeat_n("record", e.len()))
            .collect::<Vec<_>>(),
    )];
    // Each section's columns padded with nulls over the other's rows.
    for c in measures.columns() {
        columns.push(c.extend_constant(AnyValue::Null, e.len())?);
    }
    for c in records.columns() {
        let mut padded = Column::full_null(c.name().clone(), m.len(), c.dtype());
        padded.append(c)?;
        columns.push(padded);
    }
    DataFrame::new(n, columns)
}

/// `keel check`'s lines for census years held both ways: each measure
/// where the return and the monthly September figure differ by more than
/// 0.1.
pub fn disagreements(monthly: &DataFrame, annual: &DataFrame) -> PolarsResult<Vec<String>> {
    let d = crate::metrics::census::reconcile(monthly, annual)?;
    let month = d.column("month")?.str()?.clone();
    let measure = d.column("measure")?.str()?.clone();
    let r = d.column("return")?.f64()?.clone();
    let m = d.column("monthly")?.f64()?.clone();
    Ok((0..d.height())
        .map(|i| {
            format!(
                "{}  {:<26} {:>5}  {}: {} in the census return, {} from the monthly snapshots",
                month.get(i).unwrap_or("-"),
                "census vs monthly",
                "",
                measure.get(i).unwrap_or("-"),
                fmt(r.get(i)),
                fmt(m.get(i)),
            )
        })
        .collect())
}

fn fmt(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}", v)).unwrap_or_else(|| "-".into())
}

/// Leavers by reason and destination as a table (`census_year`,
/// `breakdown`, `code`, `label`, `headcount`, `fte`, FTE to 1 dp as the
/// DfE publishes it). With `withheld`, the withheld lines' head count and
/// FTE are "c", as the DfE publishes them, so those two columns are text.
pub fn leavers_table(
    rows: &[crate::metrics::census::LeaverCount],
    withheld: Option<&[bool]>,
) -> PolarsResult<DataFrame> {
    let fte =
        |r: &crate::metrics::census::LeaverCount| crate::metrics::census::dfe_round(r.fte, false);
    let (headcount, fte) = match withheld {
        None => (
            Column::new(
                "headcount".into(),
                rows.iter().map(|r| r.headcount).collect::<Vec<_>>(),
            ),
            Column::new("fte".into(), rows.iter().map(fte).collect::<Vec<_>>()),
        ),
        Some(w) => {
            let shown = |i: usize, v: String| {
                if w[i] {
                    crate::report::suppress::MARK.to_string()
                } else {
                    v
                }
            };
            (
                Column::new(
                    "headcount".into(),
                    (0..rows.len())
                        .map(|i| shown(i, rows[i].headcount.to_string()))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "fte".into(),
                    (0..rows.len())
                        .map(|i| shown(i, format!("{:.1}", fte(&rows[i]))))
                        .collect::<Vec<_>>(),
                ),
            )
        }
    };
    DataFrame::new(
        rows.len(),
        vec![
            Column::new(
                "census_year".into(),
                rows.iter().map(|r| r.census_year).collect::<Vec<_>>(),
            ),
            Column::new(
                "breakdown".into(),
                rows.iter().map(|r| r.by.name()).collect::<Vec<_>>(),
            ),
            Column::new(
                "code".into(),
                rows.iter().map(|r| r.code).collect::<Vec<_>>(),
            ),
            Column::new(
                "label".into(),
                rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(),
            ),
            headcount,
            fte,
        ],
    )
}
