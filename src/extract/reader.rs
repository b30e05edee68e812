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
    Csv(Flat),
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
    /// Not an HR extract at all (a README caught by a glob, a PDF): said
    /// plainly rather than as a complaint about its "rows".
    #[error("not an extract Keel recognises: {0}")]
    NotAnExtract(String),
}

/// How many of a file's headers an error shows, and how much of each: a
/// file that is not an extract can have a paragraph for a "header".
const SEEN_HEADERS: usize = 5;
const SEEN_HEADER_CHARS: usize = 30;

/// The first few headers as a user sees them in an error: quoted, long
/// ones cut short, and how many more there are.
pub fn seen_headers(headers: &[String]) -> String {
    let shown: Vec<String> = headers
        .iter()
        .filter(|h| !h.trim().is_empty())
        .take(SEEN_HEADERS)
        .map(|h| {
            let h = h.trim();
            match h.char_indices().nth(SEEN_HEADER_CHARS) {
                Some((cut, _)) => format!("'{}…'", &h[..cut]),
                None => format!("'{h}'"),
            }
        })
        .collect();
    let rest = headers.iter().filter(|h| !h.trim().is_empty()).count() - shown.len();
    match (shown.is_empty(), rest) {
        (true, _) => "no headers at all".to_string(),
        (false, 0) => shown.join(", "),
        (false, n) => format!("{} and {n} more", shown.join(", ")),
    }
}

/// Bytes that are no CSV text at all, named as well as the first bytes
/// allow; `None` for text.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(b"%PDF") {
        return Some("a PDF document");
    }
    if head.starts_with(b"PK\x03\x04") {
        return Some(
            "a zip archive (an Excel workbook given another extension? Save it as .xlsx or CSV)",
        );
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16 text (save it from Excel as 'CSV UTF-8')");
    }
    let control = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    // A NUL never occurs in CSV text; a few stray control bytes might.
    (head.contains(&0) || control * 100 > head.len()).then_some("binary data, not CSV text")
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
    if let Some(what) = binary_kind(bytes) {
        return Err(ReadError::NotAnExtract(format!("the file holds {what}")));
    }
    let text = decode_text(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ReadError::Format("the file is empty".into()));
    }
    let delimiter = sniff_delimiter(text);
    let pieces: Vec<Result<Piece, ReadError>> = {
        use rayon::prelude::*;
        // A few pieces a core, so a core slowed by other work (the file's
        // hash, another process) holds up little.
        split_at_records(text, 4 * rayon::current_num_threads().max(1))
            .into_par_iter()
            .map(|piece| read_piece(piece, delimiter))
            .collect()
    };
    let mut flat = Flat::default();
    let mut data: Vec<u8> = Vec::with_capacity(text.len());
    let mut records_before = 0usize;
    for piece in pieces {
        let piece = match piece {
            Ok(p) => p,
            Err(ReadError::Row { row, reason }) => {
                return Err(ReadError::Row {
                    row: row + records_before,
                    reason,
                });
            }
            Err(e) => return Err(e),
        };
        let (data_before, ends_before) = (data.len() as u32, flat.ends.len() as u32);
        data.extend_from_slice(&piece.data);
        flat.ends.extend(piece.ends.iter().map(|e| e + data_before));
        flat.first
            .extend(piece.first.iter().map(|f| f + ends_before));
        flat.rows
            .extend(piece.rows.iter().map(|r| r + records_before));
        records_before += piece.records;
        if data.len() > u32::MAX as usize {
            return Err(ReadError::Format(
                "the file is larger than 4 GB: split it by month".into(),
            ));
        }
    }
    flat.first.push(flat.ends.len() as u32);
    // The input was UTF-8 and unquoting removes only ASCII quotes, so this
    // cannot fail; it is checked all the same rather than assumed.
    flat.text = String::from_utf8(data)
        .map_err(|_| ReadError::Format("the file's text is not valid UTF-8".into()))?;
    let found = find_header(
        (0..flat.len().min(HEADER_SEARCH_ROWS)).map(|i| {
            (0..flat.width(i))
                .map(|c| flat.field(i, c).unwrap_or("").to_string())
                .collect::<Vec<_>>()
        }),
        is_header,
    );
    let header_at = found.unwrap_or(0);
    if flat.len() == 0 {
        return Err(ReadError::Format("the file is empty".into()));
    }
    let headers: Vec<String> = (0..flat.width(header_at))
        .map(|c| flat.field(header_at, c).unwrap_or("").trim().to_string())
        .collect();
    flat.skip = header_at + 1;
    for i in 0..flat.len() {
        let width = flat.width(i);
        if width > headers.len()
            && (headers.len()..width).any(|c| !flat.field(i, c).unwrap_or("").trim().is_empty())
        {
            // Ragged rows under a first line that names no field are prose
            // or some other file, not an extract with an unquoted comma.
            if found.is_none() {
                return Err(ReadError::NotAnExtract(format!(
                    "no row near the top names the fields of an HR extract; its first line reads {}",
                    seen_headers(&headers)
                )));
            }
            return Err(ReadError::Row {
                row: flat.row_number(i),
                reason: format!(
                    "{width} values but only {} headers: a value probably holds an unquoted comma",
                    headers.len()
                ),
            });
        }
    }
    Ok(Table {
        headers,
        body: Body::Csv(flat),
    })
}

/// Cut CSV text into about `n` pieces, each ending at a record boundary: a
/// newline with an even number of quote characters before it (RFC 4180
/// escapes a quote by doubling it, so the parity tells inside from outside).
fn split_at_records(text: &str, n: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::with_capacity(n);
    let (mut start, mut quotes_before) = (0usize, 0usize);
    for k in 1..n {
        let mut at = (bytes.len() * k / n).max(start);
        let mut quotes = quotes_before + bytes[start..at].iter().filter(|b| **b == b'"').count();
        loop {
            match bytes[at..].iter().position(|b| *b == b'\n' || *b == b'"') {
                Some(i) if bytes[at + i] == b'"' => {
                    quotes += 1;
                    at += i + 1;
                }
                Some(i) if quotes % 2 == 0 => {
                    at += i + 1;
                    break;
                }
                Some(i) => at += i + 1,
                None => {
                    at = bytes.len();
                    break;
                }
            }
        }
        if at > start && at < bytes.len() {
            pieces.push(&text[start..at]);
            start = at;
            quotes_before = quotes;
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// The records of one piece of a CSV file, numbered from 1 within it.
struct Piece {
    data: Vec<u8>,
    ends: Vec<u32>,
    first: Vec<u32>,
    rows: Vec<usize>,
    /// Records read, blank ones included (they keep their row numbers).
    records: usize,
}

fn read_piece(text: &str, delimiter: u8) -> Result<Piece, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut p = Piece {
        data: Vec::with_capacity(text.len()),
        ends: vec![],
        first: vec![],
        rows: vec![],
        records: 0,
    };
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(p),
            Ok(true) => {
                p.records += 1;
                if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                p.first.push(p.ends.len() as u32);
                for field in record.iter() {
                    p.data.extend_from_slice(field);
                    p.ends.push(p.data.len() as u32);
                }
                p.rows.push(p.records);
            }
            Err(e) => {
                let row = e
                    .position()
                    .map(|q| q.record() as usize + 1)
                    .unwrap_or(p.records + 1);
                return Err(ReadError::Row {
                    row,
                    reason: format!("the CSV cannot be read here: {e}"),
                });
            }
        }
    }
}

/// Every field of every CSV row in one buffer, so a million rows cost three
/// vectors rather than two million small allocations.
#[derive(Default)]
struct Flat {
    text: String,
    /// End offset in `text` of each field.
    ends: Vec<u32>,
    /// Index in `ends` of each row's first field, plus one past the last row.
    first: Vec<u32>,
    /// File row number (header = 1) of each row.
    rows: Vec<usize>,
    /// Rows above and including the header row, hidden from the table.
    skip: usize,
}

impl Flat {
    fn len(&self) -> usize {
        self.rows.len() - self.skip
    }

    fn bounds(&self, i: usize) -> (usize, usize) {
        let r = i + self.skip;
        (self.first[r] as usize, self.first[r + 1] as usize)
    }

    fn width(&self, i: usize) -> usize {
        let (a, b) = self.bounds(i);
        b - a
    }

    fn row_number(&self, i: usize) -> usize {
        self.rows[i + self.skip]
    }

    fn field(&self, i: usize, c: usize) -> Option<&str> {
        let (a, b) = self.bounds(i);
        let k = a + c;
        if k >= b {
            return None;
        }
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        Some(&self.text[start..self.ends[k] as usize])
    }

    /// The row's text with its field lengths, enough to tell rows apart.
    fn key(&self, i: usize) -> (&str, &[u32]) {
        let (a, b) = self.bounds(i);
        let start = if a == 0 { 0 } else { self.ends[a - 1] as usize };
        let end = if b == 0 { 0 } else { self.ends[b - 1] as usize };
        (&self.text[start.min(end)..end], &self.ends[a..b])
    }
}

/// The header row among the first rows, if one names known fields.
fn find_header(
    candidates: impl Iterator<Item = Vec<String>>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Option<usize> {
    candidates
        .enumerate()
        .find(|(_, row)| is_header(row))
        .map(|(i, _)| i)
}

/// What a workbook calamine cannot open is, in words a user can act on:
/// a workbook cut short (a copy or download that did not finish) shows as
/// a zip archive without its end record, which says nothing to anyone.
fn workbook_error(e: &calamine::Error) -> String {
    let text = e.to_string();
    // calamine's xlsx, xlsb and ods readers all say "Zip error: …".
    if text.contains("Zip error") || text.contains("EOCD") {
        "the workbook is damaged or incomplete (a copy or download that did not finish?): open it in Excel and save it again, or export it again".into()
    } else {
        format!("not a readable Excel workbook: {text}")
    }
}

fn read_sheet(
    path: &Path,
    sheet: Option<&str>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<Table, ReadError> {
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| ReadError::Format(workbook_error(&e)))?;
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
    )
    .unwrap_or(0);
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
            Body::Csv(flat) => flat.len(),
            Body::Sheet { range, first, .. } => range.height().saturating_sub(*first),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's own row number (header row counted, first row = 1).
    pub fn row_number(&self, i: usize) -> usize {
        match &self.body {
            Body::Csv(flat) => flat.row_number(i),
            Body::Sheet {
                first_row_number, ..
            } => first_row_number + i,
        }
    }

    pub fn cell(&self, i: usize, col: usize) -> Cell<'_> {
        match &self.body {
            Body::Csv(flat) => match flat.field(i, col) {
                Some(s) if !s.trim().is_empty() => Cell::Text(s),
                _ => Cell::Empty,
            },
            Body::Sheet { range, first, .. } => range
                .get((first + i, col))
                .map(Cell::from)
                .unwrap_or(Cell::Empty),
        }
    }

    /// A blank sheet row (Excel keeps formatted empty rows; blank CSV rows
    /// were already left out while reading).
    pub fn is_blank(&self, i: usize) -> bool {
        match &self.body {
            Body::Csv(_) => false,
            Body::Sheet { .. } => (0..self.headers.len()).all(|c| self.cell(i, c).is_empty()),
        }
    }

    /// Hash of the whole row as written, for exact-duplicate detection
    /// (equal hashes are then confirmed with [`Table::same_row`]).
    pub fn row_hash(&self, i: usize, state: &impl std::hash::BuildHasher) -> u64 {
        match &self.body {
            // A CSV row's fields sit in one buffer: hash it whole.
            Body::Csv(flat) => state.hash_one(flat.key(i).0),
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
            Body::Csv(flat) => {
                let ((ta, ea), (tb, eb)) = (flat.key(a), flat.key(b));
                // Same text and same field lengths (offsets differ by a constant).
                ta == tb
                    && ea.len() == eb.len()
                    && ea
                        .windows(2)
                        .zip(eb.windows(2))
                        .all(|(x, y)| x[1] - x[0] == y[1] - y[0])
            }
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
