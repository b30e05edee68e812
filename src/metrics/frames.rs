//! The row-level frames the metrics aggregate: in-post rows with their
//! flags, leave events (recorded and inferred), the month calendar, team
//! stability pairs and the establishment in force.

use super::{Limits, by_group_month, per_group};
use crate::month::{Month, epoch_days};
use polars::prelude::*;
use std::collections::BTreeMap;

/// The workspace's canonical tables, as loaded for the metrics.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub workforce: DataFrame,
    pub leavers: Option<DataFrame>,
    pub establishment: Option<DataFrame>,
    pub supervision: Option<DataFrame>,
    pub caseload: Option<DataFrame>,
}

impl Inputs {
    /// Everything the workspace holds now; `None` without any snapshot.
    pub fn from_workspace(
        ws: &crate::workspace::Workspace,
    ) -> Result<Option<Inputs>, crate::workspace::Error> {
        use crate::extract::Kind;
        let Some(workforce) = ws.load(Kind::Workforce)? else {
            return Ok(None);
        };
        Ok(Some(Inputs {
            workforce,
            leavers: ws.load(Kind::Leavers)?,
            establishment: ws.load(Kind::Establishment)?,
            supervision: ws.load(Kind::Supervision)?,
            caseload: ws.load(Kind::Caseload)?,
        }))
    }
}

pub(super) struct Prepared {
    pub in_post: LazyFrame,
    pub leaves: LazyFrame,
    pub months: LazyFrame,
    pub team_service: LazyFrame,
    pub establishment: Option<LazyFrame>,
}

fn days(name: &str) -> Expr {
    col(name).cast(DataType::Int32)
}

/// The month index of a day number (`year * 12 + month − 1`).
fn month_of_days(e: Expr) -> Expr {
    let d = e.cast(DataType::Date);
    d.clone().dt().year().cast(DataType::Int32) * lit(12) + d.dt().month().cast(DataType::Int32)
        - lit(1)
}

/// One row per month held: its snapshot day, calendar bounds, weekdays,
/// and which earlier snapshots exist (for the 12-month and m−12 measures).
fn month_table(w: &DataFrame) -> PolarsResult<DataFrame> {
    let months = w.column("month")?.i32()?;
    let snaps = w.column("snapshot_date")?.cast(&DataType::Int32)?;
    let snaps = snaps.i32()?;
    let mut held: BTreeMap<i32, i32> = BTreeMap::new();
    for (m, s) in months.iter().zip(snaps.iter()) {
        if let (Some(m), Some(s)) = (m, s) {
            held.entry(m).or_insert(s);
        }
    }
    let has = |m: i32| held.contains_key(&m);
    let ms: Vec<i32> = held.keys().copied().collect();
    let col_i32 = |name: &str, f: &dyn Fn(i32) -> i32| {
        Column::new(name.into(), ms.iter().map(|m| f(*m)).collect::<Vec<i32>>())
    };
    let col_bool = |name: &str, f: &dyn Fn(i32) -> bool| {
        Column::new(name.into(), ms.iter().map(|m| f(*m)).collect::<Vec<bool>>())
    };
    DataFrame::new(
        ms.len(),
        vec![
            col_i32("month", &|m| m),
            col_i32("snap_day", &|m| held[&m]),
            col_i32("first_day", &|m| epoch_days(Month(m).first_day())),
            col_i32("last_day", &|m| epoch_days(Month(m).last_day())),
            col_i32("weekdays", &|m| Month(m).weekdays() as i32),
            col_bool("prev_held", &|m| has(m - 1)),
            col_bool("prev12_held", &|m| has(m - 12)),
            col_bool("window_complete", &|m| (m - 11..=m).all(has)),
        ],
    )
}

fn with_codes(lf: LazyFrame, codes: &LazyFrame) -> LazyFrame {
    lf.join(
        codes.clone(),
        [col("worker_id")],
        [col("worker_id")],
        JoinArgs::new(JoinType::Left),
    )
}

pub(super) fn prepare(inputs: &Inputs, limits: Limits) -> PolarsResult<Prepared> {
    let months_df = month_table(&inputs.workforce)?;
    let months = months_df.lazy();

    // Small integer codes for workers: distinct counts over integers are
    // far cheaper than over pseudonym strings.
    let mut ids = vec![inputs.workforce.clone().lazy().select([col("worker_id")])];
    for f in [&inputs.leavers, &inputs.supervision, &inputs.caseload]
        .into_iter()
        .flatten()
    {
        ids.push(f.clone().lazy().select([col("worker_id")]));
    }
    // Collected once: a lazy `unique` may order rows differently each time
    // it is evaluated, and every branch of the query must see the same codes.
    let codes = concat(ids, UnionArgs::default())?
        .unique_stable(None, UniqueKeepStrategy::First)
        .with_row_index("wid", None)
        .collect()?
        .lazy();

    // A team's service area: from its latest snapshot row that names one,
    // else from the establishment file.
    let mut team_service = inputs
        .workforce
        .clone()
        .lazy()
        .filter(col("service").is_not_null())
        .select([col("team"), col("service"), col("month")])
        // Groups keep row order, so after this sort `last` is the latest month.
        .sort(["month"], Default::default())
        .group_by([col("team")])
        .agg([col("service").last().alias("service_w")]);
    let establishment = inputs.establishment.clone().map(DataFrame::lazy);
    if let Some(e) = &establishment {
        let est_service = e
            .clone()
            .filter(col("service").is_not_null())
            .group_by([col("team")])
            .agg([col("service").last().alias("service_e")]);
        team_service = team_service
            .join(
                est_service,
                [col("team")],
                [col("team")],
                JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
            )
            .select([
                col("team"),
                coalesce(&[col("service_w"), col("service_e")]).alias("service_t"),
            ]);
    } else {
        team_service = team_service.select([col("team"), col("service_w").alias("service_t")]);
    }

    let mut w = with_codes(
        inputs.workforce.clone().lazy().with_row_index("rid", None),
        &codes,
    )
    .join(
        team_service.clone(),
        [col("team")],
        [col("team")],
        JoinArgs::new(JoinType::Left),
    )
    .with_columns([
        coalesce(&[col("service"), col("service_t"), lit("Unassigned")]).alias("service"),
        days("snapshot_date").alias("snap"),
        days("leave_date").alias("leave"),
        days("start_date").alias("start"),
        days("qualified_date").alias("qual"),
        days("last_supervision_date").alias("lastsup"),
    ]);

    // A caseload extract for a month is the truth for that month: each
    // worker's count goes on one of their rows (the first), others get 0.
    if let Some(cl) = &inputs.caseload {
        let per_worker = with_codes(cl.clone().lazy(), &codes)
            .group_by([col("wid"), col("month")])
            .agg([col("caseload").sum().alias("cl_cases")]);
        let cl_months = cl
            .clone()
            .lazy()
            .select([col("month")])
            .unique(None, UniqueKeepStrategy::Any)
            .with_column(lit(true).alias("cl_month"));
        w = w
            .join(
                per_worker,
                [col("wid"), col("month")],
                [col("wid"), col("month")],
                JoinArgs::new(JoinType::Left),
            )
            .join(
                cl_months,
                [col("month")],
                [col("month")],
                JoinArgs::new(JoinType::Left),
            )
            .with_column(
                when(col("cl_month").fill_null(lit(false)))
                    .then(
                        when(col("rid").eq(col("rid").min().over([col("wid"), col("month")])?))
                            .then(col("cl_cases").fill_null(lit(0.0)))
                            .otherwise(lit(0.0)),
                    )
                    .otherwise(col("caseload"))
                    .alias("caseload"),
            );
    }

    // Latest supervision from the log on or before each snapshot.
    if let Some(sup) = &inputs.supervision {
        let sessions = with_codes(sup.clone().lazy(), &codes)
            .select([col("wid"), days("supervision_date").alias("sess")]);
        let log = w
            .clone()
            .select([col("rid"), col("wid"), col("snap")])
            .join(
                sessions,
                [col("wid")],
                [col("wid")],
                JoinArgs::new(JoinType::Inner),
            )
            .filter(col("sess").lt_eq(col("snap")))
            .group_by([col("rid")])
            .agg([col("sess").max().alias("log_sup")]);
        w = w.join(
            log,
            [col("rid")],
            [col("rid")],
            JoinArgs::new(JoinType::Left),
        );
    } else {
        w = w.with_column(lit(NULL).cast(DataType::Int32).alias("log_sup"));
    }

    // Who was on any row of the previous snapshot (for starters without a start date).
    let present_before = w
        .clone()
        .select([col("wid"), (col("month") + lit(1)).alias("month")])
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(lit(true).alias("was_present"));
    let w = w
        .join(
            present_before,
            [col("wid"), col("month")],
            [col("wid"), col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            months.clone(),
            [col("month")],
            [col("month")],
            JoinArgs::new(JoinType::Inner),
        );

    let since_qual = col("snap") - col("qual");
    let since_start = col("snap") - col("start");
    let in_post = w
        .clone()
        .filter(col("leave").is_null().or(col("leave").gt(col("snap"))))
        .with_columns([
            col("employment_type").neq(lit("agency")).alias("employed"),
            when(col("asye").is_not_null())
                .then(col("asye"))
                .otherwise(since_qual.clone().lt(lit(365)))
                .fill_null(lit(false))
                .alias("nqsw"),
            col("caseload")
                .gt_eq(lit(1.0))
                .fill_null(lit(false))
                .alias("holder"),
            polars::lazy::dsl::max_horizontal([
                when(col("lastsup").lt_eq(col("snap")))
                    .then(col("lastsup"))
                    .otherwise(lit(NULL)),
                col("log_sup"),
            ])?
            .alias("latest_sup"),
        ])
        .with_columns([
            col("nqsw")
                .or(since_qual.lt(lit(730)).fill_null(lit(false)))
                .alias("early"),
            col("employed")
                .and(
                    when(col("start").is_not_null())
                        .then(
                            col("start")
                                .gt_eq(col("first_day"))
                                .and(col("start").lt_eq(col("last_day"))),
                        )
                        .otherwise(col("prev_held").and(col("was_present").is_null())),
                )
                .alias("starter"),
            when(col("nqsw").and(since_start.clone().lt(lit(42))))
                .then(lit(7))
                .when(col("nqsw").and(since_start.lt(lit(183))))
                .then(lit(14))
                .otherwise(lit(31))
                .alias("interval"),
            when(col("nqsw"))
                .then(lit(limits.nqsw))
                .otherwise(lit(limits.standard))
                .alias("limit"),
            (col("fte") * col("day_rate") * col("weekdays")).alias("cost"),
        ])
        .with_columns([
            (col("snap") - col("latest_sup"))
                .lt_eq(col("interval"))
                .fill_null(lit(false))
                .alias("supervised"),
            col("holder")
                .and(col("caseload").gt(col("limit")))
                .alias("over"),
        ]);

    // Materialised: every measure below starts from these two frames.
    let mut clock = std::time::Instant::now();
    let in_post = in_post.collect()?.lazy();
    crate::trace::lap("metrics: in-post rows", &mut clock);
    let leaves = leave_events(inputs, &w, &in_post, &codes, &months, &team_service)?
        .collect()?
        .lazy();
    crate::trace::lap("metrics: leave events", &mut clock);
    Ok(Prepared {
        in_post,
        leaves,
        months,
        team_service,
        establishment,
    })
}

/// Leaves by month: recorded ones (snapshot rows and leavers reports, the
/// same worker and date once) and inferred ones (in post at m−1, not at m,
/// no leave recorded in m−1…m+1). Columns: wid, month, team, service, fte.
fn leave_events(
    inputs: &Inputs,
    w: &LazyFrame,
    in_post: &LazyFrame,
    codes: &LazyFrame,
    months: &LazyFrame,
    team_service: &LazyFrame,
) -> PolarsResult<LazyFrame> {
    let from_rows = w
        .clone()
        .filter(
            col("employment_type")
                .neq(lit("agency"))
                .and(col("leave").is_not_null()),
        )
        .select([
            col("wid"),
            col("leave"),
            lit(NULL).cast(DataType::Float64).alias("l_fte"),
            lit(NULL).cast(DataType::String).alias("l_team"),
            lit(NULL).cast(DataType::String).alias("l_service"),
        ]);
    let mut sources = vec![from_rows];
    if let Some(l) = &inputs.leavers {
        sources.push(
            with_codes(l.clone().lazy(), codes)
                .filter(
                    col("employment_type")
                        .is_null()
                        .or(col("employment_type").neq(lit("agency"))),
                )
                .select([
                    col("wid"),
                    days("leave_date").alias("leave"),
                    col("fte").alias("l_fte"),
                    col("team").alias("l_team"),
                    col("service").alias("l_service"),
                ]),
        );
    }
    let events = concat(sources, UnionArgs::default())?
        .group_by([col("wid"), col("leave")])
        .agg([
            // One leavers row at most per worker and date: `max` picks it
            // over the nulls of the snapshot rows, on polars' fast path.
            col("l_fte").max().alias("l_fte"),
            col("l_team").max().alias("l_team"),
            col("l_service").max().alias("l_service"),
        ]);

    // Fields a leavers row lacks come from the last snapshot on which the
    // worker was in post (every post, for a worker with two).
    let posts = in_post.clone().filter(col("employed")).select([
        col("wid"),
        col("month").alias("p_month"),
        col("snap").alias("p_snap"),
        col("team").alias("p_team"),
        col("service").alias("p_service"),
        col("fte").alias("p_fte"),
        col("rid").alias("p_rid"),
    ]);
    let last_posts = |candidates: LazyFrame| -> PolarsResult<LazyFrame> {
        Ok(candidates
            .filter(col("p_snap").lt(col("leave")))
            .filter(col("p_snap").eq(col("p_snap").max().over([col("wid"), col("leave")])?)))
    };
    // Nearly always the last post is within the three months up to the
    // leave: look there first, joining on (worker, month), so the work does
    // not grow with every month a worker was ever in post...
    let near = concat(
        (0..3)
            .map(|k| {
                events
                    .clone()
                    .with_column((month_of_days(col("leave")) - lit(k)).alias("p_month"))
            })
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .join(
        posts.clone(),
        [col("wid"), col("p_month")],
        [col("wid"), col("p_month")],
        JoinArgs::new(JoinType::Inner),
    );
    let near = last_posts(near)?.drop(cols(["p_month"])).collect()?.lazy();
    // ...and only for the rest search all of the worker's posts.
    let rest = events
        .clone()
        .join(
            near.clone()
                .select([col("wid"), col("leave")])
                .unique(None, UniqueKeepStrategy::Any),
            [col("wid"), col("leave")],
            [col("wid"), col("leave")],
            JoinArgs::new(JoinType::Anti),
        )
        .join(
            posts,
            [col("wid")],
            [col("wid")],
            JoinArgs::new(JoinType::Inner),
        );
    let far = last_posts(rest)?.drop(cols(["p_month"]));
    let matched = concat([near, far], UnionArgs::default())?
        // Used twice below: computed once.
        .collect()?
        .lazy();
    let unmatched = events
        .join(
            matched
                .clone()
                .select([col("wid"), col("leave")])
                .unique(None, UniqueKeepStrategy::Any),
            [col("wid"), col("leave")],
            [col("wid"), col("leave")],
            JoinArgs::new(JoinType::Anti),
        )
        .with_columns([
            lit(NULL).cast(DataType::Int32).alias("p_snap"),
            lit(NULL).cast(DataType::String).alias("p_team"),
            lit(NULL).cast(DataType::String).alias("p_service"),
            lit(NULL).cast(DataType::Float64).alias("p_fte"),
            lit(NULL).cast(IDX_DTYPE).alias("p_rid"),
        ]);
    let recorded = concat([matched, unmatched], UnionArgs::default())?
        .filter(
            col("l_fte").is_null().or(col("p_rid")
                .eq(col("p_rid").min().over([col("wid"), col("leave")])?)
                .fill_null(lit(true))),
        )
        .select([
            col("wid"),
            month_of_days(col("leave")).alias("month"),
            coalesce(&[col("l_team"), col("p_team")]).alias("team"),
            coalesce(&[col("l_service"), col("p_service")]).alias("service"),
            coalesce(&[col("l_fte"), col("p_fte")]).alias("fte"),
            lit(false).alias("inferred"),
        ])
        .join(
            team_service.clone(),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("team").is_null())
                .then(col("service"))
                .otherwise(coalesce(&[
                    col("service"),
                    col("service_t"),
                    lit("Unassigned"),
                ]))
                .alias("service"),
        )
        .select([
            col("wid"),
            col("month"),
            col("team"),
            col("service"),
            col("fte"),
            col("inferred"),
        ])
        // Used twice below: computed once.
        .collect()?
        .lazy();

    // A recorded leave in month lm covers inferring in lm−1, lm and lm+1.
    let covered = concat(
        (-1..=1)
            .map(|k| {
                recorded
                    .clone()
                    .select([col("wid"), (col("month") + lit(k)).alias("month")])
            })
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .unique(None, UniqueKeepStrategy::Any);
    let employed = in_post.clone().filter(col("employed"));
    let employed_keys = employed
        .clone()
        .select([col("wid"), col("month")])
        .unique(None, UniqueKeepStrategy::Any);
    let inferred = employed
        .select([
            col("wid"),
            (col("month") + lit(1)).alias("month"),
            col("team"),
            col("service"),
            col("fte"),
            lit(true).alias("inferred"),
        ])
        .join(
            employed_keys,
            [col("wid"), col("month")],
            [col("wid"), col("month")],
            JoinArgs::new(JoinType::Anti),
        )
        .join(
            months.clone().select([col("month")]),
            [col("month")],
            [col("month")],
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            covered,
            [col("wid"), col("month")],
            [col("wid"), col("month")],
            JoinArgs::new(JoinType::Anti),
        );

    Ok(concat([recorded, inferred], UnionArgs::default())?.join(
        months.clone().select([col("month")]),
        [col("month")],
        [col("month")],
        JoinArgs::new(JoinType::Inner),
    ))
}

/// Team stability pairs: per group and month, how many of the workers in
/// post 12 months earlier (`base`) are still in post in the group (`stayed`).
pub(super) fn stability(p: &Prepared) -> PolarsResult<LazyFrame> {
    let employed = p.in_post.clone().filter(col("employed")).select([
        col("wid"),
        col("month"),
        col("team"),
        col("service"),
    ]);
    per_group(&employed, |g| {
        let k = || [col("group"), col("month")];
        let now = g
            .select([col("group"), col("month"), col("wid")])
            .unique(None, UniqueKeepStrategy::Any);
        let earlier = now
            .clone()
            .with_column((col("month") + lit(12)).alias("month"));
        let base =
            by_group_month(earlier.clone()).agg([len().cast(DataType::Float64).alias("base")]);
        let kw = [col("group"), col("month"), col("wid")];
        let stayed =
            by_group_month(earlier.join(now, kw.clone(), kw, JoinArgs::new(JoinType::Inner)))
                .agg([len().cast(DataType::Float64).alias("stayed")]);
        base.join(stayed, k(), k(), JoinArgs::new(JoinType::Left))
    })
}

/// (team, month) pairs with an establishment in force.
pub(super) fn establishment_teams(p: &Prepared) -> PolarsResult<LazyFrame> {
    Ok(in_force(p)?.select([col("team"), col("month")]))
}

fn in_force(p: &Prepared) -> PolarsResult<LazyFrame> {
    let Some(est) = &p.establishment else {
        return Err(PolarsError::NoData("no establishment".into()));
    };
    Ok(est
        .clone()
        .select([
            col("team"),
            col("service").alias("e_service"),
            col("funded_fte"),
            days("effective_date").fill_null(lit(i32::MIN)).alias("eff"),
            col("import"),
        ])
        .cross_join(
            p.months.clone().select([col("month"), col("snap_day")]),
            None,
        )
        .filter(col("eff").lt_eq(col("snap_day")))
        // Groups keep row order, so after this sort `last` is the latest
        // effective date (and, for the same date, the later import).
        .sort(["eff", "import"], Default::default())
        .group_by([col("team"), col("month")])
        .agg([
            col("funded_fte").last().alias("est"),
            col("e_service").last().alias("e_service"),
        ]))
}

/// Establishment in force at each month (the latest effective date on or
/// before the snapshot; a later import restating a date wins) and the
/// vacancies it implies, team by team, summed up the groups.
pub(super) fn establishment(p: &Prepared, stock: LazyFrame) -> PolarsResult<LazyFrame> {
    if p.establishment.is_none() {
        let empty = DataFrame::new(
            0,
            vec![
                Column::new("group_kind".into(), Vec::<String>::new()),
                Column::new("group".into(), Vec::<String>::new()),
                Column::new("month".into(), Vec::<i32>::new()),
                Column::new("establishment_fte".into(), Vec::<f64>::new()),
                Column::new("vacancy_fte".into(), Vec::<f64>::new()),
            ],
        )?;
        return Ok(empty.lazy());
    }
    let in_force = in_force(p)?;
    let team_fte = stock.filter(col("group_kind").eq(lit("team"))).select([
        col("group").alias("team"),
        col("month"),
        col("employed_fte"),
    ]);
    let rows = in_force
        .join(
            team_fte,
            [col("team"), col("month")],
            [col("team"), col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            p.team_service.clone(),
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            coalesce(&[col("e_service"), col("service_t"), lit("Unassigned")]).alias("service"),
            (col("est") - col("employed_fte").fill_null(lit(0.0))).alias("gap"),
        ])
        .with_column(
            when(col("gap").gt(lit(0.0)))
                .then(col("gap"))
                .otherwise(lit(0.0))
                .alias("vac"),
        );
    per_group(&rows, |g| {
        by_group_month(g).agg([
            col("est").sum().alias("establishment_fte"),
            col("vac").sum().alias("vacancy_fte"),
        ])
    })
}
