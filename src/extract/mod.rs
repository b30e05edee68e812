//! Reading HR extracts: CSV or Excel in, a validated canonical table out.
//!
//! An extract either comes out whole, with its warnings, or is rejected
//! with every error found; nothing here touches the workspace.

pub mod capped;
pub mod fields;
pub mod parse;
pub mod plan;
pub mod preview;
pub mod profile;
pub mod reader;
pub mod values;

pub use fields::{Field, Kind, UnknownField, UnknownKind};
pub use plan::ColumnUse;
pub use profile::{BadMapping, ImportProfile, ProfileError};
pub use values::{EmploymentType, ValueError};

use crate::month::{Month, epoch_days};
use chrono::NaiveDate;
use parse::{Column, Parsed};
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a file, named precisely enough to fix it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub file: String,
    /// Row as numbered in the file (header = row 1).
    pub row: Option<usize>,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.file)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        if let Some(v) = &self.value
            && !v.is_empty()
        {
            write!(f, ", value '{v}'")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// What the caller knows about a file beyond its contents.
#[derive(Clone, Debug)]
pub struct ReadOptions<'a> {
    pub kind: Option<Kind>,
    pub month: Option<Month>,
    pub sheet: Option<&'a str>,
    pub profile: Option<&'a ImportProfile>,
    /// Weekly hours of one FTE, for files that give contracted hours.
    pub standard_hours: f64,
    /// "Today", for future-date warnings (a parameter so tests are stable).
    pub today: NaiveDate,
}

impl Default for ReadOptions<'_> {
    fn default() -> Self {
        ReadOptions {
            kind: None,
            month: None,
            sheet: None,
            profile: None,
            standard_hours: 37.0,
            today: chrono::Local::now().date_naive(),
        }
    }
}

/// A file that passed validation, in canonical form.
#[derive(Clone, Debug)]
pub struct Extract {
    pub path: PathBuf,
    pub file_name: String,
    /// BLAKE3 of the file's bytes, to recognise the same file imported twice.
    pub file_hash: String,
    pub kind: Kind,
    pub columns: Vec<(String, ColumnUse)>,
    /// Canonical rows: `row` (file row number), the kind's fields, and
    /// `month` (see [`Month`]) where the kind has a date that places it.
    pub data: DataFrame,
    pub months: Vec<Month>,
    pub rows_read: usize,
    pub warnings: Vec<Issue>,
}

/// A file that failed validation: nothing from it may be stored.
#[derive(Clone, Debug)]
pub struct Rejected {
    pub file_name: String,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} error(s), nothing stored",
            self.file_name,
            self.errors.len()
        )
    }
}

pub fn file_hash(path: &Path) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update_mmap_rayon(path)?;
    Ok(h.finalize().to_hex().to_string())
}

pub fn read_extract(path: &Path, opts: &ReadOptions) -> Result<Extract, Rejected> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let reject = |reason: String, row: Option<usize>| Rejected {
        file_name: file_name.clone(),
        errors: vec![Issue {
            severity: Severity::Error,
            file: file_name.clone(),
            row,
            column: None,
            value: None,
            reason,
        }],
        warnings: vec![],
    };
    if opts.kind == Some(Kind::Census) {
        return Err(reject(
            "a census return is the DfE's XML file (CSWW); this is not one".to_string(),
            None,
        ));
    }
    let mut clock = std::time::Instant::now();
    let is_header = |row: &[String]| plan::looks_like_header(row, opts.profile);
    let (table, hash) = rayon::join(
        || reader::read_table(path, opts.sheet, &is_header),
        || file_hash(path),
    );
    let table = table.map_err(|e| match e {
        reader::ReadError::Row { row, reason } => reject(reason, Some(row)),
        other => reject(other.to_string(), None),
    })?;
    let file_hash = hash.map_err(|e| reject(format!("cannot read the file: {e}"), None))?;
    crate::trace::lap("read and hash", &mut clock);

    let (plan, mut issues) = plan::plan(
        &file_name,
        &table.headers,
        opts.kind,
        opts.month,
        opts.profile,
    );
    let Some(plan) = plan else {
        return Err(split(file_name, issues).unwrap_err());
    };
    let cx = parse::Context {
        file: &file_name,
        plan: &plan,
        profile: opts.profile,
        standard_hours: opts.standard_hours,
        today: opts.today,
    };
    let mut parsed = parse::parse_table(&table, &cx);
    crate::trace::lap("parse and check rows", &mut clock);
    issues.append(&mut parsed.issues);
    let rows_read = parsed.len();
    let empty_month = if rows_read == 0 {
        let (month, issue) = empty_file(&file_name, plan.kind, opts.month);
        issues.push(issue);
        month
    } else {
        None
    };
    drop_exact_duplicates(&table, &mut parsed, &file_name, &mut issues);
    if plan.kind == Kind::Workforce {
        check_snapshots(&parsed, &file_name, &plan, &mut issues);
        check_two_posts(&parsed, &file_name, &mut issues);
    }
    crate::trace::lap("duplicates, snapshots, two posts", &mut clock);
    let warnings = split(file_name.clone(), issues)?;
    let (data, mut months) = to_frame(parsed, plan.kind, plan.col(Field::ChildRef).is_some())
        .map_err(|e| reject(format!("internal error building the table: {e}"), None))?;
    if let Some(m) = empty_month {
        months = vec![m];
    }
    // The raw rows are no longer needed: free them before the caller stores the frame.
    drop(table);
    crate::trace::lap("build the frame", &mut clock);
    Ok(Extract {
        path: path.to_path_buf(),
        file_name,
        file_hash,
        kind: plan.kind,
        columns: plan
            .headers
            .iter()
            .cloned()
            .zip(plan.uses.iter().cloned())
            .collect(),
        data,
        months,
        rows_read,
        warnings,
    })
}

/// A file with its header row and no data rows. For a leavers report, a
/// supervision log or a caseload file that is a month with none ("nobody
/// left in October"), stored so the month is known to have none; which
/// month cannot come from rows, so it is `--month`, else a month written in
/// the file name. An empty workforce snapshot or establishment file is an
/// error: a service with no staff or no posts is a broken export.
fn empty_file(file: &str, kind: Kind, month: Option<Month>) -> (Option<Month>, Issue) {
    let note = |severity, reason: String| issue(file, severity, None, None, None, reason);
    let none = match kind {
        Kind::Leavers => "no leavers",
        Kind::Supervision => "no supervision recorded",
        Kind::Caseload => "no cases allocated",
        Kind::Workforce | Kind::Establishment | Kind::Census => {
            return (
                None,
                note(
                    Severity::Error,
                    format!(
                        "the file has a header row but no data rows: a {kind} extract cannot be empty"
                    ),
                ),
            );
        }
    };
    let found = match month {
        Some(m) => Some((m, "given for the file")),
        None => month_in_file_name(file).map(|m| (m, "from the file name")),
    };
    match found {
        Some((m, source)) => (
            Some(m),
            note(
                Severity::Warning,
                format!(
                    "the file has a header row but no data rows: stored as {m} with {none} ({m} {source})"
                ),
            ),
        ),
        None => (
            None,
            note(
                Severity::Error,
                format!(
                    "the file has a header row but no data rows; to store it as a month with {none}, give the file's month (or name the file with its month, as in {}_2026-10.csv)",
                    kind.name()
                ),
            ),
        ),
    }
}

/// The one month a file name gives as `YYYY-MM` or `YYYY_MM`
/// (`leavers_2026-10.csv`; a date such as `2026-10-31` names its month).
/// Two different months in one name give none: which is meant is then the
/// user's to say with `--month`.
pub fn month_in_file_name(name: &str) -> Option<Month> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut found: Option<Month> = None;
    for i in 0..b.len().saturating_sub(6) {
        let starts = (i == 0 || !digit(i - 1)) && (0..4).all(|k| digit(i + k));
        if !starts
            || !matches!(b[i + 4], b'-' | b'_')
            || !digit(i + 5)
            || !digit(i + 6)
            || digit(i + 7)
        {
            continue;
        }
        let year: i32 = name[i..i + 4].parse().ok()?;
        let month: u32 = name[i + 5..i + 7].parse().ok()?;
        let Some(m) = Month::new(year, month).filter(|_| (1990..=2100).contains(&year)) else {
            continue;
        };
        match found {
            Some(f) if f != m => return None,
            _ => found = Some(m),
        }
    }
    found
}

/// Errors reject the file; otherwise the warnings come back.
fn split(file_name: String, issues: Vec<Issue>) -> Result<Vec<Issue>, Rejected> {
    let (errors, warnings): (Vec<_>, Vec<_>) = issues
        .into_iter()
        .partition(|i| i.severity == Severity::Error);
    if errors.is_empty() {
        Ok(warnings)
    } else {
        let mut errors = errors;
        errors.sort_by_key(|e| e.row.unwrap_or(0));
        Err(Rejected {
            file_name,
            errors,
            warnings,
        })
    }
}

fn issue(
    file: &str,
    severity: Severity,
    row: Option<usize>,
    column: Option<&str>,
    value: Option<String>,
    reason: String,
) -> Issue {
    Issue {
        severity,
        file: file.to_string(),
        row,
        column: column.map(str::to_string),
        value,
        reason,
    }
}

/// An exact duplicate row is dropped, with a warning naming both rows.
fn drop_exact_duplicates(
    table: &reader::Table,
    parsed: &mut Parsed,
    file: &str,
    issues: &mut Vec<Issue>,
) {
    use rayon::prelude::*;
    let state = polars::prelude::PlRandomState::default();
    let hashes: Vec<u64> = parsed
        .index
        .par_iter()
        .map(|&i| table.row_hash(i, &state))
        .collect();
    // Equal rows have equal hashes: rows are looked at in parts by hash, in
    // parallel, each part in file order. In each, the first row seen per
    // hash; rows whose hash collides with a different row (vanishingly
    // rare) go to a short list searched in full.
    let parts = (4 * rayon::current_num_threads()).max(1) as u64;
    let mut found: Vec<(usize, usize)> = (0..parts)
        .into_par_iter()
        .flat_map_iter(|part| {
            let mut first_seen: polars::prelude::PlHashMap<u64, usize> = Default::default();
            let mut collided: Vec<usize> = Vec::new();
            let mut found = Vec::new();
            for (k, (&i, &h)) in parsed.index.iter().zip(&hashes).enumerate() {
                if h % parts != part {
                    continue;
                }
                let original = match first_seen.get(&h) {
                    None => {
                        first_seen.insert(h, k);
                        None
                    }
                    Some(&j) if table.same_row(parsed.index[j], i) => Some(j),
                    Some(_) => collided
                        .iter()
                        .copied()
                        .find(|&j| table.same_row(parsed.index[j], i)),
                };
                if let Some(orig) = original {
                    found.push((k, orig));
                } else if first_seen.get(&h) != Some(&k) {
                    collided.push(k);
                }
            }
            found
        })
        .collect();
    found.sort_unstable();
    let mut keep = vec![true; parsed.len()];
    for (k, orig) in found {
        keep[k] = false;
        issues.push(issue(
            file,
            Severity::Warning,
            Some(parsed.rows[k] as usize),
            None,
            None,
            format!("exact duplicate of row {}: dropped", parsed.rows[orig]),
        ));
    }
    if keep.iter().any(|k| !k) {
        parsed.retain(&keep);
    }
}

/// One snapshot per calendar month: every row of a month shares its date.
fn check_snapshots(parsed: &Parsed, file: &str, plan: &plan::Plan, issues: &mut Vec<Issue>) {
    let mut by_month: BTreeMap<Month, BTreeMap<NaiveDate, usize>> = BTreeMap::new();
    let mut last = None;
    for (k, d) in parsed.dates(Field::SnapshotDate).iter().enumerate() {
        // Rows of one snapshot come together: skip the maps while the date repeats.
        if *d == last {
            continue;
        }
        last = *d;
        if let Some(d) = d {
            by_month
                .entry(Month::of(*d))
                .or_default()
                .entry(*d)
                .or_insert(parsed.rows[k] as usize);
        }
    }
    for (m, dates) in by_month {
        if dates.len() > 1 {
            let list: Vec<String> = dates
                .iter()
                .map(|(d, r)| format!("{d} (first on row {r})"))
                .collect();
            issues.push(issue(
                file,
                Severity::Error,
                dates.values().nth(1).copied(),
                Some(plan.header_of(Field::SnapshotDate)),
                None,
                format!(
                    "{m} has more than one snapshot date: {}; Keel holds one snapshot per month",
                    list.join(", ")
                ),
            ));
        }
    }
}

/// A worker in two teams on one snapshot is kept (both posts count for
/// FTE, the person once for headcount) but worth a look.
fn check_two_posts(parsed: &Parsed, file: &str, issues: &mut Vec<Issue>) {
    let ids = parsed.text(Field::WorkerId);
    let teams = parsed.text(Field::Team);
    let dates = parsed.dates(Field::SnapshotDate);
    // Snapshot by snapshot, in parallel: a worker's posts share a date.
    let mut by_date: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (k, d) in dates.iter().enumerate() {
        if let Some(d) = d {
            by_date.entry(*d).or_default().push(k);
        }
    }
    let posts: Vec<((&str, NaiveDate), Vec<usize>)> = {
        use rayon::prelude::*;
        by_date
            .into_par_iter()
            .flat_map_iter(|(d, ks)| {
                let mut seen: polars::prelude::PlHashMap<&str, Vec<usize>> = Default::default();
                let mut first: polars::prelude::PlHashMap<&str, usize> = Default::default();
                for k in ks {
                    let Some(id) = ids[k].as_deref() else {
                        continue;
                    };
                    match first.get(id) {
                        None => {
                            first.insert(id, k);
                        }
                        Some(&f) => seen.entry(id).or_insert_with(|| vec![f]).push(k),
                    }
                }
                seen.into_iter().map(move |(id, ks)| ((id, d), ks))
            })
            .collect()
    };
    let mut found: Vec<(usize, String)> = posts
        .into_iter()
        .map(|((_, d), ks)| {
            let names: BTreeSet<&str> = ks.iter().filter_map(|&k| teams[k].as_deref()).collect();
            let rows: Vec<String> = ks.iter().map(|&k| parsed.rows[k].to_string()).collect();
            let what = if names.len() > 1 {
                format!("in {} teams ({})", names.len(), names.into_iter().collect::<Vec<_>>().join(", "))
            } else {
                "in two posts in the same team".to_string()
            };
            // The identifier is left out: warnings are stored, identifiers are not.
            (
                parsed.rows[ks[1]] as usize,
                format!("one worker is {what} on the {d} snapshot (rows {}): kept; both posts count for FTE, the person once for headcount", rows.join(", ")),
            )
        })
        .collect();
    found.sort();
    for (row, reason) in found {
        issues.push(issue(
            file,
            Severity::Warning,
            Some(row),
            None,
            None,
            reason,
        ));
    }
}

fn build_series(f: Field, c: Column) -> PolarsResult<Series> {
    let name: PlSmallStr = f.name().into();
    Ok(match c {
        Column::Text(v) => Series::new(name, v),
        Column::Number(v) => Series::new(name, v),
        Column::Bool(v) => Series::new(name, v),
        Column::Date(v) => {
            let days: Vec<Option<i32>> = v.into_iter().map(|d| d.map(epoch_days)).collect();
            Series::new(name, days).cast(&DataType::Date)?
        }
        Column::Employment(v) => {
            let names: Vec<Option<&str>> =
                v.into_iter().map(|t| t.map(EmploymentType::name)).collect();
            Series::new(name, names)
        }
    })
}

fn to_frame(parsed: Parsed, kind: Kind, per_child: bool) -> PolarsResult<(DataFrame, Vec<Month>)> {
    let month_source = match kind {
        Kind::Workforce | Kind::Caseload => Some(Field::SnapshotDate),
        Kind::Leavers => Some(Field::LeaveDate),
        Kind::Supervision => Some(Field::SupervisionDate),
        Kind::Establishment | Kind::Census => None,
    };
    let month: Vec<Option<i32>> = match month_source {
        Some(f) => parsed
            .dates(f)
            .iter()
            .map(|d| d.map(|d| Month::of(d).0))
            .collect(),
        None => vec![None; parsed.len()],
    };
    let months: Vec<Month> = month
        .iter()
        .flatten()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(Month)
        .collect();
    let mut cols: Vec<polars::prelude::Column> = Vec::with_capacity(parsed.fields.len() + 2);
    cols.push(Series::new("row".into(), parsed.rows.as_slice()).into());
    // Columns are independent: build them in parallel.
    let built: Vec<PolarsResult<Series>> = {
        use rayon::prelude::*;
        parsed
            .fields
            .iter()
            .zip(parsed.columns)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(f, c)| build_series(*f, c))
            .collect()
    };
    for s in built {
        cols.push(s?.into());
    }
    cols.push(Series::new("month".into(), month).into());
    let mut df = DataFrame::new_infer_height(cols)?;
    if kind == Kind::Caseload && per_child {
        // One row per allocated child becomes a count per worker; the child
        // references themselves are never stored.
        df = df
            .lazy()
            .group_by([col("worker_id"), col("snapshot_date"), col("month")])
            .agg([
                len().cast(DataType::Float64).alias("caseload"),
                col("row").min(),
            ])
            .select([
                col("row"),
                col("worker_id"),
                col("snapshot_date"),
                col("caseload"),
                col("month"),
            ])
            .sort(["row"], Default::default())
            .collect()?;
    }
    Ok((df, months))
}
