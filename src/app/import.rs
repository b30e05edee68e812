//! HR's monthly job, the data side: read and validate files off the UI
//! thread, remember the user's mappings, and decide what may be imported.

use super::jobs::Progress;
use super::model::Model;
use crate::extract::fields::{looks_like_name, recognise};
use crate::extract::profile::HeaderRule;
use crate::extract::{
    ColumnUse, EmploymentType, Extract, ImportProfile, Issue, Kind, ReadOptions, Rejected,
    Severity, plan, read_extract, reader,
};
use crate::workspace::ImportRecord;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One file read and waiting to be imported (or fixed).
pub struct Pending {
    pub path: PathBuf,
    pub file_name: String,
    pub outcome: Result<Extract, Rejected>,
    pub headers: Vec<(String, ColumnUse)>,
    /// The user's header mapping: header → canonical field name or "ignore".
    pub mapping: BTreeMap<String, String>,
    /// The user's mapping of employment-type values Keel does not know.
    pub types: BTreeMap<String, EmploymentType>,
    /// The saved profile applied automatically, if any.
    pub applied: Option<String>,
    /// The first rows as written in the file (names masked).
    pub preview: Vec<Vec<String>>,
    /// The kind the user chose, for a file Keel could not tell.
    pub kind: Option<Kind>,
    /// The month the user gave, for a file that cannot say its own.
    pub month: Option<crate::month::Month>,
    /// The month as being typed (`YYYY-MM`).
    pub month_text: String,
    /// For a DfE census return: what it holds and its problems, worded as
    /// `keel import` words them.
    pub census: Option<super::census_view::ReturnCard>,
}

/// A file to read, with the mapping and kind to read it with.
pub struct ToRead {
    pub path: PathBuf,
    pub profile: Option<ImportProfile>,
    pub kind: Option<Kind>,
    pub month: Option<crate::month::Month>,
}

impl ToRead {
    pub fn plain(path: PathBuf) -> ToRead {
        ToRead {
            path,
            profile: None,
            kind: None,
            month: None,
        }
    }
}

impl Pending {
    pub fn profile(&self) -> ImportProfile {
        ImportProfile {
            name: Some(self.file_name.clone()),
            headers: self.mapping.clone(),
            employment_types: self.types.clone(),
        }
    }

    /// Read it again as the user left it: the file may have been fixed
    /// meanwhile, and the mapping and kind chosen still apply.
    pub fn again(&self) -> ToRead {
        ToRead {
            path: self.path.clone(),
            profile: Some(self.profile()),
            kind: self.kind,
            month: self.month,
        }
    }

    /// Whether the file needs a month given (an empty report, a caseload
    /// file without a snapshot date), or has one, so the view offers it.
    pub fn needs_month(&self) -> bool {
        self.month.is_some()
            || matches!(&self.outcome, Err(r) if r.errors.iter().any(|i| i.reason.contains("give the file's month")))
    }

    /// Whether Keel could not tell the file's kind (or the user chose it),
    /// so the view offers the choice.
    pub fn needs_kind(&self) -> bool {
        self.kind.is_some()
            || matches!(&self.outcome, Err(r) if r.errors.iter().any(|i| i.reason.contains("choose its kind")))
    }

    pub(super) fn issues(&self) -> Vec<&Issue> {
        match &self.outcome {
            Ok(e) => e.warnings.iter().collect(),
            Err(r) => r.errors.iter().chain(r.warnings.iter()).collect(),
        }
    }
}

/// How a header reads, for files rejected before Keel could plan them.
fn first_reading(h: &str, profile: Option<&ImportProfile>) -> ColumnUse {
    match profile.and_then(|p| p.header_rule(h)) {
        Some(HeaderRule::Field(f)) => ColumnUse::Field(f),
        Some(HeaderRule::Ignore) => ColumnUse::Ignored,
        None => match recognise(h) {
            Some(f) => ColumnUse::Field(f),
            None if looks_like_name(h) => ColumnUse::Name,
            None => ColumnUse::Unrecognised,
        },
    }
}

/// The header reading of a rejected file, so its headers can be mapped.
fn header_uses(
    path: &std::path::Path,
    profile: Option<&ImportProfile>,
) -> Vec<(String, ColumnUse)> {
    let is_header = |row: &[String]| plan::looks_like_header(row, profile);
    let Ok(table) = reader::read_table(path, None, &is_header) else {
        return Vec::new();
    };
    let name = path.display().to_string();
    match plan::plan(&name, &table.headers, None, None, profile).0 {
        Some(p) => p.headers.into_iter().zip(p.uses).collect(),
        None => table
            .headers
            .iter()
            .map(|h| (h.clone(), first_reading(h, profile)))
            .collect(),
    }
}

/// Read and validate each file (background thread).
pub fn read_all(
    files: Vec<ToRead>,
    standard_hours: f64,
    saved: &[PathBuf],
    progress: &Progress,
) -> Vec<Pending> {
    // A folder (dropped or typed) stands for its extracts, in the order
    // HR would import them; one holding none stays, to be refused by name.
    let files: Vec<ToRead> = files
        .into_iter()
        .flat_map(|f| match crate::first_run::extract_files(&f.path) {
            Ok(found) if f.path.is_dir() && !found.is_empty() => {
                found.into_iter().map(ToRead::plain).collect()
            }
            _ => vec![f],
        })
        .collect();
    let n = files.len();
    // Newest first: the mapping saved last is the likeliest to fit.
    let saved: Vec<(PathBuf, ImportProfile)> = saved
        .iter()
        .rev()
        .filter_map(|p| Some((p.clone(), ImportProfile::load(p).ok()?)))
        .collect();
    files
        .into_iter()
        .enumerate()
        .map(
            |(
                i,
                ToRead {
                    path,
                    profile,
                    kind,
                    month,
                },
            )| {
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string());
                let size = std::fs::metadata(&path).map_or(String::new(), |m| {
                    format!("{:.1} MB, ", m.len() as f64 / 1_000_000.0)
                });
                progress.set(format!("Reading {file_name} ({size}{} of {n})…", i + 1));
                if kind == Some(Kind::Census) || (path.is_file() && crate::census::is_return(&path)) {
                    return super::census_view::read_return(path, file_name, kind);
                }
                let opts = ReadOptions {
                    kind,
                    month,
                    profile: profile.as_ref(),
                    standard_hours,
                    ..Default::default()
                };
                // A typed path may name nothing: say so in words, not as the
            // operating system's error.
            let outcome = if path.is_file() {
                read_extract(&path, &opts)
            } else {
                Err(Rejected {
                    file_name: file_name.clone(),
                    errors: vec![Issue {
                        severity: Severity::Error,
                        file: file_name.clone(),
                        row: None,
                        column: None,
                        value: None,
                        reason: if path.is_dir() {
                            format!(
                                "the folder {} holds no CSV or Excel extract",
                                path.display()
                            )
                        } else {
                            format!(
                                "there is no file at {}: check the path, or choose the file with Choose files…",
                                path.display()
                            )
                        },
                    }],
                    warnings: Vec::new(),
                })
            };
                let headers = match &outcome {
                    Ok(e) => e.columns.clone(),
                    Err(_) => header_uses(&path, profile.as_ref()),
                };
                let fitting = profile
                    .is_none()
                    .then(|| fitting_profile(&headers, &saved))
                    .flatten();
                if let Some((from, p)) = fitting {
                    progress.set(format!("Reading {file_name} with a saved mapping…"));
                    let mut again = read_all(
                        vec![ToRead {
                            path: path.clone(),
                            profile: Some(p.clone()),
                            kind,
                            month,
                        }],
                        standard_hours,
                        &[],
                        progress,
                    );
                    if let Some(mut pending) = again.pop() {
                        pending.applied = Some(from.display().to_string());
                        return pending;
                    }
                }
                let preview =
                    crate::extract::preview::first_rows(&path, None, profile.as_ref(), &headers, 5);
                Pending {
                    preview,
                    kind,
                    month,
                    month_text: month.map(|m| m.to_string()).unwrap_or_default(),
                    applied: None,
                    file_name,
                    outcome,
                    headers,
                    types: profile
                        .as_ref()
                        .map(|p| p.employment_types.clone())
                        .unwrap_or_default(),
                    mapping: profile.map(|p| p.headers).unwrap_or_default(),
                    path,
                    census: None,
                }
            },
        )
        .collect()
}

/// A saved profile that maps at least one header Keel did not recognise.
fn fitting_profile<'a>(
    headers: &[(String, ColumnUse)],
    saved: &'a [(PathBuf, ImportProfile)],
) -> Option<&'a (PathBuf, ImportProfile)> {
    let unknown: Vec<&str> = headers
        .iter()
        .filter(|(_, u)| *u == ColumnUse::Unrecognised)
        .map(|(h, _)| h.as_str())
        .collect();
    if unknown.is_empty() {
        return None;
    }
    saved
        .iter()
        .find(|(_, p)| unknown.iter().any(|h| p.header_rule(h).is_some()))
}

/// The import already holding this file, when it is a leavers,
/// establishment or supervision file stored before (same bytes, same
/// months): the workspace refuses it, even in a batch that replaces a
/// month, as `keel import` does.
pub fn already_imported<'a>(p: &Pending, imports: &'a [ImportRecord]) -> Option<&'a ImportRecord> {
    let e = p.outcome.as_ref().ok()?;
    if e.kind.is_monthly() {
        return None;
    }
    imports.iter().find(|r| {
        r.is_active() && r.kind == e.kind && r.file_hash == e.file_hash && r.months == e.months
    })
}

/// Why a pending file cannot be imported, if it cannot.
pub fn refusal(p: &Pending, imports: &[ImportRecord]) -> Option<String> {
    match (&p.outcome, already_imported(p, imports)) {
        (Err(r), _) => Some(match r.errors.first() {
            // The first reason says most about a file refused whole.
            Some(first) if r.errors.len() == 1 => format!("1 error: {}", first.reason),
            Some(first) => format!("{} errors, the first: {}", r.errors.len(), first.reason),
            None => "refused".into(),
        }),
        (Ok(_), Some(r)) => Some(format!(
            "already imported (import #{} of {}): remove it from the batch",
            r.id, r.file
        )),
        (Ok(_), None) => None,
    }
}

/// The extracts to import, when every pending file passed validation and
/// none is already held.
pub fn ready(pending: &[Pending], imports: &[ImportRecord]) -> Option<Vec<Extract>> {
    if pending.is_empty() || pending.iter().any(|p| refusal(p, imports).is_some()) {
        return None;
    }
    pending
        .iter()
        .map(|p| p.outcome.as_ref().ok().cloned())
        .collect()
}

/// Months these extracts would replace, described for the confirmation.
pub fn months_held(extracts: &[Extract], model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for e in extracts.iter().filter(|e| e.kind.is_monthly()) {
        for m in &e.months {
            let owner = model
                .imports
                .iter()
                .find(|r| r.is_active() && r.kind == e.kind && r.months.contains(m));
            if let Some(r) = owner {
                out.push(format!(
                    "{} {m}: held by import #{} ({}); {} would replace it",
                    e.kind.name(),
                    r.id,
                    r.file,
                    e.file_name
                ));
            }
        }
    }
    out
}

fn issue_fields(i: &Issue) -> [String; 6] {
    let sev = match i.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    [
        sev.to_string(),
        i.file.clone(),
        i.row.map(|r| r.to_string()).unwrap_or_default(),
        i.column.clone().unwrap_or_default(),
        i.value.clone().unwrap_or_default(),
        i.reason.clone(),
    ]
}

const ISSUE_HEADER: [&str; 6] = ["severity", "file", "row", "column", "value", "reason"];

/// The validation table as CSV (quoted where needed), errors first.
pub fn issues_csv(issues: &[&Issue]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a failed row is left out rather than
    // losing the whole table.
    let _ = w.write_record(ISSUE_HEADER);
    for i in issues {
        let _ = w.write_record(issue_fields(i));
    }
    String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
}

/// The validation table as tab-separated text, errors first.
pub fn issues_tsv(issues: &[&Issue]) -> String {
    let clean = |t: &str| t.replace(['\t', '\n'], " ");
    let mut s = ISSUE_HEADER.join("\t");
    s.push('\n');
    for i in issues {
        let fields: Vec<String> = issue_fields(i).iter().map(|f| clean(f)).collect();
        s.push_str(&fields.join("\t"));
        s.push('\n');
    }
    s
}
