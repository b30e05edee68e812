//! Arbitrary bytes and strings into the readers and value parsers: an error
//! or a value, never a panic.

use crate::support::*;
use keel::extract::reader::read_csv_bytes;
use keel::extract::values::{self, Cell};
use proptest::prelude::*;

proptest! {
    #[test]
    fn value_parsers_never_panic(s in any::<String>()) {
        let _ = values::parse_date_text(&s);
        let _ = values::parse_number_text(&s);
        let _ = values::parse_bool(Cell::Text(&s));
        let _ = values::employment_type_from_text(&s);
        let _ = s.parse::<keel::month::Month>();
    }

    #[test]
    fn date_like_strings_never_panic(s in "[0-9]{1,4}[-/ ][0-9A-Za-z]{1,9}[-/ ][0-9]{1,6}( [0-9:TZ.]{0,12})?") {
        if let Ok(Some(d)) = values::parse_date_text(&s) {
            prop_assert!((1900..=2100).contains(&chrono::Datelike::year(&d)));
        }
    }

    #[test]
    fn the_quick_date_reading_agrees_with_the_full_one(s in "[0-9 ]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}|[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}") {
        if let Some(d) = values::quick_date(&s) {
            prop_assert_eq!(values::parse_date_text(&s), Ok(Some(d)));
        }
    }

    #[test]
    fn numbers_and_serials_never_panic(n in any::<f64>()) {
        let _ = values::parse_date(Cell::Number(n));
        let _ = values::parse_number(Cell::Number(n));
        let _ = values::excel_serial(n);
    }

    #[test]
    fn csv_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = read_csv_bytes(&bytes, &|row: &[String]| row.len() > 1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn whole_import_of_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..3000), xlsx in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(if xlsx { "x.xlsx" } else { "x.csv" });
        std::fs::write(&p, &bytes).unwrap();
        let _ = keel::extract::read_extract(&p, &opts());
    }

    #[test]
    fn arbitrary_cells_under_real_headers_never_panic(cells in proptest::collection::vec("[^\n\r\"]{0,12}", 0..60)) {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("Staff ID,Team,FTE,Contract,Extract Date,Open Cases,Start Date,ASYE,Day Rate,Leave Date\n");
        for row in cells.chunks(10) {
            let quoted: Vec<String> = row.iter().map(|c| format!("\"{c}\"")).collect();
            csv.push_str(&quoted.join(","));
            csv.push('\n');
        }
        let p = write(dir.path(), "x.csv", &csv);
        let _ = keel::extract::read_extract(&p, &opts());
    }

    #[test]
    fn damaged_workbooks_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["Staff ID", "Team", "FTE", "Contract", "Extract Date"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
            ws.write_string(1, c as u16, "1").unwrap();
        }
        let mut bytes = wb.save_to_buffer().unwrap();
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        std::fs::write(&p, &bytes).unwrap();
        let _ = keel::extract::read_extract(&p, &opts());
    }
}
