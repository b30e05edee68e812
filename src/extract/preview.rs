//! The first rows of a file as it is written, for the import view: what
//! the HR officer is mapping, before any validation. Only the start of a
//! CSV is read, so a million-row file previews at once.

use super::ColumnUse;
use super::profile::ImportProfile;
use super::reader::{self, Table};
use super::values::Cell;
use std::path::Path;

/// Bytes of a CSV read for its preview: the header search and a few rows
/// fit many times over.
const CSV_PREFIX: usize = 256 * 1024;

pub const MASK: &str = "••• (a name: never stored)";

fn text(c: Cell<'_>) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Error(s) => s.to_string(),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
        Cell::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_string(),
    }
}

fn table(path: &Path, sheet: Option<&str>, profile: Option<&ImportProfile>) -> Option<Table> {
    let is_header = |row: &[String]| super::plan::looks_like_header(row, profile);
    let is_csv = !matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
    );
    if is_csv {
        use std::io::Read as _;
        let mut bytes = Vec::with_capacity(CSV_PREFIX);
        std::fs::File::open(path)
            .ok()?
            .take(CSV_PREFIX as u64)
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() == CSV_PREFIX {
            // Cut at the last line end (\n, or \r in old Mac files) so no
            // record is read half.
            let end = bytes
                .iter()
                .rposition(|b| *b == b'\n')
                .or_else(|| bytes.iter().rposition(|b| *b == b'\r'))?;
            bytes.truncate(end + 1);
        }
        reader::read_csv_bytes(&bytes, &is_header).ok()
    } else {
        reader::read_table(path, sheet, &is_header).ok()
    }
}

/// Up to `n` data rows under the header, one string per header; columns
/// that hold names are masked.
pub fn first_rows(
    path: &Path,
    sheet: Option<&str>,
    profile: Option<&ImportProfile>,
    uses: &[(String, ColumnUse)],
    n: usize,
) -> Vec<Vec<String>> {
    let Some(t) = table(path, sheet, profile) else {
        return Vec::new();
    };
    let masked: Vec<bool> = t
        .headers
        .iter()
        .map(|h| uses.iter().any(|(u, c)| u == h && *c == ColumnUse::Name))
        .collect();
    (0..t.len().min(n))
        .map(|i| {
            (0..t.headers.len())
                .map(|c| {
                    if masked[c] {
                        MASK.to_string()
                    } else {
                        text(t.cell(i, c))
                    }
                })
                .collect()
        })
        .collect()
}
