//! England's national headline series, shipped with Keel so the England
//! line is on every chart before any benchmark file is imported.
//!
//! `assets/england_csww.csv` holds the National rows of the DfE's
//! "Children's social work workforce" indicators, 2017–2025 (reporting
//! years to 30 September; Open Government Licence v3.0). A test checks it
//! against the DfE file whenever that file is available.

use polars::prelude::*;

const ENGLAND: &str = include_str!("../../assets/england_csww.csv");

/// (year, measure, value) rows.
pub fn series() -> Vec<(i32, String, f64)> {
    ENGLAND
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut p = l.split(',');
            let year = p.next()?.parse().ok()?;
            let measure = p.next()?.to_string();
            let value = p.next()?.parse().ok()?;
            Some((year, measure, value))
        })
        .collect()
}

/// The shipped series in the long benchmark shape.
pub fn frame() -> PolarsResult<DataFrame> {
    let rows = series();
    let n = rows.len();
    DataFrame::new(
        n,
        vec![
            Column::new(
                "year".into(),
                rows.iter().map(|r| r.0).collect::<Vec<i32>>(),
            ),
            Column::new("level".into(), vec!["national"; n]),
            Column::new("area_code".into(), vec!["E92000001"; n]),
            Column::new("area_name".into(), vec!["England"; n]),
            Column::new("region_code".into(), vec![None::<&str>; n]),
            Column::new("region_name".into(), vec![None::<&str>; n]),
            Column::new("old_la_code".into(), vec![None::<&str>; n]),
            Column::new(
                "measure".into(),
                rows.iter().map(|r| r.1.as_str()).collect::<Vec<&str>>(),
            ),
            Column::new(
                "value".into(),
                rows.iter().map(|r| Some(r.2)).collect::<Vec<Option<f64>>>(),
            ),
            Column::new("code".into(), vec![None::<&str>; n]),
        ],
    )
}

/// The latest England figure for a measure, for KPI tiles and reports.
pub fn latest(measure: &str) -> Option<(i32, f64)> {
    series()
        .into_iter()
        .filter(|r| r.1 == measure)
        .max_by_key(|r| r.0)
        .map(|r| (r.0, r.2))
}
