//! Helpers shared by the integration tests.

use keel::extract::{Extract, ReadOptions, Rejected, read_extract};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub fn opts() -> ReadOptions<'static> {
    ReadOptions {
        today: today(),
        ..Default::default()
    }
}

/// Write `text` as a file named `name` in `dir`.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn read_ok(path: &Path, o: &ReadOptions) -> Extract {
    match read_extract(path, o) {
        Ok(e) => e,
        Err(r) => panic!(
            "expected {} to import, got errors: {:#?}",
            path.display(),
            r.errors
        ),
    }
}

pub fn read_err(path: &Path, o: &ReadOptions) -> Rejected {
    match read_extract(path, o) {
        Ok(e) => panic!(
            "expected {} to be rejected, it read {} rows",
            path.display(),
            e.data.height()
        ),
        Err(r) => r,
    }
}

pub fn keel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keel"))
        .args(args)
        .env_remove("KEEL_WORKSPACE")
        .output()
        .expect("run keel")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A small valid workforce snapshot for `month_end` (dd/mm/yyyy) with the
/// given worker ids, all permanent 1.0 FTE in team "Assessment".
pub fn snapshot_csv(month_end: &str, ids: &[&str]) -> String {
    let mut s = String::from("Employee Number,Team,FTE,Contract Type,Extract Date\n");
    for id in ids {
        s.push_str(&format!("{id},Assessment,1.0,Permanent,{month_end}\n"));
    }
    s
}

/// Column `name` of a frame as optional strings.
pub fn strings(df: &polars::prelude::DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

pub fn floats(df: &polars::prelude::DataFrame, name: &str) -> Vec<Option<f64>> {
    df.column(name).unwrap().f64().unwrap().iter().collect()
}

/// Dates of a column as ISO strings.
pub fn dates(df: &polars::prelude::DataFrame, name: &str) -> Vec<Option<String>> {
    let days = df
        .column(name)
        .unwrap()
        .cast(&polars::prelude::DataType::Int32)
        .unwrap();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    days.i32()
        .unwrap()
        .iter()
        .map(|d| d.map(|d| (epoch + chrono::Duration::days(d as i64)).to_string()))
        .collect()
}
