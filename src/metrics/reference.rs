//! The metrics table worked out straight from [`super::definitions`]:
//! plain polars group-bys over the workspace's frames, with worker
//! identifiers and names as they are — no integer codes, packed keys,
//! flag sums or month slices. Slow, and there to check the fast engine
//! ([`super::compute`]) cell by cell: the same columns, rows and order.

use super::definitions as def;
use super::{BASES, GroupKind, Inputs, Limits, METRICS};
use crate::measure::{Base, Measure};
use crate::month::Month;
use polars::prelude::*;

/// The group kinds, in the order the table lists them.
const KINDS: [GroupKind; 3] = [GroupKind::All, GroupKind::Service, GroupKind::Team];

/// The columns naming a group.
const GROUP: [&str; 2] = ["group_kind", "group"];

/// Every metric for every month held and every group, as [`super::compute`]
/// gives them, from the definitions alone.
pub fn compute_reference(inputs: &Inputs, limits: Limits) -> PolarsResult<DataFrame> {
    let months = months_held(&inputs.workforce)?;
    let held = months.clone().lazy();

    // Every workforce row, numbered in the order held (the "first row" of
    // a worker in a month, where a caseload extract's count goes).
    let mut workforce = inputs.workforce.clone();
    if workforce.column("row").is_ok() {
        workforce = workforce.drop("row")?;
    }
    let workforce = workforce.lazy().with_row_index("row", None);
    let establishment = inputs.establishment.clone().map(DataFrame::lazy);
    let areas = def::team_services(workforce.clone(), establishment.clone())
        .collect()?
        .lazy();

    // The rows with what the measures read worked out: a service area, the
    // caseload, the latest supervision, whether the worker is new, the
    // month's weekdays.
    let rows = def::with_team_service(workforce.clone(), areas.clone());
    let rows = def::caseload_from_extract(rows, inputs.caseload.clone().map(DataFrame::lazy));
    let rows = def::latest_supervision(rows, inputs.supervision.clone().map(DataFrame::lazy))?;
    let rows = def::absent_from_previous_snapshot(rows)
        .join(
            held.clone().select([col("month"), col(def::WEEKDAYS)]),
            [col("month")],
            [col("month")],
            JoinArgs::new(JoinType::Inner),
        )
        .collect()?
        .lazy();
    let in_post = rows.clone().filter(def::in_post());
    let employed = rows.clone().filter(def::employed_in_post());

    let stock = by_group(in_post.clone(), def::in_post_aggregations(limits))?;

    // Leaves: recorded (placed by the leavers row or the last post), and
    // inferred.
    let recorded = def::recorded_leaves(
        workforce.clone(),
        inputs.leavers.clone().map(DataFrame::lazy),
    )?;
    let placed = def::recorded_leaves_placed(recorded, employed.clone())?;
    let placed = def::with_team_service(placed, areas.clone())
        .collect()?
        .lazy();
    let inferred = def::inferred_leaves(
        def::gone_from_employment(employed.clone()),
        placed.clone().select([col("worker_id"), col("month")]),
        held.clone(),
        "worker_id",
    )?;
    let leave_columns = ["worker_id", "month", "team", "service", "fte"].map(col);
    let leaves = concat(
        [
            placed.select(leave_columns.clone()),
            inferred.select(leave_columns),
        ],
        UnionArgs::default(),
    )?
    .join(
        held.clone().select([col("month")]),
        [col("month")],
        [col("month")],
        JoinArgs::new(JoinType::Inner),
    );
    let leavers = by_group(leaves, vec![def::leavers_fte(), def::leavers_headcount()])?
        .collect()?
        .lazy();
    let window = def::leavers_fte_in_window(leavers.clone(), &GROUP)?;

    // The establishment in force, team by team, beside each team's
    // employed FTE.
    let establishment = match establishment {
        None => None,
        Some(lines) => {
            let lines = def::with_team_service(lines, areas);
            let team_fte = employed
                .clone()
                .group_by([col("team"), col("month")])
                .agg([col("fte").sum().alias(Measure::EmployedFte.name())]);
            let in_force = def::establishment_in_force(lines, held.clone()).join(
                team_fte,
                [col("team"), col("month")],
                [col("team"), col("month")],
                JoinArgs::new(JoinType::Left),
            );
            Some(by_group(
                in_force,
                vec![def::establishment_fte(), def::vacancy_fte()],
            )?)
        }
    };

    // Stability: each employed worker's groups, month by month.
    let members = per_kind(employed)?.select([
        col("worker_id"),
        col("group_kind"),
        col("group"),
        col("month"),
    ]);
    let stability = def::stability_counts(members, &GROUP);

    // Every (month, group) with staff in post, leaves or an establishment.
    let key = || ["month", "group_kind", "group"].map(col);
    let mut parts = vec![stock.clone(), leavers.clone()];
    parts.extend(establishment.clone());
    let keys = concat(
        parts
            .iter()
            .map(|p| p.clone().select(key()))
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .unique(None, UniqueKeepStrategy::Any);
    let left = |a: LazyFrame, b: LazyFrame| a.join(b, key(), key(), JoinArgs::new(JoinType::Left));
    let mut table = left(left(left(keys, stock), leavers), window);
    if let Some(e) = establishment {
        table = left(table, e);
    } else {
        table = table.with_columns([
            lit(NULL)
                .cast(DataType::Float64)
                .alias(Measure::EstablishmentFte.name()),
            lit(NULL)
                .cast(DataType::Float64)
                .alias(Measure::VacancyFte.name()),
        ]);
    }
    let table = left(table, stability).join(
        held.select([
            col("month"),
            col(def::TURNOVER_WINDOW_HELD),
            col(def::STABILITY_BASE_HELD),
        ]),
        [col("month")],
        [col("month")],
        JoinArgs::new(JoinType::Left),
    );

    // Nobody counted is 0; then the rates.
    let zero = def::zero_when_nobody()
        .map(Measure::name)
        .chain([
            def::EARLY_CAREER_HEADCOUNT,
            def::SUPERVISED_HEADCOUNT,
            def::AGENCY_POSTS,
            def::AGENCY_COST_RATED,
            Base::CaseHolders.name(),
            Base::AgencyRated.name(),
        ])
        .map(|c| col(c).cast(DataType::Float64).fill_null(lit(0.0)))
        .collect::<Vec<_>>();
    let df = table
        .with_columns(zero)
        .with_columns([
            def::agency_rate_pct(),
            def::vacancy_rate_pct(),
            def::leavers_fte_12m(),
            def::stability_index_pct(),
            def::nqsw_share_pct(),
            def::early_career_share_pct(),
            def::caseload_per_fte(),
            def::supervision_compliance_pct(),
            def::agency_cost(),
        ])
        .with_columns([
            def::turnover_rate_12m_pct(),
            // Only a census return states days lost (`super::census`).
            lit(NULL)
                .cast(DataType::Float64)
                .alias(Measure::WorkingDaysLost.name()),
            lit(NULL)
                .cast(DataType::Float64)
                .alias(Measure::AbsenceRate.name()),
        ])
        .with_columns(
            Measure::ALL
                .into_iter()
                .filter(|m| m.is_headcount())
                .map(|m| col(m.name()).cast(DataType::Int64))
                .chain(Base::ALL.into_iter().map(|b| {
                    col(b.name())
                        .cast(DataType::Float64)
                        .fill_null(lit(0.0))
                        .cast(DataType::Int64)
                }))
                .collect::<Vec<_>>(),
        )
        .with_column(
            when(col("group_kind").eq(lit(GroupKind::All.name())))
                .then(lit(0))
                .when(col("group_kind").eq(lit(GroupKind::Service.name())))
                .then(lit(1))
                .otherwise(lit(2))
                .alias("kind_order"),
        )
        .sort(["month", "kind_order", "group"], Default::default())
        .select(
            key()
                .into_iter()
                .chain(METRICS.iter().chain(BASES.iter()).map(|c| col(*c)))
                .collect::<Vec<_>>(),
        )
        .collect()?;
    super::with_month_labels(df)
}

/// One row per month held: its snapshot date d(m) (the first row's), its
/// weekdays, and whether the earlier snapshots the twelve-month measures
/// need are held.
fn months_held(workforce: &DataFrame) -> PolarsResult<DataFrame> {
    let df = workforce
        .clone()
        .lazy()
        .filter(
            col("month")
                .is_not_null()
                .and(col("snapshot_date").is_not_null()),
        )
        .group_by_stable([col("month")])
        .agg([col("snapshot_date").first()])
        .sort(["month"], Default::default())
        .collect()?;
    let months: Vec<i32> = df.column("month")?.i32()?.into_no_null_iter().collect();
    let has = |m: i32| months.binary_search(&m).is_ok();
    let mut df = df;
    df.with_column(Column::new(
        def::WEEKDAYS.into(),
        months
            .iter()
            .map(|m| Month(*m).weekdays() as i32)
            .collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        def::TURNOVER_WINDOW_HELD.into(),
        months
            .iter()
            .map(|m| def::turnover_window_held(*m, has))
            .collect::<Vec<_>>(),
    ))?;
    df.with_column(Column::new(
        def::STABILITY_BASE_HELD.into(),
        months
            .iter()
            .map(|m| def::stability_base_held(*m, has))
            .collect::<Vec<_>>(),
    ))?;
    Ok(df)
}

/// The group of a row of each kind: its team, its service area, or the
/// whole service.
fn group_of(kind: GroupKind) -> Expr {
    match kind {
        GroupKind::All => lit(GroupKind::All.name()),
        GroupKind::Service => col("service"),
        GroupKind::Team => col("team"),
    }
}

/// `rows` once for each kind of group, with `group_kind` and `group`; rows
/// without a group of a kind (a leave with no team) left out of it.
fn per_kind(rows: LazyFrame) -> PolarsResult<LazyFrame> {
    Ok(concat(
        KINDS
            .iter()
            .map(|k| {
                rows.clone().with_columns([
                    lit(k.name()).alias("group_kind"),
                    group_of(*k).alias("group"),
                ])
            })
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .filter(col("group").is_not_null()))
}

/// `aggs` over the rows of each (month, group).
fn by_group(rows: LazyFrame, aggs: Vec<Expr>) -> PolarsResult<LazyFrame> {
    Ok(per_kind(rows)?
        .group_by([col("month"), col("group_kind"), col("group")])
        .agg(aggs))
}
