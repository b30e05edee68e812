//! The contract's measures (`metrics.md` §2–3), each a short polars
//! expression or function over plain columns, under the contract's own
//! sentence: to be read beside the contract.
//!
//! The columns are the workspace's, as every import stores them (§1):
//! a workforce row is one post on one snapshot, with `worker_id`,
//! `snapshot_date` (d(m)), `month` (m, as `year * 12 + month − 1`), `team`,
//! `service`, `fte`, `employment_type`, `start_date`, `qualified_date`,
//! `asye`, `caseload`, `last_supervision_date`, `leave_date` and
//! `day_rate`. Three more are worked out per row before the measures read
//! them (see [`latest_supervision`], [`absent_from_previous_snapshot`] and
//! [`WEEKDAYS`]). A row's groups are its own `team` and `service` on the
//! snapshot in question (§2).
//!
//! Row conditions ([`in_post`], [`employed_in_post`], [`nqsw`], …) are
//! expressions over one row. Measures ([`employed_fte`],
//! [`employed_headcount`], …) are aggregations over the rows of one group
//! and month, named by the registry ([`Measure::name`]); rates are
//! expressions over the measures they divide. Leaves, the twelve-month
//! window, stability and the establishment read other months or other
//! files, and are functions over frames.
//!
//! [`super::reference`] computes the metrics table from these alone, with
//! plain group-bys. The fast engine (`super::engine`) computes the same
//! faster; tests hold the two to the same figures, cell by cell.
//!
//! Where the contract is silent, the choice made is written here too
//! (marked "Keel's reading").

use super::{Limits, pct, ratio};
use crate::measure::{Base, Measure, Unit};
use polars::prelude::*;

// ---------------------------------------------------------------------
// The contract's constants, named once: the engine, the reference and the
// import all read these.

/// nqsw_headcount: "where `asye` is unknown, with d(m) − `qualified_date`
/// < 365 days".
pub const NQSW_DAYS: i32 = 365;

/// early_career_share_pct: "d(m) − `qualified_date` < 730 days, or nqsw".
pub const EARLY_CAREER_DAYS: i32 = 730;

/// Supervision interval: "7 days for an NQSW in the first 42 days since
/// `start_date`".
pub const NQSW_FIRST_WEEKS_DAYS: i32 = 42;
pub const NQSW_FIRST_WEEKS_INTERVAL: i32 = 7;

/// "14 days for an NQSW in the first 183 days".
pub const NQSW_FIRST_MONTHS_DAYS: i32 = 183;
pub const NQSW_FIRST_MONTHS_INTERVAL: i32 = 14;

/// "otherwise 31 days".
pub const STANDARD_INTERVAL: i32 = 31;

/// case_holders_fte: "rows of E(m) ∪ A(m) with caseload ≥ 1".
pub const CASE_HOLDER_MIN_CASES: f64 = 1.0;

/// leavers_fte_12m: "sum of leavers_fte over months m−11 … m; null unless
/// all twelve snapshots are held".
pub const TURNOVER_MONTHS: i32 = 12;

/// stability_index_pct: "workers in E(m−12) of g …; null without snapshot
/// m−12".
pub const STABILITY_MONTHS: i32 = 12;

/// Inferred leave: "has no leave recorded in months m−1, m or m+1": a leave
/// recorded this many months either side of m rules inferring one out.
pub const INFERRED_LEAVE_MONTHS: i32 = 1;

/// The `employment_type` of agency workers (§1 values); every other type
/// is employed.
pub const AGENCY: &str = "agency";

/// Keel's reading: the service area of a row, leave or establishment line
/// that names none and whose team has none on record (see
/// [`team_services`]).
pub const UNASSIGNED: &str = "Unassigned";

/// Mondays to Fridays in the row's month (agency_cost), as
/// [`crate::month::Month::weekdays`] counts them.
pub const WEEKDAYS: &str = "weekdays";

/// The day of the latest supervision on or before d(m) (see
/// [`latest_supervision`]).
pub const LATEST_SUPERVISION: &str = "latest_supervision";

/// Whether the row's worker is on no row of snapshot m−1, snapshot m−1
/// being held (see [`absent_from_previous_snapshot`]).
pub const ABSENT_BEFORE: &str = "absent_before";

// ---------------------------------------------------------------------
// §2 Months and groups.

/// A date column as a day number, so that d(m) − a date is a count of days.
pub fn days(name: &str) -> Expr {
    col(name).cast(DataType::Int32)
}

/// The month (`year * 12 + month − 1`) of a date.
pub fn month_of(date: Expr) -> Expr {
    let d = date.cast(DataType::Date);
    d.clone().dt().year().cast(DataType::Int32) * lit(12) + d.dt().month().cast(DataType::Int32)
        - lit(1)
}

/// "A row whose `leave_date` is on or before d(m) is not in post at d(m).
/// A row with a later `leave_date` is in post (a worker under notice)."
pub fn in_post() -> Expr {
    col("leave_date")
        .is_null()
        .or(days("leave_date").gt(days("snapshot_date")))
}

/// "employment_type is not agency".
pub fn employed() -> Expr {
    col("employment_type").neq(lit(AGENCY))
}

/// "E(m) = employed rows in post at d(m) (employment_type is not agency)".
pub fn employed_in_post() -> Expr {
    in_post().and(employed())
}

/// "A(m) = agency rows in post at d(m)."
pub fn agency_in_post() -> Expr {
    in_post().and(employed().not())
}

// ---------------------------------------------------------------------
// Facts of one row.

/// "`asye` = yes, or, where `asye` is unknown, with d(m) −
/// `qualified_date` < 365 days". (Neither known: not an NQSW.)
pub fn nqsw() -> Expr {
    when(col("asye").is_not_null())
        .then(col("asye"))
        .otherwise((days("snapshot_date") - days("qualified_date")).lt(lit(NQSW_DAYS)))
        .fill_null(lit(false))
}

/// "d(m) − `qualified_date` < 730 days, or nqsw".
pub fn early_career() -> Expr {
    nqsw().or((days("snapshot_date") - days("qualified_date"))
        .lt(lit(EARLY_CAREER_DAYS))
        .fill_null(lit(false)))
}

/// "rows of E(m) ∪ A(m) with caseload ≥ 1".
pub fn case_holder() -> Expr {
    in_post().and(
        col("caseload")
            .gt_eq(lit(CASE_HOLDER_MIN_CASES))
            .fill_null(lit(false)),
    )
}

/// "Interval: 7 days for an NQSW in the first 42 days since `start_date`,
/// 14 days for an NQSW in the first 183 days, otherwise 31 days."
/// (Without a start date: 31 days.)
pub fn supervision_interval() -> Expr {
    let since_start = days("snapshot_date") - days("start_date");
    when(nqsw().and(since_start.clone().lt(lit(NQSW_FIRST_WEEKS_DAYS))))
        .then(lit(NQSW_FIRST_WEEKS_INTERVAL))
        .when(nqsw().and(since_start.lt(lit(NQSW_FIRST_MONTHS_DAYS))))
        .then(lit(NQSW_FIRST_MONTHS_INTERVAL))
        .otherwise(lit(STANDARD_INTERVAL))
}

/// "Days since = d(m) − the latest supervision on or before d(m) […]. No
/// supervision on record = not within."
pub fn supervised_within_interval() -> Expr {
    (days("snapshot_date") - col(LATEST_SUPERVISION))
        .lt_eq(supervision_interval())
        .fill_null(lit(false))
}

/// "case holders whose caseload exceeds their limit: the NQSW limit for
/// NQSW, the standard limit otherwise". (Keel's reading: row by row, as
/// case holders are rows; a worker over the limit on any post counts.)
pub fn over_limit(limits: Limits) -> Expr {
    case_holder().and(
        when(nqsw())
            .then(col("caseload").gt(lit(limits.nqsw)))
            .otherwise(col("caseload").gt(lit(limits.standard))),
    )
}

/// "workers in E(m) whose `start_date` is in month m; without a start
/// date, workers in E(m) absent from every row of snapshot m−1 (never
/// counted for the first month held)". (Keel's reading: nor in a month
/// after a gap, when no snapshot m−1 is held to be absent from.)
pub fn starter() -> Expr {
    employed_in_post().and(
        when(col("start_date").is_not_null())
            .then(month_of(col("start_date")).eq(col("month")))
            .otherwise(col(ABSENT_BEFORE)),
    )
}

/// "fte × `day_rate` × weekdays (Mon–Fri) in month m", for one agency post.
pub fn agency_post_cost() -> Expr {
    col("fte") * col("day_rate") * col(WEEKDAYS)
}

// ---------------------------------------------------------------------
// Row facts read from other rows and files.

/// "Days since = d(m) − the latest supervision on or before d(m), from
/// `last_supervision_date` or the supervision log": each row of
/// `workforce` with [`LATEST_SUPERVISION`] (a day number, null with none
/// on record). `log`: the supervision log (`worker_id`,
/// `supervision_date`). `workforce` needs a unique `row` column.
pub fn latest_supervision(workforce: LazyFrame, log: Option<LazyFrame>) -> PolarsResult<LazyFrame> {
    let on_row = when(days("last_supervision_date").lt_eq(days("snapshot_date")))
        .then(days("last_supervision_date"))
        .otherwise(lit(NULL).cast(DataType::Int32));
    let Some(log) = log else {
        return Ok(workforce.with_column(on_row.alias(LATEST_SUPERVISION)));
    };
    let from_log = workforce
        .clone()
        .select([
            col("row"),
            col("worker_id"),
            days("snapshot_date").alias("d"),
        ])
        .join(
            log.select([col("worker_id"), days("supervision_date").alias("session")]),
            [col("worker_id")],
            [col("worker_id")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("session").lt_eq(col("d")))
        .group_by([col("row")])
        .agg([col("session").max().alias("from_log")]);
    Ok(workforce
        .join(
            from_log,
            [col("row")],
            [col("row")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            polars::lazy::dsl::max_horizontal([on_row, col("from_log")])?.alias(LATEST_SUPERVISION),
        )
        .drop(cols(["from_log"])))
}

/// Each row of `workforce` with [`ABSENT_BEFORE`]: its worker is on no
/// row of snapshot m−1 (any row: in post or not, employed or agency), and
/// snapshot m−1 is held (the starters of the first month held, or of a
/// month after a gap, are not known).
pub fn absent_from_previous_snapshot(workforce: LazyFrame) -> LazyFrame {
    let held = workforce
        .clone()
        .select([(col("month") + lit(1)).alias("month")])
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(lit(true).alias("prev_held"));
    let there = workforce
        .clone()
        .select([col("worker_id"), (col("month") + lit(1)).alias("month")])
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(lit(true).alias("was_there"));
    workforce
        .join(
            held,
            [col("month")],
            [col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            there,
            [col("worker_id"), col("month")],
            [col("worker_id"), col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            col("prev_held")
                .fill_null(lit(false))
                .and(col("was_there").is_null())
                .alias(ABSENT_BEFORE),
        )
        .drop(cols(["prev_held", "was_there"]))
}

/// Keel's reading of a caseload extract (§1: one row per worker, or per
/// allocated child, counted per worker): for a month it covers, it is the
/// truth. Each worker's cases that month go on their first workforce row
/// of the month (in row order, the `row` column), in post or not; their
/// other rows, and workers the extract does not list, hold 0. Months it
/// does not cover keep the workforce rows' own `caseload`.
pub fn caseload_from_extract(workforce: LazyFrame, extract: Option<LazyFrame>) -> LazyFrame {
    let Some(extract) = extract else {
        return workforce;
    };
    let per_worker = extract
        .clone()
        .group_by([col("worker_id"), col("month")])
        .agg([col("caseload").sum().alias("extract_cases")]);
    let covered = extract
        .select([col("month")])
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(lit(true).alias("covered"));
    let first_row = workforce
        .clone()
        .group_by([col("worker_id"), col("month")])
        .agg([col("row").min().alias("first_row")]);
    workforce
        .join(
            per_worker,
            [col("worker_id"), col("month")],
            [col("worker_id"), col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            covered,
            [col("month")],
            [col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            first_row,
            [col("worker_id"), col("month")],
            [col("worker_id"), col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("covered").fill_null(lit(false)))
                .then(
                    when(col("row").eq(col("first_row")))
                        .then(col("extract_cases").fill_null(lit(0.0)))
                        .otherwise(lit(0.0)),
                )
                .otherwise(col("caseload"))
                .alias("caseload"),
        )
        .drop(cols(["extract_cases", "covered", "first_row"]))
}

/// Keel's reading of a row, leave or establishment line without a service
/// area: it takes its team's (`team`, `team_service`). A team's area is the
/// one its rows name on the latest snapshot where they name one (two in
/// that month: the later in name order); else the last establishment line
/// of the team naming one (in file order); else [`UNASSIGNED`].
pub fn team_services(workforce: LazyFrame, establishment: Option<LazyFrame>) -> LazyFrame {
    let from_rows = workforce
        .select([col("team"), col("service"), col("month")])
        .filter(col("service").is_not_null())
        .group_by([col("team")])
        .agg([col("service")
            .sort_by(
                [col("month"), col("service")],
                SortMultipleOptions::default(),
            )
            .last()
            .alias("from_rows")]);
    let Some(establishment) = establishment else {
        return from_rows.select([col("team"), col("from_rows").alias("team_service")]);
    };
    let from_file = establishment
        .filter(col("service").is_not_null())
        .group_by_stable([col("team")])
        .agg([col("service").last().alias("from_file")]);
    from_rows
        .join(
            from_file,
            [col("team")],
            [col("team")],
            JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .select([
            col("team"),
            coalesce(&[col("from_rows"), col("from_file")]).alias("team_service"),
        ])
}

/// `lf` with `service` filled, where it names a team but no service area,
/// from `areas` (see [`team_services`]).
pub fn with_team_service(lf: LazyFrame, areas: LazyFrame) -> LazyFrame {
    lf.join(
        areas,
        [col("team")],
        [col("team")],
        JoinArgs::new(JoinType::Left),
    )
    .with_column(
        when(col("team").is_null())
            .then(col("service"))
            .otherwise(coalesce(&[
                col("service"),
                col("team_service"),
                lit(UNASSIGNED),
            ]))
            .alias("service"),
    )
    .drop(cols(["team_service"]))
}

// ---------------------------------------------------------------------
// §3 Metrics for group g at month m: aggregations over the in-post rows of
// one group and month.

fn named(m: Measure) -> Expr {
    col(m.name())
}

/// Distinct workers among the rows where `rows` holds: a worker with two
/// posts counts once.
pub fn distinct_workers(rows: Expr) -> Expr {
    col("worker_id").filter(rows).n_unique()
}

fn fte_of(rows: Expr) -> Expr {
    col("fte").filter(rows).sum()
}

/// employed_fte: "sum of `fte` over E(m)".
pub fn employed_fte() -> Expr {
    fte_of(employed_in_post()).alias(Measure::EmployedFte.name())
}

/// employed_headcount: "distinct `worker_id` in E(m)".
pub fn employed_headcount() -> Expr {
    distinct_workers(employed_in_post()).alias(Measure::EmployedHeadcount.name())
}

/// agency_fte: "the same over A(m)".
pub fn agency_fte() -> Expr {
    fte_of(agency_in_post()).alias(Measure::AgencyFte.name())
}

/// agency_headcount: "the same over A(m)".
pub fn agency_headcount() -> Expr {
    distinct_workers(agency_in_post()).alias(Measure::AgencyHeadcount.name())
}

/// agency_rate_pct: "100 × agency_fte / (agency_fte + employed_fte)".
pub fn agency_rate_pct() -> Expr {
    pct(
        named(Measure::AgencyFte),
        named(Measure::AgencyFte) + named(Measure::EmployedFte),
    )
    .alias(Measure::AgencyRate.name())
}

/// starters_fte: "workers in E(m) whose `start_date` is in month m; without
/// a start date, workers in E(m) absent from every row of snapshot m−1".
pub fn starters_fte() -> Expr {
    fte_of(starter()).alias(Measure::StartersFte.name())
}

/// starters_headcount: the same, distinct workers.
pub fn starters_headcount() -> Expr {
    distinct_workers(starter()).alias(Measure::StartersHeadcount.name())
}

/// nqsw_headcount: "workers in E(m) with `asye` = yes, or, where `asye` is
/// unknown, with d(m) − `qualified_date` < 365 days".
pub fn nqsw_headcount() -> Expr {
    distinct_workers(employed_in_post().and(nqsw())).alias(Measure::NqswHeadcount.name())
}

/// The numerator of early_career_share_pct: "workers in E(m) with d(m) −
/// `qualified_date` < 730 days, or nqsw".
pub const EARLY_CAREER_HEADCOUNT: &str = "early_career_headcount";

pub fn early_career_headcount() -> Expr {
    distinct_workers(employed_in_post().and(early_career())).alias(EARLY_CAREER_HEADCOUNT)
}

/// nqsw_share_pct: "100 × nqsw_headcount / employed_headcount".
pub fn nqsw_share_pct() -> Expr {
    pct(
        named(Measure::NqswHeadcount),
        named(Measure::EmployedHeadcount),
    )
    .alias(Measure::NqswShare.name())
}

/// early_career_share_pct: "100 × (workers in E(m) with d(m) −
/// `qualified_date` < 730 days, or nqsw) / employed_headcount".
pub fn early_career_share_pct() -> Expr {
    pct(
        col(EARLY_CAREER_HEADCOUNT),
        named(Measure::EmployedHeadcount),
    )
    .alias(Measure::EarlyCareerShare.name())
}

/// case_holders_fte: "sum of `fte` over rows of E(m) ∪ A(m) with caseload
/// ≥ 1".
pub fn case_holders_fte() -> Expr {
    fte_of(case_holder()).alias(Measure::CaseHoldersFte.name())
}

/// cases: "sum of `caseload` over those rows".
pub fn cases() -> Expr {
    col("caseload")
        .filter(case_holder())
        .sum()
        .alias(Measure::Cases.name())
}

/// caseload_per_fte: "cases / case_holders_fte".
pub fn caseload_per_fte() -> Expr {
    ratio(named(Measure::Cases), named(Measure::CaseHoldersFte))
        .alias(Measure::CaseloadPerFte.name())
}

/// over_limit_headcount: "case holders whose caseload exceeds their limit".
pub fn over_limit_headcount(limits: Limits) -> Expr {
    distinct_workers(over_limit(limits)).alias(Measure::OverLimitHeadcount.name())
}

/// The case holders, as people: the base of supervision compliance and of
/// caseload per FTE.
pub fn case_holders_headcount() -> Expr {
    distinct_workers(case_holder()).alias(Base::CaseHolders.name())
}

/// The numerator of supervision_compliance_pct: "case holders supervised
/// within their interval".
pub const SUPERVISED_HEADCOUNT: &str = "supervised_headcount";

pub fn supervised_headcount() -> Expr {
    distinct_workers(case_holder().and(supervised_within_interval())).alias(SUPERVISED_HEADCOUNT)
}

/// supervision_compliance_pct: "100 × (case holders supervised within
/// their interval) / (case holders)".
pub fn supervision_compliance_pct() -> Expr {
    pct(col(SUPERVISED_HEADCOUNT), col(Base::CaseHolders.name()))
        .alias(Measure::SupervisionCompliance.name())
}

/// The agency posts in post (posts, not people).
pub const AGENCY_POSTS: &str = "agency_posts";

pub fn agency_posts() -> Expr {
    agency_in_post().sum().alias(AGENCY_POSTS)
}

/// Those with a day rate: the base of agency_cost.
pub fn agency_rated_posts() -> Expr {
    agency_in_post()
        .and(col("day_rate").is_not_null())
        .sum()
        .alias(Base::AgencyRated.name())
}

/// The cost of the agency posts with a day rate.
pub const AGENCY_COST_RATED: &str = "agency_cost_rated";

pub fn agency_cost_rated() -> Expr {
    agency_post_cost()
        .filter(agency_in_post().and(col("day_rate").is_not_null()))
        .sum()
        .alias(AGENCY_COST_RATED)
}

/// agency_cost: "sum over A(m) of fte × `day_rate` × weekdays (Mon–Fri) in
/// month m; 0 when the group has no agency workers, null when it has some
/// but none carries a day rate". (Some with a rate: their cost.)
pub fn agency_cost() -> Expr {
    when(col(AGENCY_POSTS).eq(lit(0)))
        .then(lit(0.0))
        .when(col(Base::AgencyRated.name()).eq(lit(0)))
        .then(lit(NULL).cast(DataType::Float64))
        .otherwise(col(AGENCY_COST_RATED))
        .alias(Measure::AgencyCost.name())
}

/// Every aggregation over one group's in-post rows of one month, as above.
pub fn in_post_aggregations(limits: Limits) -> Vec<Expr> {
    vec![
        employed_fte(),
        employed_headcount(),
        agency_fte(),
        agency_headcount(),
        starters_fte(),
        starters_headcount(),
        nqsw_headcount(),
        early_career_headcount(),
        case_holders_fte(),
        cases(),
        over_limit_headcount(limits),
        case_holders_headcount(),
        supervised_headcount(),
        agency_posts(),
        agency_rated_posts(),
        agency_cost_rated(),
    ]
}

/// The measures that are sums or counts over people (rows, leaves): 0,
/// never null, for a group with nobody to count. (Establishment and
/// vacancies are null without establishment data, the twelve-month sum
/// without all twelve snapshots.)
pub fn zero_when_nobody() -> impl Iterator<Item = Measure> {
    Measure::ALL.into_iter().filter(|m| {
        matches!(m.unit(), Unit::Fte | Unit::People | Unit::Cases)
            && !matches!(
                m,
                Measure::EstablishmentFte | Measure::VacancyFte | Measure::LeaversFte12m
            )
    })
}

// ---------------------------------------------------------------------
// Leavers.

/// "A leave is an employed worker's `leave_date` (from a `workforce` row
/// or a `leavers` row; the same worker and date counted once)": each
/// (`worker_id`, `leave_date`) once, with the leavers row's `fte`, `team`
/// and `service` where there is one (null else). A workforce row records a
/// leave whether or not it is still in post (under notice); a leavers row
/// whose `employment_type` is agency records none (one without a type is
/// an employed worker's, as the leavers extract is).
pub fn recorded_leaves(
    workforce: LazyFrame,
    leavers: Option<LazyFrame>,
) -> PolarsResult<LazyFrame> {
    let on_rows = workforce
        .filter(employed().and(col("leave_date").is_not_null()))
        .select([
            col("worker_id"),
            col("leave_date"),
            lit(NULL).cast(DataType::Float64).alias("fte"),
            lit(NULL).cast(DataType::String).alias("team"),
            lit(NULL).cast(DataType::String).alias("service"),
        ]);
    let mut sources = vec![on_rows];
    if let Some(l) = leavers {
        sources.push(
            l.filter(col("employment_type").is_null().or(employed()))
                .select([
                    col("worker_id"),
                    col("leave_date"),
                    col("fte"),
                    col("team"),
                    col("service"),
                ]),
        );
    }
    Ok(concat(sources, UnionArgs::default())?
        .group_by([col("worker_id"), col("leave_date")])
        .agg([col("fte").max(), col("team").max(), col("service").max()]))
}

/// "Its FTE and group come from the leavers row if given, else from the
/// last snapshot on which the worker was in post (a field the leavers row
/// lacks, such as `service`, also comes from that snapshot)": each leave of
/// [`recorded_leaves`] with `month` (its leave's), `team`, `service` and
/// `fte`. The last snapshot is the latest with the worker in E(m) before
/// the leave date. Keel's reading, for a worker with several posts on it:
/// without a leavers FTE, each post leaves (its FTE and group); with one,
/// the leave is one, the missing fields from the worker's first post (in
/// row order, the `row` column). `posts` are the rows of E(m).
pub fn recorded_leaves_placed(leaves: LazyFrame, posts: LazyFrame) -> PolarsResult<LazyFrame> {
    let leaves = leaves.with_row_index("leave", None);
    let last = leaves
        .clone()
        .select([col("leave"), col("worker_id"), col("leave_date")])
        .join(
            posts.select([
                col("worker_id"),
                col("snapshot_date").alias("p_date"),
                col("team").alias("p_team"),
                col("service").alias("p_service"),
                col("fte").alias("p_fte"),
                col("row").alias("p_row"),
            ]),
            [col("worker_id")],
            [col("worker_id")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(days("p_date").lt(days("leave_date")))
        .filter(col("p_date").eq(col("p_date").max().over([col("leave")])?))
        .drop(cols(["worker_id", "leave_date"]));
    Ok(leaves
        .join(
            last,
            [col("leave")],
            [col("leave")],
            JoinArgs::new(JoinType::Left),
        )
        .filter(
            col("fte").is_null().or(col("p_row")
                .eq(col("p_row").min().over([col("leave")])?)
                .fill_null(lit(true))),
        )
        .select([
            col("worker_id"),
            month_of(col("leave_date")).alias("month"),
            coalesce(&[col("team"), col("p_team")]).alias("team"),
            coalesce(&[col("service"), col("p_service")]).alias("service"),
            coalesce(&[col("fte"), col("p_fte")]).alias("fte"),
        ]))
}

/// The posts of E(m−1) whose worker is in no post of E(m), each carried to
/// month m (`month` = m, the rest as on snapshot m−1): the workers who
/// left employment between the two snapshots, by vanishing or by going
/// from employed to agency ("a worker who goes from employed to agency has
/// left"). `posts` are the rows of E(m) (`worker_id`, `month`, …); the
/// result keeps their order.
pub fn gone_from_employment(posts: LazyFrame) -> LazyFrame {
    let next = posts.clone().with_column(col("month") + lit(1));
    let still = posts.select([col("worker_id"), col("month")]);
    next.join(
        still,
        [col("worker_id"), col("month")],
        [col("worker_id"), col("month")],
        JoinArgs::new(JoinType::Anti),
    )
}

/// "An inferred leave: a worker in E(m−1) who is on no row of snapshot m
/// and has no leave recorded in months m−1, m or m+1 is counted as leaving
/// in month m, with FTE and group from snapshot m−1, and listed as a
/// data-quality warning."
///
/// Read with "a worker who goes from employed to agency has left": "on no
/// row of snapshot m" as an employed worker in post, E(m). (A row of m out
/// of post records a leave in m−1 or m.) Snapshot m must be held: without
/// it, nobody is known to be gone.
///
/// The one rule the metrics count and the import warns of. `gone`: the
/// posts of [`gone_from_employment`] (or the same found faster), with a
/// `worker` column naming the worker and `month` = m; `recorded`: every
/// recorded leave's (`worker`, `month`); `held`: the months held
/// (`month`). Returns the posts of `gone` that are inferred leaves, in
/// `gone`'s order.
pub fn inferred_leaves(
    gone: LazyFrame,
    recorded: LazyFrame,
    held: LazyFrame,
    worker: &str,
) -> PolarsResult<LazyFrame> {
    let covered = concat(
        (-INFERRED_LEAVE_MONTHS..=INFERRED_LEAVE_MONTHS)
            .map(|k| {
                recorded
                    .clone()
                    .select([col(worker), (col("month") + lit(k)).alias("month")])
            })
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?;
    Ok(gone
        .join(
            held.select([col("month")]),
            [col("month")],
            [col("month")],
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            covered,
            [col(worker), col("month")],
            [col(worker), col("month")],
            JoinArgs::new(JoinType::Anti),
        ))
}

/// leavers_fte: "employed workers whose leave falls in month m": the sum of
/// their `fte` (see [`recorded_leaves_placed`], [`inferred_leaves`]).
pub fn leavers_fte() -> Expr {
    col("fte").sum().alias(Measure::LeaversFte.name())
}

/// leavers_headcount: the same, distinct workers.
pub fn leavers_headcount() -> Expr {
    col("worker_id")
        .n_unique()
        .alias(Measure::LeaversHeadcount.name())
}

// ---------------------------------------------------------------------
// The twelve-month window and turnover.

/// "null unless all twelve snapshots are held": whether months m−11 … m
/// are all held (`held` tells a month held).
pub fn turnover_window_held(m: i32, held: impl Fn(i32) -> bool) -> bool {
    (m - (TURNOVER_MONTHS - 1)..=m).all(held)
}

/// Whether the twelve months to m are all held (see
/// [`turnover_window_held`]), per month.
pub const TURNOVER_WINDOW_HELD: &str = "turnover_window_held";

/// The sum of leavers_fte over months m−11 … m, per (group, month):
/// `leavers` holds leavers_fte by (group, `month`) (`group` its key
/// columns), and a month's leavers count in the window of that month and
/// of the eleven after it.
pub fn leavers_fte_in_window(leavers: LazyFrame, group: &[&str]) -> PolarsResult<LazyFrame> {
    let key: Vec<Expr> = group
        .iter()
        .map(|g| col(*g))
        .chain([col("month")])
        .collect();
    let spread = (0..TURNOVER_MONTHS)
        .map(|k| leavers.clone().with_column(col("month") + lit(k)))
        .collect::<Vec<_>>();
    Ok(concat(spread, UnionArgs::default())?
        .group_by(key)
        .agg([named(Measure::LeaversFte)
            .sum()
            .alias(LEAVERS_FTE_IN_WINDOW)]))
}

/// The sum [`leavers_fte_in_window`] gives, per (group, month).
pub const LEAVERS_FTE_IN_WINDOW: &str = "leavers_fte_in_window";

/// leavers_fte_12m: "sum of leavers_fte over months m−11 … m; null unless
/// all twelve snapshots are held".
pub fn leavers_fte_12m() -> Expr {
    when(col(TURNOVER_WINDOW_HELD))
        .then(col(LEAVERS_FTE_IN_WINDOW).fill_null(lit(0.0)))
        .otherwise(lit(NULL).cast(DataType::Float64))
        .alias(Measure::LeaversFte12m.name())
}

/// turnover_rate_12m_pct: "100 × leavers_fte_12m / employed_fte".
pub fn turnover_rate_12m_pct() -> Expr {
    pct(named(Measure::LeaversFte12m), named(Measure::EmployedFte))
        .alias(Measure::TurnoverRate12m.name())
}

// ---------------------------------------------------------------------
// Stability.

/// The workers stability follows: those in E(m−12) of g.
pub const STABILITY_BASE: &str = Base::StabilityBase.name();

/// The numerator of stability_index_pct: those of them in E(m) of g.
pub const STAYED: &str = "stayed_headcount";

/// stability_index_pct's two counts for each (group, month), from
/// `members`: one row per (`worker_id`, group, `month`) of E(m) (any key
/// columns in `group`). A worker in E(m−12) of g stays when they are in
/// E(m) of g. Keyed by the later month.
pub fn stability_counts(members: LazyFrame, group: &[&str]) -> LazyFrame {
    let on: Vec<Expr> = group
        .iter()
        .map(|g| col(*g))
        .chain([col("worker_id"), col("month")])
        .collect();
    let key: Vec<Expr> = group
        .iter()
        .map(|g| col(*g))
        .chain([col("month")])
        .collect();
    let members = members.unique(None, UniqueKeepStrategy::Any);
    let then = members
        .clone()
        .with_column(col("month") + lit(STABILITY_MONTHS));
    let now = members.with_column(lit(true).alias("now"));
    then.join(now, on.clone(), on, JoinArgs::new(JoinType::Left))
        .group_by(key)
        .agg([
            len().alias(STABILITY_BASE),
            col("now").count().alias(STAYED),
        ])
}

/// "null without snapshot m−12": whether it is held (`held` tells a month
/// held).
pub fn stability_base_held(m: i32, held: impl Fn(i32) -> bool) -> bool {
    held(m - STABILITY_MONTHS)
}

/// Whether snapshot m−12 is held (see [`stability_base_held`]), per month.
pub const STABILITY_BASE_HELD: &str = "stability_base_held";

/// stability_index_pct: "100 × (workers in E(m−12) of g who are in E(m) of
/// g) / (workers in E(m−12) of g), by headcount; null without snapshot
/// m−12".
pub fn stability_index_pct() -> Expr {
    when(col(STABILITY_BASE_HELD))
        .then(pct(col(STAYED).fill_null(lit(0)), col(STABILITY_BASE)))
        .otherwise(lit(NULL).cast(DataType::Float64))
        .alias(Measure::StabilityIndex.name())
}

// ---------------------------------------------------------------------
// Establishment and vacancies.

/// "`funded_fte` in force at m" (§1: an establishment line "applies from
/// that month until replaced"): for each team and month held, the line
/// with the latest `effective_date` on or before d(m) (no date: always in
/// force); Keel's reading, for two such lines: the later import's, then
/// the later in the file. `establishment`: the lines (`team`, `service`,
/// `funded_fte`, `effective_date`, `import`); `months`: (`month`,
/// `snapshot_date`). Returns (`team`, `service`, `month`, `funded_fte`).
pub fn establishment_in_force(establishment: LazyFrame, months: LazyFrame) -> LazyFrame {
    establishment
        .select(["team", "service", "funded_fte", "effective_date", "import"].map(col))
        .with_row_index("line", None)
        .with_column(
            days("effective_date")
                .fill_null(lit(i32::MIN))
                .alias("from"),
        )
        .cross_join(
            months.select([col("month"), days("snapshot_date").alias("d")]),
            None,
        )
        .filter(col("from").lt_eq(col("d")))
        .group_by([col("team"), col("month")])
        .agg(["funded_fte", "service"].map(|c| {
            col(c)
                .sort_by(
                    [col("from"), col("import"), col("line")],
                    SortMultipleOptions::default(),
                )
                .last()
        }))
}

/// establishment_fte: "sum over the teams of g of the `funded_fte` in force
/// at m; null without establishment data". Over lines in force.
pub fn establishment_fte() -> Expr {
    col("funded_fte")
        .sum()
        .alias(Measure::EstablishmentFte.name())
}

/// One team's vacancy: "max(0, establishment_fte(t) − employed_fte(t))",
/// over a line in force with its team's `employed_fte` (null: none).
pub fn team_vacancy() -> Expr {
    let gap = col("funded_fte") - named(Measure::EmployedFte).fill_null(lit(0.0));
    when(gap.clone().gt(lit(0.0))).then(gap).otherwise(lit(0.0))
}

/// vacancy_fte: "sum over the teams t of g of max(0, establishment_fte(t)
/// − employed_fte(t))".
pub fn vacancy_fte() -> Expr {
    team_vacancy().sum().alias(Measure::VacancyFte.name())
}

/// vacancy_rate_pct: "100 × vacancy_fte / (vacancy_fte + employed_fte)".
pub fn vacancy_rate_pct() -> Expr {
    pct(
        named(Measure::VacancyFte),
        named(Measure::VacancyFte) + named(Measure::EmployedFte),
    )
    .alias(Measure::VacancyRate.name())
}
