//! The team manager's list: at one month, the case holders above their
//! caseload limit and those overdue supervision, by (pseudonymised)
//! identifier. Worked out from the same in-post rows as the metrics, so the
//! list and `over_limit_headcount` / `supervision_compliance_pct` agree.
//! Never shown in meeting mode or reports.

use super::engine::frames;
use super::{Inputs, Limits, definitions};
use crate::month::Month;
use polars::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Attention {
    /// As stored: a pseudonym unless pseudonymisation was turned off.
    pub worker_id: String,
    pub team: String,
    pub role: Option<String>,
    pub caseload: f64,
    pub limit: f64,
    pub over_limit: bool,
    /// Days from the latest supervision to the snapshot; `None` when there
    /// is none on record.
    pub days_since_supervision: Option<i32>,
    /// The interval this worker is due within (7, 14 or 31 days).
    pub interval: i32,
    pub overdue: bool,
}

/// Case holders over their limit or overdue supervision at `month`, in
/// `team` (or every team), most overdue first.
pub fn needing_attention(
    inputs: &Inputs,
    limits: Limits,
    month: Month,
    team: Option<&str>,
) -> PolarsResult<Vec<Attention>> {
    let p = frames::prepare(inputs, limits)?;
    let pred = col("month")
        .eq(lit(month.0))
        .and(col("holder"))
        .and(col("over").or(col("supervised").not()));
    let mut rows = p.in_post.filter(pred).join(
        p.names
            .clone()
            .lazy()
            .select([col("code").alias("team_c"), col("name").alias("team")]),
        [col("team_c")],
        [col("team_c")],
        JoinArgs::new(JoinType::Left),
    );
    if let Some(t) = team {
        rows = rows.filter(col("team").eq(lit(t)));
    }
    let rows = rows
        .select([
            col("rid"),
            col("team"),
            col("caseload"),
            col("nqsw"),
            col("over"),
            col("supervised"),
            (col("snap") - col("latest_sup")).alias("days"),
            col("interval"),
        ])
        .collect()?;
    let rid: Vec<IdxSize> = rows
        .column("rid")?
        .cast(&IDX_DTYPE)?
        .idx()?
        .into_no_null_iter()
        .collect();
    let take = IdxCa::from_vec("rid".into(), rid);
    let ids = inputs.workforce.column("worker_id")?.take(&take)?;
    let ids = ids.str()?;
    let roles = match inputs.workforce.column("role") {
        Ok(c) => Some(c.take(&take)?.str()?.clone()),
        Err(_) => None,
    };
    let text = |c: &str| -> PolarsResult<StringChunked> { Ok(rows.column(c)?.str()?.clone()) };
    let num = |c: &str| -> PolarsResult<Float64Chunked> {
        Ok(rows.column(c)?.cast(&DataType::Float64)?.f64()?.clone())
    };
    let flag = |c: &str| -> PolarsResult<BooleanChunked> { Ok(rows.column(c)?.bool()?.clone()) };
    let int = |c: &str| -> PolarsResult<Int32Chunked> {
        Ok(rows.column(c)?.cast(&DataType::Int32)?.i32()?.clone())
    };
    let (teams, cases, nqsw, over, supervised, days, interval) = (
        text("team")?,
        num("caseload")?,
        flag("nqsw")?,
        flag("over")?,
        flag("supervised")?,
        int("days")?,
        int("interval")?,
    );
    let mut out: Vec<Attention> = (0..rows.height())
        .map(|i| Attention {
            worker_id: ids.get(i).unwrap_or_default().to_string(),
            team: teams.get(i).unwrap_or_default().to_string(),
            role: roles.as_ref().and_then(|r| r.get(i)).map(str::to_string),
            caseload: cases.get(i).unwrap_or(0.0),
            limit: if nqsw.get(i).unwrap_or(false) {
                limits.nqsw
            } else {
                limits.standard
            },
            over_limit: over.get(i).unwrap_or(false),
            days_since_supervision: days.get(i),
            interval: interval.get(i).unwrap_or(definitions::STANDARD_INTERVAL),
            overdue: !supervised.get(i).unwrap_or(false),
        })
        .collect();
    // Never supervised first, then the longest since, then the heaviest
    // caseloads.
    out.sort_by(|a, b| {
        let key = |x: &Attention| {
            x.days_since_supervision
                .map_or(i32::MAX, |d| d - x.interval)
        };
        key(b)
            .cmp(&key(a))
            .then(b.caseload.total_cmp(&a.caseload))
            .then(a.worker_id.cmp(&b.worker_id))
    });
    Ok(out)
}
