//! The contract's metrics (sections 2–3), computed with polars for every
//! month held and every group: the whole service, each service area, each
//! team. One function, [`compute`], serves the app, the command line and
//! the reports.
//!
//! The shape of the query: each in-post row is counted once per group it
//! belongs to (all / its service / its team), then aggregated by
//! (group_kind, group, month). Leaves, stability and establishment are
//! built the same way and joined on those keys.

mod frames;
pub mod quality;
pub mod table;

pub use frames::Inputs;

use crate::month::Month;
use polars::prelude::*;

/// The metric columns, in the contract's order, after `month`,
/// `group_kind` and `group`.
pub const METRICS: &[&str] = &[
    "employed_fte",
    "employed_headcount",
    "agency_fte",
    "agency_headcount",
    "agency_rate_pct",
    "establishment_fte",
    "vacancy_fte",
    "vacancy_rate_pct",
    "leavers_fte",
    "leavers_headcount",
    "starters_fte",
    "starters_headcount",
    "leavers_fte_12m",
    "turnover_rate_12m_pct",
    "stability_index_pct",
    "nqsw_headcount",
    "nqsw_share_pct",
    "early_career_share_pct",
    "case_holders_fte",
    "cases",
    "caseload_per_fte",
    "over_limit_headcount",
    "supervision_compliance_pct",
    "agency_cost",
];

/// Head counts behind rates the contract does not publish as counts, kept
/// beside the metrics so views and reports can suppress figures that rest
/// on fewer than five people (see `report::suppress`). `keel metrics`
/// leaves them out.
pub const BASES: &[&str] = &["case_holders_headcount", "stability_base_headcount"];

/// Caseload limits used by `over_limit_headcount`.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub nqsw: f64,
    pub standard: f64,
}

/// Which group kinds to return.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    All,
    Service,
    Team,
}

impl GroupKind {
    pub fn name(self) -> &'static str {
        match self {
            GroupKind::All => "all",
            GroupKind::Service => "service",
            GroupKind::Team => "team",
        }
    }
}

/// Run `f` once per kind of group — the whole service, each service area,
/// each team — on the rows with that group's name in `group`, and stack the
/// results with their `group_kind`. Three passes over the rows rather than
/// one pass over three copies: the copies would triple memory at national
/// scale.
fn per_group(lf: &LazyFrame, f: impl Fn(LazyFrame) -> LazyFrame) -> PolarsResult<LazyFrame> {
    let kinds = [
        ("all", lit("all")),
        ("service", col("service")),
        ("team", col("team")),
    ];
    concat(
        kinds
            .into_iter()
            .map(|(kind, group)| {
                let rows = lf
                    .clone()
                    .with_column(group.alias("group"))
                    .filter(col("group").is_not_null());
                f(rows).with_column(lit(kind).alias("group_kind"))
            })
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )
}

/// Group rows by (group, month) within one kind of group.
fn by_group_month(rows: LazyFrame) -> LazyGroupBy {
    rows.group_by([col("group"), col("month")])
}

/// `num / den`, or null when the denominator is zero or unknown.
pub(crate) fn ratio(num: Expr, den: Expr) -> Expr {
    when(den.clone().neq(lit(0.0)))
        .then(num.cast(DataType::Float64) / den.cast(DataType::Float64))
        .otherwise(lit(NULL))
}

pub(crate) fn pct(num: Expr, den: Expr) -> Expr {
    ratio(num, den) * lit(100.0)
}

fn keys() -> [Expr; 3] {
    [col("group_kind"), col("group"), col("month")]
}

fn left(a: LazyFrame, b: LazyFrame) -> LazyFrame {
    a.join(b, keys(), keys(), JoinArgs::new(JoinType::Left))
}

/// All metrics for every month held and every group.
pub fn compute(inputs: &Inputs, limits: Limits) -> PolarsResult<DataFrame> {
    let p = frames::prepare(inputs, limits)?;
    let mut clock = std::time::Instant::now();
    // Aggregations stay on polars' vectorised paths: sums of precomputed
    // columns, and head counts as sums of per-person flags. (A filtered
    // n_unique per group runs group by group, which is ruinous with the
    // 190,000 team-months of a national workspace.)
    let agency = col("employed").not();
    let only = |flag: Expr, value: Expr| when(flag).then(value).otherwise(lit(0.0));
    let flag = |e: Expr| e.cast(DataType::Int32);
    let rows = p.in_post.clone().with_columns([
        only(col("employed"), col("fte")).alias("employed_fte"),
        only(agency.clone(), col("fte")).alias("agency_fte"),
        only(col("starter"), col("fte")).alias("starters_fte"),
        only(col("holder"), col("fte")).alias("case_holders_fte"),
        only(col("holder"), col("caseload")).alias("cases"),
        only(agency.clone(), col("cost"))
            .fill_null(lit(0.0))
            .alias("cost_sum"),
        flag(agency.clone().and(col("day_rate").is_not_null())).alias("rated"),
        flag(agency.clone()).alias("agency_rows"),
        flag(col("employed")).alias("p_employed"),
        flag(agency.clone()).alias("p_agency"),
        flag(col("employed").and(col("nqsw"))).alias("p_nqsw"),
        flag(col("employed").and(col("early"))).alias("p_early"),
        flag(col("starter")).alias("p_starter"),
        flag(col("over")).alias("p_over"),
        flag(col("holder")).alias("p_holder"),
        flag(col("holder").and(col("supervised"))).alias("p_supervised"),
    ]);
    let sums = [
        "employed_fte",
        "agency_fte",
        "starters_fte",
        "case_holders_fte",
        "cases",
        "cost_sum",
        "rated",
        "agency_rows",
    ];
    // Person flags, then the people counted: (column, output name).
    let people = [
        ("p_employed", "employed_headcount"),
        ("p_agency", "agency_headcount"),
        ("p_nqsw", "nqsw_headcount"),
        ("p_early", "early_headcount"),
        ("p_starter", "starters_headcount"),
        ("p_over", "over_limit_headcount"),
        ("p_holder", "holders"),
        ("p_supervised", "supervised"),
    ];
    let stock = per_group(&rows, |g| {
        let totals =
            by_group_month(g.clone()).agg(sums.iter().map(|c| col(*c).sum()).collect::<Vec<_>>());
        let heads = g
            .group_by([col("group"), col("month"), col("wid")])
            .agg(
                people
                    .iter()
                    .map(|(c, _)| col(*c).max())
                    .collect::<Vec<_>>(),
            )
            .group_by([col("group"), col("month")])
            .agg(
                people
                    .iter()
                    .map(|(c, out)| col(*c).cast(DataType::Float64).sum().alias(*out))
                    .collect::<Vec<_>>(),
            );
        let k = || [col("group"), col("month")];
        totals.join(heads, k(), k(), JoinArgs::new(JoinType::Left))
    })?;

    let leaves = per_group(&p.leaves, |g| {
        let totals = by_group_month(g.clone()).agg([col("fte").sum().alias("leavers_fte")]);
        let heads = g
            .select([col("group"), col("month"), col("wid")])
            .unique(None, UniqueKeepStrategy::Any)
            .group_by([col("group"), col("month")])
            .agg([len().cast(DataType::Float64).alias("leavers_headcount")]);
        let k = || [col("group"), col("month")];
        totals.join(heads, k(), k(), JoinArgs::new(JoinType::Left))
    })?;
    // Twelve shifted copies summed: months m−11 … m.
    let window = concat(
        (0..12)
            .map(|k| {
                leaves.clone().select([
                    col("group_kind"),
                    col("group"),
                    (col("month") + lit(k)).alias("month"),
                    col("leavers_fte"),
                ])
            })
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .group_by(keys())
    .agg([col("leavers_fte").sum().alias("leavers_12m_sum")]);

    // Each part is used more than once below (keys, joins, vacancies):
    // materialise it so the lazy plan does not compute it again each time.
    let stock = stock.collect()?.lazy();
    let leaves = leaves.collect()?.lazy();
    let window = window.collect()?.lazy();
    let stability = frames::stability(&p)?.collect()?.lazy();
    let establishment = frames::establishment(&p, stock.clone())?.collect()?.lazy();

    let all_keys = concat(
        [
            stock.clone().select(keys()),
            leaves.clone().select(keys()),
            establishment.clone().select(keys()),
        ],
        UnionArgs::default(),
    )?
    .unique(None, UniqueKeepStrategy::Any)
    .join(
        p.months.clone(),
        [col("month")],
        [col("month")],
        JoinArgs::new(JoinType::Inner),
    );

    let zero = |name: &str| col(name).fill_null(lit(0.0)).alias(name);
    let df = left(
        left(left(left(left(all_keys, stock), leaves), window), stability),
        establishment,
    )
    .with_columns([
        zero("employed_fte"),
        zero("employed_headcount"),
        zero("agency_fte"),
        zero("agency_headcount"),
        zero("nqsw_headcount"),
        zero("early_headcount"),
        zero("starters_fte"),
        zero("starters_headcount"),
        zero("case_holders_fte"),
        zero("cases"),
        zero("over_limit_headcount"),
        zero("holders"),
        zero("supervised"),
        zero("leavers_fte"),
        zero("leavers_headcount"),
        col("agency_rows").fill_null(lit(0)),
        col("rated").fill_null(lit(0)),
    ])
    .with_columns([
        pct(col("agency_fte"), col("agency_fte") + col("employed_fte")).alias("agency_rate_pct"),
        pct(col("vacancy_fte"), col("vacancy_fte") + col("employed_fte")).alias("vacancy_rate_pct"),
        when(col("window_complete"))
            .then(col("leavers_12m_sum").fill_null(lit(0.0)))
            .otherwise(lit(NULL))
            .alias("leavers_fte_12m"),
        pct(col("nqsw_headcount"), col("employed_headcount")).alias("nqsw_share_pct"),
        pct(col("early_headcount"), col("employed_headcount")).alias("early_career_share_pct"),
        ratio(col("cases"), col("case_holders_fte")).alias("caseload_per_fte"),
        pct(col("supervised"), col("holders")).alias("supervision_compliance_pct"),
        when(col("agency_rows").eq(lit(0)))
            .then(lit(0.0))
            .when(col("rated").eq(lit(0)))
            .then(lit(NULL))
            .otherwise(col("cost_sum"))
            .alias("agency_cost"),
        when(col("prev12_held"))
            .then(pct(col("stayed").fill_null(lit(0.0)), col("base")))
            .otherwise(lit(NULL))
            .alias("stability_index_pct"),
    ])
    .with_columns([pct(col("leavers_fte_12m"), col("employed_fte")).alias("turnover_rate_12m_pct")])
    .with_column(
        when(col("group_kind").eq(lit("all")))
            .then(lit(0))
            .when(col("group_kind").eq(lit("service")))
            .then(lit(1))
            .otherwise(lit(2))
            .alias("kind_order"),
    )
    // Counts of people are whole numbers in the output.
    .with_columns(
        METRICS
            .iter()
            .filter(|m| m.ends_with("_headcount"))
            .map(|m| col(*m).cast(DataType::Int64))
            .collect::<Vec<_>>(),
    )
    .sort(
        ["month", "kind_order", "group"],
        SortMultipleOptions::default(),
    )
    .select(
        [col("month"), col("group_kind"), col("group")]
            .into_iter()
            .chain(METRICS.iter().map(|m| col(*m)))
            .chain([
                col("holders").cast(DataType::Int64).alias(BASES[0]),
                col("base")
                    .fill_null(lit(0.0))
                    .cast(DataType::Int64)
                    .alias(BASES[1]),
            ])
            .collect::<Vec<_>>(),
    )
    .collect()?;
    crate::trace::lap("metrics: aggregate and join", &mut clock);
    let months: StringChunked = df
        .column("month")?
        .i32()?
        .iter()
        .map(|m| m.map(|m| Month(m).to_string()))
        .collect();
    let mut df = df;
    df.replace("month", months.with_name("month".into()).into_column())?;
    Ok(df)
}

/// Restrict a metrics table to some group kinds and a month range, with
/// the contract's columns only.
pub fn select(
    df: &DataFrame,
    kinds: &[GroupKind],
    from: Option<Month>,
    to: Option<Month>,
) -> PolarsResult<DataFrame> {
    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    let mut pred =
        col("group_kind").is_in(lit(Series::new("k".into(), names)).implode(false), false);
    if let Some(f) = from {
        pred = pred.and(col("month").gt_eq(lit(f.to_string())));
    }
    if let Some(t) = to {
        pred = pred.and(col("month").lt_eq(lit(t.to_string())));
    }
    df.clone()
        .lazy()
        .filter(pred)
        .select(
            [col("month"), col("group_kind"), col("group")]
                .into_iter()
                .chain(METRICS.iter().map(|m| col(*m)))
                .collect::<Vec<_>>(),
        )
        .collect()
}
