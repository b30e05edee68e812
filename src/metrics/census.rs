//! The annual measures of a census return (`csww-census.md` §6), as the DfE
//! computes them, on the September row of its census year; how they join
//! the monthly table; where the two disagree.
//!
//! The stored table of a return (`census::records` writes it) has one row
//! per record: the columns named below. Keel's readings, where the spec
//! leaves a choice:
//! - In post: an employed or agency record with no leaving date, or one
//!   after 30 September (leaving on 30 September makes a leaver).
//! - A post's FTE is `FTE`, else `FTE30`; a leaver's is `FTE`, else
//!   `FTE30` when `FTE` is 0 or absent (§5).
//! - Employed head counts are distinct SWE numbers (two posts, one
//!   person); agency head counts are records, as the DfE does not
//!   de-duplicate agency records.
//! - The registry's monthly flows on the September row are September's
//!   (leavers and starters of that month); the year's leavers are
//!   `leavers_fte_12m`, over which turnover is taken.
//! - Working days lost add up every employed record of the year, leavers
//!   included: the item is the year's days lost, whoever lost them.
//! - An NQSW is CFKSS status 1 (ASYE); a record giving no status is one
//!   when it started newly qualified (origin 1) less than 365 days before
//!   30 September.

use super::definitions::{NQSW_DAYS, days, month_of};
use super::{BASES, GroupKind, Limits, METRICS, pct, ratio};
use crate::measure::{Base, Measure};
use polars::prelude::*;

pub const WORKER_ID: &str = "worker_id";
/// The record's position among the return's `CSWWWorker` elements.
pub const RECORD: &str = "record";
pub const LINE: &str = "line";
/// September of the census year (a month number, as everywhere).
pub const MONTH: &str = "month";
pub const CENSUS_YEAR: &str = "census_year";
/// 30 September of the census year.
pub const SNAPSHOT_DATE: &str = "snapshot_date";
pub const AGENCY: &str = "agency";
pub const FTE: &str = "fte";
pub const FTE30: &str = "fte30";
pub const ROLE: &str = "role";
pub const START_DATE: &str = "start_date";
pub const START_ORIGIN: &str = "start_origin";
pub const LEAVE_DATE: &str = "leave_date";
pub const LEAVER_DESTINATION: &str = "leaver_destination";
pub const LEAVING_REASON: &str = "leaving_reason";
pub const CASES: &str = "cases";
pub const WORKING_DAYS_LOST: &str = "working_days_lost";
pub const ASYE: &str = "asye";
pub const LA_CODE: &str = "la_code";
pub const VACANCIES_FTE: &str = "vacancies_fte";
pub const AGENCY_COVER_FTE: &str = "agency_cover_fte";
pub const AGENCY_COVER_HEADCOUNT: &str = "agency_cover_headcount";

/// absence_rate_pct: "days lost ÷ (in-post FTE × 253)".
pub const WORKING_DAYS_A_YEAR: f64 = 253.0;

/// The metrics table's column saying where a row's figures come from:
/// [`FROM_MONTHLY`] snapshots or [`FROM_RETURN`] (a census year held only
/// as a return).
pub const SOURCE: &str = "source";
pub const FROM_MONTHLY: &str = "monthly";
pub const FROM_RETURN: &str = "census return";

/// How far the return's figure and the monthly one may differ before
/// `keel check` lists them.
pub const RECONCILE_TOLERANCE: f64 = 0.1;

/// A join keeping the left frame's row order.
fn left_in_order(how: JoinType) -> JoinArgs {
    let mut args = JoinArgs::new(how);
    args.maintain_order = MaintainOrderJoin::Left;
    args
}

/// In post on 30 September, employed or agency.
pub fn in_post() -> Expr {
    col(LEAVE_DATE)
        .is_null()
        .or(days(LEAVE_DATE).gt(days(SNAPSHOT_DATE)))
}

fn employed() -> Expr {
    col(AGENCY).not()
}

fn employed_in_post() -> Expr {
    employed().and(in_post())
}

fn agency_in_post() -> Expr {
    col(AGENCY).and(in_post())
}

/// A post's FTE: `FTE`, else `FTE30`.
pub fn post_fte() -> Expr {
    coalesce(&[col(FTE), col(FTE30)]).fill_null(lit(0.0))
}

fn leaver_fte() -> Expr {
    when(col(FTE).is_null().or(col(FTE).eq(lit(0.0))))
        .then(col(FTE30))
        .otherwise(col(FTE))
        .fill_null(lit(0.0))
}

/// An employed record that left in the census year (validation keeps
/// every leaving date inside it).
fn leaver() -> Expr {
    employed().and(in_post().not())
}

/// An employed record that started in the census year (1 October to 30
/// September): months m−11 … m.
fn starter_in_year() -> Expr {
    let m = month_of(col(START_DATE));
    employed()
        .and(m.clone().gt(col(MONTH) - lit(12)))
        .and(m.lt_eq(col(MONTH)))
        .fill_null(lit(false))
}

fn in_september(date: &str) -> Expr {
    month_of(col(date)).eq(col(MONTH)).fill_null(lit(false))
}

fn nqsw() -> Expr {
    when(col(ASYE).is_not_null())
        .then(col(ASYE))
        .otherwise(
            col(START_ORIGIN)
                .eq(lit(1))
                .and((days(SNAPSHOT_DATE) - days(START_DATE)).lt(lit(NQSW_DAYS))),
        )
        .fill_null(lit(false))
}

fn case_holder() -> Expr {
    in_post().and(col(CASES).gt_eq(lit(1)).fill_null(lit(false)))
}

fn distinct(cond: Expr) -> Expr {
    col(WORKER_ID).filter(cond).n_unique()
}

/// September's place in a month number (`year × 12 + month − 1`).
const SEPTEMBER_INDEX: i32 = 8;

/// Who was in E(m) at each September a return or a snapshot gives:
/// (`month`, `worker_id`). A month the snapshots hold takes its workers
/// from them, as its monthly figures stand over the return's.
fn employed_members(census: &DataFrame, workforce: Option<&DataFrame>) -> PolarsResult<LazyFrame> {
    let from_return = census
        .clone()
        .lazy()
        .filter(employed_in_post())
        .select([col(MONTH), col(WORKER_ID)]);
    let Some(w) = workforce else {
        return Ok(from_return);
    };
    // Septembers only: a census month and the one a year before it are
    // both Septembers, and a national history is millions of other rows.
    let september = (col("month") % lit(12)).eq(lit(SEPTEMBER_INDEX));
    let monthly = w
        .clone()
        .lazy()
        .filter(september.and(super::definitions::employed_in_post()))
        .select([col("month"), col("worker_id")]);
    let months = monthly
        .clone()
        .select([col("month")])
        .unique(None, UniqueKeepStrategy::Any);
    let only_return = from_return.join(
        months,
        [col(MONTH)],
        [col("month")],
        JoinArgs::new(JoinType::Anti),
    );
    concat([monthly, only_return], UnionArgs::default())
}

/// stability_index_pct for each census year whose previous September is
/// held, as a return or a snapshot: (`month`, base, stayed), the
/// contract's counts (`definitions::stability_counts`) over E(m−12) and
/// E(m).
///
/// A snapshot's workers are keyed by the extract's identifier, a return's
/// by SWE number: the two meet only when the monthly extract carries the
/// SWE number as its worker id. Where a snapshot gives E(m−12) and not one
/// of its workers is found in the return's E(m), the identifiers are of
/// two kinds (nobody staying a whole year is not a real September), so
/// the index is left empty rather than given as 0%.
fn stability(census: &DataFrame, workforce: Option<&DataFrame>) -> PolarsResult<LazyFrame> {
    use super::definitions::{STABILITY_MONTHS, STAYED, stability_counts};
    let counts = stability_counts(employed_members(census, workforce)?, &[]);
    let Some(w) = workforce else {
        return Ok(counts);
    };
    let base_from_snapshot = w
        .clone()
        .lazy()
        .filter((col("month") % lit(12)).eq(lit(SEPTEMBER_INDEX)))
        .select([(col("month") + lit(STABILITY_MONTHS)).alias(MONTH)])
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(lit(true).alias("base_from_snapshot"));
    Ok(counts
        .join(
            base_from_snapshot,
            [col(MONTH)],
            [col(MONTH)],
            JoinArgs::new(JoinType::Left),
        )
        .filter(
            col("base_from_snapshot")
                .fill_null(lit(false))
                .and(col(STAYED).eq(lit(0)))
                .not(),
        )
        .drop(cols(["base_from_snapshot"])))
}

/// One row per census year held: the September row (`group_kind` all) of
/// every registry measure the return supports, the others null. Columns
/// as `metrics::compute` gives them. `workforce`: the monthly snapshots
/// (`Inputs::workforce`), whose September a year before a return's gives
/// its stability where no earlier return does.
pub fn annual(
    census: &DataFrame,
    limits: Limits,
    workforce: Option<&DataFrame>,
) -> PolarsResult<DataFrame> {
    use super::definitions::{STABILITY_BASE, STAYED};
    use Measure as M;
    let m = |x: Measure| col(x.name());
    let over = when(nqsw())
        .then(col(CASES).gt(lit(limits.nqsw)))
        .otherwise(col(CASES).gt(lit(limits.standard)));
    let df = census
        .clone()
        .lazy()
        .group_by_stable([col(MONTH)])
        .agg([
            post_fte()
                .filter(employed_in_post())
                .sum()
                .alias(M::EmployedFte.name()),
            distinct(employed_in_post()).alias(M::EmployedHeadcount.name()),
            post_fte()
                .filter(agency_in_post())
                .sum()
                .alias(M::AgencyFte.name()),
            col(WORKER_ID)
                .filter(agency_in_post())
                .count()
                .alias(M::AgencyHeadcount.name()),
            col(VACANCIES_FTE).first().alias(M::VacancyFte.name()),
            leaver_fte()
                .filter(leaver().and(in_september(LEAVE_DATE)))
                .sum()
                .alias(M::LeaversFte.name()),
            distinct(leaver().and(in_september(LEAVE_DATE))).alias(M::LeaversHeadcount.name()),
            post_fte()
                .filter(employed_in_post().and(in_september(START_DATE)))
                .sum()
                .alias(M::StartersFte.name()),
            distinct(employed_in_post().and(in_september(START_DATE)))
                .alias(M::StartersHeadcount.name()),
            leaver_fte()
                .filter(leaver())
                .sum()
                .alias(M::LeaversFte12m.name()),
            distinct(employed_in_post().and(nqsw())).alias(M::NqswHeadcount.name()),
            post_fte()
                .filter(case_holder())
                .sum()
                .alias(M::CaseHoldersFte.name()),
            col(CASES)
                .filter(case_holder())
                .sum()
                .cast(DataType::Float64)
                .alias(M::Cases.name()),
            distinct(case_holder().and(over)).alias(M::OverLimitHeadcount.name()),
            distinct(case_holder()).alias(Base::CaseHolders.name()),
            col(WORKING_DAYS_LOST)
                .filter(employed())
                .sum()
                .alias("days_sum"),
            col(WORKING_DAYS_LOST)
                .filter(employed())
                .count()
                .alias("days_given"),
        ])
        .with_columns([
            pct(m(M::AgencyFte), m(M::AgencyFte) + m(M::EmployedFte)).alias(M::AgencyRate.name()),
            pct(m(M::VacancyFte), m(M::VacancyFte) + m(M::EmployedFte))
                .alias(M::VacancyRate.name()),
            pct(m(M::LeaversFte12m), m(M::EmployedFte)).alias(M::TurnoverRate12m.name()),
            pct(m(M::NqswHeadcount), m(M::EmployedHeadcount)).alias(M::NqswShare.name()),
            ratio(m(M::Cases), m(M::CaseHoldersFte)).alias(M::CaseloadPerFte.name()),
            when(col("days_given").gt(lit(0)))
                .then(col("days_sum"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(M::WorkingDaysLost.name()),
        ])
        .with_columns([pct(
            m(M::WorkingDaysLost),
            m(M::EmployedFte) * lit(WORKING_DAYS_A_YEAR),
        )
        .alias(M::AbsenceRate.name())])
        .join(
            stability(census, workforce)?,
            [col(MONTH)],
            [col(MONTH)],
            left_in_order(JoinType::Left),
        )
        .with_columns([
            // No row: nobody was in post a year before, or that September
            // is not held; either way there is no base to follow.
            pct(col(STAYED).fill_null(lit(0)), col(STABILITY_BASE)).alias(M::StabilityIndex.name()),
            lit(GroupKind::All.name()).alias("group_kind"),
            lit(GroupKind::All.name()).alias("group"),
            col(STABILITY_BASE)
                .fill_null(lit(0))
                .alias(Base::StabilityBase.name()),
            lit(0i64).alias(Base::AgencyRated.name()),
        ]);
    let have: Vec<String> = df
        .clone()
        .collect_schema()?
        .iter_names()
        .map(|n| n.to_string())
        .collect();
    let df = df
        .select(
            [col(MONTH), col("group_kind"), col("group")]
                .into_iter()
                .chain(METRICS.iter().map(|name| {
                    let ty = match Measure::parse(name) {
                        Some(x) if x.is_headcount() => DataType::Int64,
                        _ => DataType::Float64,
                    };
                    if have.iter().any(|h| h == name) {
                        col(*name).cast(ty)
                    } else {
                        lit(NULL).cast(ty).alias(*name)
                    }
                }))
                .chain(BASES.iter().map(|b| col(*b).cast(DataType::Int64)))
                .collect::<Vec<_>>(),
        )
        .sort([MONTH], Default::default())
        .collect()?;
    super::with_month_labels(df)
}

/// The monthly table with the returns' September rows: a census year that
/// no workforce snapshot covers gets its row from the return; one that is
/// covered keeps the monthly figures, and takes from the return only what
/// monthly extracts never state (working days lost and the absence rate).
///
/// Every row says where it came from in [`SOURCE`], so `keel metrics`
/// and the charts can tell a September from a return.
pub fn merge(monthly: Option<DataFrame>, annual: &DataFrame) -> PolarsResult<DataFrame> {
    let sourced = |df: LazyFrame, from: &str| df.with_column(lit(from).alias(SOURCE));
    let annual = &sourced(annual.clone().lazy(), FROM_RETURN).collect()?;
    let Some(monthly) = monthly else {
        return Ok(annual.clone());
    };
    let monthly = sourced(monthly.lazy(), FROM_MONTHLY).collect()?;
    if annual.height() == 0 {
        return Ok(monthly);
    }
    let filled = [Measure::WorkingDaysLost, Measure::AbsenceRate];
    let from_return = annual.clone().lazy().select(
        [col("month")]
            .into_iter()
            .chain(
                filled
                    .iter()
                    .map(|x| col(x.name()).alias(format!("return_{}", x.name()))),
            )
            .collect::<Vec<_>>(),
    );
    let is_all = col("group_kind").eq(lit(GroupKind::All.name()));
    let monthly = monthly
        .lazy()
        .join(
            from_return,
            [col("month")],
            [col("month")],
            left_in_order(JoinType::Left),
        )
        .with_columns(
            filled
                .iter()
                .map(|x| {
                    when(is_all.clone().and(col(x.name()).is_null()))
                        .then(col(format!("return_{}", x.name())))
                        .otherwise(col(x.name()))
                        .alias(x.name())
                })
                .collect::<Vec<_>>(),
        )
        .drop(cols(filled.map(|x| format!("return_{}", x.name()))));
    let held = monthly
        .clone()
        .select([col("month")])
        .unique(None, UniqueKeepStrategy::Any);
    let missing = annual.clone().lazy().join(
        held,
        [col("month")],
        [col("month")],
        JoinArgs::new(JoinType::Anti),
    );
    concat([monthly, missing], UnionArgs::default())?
        .sort(
            ["month"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
}

/// The metrics table of a workspace: its monthly table (if it holds
/// snapshots) with the September rows of the returns it holds (if any);
/// `None` with neither.
pub fn with_returns(
    monthly: Option<DataFrame>,
    returns: Option<&DataFrame>,
    workforce: Option<&DataFrame>,
    limits: Limits,
) -> PolarsResult<Option<DataFrame>> {
    match returns {
        None => Ok(monthly),
        Some(r) => merge(monthly, &annual(r, limits, workforce)?).map(Some),
    }
}

/// Where a return and the monthly figures of its September disagree by
/// more than [`RECONCILE_TOLERANCE`]: one row per month and measure
/// (`month`, `measure`, `return`, `monthly`, `difference`), for the
/// measures both give.
pub fn reconcile(monthly: &DataFrame, annual: &DataFrame) -> PolarsResult<DataFrame> {
    let all = monthly
        .clone()
        .lazy()
        .filter(col("group_kind").eq(lit(GroupKind::All.name())));
    let long = |lf: LazyFrame, value: &str| -> PolarsResult<LazyFrame> {
        let parts = METRICS
            .iter()
            .map(|name| {
                lf.clone().select([
                    col("month"),
                    lit(*name).alias("measure"),
                    col(*name).cast(DataType::Float64).alias(value),
                ])
            })
            .collect::<Vec<_>>();
        concat(parts, UnionArgs::default())
    };
    long(annual.clone().lazy(), "return")?
        .join(
            long(all, "monthly")?,
            [col("month"), col("measure")],
            [col("month"), col("measure")],
            left_in_order(JoinType::Inner),
        )
        .with_column((col("return") - col("monthly")).alias("difference"))
        .filter(
            col("difference")
                .gt(lit(RECONCILE_TOLERANCE))
                .or(col("difference").lt(lit(-RECONCILE_TOLERANCE))),
        )
        .sort(
            ["month"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
}

/// A figure the DfE publishes from a return, and how to get it from a
/// return's table and from Keel's monthly September rows.
#[derive(Clone, Copy, Debug)]
pub struct Published {
    /// The DfE's name in its open data.
    pub name: &'static str,
    /// The same in words, for the app.
    pub label: &'static str,
    /// A head count (published whole), else rounded to 1 dp.
    pub whole: bool,
    /// The registry measure on Keel's September row that states the same.
    pub keel: Option<Measure>,
}

const fn published(
    name: &'static str,
    label: &'static str,
    whole: bool,
    keel: Option<Measure>,
) -> Published {
    Published {
        name,
        label,
        whole,
        keel,
    }
}

/// The DfE's published measures (§6), in its order.
pub const PUBLISHED: [Published; 21] = [
    published(
        "inpost_fte",
        "FTE in post (employed)",
        false,
        Some(Measure::EmployedFte),
    ),
    published(
        "inpost_headcount",
        "Head count in post (employed)",
        true,
        Some(Measure::EmployedHeadcount),
    ),
    published("starters_fte", "Starters in the year (FTE)", false, None),
    published(
        "starters_headcount",
        "Starters in the year (head count)",
        true,
        None,
    ),
    published(
        "leavers_fte",
        "Leavers in the year (FTE)",
        false,
        Some(Measure::LeaversFte12m),
    ),
    published(
        "leavers_headcount",
        "Leavers in the year (head count)",
        true,
        None,
    ),
    published(
        "turnover_rate_fte",
        "Turnover rate, FTE (%)",
        false,
        Some(Measure::TurnoverRate12m),
    ),
    published(
        "turnover_rate_headcount",
        "Turnover rate, head count (%)",
        false,
        None,
    ),
    published(
        "agency_fte",
        "Agency workers in post (FTE)",
        false,
        Some(Measure::AgencyFte),
    ),
    published(
        "agency_headcount",
        "Agency workers in post (head count)",
        true,
        Some(Measure::AgencyHeadcount),
    ),
    published(
        "agency_rate_fte",
        "Agency rate, FTE (%)",
        false,
        Some(Measure::AgencyRate),
    ),
    published(
        "vacancy_fte",
        "Vacancies (FTE)",
        false,
        Some(Measure::VacancyFte),
    ),
    published(
        "vacancy_rate_fte",
        "Vacancy rate, FTE (%)",
        false,
        Some(Measure::VacancyRate),
    ),
    published(
        "agency_cover_fte",
        "Agency workers covering vacancies (FTE)",
        false,
        None,
    ),
    published(
        "agency_cover_rate_fte",
        "Agency workers covering vacancies (% of agency FTE)",
        false,
        None,
    ),
    published(
        "vacancy_agency_cover_rate_fte",
        "Vacancies covered by agency (% of vacancies)",
        false,
        None,
    ),
    published(
        "case_holders_fte",
        "Case holders (FTE)",
        false,
        Some(Measure::CaseHoldersFte),
    ),
    published("cases", "Cases held", true, Some(Measure::Cases)),
    published(
        "caseload_fte",
        "Caseload per case-holder FTE",
        false,
        Some(Measure::CaseloadPerFte),
    ),
    published(
        "working_days_lost_fte",
        "Working days lost to sickness",
        false,
        Some(Measure::WorkingDaysLost),
    ),
    published(
        "absence_rate_fte",
        "Absence rate (%)",
        false,
        Some(Measure::AbsenceRate),
    ),
];

/// Each of [`PUBLISHED`] from one return's table, unrounded, in that
/// order (null where it cannot be worked out: a rate over nothing).
pub fn published_figures(census: &DataFrame) -> PolarsResult<Vec<Option<f64>>> {
    // Head counts de-duplicated as the DfE does: starters also on their
    // start date, leavers also on their leaving date.
    let by_date = |cond: Expr, date: &str| {
        census
            .clone()
            .lazy()
            .filter(cond)
            .select([col(WORKER_ID), col(date)])
            .unique(None, UniqueKeepStrategy::Any)
            .select([len().cast(DataType::Float64).alias("n")])
            .collect()
    };
    let starters_hc = by_date(starter_in_year(), START_DATE)?;
    let leavers_hc = by_date(leaver(), LEAVE_DATE)?;
    let f = |c: Expr| c.cast(DataType::Float64);
    let df = census
        .clone()
        .lazy()
        .select([
            f(post_fte().filter(employed_in_post()).sum()).alias("inpost_fte"),
            f(distinct(employed_in_post())).alias("inpost_headcount"),
            f(post_fte().filter(starter_in_year()).sum()).alias("starters_fte"),
            f(leaver_fte().filter(leaver()).sum()).alias("leavers_fte"),
            f(post_fte().filter(agency_in_post()).sum()).alias("agency_fte"),
            f(col(WORKER_ID).filter(agency_in_post()).count()).alias("agency_headcount"),
            f(col(VACANCIES_FTE).first()).alias("vacancy_fte"),
            f(col(AGENCY_COVER_FTE).first()).alias("agency_cover_fte"),
            f(post_fte().filter(case_holder()).sum()).alias("case_holders_fte"),
            f(col(CASES).filter(case_holder()).sum()).alias("cases"),
            f(col(WORKING_DAYS_LOST).filter(employed()).sum()).alias("days_sum"),
            f(col(WORKING_DAYS_LOST).filter(employed()).count()).alias("days_given"),
        ])
        .collect()?;
    let get =
        |name: &str| -> PolarsResult<f64> { Ok(df.column(name)?.f64()?.get(0).unwrap_or(0.0)) };
    let rate = |num: f64, den: f64| (den != 0.0).then(|| 100.0 * num / den);
    let inpost = get("inpost_fte")?;
    let inpost_hc = get("inpost_headcount")?;
    let leavers = get("leavers_fte")?;
    let leavers_n = leavers_hc.column("n")?.f64()?.get(0).unwrap_or(0.0);
    let agency = get("agency_fte")?;
    let vacancy = get("vacancy_fte")?;
    let cover = get("agency_cover_fte")?;
    let holders = get("case_holders_fte")?;
    let cases = get("cases")?;
    let days = (get("days_given")? > 0.0)
        .then(|| get("days_sum"))
        .transpose()?;
    Ok(vec![
        Some(inpost),
        Some(inpost_hc),
        Some(get("starters_fte")?),
        Some(starters_hc.column("n")?.f64()?.get(0).unwrap_or(0.0)),
        Some(leavers),
        Some(leavers_n),
        rate(leavers, inpost),
        rate(leavers_n, inpost_hc),
        Some(agency),
        Some(get("agency_headcount")?),
        rate(agency, agency + inpost),
        Some(vacancy),
        rate(vacancy, vacancy + inpost),
        Some(cover),
        rate(cover, agency),
        rate(cover, vacancy),
        Some(holders),
        Some(cases),
        (holders != 0.0).then(|| cases / holders),
        days,
        days.and_then(|d| rate(d, inpost * WORKING_DAYS_A_YEAR)),
    ])
}

/// A figure rounded as the DfE publishes it: 1 dp, halves away from zero
/// (whole numbers for head counts).
pub fn dfe_round(v: f64, whole: bool) -> f64 {
    if whole {
        v.round()
    } else {
        (v * 10.0).round() / 10.0
    }
}

/// What a year's leavers are broken down by: the return's `ReasonLeave`
/// or its `LeaverDestination` (`csww-census.md` §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaverBy {
    Reason,
    Destination,
}

/// A code the return left out: the schema makes both items optional.
pub const NOT_RECORDED: &str = "not recorded";

/// reasontype, in code order from 1.
const REASONS: [&str; 10] = [
    "resignation",
    "voluntary redundancy",
    "compulsory redundancy",
    "dismissed",
    "retired",
    "deceased",
    "moved to a council role outside child and family social work",
    "other",
    "not known",
    "not yet collected",
];

/// leavertype, in code order from 1 (StartOrigin's list without "newly
/// qualified").
const DESTINATIONS: [&str; 9] = [
    "social work role in another English council",
    "social work outside England",
    "agency or consultancy social work in England",
    "other social work role outside councils (England)",
    "other social care role, council or not (England)",
    "non-social-care role, abroad, no employment or career break",
    "other",
    "not known",
    "not yet collected",
];

impl LeaverBy {
    pub const BOTH: [LeaverBy; 2] = [LeaverBy::Reason, LeaverBy::Destination];

    pub fn name(self) -> &'static str {
        match self {
            LeaverBy::Reason => "reason",
            LeaverBy::Destination => "destination",
        }
    }

    fn column(self) -> &'static str {
        match self {
            LeaverBy::Reason => LEAVING_REASON,
            LeaverBy::Destination => LEAVER_DESTINATION,
        }
    }

    fn labels(self) -> &'static [&'static str] {
        match self {
            LeaverBy::Reason => &REASONS,
            LeaverBy::Destination => &DESTINATIONS,
        }
    }

    /// A code's plain label; no code is [`NOT_RECORDED`]. Validation keeps
    /// codes inside the list, so an unknown one is only a stored file
    /// from a later schema, named by its code.
    pub fn label(self, code: Option<i32>) -> String {
        match code {
            None => NOT_RECORDED.to_string(),
            Some(c) => usize::try_from(c - 1)
                .ok()
                .and_then(|i| self.labels().get(i))
                .map_or_else(|| format!("code {c}"), |l| l.to_string()),
        }
    }
}

/// One line of a census year's leavers broken down by reason or
/// destination: the DfE's leavers (employed records leaving in the year),
/// head count de-duplicated on the worker and leaving date as the DfE
/// does, FTE as the DfE counts a leaver's.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LeaverCount {
    pub census_year: i32,
    pub by: LeaverBy,
    pub code: Option<i32>,
    pub label: String,
    pub headcount: u64,
    pub fte: f64,
}

/// Every census year's leavers by reason and by destination, from the
/// stored returns: by year, then reason before destination, then code
/// (not recorded last). Only codes some leaver has are listed. The
/// monthly leavers reports' free-text reasons are not here (see
/// docs/decisions.md).
pub fn leavers_by(census: &DataFrame) -> PolarsResult<Vec<LeaverCount>> {
    let mut out = Vec::new();
    for by in LeaverBy::BOTH {
        // A person leaving two posts on one day is one leaver (the DfE's
        // de-duplication), and both posts' FTE count.
        let df = census
            .clone()
            .lazy()
            .filter(leaver())
            .group_by([
                col(CENSUS_YEAR),
                col(by.column()).alias("code"),
                col(WORKER_ID),
                col(LEAVE_DATE),
            ])
            .agg([leaver_fte().sum().alias("fte")])
            .group_by([col(CENSUS_YEAR), col("code")])
            .agg([
                len().cast(DataType::UInt64).alias("headcount"),
                col("fte").sum(),
            ])
            .collect()?;
        let year = df.column(CENSUS_YEAR)?.i32()?;
        let code = df.column("code")?.cast(&DataType::Int32)?;
        let code = code.i32()?;
        let n = df.column("headcount")?.u64()?;
        let fte = df.column("fte")?.f64()?;
        for i in 0..df.height() {
            out.push(LeaverCount {
                census_year: year.get(i).unwrap_or_default(),
                by,
                code: code.get(i),
                label: by.label(code.get(i)),
                headcount: n.get(i).unwrap_or_default(),
                fte: fte.get(i).unwrap_or_default(),
            });
        }
    }
    out.sort_by_key(|r| (r.census_year, r.by as u8, r.code.is_none(), r.code));
    Ok(out)
}
