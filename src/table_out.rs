//! Writing a result table as CSV, JSON or aligned text for the command line
//! and exports: nulls become empty CSV fields (JSON null, blank text),
//! numbers keep full precision, and a cell's text is the same in all three.

use polars::prelude::*;
use std::io::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    /// Columns aligned for reading in a terminal (numbers to the right).
    Text,
}

fn cell(v: AnyValue) -> serde_json::Value {
    match v {
        AnyValue::Null => serde_json::Value::Null,
        AnyValue::Boolean(b) => b.into(),
        AnyValue::String(s) => s.into(),
        AnyValue::StringOwned(s) => s.to_string().into(),
        AnyValue::Float64(f) if f.is_finite() => f.into(),
        AnyValue::Float32(f) if f.is_finite() => (f as f64).into(),
        AnyValue::Int32(i) => i.into(),
        AnyValue::Int64(i) => i.into(),
        AnyValue::UInt32(i) => i.into(),
        AnyValue::UInt64(i) => i.into(),
        AnyValue::Float64(_) | AnyValue::Float32(_) => serde_json::Value::Null,
        other => other.to_string().into(),
    }
}

/// A cell as CSV text: the same text as its JSON value, a null empty.
fn csv_field(v: AnyValue, out: &mut String) {
    use std::fmt::Write as _;
    match v {
        AnyValue::Null => {}
        AnyValue::Boolean(b) => out.push_str(if b { "true" } else { "false" }),
        AnyValue::String(s) => out.push_str(s),
        AnyValue::Float64(f) if f.is_finite() => out.push_str(ryu::Buffer::new().format_finite(f)),
        AnyValue::Float32(f) if f.is_finite() => {
            out.push_str(ryu::Buffer::new().format_finite(f as f64))
        }
        AnyValue::Float64(_) | AnyValue::Float32(_) => {}
        AnyValue::Int32(i) => write!(out, "{i}").expect("a String takes any text"),
        AnyValue::Int64(i) => write!(out, "{i}").expect("a String takes any text"),
        AnyValue::UInt32(i) => write!(out, "{i}").expect("a String takes any text"),
        AnyValue::UInt64(i) => write!(out, "{i}").expect("a String takes any text"),
        other => out.push_str(&text(&cell(other))),
    }
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Why a table could not be written: the writer's own error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// The reader went away (`keel metrics | head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        let broken = |e: &std::io::Error| e.kind() == std::io::ErrorKind::BrokenPipe;
        match self {
            Error::Io(e) => broken(e),
            Error::Csv(e) => matches!(e.kind(), csv::ErrorKind::Io(e) if broken(e)),
            Error::Json(e) => e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe),
        }
    }
}

pub fn write(df: &DataFrame, format: Format, out: &mut dyn Write) -> Result<(), Error> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let columns = df.columns();
    match format {
        Format::Csv => {
            // One chunk per column, so reading a cell is an index, not a
            // search; and each field is formatted into one reused buffer:
            // national tables have millions of cells.
            let mut df = df.clone();
            df.rechunk_mut_par();
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&names)?;
            let mut field = String::new();
            for i in 0..df.height() {
                for c in df.columns() {
                    field.clear();
                    csv_field(c.get(i).unwrap_or(AnyValue::Null), &mut field);
                    w.write_field(&field)?;
                }
                w.write_record(None::<&[u8]>)?;
            }
            w.flush()?;
        }
        Format::Json => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = (0..df.height())
                .map(|i| {
                    names
                        .iter()
                        .zip(columns)
                        .map(|(n, c)| (n.clone(), cell(c.get(i).unwrap_or(AnyValue::Null))))
                        .collect()
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
        Format::Text => {
            let cells: Vec<Vec<String>> = columns
                .iter()
                .map(|c| {
                    (0..df.height())
                        .map(|i| {
                            let mut field = String::new();
                            csv_field(c.get(i).unwrap_or(AnyValue::Null), &mut field);
                            // One line per row: a cell's line breaks read as spaces.
                            field.replace(['\n', '\r'], " ")
                        })
                        .collect()
                })
                .collect();
            let width = |s: &str| s.chars().count();
            let widths: Vec<usize> = names
                .iter()
                .zip(&cells)
                .map(|(n, col)| {
                    col.iter()
                        .map(|s| width(s))
                        .chain([width(n)])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let right: Vec<bool> = columns
                .iter()
                .map(|c| c.dtype().is_primitive_numeric())
                .collect();
            let line = |out: &mut dyn Write, row: &[&str]| -> std::io::Result<()> {
                let mut text = String::new();
                for (j, cell) in row.iter().enumerate() {
                    if j > 0 {
                        text.push_str("  ");
                    }
                    let pad = " ".repeat(widths[j] - width(cell));
                    if right[j] {
                        text.push_str(&pad);
                        text.push_str(cell);
                    } else {
                        text.push_str(cell);
                        text.push_str(&pad);
                    }
                }
                writeln!(out, "{}", text.trim_end())
            };
            line(out, &names.iter().map(String::as_str).collect::<Vec<_>>())?;
            for i in 0..df.height() {
                let row: Vec<&str> = cells.iter().map(|c| c[i].as_str()).collect();
                line(out, &row)?;
            }
        }
    }
    Ok(())
}
