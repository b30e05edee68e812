//! `keel census check`: what the DfE will publish from a return (each
//! published measure as it rounds it), beside Keel's own September figures
//! from the workspace, and the records that explain where they differ.
//! Nothing is stored: the workspace is only read.

use super::Return;
use crate::metrics::census::{self as c, PUBLISHED};
use crate::metrics::{GroupKind, definitions as def};
use crate::month::Month;
use crate::workspace::{Workspace, pseudo};
use polars::prelude::*;

/// One published measure: the return's figure as the DfE rounds it, and
/// Keel's from its September data.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MeasureRow {
    pub measure: &'static str,
    #[serde(rename = "return")]
    pub from_return: Option<f64>,
    pub keel: Option<f64>,
    pub difference: Option<f64>,
}

/// A record (or a worker Keel holds) behind a difference.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Explained {
    /// The return's record, where it has one.
    pub record: Option<usize>,
    pub line: Option<u64>,
    pub swe: Option<String>,
    /// Keel's pseudonym, for a worker the return lacks.
    pub worker: Option<String>,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report {
    pub year: i32,
    pub la_code: Option<String>,
    pub records: usize,
    /// Whether the workspace holds the September snapshot to compare with.
    pub september_held: bool,
    pub measures: Vec<MeasureRow>,
    pub explained: Vec<Explained>,
}

/// FTE differences below this are rounding, not a record to fix.
const FTE_SAME: f64 = 0.0005;

/// Compare a validated return with the workspace (if any).
pub fn compare(ret: &Return, ws: Option<&Workspace>) -> Result<Report, crate::workspace::Error> {
    let frame = super::records::frame(ret)?;
    let figures = c::published_figures(&frame)?;
    let month = ret.month();
    let inputs = match ws {
        Some(ws) => ws.inputs()?,
        None => None,
    };
    let held = inputs.as_ref().is_some_and(|i| {
        i.workforce
            .column("month")
            .ok()
            .and_then(|m| m.i32().ok().map(|m| m.iter().any(|v| v == Some(month.0))))
            .unwrap_or(false)
    });
    let keel = match (&inputs, ws) {
        (Some(i), Some(ws)) if held => Some(september(i, ws, month)?),
        _ => None,
    };
    let measures = PUBLISHED
        .iter()
        .zip(&figures)
        .map(|(p, v)| {
            let from_return = v.map(|v| c::dfe_round(v, p.whole));
            let keel_value = keel.as_ref().and_then(|k| k.get(p.name).copied().flatten());
            MeasureRow {
                measure: p.name,
                from_return,
                keel: keel_value,
                difference: match (v, keel_value) {
                    (Some(a), Some(b)) => Some(a - b),
                    _ => None,
                },
            }
        })
        .collect();
    let explained = match (inputs, ws) {
        (Some(i), Some(ws)) if held => explain(ret, &frame, &i, ws)?,
        _ => vec![],
    };
    Ok(Report {
        year: ret.year,
        la_code: ret.la_code.clone(),
        records: ret.records.len(),
        september_held: held,
        measures,
        explained,
    })
}

/// Keel's figures for the published measures, by the DfE's names: the
/// September row of the whole service, and the year's starters and
/// leavers added up over its twelve months when all are held.
fn september(
    inputs: &crate::metrics::Inputs,
    ws: &Workspace,
    month: Month,
) -> PolarsResult<std::collections::HashMap<&'static str, Option<f64>>> {
    let table = crate::metrics::compute_kinds(inputs, ws.settings().limits(), &[GroupKind::All])?;
    let label = month.to_string();
    let first = (month - 11).to_string();
    let year = table.clone().lazy().filter(
        col("month")
            .gt_eq(lit(first))
            .and(col("month").lt_eq(lit(label.clone()))),
    );
    let sept = table.lazy().filter(col("month").eq(lit(label))).collect()?;
    let year = year
        .select([
            len().alias("months"),
            col("starters_fte").sum(),
            col("starters_headcount").sum().cast(DataType::Float64),
            col("leavers_headcount").sum().cast(DataType::Float64),
        ])
        .collect()?;
    let value = |df: &DataFrame, name: &str| -> Option<f64> {
        df.column(name)
            .ok()?
            .cast(&DataType::Float64)
            .ok()?
            .f64()
            .ok()?
            .get(0)
    };
    let whole_year = value(&year, "months") == Some(12.0);
    let mut out = std::collections::HashMap::new();
    for p in PUBLISHED {
        let v = match p.keel {
            Some(m) => value(&sept, m.name()),
            None if whole_year
                && matches!(
                    p.name,
                    "starters_fte" | "starters_headcount" | "leavers_headcount"
                ) =>
            {
                value(&year, p.name)
            }
            None => None,
        };
        out.insert(p.name, v);
    }
    Ok(out)
}

/// The records behind the differences: posts in the return and not in
/// Keel's September snapshot, or the other way round; FTE or employment
/// differing; leavers Keel holds that the return lacks.
fn explain(
    ret: &Return,
    frame: &DataFrame,
    inputs: &crate::metrics::Inputs,
    ws: &Workspace,
) -> Result<Vec<Explained>, crate::workspace::Error> {
    let mut frame = frame.clone();
    if ws.settings().pseudonymise {
        match pseudo::Key::load(ws.root()) {
            Ok(Some(key)) => key.pseudonymise_column(&mut frame, c::WORKER_ID)?,
            // Nothing pseudonymised yet: nothing to match.
            _ => return Ok(vec![]),
        }
    }
    let month = ret.month();
    let snapshot = inputs
        .workforce
        .clone()
        .lazy()
        .filter(col("month").eq(lit(month.0)).and(def::in_post()))
        .group_by_stable([col("worker_id")])
        .agg([
            col("fte").sum().alias("keel_fte"),
            def::employed().any(true).alias("keel_employed"),
            col("team").first().alias("team"),
        ]);
    let in_post = c::in_post();
    let posts = frame
        .clone()
        .lazy()
        .filter(in_post)
        .group_by_stable([col(c::WORKER_ID)])
        .agg([
            c::post_fte().sum().alias("return_fte"),
            col(c::AGENCY).not().any(true).alias("return_employed"),
            col(c::RECORD).first().alias("record"),
        ]);
    let both = posts
        .clone()
        .join(
            snapshot.clone(),
            [col(c::WORKER_ID)],
            [col("worker_id")],
            JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .sort(
            ["record"],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()?;
    let by_position = |pos: Option<i64>| {
        pos.and_then(|p| ret.records.get(usize::try_from(p).ok()?.checked_sub(1)?))
    };
    let ids = both.column(c::WORKER_ID)?.str()?.clone();
    let record = both.column("record")?.i64()?.clone();
    let rf = both.column("return_fte")?.f64()?.clone();
    let kf = both.column("keel_fte")?.f64()?.clone();
    let re = both.column("return_employed")?.bool()?.clone();
    let ke = both.column("keel_employed")?.bool()?.clone();
    let team = both.column("team")?.str()?.clone();
    let word = |employed: bool| if employed { "employed" } else { "agency" };
    let mut out = Vec::new();
    for i in 0..both.height() {
        let rec = by_position(record.get(i));
        let from = |detail: String| match rec {
            Some(r) => Explained {
                record: Some(r.position),
                line: Some(r.line),
                swe: Some(r.swe.clone()),
                worker: None,
                detail,
            },
            None => Explained {
                record: None,
                line: None,
                swe: None,
                worker: ids.get(i).map(str::to_string),
                detail,
            },
        };
        match (rf.get(i), kf.get(i)) {
            (Some(_), None) => out.push(from(
                "in post on 30 September in the return, not in Keel's September snapshot".into(),
            )),
            (None, Some(k)) => out.push(from(format!(
                "in Keel's September snapshot ({}, team {}, FTE {k}), not in post in the return",
                word(ke.get(i).unwrap_or(true)),
                team.get(i).unwrap_or("-")
            ))),
            (Some(r), Some(k)) => {
                if (r - k).abs() > FTE_SAME {
                    out.push(from(format!(
                        "FTE {r} in the return, {k} in Keel's September snapshot"
                    )));
                }
                if let (Some(a), Some(b)) = (re.get(i), ke.get(i))
                    && a != b
                {
                    out.push(from(format!(
                        "{} in the return, {} in Keel's September snapshot",
                        word(a),
                        word(b)
                    )));
                }
            }
            (None, None) => {}
        }
    }

    // Leaves Keel holds in the census year (the contract's leaves, as the
    // metrics count them) for which the return has no leaving record.
    let leaves = def::recorded_leaves(
        inputs.workforce.clone().lazy(),
        inputs.leavers.clone().map(DataFrame::lazy),
    )?
    .filter(super::in_census_year(ret.year, col("leave_date")));
    let returned = frame
        .lazy()
        .filter(col(c::LEAVE_DATE).is_not_null())
        .select([col(c::WORKER_ID).alias("worker_id")]);
    let missing = leaves
        .group_by_stable([col("worker_id")])
        .agg([col("leave_date").min()])
        .join(
            returned,
            [col("worker_id")],
            [col("worker_id")],
            JoinArgs::new(JoinType::Anti),
        )
        .sort(["leave_date", "worker_id"], Default::default())
        .collect()?;
    let ids = missing.column("worker_id")?.str()?.clone();
    let dates = missing.column("leave_date")?.cast(&DataType::String)?;
    let dates = dates.str()?;
    for i in 0..missing.height() {
        out.push(Explained {
            record: None,
            line: None,
            swe: None,
            worker: ids.get(i).map(str::to_string),
            detail: format!(
                "left on {} in Keel's data; the return has no leaving record for them",
                dates.get(i).unwrap_or("-")
            ),
        });
    }
    Ok(out)
}
