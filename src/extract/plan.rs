//! Deciding what each header of a file means: profile first, then the
//! contract's synonyms, then the kind's needs.

use super::fields::{
    Field, Kind, SUPERVISION_DATE_HEADER, detect_kind, looks_like_name, normalise_header, recognise,
};
use super::profile::{HeaderRule, ImportProfile};
use super::{Issue, Severity};
use crate::month::Month;
use serde::{Deserialize, Serialize};

/// What Keel does with one column of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "use", content = "field")]
pub enum ColumnUse {
    /// Read as this canonical field.
    Field(Field),
    /// A person's name: never read or stored.
    Name,
    /// Ignored by the user's profile.
    Ignored,
    /// Not a field Keel knows: map it in a profile if it holds one.
    Unrecognised,
    /// A known field this kind of extract does not use.
    NotUsed(Field),
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub kind: Kind,
    pub headers: Vec<String>,
    pub uses: Vec<ColumnUse>,
    /// Column index per field (indexed by `Field as usize`).
    pub column: Vec<Option<usize>>,
    pub month: Option<Month>,
}

impl Plan {
    pub fn col(&self, f: Field) -> Option<usize> {
        self.column[f as usize]
    }

    pub fn header_of(&self, f: Field) -> &str {
        match self.col(f) {
            Some(c) => &self.headers[c],
            None => f.name(),
        }
    }
}

/// How one header reads before the kind is known.
fn first_reading(header: &str, profile: Option<&ImportProfile>) -> ColumnUse {
    match profile.and_then(|p| p.header_rule(header)) {
        Some(HeaderRule::Field(f)) => return ColumnUse::Field(f),
        Some(HeaderRule::Ignore) => return ColumnUse::Ignored,
        None => {}
    }
    if normalise_header(header) == SUPERVISION_DATE_HEADER {
        // Resolved once the kind is known.
        return ColumnUse::Field(Field::LastSupervisionDate);
    }
    if let Some(f) = recognise(header) {
        return ColumnUse::Field(f);
    }
    if looks_like_name(header) {
        return ColumnUse::Name;
    }
    ColumnUse::Unrecognised
}

/// A row is taken as the header row when it names at least two known fields.
pub fn looks_like_header(row: &[String], profile: Option<&ImportProfile>) -> bool {
    row.iter()
        .filter(|h| matches!(first_reading(h, profile), ColumnUse::Field(_)))
        .count()
        >= 2
}

pub fn plan(
    file: &str,
    headers: &[String],
    kind: Option<Kind>,
    month: Option<Month>,
    profile: Option<&ImportProfile>,
) -> (Option<Plan>, Vec<Issue>) {
    let mut issues = Vec::new();
    let issue = |severity, column: Option<&str>, reason: String| Issue {
        severity,
        file: file.to_string(),
        row: None,
        column: column.map(str::to_string),
        value: None,
        reason,
    };
    let mut uses: Vec<ColumnUse> = headers.iter().map(|h| first_reading(h, profile)).collect();
    let ambiguous_supervision = |h: &str| {
        normalise_header(h) == SUPERVISION_DATE_HEADER
            && profile.and_then(|p| p.header_rule(h)).is_none()
    };
    let has_supervision_header = headers.iter().any(|h| ambiguous_supervision(h));
    let found: Vec<Field> = uses
        .iter()
        .filter_map(|u| match u {
            ColumnUse::Field(f) => Some(*f),
            _ => None,
        })
        .collect();
    if found.is_empty() {
        // Not one header names a field Keel knows (a README caught by a
        // glob, say): nothing --kind could make of it.
        issues.push(issue(
            Severity::Error,
            None,
            format!(
                "not an extract Keel recognises: none of its headers names a field of an HR extract (it has {}); if it is one, map its headers to Keel's fields (and choose its kind if Keel still cannot tell it)",
                super::reader::seen_headers(headers)
            ),
        ));
        return (None, issues);
    }
    let kind = match kind.or_else(|| detect_kind(&found, has_supervision_header)) {
        Some(k) => k,
        None => {
            issues.push(issue(
                Severity::Error,
                None,
                format!(
                    "cannot tell what kind of extract this is from its headers ({}); choose its kind (workforce, leavers, establishment, supervision or caseload), or map its headers to Keel's fields",
                    headers.join(", ")
                ),
            ));
            return (None, issues);
        }
    };
    for (h, u) in headers.iter().zip(uses.iter_mut()) {
        if kind == Kind::Supervision && ambiguous_supervision(h) {
            *u = ColumnUse::Field(Field::SupervisionDate);
        }
    }

    let mut column = vec![None; Field::ALL.len()];
    for (i, u) in uses.iter_mut().enumerate() {
        let ColumnUse::Field(f) = *u else { continue };
        let used = kind.fields().contains(&f)
            || (f == Field::ContractedHours && kind.fields().contains(&Field::Fte))
            || (f == Field::ChildRef && kind == Kind::Caseload);
        if !used {
            *u = ColumnUse::NotUsed(f);
            continue;
        }
        if let Some(prev) = column[f as usize] {
            issues.push(issue(
                Severity::Error,
                Some(&headers[i]),
                format!(
                    "columns '{}' and '{}' are both read as {f}: map one of them to \"ignore\" in an import profile",
                    headers[prev], headers[i]
                ),
            ));
            continue;
        }
        column[f as usize] = Some(i);
    }
    // FTE wins over contracted hours when a file has both.
    if column[Field::Fte as usize].is_some()
        && let Some(c) = column[Field::ContractedHours as usize].take()
    {
        uses[c] = ColumnUse::NotUsed(Field::ContractedHours);
    }

    for (h, u) in headers.iter().zip(&uses) {
        let reason = match u {
            ColumnUse::Name => "looks like a person's name: dropped, names are never stored".to_string(),
            ColumnUse::Unrecognised if !h.is_empty() => {
                "not recognised, so not stored: map it in an import profile if it holds a Keel field".to_string()
            }
            ColumnUse::NotUsed(f) => format!("read as {f}, which a {kind} extract does not use: not stored"),
            _ => continue,
        };
        issues.push(issue(Severity::Warning, Some(h), reason));
    }

    let plan = Plan {
        kind,
        headers: headers.to_vec(),
        uses,
        column,
        month,
    };
    for f in kind.required() {
        let present = plan.col(*f).is_some()
            || (*f == Field::Fte && plan.col(Field::ContractedHours).is_some())
            || (*f == Field::SnapshotDate && month.is_some());
        if !present {
            let hint = match f {
                Field::SnapshotDate => " (or give the file's month)".to_string(),
                _ => format!(" (recognised headers: {})", f.synonyms().join(", ")),
            };
            issues.push(issue(
                Severity::Error,
                None,
                format!(
                    "a {kind} extract needs the {} column{hint}; map the file's own header to it",
                    f.label()
                ),
            ));
        }
    }
    if kind == Kind::Caseload {
        if plan.col(Field::Caseload).is_none() && plan.col(Field::ChildRef).is_none() {
            issues.push(issue(
                Severity::Error,
                None,
                "a caseload extract needs either a caseload column or a child_ref column (one row per allocated child)".into(),
            ));
        }
        if plan.col(Field::SnapshotDate).is_none() && month.is_none() {
            issues.push(issue(
                Severity::Error,
                None,
                "a caseload extract needs a Snapshot date column, or give the file's month".into(),
            ));
        }
    }
    let ok = !issues.iter().any(|i| i.severity == Severity::Error);
    (ok.then_some(plan), issues)
}
