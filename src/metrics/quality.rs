//! The data-quality report: per month, the things the metrics had to
//! work around, so nobody quotes a number without knowing its footing.

use super::engine::frames::{Prepared, prepare};
use super::{GroupKind, Inputs, Limits};
use crate::month::Month;
use polars::prelude::*;

/// One finding: (month or "all", check, count, what it means).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Finding {
    pub month: Option<Month>,
    pub check: &'static str,
    pub count: u64,
    pub detail: String,
}

/// One worker behind a count of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingRow {
    pub check: &'static str,
    pub month: Month,
    /// As stored: a pseudonym unless pseudonymisation was turned off.
    pub worker_id: String,
    pub team: String,
}

/// The workers behind `month`'s per-worker findings (inferred leavers, two
/// posts, no qualification date, no supervision on record): one row per
/// worker and check, as the counts count them, by check then worker.
pub fn rows(inputs: &Inputs, limits: Limits, month: Month) -> PolarsResult<Vec<FindingRow>> {
    let p = prepare(inputs, limits)?;
    let at = p.in_post.clone().filter(col("month").eq(lit(month.0)));
    let first_team = |lf: LazyFrame| lf.group_by([col("wid")]).agg([col("team_c").first()]);
    let checks: [(&'static str, LazyFrame); 4] = [
        (
            "inferred_leavers",
            p.leaves()?
                .filter(col("inferred").and(col("month").eq(lit(month.0))))
                .select([col("wid"), col("team_c")]),
        ),
        (
            "two_posts",
            at.clone()
                .group_by([col("wid")])
                .agg([col("team_c").first(), len().alias("posts")])
                .filter(col("posts").gt(lit(1)))
                .select([col("wid"), col("team_c")]),
        ),
        (
            "no_qualification_date",
            first_team(
                at.clone().filter(
                    col("employed")
                        .and(col("qual").is_null())
                        .and(col("asye").is_null()),
                ),
            ),
        ),
        (
            "no_supervision_on_record",
            first_team(at.filter(col("holder").and(col("latest_sup").is_null()))),
        ),
    ];
    // Any snapshot row of a worker gives their identifier; the team is the
    // finding's own.
    let row_of = p
        .in_post
        .clone()
        .group_by([col("wid")])
        .agg([col("rid").first()]);
    let teams = p
        .names
        .clone()
        .lazy()
        .select([col("code").alias("team_c"), col("name").alias("team")]);
    let ids = inputs.workforce.column("worker_id")?;
    let mut out = Vec::new();
    for (check, lf) in checks {
        let df = lf
            .join(
                row_of.clone(),
                [col("wid")],
                [col("wid")],
                JoinArgs::new(JoinType::Inner),
            )
            .join(
                teams.clone(),
                [col("team_c")],
                [col("team_c")],
                JoinArgs::new(JoinType::Left),
            )
            .select([col("rid"), col("team")])
            .collect()?;
        let rid: Vec<IdxSize> = df
            .column("rid")?
            .cast(&IDX_DTYPE)?
            .idx()?
            .into_no_null_iter()
            .collect();
        let taken = ids.take(&IdxCa::from_vec("rid".into(), rid))?;
        let taken = taken.str()?;
        let team = df.column("team")?.str()?;
        let mut found: Vec<FindingRow> = (0..df.height())
            .map(|i| FindingRow {
                check,
                month,
                worker_id: taken.get(i).unwrap_or_default().to_string(),
                team: team.get(i).unwrap_or_default().to_string(),
            })
            .collect();
        found.sort_by(|a, b| a.worker_id.cmp(&b.worker_id));
        out.extend(found);
    }
    Ok(out)
}

fn per_month(lf: LazyFrame, check: &'static str, detail: &str) -> PolarsResult<Vec<Finding>> {
    let df = lf
        .group_by([col("month")])
        .agg([len().alias("n")])
        .sort(["month"], Default::default())
        .collect()?;
    let months = df.column("month")?.i32()?.clone();
    let n = df.column("n")?.cast(&DataType::UInt64)?;
    let n = n.u64()?;
    Ok(months
        .iter()
        .zip(n.iter())
        .filter_map(|(m, n)| {
            Some(Finding {
                month: Some(Month(m?)),
                check,
                count: n?,
                detail: detail.to_string(),
            })
        })
        .filter(|f| f.count > 0)
        .collect())
}

/// The metrics of the group kinds given (as `metrics::compute_kinds`
/// returns them) and the data-quality report, from one preparation of the
/// inputs: callers that need both skip the costliest half of doing either
/// twice. `stored_warnings`: `Workspace::stored_warnings`.
pub fn metrics_and_report(
    inputs: &Inputs,
    limits: Limits,
    kinds: &[GroupKind],
    stored_warnings: &[(Vec<Month>, String)],
) -> PolarsResult<(DataFrame, Vec<Finding>)> {
    let p = prepare(inputs, limits)?;
    let df = super::engine::compute_prepared(&p, kinds)?;
    Ok((df, report_prepared(&p, stored_warnings)?))
}

pub fn report(
    inputs: &Inputs,
    limits: Limits,
    stored_warnings: &[(Vec<Month>, String)],
) -> PolarsResult<Vec<Finding>> {
    report_prepared(&prepare(inputs, limits)?, stored_warnings)
}

fn report_prepared(
    p: &Prepared,
    stored_warnings: &[(Vec<Month>, String)],
) -> PolarsResult<Vec<Finding>> {
    let mut out = Vec::new();
    out.extend(per_month(
        p.leaves()?.filter(col("inferred")),
        "inferred_leavers",
        "workers in post last month, on no snapshot row this month, with no leave recorded: counted as leavers; import a leavers report to confirm",
    )?);
    out.extend(per_month(
        p.multi.clone().lazy().select([col("wm")
            .floor_div(lit(super::engine::frames::MONTH_SHIFT))
            .cast(DataType::Int32)
            .alias("month")]),
        "two_posts",
        "workers with more than one post on the snapshot: both count for FTE, the person once for headcount",
    )?);
    out.extend(per_month(
        p.in_post
            .clone()
            .filter(col("employed").and(col("qual").is_null()).and(col("asye").is_null()))
            .select([col("month"), col("wid")])
            .unique(None, UniqueKeepStrategy::Any),
        "no_qualification_date",
        "employed workers with neither a qualification date nor an ASYE flag: they cannot count as newly qualified or early career",
    )?);
    out.extend(per_month(
        p.in_post
            .clone()
            .filter(col("holder").and(col("latest_sup").is_null()))
            .select([col("month"), col("wid")])
            .unique(None, UniqueKeepStrategy::Any),
        "no_supervision_on_record",
        "case holders with no supervision on record: counted as not supervised within their interval",
    )?);
    if p.establishment.is_some() {
        let with_est = super::engine::frames::establishment_teams(p)?;
        out.extend(per_month(
            p.in_post
                .clone()
                .filter(col("employed"))
                .select([col("month"), col("team_c")])
                .unique(None, UniqueKeepStrategy::Any)
                .join(with_est, [col("team_c"), col("month")], [col("team_c"), col("month")], JoinArgs::new(JoinType::Anti)),
            "establishment_missing",
            "teams with staff but no establishment in force: left out of establishment and vacancies",
        )?);
    } else {
        out.push(Finding {
            month: None,
            check: "establishment_missing",
            count: 0,
            detail: "no establishment file imported: establishment and vacancy measures are empty"
                .into(),
        });
    }
    let held: Vec<i32> = p
        .months
        .clone()
        .select([col("month")])
        .collect()?
        .column("month")?
        .i32()?
        .iter()
        .flatten()
        .collect();
    if let (Some(first), Some(last)) = (held.first(), held.last()) {
        for m in *first..=*last {
            if !held.contains(&m) {
                out.push(Finding {
                    month: Some(Month(m)),
                    check: "month_missing",
                    count: 1,
                    detail: "no workforce snapshot for this month: turnover and stability that need it are empty".into(),
                });
            }
        }
    }
    for (months, reason) in stored_warnings {
        if reason.contains("exact duplicate") {
            out.push(Finding {
                month: (months.len() == 1).then(|| months[0]),
                check: "duplicates_dropped",
                count: 1,
                detail: reason.clone(),
            });
        }
    }
    out.sort_by(|a, b| (a.month, a.check).cmp(&(b.month, b.check)));
    // Duplicates are reported one per row; fold them into one line per month.
    out.dedup_by(|b, a| {
        if a.check == "duplicates_dropped" && a.check == b.check && a.month == b.month {
            a.count += b.count;
            a.detail = "exact duplicate rows dropped at import".into();
            true
        } else {
            false
        }
    });
    Ok(out)
}
