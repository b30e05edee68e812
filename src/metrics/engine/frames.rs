//! The row-level frames the metrics aggregate: in-post rows with their
//! flags, leave events (recorded and inferred), the month calendar, team
//! stability pairs and the establishment in force.

use super::codes;
use crate::measure::Measure;
use crate::metrics::definitions::{
    self, AGENCY, CASE_HOLDER_MIN_CASES, EARLY_CAREER_DAYS, NQSW_DAYS, NQSW_FIRST_MONTHS_DAYS,
    NQSW_FIRST_MONTHS_INTERVAL, NQSW_FIRST_WEEKS_DAYS, NQSW_FIRST_WEEKS_INTERVAL, STABILITY_MONTHS,
    STANDARD_INTERVAL, TURNOVER_MONTHS, UNASSIGNED,
};
use crate::metrics::{GroupKind, Inputs, Limits};
use crate::month::{Month, epoch_days};
use crate::trace::CollectTraced;
use polars::prelude::*;
use std::collections::BTreeMap;

pub(in crate::metrics) struct Prepared {
    pub in_post: LazyFrame,
    /// The rows a slice holds at least, where the metrics' largest
    /// group-bys run slice by slice (see [`month_slices`]): the in-post
    /// rows' cells, and stability's pairs.
    pub slice_rows: usize,
    /// The in-post rows cut so.
    pub slices: Vec<(i64, IdxSize)>,
    /// The in-post rows of employed workers, in the same order, with the
    /// columns leaves and stability read.
    pub employed: LazyFrame,
    /// The (worker, month) pairs, packed as `wm`, of workers with more than
    /// one in-post row that month.
    pub multi: DataFrame,
    /// Every leave (see [`leave_events`]): worked out on first use, so the
    /// metrics can work it out beside the cells, and views that need no
    /// leaves skip it.
    leave_events: LeaveEvents,
    pub months: LazyFrame,
    /// Each team's service area (`team_c`, `service_t`), for rows that
    /// name none.
    pub team_service: TeamService,
    /// The establishment with its names coded (`team_c`, `service_c`), a
    /// line without a service area given its team's.
    pub establishment: Option<LazyFrame>,
    /// Codes for team and service names (`code`, `name`): `in_post` carries
    /// them as `team_c` and `service_c`.
    pub names: DataFrame,
}

/// What [`leave_events`] reads beyond the prepared rows, and what it found.
struct LeaveEvents {
    leavers: Option<LazyFrame>,
    on_rows: LazyFrame,
    found: std::sync::OnceLock<DataFrame>,
}

impl Prepared {
    /// Cut the rows into slices of at least `min_rows` instead: for
    /// checking that the slices' size does not change the metrics.
    #[cfg(test)]
    pub(super) fn slice_by(&mut self, min_rows: usize) -> PolarsResult<()> {
        self.slices = month_slices(&self.in_post.clone().collect()?, min_rows)?;
        self.slice_rows = min_rows;
        Ok(())
    }

    /// Every leave, recorded and inferred (see [`leave_events`]).
    pub(in crate::metrics) fn leaves(&self) -> PolarsResult<LazyFrame> {
        let e = &self.leave_events;
        collected_once(&e.found, || {
            leave_events(
                e.leavers.clone(),
                &e.on_rows,
                &self.employed,
                &self.months,
                &self.team_service,
            )
        })
    }
}

/// What `plan` gives, collected the first time it is asked for and kept in
/// `found`. (Two threads asking at once may both collect it; one is kept.)
#[track_caller]
fn collected_once(
    found: &std::sync::OnceLock<DataFrame>,
    plan: impl FnOnce() -> PolarsResult<LazyFrame>,
) -> PolarsResult<LazyFrame> {
    if let Some(df) = found.get() {
        return Ok(df.clone().lazy());
    }
    let df = plan()?.collect_traced()?;
    Ok(found.get_or_init(|| df).clone().lazy())
}

/// Each team's service area (`team_c`, `service_t`): read from every
/// snapshot row, so worked out only when some row, leave or establishment
/// line names no service area, and then for the teams that need it.
pub(in crate::metrics) struct TeamService {
    /// The snapshot rows' `team_c`, `service_c` and `month`.
    workforce: LazyFrame,
    /// The establishment's `team_c` and `service_c`, in file order.
    establishment: Option<LazyFrame>,
    /// The code of the area for a team with none on record.
    unassigned: Expr,
    /// Every team's area, once asked for.
    found: std::sync::OnceLock<DataFrame>,
}

impl TeamService {
    fn new(
        workforce: LazyFrame,
        establishment: Option<LazyFrame>,
        unassigned: Expr,
    ) -> TeamService {
        TeamService {
            workforce,
            establishment,
            unassigned,
            found: std::sync::OnceLock::new(),
        }
    }

    /// The areas of the teams given (all teams for `None`). A team's area
    /// comes from its latest snapshot row that names one; when its rows
    /// name two in that month, the later in name order (codes follow name
    /// order). Else from the establishment file. (Month and service packed
    /// into one integer: one maximum per team finds both.)
    fn areas(&self, teams: Option<Series>) -> LazyFrame {
        let only = |lf: LazyFrame| match &teams {
            Some(t) => lf.filter(col("team_c").is_in(lit(t.clone()).implode(false), false)),
            None => lf,
        };
        let latest = col("month").cast(DataType::UInt64) * lit(1u64 << 32)
            + col("service_c").cast(DataType::UInt64);
        let from_rows = only(self.workforce.clone())
            .select([col("team_c"), latest.alias("latest")])
            .filter(col("team_c").is_not_null().and(col("latest").is_not_null()))
            .group_by([col("team_c")])
            .agg([(col("latest").max() % lit(1u64 << 32))
                .cast(DataType::UInt32)
                .alias("service_w")]);
        let Some(e) = &self.establishment else {
            return from_rows.select([col("team_c"), col("service_w").alias("service_t")]);
        };
        let from_file = only(e.clone())
            .filter(col("service_c").is_not_null())
            .group_by([col("team_c")])
            .agg([col("service_c").last().alias("service_e")]);
        from_rows
            .join(
                from_file,
                [col("team_c")],
                [col("team_c")],
                JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
            )
            .select([
                col("team_c"),
                coalesce(&[col("service_w"), col("service_e")]).alias("service_t"),
            ])
    }

    /// `lf` with its `service` column filled, on lines with a team but no
    /// service area, from the team's (or the unassigned area when the team
    /// has none on record either). Lines without a team keep what they have.
    pub(super) fn fill(&self, lf: LazyFrame, service: &str) -> PolarsResult<LazyFrame> {
        let every = collected_once(&self.found, || Ok(self.areas(None)))?;
        Ok(self.fill_from(lf, every, service))
    }

    fn fill_from(&self, lf: LazyFrame, areas: LazyFrame, service: &str) -> LazyFrame {
        lf.join(
            areas,
            [col("team_c")],
            [col("team_c")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("team_c").is_null())
                .then(col(service))
                .otherwise(coalesce(&[
                    col(service),
                    col("service_t"),
                    self.unassigned.clone(),
                ]))
                .alias(service),
        )
        .drop(cols(["service_t"]))
    }

    /// [`TeamService::fill`] for the lines of `df`, worked out only when
    /// some line names a team but no service area, and then for those
    /// lines' teams alone: usually few or none, and the areas of every
    /// team read every snapshot row.
    pub(super) fn fill_unplaced(&self, df: DataFrame, service: &str) -> PolarsResult<DataFrame> {
        let unplaced = df.column("team_c")?.is_not_null() & df.column(service)?.is_null();
        if !unplaced.any() {
            return Ok(df);
        }
        let areas = match self.found.get() {
            Some(every) => every.clone().lazy(),
            None => {
                let teams = df
                    .filter(&unplaced)?
                    .column("team_c")?
                    .as_materialized_series()
                    .unique()?;
                self.areas(Some(teams)).collect_traced()?.lazy()
            }
        };
        self.fill_from(df.lazy(), areas, service).collect_traced()
    }
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
    // Rows come month by month: a repeat of the last month is skipped
    // without a look in the map.
    let mut last = None;
    for (m, s) in months.iter().zip(snaps.iter()) {
        if let (Some(m), Some(s)) = (m, s)
            && last != Some(m)
        {
            held.entry(m).or_insert(s);
            last = Some(m);
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
            col_bool("prev12_held", &|m| definitions::stability_base_held(m, has)),
            col_bool("window_complete", &|m| {
                definitions::turnover_window_held(m, has)
            }),
        ],
    )
}

/// Columns of the month table for each row's `month`, looked up by
/// position (month indices are consecutive integers) rather than joined:
/// a join would copy every column of millions of rows.
fn month_lookup(months: &DataFrame, names: &[&str]) -> PolarsResult<Vec<Expr>> {
    let held = months.column("month")?.i32()?;
    let (Some(first), Some(last)) = (held.min(), held.max()) else {
        return names
            .iter()
            .map(|n| Ok(lit(NULL).cast(months.column(n)?.dtype().clone()).alias(*n)))
            .collect();
    };
    // Row i of the dense table is month first + i; months not held are null.
    let slots = DataFrame::new(
        (last - first + 1) as usize,
        vec![Column::new(
            "month".into(),
            (first..=last).collect::<Vec<i32>>(),
        )],
    )?
    .lazy()
    .join(
        months.clone().lazy(),
        [col("month")],
        [col("month")],
        JoinArgs::new(JoinType::Left),
    )
    .sort(["month"], Default::default())
    .collect_traced()?;
    let at = (col("month") - lit(first)).cast(IDX_DTYPE);
    names
        .iter()
        .map(|n| {
            let table = slots.column(n)?.as_materialized_series().clone();
            Ok(lit(table).gather(at.clone(), true).alias(*n))
        })
        .collect()
}

/// Worker codes fit in 28 bits and month indices (`year * 12 + month − 1`)
/// in 16, so a (group, month, worker) triple packs into one `u64` with
/// group codes below 2^20. Single integer keys keep polars' joins, uniques
/// and group-bys on their fast paths.
pub(super) const WORKER_BITS: u32 = 28;
const WORKER_SHIFT: u64 = 1 << 34;
pub(in crate::metrics) const MONTH_SHIFT: u64 = 1 << WORKER_BITS;
pub(super) const GROUP_SHIFT: u64 = 1 << 16;

/// (worker, month) as one integer.
pub(super) fn pack_worker_month(wid: Expr, month: Expr) -> Expr {
    month.cast(DataType::UInt64) * lit(MONTH_SHIFT) + wid.cast(DataType::UInt64)
}

/// (worker, day) as one integer ordered by worker then day, with the
/// lowest bit free: day numbers are offset to be non-negative in 33 bits.
fn pack_worker_day(wid: Expr, day: Expr) -> Expr {
    wid.cast(DataType::UInt64) * lit(WORKER_SHIFT)
        + (day.cast(DataType::Int64) + lit(1i64 << 31)).cast(DataType::UInt64) * lit(2u64)
}

pub(in crate::metrics) fn prepare(inputs: &Inputs, limits: Limits) -> PolarsResult<Prepared> {
    let mut clock = std::time::Instant::now();
    let months_df = month_table(&inputs.workforce)?;
    let months = months_df.clone().lazy();

    // Team and service names as integer codes, one dictionary for every
    // frame: the steps below group and join on integers, not strings.
    let named: Vec<&DataFrame> = std::iter::once(&inputs.workforce)
        .chain(
            [&inputs.leavers, &inputs.establishment]
                .into_iter()
                .flatten(),
        )
        .collect();
    let (named, names) = codes::with_name_codes(&named, UNASSIGNED)?;
    if names.height() as u64 >= NO_GROUP {
        return Err(PolarsError::ComputeError(
            "more than a million team and service names".into(),
        ));
    }
    let unassigned = code_of(&names, UNASSIGNED)?;
    let mut named = named.into_iter();
    let workforce = named.next().expect("the workforce is coded");
    let leavers = inputs.leavers.as_ref().and_then(|_| named.next());
    let establishment_c = inputs.establishment.as_ref().and_then(|_| named.next());
    crate::trace::lap("metrics: name codes", &mut clock);

    // Small integer codes for workers: distinct counts over integers are
    // far cheaper than over pseudonym strings.
    let present: Vec<&DataFrame> = std::iter::once(&workforce)
        .chain(
            [&leavers, &inputs.supervision, &inputs.caseload]
                .into_iter()
                .flatten(),
        )
        .collect();
    let mut coded = codes::with_worker_codes(&present)?.into_iter();
    let mut workforce = coded.next().expect("the workforce is coded");
    workforce.with_column(codes::row_index(&workforce, "rid")?)?;
    let workforce = workforce.lazy();
    let mut next =
        |f: &Option<DataFrame>| f.as_ref().and_then(|_| coded.next().map(DataFrame::lazy));
    let (leavers, supervision, caseload) = (
        next(&leavers),
        next(&inputs.supervision),
        next(&inputs.caseload),
    );
    crate::trace::lap("metrics: worker codes", &mut clock);

    // Each team's service area, for rows, leaves and establishment lines
    // that name none.
    let team_service = TeamService::new(
        workforce
            .clone()
            .select([col("team_c"), col("service_c"), col("month")]),
        establishment_c
            .as_ref()
            .map(|e| e.clone().lazy().select([col("team_c"), col("service_c")])),
        lit(unassigned),
    );

    // Only the columns the measures read: the others would be carried
    // through every join and materialised for nothing.
    let used = [
        "wid",
        "team_c",
        "service_c",
        "month",
        "snapshot_date",
        "leave_date",
        "start_date",
        "qualified_date",
        "last_supervision_date",
        "employment_type",
        "asye",
        "caseload",
        "fte",
        "day_rate",
    ];
    let mut w = workforce.select(
        std::iter::once(col("rid"))
            .chain(used.iter().map(|c| col(*c)))
            .collect::<Vec<_>>(),
    );
    // Rows that name no service area take their team's. When every row
    // names one (the usual case) the join and the coalesce are skipped: a
    // coalesce over millions of rows costs as much as it does with nulls.
    if inputs.workforce.column("service")?.null_count() > 0 {
        // (Every row names a team: the import requires one.)
        w = team_service.fill(w, "service_c")?;
    }
    let mut w = w
        .with_columns([
            // A flag rather than the text: the rows are filtered below, and
            // a bit per row is cheaper to carry than a string per row.
            col("employment_type").neq(lit(AGENCY)).alias("employed"),
            days("snapshot_date").alias("snap"),
            days("leave_date").alias("leave"),
            days("start_date").alias("start"),
            days("qualified_date").alias("qual"),
            days("last_supervision_date").alias("lastsup"),
        ])
        .drop(cols([
            "employment_type",
            "snapshot_date",
            "leave_date",
            "start_date",
            "qualified_date",
            "last_supervision_date",
        ]));

    // A caseload extract for a month is the truth for that month: each
    // worker's count goes on one of their rows (the first), others get 0.
    if let Some(cl) = &caseload {
        let per_worker = cl
            .clone()
            .group_by([col("wid"), col("month")])
            .agg([col("caseload").sum().alias("cl_cases")]);
        let cl_months = cl
            .clone()
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
    if let Some(sup) = &supervision {
        let sessions = sup
            .clone()
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
    }

    if inputs.caseload.is_some() || inputs.supervision.is_some() {
        // Materialised: read more than once below, and a lazy plan would
        // compute these joins again for each. (Without them the rows stay
        // lazy, read straight from the loaded snapshots each time.)
        w = w.collect_traced()?.lazy();
    }

    // Who was on any row of the previous snapshot, for starters without a
    // start date: looked up for those rows only (often none), on (worker,
    // month) packed into one integer.
    let undated = w
        .clone()
        .filter(col("start").is_null())
        .select([
            col("rid"),
            pack_worker_month(col("wid"), col("month")).alias("wm"),
        ])
        .collect_traced()?;
    let was_present = if undated.height() == 0 {
        lit(false)
    } else {
        let present_before =
            w.clone()
                .select([pack_worker_month(col("wid"), col("month") + lit(1)).alias("wm")]);
        let found = undated
            .lazy()
            .join(
                present_before,
                [col("wm")],
                [col("wm")],
                JoinArgs::new(JoinType::Semi),
            )
            .select([col("rid")])
            .collect_traced()?;
        col("rid").is_in(
            lit(found.column("rid")?.as_materialized_series().clone()).implode(false),
            false,
        )
    };

    // A row's month is its snapshot's, so every row with a snapshot date is
    // of a month held; rows without one are filtered out below. (Filtered
    // on the loaded columns alone: a mask made partly of a looked-up
    // column is cut differently from the rows' chunks, and polars would
    // copy every column into one chunk to filter it.) The month facts are
    // looked up for the rows that remain.
    let on_rows = recorded_on_rows(&w).collect_traced()?.lazy();
    crate::trace::lap("metrics: snapshot rows", &mut clock);

    // The latest supervision on record: the snapshot's own date unless it
    // lies after the snapshot, and the log's when there is one.
    let on_row = when(col("lastsup").lt_eq(col("snap")))
        .then(col("lastsup"))
        .otherwise(lit(NULL));
    let latest_sup = if supervision.is_some() {
        polars::lazy::dsl::max_horizontal([on_row, col("log_sup")])?
    } else {
        on_row
    };
    let since_qual = col("snap") - col("qual");
    let since_start = col("snap") - col("start");
    let in_post = w
        .clone()
        .filter(
            col("snap")
                .is_not_null()
                .and(col("leave").is_null().or(col("leave").gt(col("snap")))),
        )
        .with_columns(month_lookup(
            &months_df,
            &["first_day", "last_day", "weekdays", "prev_held"],
        )?)
        .with_columns([
            when(col("asye").is_not_null())
                .then(col("asye"))
                .otherwise(since_qual.clone().lt(lit(NQSW_DAYS)))
                .fill_null(lit(false))
                .alias("nqsw"),
            col("caseload")
                .gt_eq(lit(CASE_HOLDER_MIN_CASES))
                .fill_null(lit(false))
                .alias("holder"),
            latest_sup.alias("latest_sup"),
        ])
        .with_columns([
            col("nqsw")
                .or(since_qual.lt(lit(EARLY_CAREER_DAYS)).fill_null(lit(false)))
                .alias("early"),
            col("employed")
                .and(
                    when(col("start").is_not_null())
                        .then(
                            col("start")
                                .gt_eq(col("first_day"))
                                .and(col("start").lt_eq(col("last_day"))),
                        )
                        .otherwise(col("prev_held").and(was_present.not())),
                )
                .alias("starter"),
            when(col("nqsw").and(since_start.clone().lt(lit(NQSW_FIRST_WEEKS_DAYS))))
                .then(lit(NQSW_FIRST_WEEKS_INTERVAL))
                .when(col("nqsw").and(since_start.lt(lit(NQSW_FIRST_MONTHS_DAYS))))
                .then(lit(NQSW_FIRST_MONTHS_INTERVAL))
                .otherwise(lit(STANDARD_INTERVAL))
                .alias("interval"),
        ])
        .with_columns([
            (col("snap") - col("latest_sup"))
                .lt_eq(col("interval"))
                .fill_null(lit(false))
                .alias("supervised"),
            // Compared flag by flag, not through a column of each row's
            // limit: millions of bits written rather than of floats.
            col("holder")
                .and(
                    when(col("nqsw"))
                        .then(col("caseload").gt(lit(limits.nqsw)))
                        .otherwise(col("caseload").gt(lit(limits.standard))),
                )
                .alias("over"),
        ])
        // Only what the measures and the quality report read.
        .select(
            [
                "month",
                "wid",
                "rid",
                "snap",
                "team_c",
                "service_c",
                "fte",
                "employed",
                "starter",
                "nqsw",
                "early",
                "holder",
                "caseload",
                "over",
                "latest_sup",
                "interval",
                "supervised",
                // (An agency post's cost is worked out among the agency
                // rows alone, where the metrics sum it.)
                "weekdays",
                "day_rate",
                "qual",
                "asye",
            ]
            .map(col),
        );

    // Materialised: every measure below starts from these rows.
    let mut in_post = in_post.collect_traced()?;
    crate::trace::lap("metrics: in-post rows", &mut clock);
    // The rows in (month, worker) order, with that pair packed as `wm` and
    // flagged sorted: the pairs of a worker's rows a month or a year apart
    // are then found by merging sorted keys, not by hashing millions of
    // them. Rows usually arrive in this order already (snapshots month by
    // month, workers coded in order of first appearance), so the check is
    // often all it costs.
    let wm = pack_worker_month(col("wid"), col("month"));
    let key = in_post
        .clone()
        .lazy()
        .select([
            wm.clone().alias("wm"),
            wm.clone().lt(wm.shift(lit(1))).any(true).alias("unsorted"),
        ])
        .collect_traced()?;
    in_post.with_column(key.column("wm")?.clone())?;
    // No rows in post (a snapshot of leavers only) gives an empty column,
    // not a false.
    let unsorted = key.column("unsorted")?.bool()?;
    if !unsorted.is_empty() && unsorted.get(0) == Some(true) {
        in_post = in_post.sort(
            ["wm"],
            SortMultipleOptions::default().with_maintain_order(true),
        )?;
    }
    let mut in_post = flag_sorted(in_post, "wm")?;
    let slices = month_slices(&in_post, SLICE_ROWS)?;
    // Workers with more than one row in a month: neighbours in that order.
    let same = |k: i32| col("wm").eq(col("wm").shift(lit(k))).fill_null(lit(false));
    let several = in_post
        .clone()
        .lazy()
        .select([same(1).or(same(-1)).alias("multi")])
        .collect_traced()?;
    in_post.with_column(several.column("multi")?.clone())?;
    let multi = in_post
        .clone()
        .lazy()
        .filter(same(1))
        .select([col("wm")])
        .unique_stable(None, UniqueKeepStrategy::First)
        .collect_traced()?;
    let in_post = in_post.lazy();
    // The employed rows, in the same order, filtered once: posts for
    // leaves, inferred leavers and stability pairs all read them.
    let employed = in_post
        .clone()
        .filter(col("employed"))
        .select(
            [
                "wid",
                "wm",
                "month",
                "snap",
                "team_c",
                "service_c",
                "fte",
                "rid",
                "multi",
            ]
            .map(col),
        )
        .collect_traced()?
        .lazy();
    crate::trace::lap("metrics: two-post workers", &mut clock);
    Ok(Prepared {
        in_post,
        slice_rows: SLICE_ROWS,
        slices,
        employed,
        multi,
        // (Every establishment line names a team: the import requires one.)
        establishment: establishment_c
            .map(|e| team_service.fill_unplaced(e, "service_c"))
            .transpose()?
            .map(DataFrame::lazy),
        leave_events: LeaveEvents {
            leavers,
            on_rows,
            found: std::sync::OnceLock::new(),
        },
        months,
        team_service,
        names,
    })
}

/// Rows in a slice of the in-post rows, at least (see [`month_slices`]).
const SLICE_ROWS: usize = 1 << 16;

/// Row ranges (offset, length) that cut `rows`, held in (month, worker)
/// order as `wm`, into runs of whole months of at least `min_rows` rows
/// each (but the last); one range of every row when they are not in that
/// order after all. A group-by keyed by month, among others, run
/// slice by slice keeps each slice's hash table small enough to stay in
/// the processor's cache, and no group spans two slices (the
/// national-scale benchmark in `docs/performance.md` measures the gain).
pub(super) fn month_slices(rows: &DataFrame, min_rows: usize) -> PolarsResult<Vec<(i64, IdxSize)>> {
    let wm = rows.column("wm")?.u64()?.rechunk();
    let wm = wm.cont_slice()?;
    if !wm.is_sorted() {
        return Ok(vec![(0, wm.len() as IdxSize)]);
    }
    let month = |x: &u64| x >> WORKER_BITS;
    let mut slices = Vec::new();
    let mut start = 0;
    while start < wm.len() {
        let end = match wm.get(start + min_rows.max(1) - 1) {
            // To the end of the month of the slice's min_rows-th row.
            Some(at) => wm.partition_point(|x| month(x) <= month(at)),
            None => wm.len(),
        };
        slices.push((start as i64, (end - start) as IdxSize));
        start = end;
    }
    Ok(slices)
}

/// `query` over `rows` slice by slice (see [`month_slices`]), the results
/// stacked in order.
pub(super) fn by_slices(
    rows: &LazyFrame,
    slices: &[(i64, IdxSize)],
    query: impl Fn(LazyFrame) -> LazyFrame,
) -> PolarsResult<LazyFrame> {
    if slices.len() <= 1 {
        return Ok(query(rows.clone()));
    }
    concat(
        slices
            .iter()
            .map(|&(offset, len)| query(rows.clone().slice(offset, len)))
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )
}

/// The group code of each in-post row for one kind of group (null when the
/// row has none, e.g. no team).
pub(super) fn group_code(kind: GroupKind) -> Expr {
    match kind {
        GroupKind::All => lit(0u32),
        GroupKind::Service => col("service_c"),
        GroupKind::Team => col("team_c"),
    }
}

/// (group, month) as one integer.
pub(super) fn pack_group_month(g: Expr, month: Expr) -> Expr {
    g.cast(DataType::UInt64) * lit(GROUP_SHIFT) + month.cast(DataType::UInt64)
}

/// The code of `name` in a dictionary of names (`code`, `name`).
fn code_of(names: &DataFrame, name: &str) -> PolarsResult<u32> {
    let found = names
        .column("name")?
        .str()?
        .iter()
        .position(|n| n == Some(name))
        .ok_or_else(|| PolarsError::ComputeError(format!("{name} is not coded").into()))?;
    Ok(found as u32)
}

/// Bits of a team or service code in a cell.
const CODE_BITS: u32 = 20;
/// Codes of teams and services stay below this; it stands for "no team"
/// (or, in stability pairs, "not the same group at both ends") in a cell.
pub(super) const NO_GROUP: u64 = (1 << CODE_BITS) - 1;
const CELL_MONTH_SHIFT: u64 = 1 << CODE_BITS;
const TEAM_SHIFT: u64 = GROUP_SHIFT << CODE_BITS;

/// (team, month, service) as one integer: the finest grouping the measures
/// sum over, from which every kind of group is summed up (see [`roll_up`]).
/// A null team or service becomes [`NO_GROUP`]. The service is lowest, so
/// cells in order are in (team, month) order too.
pub(super) fn pack_cell(team: Expr, service: Expr, month: Expr) -> Expr {
    let code = |e: Expr| e.cast(DataType::UInt64).fill_null(lit(NO_GROUP));
    code(team) * lit(TEAM_SHIFT)
        + month.cast(DataType::UInt64) * lit(CELL_MONTH_SHIFT)
        + code(service)
}

/// Aggregate cells keyed by `cell`, in ascending order, up to one kind of
/// group, keyed by the packed (group, month) `gm`; cells without a group
/// of that kind drop out.
pub(super) fn roll_up(
    cells: &DataFrame,
    kind: GroupKind,
    aggs: Vec<Expr>,
) -> PolarsResult<LazyFrame> {
    let month = col("cell").floor_div(lit(CELL_MONTH_SHIFT)) % lit(GROUP_SHIFT);
    let group = match kind {
        GroupKind::All => lit(0u64),
        GroupKind::Service => col("cell") % lit(CELL_MONTH_SHIFT),
        GroupKind::Team => col("cell").floor_div(lit(TEAM_SHIFT)),
    };
    let cells = cells
        .clone()
        .lazy()
        .filter(group.clone().neq(lit(NO_GROUP)))
        .with_column(pack_group_month(group, month).alias("gm"));
    Ok(if kind == GroupKind::Team {
        // A team's months are neighbours in cell order, and its keys
        // ascend with the cells': flagged sorted, polars takes each group
        // as a slice of rows rather than hashing the keys and gathering
        // each column group by group. (The sums add the cells in the
        // same order either way.)
        flag_sorted(cells.collect_traced()?, "gm")?.lazy()
    } else {
        cells
    }
    .group_by([col("gm")])
    .agg(aggs))
}

/// Bits below the kind of group in a packed key (group code and month).
const KIND_SHIFT: u64 = GROUP_SHIFT << CODE_BITS;

/// The kind of group as a number, in the order the output lists them.
fn kind_number(kind: GroupKind) -> u64 {
    match kind {
        GroupKind::All => 0,
        GroupKind::Service => 1,
        GroupKind::Team => 2,
    }
}

/// One kind's aggregate, keyed by packed (group, month) `gm`, keyed
/// instead by `key`: (kind, group, month) as one integer, so the parts of
/// every kind join on one integer column (see [`decode_keys`]).
fn with_kind(lf: LazyFrame, kind: GroupKind) -> LazyFrame {
    lf.with_column((col("gm") + lit(kind_number(kind) * KIND_SHIFT)).alias("key"))
        .drop(cols(["gm"]))
}

/// What `aggregate` gives for each kind of group asked for (keyed by
/// packed (group, month) `gm`), stacked and keyed by `key` instead.
pub(super) fn per_kind(
    kinds: &[GroupKind],
    aggregate: impl Fn(GroupKind) -> PolarsResult<LazyFrame>,
) -> PolarsResult<LazyFrame> {
    let parts = kinds
        .iter()
        .map(|&kind| Ok(with_kind(aggregate(kind)?, kind)))
        .collect::<PolarsResult<Vec<_>>>()?;
    concat(parts, UnionArgs::default())
}

/// The month of a packed `key`.
pub(super) fn key_month() -> Expr {
    (col("key") % lit(GROUP_SHIFT)).cast(DataType::Int32)
}

/// Whether a packed `key` is of the kind given.
pub(super) fn key_is(kind: GroupKind) -> Expr {
    col("key")
        .floor_div(lit(KIND_SHIFT))
        .eq(lit(kind_number(kind)))
}

/// The group code of a packed `key`.
pub(super) fn key_code() -> Expr {
    (col("key").floor_div(lit(GROUP_SHIFT)) % lit(1u64 << CODE_BITS)).cast(DataType::UInt32)
}

/// Turn packed keys (see [`with_kind`]) back into the named `group_kind`
/// and `group` columns.
pub(super) fn decode_keys(lf: LazyFrame, names: &DataFrame) -> LazyFrame {
    let kind = col("key").floor_div(lit(KIND_SHIFT));
    lf.with_columns([
        key_code().alias("g_code"),
        when(kind.clone().eq(lit(kind_number(GroupKind::All))))
            .then(lit(GroupKind::All.name()))
            .when(kind.eq(lit(kind_number(GroupKind::Service))))
            .then(lit(GroupKind::Service.name()))
            .otherwise(lit(GroupKind::Team.name()))
            .alias("group_kind"),
    ])
    .join(
        names.clone().lazy().select([
            col("code").cast(DataType::UInt32).alias("g_code"),
            col("name").alias("g_name"),
        ]),
        [col("g_code")],
        [col("g_code")],
        JoinArgs::new(JoinType::Left),
    )
    .with_column(
        when(col("group_kind").eq(lit(GroupKind::All.name())))
            .then(lit(GroupKind::All.name()))
            .otherwise(col("g_name"))
            .alias("group"),
    )
    .drop(cols(["g_code", "g_name"]))
}

/// The snapshot rows that record an employed worker's leave. Taken from
/// the prepared rows, not from the raw rows filtered early: the order of
/// the rows fixes the order in which leavers' FTEs are summed, and with it
/// the last bits of those sums.
fn recorded_on_rows(w: &LazyFrame) -> LazyFrame {
    w.clone()
        .filter(
            col("snap")
                .is_not_null()
                .and(col("employed"))
                .and(col("leave").is_not_null()),
        )
        .select([col("wid"), col("leave")])
}

/// Each leave event (`wid`, `leave` and the leavers row's fields) with the
/// worker's posts on the latest snapshot strictly before the leave, when
/// that snapshot is of the leave's month or the month before — as it is
/// for almost every leave: `p_snap`, `p_team`, `p_service`, `p_fte` and
/// `p_rid`, a row per post. `posts` are the employed in-post rows (see
/// `leave_events`). Found by merging sorted (worker, month) keys: the
/// in-post rows are in that order already.
fn latest_posts_nearby(events: &DataFrame, posts: &LazyFrame) -> PolarsResult<LazyFrame> {
    let ev = events.clone().lazy().with_row_index("ev", None);
    let probe = concat(
        (0..=1)
            .map(|k| {
                ev.clone().select([
                    col("ev"),
                    col("leave"),
                    pack_worker_month(col("wid"), month_of_days(col("leave")) - lit(k)).alias("wm"),
                ])
            })
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .sort(
        ["wm"],
        SortMultipleOptions::default().with_maintain_order(true),
    )
    .collect_traced()?;
    let posts = posts.clone().drop(cols(["wid"])).collect_traced()?;
    let found = merge_on_wm(probe, posts, JoinType::Inner)?
        .filter(col("p_snap").lt(col("leave")))
        .filter(col("p_snap").eq(col("p_snap").max().over([col("ev")])?))
        .drop(cols(["wm", "leave"]));
    let mut in_event_order = JoinArgs::new(JoinType::Inner);
    in_event_order.maintain_order = MaintainOrderJoin::Left;
    Ok(ev
        .join(found, [col("ev")], [col("ev")], in_event_order)
        .drop(cols(["ev"])))
}

/// The same as [`latest_posts_nearby`] for the leaves it finds no post
/// for, looking at every earlier snapshot: as-of matches, posts' snapshot
/// days and leave days in one column sorted by (worker, day), a leave
/// before a post on the same day (the post must come strictly before the
/// leave). The running maximum of the posts' packed keys then names, at
/// each leave, the worker's latest earlier post — or another worker's,
/// which the check on the worker rules out.
fn latest_posts_anywhere(events: DataFrame, posts: LazyFrame) -> PolarsResult<LazyFrame> {
    let events = events.lazy();
    // Only the posts of the workers these leaves are of.
    let posts = posts.drop(cols(["wm"])).join(
        events
            .clone()
            .select([col("wid")])
            .unique(None, UniqueKeepStrategy::Any),
        [col("wid")],
        [col("wid")],
        JoinArgs::new(JoinType::Semi),
    );
    let tagged = |lf: LazyFrame, day: &str, is_post: bool| {
        lf.select([(pack_worker_day(col("wid"), col(day)) + lit(is_post as u64)).alias("k")])
    };
    let found = concat(
        [
            tagged(posts.clone(), "p_snap", true),
            tagged(events.clone(), "leave", false),
        ],
        UnionArgs::default(),
    )?
    .sort(["k"], Default::default())
    .with_column(
        when((col("k") % lit(2u64)).eq(lit(1u64)))
            .then(col("k"))
            .otherwise(lit(0u64))
            .cum_max(false)
            .alias("last_post"),
    )
    .filter(
        (col("k") % lit(2u64))
            .eq(lit(0u64))
            .and(col("last_post").gt(lit(0u64)))
            .and(
                col("last_post")
                    .floor_div(lit(WORKER_SHIFT))
                    .eq(col("k").floor_div(lit(WORKER_SHIFT))),
            ),
    )
    .select([
        col("k").alias("ev_k"),
        (col("last_post") - lit(1u64)).alias("post_k"),
    ]);
    Ok(events
        .with_column((pack_worker_day(col("wid"), col("leave"))).alias("ev_k"))
        .join(
            found,
            [col("ev_k")],
            [col("ev_k")],
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            posts
                .with_column(pack_worker_day(col("wid"), col("p_snap")).alias("post_k"))
                .drop(cols(["wid"])),
            [col("post_k")],
            [col("post_k")],
            JoinArgs::new(JoinType::Inner),
        )
        .drop(cols(["ev_k", "post_k"])))
}

/// Leaves by month: recorded ones (snapshot rows and leavers reports, the
/// same worker and date once) and inferred ones (in post at m−1, not at m,
/// no leave recorded in m−1…m+1). Columns: wid, month, team_c, service_c,
/// fte, inferred.
fn leave_events(
    leavers: Option<LazyFrame>,
    on_rows: &LazyFrame,
    employed: &LazyFrame,
    months: &LazyFrame,
    team_service: &TeamService,
) -> PolarsResult<LazyFrame> {
    let from_rows = on_rows.clone().select([
        col("wid"),
        col("leave"),
        lit(NULL).cast(DataType::Float64).alias("l_fte"),
        lit(NULL).cast(DataType::UInt32).alias("l_team"),
        lit(NULL).cast(DataType::UInt32).alias("l_service"),
    ]);
    let mut sources = vec![from_rows];
    if let Some(l) = leavers {
        sources.push(
            l.filter(
                col("employment_type")
                    .is_null()
                    .or(col("employment_type").neq(lit(AGENCY))),
            )
            .select([
                col("wid"),
                days("leave_date").alias("leave"),
                col("fte").alias("l_fte"),
                col("team_c").alias("l_team"),
                col("service_c").alias("l_service"),
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
        ])
        // A group-by hands its groups back in an order that changes from
        // run to run. Leaves matched to no snapshot keep this order into
        // the sums of leavers' FTEs, where it can move the last bit: fix it.
        .sort(["wid", "leave"], Default::default());

    // Fields a leavers row lacks come from the last snapshot on which the
    // worker was in post (every post, for a worker with two).
    let posts = employed.clone().select([
        col("wid"),
        col("wm"),
        col("snap").alias("p_snap"),
        col("team_c").alias("p_team"),
        col("service_c").alias("p_service"),
        col("fte").alias("p_fte"),
        col("rid").alias("p_rid"),
    ]);
    let events = events.collect_traced()?;
    let nearby = latest_posts_nearby(&events, &posts)?.collect_traced()?;
    let rest = events
        .clone()
        .lazy()
        .join(
            nearby.clone().lazy().select([col("wid"), col("leave")]),
            [col("wid"), col("leave")],
            [col("wid"), col("leave")],
            JoinArgs::new(JoinType::Anti),
        )
        .collect_traced()?;
    let matched = if rest.height() == 0 {
        nearby.lazy()
    } else {
        concat(
            [nearby.lazy(), latest_posts_anywhere(rest, posts)?],
            UnionArgs::default(),
        )?
        // Used twice below: computed once.
        .collect_traced()?
        .lazy()
    };
    let events = events.lazy();
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
            lit(NULL).cast(DataType::UInt32).alias("p_team"),
            lit(NULL).cast(DataType::UInt32).alias("p_service"),
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
            coalesce(&[col("l_team"), col("p_team")]).alias("team_c"),
            coalesce(&[col("l_service"), col("p_service")]).alias("service_c"),
            coalesce(&[col("l_fte"), col("p_fte")]).alias("fte"),
            lit(false).alias("inferred"),
        ])
        // Used twice below: computed once.
        .collect_traced()?;
    // A leave with a team but no service area takes its team's.
    let recorded = team_service.fill_unplaced(recorded, "service_c")?.lazy();

    // Each employed row a month on, against the employed rows: both keep
    // the rows' (month, worker) order, so they join by merging; a row with
    // no match is a worker gone the next month: `gone_from_employment`,
    // found without hashing. The contract's rule then decides which of
    // them are inferred leaves (the one rule the import warns of).
    let next = employed
        .clone()
        .select([
            (col("wm") + lit(MONTH_SHIFT)).alias("wm"),
            col("wid"),
            (col("month") + lit(1)).alias("month"),
            col("team_c"),
            col("service_c"),
            col("fte"),
            lit(true).alias("inferred"),
        ])
        .collect_traced()?;
    let there = employed
        .clone()
        .select([col("wm"), lit(true).alias("there")])
        .collect_traced()?;
    let gone = merge_on_wm(next, there, JoinType::Left)?
        .filter(col("there").is_null())
        .drop(cols(["there"]));
    let inferred = definitions::inferred_leaves(
        gone,
        recorded.clone().select([col("wid"), col("month")]),
        months.clone(),
        "wid",
    )?
    .drop(cols(["wm"]));

    Ok(concat([recorded, inferred], UnionArgs::default())?.join(
        months.clone().select([col("month")]),
        [col("month")],
        [col("month")],
        JoinArgs::new(JoinType::Inner),
    ))
}

/// Join two frames on their `wm` keys, which both hold in ascending order
/// (the in-post rows' order, or it shifted by whole months): flagged
/// sorted, polars joins them by merging rather than hashing.
fn merge_on_wm(left: DataFrame, right: DataFrame, how: JoinType) -> PolarsResult<LazyFrame> {
    Ok(flag_sorted(left, "wm")?.lazy().join(
        flag_sorted(right, "wm")?.lazy(),
        [col("wm")],
        [col("wm")],
        JoinArgs::new(how),
    ))
}

/// `df` with its column `name` flagged sorted ascending, which the caller
/// knows it is: polars then joins on it by merging rather than hashing.
fn flag_sorted(mut df: DataFrame, name: &str) -> PolarsResult<DataFrame> {
    let mut s = df.column(name)?.as_materialized_series().clone();
    s.set_sorted_flag(polars::series::IsSorted::Ascending);
    df.with_column(s.into_column())?;
    Ok(df)
}

/// Team stability pairs: per group and month, how many of the workers in
/// post 12 months earlier (`base`) are still in post in the group
/// (`stayed`). `employed` are the employed in-post rows (see `Prepared`),
/// with `multi` (the worker has several rows that month); `stock` holds
/// each group's `employed_headcount` by packed `key`.
pub(super) fn stability(
    employed: &LazyFrame,
    stock: &LazyFrame,
    kinds: &[GroupKind],
    slice_rows: usize,
) -> PolarsResult<LazyFrame> {
    // The workers in post 12 months earlier are that month's employed
    // head count (a key's month is its lowest bits).
    let base = stock.clone().select([
        (col("key") + lit(STABILITY_MONTHS as u64)).alias("key"),
        col(Measure::EmployedHeadcount.name()).alias("base"),
    ]);
    // Each worker's employed rows paired with their rows 12 months later:
    // one join for every kind of group. A worker stays in a group when one
    // of their pairs has it at both ends.
    // (The keys stay in the rows' sorted order, a year later too.)
    let side = |months: u64, suffix: &str| {
        employed
            .clone()
            .select([
                (col("wm") + lit(months * MONTH_SHIFT)).alias("wm"),
                col("team_c").alias(format!("team_c{suffix}")),
                col("service_c").alias(format!("service_c{suffix}")),
                col("multi").alias(format!("multi{suffix}")),
            ])
            .collect()
    };
    let pairs = merge_on_wm(
        side(0, "")?,
        side(STABILITY_MONTHS as u64, "0")?,
        JoinType::Inner,
    )?
    .with_column(col("multi").or(col("multi0")).alias("multi"))
    .collect_traced()?;
    let slices = month_slices(&pairs, slice_rows)?;
    let pairs = pairs.lazy();
    // Pairs of workers with one post at each end, counted in one pass into
    // cells of (team kept, service kept, month), summed up to each kind of
    // group; a team or service not the same at both ends is "none".
    let kept = |now: &str, then: &str| {
        when(col(now).eq(col(then)))
            .then(col(now))
            .otherwise(lit(NULL))
    };
    let single_cells = by_slices(&pairs, &slices, |rows| {
        rows.filter(col("multi").not())
            .select([pack_cell(
                kept("team_c", "team_c0"),
                kept("service_c", "service_c0"),
                col("wm").floor_div(lit(MONTH_SHIFT)),
            )
            .alias("cell")])
            .group_by([col("cell")])
            .agg([len().alias("n")])
    })?
    .sort(["cell"], Default::default())
    .collect_traced()?;
    let stayed = per_kind(kinds, |kind| {
        let (now, then) = match kind {
            GroupKind::All => (lit(0u32), lit(0u32)),
            GroupKind::Service => (col("service_c"), col("service_c0")),
            GroupKind::Team => (col("team_c"), col("team_c0")),
        };
        let single = roll_up(&single_cells, kind, vec![col("n").sum()])?;
        // Workers with several posts at either end: once per group.
        let several = pairs
            .clone()
            .filter(col("multi").and(now.clone().eq(then)))
            .select([
                (now.cast(DataType::UInt64) * lit(GROUP_SHIFT * MONTH_SHIFT) + col("wm"))
                    .alias("gmw"),
            ])
            .unique(None, UniqueKeepStrategy::Any)
            .group_by([col("gmw").floor_div(lit(MONTH_SHIFT)).alias("gm")])
            .agg([len().alias("n")]);
        Ok(concat(
            [
                single.select([col("gm"), col("n").cast(DataType::UInt64)]),
                several.select([col("gm"), col("n").cast(DataType::UInt64)]),
            ],
            UnionArgs::default(),
        )?
        .group_by([col("gm")])
        .agg([col("n").sum().cast(DataType::Float64).alias("stayed")]))
    })?;
    Ok(base.join(
        stayed,
        [col("key")],
        [col("key")],
        JoinArgs::new(JoinType::Left),
    ))
}

/// The leavers' FTE of each key's month and the eleven before it
/// (`leavers_12m_sum`), from `leaves` keyed by `key` (see [`with_kind`]).
/// Every group with leaves is laid out over every calendar month from the
/// first held to the last, in key order, so month m−k of a row is the row k
/// above it: twelve shifted columns added, rather than twelve copies of
/// every key grouped again. Added in order from month m back, the order the
/// grouped copies added them in.
pub(super) fn leavers_12m(leaves: &LazyFrame, months: &LazyFrame) -> PolarsResult<LazyFrame> {
    let held = months.clone().select([col("month")]).collect()?;
    let held = held.column("month")?.i32()?;
    let (Some(first), Some(last)) = (held.min(), held.max()) else {
        return Ok(DataFrame::new(
            0,
            vec![
                Column::new("key".into(), Vec::<u64>::new()),
                Column::new("leavers_12m_sum".into(), Vec::<f64>::new()),
            ],
        )?
        .lazy());
    };
    let calendar = DataFrame::new(
        (last - first + 1) as usize,
        vec![Column::new(
            "month".into(),
            (first..=last).collect::<Vec<i32>>(),
        )],
    )?;
    let groups = leaves
        .clone()
        .select([col("key").floor_div(lit(GROUP_SHIFT)).alias("g")])
        .unique(None, UniqueKeepStrategy::Any);
    let fte = col(Measure::LeaversFte.name());
    let window = (1..TURNOVER_MONTHS).fold(fte.clone(), |sum, k| {
        sum + when(col("pos").gt_eq(lit(k)))
            .then(fte.clone().shift(lit(k)))
            .otherwise(lit(0.0))
    });
    Ok(groups
        .cross_join(calendar.lazy(), None)
        .select([
            (col("g") * lit(GROUP_SHIFT) + col("month").cast(DataType::UInt64)).alias("key"),
            (col("month") - lit(first)).alias("pos"),
        ])
        .join(
            leaves
                .clone()
                .select([col("key"), col(Measure::LeaversFte.name())]),
            [col("key")],
            [col("key")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["key"], Default::default())
        .with_column(fte.fill_null(lit(0.0)))
        .select([col("key"), window.alias("leavers_12m_sum")]))
}

/// (team_c, month) pairs with an establishment in force.
pub(in crate::metrics) fn establishment_teams(p: &Prepared) -> PolarsResult<LazyFrame> {
    Ok(in_force(p)?.select([col("team_c"), col("month")]))
}

fn in_force(p: &Prepared) -> PolarsResult<LazyFrame> {
    let Some(est) = &p.establishment else {
        return Err(PolarsError::NoData("no establishment".into()));
    };
    Ok(est
        .clone()
        .select([
            col("team_c"),
            col("service_c").alias("e_service"),
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
        // (Team and month packed into one key: polars groups and joins on
        // several columns by encoding every row's keys first.)
        .group_by([pack_group_month(col("team_c"), col("month")).alias("gm")])
        .agg([
            col("funded_fte").last().alias("est"),
            col("e_service").last().alias("e_service"),
        ])
        .with_columns([
            col("gm")
                .floor_div(lit(GROUP_SHIFT))
                .cast(DataType::UInt32)
                .alias("team_c"),
            (col("gm") % lit(GROUP_SHIFT))
                .cast(DataType::Int32)
                .alias("month"),
        ]))
}

/// Establishment in force at each month (the latest effective date on or
/// before the snapshot; a later import restating a date wins) and the
/// vacancies it implies, team by team, summed up the groups. `team_fte`
/// holds each team's `employed_fte` by packed (team, month) `gm`.
pub(super) fn establishment(
    p: &Prepared,
    team_fte: LazyFrame,
    kinds: &[GroupKind],
) -> PolarsResult<LazyFrame> {
    if p.establishment.is_none() {
        let empty = DataFrame::new(
            0,
            vec![
                Column::new("key".into(), Vec::<u64>::new()),
                Column::new(Measure::EstablishmentFte.name().into(), Vec::<f64>::new()),
                Column::new(Measure::VacancyFte.name().into(), Vec::<f64>::new()),
            ],
        )?;
        return Ok(empty.lazy());
    }
    let rows = in_force(p)?
        .join(
            team_fte,
            [col("gm")],
            [col("gm")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            col("e_service").alias("service_c"),
            (col("est") - col(Measure::EmployedFte.name()).fill_null(lit(0.0))).alias("gap"),
        ])
        .with_column(
            when(col("gap").gt(lit(0.0)))
                .then(col("gap"))
                .otherwise(lit(0.0))
                .alias("vac"),
        );
    per_kind(kinds, |kind| {
        let g = group_code(kind);
        Ok(rows
            .clone()
            .filter(g.clone().is_not_null())
            .group_by([pack_group_month(g, col("month")).alias("gm")])
            .agg([
                col("est").sum().alias(Measure::EstablishmentFte.name()),
                col("vac").sum().alias(Measure::VacancyFte.name()),
            ]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_are_whole_months_of_at_least_the_rows_asked() {
        // Months 24000 (3 rows), 24001 (1), 24002 (4), 24003 (2).
        let months = [
            24000u64, 24000, 24000, 24001, 24002, 24002, 24002, 24002, 24003, 24003,
        ];
        let wm: Vec<u64> = months
            .iter()
            .enumerate()
            .map(|(w, m)| m * MONTH_SHIFT + w as u64)
            .collect();
        let rows = df!("wm" => wm).unwrap();
        let got = |min_rows| month_slices(&rows, min_rows).unwrap();
        // A slice runs to the end of the month its min_rows-th row is in.
        assert_eq!(got(2), [(0, 3), (3, 5), (8, 2)]);
        assert_eq!(got(3), [(0, 3), (3, 5), (8, 2)]);
        assert_eq!(got(4), [(0, 4), (4, 4), (8, 2)]);
        assert_eq!(got(1), [(0, 3), (3, 1), (4, 4), (8, 2)]);
        assert_eq!(got(10), [(0, 10)]);
        assert_eq!(got(100), [(0, 10)]);
        // Rows out of order are one slice.
        let shuffled = df!("wm" => [3u64 * MONTH_SHIFT, 1, 2 * MONTH_SHIFT]).unwrap();
        assert_eq!(month_slices(&shuffled, 1).unwrap(), [(0, 3)]);
        let empty = df!("wm" => Vec::<u64>::new()).unwrap();
        assert!(month_slices(&empty, 2).unwrap().is_empty());
    }

    #[test]
    fn the_twelve_month_window_stays_within_its_group() {
        let key = |g: u64, m: u64| g * GROUP_SHIFT + m;
        let leaves = df!(
            "key" => [key(1, 24000), key(1, 24011), key(1, 24012), key(2, 24000)],
            Measure::LeaversFte.name() => [1.0, 0.5, 2.0, 4.0],
        )
        .unwrap()
        .lazy();
        let months = df!("month" => (24000..=24013).collect::<Vec<i32>>())
            .unwrap()
            .lazy();
        let got = leavers_12m(&leaves, &months).unwrap().collect().unwrap();
        let sum_at = |k: u64| -> f64 {
            let keys = got.column("key").unwrap().u64().unwrap();
            let i = keys.iter().position(|x| x == Some(k)).unwrap();
            got.column("leavers_12m_sum")
                .unwrap()
                .f64()
                .unwrap()
                .get(i)
                .unwrap()
        };
        // Months m−11 … m of the same group, by hand.
        assert_eq!(sum_at(key(1, 24000)), 1.0);
        assert_eq!(sum_at(key(1, 24011)), 1.5);
        assert_eq!(sum_at(key(1, 24012)), 2.5);
        assert_eq!(sum_at(key(1, 24013)), 2.5);
        // Group 2's first months follow group 1's last in key order; none
        // of group 1's leaves count in them.
        assert_eq!(sum_at(key(2, 24000)), 4.0);
        assert_eq!(sum_at(key(2, 24002)), 4.0);
        assert_eq!(sum_at(key(2, 24011)), 4.0);
        assert_eq!(sum_at(key(2, 24012)), 0.0);
        assert_eq!(got.height(), 2 * 14);
    }

    #[test]
    fn month_facts_looked_up_by_position_keep_their_own_values() {
        // Snapshots mid-month (15 January, 14 February 2025): the snapshot
        // day and the month's last day differ, and each row must get its
        // own (polars' common-subexpression pass must not merge the two
        // lookups, alike but for their values).
        let w = df!(
            "month" => [24300, 24301, 24300],
            "snapshot_date" => [20103, 20133, 20103],
        )
        .unwrap();
        let w = w
            .lazy()
            .with_column(col("snapshot_date").cast(DataType::Date))
            .collect()
            .unwrap();
        let months = month_table(&w).unwrap();
        let got = w
            .lazy()
            .with_columns(month_lookup(&months, &["snap_day", "first_day", "last_day"]).unwrap())
            .collect()
            .unwrap();
        let ints = |c: &str| -> Vec<Option<i32>> {
            got.column(c).unwrap().i32().unwrap().iter().collect()
        };
        let day = |m: i32, last: bool| {
            let m = Month(m);
            Some(epoch_days(if last { m.last_day() } else { m.first_day() }))
        };
        assert_eq!(ints("snap_day"), [Some(20103), Some(20133), Some(20103)]);
        assert_eq!(
            ints("first_day"),
            [day(24300, false), day(24301, false), day(24300, false)]
        );
        assert_eq!(
            ints("last_day"),
            [day(24300, true), day(24301, true), day(24300, true)]
        );
    }
}
