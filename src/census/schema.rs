//! The DfE's 2022 CSWW schema (`social_work_workforce_2022.xsd`) as data:
//! each complex type's sequence of children with their occurrences, and
//! each simple type's facets and code list. The validator walks a return
//! against these tables, so a rule of the schema is written once, here.

/// How often a child may occur: `max` `None` is unbounded.
#[derive(Clone, Copy, Debug)]
pub struct Child {
    pub name: &'static str,
    pub min: u32,
    pub max: Option<u32>,
    pub ty: Ty,
}

#[derive(Clone, Copy, Debug)]
pub enum Ty {
    Complex(&'static [Child]),
    Simple(Simple),
}

/// A simple type with the facets the schema gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Simple {
    /// `xs:string`: anything, even empty.
    Text,
    /// A restriction by enumeration (the schema's code lists), under its
    /// type name.
    Code(&'static str, &'static [&'static str]),
    /// `swetype`: `[A-Za-z]{2}\d{10}`.
    Swe,
    /// The LEA code: `\d{3}`.
    Lea,
    /// `xs:decimal` with at most `digits` fraction digits and an optional
    /// range, under its type name.
    Decimal {
        name: &'static str,
        digits: u32,
        range: Option<(f64, f64)>,
    },
    Integer,
    Date,
    GYear,
    DateTime,
}

impl Simple {
    /// The schema's name of the type, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Simple::Text => "xs:string",
            Simple::Code(name, _) => name,
            Simple::Swe => "swetype",
            Simple::Lea => "LEA",
            Simple::Decimal { name, .. } => name,
            Simple::Integer => "xs:integer",
            Simple::Date => "xs:date",
            Simple::GYear => "xs:gYear",
            Simple::DateTime => "xs:dateTime",
        }
    }
}

const fn one(name: &'static str, ty: Ty) -> Child {
    Child {
        name,
        min: 1,
        max: Some(1),
        ty,
    }
}

const fn opt(name: &'static str, ty: Ty) -> Child {
    Child {
        name,
        min: 0,
        max: Some(1),
        ty,
    }
}

const fn many(name: &'static str, min: u32, ty: Ty) -> Child {
    Child {
        name,
        min,
        max: None,
        ty,
    }
}

pub const FTE: Simple = Simple::Decimal {
    name: "ftetype",
    digits: 6,
    range: Some((0.0, 1.0)),
};
pub const TWO_DP: Simple = Simple::Decimal {
    name: "twodecimalplaces",
    digits: 2,
    range: None,
};
pub const ONE_DP: Simple = Simple::Decimal {
    name: "onedecimalplace",
    digits: 1,
    range: None,
};

pub const AGENCY: Simple = Simple::Code("agencyworkertype", &["0", "1"]);
pub const YES_NO: Simple = Simple::Code("yesnotype", &["0", "1"]);
pub const GENDER: Simple = Simple::Code("gendertype", &["0", "1", "2", "9"]);
pub const ETHNICITY: Simple = Simple::Code(
    "ethnicitytype",
    &[
        "WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
        "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
    ],
);
pub const QUAL: Simple = Simple::Code("qualtype", &["1", "2", "3"]);
pub const ROLE: Simple = Simple::Code("roletype", &["1", "2", "3", "4", "5", "6"]);
pub const ORIGIN: Simple = Simple::Code(
    "origintype",
    &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
);
pub const LEAVER: Simple =
    Simple::Code("leavertype", &["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
pub const REASON: Simple = Simple::Code(
    "reasontype",
    &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
);
pub const ABSENCE: Simple = Simple::Code(
    "absencetype",
    &["MAT", "OTH", "PUB", "SIC", "TRN", "UNA", "UNP"],
);
pub const CFKSS: Simple = Simple::Code("cfksstype", &["1", "2", "3", "4"]);

const fn s(t: Simple) -> Ty {
    Ty::Simple(t)
}

pub const COLLECTION_DETAILS: &[Child] = &[
    opt("Collection", s(Simple::Code("Collection", &["CSWW"]))),
    opt("Year", s(Simple::GYear)),
    opt("ReferenceDate", s(Simple::Date)),
];

pub const SOURCE: &[Child] = &[
    opt("SourceLevel", s(Simple::Code("SourceLevel", &["L"]))),
    one("LEA", s(Simple::Lea)),
    opt("SoftwareCode", s(Simple::Text)),
    opt("DateTime", s(Simple::DateTime)),
];

pub const HEADER: &[Child] = &[
    opt("CollectionDetails", Ty::Complex(COLLECTION_DETAILS)),
    many("Source", 0, Ty::Complex(SOURCE)),
];

pub const VACANCIES: &[Child] = &[
    one("NumberOfVacancies", s(TWO_DP)),
    one("NoAgencyFTE", s(TWO_DP)),
    one("NoAgencyHeadcount", s(Simple::Integer)),
];

pub const WORKER: &[Child] = &[
    one("AgencyWorker", s(AGENCY)),
    one("SWENo", s(Simple::Swe)),
    opt("FTE", s(FTE)),
    opt("PersonBirthDate", s(Simple::Date)),
    opt("GenderCurrent", s(GENDER)),
    opt("Ethnicity", s(ETHNICITY)),
    many("QualInst", 1, s(Simple::Text)),
    opt("QualLevel", s(QUAL)),
    opt("StepUpGrad", s(YES_NO)),
    opt("OrgRole", s(ROLE)),
    opt("RoleStartDate", s(Simple::Date)),
    opt("StartOrigin", s(ORIGIN)),
    opt("RoleEndDate", s(Simple::Date)),
    opt("LeaverDestination", s(LEAVER)),
    opt("ReasonLeave", s(REASON)),
    opt("FTE30", s(FTE)),
    opt("Cases30", s(Simple::Integer)),
    opt("WorkingDaysLost", s(TWO_DP)),
    many("ContractWeeks", 0, s(ONE_DP)),
    opt("FrontlineGrad", s(YES_NO)),
    many("Absat30Sept", 0, s(YES_NO)),
    many("ReasonAbsence", 0, s(ABSENCE)),
    many("CFKSSstatus", 0, s(CFKSS)),
];

pub const MESSAGE: &[Child] = &[
    opt("Header", Ty::Complex(HEADER)),
    one("LALevelVacancies", Ty::Complex(VACANCIES)),
    many("CSWWWorker", 1, Ty::Complex(WORKER)),
];

/// The root element.
pub const ROOT: &str = "Message";
