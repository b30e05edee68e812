//! Writing a result table as CSV or JSON for the command line and exports:
//! nulls become empty CSV fields (JSON null), numbers keep full precision.

use polars::prelude::*;
use std::io::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
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

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn write(df: &DataFrame, format: Format, out: &mut dyn Write) -> anyhow::Result<()> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let columns = df.columns();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&names)?;
            for i in 0..df.height() {
                let row: Vec<String> = columns
                    .iter()
                    .map(|c| text(&cell(c.get(i).unwrap_or(AnyValue::Null))))
                    .collect();
                w.write_record(&row)?;
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
    }
    Ok(())
}
