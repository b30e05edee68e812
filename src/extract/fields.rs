//! Canonical fields, the header synonyms the contract requires, and the
//! extract kinds with the fields each one needs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How a field's cells are parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Text,
    Date,
    Number,
    Bool,
    EmploymentType,
}

macro_rules! fields {
    ($($variant:ident = $name:literal, $ty:ident, [$($syn:literal),* $(,)?];)*) => {
        /// A canonical column name from the contract (section 1).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Field { $($variant),* }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),* }
            }

            pub fn value_type(self) -> ValueType {
                match self { $(Field::$variant => ValueType::$ty),* }
            }

            /// The header spellings recognised besides the canonical name.
            pub fn synonyms(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$($syn),*]),* }
            }
        }
    };
}

fields! {
    WorkerId = "worker_id", Text, ["Employee Number", "Employee No", "Employee ID", "Person ID",
        "Person Number", "Staff ID", "Staff Number", "Assignment Number", "Worker ID", "Payroll Number",
        // The Social Work England number, the census return's person key:
        // a monthly extract carrying it joins the same worker in a return.
        "SWE No", "SWE Number", "Social Work England Number", "SWE Registration Number"];
    SnapshotDate = "snapshot_date", Date, ["Extract Date", "Snapshot Date", "As At", "As At Date",
        "Report Date", "Period End"];
    Team = "team", Text, ["Team", "Team Name", "Org Unit", "Organisation Unit", "Cost Centre Name"];
    Service = "service", Text, ["Service", "Service Area", "Directorate", "Division"];
    Role = "role", Text, ["Role", "Job Title", "Position", "Position Title", "Post Title"];
    Fte = "fte", Number, ["FTE", "WTE", "Full Time Equivalent", "Whole Time Equivalent"];
    ContractedHours = "contracted_hours", Number, ["Contracted Hours", "Weekly Hours", "Hours"];
    EmploymentType = "employment_type", EmploymentType, ["Employment Type", "Contract Type",
        "Worker Type", "Contract", "Employment Status"];
    StartDate = "start_date", Date, ["Start Date", "Date Started", "Continuous Service Date",
        "Date Joined", "Hire Date"];
    QualifiedDate = "qualified_date", Date, ["Qualified Date", "Qualification Date",
        "Date Qualified", "Registration Date", "SWE Registration Date"];
    Asye = "asye", Bool, ["ASYE", "NQSW", "ASYE Status", "Newly Qualified"];
    Caseload = "caseload", Number, ["Caseload", "Cases", "Open Cases", "Allocated Cases",
        "Children Allocated", "Case Count"];
    LastSupervisionDate = "last_supervision_date", Date, ["Last Supervision",
        "Last Supervision Date", "Date of Last Supervision"];
    LeaveDate = "leave_date", Date, ["Leave Date", "Leaving Date", "Termination Date",
        "Date Left", "End Date"];
    LeavingReason = "leaving_reason", Text, ["Leaving Reason", "Reason for Leaving",
        "Termination Reason"];
    DayRate = "day_rate", Number, ["Day Rate", "Daily Rate", "Daily Charge", "Agency Day Rate"];
    CoveringVacancy = "covering_vacancy", Bool, ["Covering Vacancy", "Vacancy Cover",
        "Covers Vacancy"];
    FundedFte = "funded_fte", Number, ["Funded FTE", "Establishment FTE", "Budgeted FTE",
        "Establishment"];
    EffectiveDate = "effective_date", Date, ["Effective Date", "Effective From", "Date Effective"];
    SupervisionDate = "supervision_date", Date, ["Date of Supervision", "Session Date",
        "Supervision Session Date"];
    ChildRef = "child_ref", Text, ["Child Ref", "Child Reference", "Child ID", "Child Number",
        "Case Reference", "Case ID"];
}

impl Field {
    /// The field as the app names it (the name is the stored column's and
    /// the command line's).
    pub fn label(self) -> &'static str {
        match self {
            Field::WorkerId => "Worker ID",
            Field::SnapshotDate => "Snapshot date",
            Field::Team => "Team",
            Field::Service => "Service",
            Field::Role => "Role",
            Field::Fte => "FTE",
            Field::ContractedHours => "Contracted hours",
            Field::EmploymentType => "Employment type",
            Field::StartDate => "Start date",
            Field::QualifiedDate => "Qualification date",
            Field::Asye => "ASYE (newly qualified)",
            Field::Caseload => "Caseload",
            Field::LastSupervisionDate => "Last supervision date",
            Field::LeaveDate => "Leave date",
            Field::LeavingReason => "Leaving reason",
            Field::DayRate => "Agency day rate",
            Field::CoveringVacancy => "Covering a vacancy",
            Field::FundedFte => "Funded FTE",
            Field::EffectiveDate => "Effective date",
            Field::SupervisionDate => "Supervision date",
            Field::ChildRef => "Child reference",
        }
    }
}

/// "Supervision Date" is `last_supervision_date` in a workforce extract and
/// `supervision_date` in a supervision log: the kind decides.
pub const SUPERVISION_DATE_HEADER: &str = "supervisiondate";

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a Keel field, as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{name}' is not a Keel field; use one of: {}", field_names())]
pub struct UnknownField {
    pub name: String,
}

fn field_names() -> String {
    Field::ALL
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Field {
    type Err = UnknownField;
    fn from_str(s: &str) -> Result<Field, UnknownField> {
        let n = normalise_header(s);
        Field::ALL
            .iter()
            .copied()
            .find(|f| normalise_header(f.name()) == n)
            .ok_or_else(|| UnknownField {
                name: s.to_string(),
            })
    }
}

/// Header matching ignores case, spaces, underscores, dots and hyphens.
pub fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '_' | '.' | '-')))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The built-in recognition of one header (profiles are applied before this).
pub fn recognise(header: &str) -> Option<Field> {
    let n = normalise_header(header);
    Field::ALL.iter().copied().find(|f| {
        normalise_header(f.name()) == n || f.synonyms().iter().any(|s| normalise_header(s) == n)
    })
}

/// A header that probably holds people's names; such columns are never stored.
pub fn looks_like_name(header: &str) -> bool {
    let n = normalise_header(header);
    n.contains("name")
        || [
            "forename",
            "surname",
            "knownas",
            "initials",
            "firstname",
            "lastname",
        ]
        .iter()
        .any(|w| n.contains(w))
}

/// The extract kinds of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Workforce,
    Leavers,
    Establishment,
    Supervision,
    Caseload,
    /// A DfE CSWW census return (XML), read by `census`, not by this
    /// module: one per census year, stored as its 30 September.
    Census,
}

impl Kind {
    /// The extract kinds (CSV or Excel), which headers can be detected as;
    /// `Census` is read by `census` and is not among them.
    pub const ALL: &'static [Kind] = &[
        Kind::Workforce,
        Kind::Leavers,
        Kind::Establishment,
        Kind::Supervision,
        Kind::Caseload,
    ];

    /// The kind as the app names it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Workforce => "Staff in post (workforce)",
            Kind::Leavers => "Leavers",
            Kind::Establishment => "Establishment",
            Kind::Supervision => "Supervision log",
            Kind::Caseload => "Caseload",
            Kind::Census => "DfE census return",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Workforce => "workforce",
            Kind::Leavers => "leavers",
            Kind::Establishment => "establishment",
            Kind::Supervision => "supervision",
            Kind::Caseload => "caseload",
            Kind::Census => "census",
        }
    }

    /// Fields stored for this kind, in column order.
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            Kind::Workforce => &[
                WorkerId,
                SnapshotDate,
                Team,
                Service,
                Role,
                Fte,
                EmploymentType,
                StartDate,
                QualifiedDate,
                Asye,
                Caseload,
                LastSupervisionDate,
                LeaveDate,
                LeavingReason,
                DayRate,
                CoveringVacancy,
            ],
            Kind::Leavers => &[
                WorkerId,
                LeaveDate,
                Fte,
                Team,
                Service,
                EmploymentType,
                LeavingReason,
            ],
            Kind::Establishment => &[Team, Service, FundedFte, EffectiveDate],
            Kind::Supervision => &[WorkerId, SupervisionDate],
            Kind::Caseload => &[WorkerId, SnapshotDate, Caseload],
            // Its columns are the census reader's, not extract fields.
            Kind::Census => &[],
        }
    }

    /// Fields every row must carry a value for.
    pub fn required(self) -> &'static [Field] {
        use Field::*;
        match self {
            Kind::Workforce => &[WorkerId, SnapshotDate, Team, Fte, EmploymentType],
            Kind::Leavers => &[WorkerId, LeaveDate],
            Kind::Establishment => &[Team, FundedFte],
            Kind::Supervision => &[WorkerId, SupervisionDate],
            Kind::Caseload => &[WorkerId],
            Kind::Census => &[],
        }
    }

    /// Kinds held one snapshot per calendar month.
    pub fn is_monthly(self) -> bool {
        matches!(self, Kind::Workforce | Kind::Caseload | Kind::Census)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not an extract kind, as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{name}' is not an extract kind; use workforce, leavers, establishment, supervision, caseload or census"
)]
pub struct UnknownKind {
    pub name: String,
}

impl FromStr for Kind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        Kind::ALL
            .iter()
            .copied()
            .chain([Kind::Census])
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownKind {
                name: s.to_string(),
            })
    }
}

/// Guess the kind from the recognised fields (`--kind` overrides this).
pub fn detect_kind(fields: &[Field], has_supervision_date_header: bool) -> Option<Kind> {
    use Field::*;
    let has = |f: Field| fields.contains(&f);
    // Fields only a workforce snapshot carries in bulk; two of them make one.
    let workforce_signs = [
        has(Team),
        has(Fte) || has(ContractedHours),
        has(EmploymentType),
        has(SnapshotDate),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if has(FundedFte) {
        Some(Kind::Establishment)
    } else if has(ChildRef) {
        Some(Kind::Caseload)
    } else if has(SnapshotDate) && workforce_signs >= 2 {
        Some(Kind::Workforce)
    } else if has(WorkerId) && has(LeaveDate) && !has(SnapshotDate) {
        Some(Kind::Leavers)
    } else if workforce_signs >= 2 {
        Some(Kind::Workforce)
    } else if has(WorkerId)
        && (has(SupervisionDate) || has_supervision_date_header)
        && !has(Team)
        && !has(Caseload)
    {
        Some(Kind::Supervision)
    } else if has(WorkerId) && has(Caseload) && !has(Team) {
        Some(Kind::Caseload)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_synonym_is_recognised() {
        for f in Field::ALL {
            assert_eq!(recognise(f.name()), Some(*f), "{}", f.name());
            for s in f.synonyms() {
                assert_eq!(recognise(s), Some(*f), "{s}");
                assert_eq!(recognise(&s.to_uppercase().replace(' ', "_")), Some(*f));
            }
        }
    }

    #[test]
    fn no_synonym_is_claimed_twice() {
        let mut seen = std::collections::HashMap::new();
        for f in Field::ALL {
            for s in f.synonyms().iter().chain([&f.name()]) {
                if let Some(other) = seen.insert(normalise_header(s), *f) {
                    assert_eq!(other, *f, "{s} claimed by {other} and {f}");
                }
            }
        }
    }

    #[test]
    fn name_columns() {
        assert!(looks_like_name("Full Name"));
        assert!(looks_like_name("SURNAME"));
        assert!(!looks_like_name("FTE"));
    }
}
