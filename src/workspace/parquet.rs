//! Writing a frame to Parquet on every core. polars' `ParquetWriter`
//! encodes a row group's columns in parallel but compresses their pages
//! one after another while writing, so most of a large import's write ran
//! on one core. Here each (row group, column) pair is encoded and
//! compressed as its own task, and the finished pages are written in
//! order. Row groups, encodings, statistics and compression are polars'
//! defaults, so the file is the one `ParquetWriter::finish` writes.

use polars::prelude::*;
use polars_io::parquet::write::{ParquetCompression, StatisticsOptions, get_encodings};
use polars_io::prelude::ParquetWriter;
use polars_parquet::write::{CompressedPage, Compressor, Version, WriteOptions, array_to_columns};
use rayon::prelude::*;
use std::io::Write;

/// Rows per row group: polars' default.
const ROW_GROUP: usize = 512 * 512;

pub fn write<W: Write>(out: W, df: &mut DataFrame) -> PolarsResult<u64> {
    let chunked = polars::frame::chunk_df_for_writing(df, ROW_GROUP)?;
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: ParquetCompression::default().into(),
        version: Version::V1,
        data_page_size: None,
    };
    let arrow_schema = chunked.schema().to_arrow(CompatLevel::newest());
    let encodings = get_encodings(&arrow_schema);
    let mut writer = ParquetWriter::new(out).batched(chunked.schema())?;
    let fields = writer.parquet_schema().fields().to_vec();
    let batches: Vec<_> = chunked
        .iter_chunks(CompatLevel::newest(), false)
        .filter(|b| !b.is_empty())
        .collect();
    let width = fields.len();
    let tasks: Vec<(usize, usize)> = (0..batches.len())
        .flat_map(|g| (0..width).map(move |c| (g, c)))
        .collect();
    let encoded: Vec<Vec<Vec<CompressedPage>>> = tasks
        .into_par_iter()
        .map(|(g, c)| {
            let columns = array_to_columns(
                &batches[g].columns()[c],
                fields[c].clone(),
                options,
                &encodings[c],
            )?;
            columns
                .into_iter()
                .map(|pages| {
                    Compressor::new_from_vec(
                        pages.map(|p| {
                            p.map_err(|e| {
                                polars_parquet::read::ParquetError::FeatureNotSupported(format!(
                                    "reraised in polars: {e}"
                                ))
                            })
                        }),
                        options.compression,
                        vec![],
                    )
                    .collect::<Result<Vec<CompressedPage>, _>>()
                    .map_err(PolarsError::from)
                })
                .collect::<PolarsResult<Vec<_>>>()
        })
        .collect::<PolarsResult<_>>()?;
    let mut encoded = encoded.into_iter();
    for batch in &batches {
        let columns: Vec<Vec<CompressedPage>> = encoded.by_ref().take(width).flatten().collect();
        writer.write_row_group(batch.len() as u64, &columns)?;
    }
    writer.finish()
}
