//! The metrics table as CSV or Excel, for HR's own analysis. Exports keep
//! every figure (they are working data for the people who already hold the
//! extracts, not meeting material) and carry the contract's columns only.

use super::Error;
use crate::metrics::GroupKind;
use polars::prelude::*;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn of(path: &Path) -> Result<ExportFormat, Error> {
        match super::extension(path).as_deref() {
            Some("csv") => Ok(ExportFormat::Csv),
            Some("xlsx") => Ok(ExportFormat::Xlsx),
            _ => Err(Error::ExportFormat(path.to_path_buf())),
        }
    }
}

/// Rows of the chosen group kinds (all kinds when none is given).
pub fn rows(all: &DataFrame, kind: Option<GroupKind>) -> Result<DataFrame, Error> {
    let kinds = match kind {
        Some(k) => vec![k],
        None => vec![GroupKind::All, GroupKind::Service, GroupKind::Team],
    };
    Ok(crate::metrics::select(all, &kinds, None, None)?)
}

pub fn write(df: &DataFrame, path: &Path) -> Result<(), Error> {
    let bytes = match ExportFormat::of(path)? {
        ExportFormat::Csv => {
            let mut out = Vec::new();
            crate::table_out::write(df, crate::table_out::Format::Csv, &mut out)?;
            out
        }
        ExportFormat::Xlsx => xlsx(df).map_err(Error::Workbook)?,
    };
    super::write_file(path, &bytes)
}

/// Why the Excel workbook could not be built.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error(transparent)]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    Data(#[from] PolarsError),
    /// More rows or columns than a worksheet holds.
    #[error(transparent)]
    Size(#[from] std::num::TryFromIntError),
}

fn xlsx(df: &DataFrame) -> Result<Vec<u8>, WorkbookError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("metrics")?;
    let bold = Format::new().set_bold();
    for (c, column) in df.columns().iter().enumerate() {
        let c = u16::try_from(c)?;
        let name = column.name().as_str();
        sheet.write_string_with_format(0, c, name, &bold)?;
        sheet.set_column_width(c, (name.len() as f64 + 2.0).max(10.0))?;
        let series = column.as_materialized_series();
        if series.dtype().is_primitive_numeric() {
            let values = series.cast(&DataType::Float64)?;
            for (r, v) in values.f64()?.iter().enumerate() {
                // Nulls stay empty cells, never zeros.
                if let Some(v) = v.filter(|v| v.is_finite()) {
                    sheet.write_number(u32::try_from(r + 1)?, c, v)?;
                }
            }
        } else {
            let values = series.cast(&DataType::String)?;
            for (r, v) in values.str()?.iter().enumerate() {
                if let Some(v) = v {
                    sheet.write_string(u32::try_from(r + 1)?, c, v)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 3)?;
    Ok(book.save_to_buffer()?)
}
