//! A return checked as the DfE's collection system would: every rule of
//! the 2022 schema (order, occurrences, patterns, code lists, decimals,
//! ranges) and the spec's cross-field rules, reporting every problem with
//! its record, line, SWE number, element and value. All or nothing: one
//! error and the return is rejected.
//!
//! Odd but legal is a warning: an element the 2022 schema does not know
//! (a later year's schema may add optional items, and the spec says a
//! reader should not fail on them), FTE and FTE30 disagreeing for a post
//! held on 30 September, a reference date other than 30 September.

use super::reader::{self, Node};
use super::schema::{self, Child, Simple, Ty};
use super::{FIRST_YEAR, Problem, Record, Rejected, Return, first_day, reference_date};
use crate::extract::Severity;
use chrono::{Datelike, NaiveDate};

/// A value read by its simple type.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    Integer(i64),
    Date(NaiveDate),
    Year(i32),
}

/// Where a problem is: the record and its SWE number, when inside one.
#[derive(Clone, Copy, Default)]
struct Place<'a> {
    record: Option<usize>,
    swe: Option<&'a str>,
}

struct Checker<'f> {
    file: &'f str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn push(
        &mut self,
        severity: Severity,
        at: Place,
        node: Option<&Node>,
        element: Option<&str>,
        value: Option<&str>,
        rule: String,
    ) {
        self.problems.push(Problem {
            severity,
            file: self.file.to_string(),
            record: at.record,
            line: node.map(|n| n.line),
            swe: at.swe.map(str::to_string),
            element: element.map(str::to_string),
            value: value.map(str::to_string),
            rule,
        });
    }

    fn error(&mut self, at: Place, node: &Node, value: Option<&str>, rule: String) {
        self.push(
            Severity::Error,
            at,
            Some(node),
            Some(&node.name),
            value,
            rule,
        );
    }

    /// The children of `node` against a sequence: order, occurrences,
    /// unknown elements. Returns each child of the sequence's occurrences.
    fn sequence<'n>(&mut self, node: &'n Node, spec: &[Child], at: Place) -> Vec<Vec<&'n Node>> {
        let mut found: Vec<Vec<&Node>> = vec![Vec::new(); spec.len()];
        if !node.text.trim().is_empty() {
            let text = node.text.trim().to_string();
            self.error(
                at,
                node,
                Some(&text),
                format!("<{}> holds elements, not text", node.name),
            );
        }
        let mut pos = 0;
        for child in &node.children {
            match spec.iter().position(|c| c.name == child.name) {
                Some(i) if i < pos => {
                    let after = spec[pos].name;
                    self.error(
                        at,
                        child,
                        None,
                        format!(
                            "out of order: <{}> must come before <{after}> (the schema's sequence)",
                            child.name
                        ),
                    );
                    found[i].push(child);
                }
                Some(i) => {
                    pos = i;
                    found[i].push(child);
                }
                None => self.push(
                    Severity::Warning,
                    at,
                    Some(child),
                    Some(&child.name),
                    None,
                    format!(
                        "<{}> is not in the 2022 schema of <{}>: skipped (an optional item from a later year's schema?)",
                        child.name, node.name
                    ),
                ),
            }
        }
        for (c, nodes) in spec.iter().zip(&found) {
            let n = nodes.len() as u32;
            if n < c.min {
                self.push(
                    Severity::Error,
                    at,
                    Some(node),
                    Some(c.name),
                    None,
                    format!("<{}> is required in <{}>", c.name, node.name),
                );
            }
            if let Some(max) = c.max
                && n > max
            {
                self.error(
                    at,
                    nodes[max as usize],
                    None,
                    format!(
                        "<{}> may appear at most {max} time(s) in <{}>",
                        c.name, node.name
                    ),
                );
            }
        }
        found
    }

    /// A simple element's value by its type; `None` after reporting it.
    fn value(&mut self, node: &Node, ty: Simple, at: Place) -> Option<Value> {
        if !node.children.is_empty() {
            self.error(
                at,
                node,
                None,
                format!(
                    "<{}> holds a value ({}), not elements",
                    node.name,
                    ty.name()
                ),
            );
            return None;
        }
        let raw = node.text.as_str();
        let bad = |rule: &str| format!("not a valid {}: {rule}", ty.name());
        // Numbers and dates collapse white space; strings keep it.
        let collapsed = raw.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        let result = match ty {
            Simple::Text => Ok(Value::Text(raw.to_string())),
            Simple::Code(_, codes) => {
                if codes.contains(&raw) {
                    Ok(Value::Text(raw.to_string()))
                } else {
                    Err(bad(&format!("one of {}", codes.join(", "))))
                }
            }
            Simple::Swe => {
                let b = raw.as_bytes();
                if b.len() == 12
                    && b[..2].iter().all(u8::is_ascii_alphabetic)
                    && b[2..].iter().all(u8::is_ascii_digit)
                {
                    Ok(Value::Text(raw.to_string()))
                } else {
                    Err(bad("two letters then ten digits (e.g. SW0000012345)"))
                }
            }
            Simple::Lea => {
                if raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(Value::Text(raw.to_string()))
                } else {
                    Err(bad("three digits"))
                }
            }
            Simple::Decimal { digits, range, .. } => match decimal(collapsed) {
                None => Err(bad("a decimal number such as 0.5")),
                Some((_, places)) if places > digits => {
                    Err(bad(&format!("at most {digits} decimal place(s)")))
                }
                Some((v, _)) => match range {
                    Some((lo, hi)) if v < lo || v > hi => Err(bad(&format!("from {lo} to {hi}"))),
                    _ => Ok(Value::Number(v)),
                },
            },
            Simple::Integer => match integer(collapsed) {
                Some(v) => Ok(Value::Integer(v)),
                None => Err(bad("a whole number")),
            },
            Simple::Date => match date(collapsed) {
                Some(d) => Ok(Value::Date(d)),
                None => Err(bad("a date written YYYY-MM-DD")),
            },
            Simple::GYear => match year(collapsed) {
                Some(y) => Ok(Value::Year(y)),
                None => Err(bad("a year written YYYY")),
            },
            Simple::DateTime => {
                if date_time(collapsed) {
                    Ok(Value::Text(collapsed.to_string()))
                } else {
                    Err(bad("a date and time written YYYY-MM-DDThh:mm:ss"))
                }
            }
        };
        match result {
            Ok(v) => Some(v),
            Err(rule) => {
                self.error(at, node, Some(raw), rule);
                None
            }
        }
    }

    /// The value of the first occurrence of child `i` of a sequence.
    fn first(
        &mut self,
        found: &[Vec<&Node>],
        spec: &[Child],
        name: &str,
        at: Place,
    ) -> Option<(Value, Node)> {
        let i = spec.iter().position(|c| c.name == name)?;
        let Ty::Simple(ty) = spec[i].ty else {
            return None;
        };
        let mut out = None;
        for (k, n) in found[i].iter().enumerate() {
            let v = self.value(n, ty, at);
            if k == 0 {
                out = v.map(|v| (v, (*n).clone()));
            }
        }
        out
    }

    /// Every occurrence of child `name`, checked.
    fn all(&mut self, found: &[Vec<&Node>], spec: &[Child], name: &str, at: Place) -> Vec<Value> {
        let Some(i) = spec.iter().position(|c| c.name == name) else {
            return vec![];
        };
        let Ty::Simple(ty) = spec[i].ty else {
            return vec![];
        };
        found[i]
            .iter()
            .filter_map(|n| self.value(n, ty, at))
            .collect()
    }
}

/// `xs:decimal`: the value and its significant fraction digits (trailing
/// zeros are not: `1.000000` is a valid FTE).
fn decimal(s: &str) -> Option<(f64, u32)> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let places = frac.trim_end_matches('0').len() as u32;
    let v: f64 = s.parse().ok().or_else(|| format!("{s}0").parse().ok())?;
    v.is_finite().then_some((v, places))
}

/// `xs:integer`.
fn integer(s: &str) -> Option<i64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A time zone suffix (`Z`, `+01:00`) stripped, where there is one.
fn without_zone(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_suffix('Z') {
        return Some(rest);
    }
    if s.len() > 6 {
        let (head, zone) = s.split_at(s.len() - 6);
        let z = zone.as_bytes();
        if (z[0] == b'+' || z[0] == b'-')
            && z[1].is_ascii_digit()
            && z[2].is_ascii_digit()
            && z[3] == b':'
            && z[4].is_ascii_digit()
            && z[5].is_ascii_digit()
        {
            return Some(head);
        }
    }
    Some(s)
}

/// `xs:date`: `YYYY-MM-DD`, an optional zone.
fn date(s: &str) -> Option<NaiveDate> {
    let s = without_zone(s)?;
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// `xs:gYear`: four digits, an optional zone.
fn year(s: &str) -> Option<i32> {
    let s = without_zone(s)?;
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `xs:dateTime`: `YYYY-MM-DDThh:mm:ss`, optional fraction and zone.
fn date_time(s: &str) -> bool {
    let Some(s) = without_zone(s) else {
        return false;
    };
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        && main.len() == 19
        && chrono::NaiveDateTime::parse_from_str(main, "%Y-%m-%dT%H:%M:%S").is_ok()
}

fn code(v: Option<(Value, Node)>) -> Option<u8> {
    match v {
        Some((Value::Text(t), _)) => t.parse().ok(),
        _ => None,
    }
}

fn num(v: &Option<(Value, Node)>) -> Option<f64> {
    match v {
        Some((Value::Number(x), _)) => Some(*x),
        _ => None,
    }
}

fn day(v: &Option<(Value, Node)>) -> Option<NaiveDate> {
    match v {
        Some((Value::Date(d), _)) => Some(*d),
        _ => None,
    }
}

/// The census year a reference date falls in: the year to 30 September.
pub fn census_year_of(d: NaiveDate) -> i32 {
    if d.month() >= 10 {
        d.year() + 1
    } else {
        d.year()
    }
}

/// Validate a return's bytes; `file` names it in messages.
pub fn validate(file: &str, bytes: &[u8]) -> Result<Return, Rejected> {
    let mut c = Checker {
        file,
        problems: Vec::new(),
    };
    let fail = |c: Checker| {
        let (errors, warnings) = c
            .problems
            .into_iter()
            .partition(|p| p.severity == Severity::Error);
        Rejected {
            file_name: file.to_string(),
            errors,
            warnings,
        }
    };
    let root = match reader::parse(bytes) {
        Ok(r) => r,
        Err(e) => {
            c.push(
                Severity::Error,
                Place::default(),
                None,
                None,
                None,
                format!("line {}: {}", e.line, e.reason),
            );
            return Err(fail(c));
        }
    };
    if root.name != schema::ROOT {
        c.error(
            Place::default(),
            &root,
            None,
            format!(
                "not a CSWW census return: the root element is <{}>, not <{}>",
                root.name,
                schema::ROOT
            ),
        );
        return Err(fail(c));
    }
    let top = Place::default();
    let found = c.sequence(&root, schema::MESSAGE, top);

    // The header: census year and council code.
    let mut stated_year: Option<(i32, Node)> = None;
    let mut reference: Option<(NaiveDate, Node)> = None;
    let mut la_code = None;
    for header in &found[0] {
        let h = c.sequence(header, schema::HEADER, top);
        for details in &h[0] {
            let d = c.sequence(details, schema::COLLECTION_DETAILS, top);
            c.all(&d, schema::COLLECTION_DETAILS, "Collection", top);
            if let Some((Value::Year(y), n)) = c.first(&d, schema::COLLECTION_DETAILS, "Year", top)
            {
                stated_year = Some((y, n));
            }
            if let Some((Value::Date(r), n)) =
                c.first(&d, schema::COLLECTION_DETAILS, "ReferenceDate", top)
            {
                reference = Some((r, n));
            }
        }
        for source in &h[1] {
            let s = c.sequence(source, schema::SOURCE, top);
            c.all(&s, schema::SOURCE, "SourceLevel", top);
            if let Some((Value::Text(code), _)) = c.first(&s, schema::SOURCE, "LEA", top) {
                la_code.get_or_insert(code);
            }
            c.all(&s, schema::SOURCE, "SoftwareCode", top);
            c.all(&s, schema::SOURCE, "DateTime", top);
        }
    }
    let year = match (&reference, &stated_year) {
        (Some((r, n)), stated) => {
            let y = census_year_of(*r);
            if (r.month(), r.day()) != (9, 30) {
                c.push(
                    Severity::Warning,
                    top,
                    Some(n),
                    Some("ReferenceDate"),
                    Some(&r.to_string()),
                    format!("the reference date is not 30 September: read as the census year to 30 September {y}"),
                );
            }
            if let Some((sy, sn)) = stated
                && *sy != y
            {
                c.push(
                    Severity::Error,
                    top,
                    Some(sn),
                    Some("Year"),
                    Some(&sy.to_string()),
                    format!("the Year disagrees with the ReferenceDate {r} (census year {y})"),
                );
            }
            Some((y, n.clone()))
        }
        (None, Some((y, n))) => Some((*y, n.clone())),
        (None, None) => {
            c.push(
                Severity::Error,
                top,
                None,
                Some("ReferenceDate"),
                None,
                "the census year is not stated: Header/CollectionDetails needs a ReferenceDate or a Year (Keel never reads it from the file name)".into(),
            );
            None
        }
    };
    let year = match year {
        Some((y, n)) if y < FIRST_YEAR => {
            c.push(
                Severity::Error,
                top,
                Some(&n),
                Some(&n.name),
                Some(&y.to_string()),
                format!("census year {y}: returns of individual workers start with {FIRST_YEAR}"),
            );
            None
        }
        Some((y, _)) => Some(y),
        None => None,
    };

    // The council's vacancies and agency cover.
    let mut vacancies = (0.0, 0.0, 0);
    for block in &found[1] {
        let v = c.sequence(block, schema::VACANCIES, top);
        let fields = [
            c.first(&v, schema::VACANCIES, "NumberOfVacancies", top),
            c.first(&v, schema::VACANCIES, "NoAgencyFTE", top),
            c.first(&v, schema::VACANCIES, "NoAgencyHeadcount", top),
        ];
        for (value, node) in fields.iter().flatten() {
            let negative = match value {
                Value::Number(x) => *x < 0.0,
                Value::Integer(x) => *x < 0,
                _ => false,
            };
            if negative {
                c.error(
                    top,
                    node,
                    Some(node.text.trim()),
                    "cannot be negative".into(),
                );
            }
        }
        vacancies = (
            num(&fields[0]).unwrap_or(0.0),
            num(&fields[1]).unwrap_or(0.0),
            match &fields[2] {
                Some((Value::Integer(n), _)) => *n,
                _ => 0,
            },
        );
    }

    let mut records = Vec::with_capacity(found[2].len());
    for (i, worker) in found[2].iter().enumerate() {
        if let Some(r) = check_worker(&mut c, worker, i + 1, year) {
            records.push(r);
        }
    }

    if c.problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(fail(c));
    }
    let Some(year) = year else {
        return Err(fail(c));
    };
    Ok(Return {
        file_name: file.to_string(),
        year,
        la_code,
        vacancies_fte: vacancies.0,
        agency_cover_fte: vacancies.1,
        agency_cover_headcount: vacancies.2,
        records,
        warnings: c.problems,
    })
}

/// One `CSWWWorker`: its elements, then the cross-field rules.
fn check_worker(
    c: &mut Checker,
    node: &Node,
    position: usize,
    year: Option<i32>,
) -> Option<Record> {
    // The SWE number names the record in every message, so it is found
    // first (as written, even when it breaks the pattern).
    let swe_text = node
        .children
        .iter()
        .find(|n| n.name == "SWENo")
        .map(|n| n.text.clone());
    let at = Place {
        record: Some(position),
        swe: swe_text.as_deref(),
    };
    let spec = schema::WORKER;
    let found = c.sequence(node, spec, at);
    let before = c
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();

    let agency = c.first(&found, spec, "AgencyWorker", at);
    let swe = c.first(&found, spec, "SWENo", at);
    let fte = c.first(&found, spec, "FTE", at);
    // Checked against the schema; kept in memory only for `census write`
    // to copy from an earlier return, never stored.
    let mut personal = super::Personal::default();
    for name in [
        "PersonBirthDate",
        "GenderCurrent",
        "Ethnicity",
        "QualInst",
        "QualLevel",
        "StepUpGrad",
        "ContractWeeks",
        "FrontlineGrad",
    ] {
        let values = c.all(&found, spec, name, at);
        let text = |v: Option<&Value>| match v {
            Some(Value::Text(t)) => Some(t.clone()),
            Some(Value::Date(d)) => Some(d.to_string()),
            _ => None,
        };
        match name {
            "PersonBirthDate" => personal.birth_date = text(values.first()),
            "GenderCurrent" => personal.gender = text(values.first()),
            "Ethnicity" => personal.ethnicity = text(values.first()),
            "QualInst" => {
                personal.qual_inst = values.iter().filter_map(|v| text(Some(v))).collect()
            }
            _ => {}
        }
        if name == "ContractWeeks" {
            let i = spec.iter().position(|s| s.name == name).unwrap_or(0);
            for (v, n) in values.iter().zip(&found[i]) {
                if matches!(v, Value::Number(x) if *x < 0.0) {
                    c.error(at, n, Some(n.text.trim()), "cannot be negative".into());
                }
            }
        }
    }
    let role = c.first(&found, spec, "OrgRole", at);
    let start = c.first(&found, spec, "RoleStartDate", at);
    let origin = c.first(&found, spec, "StartOrigin", at);
    let end = c.first(&found, spec, "RoleEndDate", at);
    let destination = c.first(&found, spec, "LeaverDestination", at);
    let reason = c.first(&found, spec, "ReasonLeave", at);
    let fte30 = c.first(&found, spec, "FTE30", at);
    let cases = c.first(&found, spec, "Cases30", at);
    let days_lost = c.first(&found, spec, "WorkingDaysLost", at);
    let absent = c.all(&found, spec, "Absat30Sept", at);
    let absence_reasons = c.all(&found, spec, "ReasonAbsence", at);
    let cfkss = c.all(&found, spec, "CFKSSstatus", at);

    let present = |name: &str| {
        spec.iter()
            .position(|s| s.name == name)
            .is_some_and(|i| !found[i].is_empty())
    };
    let missing = |c: &mut Checker, name: &str, rule: &str| {
        c.push(
            Severity::Error,
            at,
            Some(node),
            Some(name),
            None,
            rule.to_string(),
        );
    };
    // A leaver has all three leaving items; a starter both starting items.
    let leaving = ["RoleEndDate", "ReasonLeave", "LeaverDestination"];
    if leaving.iter().any(|n| present(n)) {
        for n in leaving.iter().filter(|n| !present(n)) {
            missing(
                c,
                n,
                "RoleEndDate, ReasonLeave and LeaverDestination come together: a leaver has all three",
            );
        }
    }
    let starting = ["RoleStartDate", "StartOrigin"];
    if starting.iter().any(|n| present(n)) {
        for n in starting.iter().filter(|n| !present(n)) {
            missing(c, n, "RoleStartDate and StartOrigin come together");
        }
    }
    if let Some(y) = year {
        if let Some((Value::Date(e), n)) = &end
            && (*e < first_day(y) || *e > reference_date(y))
        {
            c.error(
                at,
                n,
                Some(n.text.trim()),
                format!(
                    "the leaving date must fall in the census year, {} to {}",
                    first_day(y),
                    reference_date(y)
                ),
            );
        }
        if let Some((Value::Date(s), n)) = &start
            && *s > reference_date(y)
        {
            c.error(
                at,
                n,
                Some(n.text.trim()),
                format!(
                    "the start date is after the reference date {}: the post belongs to a later return",
                    reference_date(y)
                ),
            );
        }
    }
    if let (Some(s), Some((Value::Date(e), n))) = (day(&start), &end)
        && *e < s
    {
        c.error(
            at,
            n,
            Some(n.text.trim()),
            format!("the leaving date is before the start date {s}"),
        );
    }
    for v in [&cases, &days_lost].into_iter().flatten() {
        let negative = match &v.0 {
            Value::Integer(x) => *x < 0,
            Value::Number(x) => *x < 0.0,
            _ => false,
        };
        if negative {
            c.error(at, &v.1, Some(v.1.text.trim()), "cannot be negative".into());
        }
    }
    if !absence_reasons.is_empty() && !absent.contains(&Value::Text("1".into())) {
        let i = spec
            .iter()
            .position(|s| s.name == "ReasonAbsence")
            .unwrap_or(0);
        if let Some(n) = found[i].first() {
            c.error(
                at,
                n,
                Some(&n.text),
                "a reason for absence needs Absat30Sept 1 (absent on 30 September)".into(),
            );
        }
    }
    if fte.is_none() && fte30.is_none() && !present("FTE") && !present("FTE30") {
        missing(
            c,
            "FTE",
            "a record needs its FTE (or FTE30): the published FTE figures add it up",
        );
    }
    let in_post = match (day(&end), year) {
        (Some(e), Some(y)) => e > reference_date(y),
        (Some(_), None) => false,
        (None, _) => true,
    };
    if in_post
        && let (Some(a), Some(b)) = (num(&fte), num(&fte30))
        && (a - b).abs() > 1e-9
        && let Some((_, n)) = &fte30
    {
        c.push(
            Severity::Warning,
            at,
            Some(n),
            Some("FTE30"),
            Some(n.text.trim()),
            format!("FTE30 differs from FTE ({a}) for a post held on 30 September: Keel uses FTE"),
        );
    }

    let errors = c
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if errors > before {
        return None;
    }
    let agency = matches!(&agency, Some((Value::Text(t), _)) if t == "1");
    let Some((Value::Text(swe), _)) = swe else {
        return None;
    };
    let asye = (!cfkss.is_empty()).then(|| cfkss.contains(&Value::Text("1".into())));
    Some(Record {
        position,
        line: node.line,
        swe,
        agency,
        fte: num(&fte),
        fte30: num(&fte30),
        role: code(role),
        start: day(&start),
        origin: code(origin),
        end: day(&end),
        destination: code(destination),
        reason: code(reason),
        cases: match cases {
            Some((Value::Integer(x), _)) => Some(x),
            _ => None,
        },
        days_lost: num(&days_lost),
        asye,
        personal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_count_significant_places() {
        assert_eq!(decimal("1.000000"), Some((1.0, 0)));
        assert_eq!(decimal("0.8108110"), Some((0.810811, 6)));
        assert_eq!(decimal("-2.5"), Some((-2.5, 1)));
        assert_eq!(decimal(".5"), Some((0.5, 1)));
        assert_eq!(decimal("1."), Some((1.0, 0)));
        for bad in ["", ".", "1e3", "1,5", "abc", "+", "1.2.3", "NaN"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_years_and_times() {
        assert_eq!(date("2024-09-30"), NaiveDate::from_ymd_opt(2024, 9, 30));
        assert_eq!(date("2024-09-30Z"), NaiveDate::from_ymd_opt(2024, 9, 30));
        assert_eq!(date("2024-09-31"), None);
        assert_eq!(date("30/09/2024"), None);
        assert_eq!(year("2024"), Some(2024));
        assert_eq!(year("24"), None);
        assert!(date_time("2024-10-02T09:15:00"));
        assert!(date_time("2024-10-02T09:15:00.5+01:00"));
        assert!(!date_time("2024-10-02 09:15:00"));
    }

    #[test]
    fn census_years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(census_year_of(d(2024, 9, 30)), 2024);
        assert_eq!(census_year_of(d(2024, 10, 1)), 2025);
    }
}
