//! Header recognition: every synonym the contract lists, each kind detected
//! from its headers, and the "Supervision Date" header read by kind.

use crate::support::*;
use keel::extract::fields::ValueType;
use keel::extract::{Field, Kind, ReadOptions};

const BASE: [(&str, &str); 5] = [
    ("worker_id", "004512"),
    ("team", "Assessment"),
    ("fte", "1.0"),
    ("employment_type", "Permanent"),
    ("snapshot_date", "31/03/2024"),
];

fn sample_value(f: Field) -> &'static str {
    match f.value_type() {
        ValueType::Text => "Court Team",
        ValueType::Date => "15/01/2020",
        ValueType::Number => "12",
        ValueType::Bool => "Y",
        ValueType::EmploymentType => "Locum",
    }
}

/// A workforce file whose `field` column is headed `header`.
fn workforce_with(field: Field, header: &str, value: &str) -> String {
    let mut cols: Vec<(String, String)> = BASE
        .iter()
        .filter(|(n, _)| *n != field.name() && !(field == Field::ContractedHours && *n == "fte"))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    cols.push((header.to_string(), value.to_string()));
    let h: Vec<String> = cols.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let v: Vec<String> = cols.iter().map(|(_, v)| v.clone()).collect();
    format!("{}\n{}\n", h.join(","), v.join(","))
}

#[test]
fn every_workforce_synonym_is_read_into_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let fields = Kind::Workforce
        .fields()
        .iter()
        .copied()
        .chain([Field::ContractedHours]);
    for field in fields {
        for header in field.synonyms().iter().copied().chain([field.name()]) {
            let value = match field {
                Field::ContractedHours => "18.5",
                Field::Fte => "0.8",
                _ => sample_value(field),
            };
            let p = write(dir.path(), "w.csv", &workforce_with(field, header, value));
            let e = read_ok(&p, &opts());
            assert_eq!(e.kind, Kind::Workforce, "{header}");
            let df = &e.data;
            match field {
                Field::ContractedHours => {
                    assert_eq!(floats(df, "fte"), vec![Some(0.5)], "{header}")
                }
                f => match f.value_type() {
                    ValueType::Text => {
                        assert_eq!(strings(df, f.name())[0].as_deref(), Some(value), "{header}")
                    }
                    ValueType::Date => assert_eq!(
                        dates(df, f.name())[0].as_deref(),
                        Some("2020-01-15"),
                        "{header}"
                    ),
                    ValueType::Number => {
                        assert_eq!(floats(df, f.name())[0], value.parse().ok(), "{header}")
                    }
                    ValueType::Bool => assert_eq!(
                        df.column(f.name()).unwrap().bool().unwrap().get(0),
                        Some(true),
                        "{header}"
                    ),
                    ValueType::EmploymentType => {
                        assert_eq!(
                            strings(df, f.name())[0].as_deref(),
                            Some("agency"),
                            "{header}"
                        )
                    }
                },
            }
        }
    }
}

#[test]
fn headers_match_ignoring_case_spaces_underscores_dots_and_hyphens() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "w.csv",
        "EMPLOYEE_NO.,team-name,w.t.e,CONTRACT  TYPE,as-at-date\n7,A,1,Perm,31/03/2024\n",
    );
    let e = read_ok(&p, &opts());
    assert_eq!(strings(&e.data, "worker_id"), vec![Some("7".into())]);
    assert_eq!(strings(&e.data, "team"), vec![Some("A".into())]);
}

#[test]
fn other_kinds_and_their_synonyms() {
    let dir = tempfile::tempdir().unwrap();
    for header in [
        "Funded FTE",
        "Establishment FTE",
        "Budgeted FTE",
        "Establishment",
        "funded_fte",
    ] {
        let p = write(
            dir.path(),
            "e.csv",
            &format!("Team,{header},Effective Date\nCourt,12.5,01/04/2024\n"),
        );
        let e = read_ok(&p, &opts());
        assert_eq!(e.kind, Kind::Establishment, "{header}");
        assert_eq!(floats(&e.data, "funded_fte"), vec![Some(12.5)]);
        assert_eq!(
            dates(&e.data, "effective_date"),
            vec![Some("2024-04-01".into())]
        );
    }
    let p = write(
        dir.path(),
        "l.csv",
        "Payroll Number,Leaving Date,Reason for Leaving\n0042,15/03/2024,Retired\n",
    );
    let e = read_ok(&p, &opts());
    assert_eq!(e.kind, Kind::Leavers);
    assert_eq!(strings(&e.data, "worker_id"), vec![Some("0042".into())]);

    // "Supervision Date" is a session in a supervision log...
    let p = write(
        dir.path(),
        "s.csv",
        "Staff Number,Supervision Date\n0042,01/03/2024\n0042,15/03/2024\n",
    );
    let e = read_ok(&p, &opts());
    assert_eq!(e.kind, Kind::Supervision);
    assert_eq!(
        dates(&e.data, "supervision_date"),
        vec![Some("2024-03-01".into()), Some("2024-03-15".into())]
    );
    // ...and the last supervision in a workforce extract.
    let p = write(
        dir.path(),
        "w.csv",
        "Staff ID,Team,FTE,Contract,Report Date,Supervision Date\n0042,A,1,Perm,31/03/2024,20/03/2024\n",
    );
    let e = read_ok(&p, &opts());
    assert_eq!(e.kind, Kind::Workforce);
    assert_eq!(
        dates(&e.data, "last_supervision_date"),
        vec![Some("2024-03-20".into())]
    );

    let p = write(
        dir.path(),
        "c.csv",
        "Worker ID,Child Ref,Snapshot Date\n0042,C1,31/03/2024\n0042,C2,31/03/2024\n0043,C3,31/03/2024\n",
    );
    let e = read_ok(&p, &opts());
    assert_eq!(e.kind, Kind::Caseload);
    assert_eq!(
        strings(&e.data, "worker_id"),
        vec![Some("0042".into()), Some("0043".into())]
    );
    assert_eq!(floats(&e.data, "caseload"), vec![Some(2.0), Some(1.0)]);
    assert!(
        e.data.column("child_ref").is_err(),
        "child references are never stored"
    );
}

#[test]
fn kind_can_be_forced_and_an_unknown_shape_asks_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "x.csv", "Colour,Size\nred,3\n");
    let r = read_err(&p, &opts());
    assert!(
        r.errors[0].reason.contains("choose its kind"),
        "{:?}",
        r.errors
    );
    let p = write(
        dir.path(),
        "w.csv",
        "Staff ID,Team,FTE,Contract\n0042,A,1,Perm\n",
    );
    let o = ReadOptions {
        kind: Some(Kind::Workforce),
        month: "2024-03".parse().ok(),
        ..opts()
    };
    let e = read_ok(&p, &o);
    assert_eq!(
        dates(&e.data, "snapshot_date"),
        vec![Some("2024-03-31".into())]
    );
}

#[test]
fn a_profile_maps_unknown_headers_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "w.csv",
        "Emp Ref,Unit,FTE,Basis,Extract Date,Notes\n0042,A,1,Relief,31/03/2024,x\n",
    );
    let r = read_err(&p, &opts());
    assert!(
        r.errors
            .iter()
            .any(|e| e.reason.contains("needs the Worker ID column")),
        "{:?}",
        r.errors
    );
    let prof = write(
        dir.path(),
        "p.toml",
        "[headers]\n\"Emp Ref\" = \"worker_id\"\nUnit = \"team\"\nBasis = \"employment_type\"\nNotes = \"ignore\"\n[employment_types]\nRelief = \"fixed_term\"\n",
    );
    let profile = keel::extract::ImportProfile::load(&prof).unwrap();
    let o = ReadOptions {
        profile: Some(&profile),
        ..opts()
    };
    let e = read_ok(&p, &o);
    assert_eq!(
        strings(&e.data, "employment_type"),
        vec![Some("fixed_term".into())]
    );
    assert!(
        e.warnings
            .iter()
            .all(|w| w.column.as_deref() != Some("Notes")),
        "ignored columns are not warned about"
    );
}
