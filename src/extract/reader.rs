//! Reading CSV and Excel files into a table of cells. No interpretation
//! happens here beyond finding the header row.

use super::values::Cell;
use calamine::{Data, Reader};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// The rows of one file, below its header row.
pub struct Table {
    pub headers: Vec<String>,
    body: Body,
}

enum Body {
    Csv {
        records: Vec<csv::StringRecord>,
        /// File row number (header = 1) of each record.
        rows: Vec<usize>,
    },
    Sheet {
        range: calamine::Range<Data>,
        /// Index in `range` of the first data row, and its file row number.
        first: usize,
        first_row_number: usize,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("row {row}: {reason}")]
    Row { row: usize, reason: String },
    #[error("{0}")]
    Format(String),
}

/// Which sheet of a workbook to read.
pub fn read_table(
    path: &Path,
    sheet: Option<&str>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<Table, ReadError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_sheet(path, sheet, is_header),
        _ => {
            if sheet.is_some() {
                return Err(ReadError::Format(
                    "--sheet applies only to Excel workbooks, and this is a CSV file".into(),
                ));
            }
            read_csv_bytes(&std::fs::read(path)?, is_header)
        }
    }
}

/// Many HR systems on Windows still write Windows-1252 (a lone 0xA3 for
/// `£`): decode that rather than refusing the file.
fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0,
    }
}

fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .filter(|d| first.bytes().any(|b| b == *d))
        .unwrap_or(b',')
}

/// How many rows from the top may hold titles before the real header row.
const HEADER_SEARCH_ROWS: usize = 10;

pub fn read_csv_bytes(
    bytes: &[u8],
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<Table, ReadError> {
    let text = decode_text(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ReadError::Format("the file is empty".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row_number = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                row_number += 1;
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                records.push(std::mem::take(&mut record));
                rows.push(row_number);
            }
            Err(e) => {
                let row = e
                    .position()
                    .map(|p| p.record() as usize + 1)
                    .unwrap_or(row_number + 1);
                return Err(ReadError::Row {
                    row,
                    reason: format!("the CSV cannot be read here: {e}"),
                });
            }
        }
    }
    let header_at = find_header(
        records
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .map(|r| r.iter().map(str::to_string).collect::<Vec<_>>()),
        is_header,
    );
    let headers: Vec<String> = records[header_at]
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    records.drain(..=header_at);
    rows.drain(..=header_at);
    for (r, n) in records.iter().zip(&rows) {
        if r.len() > headers.len() && r.iter().skip(headers.len()).any(|f| !f.trim().is_empty()) {
            return Err(ReadError::Row {
                row: *n,
                reason: format!(
                    "{} values but only {} headers: a value probably holds an unquoted comma",
                    r.len(),
                    headers.len()
                ),
            });
        }
    }
    Ok(Table {
        headers,
        body: Body::Csv { records, rows },
    })
}

fn find_header(
    candidates: impl Iterator<Item = Vec<String>>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> usize {
    candidates
        .enumerate()
        .find(|(_, row)| is_header(row))
        .map(|(i, _)| i)
        .unwrap_or(0)
}

fn read_sheet(
    path: &Path,
    sheet: Option<&str>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<Table, ReadError> {
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| ReadError::Format(format!("not a readable Excel workbook: {e}")))?;
    let names = book.sheet_names();
    let range = match sheet {
        Some(name) => {
            if !names.iter().any(|n| n == name) {
                return Err(ReadError::Format(format!(
                    "the workbook has no sheet named '{name}'; its sheets are: {}",
                    names.join(", ")
                )));
            }
            book.worksheet_range(name)
        }
        None => book
            .worksheet_range_at(0)
            .ok_or_else(|| ReadError::Format("the workbook has no sheets".into()))?,
    }
    .map_err(|e| ReadError::Format(format!("cannot read the sheet: {e}")))?;
    let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let header_at = find_header(
        range
            .rows()
            .take(HEADER_SEARCH_ROWS)
            .map(|r| r.iter().map(|c| Cell::from(c).display()).collect()),
        is_header,
    );
    let headers: Vec<String> = match range.rows().nth(header_at) {
        Some(r) => r
            .iter()
            .map(|c| Cell::from(c).display().trim().to_string())
            .collect(),
        None => return Err(ReadError::Format("the sheet is empty".into())),
    };
    Ok(Table {
        headers,
        body: Body::Sheet {
            range,
            first: header_at + 1,
            first_row_number: start_row + header_at + 2,
        },
    })
}

impl<'a> From<&'a Data> for Cell<'a> {
    fn from(d: &'a Data) -> Cell<'a> {
        match d {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::Text(s),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) => match dt.as_datetime() {
                Some(t) => Cell::Date(t.date()),
                None => Cell::Error("#DATE"),
            },
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s),
            Data::Error(_) => Cell::Error("#ERROR"),
        }
    }
}

impl Table {
    pub fn len(&self) -> usize {
        match &self.body {
            Body::Csv { records, .. } => records.len(),
            Body::Sheet { range, first, .. } => range.height().saturating_sub(*first),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's own row number (header row counted, first row = 1).
    pub fn row_number(&self, i: usize) -> usize {
        match &self.body {
            Body::Csv { rows, .. } => rows[i],
            Body::Sheet {
                first_row_number, ..
            } => first_row_number + i,
        }
    }

    pub fn cell(&self, i: usize, col: usize) -> Cell<'_> {
        match &self.body {
            Body::Csv { records, .. } => match records[i].get(col) {
                Some(s) if !s.trim().is_empty() => Cell::Text(s),
                _ => Cell::Empty,
            },
            Body::Sheet { range, first, .. } => range
                .get((first + i, col))
                .map(Cell::from)
                .unwrap_or(Cell::Empty),
        }
    }

    /// A blank sheet row (Excel keeps formatted empty rows).
    pub fn is_blank(&self, i: usize) -> bool {
        (0..self.headers.len()).all(|c| self.cell(i, c).is_empty())
    }

    /// Hash of the whole row as written, for exact-duplicate detection
    /// (equal hashes are then confirmed with [`Table::same_row`]).
    pub fn row_hash(&self, i: usize, state: &impl std::hash::BuildHasher) -> u64 {
        match &self.body {
            // A CSV row's fields sit in one buffer: hash it whole.
            Body::Csv { records, .. } => state.hash_one((records[i].as_slice(), records[i].len())),
            Body::Sheet { .. } => {
                let mut h = state.build_hasher();
                for c in 0..self.headers.len() {
                    with_text(self.cell(i, c), |t| t.hash(&mut h));
                }
                h.finish()
            }
        }
    }

    pub fn same_row(&self, a: usize, b: usize) -> bool {
        match &self.body {
            Body::Csv { records, .. } => records[a] == records[b],
            Body::Sheet { .. } => (0..self.headers.len())
                .all(|c| with_text(self.cell(a, c), |x| with_text(self.cell(b, c), |y| x == y))),
        }
    }
}

/// The cell's text without allocating in the common (CSV) case.
fn with_text<R>(cell: Cell, f: impl FnOnce(&str) -> R) -> R {
    match cell {
        Cell::Empty => f(""),
        Cell::Text(s) => f(s.trim()),
        other => f(other.display().trim()),
    }
}
