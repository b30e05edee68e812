//! The DfE's Children's Social Work Workforce census return (CSWW): one
//! XML file a year per council (`../shared/spec/csww-census.md`).
//!
//! - [`reader`]: bytes to a tree of elements with line numbers (quick-xml).
//! - [`schema`]: the DfE 2022 schema as tables.
//! - [`validate`]: the schema's rules and the spec's cross-field rules,
//!   every problem found, into a [`Return`] or a [`Rejected`].
//! - [`records`]: a return as the table Keel stores (`Kind::Census`): no
//!   birth date, gender, ethnicity or qualification, ever.
//! - [`check`]: `keel census check`: what the DfE will publish from a
//!   file, beside Keel's own September figures.
//!
//! A return goes into the workspace as an [`Extract`] of kind `census`, so
//! it is stored, pseudonymised, listed and undone exactly like an extract.

pub mod check;
pub mod reader;
pub mod records;
pub mod schema;
pub mod validate;
pub mod write;

use crate::extract::{Extract, Issue, Kind, Severity};
use crate::month::Month;
use chrono::NaiveDate;
use std::fmt;
use std::path::Path;

/// The first census year with records of individual workers (2013–2016
/// were aggregate returns).
pub const FIRST_YEAR: i32 = 2017;

/// One problem in a return: the record (its position among the
/// `CSWWWorker` elements and its line), the SWE number, the element, the
/// value and the rule it breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    /// 1 for the first `CSWWWorker`.
    pub record: Option<usize>,
    pub line: Option<u64>,
    pub swe: Option<String>,
    pub element: Option<String>,
    pub value: Option<String>,
    /// The rule, without the value (so problems group by rule).
    pub rule: String,
}

/// Values longer than this are cut in messages.
const VALUE_SHOWN: usize = 40;

fn shown(v: &str) -> String {
    if v.chars().count() > VALUE_SHOWN {
        format!("{}…", v.chars().take(VALUE_SHOWN).collect::<String>())
    } else {
        v.to_string()
    }
}

impl Problem {
    /// Where the problem is, without the SWE number: what a stored warning
    /// may say (stored warnings name rows, never identifiers).
    fn place(&self, with_swe: bool) -> String {
        let mut out = Vec::new();
        match (self.record, self.line) {
            (Some(r), Some(l)) => out.push(format!("record {r} (line {l})")),
            (Some(r), None) => out.push(format!("record {r}")),
            (None, Some(l)) => out.push(format!("line {l}")),
            (None, None) => {}
        }
        if with_swe && let Some(s) = &self.swe {
            out.push(format!("SWE {}", shown(s)));
        }
        if let Some(e) = &self.element {
            out.push(format!("element '{e}'"));
        }
        if let Some(v) = &self.value {
            out.push(format!("value '{}'", shown(v)));
        }
        out.join(", ")
    }

    /// The warning as the workspace stores it: no SWE number.
    pub fn to_issue(&self) -> Issue {
        let place = self.place(false);
        Issue {
            severity: self.severity,
            file: self.file.clone(),
            row: None,
            column: None,
            value: None,
            reason: if place.is_empty() {
                self.rule.clone()
            } else {
                format!("{place}: {}", self.rule)
            },
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let place = self.place(true);
        if place.is_empty() {
            write!(f, "{label}: {}: {}", self.file, self.rule)
        } else {
            write!(f, "{label}: {}, {place}: {}", self.file, self.rule)
        }
    }
}

/// Problems past the first `per_file` of each file, counted by element and
/// rule, as `keel import` cuts extracts' errors.
pub fn cap(problems: &[Problem], per_file: usize) -> (Vec<&Problem>, Vec<String>) {
    let (shown, groups) = crate::extract::capped::split_per_file(
        problems,
        per_file,
        |p| p.file.as_str(),
        |p| ((p.file.as_str(), p.element.as_deref(), p.rule.as_str()), ()),
        |()| 1usize,
        |n, ()| *n += 1,
    );
    let omitted = groups
        .into_iter()
        .map(|((file, element, rule), n)| {
            let what = if n == 1 { "problem" } else { "problems" };
            let element = element
                .map(|e| format!(" with element '{e}'"))
                .unwrap_or_default();
            format!(
                "{file}: … and {} more {what}{element}: {rule}",
                crate::extract::capped::thousands(n)
            )
        })
        .collect();
    (shown, omitted)
}

/// One `CSWWWorker`, with what Keel keeps of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    pub position: usize,
    pub line: u64,
    pub swe: String,
    pub agency: bool,
    pub fte: Option<f64>,
    pub fte30: Option<f64>,
    pub role: Option<u8>,
    pub start: Option<NaiveDate>,
    pub origin: Option<u8>,
    pub end: Option<NaiveDate>,
    pub destination: Option<u8>,
    pub reason: Option<u8>,
    pub cases: Option<i64>,
    pub days_lost: Option<f64>,
    /// CFKSS status 1 (ASYE) among the record's statuses; unknown when it
    /// gives none.
    pub asye: Option<bool>,
    /// Items Keel never stores, held only while a file is open so that
    /// `keel census write` can copy them from an earlier return.
    pub personal: Personal,
}

/// A record's personal items, as written in the return.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Personal {
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub qual_inst: Vec<String>,
}

/// A return that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct Return {
    pub file_name: String,
    /// The census year: the year ending 30 September `year`.
    pub year: i32,
    pub la_code: Option<String>,
    pub vacancies_fte: f64,
    pub agency_cover_fte: f64,
    pub agency_cover_headcount: i64,
    pub records: Vec<Record>,
    pub warnings: Vec<Problem>,
}

impl Return {
    /// 30 September of the census year: the reference date.
    pub fn reference_date(&self) -> NaiveDate {
        reference_date(self.year)
    }

    /// The month Keel files the return under: September of the census year.
    pub fn month(&self) -> Month {
        Month::of(self.reference_date())
    }
}

/// 30 September of `year`.
pub fn reference_date(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 9, 30).expect("30 September exists in every year")
}

/// 1 October before it: the census year's first day.
pub fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year - 1, 10, 1).expect("1 October exists in every year")
}

/// Whether a date falls in census year `year` (1 October to 30
/// September); a missing date does not.
pub(crate) fn in_census_year(year: i32, date: polars::prelude::Expr) -> polars::prelude::Expr {
    use polars::prelude::lit;
    date.clone()
        .gt_eq(lit(first_day(year)))
        .and(date.lt_eq(lit(reference_date(year))))
        .fill_null(lit(false))
}

/// A return that failed validation: nothing from it may be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    pub file_name: String,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Rejected {
    /// The whole file refused for one reason (it cannot be read, or its
    /// table cannot be built): no record, element or value to name.
    fn whole_file(file_name: &str, rule: String) -> Rejected {
        Rejected {
            file_name: file_name.to_string(),
            errors: vec![Problem {
                severity: Severity::Error,
                file: file_name.to_string(),
                record: None,
                line: None,
                swe: None,
                element: None,
                value: None,
                rule,
            }],
            warnings: vec![],
        }
    }
}

/// Whether a file is to be read as a census return: its name ends in
/// `.xml`, or its first characters open an XML document.
pub fn is_return(path: &Path) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
    {
        return true;
    }
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&head[..n]);
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("<?xml")
}

/// Whether a file's root element is a CSWW return's `<Message>`, read
/// from its first few kilobytes: a folder's other `.xml` files (settings,
/// exports of other systems) are not returns and are left alone there.
pub fn has_return_root(path: &Path) -> bool {
    use quick_xml::events::Event;
    let mut head = vec![0u8; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let mut reader = quick_xml::Reader::from_reader(&head[..n]);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return e.local_name().into_inner() == "Message";
            }
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => buf.clear(),
        }
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Read and validate a return file.
pub fn read_return(path: &Path) -> Result<Return, Rejected> {
    let file_name = file_name_of(path);
    let bytes = std::fs::read(path)
        .map_err(|e| Rejected::whole_file(&file_name, format!("cannot read the file: {e}")))?;
    validate::validate(&file_name, &bytes)
}

/// A return as an extract of kind `census`, ready for
/// `Workspace::import`: one month (its September), its records as the
/// stored table, its warnings without SWE numbers.
pub fn read_as_extract(path: &Path) -> Result<Extract, Rejected> {
    as_extract(path, &read_return(path)?)
}

/// A return already read and validated from `path`, as the extract
/// [`read_as_extract`] gives.
pub fn as_extract(path: &Path, ret: &Return) -> Result<Extract, Rejected> {
    let file_hash = crate::extract::file_hash(path)
        .map_err(|e| Rejected::whole_file(&ret.file_name, format!("cannot read the file: {e}")))?;
    let data = records::frame(ret).map_err(|e| {
        Rejected::whole_file(&ret.file_name, format!("cannot build the table: {e}"))
    })?;
    Ok(Extract {
        path: path.to_path_buf(),
        file_name: ret.file_name.clone(),
        file_hash,
        kind: Kind::Census,
        columns: vec![],
        data,
        months: vec![ret.month()],
        rows_read: ret.records.len(),
        warnings: ret.warnings.iter().map(Problem::to_issue).collect(),
    })
}

/// What a return holds, as the DfE counts it: for the app's preview
/// before it is imported.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub year: i32,
    pub la_code: Option<String>,
    pub records: usize,
    /// Employed social workers in post on 30 September (head count).
    pub employed_in_post: f64,
    pub agency_in_post: f64,
    pub leavers: f64,
    pub starters: f64,
    pub vacancy_fte: f64,
}

impl Return {
    /// The counts the DfE publishes from this return (the same figures
    /// `keel census check` prints), for a preview.
    pub fn summary(&self) -> polars::prelude::PolarsResult<Summary> {
        use crate::metrics::census::PUBLISHED;
        let figures = crate::metrics::census::published_figures(&records::frame(self)?)?;
        let get = |name: &str| {
            PUBLISHED
                .iter()
                .zip(&figures)
                .find(|(p, _)| p.name == name)
                .and_then(|(_, v)| *v)
                .unwrap_or(0.0)
        };
        Ok(Summary {
            year: self.year,
            la_code: self.la_code.clone(),
            records: self.records.len(),
            employed_in_post: get("inpost_headcount"),
            agency_in_post: get("agency_headcount"),
            leavers: get("leavers_headcount"),
            starters: get("starters_headcount"),
            vacancy_fte: get("vacancy_fte"),
        })
    }
}

/// The lines `keel import` and `keel census check` print for a return's
/// problems: every one, or with `per_file` the first of each file and the
/// rest counted by rule (as `error: …` lines). The flag says whether any
/// were counted rather than shown.
pub fn lines(problems: &[Problem], per_file: Option<usize>) -> (Vec<String>, bool) {
    let Some(per_file) = per_file else {
        return (problems.iter().map(Problem::to_string).collect(), false);
    };
    let (shown, omitted) = cap(problems, per_file);
    let mut out: Vec<String> = shown.iter().map(|p| p.to_string()).collect();
    out.extend(omitted.iter().map(|o| format!("error: {o}")));
    (out, !omitted.is_empty())
}

#[cfg(test)]
mod tests {
    use super::has_return_root;

    #[test]
    fn a_return_root_is_found_past_a_bom_declaration_comments_and_a_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let check = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            has_return_root(&p)
        };
        assert!(check("a.xml", "<Message><Header/></Message>"));
        assert!(check(
            "b.xml",
            "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- from HR -->\r\n<Message xmlns=\"x\">"
        ));
        assert!(check(
            "c.xml",
            "<?xml version=\"1.0\"?><csww:Message xmlns:csww=\"x\">"
        ));
        assert!(!check(
            "d.xml",
            "<?xml version=\"1.0\"?><settings><Message/></settings>"
        ));
        assert!(!check("e.xml", "not xml at all"));
        assert!(!check("f.xml", ""));
    }
}
