//! Parsing single cell values the way the contract says (section 1, "Values").
//! Every parser returns a value or a reason; none panics on any input.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One cell as the reader found it: CSV gives text, Excel gives typed cells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    Error(&'a str),
}

impl Cell<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the user would read it, for error messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Error(s) => (*s).to_string(),
            Cell::Number(n) => format_number(*n),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }
}

/// Whole numbers without a trailing ".0", so Excel's 4512.0 reads as 4512.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    Permanent,
    FixedTerm,
    Secondment,
    Agency,
}

impl EmploymentType {
    pub fn name(self) -> &'static str {
        match self {
            EmploymentType::Permanent => "permanent",
            EmploymentType::FixedTerm => "fixed_term",
            EmploymentType::Secondment => "secondment",
            EmploymentType::Agency => "agency",
        }
    }

    /// The type as the app names it.
    pub fn label(self) -> &'static str {
        match self {
            EmploymentType::Permanent => "Permanent",
            EmploymentType::FixedTerm => "Fixed term",
            EmploymentType::Secondment => "Secondment",
            EmploymentType::Agency => "Agency",
        }
    }

    pub fn parse_name(s: &str) -> Option<EmploymentType> {
        [
            EmploymentType::Permanent,
            EmploymentType::FixedTerm,
            EmploymentType::Secondment,
            EmploymentType::Agency,
        ]
        .into_iter()
        .find(|t| t.name() == s.trim().to_lowercase().replace([' ', '-'], "_"))
    }
}

impl fmt::Display for EmploymentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The values the contract maps to each employment type (case-insensitive).
pub fn employment_type_from_text(s: &str) -> Option<EmploymentType> {
    let v = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let t = match v.as_str() {
        "permanent" | "perm" | "established" | "substantive" => EmploymentType::Permanent,
        "fixed term" | "fixed-term" | "ftc" | "temporary" | "temp" | "fixed_term" => {
            EmploymentType::FixedTerm
        }
        "secondment" | "seconded" => EmploymentType::Secondment,
        "agency" | "locum" | "interim" | "contractor" | "self-employed" | "self employed" => {
            EmploymentType::Agency
        }
        _ => return None,
    };
    Some(t)
}

/// A normalised form used as the key of a profile's value mapping.
pub fn normalise_value(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Why a cell is not the value its column needs: the reason an import
/// error gives (the file, row, column and value are the [`super::Issue`]'s).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValueError {
    #[error("not a yes/no value: use Y/N, Yes/No, True/False or 1/0")]
    NotYesNo,
    /// A cell of another type: a date, a number other than 1 or 0.
    #[error("not a yes/no value ({found}): use Y/N, Yes/No, True/False or 1/0")]
    NotYesNoCell { found: &'static str },
    /// Excel's own error value (`#N/A`, `#REF!`) where a value was expected.
    #[error("spreadsheet error {code} instead of {expected}")]
    Spreadsheet {
        code: String,
        expected: &'static str,
    },
    #[error("expected a number, found {found}")]
    NotANumberCell { found: &'static str },
    #[error("'{0}' is not a number")]
    NotANumber(String),
    #[error("'{0}' is not a number: commas must separate thousands (1,234.5)")]
    Thousands(String),
    #[error("{} is not an Excel date serial number", format_number(*.0))]
    NotAnExcelSerial(f64),
    #[error("expected a date, found true/false")]
    DateIsBool,
    #[error("'{text}' has year {year}: write the year with four digits (31/03/2024)")]
    Year { text: String, year: i32 },
    #[error(
        "'{0}' looks like month/day order; Keel reads dates day first (31/03/2024) and never swaps them"
    )]
    MonthDayOrder(String),
    #[error("'{0}' has a two-digit year: write 31/03/2024")]
    TwoDigitYear(String),
    #[error(
        "'{0}' is not a date Keel can read: use 2024-03-31, 31/03/2024, 31-03-2024, 31-Mar-2024 or 31 March 2024"
    )]
    NotADate(String),
    /// Written in a form Keel reads, but no such day exists (31/02/2015).
    #[error("'{text}' is not a real date: {month} has no day {day}")]
    NoSuchDay {
        text: String,
        month: String,
        day: u32,
    },
    #[error(
        "'{0}' is not an employment type Keel knows (permanent, fixed term, secondment, agency and their usual names); map it in an import profile"
    )]
    EmploymentType(String),
}

/// Y/N, Yes/No, True/False, 1/0; blank is unknown.
pub fn parse_bool(cell: Cell) -> Result<Option<bool>, ValueError> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Bool(b) => Ok(Some(b)),
        Cell::Number(1.0) => Ok(Some(true)),
        Cell::Number(0.0) => Ok(Some(false)),
        Cell::Text(s) => {
            let t = s.trim();
            let is = |words: [&str; 4]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
            if t.is_empty() {
                Ok(None)
            } else if is(["y", "yes", "true", "1"]) {
                Ok(Some(true))
            } else if is(["n", "no", "false", "0"]) {
                Ok(Some(false))
            } else {
                Err(ValueError::NotYesNo)
            }
        }
        other => Err(ValueError::NotYesNoCell {
            found: kind_of(&other),
        }),
    }
}

fn kind_of(cell: &Cell) -> &'static str {
    match cell {
        Cell::Empty => "empty",
        Cell::Text(_) => "text",
        Cell::Number(_) => "a number",
        Cell::Date(_) => "a date",
        Cell::Bool(_) => "true/false",
        Cell::Error(_) => "a spreadsheet error",
    }
}

/// Numbers, accepting `1,234.5` thousands separators and a leading `£`.
pub fn parse_number(cell: Cell) -> Result<Option<f64>, ValueError> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) if n.is_finite() => Ok(Some(n)),
        Cell::Text(s) => parse_number_text(s),
        Cell::Error(e) => Err(ValueError::Spreadsheet {
            code: e.to_string(),
            expected: "a number",
        }),
        other => Err(ValueError::NotANumberCell {
            found: kind_of(&other),
        }),
    }
}

pub fn parse_number_text(s: &str) -> Result<Option<f64>, ValueError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let t = t.strip_prefix('£').unwrap_or(t).trim_start();
    let bad = || ValueError::NotANumber(s.to_string());
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(bad());
    }
    if !t.contains(',') {
        let v: f64 = t.parse().map_err(|_| bad())?;
        return Ok(Some(if negative { -v } else { v }));
    }
    let digits = {
        // Commas are thousands separators only in groups of three: "1,5"
        // (a European decimal) must not silently become 15.
        let int_part = t.split('.').next().unwrap_or("");
        let groups: Vec<&str> = int_part.split(',').collect();
        let well_grouped = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if !well_grouped {
            return Err(ValueError::Thousands(s.to_string()));
        }
        t.replace(',', "")
    };
    let v: f64 = digits.parse().map_err(|_| bad())?;
    Ok(Some(if negative { -v } else { v }))
}

/// The earliest and latest years accepted, so that a two-digit year such as
/// `31/03/24` is an error rather than the year 24.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

pub fn parse_date(cell: Cell) -> Result<Option<NaiveDate>, ValueError> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(d)),
        Cell::Number(n) => excel_serial(n).map(Some),
        Cell::Text(s) => parse_date_text(s),
        Cell::Error(e) => Err(ValueError::Spreadsheet {
            code: e.to_string(),
            expected: "a date",
        }),
        Cell::Bool(_) => Err(ValueError::DateIsBool),
    }
}

/// Excel serial day numbers in the 1900 system (with Lotus's phantom
/// 29 February 1900, serial 60).
pub fn excel_serial(n: f64) -> Result<NaiveDate, ValueError> {
    if !(n.is_finite() && n.fract() == 0.0 && (1.0..=73415.0).contains(&n)) || n == 60.0 {
        return Err(ValueError::NotAnExcelSerial(n));
    }
    let days = n as i64;
    let base = if days > 60 {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)
    };
    base.and_then(|b| b.checked_add_signed(chrono::Duration::days(days)))
        .ok_or(ValueError::NotAnExcelSerial(n))
}

const DATE_FORMS: &[&str] = &[
    "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y",
];

/// A date written exactly as `dd/mm/yyyy` or `yyyy-mm-dd`, the forms of
/// almost every cell, read without chrono's format parser. `None` for any
/// other text, and for a date the full reading must judge (an impossible
/// day, a year out of range): what it gives is always what
/// [`parse_date_text`] gives.
pub fn quick_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = if b[2] == b'/' && b[5] == b'/' {
        (num(6..10)?, num(3..5)?, num(0..2)?)
    } else if b[4] == b'-' && b[7] == b'-' {
        (num(0..4)?, num(5..7)?, num(8..10)?)
    } else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    YEARS.contains(&date.year()).then_some(date)
}

pub fn parse_date_text(s: &str) -> Result<Option<NaiveDate>, ValueError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.bytes().all(|b| b.is_ascii_digit()) && t.len() <= 6 {
        return match t.parse::<f64>() {
            Ok(n) => excel_serial(n).map(Some),
            Err(_) => Err(date_error(s, t)),
        };
    }
    let date_part = strip_midnight(t);
    for form in DATE_FORMS {
        if let Ok(d) = NaiveDate::parse_from_str(date_part, form) {
            if !YEARS.contains(&d.year()) {
                return Err(ValueError::Year {
                    text: s.to_string(),
                    year: d.year(),
                });
            }
            return Ok(Some(d));
        }
    }
    Err(date_error(s, date_part))
}

/// Exports often write dates as date-times at midnight ("31/03/2024 00:00").
/// Only a midnight time is dropped: any other time means the column is not a date.
fn strip_midnight(t: &str) -> &str {
    for sep in [' ', 'T'] {
        if let Some((date, time)) = t.split_once(sep) {
            let time = time.trim().trim_end_matches('Z');
            if matches!(time, "00:00" | "00:00:00" | "00:00:00.000") {
                return date.trim();
            }
            if NaiveDateTime::parse_from_str(&format!("2000-01-01 {time}"), "%Y-%m-%d %H:%M:%S")
                .is_ok()
            {
                return t; // a real time of day: reported as unparseable below
            }
        }
    }
    t
}

fn date_error(original: &str, t: &str) -> ValueError {
    // A US-order date (03/31/2024) is never swapped: say what is wrong.
    let parts: Vec<&str> = t.split(['/', '-']).collect();
    if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        let a: u32 = parts[0].parse().unwrap_or(0);
        let b: u32 = parts[1].parse().unwrap_or(0);
        if (1..=12).contains(&a) && b > 12 && b <= 31 {
            return ValueError::MonthDayOrder(original.to_string());
        }
        if parts[2].len() == 2 && parts[0].len() != 4 {
            return ValueError::TwoDigitYear(original.to_string());
        }
        // Day first (31/02/2015) or ISO (2015-02-31): the form is right and
        // the day does not exist, so naming other forms would mislead.
        let (y, m, d) = if parts[0].len() == 4 {
            (parts[0], b, parts[2])
        } else {
            (parts[2], b, parts[0])
        };
        let d: u32 = d.parse().unwrap_or(0);
        let year = y.parse::<i32>().ok().filter(|_| y.len() == 4);
        if let Some(y) = year
            && (1..=12).contains(&m)
            && (1..=31).contains(&d)
            && let Some(first) = NaiveDate::from_ymd_opt(y, m, 1)
            && NaiveDate::from_ymd_opt(y, m, d).is_none()
        {
            return ValueError::NoSuchDay {
                text: original.to_string(),
                month: first.format("%B %Y").to_string(),
                day: d,
            };
        }
    }
    ValueError::NotADate(original.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn every_date_form() {
        for s in [
            "2024-03-31",
            "31/03/2024",
            "31-03-2024",
            "31-Mar-2024",
            "31 March 2024",
            "31 Mar 2024",
            "31/03/2024 00:00",
            "2024-03-31T00:00:00",
            "45382",
        ] {
            assert_eq!(parse_date_text(s), Ok(d(2024, 3, 31)), "{s}");
        }
        assert_eq!(parse_date(Cell::Number(45382.0)), Ok(d(2024, 3, 31)));
        assert_eq!(parse_date_text("03/04/2024"), Ok(d(2024, 4, 3)));
    }

    #[test]
    fn rejected_date_forms() {
        for s in [
            "03/31/2024",
            "31/03/24",
            "2024/31/03",
            "31.03.2024",
            "yesterday",
            "31/02/2024",
            "31/03/2024 14:30",
        ] {
            assert!(parse_date_text(s).is_err(), "{s}");
        }
        let err = parse_date_text("03/31/2024").unwrap_err();
        assert_eq!(err, ValueError::MonthDayOrder("03/31/2024".into()));
        assert!(err.to_string().contains("month/day"), "{err}");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number_text("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(parse_number_text("£450"), Ok(Some(450.0)));
        assert_eq!(parse_number_text("£1,450.00"), Ok(Some(1450.0)));
        assert_eq!(parse_number_text("-2"), Ok(Some(-2.0)));
        assert!(parse_number_text("1,5").is_err());
        assert!(parse_number_text("inf").is_err());
        assert!(parse_number_text("NaN").is_err());
        assert!(parse_number_text("12a").is_err());
    }

    #[test]
    fn booleans() {
        for (s, v) in [
            ("Y", Some(true)),
            ("no", Some(false)),
            ("TRUE", Some(true)),
            ("0", Some(false)),
            ("", None),
        ] {
            assert_eq!(parse_bool(Cell::Text(s)), Ok(v), "{s}");
        }
        assert!(parse_bool(Cell::Text("maybe")).is_err());
    }

    #[test]
    fn employment_types() {
        use EmploymentType::*;
        for (s, t) in [
            ("Permanent", Permanent),
            ("PERM", Permanent),
            ("Established", Permanent),
            ("Substantive", Permanent),
            ("Fixed Term", FixedTerm),
            ("fixed-term", FixedTerm),
            ("FTC", FixedTerm),
            ("Temporary", FixedTerm),
            ("temp", FixedTerm),
            ("Secondment", Secondment),
            ("seconded", Secondment),
            ("Agency", Agency),
            ("Locum", Agency),
            ("Interim", Agency),
            ("Contractor", Agency),
            ("Self-employed", Agency),
            ("Self  Employed", Agency),
        ] {
            assert_eq!(employment_type_from_text(s), Some(t), "{s}");
        }
        assert_eq!(employment_type_from_text("Volunteer"), None);
    }
}
