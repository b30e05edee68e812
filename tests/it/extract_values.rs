//! Values in real files: every date form (and the rejected ones), employment
//! types, booleans, money, hours, and identifiers that keep leading zeros in
//! CSV and Excel alike.

use crate::support::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

#[test]
fn every_accepted_date_form_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let forms = [
        "2024-03-31",
        "31/03/2024",
        "31-03-2024",
        "31-Mar-2024",
        "31 March 2024",
        "45382",
    ];
    let mut csv = String::from("Staff ID,Team,FTE,Contract,Extract Date,Start Date\n");
    for (i, f) in forms.iter().enumerate() {
        csv.push_str(&format!("{i},A,1,Perm,31/03/2024,\"{f}\"\n"));
    }
    let e = read_ok(&write(dir.path(), "w.csv", &csv), &opts());
    assert_eq!(
        dates(&e.data, "start_date"),
        vec![Some("2024-03-31".to_string()); forms.len()]
    );
}

#[test]
fn rejected_date_forms_name_row_column_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let bad = [
        "03/31/2024",
        "31/03/24",
        "2024/03/31",
        "next week",
        "31/02/2024",
    ];
    let mut csv = String::from("Staff ID,Team,FTE,Contract,Extract Date,Start Date\n");
    for (i, f) in bad.iter().enumerate() {
        csv.push_str(&format!("{i},A,1,Perm,31/03/2024,{f}\n"));
    }
    let r = read_err(&write(dir.path(), "w.csv", &csv), &opts());
    assert_eq!(r.errors.len(), bad.len(), "{:#?}", r.errors);
    for (i, (err, value)) in r.errors.iter().zip(bad).enumerate() {
        assert_eq!(err.file, "w.csv");
        assert_eq!(err.row, Some(i + 2), "header is row 1");
        assert_eq!(err.column.as_deref(), Some("Start Date"));
        assert_eq!(err.value.as_deref(), Some(value));
    }
    assert!(
        r.errors[0].reason.contains("month/day"),
        "{}",
        r.errors[0].reason
    );
}

#[test]
fn employment_types_money_booleans_and_hours() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Staff ID,Team,Weekly Hours,Worker Type,Extract Date,Day Rate,ASYE,Covering Vacancy\n\
        1,A,37,Substantive,31/03/2024,,yes,\n\
        2,A,29.6,FTC,31/03/2024,,No,\n\
        3,A,18.5,Seconded,31/03/2024,,,\n\
        4,A,37,Self Employed,31/03/2024,\"£1,050.50\",,Y\n\
        5,A,37,Interim,31/03/2024,£450,false,0\n";
    let e = read_ok(&write(dir.path(), "w.csv", csv), &opts());
    assert_eq!(
        strings(&e.data, "employment_type"),
        ["permanent", "fixed_term", "secondment", "agency", "agency"].map(|s| Some(s.to_string()))
    );
    assert_eq!(
        floats(&e.data, "fte"),
        vec![Some(1.0), Some(0.8), Some(0.5), Some(1.0), Some(1.0)]
    );
    assert_eq!(
        floats(&e.data, "day_rate"),
        vec![None, None, None, Some(1050.5), Some(450.0)]
    );
    let asye: Vec<Option<bool>> = e
        .data
        .column("asye")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(asye, vec![Some(true), Some(false), None, None, Some(false)]);
    let cover: Vec<Option<bool>> = e
        .data
        .column("covering_vacancy")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(cover, vec![None, None, None, Some(true), Some(false)]);
}

#[test]
fn leading_zeros_survive_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let e = read_ok(
        &write(
            dir.path(),
            "w.csv",
            &snapshot_csv("31/03/2024", &["004512", "4512"]),
        ),
        &opts(),
    );
    assert_eq!(
        strings(&e.data, "worker_id"),
        vec![Some("004512".into()), Some("4512".into())]
    );
}

#[test]
fn excel_text_ids_date_cells_and_serials() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in [
        "Person ID",
        "Org Unit",
        "WTE",
        "Employment Status",
        "As At Date",
        "Hire Date",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // Row 2: a text id with leading zeros and real date cells.
    ws.write_string(1, 0, "004512").unwrap();
    ws.write_string(1, 1, "Court").unwrap();
    ws.write_number(1, 2, 0.6).unwrap();
    ws.write_string(1, 3, "Permanent").unwrap();
    let d = ExcelDateTime::from_ymd(2024, 3, 31).unwrap();
    ws.write_datetime_with_format(1, 4, &d, &date_fmt).unwrap();
    ws.write_datetime_with_format(
        1,
        5,
        ExcelDateTime::from_ymd(2019, 9, 2).unwrap(),
        &date_fmt,
    )
    .unwrap();
    // Row 3: a numeric id, and a date given as a plain serial number.
    ws.write_number(2, 0, 4512.0).unwrap();
    ws.write_string(2, 1, "Court").unwrap();
    ws.write_number(2, 2, 1.0).unwrap();
    ws.write_string(2, 3, "Agency").unwrap();
    ws.write_datetime_with_format(2, 4, &d, &date_fmt).unwrap();
    ws.write_number(2, 5, 45382.0).unwrap();
    wb.save(&path).unwrap();

    let e = read_ok(&path, &opts());
    assert_eq!(
        strings(&e.data, "worker_id"),
        vec![Some("004512".into()), Some("4512".into())]
    );
    assert_eq!(
        dates(&e.data, "snapshot_date"),
        vec![Some("2024-03-31".into()); 2]
    );
    assert_eq!(
        dates(&e.data, "start_date"),
        vec![Some("2019-09-02".into()), Some("2024-03-31".into())]
    );
    assert_eq!(
        e.months.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        vec!["2024-03"]
    );
}

#[test]
fn excel_sheet_can_be_chosen_and_a_missing_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("Cover")
        .unwrap()
        .write_string(0, 0, "Monthly staffing report")
        .unwrap();
    let ws = wb.add_worksheet().set_name("Staff").unwrap();
    for (r, line) in snapshot_csv("31/03/2024", &["0042"]).lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    let o = keel::extract::ReadOptions {
        sheet: Some("Staff"),
        ..opts()
    };
    assert_eq!(
        strings(&read_ok(&path, &o).data, "worker_id"),
        vec![Some("0042".into())]
    );
    let o = keel::extract::ReadOptions {
        sheet: Some("Nope"),
        ..opts()
    };
    assert!(
        read_err(&path, &o).errors[0]
            .reason
            .contains("Cover, Staff")
    );
}

#[test]
fn a_title_row_above_the_headers_is_skipped_and_rows_keep_file_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Brackenford staff in post,,,,\n,,,,\nStaff ID,Team,FTE,Contract,Extract Date\n1,A,1,Perm,31/03/2024\n2,A,2.5,Perm,31/03/2024\n";
    let r = read_err(&write(dir.path(), "w.csv", csv), &opts());
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].row, Some(5));
}

#[test]
fn windows_1252_pound_signs_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes =
        b"Staff ID,Team,FTE,Contract,Extract Date,Day Rate\n1,A,1,Agency,31/03/2024,".to_vec();
    bytes.extend([0xA3]); // '£' in Windows-1252
    bytes.extend(b"420\n");
    let p = dir.path().join("w.csv");
    std::fs::write(&p, bytes).unwrap();
    assert_eq!(
        floats(&read_ok(&p, &opts()).data, "day_rate"),
        vec![Some(420.0)]
    );
}
