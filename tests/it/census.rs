//! The DfE census return: reading, validating (one fixture per rule),
//! storing, the annual measures (hand-worked), `keel census check` and
//! `keel check`'s reconciliation.
//!
//! `tests/fixtures/census/valid_2024.xml` is a hand-made return for the
//! year to 30 September 2024 (it validates with `xmllint --schema` against
//! the DfE 2022 schema). Its twelve records, and what each one tests:
//!
//! | # | SWE | kind | FTE | start | leaves | cases | days lost | why |
//! |---|---|---|---|---|---|---|---|---|
//! | 1 | …01 | employed | 1.0 | 2015 | | 15 | 5.00 | plain |
//! | 2 | …02 | employed | 0.5 | 2023-10-01 | | 8 | 0 | starts 1 Oct (a starter), ASYE, zero days |
//! | 3 | …03 | employed | 1.0 (FTE30 0) | 2019 | 2024-09-30 | 0 | 10.00 | leaves on 30 Sept: a leaver |
//! | 4 | …04 | employed | 0.6 (FTE30 0) | 2024-01-15 | 2024-06-30 | | 2.50 | starter who leaves |
//! | 5 | …05 | employed | 1.0 (FTE30 0) | 2020 | 2023-12-31 | | | returner, first post |
//! | 6 | …05 | employed | 0.8 | 2024-03-01 | | 12 | 1.00 | returner, back |
//! | 7 | …06 | employed | 0.5 | 2018 | | 10 | | two posts |
//! | 8 | …06 | employed | 0.4 | 2018 | | 0 | | two posts |
//! | 9 | …07 | employed | 1.000000 | 2024-07-01 (from agency) | | 14 | | agency-to-employed move |
//! | 10 | AB…10 | agency | 1.0 | | | 16 | | |
//! | 11 | AB…11 | agency | 0.5 | | | 0 | | |
//! | 12 | …12 | employed | 1.0 | 2010 | | 0 | 20.00 | manager, zero cases as `0` |
//!
//! Vacancies 1.30 FTE, agency cover 1.00 FTE.
//!
//! Worked by hand:
//! - in post, employed: records 1, 2, 6, 7, 8, 9, 12: FTE 1 + 0.5 + 0.8 +
//!   0.5 + 0.4 + 1 + 1 = 5.2; head count 6 (worker 06's two posts once;
//!   worker 05 in post once).
//! - agency: 1.5 FTE, 2 records; rate 1.5 / 6.7 = 22.388%.
//! - vacancy rate 1.3 / (1.3 + 5.2) = 20.0%.
//! - leavers in the year: records 3 (1.0), 4 (0.6), 5 (1.0): 2.6 FTE, 3
//!   people; turnover 2.6 / 5.2 = 50.0% (head count 3 / 6 = 50.0%). In
//!   September: record 3 only (1.0 FTE, 1).
//! - starters in the year: records 2 (0.5), 4 (0.6), 6 (0.8), 9 (1.0):
//!   2.9 FTE, 4; none start in September.
//! - case holders (cases ≥ 1, employed and agency): records 1, 2, 6, 7, 9,
//!   10: FTE 4.8, cases 15 + 8 + 12 + 10 + 14 + 16 = 75, caseload 15.625;
//!   6 people.
//! - NQSW: record 2 (CFKSS 1): 1 of 6 = 16.667%.
//! - agency cover 1.0 / 1.5 = 66.7%; of vacancies 1.0 / 1.3 = 76.9%.
//! - days lost (employed records, leavers too): 5 + 0 + 10 + 2.5 + 1 + 20
//!   = 38.5; absence 38.5 / (5.2 × 253) = 2.926%.

use crate::support::*;
use keel::census::{Problem, Return};
use keel::extract::Severity;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

pub(super) fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/census/valid_2024.xml")
}

pub(super) fn valid() -> String {
    std::fs::read_to_string(fixture()).unwrap()
}

fn validate(text: &str) -> Result<Return, keel::census::Rejected> {
    keel::census::validate::validate("return.xml", text.as_bytes())
}

/// The errors of a return expected to be rejected.
fn errors(text: &str) -> Vec<Problem> {
    match validate(text) {
        Ok(_) => panic!("expected errors"),
        Err(r) => {
            assert!(!r.errors.is_empty());
            r.errors
        }
    }
}

/// `valid_2024.xml` with the `n`th occurrence (from 0) of `from` replaced.
fn replace_nth(text: &str, from: &str, to: &str, n: usize) -> String {
    let (i, _) = text
        .match_indices(from)
        .nth(n)
        .unwrap_or_else(|| panic!("no occurrence {n} of {from}"));
    format!("{}{to}{}", &text[..i], &text[i + from.len()..])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_fixture_reads_with_the_records_kept_and_no_warning() {
    let r = validate(&valid()).unwrap();
    assert_eq!(r.year, 2024);
    assert_eq!(r.la_code.as_deref(), Some("999"));
    assert_eq!(r.records.len(), 12);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(close(r.vacancies_fte, 1.3));
    assert!(close(r.agency_cover_fte, 1.0));
    assert_eq!(r.agency_cover_headcount, 1);
    let third = &r.records[2];
    assert_eq!(third.swe, "AA0000000003");
    assert_eq!(third.end.unwrap().to_string(), "2024-09-30");
    assert_eq!((third.reason, third.destination), (Some(1), Some(1)));
    assert_eq!(third.cases, Some(0), "zero cases are 0, not missing");
    assert_eq!(r.records[1].asye, Some(true));
    assert_eq!(r.records[0].asye, None);
    assert_eq!(r.records[8].fte, Some(1.0));
    assert!(r.records[9].agency);
}

/// A one-rule change to the valid fixture and what the error must say.
struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    nth: usize,
    element: &'static str,
    rule: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "SWE pattern",
        from: "<SWENo>AA0000000001",
        to: "<SWENo>AA000001",
        nth: 0,
        element: "SWENo",
        rule: "two letters then ten digits",
    },
    Case {
        name: "code list",
        from: "<AgencyWorker>0",
        to: "<AgencyWorker>2",
        nth: 0,
        element: "AgencyWorker",
        rule: "one of 0, 1",
    },
    Case {
        name: "ethnicity code",
        from: "<Ethnicity>WBRI",
        to: "<Ethnicity>White",
        nth: 0,
        element: "Ethnicity",
        rule: "ethnicitytype",
    },
    Case {
        name: "FTE above 1",
        from: "<FTE>1</FTE>",
        to: "<FTE>1.5</FTE>",
        nth: 0,
        element: "FTE",
        rule: "from 0 to 1",
    },
    Case {
        name: "FTE decimals",
        from: "<FTE>0.5</FTE>",
        to: "<FTE>0.5000001</FTE>",
        nth: 0,
        element: "FTE",
        rule: "at most 6 decimal place(s)",
    },
    Case {
        name: "not a decimal",
        from: "<FTE>0.5</FTE>",
        to: "<FTE>half</FTE>",
        nth: 0,
        element: "FTE",
        rule: "a decimal number",
    },
    Case {
        name: "two decimals",
        from: "<WorkingDaysLost>5.00",
        to: "<WorkingDaysLost>5.125",
        nth: 0,
        element: "WorkingDaysLost",
        rule: "at most 2 decimal place(s)",
    },
    Case {
        name: "one decimal",
        from: "<ContractWeeks>26.0",
        to: "<ContractWeeks>26.25",
        nth: 0,
        element: "ContractWeeks",
        rule: "at most 1 decimal place(s)",
    },
    Case {
        name: "integer",
        from: "<Cases30>15",
        to: "<Cases30>15.5",
        nth: 0,
        element: "Cases30",
        rule: "a whole number",
    },
    Case {
        name: "date",
        from: "<RoleStartDate>2015-04-01",
        to: "<RoleStartDate>01/04/2015",
        nth: 0,
        element: "RoleStartDate",
        rule: "YYYY-MM-DD",
    },
    Case {
        name: "LEA pattern",
        from: "<LEA>999",
        to: "<LEA>99",
        nth: 0,
        element: "LEA",
        rule: "three digits",
    },
    Case {
        name: "collection",
        from: "<Collection>CSWW",
        to: "<Collection>CSWWW",
        nth: 0,
        element: "Collection",
        rule: "one of CSWW",
    },
    Case {
        name: "required SWE",
        from: "<SWENo>AA0000000001</SWENo>",
        to: "",
        nth: 0,
        element: "SWENo",
        rule: "is required",
    },
    Case {
        name: "required QualInst",
        from: "<QualInst>University of Somewhere</QualInst>",
        to: "",
        nth: 0,
        element: "QualInst",
        rule: "is required",
    },
    Case {
        name: "required vacancies",
        from: "<NumberOfVacancies>1.30</NumberOfVacancies>",
        to: "",
        nth: 0,
        element: "NumberOfVacancies",
        rule: "is required",
    },
    Case {
        name: "too many",
        from: "<FTE>1</FTE>",
        to: "<FTE>1</FTE><FTE>1</FTE>",
        nth: 0,
        element: "FTE",
        rule: "at most 1 time",
    },
    Case {
        name: "order",
        from: "<AgencyWorker>0</AgencyWorker>\n    <SWENo>AA0000000001</SWENo>",
        to: "<SWENo>AA0000000001</SWENo>\n    <AgencyWorker>0</AgencyWorker>",
        nth: 0,
        element: "AgencyWorker",
        rule: "out of order",
    },
    Case {
        name: "leaving together",
        from: "<ReasonLeave>1</ReasonLeave>",
        to: "",
        nth: 0,
        element: "ReasonLeave",
        rule: "come together",
    },
    Case {
        name: "start together",
        from: "<StartOrigin>2</StartOrigin>",
        to: "",
        nth: 0,
        element: "StartOrigin",
        rule: "come together",
    },
    Case {
        name: "leaving in the year",
        from: "<RoleEndDate>2024-06-30",
        to: "<RoleEndDate>2024-10-01",
        nth: 0,
        element: "RoleEndDate",
        rule: "must fall in the census year",
    },
    Case {
        name: "leaving before the year",
        from: "<RoleEndDate>2023-12-31",
        to: "<RoleEndDate>2023-09-30",
        nth: 0,
        element: "RoleEndDate",
        rule: "must fall in the census year",
    },
    Case {
        name: "leaving before starting",
        from: "<RoleStartDate>2024-01-15",
        to: "<RoleStartDate>2024-07-15",
        nth: 0,
        element: "RoleEndDate",
        rule: "before the start date",
    },
    Case {
        name: "starting after the year",
        from: "<RoleStartDate>2024-07-01",
        to: "<RoleStartDate>2024-10-01",
        nth: 0,
        element: "RoleStartDate",
        rule: "after the reference date",
    },
    Case {
        name: "negative cases",
        from: "<Cases30>15",
        to: "<Cases30>-1",
        nth: 0,
        element: "Cases30",
        rule: "cannot be negative",
    },
    Case {
        name: "negative days lost",
        from: "<WorkingDaysLost>5.00",
        to: "<WorkingDaysLost>-5.00",
        nth: 0,
        element: "WorkingDaysLost",
        rule: "cannot be negative",
    },
    Case {
        name: "negative vacancies",
        from: "<NumberOfVacancies>1.30",
        to: "<NumberOfVacancies>-1.30",
        nth: 0,
        element: "NumberOfVacancies",
        rule: "cannot be negative",
    },
    Case {
        name: "negative agency cover",
        from: "<NoAgencyFTE>1.00",
        to: "<NoAgencyFTE>-1.00",
        nth: 0,
        element: "NoAgencyFTE",
        rule: "cannot be negative",
    },
    Case {
        name: "negative agency head count",
        from: "<NoAgencyHeadcount>1",
        to: "<NoAgencyHeadcount>-1",
        nth: 0,
        element: "NoAgencyHeadcount",
        rule: "cannot be negative",
    },
    Case {
        name: "absence reason alone",
        from: "<FrontlineGrad>0</FrontlineGrad>",
        to: "<FrontlineGrad>0</FrontlineGrad><ReasonAbsence>SIC</ReasonAbsence>",
        nth: 0,
        element: "ReasonAbsence",
        rule: "needs Absat30Sept 1",
    },
    Case {
        name: "no FTE at all",
        from: "<FTE>1</FTE>",
        to: "",
        nth: 0,
        element: "FTE",
        rule: "needs its FTE",
    },
    Case {
        name: "Year and reference date disagree",
        from: "<Year>2024",
        to: "<Year>2023",
        nth: 0,
        element: "Year",
        rule: "disagrees with the ReferenceDate",
    },
    Case {
        name: "text in a container",
        from: "<CSWWWorker>",
        to: "<CSWWWorker>stray",
        nth: 0,
        element: "CSWWWorker",
        rule: "holds elements, not text",
    },
    Case {
        name: "elements in a value",
        from: "<Cases30>15</Cases30>",
        to: "<Cases30><x>15</x></Cases30>",
        nth: 0,
        element: "Cases30",
        rule: "not elements",
    },
];

#[test]
fn each_schema_and_cross_field_rule_is_an_error_naming_record_swe_element_value() {
    let text = valid();
    for c in CASES {
        let broken = replace_nth(&text, c.from, c.to, c.nth);
        let errs = errors(&broken);
        let hit = errs
            .iter()
            .find(|e| e.element.as_deref() == Some(c.element) && e.rule.contains(c.rule))
            .unwrap_or_else(|| {
                panic!(
                    "{}: no error on {} saying '{}': {errs:#?}",
                    c.name, c.element, c.rule
                )
            });
        assert_eq!(hit.severity, Severity::Error, "{}", c.name);
        assert!(hit.line.is_some(), "{}: no line", c.name);
        let line = hit.to_string();
        assert!(line.starts_with("error: return.xml, "), "{line}");
        assert!(line.contains(&format!("element '{}'", c.element)), "{line}");
    }
}

#[test]
fn an_error_line_names_the_record_its_line_and_swe_number() {
    let broken = replace_nth(&valid(), "<Cases30>14", "<Cases30>-3", 0);
    let e = errors(&broken);
    assert_eq!(e.len(), 1, "{e:#?}");
    // Record 9 opens on line 146 of the fixture (its ninth CSWWWorker).
    let opening = valid()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("<CSWWWorker>"))
        .nth(8)
        .unwrap()
        .0;
    let cases_line = valid()
        .lines()
        .enumerate()
        .skip(opening)
        .find(|(_, l)| l.contains("<Cases30>14"))
        .unwrap()
        .0
        + 1;
    assert_eq!(
        e[0].to_string(),
        format!(
            "error: return.xml, record 9 (line {cases_line}), SWE AA0000000007, element 'Cases30', value '-3': cannot be negative"
        )
    );
}

#[test]
fn the_census_year_comes_from_the_header_never_the_file_name() {
    let text = valid();
    // Year only.
    let year_only = replace_nth(&text, "<ReferenceDate>2024-09-30</ReferenceDate>", "", 0);
    assert_eq!(validate(&year_only).unwrap().year, 2024);
    // Reference date only.
    let date_only = replace_nth(&text, "<Year>2024</Year>", "", 0);
    assert_eq!(validate(&date_only).unwrap().year, 2024);
    // Neither: an error, whatever the file is called.
    let neither = replace_nth(&year_only, "<Year>2024</Year>", "", 0);
    let e = keel::census::validate::validate("csww_2024.xml", neither.as_bytes()).unwrap_err();
    assert!(
        e.errors[0].rule.contains("census year is not stated"),
        "{:?}",
        e.errors
    );
    // Before individual-level returns.
    let old = text
        .replace("2024-09-30</ReferenceDate>", "2016-09-30</ReferenceDate>")
        .replace("<Year>2024", "<Year>2016");
    assert!(
        errors(&old)
            .iter()
            .any(|e| e.rule.contains("start with 2017"))
    );
    // Any year from 2017, with its own census year's dates.
    let y2017 = text
        .replace("2024-09-30</ReferenceDate>", "2017-09-30</ReferenceDate>")
        .replace("<Year>2024", "<Year>2017");
    let e = errors(&y2017);
    assert!(
        e.iter()
            .all(|e| e.rule.contains("census year") || e.rule.contains("after the reference date")),
        "{e:#?}"
    );
}

#[test]
fn odd_but_legal_is_a_warning() {
    let text = valid();
    // FTE and FTE30 disagreeing for a post in post.
    let differ = replace_nth(&text, "<FTE30>0.5</FTE30>", "<FTE30>0.4</FTE30>", 0);
    let r = validate(&differ).unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.warnings[0].element.as_deref(), Some("FTE30"));
    assert!(r.warnings[0].rule.contains("Keel uses FTE"));
    // Stored warnings never carry the SWE number.
    assert!(!r.warnings[0].to_issue().to_string().contains("AA00"));
    // An element from a later schema.
    let later = replace_nth(
        &text,
        "<FrontlineGrad>0</FrontlineGrad>",
        "<FrontlineGrad>0</FrontlineGrad><HybridWorking>1</HybridWorking>",
        0,
    );
    let r = validate(&later).unwrap();
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].rule.contains("not in the 2022 schema"));
    // A leaver's FTE30 of 0 beside their FTE is not odd.
    assert!(validate(&text).unwrap().warnings.is_empty());
}

#[test]
fn not_xml_or_not_a_return_is_one_clear_error() {
    for (text, says) in [
        ("Employee Number,Team\n1,A\n", "not well-formed"),
        ("<Message><A></B></Message>", "not well-formed"),
        ("<Report><x/></Report>", "not a CSWW census return"),
        ("", "no XML element"),
    ] {
        let e = errors(text);
        assert!(e[0].to_string().contains(says), "{text}: {e:?}");
    }
}

/// A return with many bad records: 50 lines, then the rest by rule.
#[test]
fn errors_are_capped_at_50_then_counted_by_rule() {
    let text = valid().replace("<Cases30>0</Cases30>", "<Cases30>-1</Cases30>");
    let worker = {
        let start = text.find("  <CSWWWorker>").unwrap();
        let end = text.find("  </CSWWWorker>").unwrap() + "  </CSWWWorker>\n".len();
        text[start..end].replace("<Cases30>15", "<Cases30>-15")
    };
    let body = worker.repeat(80);
    let text = text.replacen("  <CSWWWorker>", &format!("{body}  <CSWWWorker>"), 1);
    let errs = errors(&text);
    assert_eq!(errs.len(), 80 + 4, "80 copies and the 4 zero-case records");
    let (shown, rest) = keel::census::cap(&errs, 50);
    assert_eq!(shown.len(), 50);
    assert_eq!(
        rest,
        vec!["return.xml: … and 34 more problems with element 'Cases30': cannot be negative"]
    );
}

fn workspace() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    (dir, ws)
}

fn import(ws: &str, files: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "--workspace", ws];
    args.extend(files);
    keel(&args)
}

#[test]
fn importing_a_return_stores_its_records_pseudonymised_and_nothing_personal() {
    let (_d, ws) = workspace();
    let f = fixture().display().to_string();
    let out = import(&ws, &[&f]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(census, 2024-09), 12 rows of 12 read, 0 warning(s)"),
        "{}",
        stdout(&out)
    );
    let w = keel::workspace::Workspace::open(Path::new(&ws)).unwrap();
    let df = w.load(keel::extract::Kind::Census).unwrap().unwrap();
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    for personal in [
        "birth",
        "gender",
        "ethnic",
        "qual",
        "frontline",
        "stepup",
        "absen",
    ] {
        assert!(
            !names.iter().any(|n| n.to_lowercase().contains(personal)),
            "{personal} stored: {names:?}"
        );
    }
    let ids = strings(&df, "worker_id");
    assert!(
        ids.iter().all(|i| i.as_ref().unwrap().starts_with('w')),
        "{ids:?}"
    );
    // Pseudonymised exactly like any worker id: a monthly extract's SWE
    // number gets the same pseudonym.
    let key = keel::workspace::pseudo::Key::load_or_create(Path::new(&ws)).unwrap();
    assert_eq!(
        ids[0].as_deref(),
        Some(key.pseudonym("AA0000000001").as_str())
    );
    assert_eq!(ids[4], ids[5], "a returner's two records are one worker");
    let bytes = std::fs::read(Path::new(&ws).join("imports/1.parquet")).unwrap();
    assert!(
        !bytes.windows(12).any(|w| w == b"AA0000000001"),
        "an SWE number is stored"
    );
    assert!(
        !bytes.windows(9).any(|w| w == b"Somewhere"),
        "a qualification is stored"
    );

    // The same return again needs --replace; undo takes a return back.
    let again = import(&ws, &[&f]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("census snapshot for 2024-09 is already held"),
        "{}",
        stderr(&again)
    );
    let hist = stdout(&keel(&["history", "--workspace", &ws]));
    assert!(
        hist.contains("census") && hist.contains("valid_2024.xml"),
        "{hist}"
    );
    let undo = keel(&["undo", "--workspace", &ws]);
    assert!(undo.status.success(), "{}", stderr(&undo));
    assert!(stdout(&undo).contains("undid import #1: valid_2024.xml (census, 2024-09)"));
    let m = keel(&["metrics", "--workspace", &ws]);
    assert!(!m.status.success());
}

#[test]
fn a_return_with_an_error_stores_nothing_not_even_the_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let bad = write(
        dir.path(),
        "bad.xml",
        &replace_nth(&valid(), "<FTE>1</FTE>", "<FTE>2</FTE>", 0),
    );
    let csv = write(dir.path(), "staff.csv", &snapshot_csv("31/08/2024", &["1"]));
    let out = import(
        &ws,
        &[&csv.display().to_string(), &bad.display().to_string()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: bad.xml, record 1 (line"), "{err}");
    assert!(
        err.contains("SWE AA0000000001, element 'FTE', value '2'"),
        "{err}"
    );
    assert!(err.contains("1 error(s): nothing was stored"), "{err}");
    let w = keel::workspace::Workspace::open_or_create(Path::new(&ws)).unwrap();
    assert!(w.manifest().imports.is_empty());
    // --kind census on a CSV says what a return is.
    let out = keel(&[
        "import",
        "--workspace",
        &ws,
        "--kind",
        "census",
        &csv.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not well-formed") || stderr(&out).contains("not a CSWW"),
        "{}",
        stderr(&out)
    );
}

fn metrics_json(ws: &str) -> Vec<serde_json::Value> {
    let out = keel(&[
        "metrics",
        "--workspace",
        ws,
        "--group-by",
        "all",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// `keel census check --format json` of `file` against `ws`, which must
/// succeed.
fn census_check_json(ws: &str, file: &str) -> serde_json::Value {
    let out = keel(&[
        "census",
        "check",
        "--workspace",
        ws,
        file,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn num(row: &serde_json::Value, name: &str) -> Option<f64> {
    row[name].as_f64()
}

#[test]
fn a_year_held_only_as_a_return_gives_its_september_row_as_the_dfe_computes() {
    let (_d, ws) = workspace();
    assert!(
        import(&ws, &[&fixture().display().to_string()])
            .status
            .success()
    );
    let rows = metrics_json(&ws);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["month"], "2024-09");
    assert_eq!(r["group_kind"], "all");
    let expect = [
        ("employed_fte", Some(5.2)),
        ("employed_headcount", Some(6.0)),
        ("agency_fte", Some(1.5)),
        ("agency_headcount", Some(2.0)),
        ("agency_rate_pct", Some(100.0 * 1.5 / 6.7)),
        ("establishment_fte", None),
        ("vacancy_fte", Some(1.3)),
        ("vacancy_rate_pct", Some(20.0)),
        ("leavers_fte", Some(1.0)),
        ("leavers_headcount", Some(1.0)),
        ("starters_fte", Some(0.0)),
        ("starters_headcount", Some(0.0)),
        ("leavers_fte_12m", Some(2.6)),
        ("turnover_rate_12m_pct", Some(50.0)),
        ("stability_index_pct", None),
        ("nqsw_headcount", Some(1.0)),
        ("nqsw_share_pct", Some(100.0 / 6.0)),
        ("early_career_share_pct", None),
        ("case_holders_fte", Some(4.8)),
        ("cases", Some(75.0)),
        ("caseload_per_fte", Some(15.625)),
        ("over_limit_headcount", Some(0.0)),
        ("supervision_compliance_pct", None),
        ("agency_cost", None),
        ("working_days_lost", Some(38.5)),
        ("absence_rate_pct", Some(100.0 * 38.5 / (5.2 * 253.0))),
    ];
    assert_eq!(expect.len(), keel::metrics::METRICS.len());
    for (name, want) in expect {
        match (num(r, name), want) {
            (Some(got), Some(want)) => assert!((got - want).abs() < 1e-9, "{name}: {got} ≠ {want}"),
            (got, want) => assert_eq!(got, want, "{name}"),
        }
    }
    // The reference implementation gives the same row.
    let out = keel(&[
        "metrics",
        "--workspace",
        &ws,
        "--reference",
        "--format",
        "json",
    ]);
    let reference: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(reference, rows);
}

#[test]
fn census_check_prints_the_published_measures_rounded_as_the_dfe_does() {
    let (_d, ws) = workspace();
    let report = census_check_json(&ws, &fixture().display().to_string());
    assert_eq!(report["year"], 2024);
    assert_eq!(report["september_held"], false);
    let got: Vec<(String, Option<f64>)> = report["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["measure"].as_str().unwrap().to_string(),
                m["return"].as_f64(),
            )
        })
        .collect();
    let want = [
        ("inpost_fte", 5.2),
        ("inpost_headcount", 6.0),
        ("starters_fte", 2.9),
        ("starters_headcount", 4.0),
        ("leavers_fte", 2.6),
        ("leavers_headcount", 3.0),
        ("turnover_rate_fte", 50.0),
        ("turnover_rate_headcount", 50.0),
        ("agency_fte", 1.5),
        ("agency_headcount", 2.0),
        ("agency_rate_fte", 22.4),
        ("vacancy_fte", 1.3),
        ("vacancy_rate_fte", 20.0),
        ("agency_cover_fte", 1.0),
        ("agency_cover_rate_fte", 66.7),
        ("vacancy_agency_cover_rate_fte", 76.9),
        ("case_holders_fte", 4.8),
        ("cases", 75.0),
        ("caseload_fte", 15.6),
        ("working_days_lost_fte", 38.5),
        ("absence_rate_fte", 2.9),
    ];
    let want: Vec<(String, Option<f64>)> = want
        .iter()
        .map(|(n, v)| (n.to_string(), Some(*v)))
        .collect();
    assert_eq!(got, want);
    // Nothing was stored: the workspace was never made.
    assert!(!Path::new(&ws).join("keel.json").exists());
    // A return with an error: exit 1, the error on stderr.
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.xml",
        &replace_nth(&valid(), "<Cases30>15", "<Cases30>-1", 0),
    );
    let out = keel(&["census", "check", &bad.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("element 'Cases30', value '-1': cannot be negative"));
}

/// Monthly snapshots holding September 2024, their ids the SWE numbers
/// (under a `SWE No` header): the two sides meet on the same pseudonyms.
pub(super) fn september_snapshot() -> String {
    // Workers 01, 02, 05, 06 (one post, 1.0 FTE instead of 0.5 + 0.4), 07
    // and 12 employed; 10 agency; worker 99 in Keel only.
    let mut s = String::from("SWE No,Team,FTE,Contract Type,Extract Date,Caseload\n");
    for (id, fte, kind, cases) in [
        ("AA0000000001", "1.0", "Permanent", 15),
        ("AA0000000002", "0.5", "Permanent", 8),
        ("AA0000000005", "0.8", "Permanent", 12),
        ("AA0000000006", "1.0", "Permanent", 10),
        ("AA0000000007", "1.0", "Permanent", 14),
        ("AA0000000012", "1.0", "Permanent", 0),
        ("AB0000000010", "1.0", "Agency", 16),
        ("AA0000000099", "1.0", "Permanent", 5),
    ] {
        s.push_str(&format!(
            "{id},Assessment,{fte},{kind},30/09/2024,{cases}\n"
        ));
    }
    s
}

#[test]
fn where_monthly_data_covers_september_its_figures_stand_and_check_lists_the_differences() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let snap = write(dir.path(), "staff-2024-09.csv", &september_snapshot());
    let out = import(
        &ws,
        &[
            &snap.display().to_string(),
            &fixture().display().to_string(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = metrics_json(&ws);
    assert_eq!(rows.len(), 1);
    // Monthly: employed 1 + 0.5 + 0.8 + 1 + 1 + 1 + 1 = 6.3 (the return: 5.2).
    assert!((num(&rows[0], "employed_fte").unwrap() - 6.3).abs() < 1e-9);
    // What monthly extracts never state comes from the return.
    assert_eq!(num(&rows[0], "working_days_lost"), Some(38.5));

    let check = keel(&["check", "--workspace", &ws]);
    assert!(check.status.success(), "{}", stderr(&check));
    let text = stdout(&check);
    assert!(
        text.contains("employed_fte: 5.2 in the census return, 6.3 from the monthly snapshots"),
        "{text}"
    );
    // Agency 1.5 in the return against 1.0: listed; vacancy (no
    // establishment monthly) is not compared.
    assert!(
        text.contains("agency_fte: 1.5 in the census return, 1.0"),
        "{text}"
    );
    assert!(!text.contains("vacancy_fte"), "{text}");

    // census check: the records behind the differences.
    let report = census_check_json(&ws, &fixture().display().to_string());
    assert_eq!(report["september_held"], true);
    let inpost = report["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["measure"] == "inpost_fte")
        .unwrap();
    assert_eq!(inpost["keel"].as_f64(), Some(6.3));
    let details: Vec<String> = report["explained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["swe"].as_str().unwrap_or("-"),
                e["detail"].as_str().unwrap()
            )
        })
        .collect();
    let key = keel::workspace::pseudo::Key::load_or_create(Path::new(&ws)).unwrap();
    let w99 = key.pseudonym("AA0000000099");
    assert_eq!(
        details,
        vec![
            "AA0000000006 FTE 0.9 in the return, 1 in Keel's September snapshot".to_string(),
            "AB0000000011 in post on 30 September in the return, not in Keel's September snapshot".to_string(),
            "- in Keel's September snapshot (employed, team Assessment, FTE 1), not in post in the return".to_string(),
        ],
        "{report:#}"
    );
    let explained = report["explained"].as_array().unwrap();
    assert_eq!(explained[2]["worker"].as_str(), Some(w99.as_str()));
}

#[test]
fn swe_number_headers_are_the_worker_id() {
    use keel::extract::{Field, fields::recognise};
    for h in [
        "SWE No",
        "SWE Number",
        "Social Work England Number",
        "SWE Registration Number",
        "swe_no",
    ] {
        assert_eq!(recognise(h), Some(Field::WorkerId), "{h}");
    }
    // Not the registration date.
    assert_eq!(
        recognise("SWE Registration Date"),
        Some(Field::QualifiedDate)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes: an error or a return, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = keel::census::validate::validate("x.xml", &bytes);
    }

    /// The fixture cut anywhere: an error, never a panic.
    #[test]
    fn a_truncated_return_is_an_error(cut in 0usize..4000) {
        let text = valid();
        let cut = cut.min(text.len().saturating_sub(20));
        let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        prop_assert!(validate(&text[..cut]).is_err());
    }

    /// A worker's elements in another order: an error (the schema's
    /// sequence), never a panic.
    #[test]
    fn shuffled_elements_are_an_error(seed in any::<u64>(), which in 0usize..12) {
        let text = valid();
        let starts: Vec<usize> = text.match_indices("  <CSWWWorker>\n").map(|(i, _)| i).collect();
        let start = starts[which] + "  <CSWWWorker>\n".len();
        let end = start + text[start..].find("  </CSWWWorker>").unwrap();
        let mut lines: Vec<&str> = text[start..end].lines().collect();
        let original = lines.clone();
        // Fisher–Yates driven by a small LCG on the seed.
        let mut state = seed | 1;
        for i in (1..lines.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (state >> 33) as usize % (i + 1);
            lines.swap(i, j);
        }
        prop_assume!(lines != original);
        let shuffled = format!("{}{}\n{}", &text[..start], lines.join("\n"), &text[end..]);
        let e = validate(&shuffled).unwrap_err();
        prop_assert!(e.errors.iter().any(|p| p.rule.contains("out of order")), "{:?}", e.errors);
    }
}

/// The cases that break a rule the DfE schema itself states; the others
/// are the spec's cross-field rules, which the schema lets through.
const CROSS_FIELD: &[&str] = &[
    "leaving together",
    "start together",
    "leaving in the year",
    "leaving before the year",
    "leaving before starting",
    "starting after the year",
    "negative cases",
    "negative days lost",
    "negative vacancies",
    "negative agency cover",
    "negative agency head count",
    "absence reason alone",
    "no FTE at all",
    "Year and reference date disagree",
];

/// The DfE schema in `../shared` and `xmllint`, or why the test cannot
/// run (said on stderr, so a skipped check is never silent).
fn schema_and_xmllint() -> Option<PathBuf> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/spec/csww/social_work_workforce_2022.xsd");
    if !schema.exists() {
        eprintln!(
            "SKIPPED: the DfE schema is not at {} (the repository's ../shared); the xmllint cross-check did not run",
            schema.display()
        );
        return None;
    }
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED: xmllint is not installed (Debian: libxml2-utils); the xmllint cross-check did not run"
        );
        return None;
    }
    Some(schema)
}

fn xmllint_accepts(schema: &Path, dir: &Path, name: &str, text: &str) -> bool {
    let f = write(dir, name, text);
    std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(schema)
        .arg(&f)
        .output()
        .unwrap()
        .status
        .success()
}

/// Keel refuses what xmllint refuses against the DfE schema, and the
/// valid fixture passes both: the schema's rules are the schema's.
#[test]
fn keel_and_xmllint_agree_on_every_schema_rule() {
    let Some(schema) = schema_and_xmllint() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let text = valid();
    assert!(xmllint_accepts(&schema, dir.path(), "valid.xml", &text));
    for c in CASES {
        let broken = replace_nth(&text, c.from, c.to, c.nth);
        let by_schema = !CROSS_FIELD.contains(&c.name);
        assert_eq!(
            xmllint_accepts(&schema, dir.path(), "case.xml", &broken),
            !by_schema,
            "{}: xmllint {} it",
            c.name,
            if by_schema { "accepts" } else { "refuses" }
        );
        assert!(validate(&broken).is_err(), "{}", c.name);
    }
}

/// `keel census write` for 2024, LA 999, with the SWE numbers read from
/// `extracts`.
fn census_write(ws: &str, extracts: &[&str], out: &str) -> std::process::Output {
    let mut args = vec![
        "census",
        "write",
        "--workspace",
        ws,
        "--year",
        "2024",
        "--la-code",
        "999",
    ];
    for e in extracts {
        args.extend(["--extract", e]);
    }
    args.extend(["--out", out]);
    keel(&args)
}

/// `keel census write` from a workspace, then the file imported into a
/// new workspace: the schema accepts it and the September figures are the
/// ones it was written from.
#[test]
fn a_written_return_validates_and_imports_back_to_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    // Employed 1.0 + 0.5 (ASYE) + 0.8; agency 1.0 (covering a vacancy)
    // and 0.6; funded 5.0, so 2.7 vacant; one leaver in June.
    let staff = write(
        dir.path(),
        "staff-2024-09.csv",
        "SWE No,Team,FTE,Contract Type,Extract Date,Caseload,ASYE,Covering Vacancy\n\
         AA0000000001,Assessment,1.0,Permanent,30/09/2024,15,N,\n\
         AA0000000002,Assessment,0.5,Permanent,30/09/2024,8,Y,\n\
         AA0000000003,Assessment,0.8,Permanent,30/09/2024,0,N,\n\
         AB0000000010,Assessment,1.0,Agency,30/09/2024,12,,Y\n\
         AB0000000011,Assessment,0.6,Agency,30/09/2024,0,,N\n",
    );
    let leavers = write(
        dir.path(),
        "leavers-2024.csv",
        "SWE No,Leave Date,FTE\nAA0000000009,15/06/2024,1.0\n",
    );
    let establishment = write(
        dir.path(),
        "establishment.csv",
        "Team,Funded FTE\nAssessment,5.0\n",
    );
    let paths = [&staff, &leavers, &establishment].map(|p| p.display().to_string());
    let out = import(&ws, &paths.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", stderr(&out));

    let xml = dir.path().join("csww_2024.xml").display().to_string();
    let out = census_write(&ws, &[&paths[0], &paths[1]], &xml);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("6 records (5 in post on 30 September 2024, 1 leavers)"),
        "{said}"
    );
    assert!(
        said.contains("ReasonLeave and LeaverDestination written as not known: 1 record(s)"),
        "{said}"
    );
    let text = std::fs::read_to_string(&xml).unwrap();
    assert!(text.contains("<SWENo>AA0000000009</SWENo>"));
    assert!(!text.contains("<w"), "a pseudonym in the file");
    if let Some(schema) = schema_and_xmllint() {
        assert!(
            xmllint_accepts(&schema, dir.path(), "again.xml", &text),
            "xmllint refuses:\n{text}"
        );
    }

    let ws2 = dir.path().join("ws2").display().to_string();
    let out = import(&ws2, &[&xml]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = metrics_json(&ws);
    let after = metrics_json(&ws2);
    let (b, a) = (&before[0], &after[0]);
    assert_eq!(
        (&b["month"], &a["month"]),
        (&"2024-09".into(), &"2024-09".into())
    );
    for name in [
        "employed_fte",
        "employed_headcount",
        "agency_fte",
        "agency_headcount",
        "agency_rate_pct",
        "vacancy_fte",
        "vacancy_rate_pct",
        "leavers_fte",
        "starters_fte",
        "nqsw_headcount",
        "nqsw_share_pct",
        "case_holders_fte",
        "cases",
        "caseload_per_fte",
        "over_limit_headcount",
    ] {
        let (x, y) = (num(b, name), num(a, name));
        assert!(
            matches!((x, y), (Some(x), Some(y)) if (x - y).abs() < 1e-9),
            "{name}: {x:?} written, {y:?} read back"
        );
    }
    // Worked by hand: 2.3 employed FTE, vacancy 5.0 − 2.3 = 2.7 (54%),
    // the June leaver's 1.0 FTE in the year's leavers.
    assert!((num(a, "employed_fte").unwrap() - 2.3).abs() < 1e-9);
    assert!((num(a, "vacancy_rate_pct").unwrap() - 54.0).abs() < 1e-9);
    assert_eq!(num(a, "leavers_fte_12m"), Some(1.0));
    // And the check finds nothing to explain.
    let report = census_check_json(&ws, &xml);
    assert_eq!(report["explained"], serde_json::json!([]), "{report:#}");
}

/// Extracts with no SWE numbers give no record: the schema needs one, so
/// `census write` refuses and writes no file rather than an empty return.
#[test]
fn a_return_with_no_record_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let staff = write(
        dir.path(),
        "staff-2024-09.csv",
        &snapshot_csv("30/09/2024", &["1", "2", "3"]),
    )
    .display()
    .to_string();
    let out = import(&ws, &[&staff]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = dir.path().join("csww_2024.xml");
    let out = census_write(&ws, &[&staff], xml.to_str().unwrap());
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let said = stderr(&out);
    assert!(
        said.contains("no worker of the 2024-09 snapshot or the year's leavers has an SWE number")
            && said.contains("(3 without one)")
            && said.contains("nothing was written"),
        "{said}"
    );
    assert!(!xml.exists(), "an empty return was written");
}

/// Monthly data for 2023 and a return for 2024: both years in month
/// order, the return's row beside the monthly rows of other years.
#[test]
fn a_return_for_a_year_the_snapshots_do_not_cover_joins_the_monthly_table() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let snap = write(
        dir.path(),
        "staff.csv",
        &snapshot_csv("30/09/2023", &["1", "2"]),
    );
    let out = import(
        &ws,
        &[
            &fixture().display().to_string(),
            &snap.display().to_string(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = metrics_json(&ws);
    let months: Vec<&str> = rows.iter().map(|r| r["month"].as_str().unwrap()).collect();
    assert_eq!(months, ["2023-09", "2024-09"]);
    assert_eq!(num(&rows[0], "employed_fte"), Some(2.0));
    assert_eq!(num(&rows[0], "working_days_lost"), None);
    assert!((num(&rows[1], "employed_fte").unwrap() - 5.2).abs() < 1e-9);
    // Each row says where it came from.
    assert_eq!(rows[0]["source"], "monthly");
    assert_eq!(rows[1]["source"], "census return");
}

/// `keel import DIR` and the first start's folder import take the returns
/// in a folder beside the extracts (they used to skip them).
#[test]
fn a_folder_import_takes_its_census_returns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy(fixture(), data.join("csww-2024.xml")).unwrap();
    write(&data, "staff.csv", &snapshot_csv("30/09/2023", &["1", "2"]));
    // Another system's XML beside them is not a return: left alone.
    write(
        &data,
        "desktop.xml",
        "<?xml version=\"1.0\"?>\n<!-- kept by a file manager -->\n<settings><view mode=\"list\"/></settings>\n",
    );
    let ws = dir.path().join("ws").display().to_string();
    let out = import(&ws, &[&data.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("desktop.xml"));
    let text = stdout(&out);
    assert!(
        text.contains("csww-2024.xml (census, 2024-09), 12 rows of 12 read"),
        "{text}"
    );
    assert!(text.contains("staff.csv (workforce, 2023-09)"), "{text}");

    let mut w = keel::workspace::Workspace::open_or_create(&dir.path().join("ws2")).unwrap();
    assert_eq!(keel::first_run::import_folder(&mut w, &data).unwrap(), 2);
    let kinds: Vec<_> = w.manifest().active().map(|r| r.kind).collect();
    assert!(kinds.contains(&keel::extract::Kind::Census), "{kinds:?}");

    // A bad return in the folder: the command line's error, nothing stored.
    std::fs::write(
        data.join("csww-2024.xml"),
        replace_nth(&valid(), "<Cases30>15", "<Cases30>-1", 0),
    )
    .unwrap();
    let mut w = keel::workspace::Workspace::open_or_create(&dir.path().join("ws3")).unwrap();
    let err = keel::first_run::import_folder(&mut w, &data)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("csww-2024.xml, record 1 (line")
            && err.contains("element 'Cases30', value '-1': cannot be negative"),
        "{err}"
    );
    assert_eq!(w.manifest().imports.len(), 0);
}
