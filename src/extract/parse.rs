//! Turning the rows of a table into typed canonical columns, with the
//! contract's per-row errors and warnings. Rows are parsed in parallel
//! chunks; each chunk keeps its own memo of parsed dates, since real
//! extracts repeat the same few hundred dates across a million rows.

use super::fields::{Field, Kind, ValueType};
use super::plan::Plan;
use super::reader::Table;
use super::values::{self, Cell, EmploymentType};
use super::{Issue, Severity};
use crate::month::Month;
use chrono::NaiveDate;
use polars::prelude::PlHashMap;
use rayon::prelude::*;
use std::borrow::Cow;

pub const FTE_MAX: f64 = 1.5;
pub const CASELOAD_WARN: f64 = 60.0;

/// One canonical column being built.
pub enum Column<'t> {
    Text(Vec<Option<Cow<'t, str>>>),
    Date(Vec<Option<NaiveDate>>),
    Number(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Employment(Vec<Option<EmploymentType>>),
}

impl<'t> Column<'t> {
    fn new(ty: ValueType, cap: usize) -> Column<'t> {
        match ty {
            ValueType::Text => Column::Text(Vec::with_capacity(cap)),
            ValueType::Date => Column::Date(Vec::with_capacity(cap)),
            ValueType::Number => Column::Number(Vec::with_capacity(cap)),
            ValueType::Bool => Column::Bool(Vec::with_capacity(cap)),
            ValueType::EmploymentType => Column::Employment(Vec::with_capacity(cap)),
        }
    }

    fn append(&mut self, other: Column<'t>) {
        match (self, other) {
            (Column::Text(a), Column::Text(b)) => a.extend(b),
            (Column::Date(a), Column::Date(b)) => a.extend(b),
            (Column::Number(a), Column::Number(b)) => a.extend(b),
            (Column::Bool(a), Column::Bool(b)) => a.extend(b),
            (Column::Employment(a), Column::Employment(b)) => a.extend(b),
            _ => unreachable!("chunks share one schema"),
        }
    }

    fn push_null(&mut self) {
        match self {
            Column::Text(v) => v.push(None),
            Column::Date(v) => v.push(None),
            Column::Number(v) => v.push(None),
            Column::Bool(v) => v.push(None),
            Column::Employment(v) => v.push(None),
        }
    }

    /// Keep only the rows whose flag is true.
    pub fn retain(&mut self, keep: &[bool]) {
        fn r<T>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        match self {
            Column::Text(v) => r(v, keep),
            Column::Date(v) => r(v, keep),
            Column::Number(v) => r(v, keep),
            Column::Bool(v) => r(v, keep),
            Column::Employment(v) => r(v, keep),
        }
    }
}

/// The parsed rows of a file: one column per field of its kind.
pub struct Parsed<'t> {
    pub fields: Vec<Field>,
    pub columns: Vec<Column<'t>>,
    /// Where each field's column is in `columns`, by `Field as usize`
    /// (looked up for every row's rules).
    slots: Vec<Option<usize>>,
    /// Table index of each parsed row.
    pub index: Vec<usize>,
    /// File row number of each parsed row.
    pub rows: Vec<u32>,
    pub issues: Vec<Issue>,
}

impl<'t> Parsed<'t> {
    pub fn column(&self, f: Field) -> Option<&Column<'t>> {
        self.slots[f as usize].map(|i| &self.columns[i])
    }

    pub fn text(&self, f: Field) -> &[Option<Cow<'t, str>>] {
        match self.column(f) {
            Some(Column::Text(v)) => v,
            _ => &[],
        }
    }

    pub fn dates(&self, f: Field) -> &[Option<NaiveDate>] {
        match self.column(f) {
            Some(Column::Date(v)) => v,
            _ => &[],
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn retain(&mut self, keep: &[bool]) {
        self.columns.par_iter_mut().for_each(|c| c.retain(keep));
        let mut k = keep.iter();
        self.index.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        self.rows.retain(|_| *k.next().unwrap_or(&true));
    }
}

pub struct Context<'a> {
    pub file: &'a str,
    pub plan: &'a Plan,
    pub profile: Option<&'a super::profile::ImportProfile>,
    pub standard_hours: f64,
    pub today: NaiveDate,
}

/// Rows per parallel chunk: large enough that the memo pays off.
const CHUNK: usize = 64 * 1024;

pub fn parse_table<'t>(table: &'t Table, cx: &Context) -> Parsed<'t> {
    let n = table.len();
    let chunks: Vec<(usize, usize)> = (0..n)
        .step_by(CHUNK)
        .map(|s| (s, (s + CHUNK).min(n)))
        .collect();
    let mut parts: Vec<Parsed<'t>> = chunks
        .into_par_iter()
        .map(|(s, e)| parse_range(table, cx, s..e))
        .collect();
    let mut all = parse_range(table, cx, 0..0);
    // Each column is joined from its pieces on its own, in parallel.
    let total: usize = parts.iter().map(Parsed::len).sum();
    let mut pieces: Vec<Vec<Column<'t>>> = all.columns.iter().map(|_| Vec::new()).collect();
    for p in &mut parts {
        for (k, c) in std::mem::take(&mut p.columns).into_iter().enumerate() {
            pieces[k].push(c);
        }
    }
    let fields = &all.fields;
    let (columns, ()) = rayon::join(
        || {
            pieces
                .into_par_iter()
                .zip(fields.par_iter())
                .map(|(cs, f)| {
                    let mut column = Column::new(f.value_type(), total);
                    for c in cs {
                        column.append(c);
                    }
                    column
                })
                .collect()
        },
        || {
            all.index.reserve(total);
            all.rows.reserve(total);
            for p in parts {
                all.index.extend(p.index);
                all.rows.extend(p.rows);
                all.issues.extend(p.issues);
            }
        },
    );
    all.columns = columns;
    all
}

struct Memo<'t> {
    dates: PlHashMap<&'t str, Result<Option<NaiveDate>, values::ValueError>>,
    types: PlHashMap<&'t str, Option<EmploymentType>>,
}

fn parse_range<'t>(table: &'t Table, cx: &Context, range: std::ops::Range<usize>) -> Parsed<'t> {
    let kind = cx.plan.kind;
    let fields = kind.fields().to_vec();
    let cap = range.len();
    let mut slots = vec![None; Field::ALL.len()];
    for (i, f) in fields.iter().enumerate() {
        slots[*f as usize] = Some(i);
    }
    let mut out = Parsed {
        slots,
        columns: fields
            .iter()
            .map(|f| Column::new(f.value_type(), cap))
            .collect(),
        fields,
        index: Vec::with_capacity(cap),
        rows: Vec::with_capacity(cap),
        issues: Vec::new(),
    };
    let mut memo = Memo {
        dates: PlHashMap::default(),
        types: PlHashMap::default(),
    };
    for i in range {
        if table.is_blank(i) {
            continue;
        }
        let row = table.row_number(i);
        out.index.push(i);
        out.rows.push(row as u32);
        let start = out.issues.len();
        let mut row_issues = RowIssues {
            file: cx.file,
            row,
            issues: &mut out.issues,
        };
        for (k, f) in out.fields.iter().enumerate() {
            parse_field(
                table,
                i,
                *f,
                cx,
                &mut memo,
                &mut out.columns[k],
                &mut row_issues,
            );
        }
        let mut extra = Vec::new();
        let mut rules = RowIssues {
            file: cx.file,
            row,
            issues: &mut extra,
        };
        check_row_rules(&out, &out.issues[start..], table, i, cx, &mut rules);
        out.issues.extend(extra);
    }
    out
}

struct RowIssues<'a> {
    file: &'a str,
    row: usize,
    issues: &'a mut Vec<Issue>,
}

impl RowIssues<'_> {
    fn push(&mut self, severity: Severity, column: &str, value: String, reason: impl Into<String>) {
        self.issues.push(Issue {
            severity,
            file: self.file.to_string(),
            row: Some(self.row),
            column: Some(column.to_string()),
            value: Some(value),
            reason: reason.into(),
        });
    }
}

/// Parse one cell into its column; a failure records an error and a null.
fn parse_field<'t>(
    table: &'t Table,
    i: usize,
    f: Field,
    cx: &Context,
    memo: &mut Memo<'t>,
    column: &mut Column<'t>,
    issues: &mut RowIssues,
) {
    let plan = cx.plan;
    let Some(c) = plan.col(f) else {
        derive_missing(table, i, f, cx, column, issues);
        return;
    };
    let cell = table.cell(i, c);
    let header = &plan.headers[c];
    let fail = |issues: &mut RowIssues, reason: values::ValueError| {
        issues.push(Severity::Error, header, cell.display(), reason.to_string());
    };
    match column {
        Column::Text(v) => v.push(match cell {
            Cell::Empty => None,
            Cell::Text(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(Cow::Borrowed),
            Cell::Error(e) => {
                fail(
                    issues,
                    values::ValueError::Spreadsheet {
                        code: e.to_string(),
                        expected: "a value",
                    },
                );
                None
            }
            other => Some(Cow::Owned(other.display())),
        }),
        Column::Date(v) => {
            let parsed = match cell {
                Cell::Text(s) => match values::quick_date(s) {
                    Some(d) => Ok(Some(d)),
                    None => memo
                        .dates
                        .entry(s)
                        .or_insert_with(|| values::parse_date_text(s))
                        .clone(),
                },
                other => values::parse_date(other),
            };
            match parsed {
                Ok(d) => v.push(d),
                Err(reason) => {
                    fail(issues, reason);
                    v.push(None);
                }
            }
        }
        Column::Number(v) => match values::parse_number(cell) {
            Ok(n) => v.push(n),
            Err(reason) => {
                fail(issues, reason);
                v.push(None);
            }
        },
        Column::Bool(v) => match values::parse_bool(cell) {
            Ok(b) => v.push(b),
            Err(reason) => {
                fail(issues, reason);
                v.push(None);
            }
        },
        Column::Employment(v) => {
            if cell.is_empty() {
                v.push(None);
                return;
            }
            let lookup = |text: &str| {
                cx.profile
                    .and_then(|p| p.employment_type(text))
                    .or_else(|| values::employment_type_from_text(text))
            };
            let found = match cell {
                Cell::Text(s) => *memo.types.entry(s).or_insert_with(|| lookup(s)),
                other => lookup(&other.display()),
            };
            match found {
                Some(t) => v.push(Some(t)),
                None => {
                    let text = cell.display();
                    fail(
                        issues,
                        values::ValueError::EmploymentType(text.trim().to_string()),
                    );
                    v.push(None);
                }
            }
        }
    }
}

/// Values a file may give indirectly: FTE from contracted hours, the
/// snapshot date from `--month`.
fn derive_missing<'t>(
    table: &'t Table,
    i: usize,
    f: Field,
    cx: &Context,
    column: &mut Column<'t>,
    issues: &mut RowIssues,
) {
    match (f, column) {
        (Field::Fte, Column::Number(v)) => {
            let Some(c) = cx.plan.col(Field::ContractedHours) else {
                v.push(None);
                return;
            };
            let cell = table.cell(i, c);
            match values::parse_number(cell) {
                Ok(h) => v.push(h.map(|h| h / cx.standard_hours)),
                Err(reason) => {
                    let reason = reason.to_string();
                    issues.push(Severity::Error, &cx.plan.headers[c], cell.display(), reason);
                    v.push(None);
                }
            }
        }
        (Field::SnapshotDate, Column::Date(v)) => v.push(cx.plan.month.map(Month::last_day)),
        (_, column) => column.push_null(),
    }
}

/// The contract's per-row rules, run on the values just parsed.
fn check_row_rules(
    p: &Parsed,
    parse_errors: &[Issue],
    table: &Table,
    i: usize,
    cx: &Context,
    issues: &mut RowIssues,
) {
    let plan = cx.plan;
    let r = p.len() - 1;
    let raw = |f: Field| {
        plan.col(f)
            .map(|c| table.cell(i, c).display())
            .unwrap_or_default()
    };
    let num = |f: Field| match p.column(f) {
        Some(Column::Number(v)) => v[r],
        _ => None,
    };
    // Required values (a parse error already said what is wrong).
    for f in plan.kind.required() {
        let missing = match p.column(*f) {
            Some(Column::Text(v)) => v[r].is_none(),
            Some(Column::Date(v)) => v[r].is_none(),
            Some(Column::Number(v)) => v[r].is_none(),
            Some(Column::Employment(v)) => v[r].is_none(),
            _ => false,
        };
        let header = if *f == Field::Fte && plan.col(Field::Fte).is_none() {
            plan.header_of(Field::ContractedHours)
        } else {
            plan.header_of(*f)
        };
        let already = parse_errors
            .iter()
            .any(|x| x.column.as_deref() == Some(header));
        if missing && !already {
            issues.push(
                Severity::Error,
                header,
                String::new(),
                format!("{f} is empty: every row needs one"),
            );
        }
    }
    if let Some(fte) = num(Field::Fte) {
        let header = if plan.col(Field::Fte).is_some() {
            plan.header_of(Field::Fte)
        } else {
            plan.header_of(Field::ContractedHours)
        };
        let shown = || {
            raw(if plan.col(Field::Fte).is_some() {
                Field::Fte
            } else {
                Field::ContractedHours
            })
        };
        if !(fte > 0.0 && fte <= FTE_MAX) {
            let why = if plan.col(Field::Fte).is_some() {
                format!("FTE must be above 0 and at most {FTE_MAX}")
            } else {
                format!(
                    "these hours give an FTE of {fte:.2} at {} standard weekly hours; FTE must be above 0 and at most {FTE_MAX}",
                    cx.standard_hours
                )
            };
            issues.push(Severity::Error, header, shown(), why);
        } else if fte > 1.0 {
            issues.push(
                Severity::Warning,
                header,
                shown(),
                format!("FTE {fte:.2} is above 1.0: check it is one post"),
            );
        }
    }
    if let Some(cases) = num(Field::Caseload) {
        let header = plan.header_of(Field::Caseload);
        if cases < 0.0 {
            issues.push(
                Severity::Error,
                header,
                raw(Field::Caseload),
                "a caseload cannot be negative",
            );
        } else if cases > CASELOAD_WARN {
            issues.push(
                Severity::Warning,
                header,
                raw(Field::Caseload),
                format!("caseload above {CASELOAD_WARN}: check it"),
            );
        }
    }
    for f in [Field::DayRate, Field::FundedFte] {
        if num(f).is_some_and(|v| v < 0.0) {
            issues.push(
                Severity::Error,
                plan.header_of(f),
                raw(f),
                format!("{f} cannot be negative"),
            );
        }
    }
    // Dates in the future (leave and effective dates may rightly be ahead).
    for f in [
        Field::SnapshotDate,
        Field::StartDate,
        Field::QualifiedDate,
        Field::LastSupervisionDate,
        Field::SupervisionDate,
    ] {
        if plan.col(f).is_none() {
            continue;
        }
        if let Some(Some(d)) = p.dates(f).get(r)
            && *d > cx.today
        {
            issues.push(
                Severity::Warning,
                plan.header_of(f),
                raw(f),
                format!("{f} is in the future"),
            );
        }
    }
    if let (Some(m), Some(c)) = (plan.month, plan.col(Field::SnapshotDate))
        && let Some(Some(d)) = p.dates(Field::SnapshotDate).get(r)
        && Month::of(*d) != m
    {
        issues.push(
            Severity::Error,
            &plan.headers[c],
            raw(Field::SnapshotDate),
            format!("the snapshot date is not in {m}, the month given for the file"),
        );
    }
    if plan.kind == Kind::Leavers
        && let Some(Column::Employment(v)) = p.column(Field::EmploymentType)
        && v[r] == Some(EmploymentType::Agency)
    {
        issues.push(Severity::Warning, plan.header_of(Field::EmploymentType), raw(Field::EmploymentType), "an agency worker in a leavers report: not counted, turnover counts employed staff only");
    }
}
