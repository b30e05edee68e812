//! The fast engine: computing the definitions in `definitions.rs` faster.
//!
//! What it computes is `super::definitions`, read measure by measure, and
//! `super::reference` computes the same table from those definitions with
//! plain group-bys; the tests compare the two cell by cell. What is here
//! is how it is made fast enough for a national workspace (millions of
//! snapshot rows), each trick for a reason:
//!
//! - Names and workers are coded as small integers first (`codes`):
//!   hashing millions of strings in joins and uniques dominated the time.
//! - Several small integers are packed into one `u64` key — (worker,
//!   month), (group, month), (team, month, service), (kind, group, month)
//!   (`frames`): polars joins, uniques and group-bys are fastest on one
//!   integer column, and a (group, month) a year later is the key plus 12.
//! - Each in-post row is summed once into a cell of (team, service,
//!   month), and the cells are summed up to each kind of group
//!   (`frames::roll_up`): the cells are a few per team-month, the rows
//!   millions.
//! - Head counts are sums of per-row flags, not distinct counts: almost
//!   everyone has one post a month; only the few (worker, month) pairs with
//!   several posts are counted once per group apart. A filtered distinct
//!   count per group runs group by group, ruinous with 190,000
//!   team-months.
//! - The counts are packed three to a `u64` column in the big group-by
//!   ([`COUNT_BITS`] each): its cost is gathering each aggregated column
//!   group by group, so fewer columns is faster.
//! - The rows are kept in (month, worker) order and cut into runs of whole
//!   months (`frames::month_slices`): each slice's hash table stays in
//!   cache, and rows a month or a year apart pair by merging sorted keys
//!   rather than hashing them.
//! - Independent steps (cells and leaves; stability and establishment) run
//!   side by side: each leaves a core idle at times.
//!
//! The shape of the query: each in-post row is summed into a cell of
//! (team, service, month), and the cells are summed up to each kind of
//! group (all / service / team), keyed by (kind, group, month) packed into
//! one integer. Leaves, stability and establishment are keyed the same way
//! and joined on that key; the names come back at the end.

pub(super) mod codes;
pub(super) mod frames;

use super::{BASES, GroupKind, METRICS, definitions, pct, ratio};
use crate::measure::Measure as M;
use crate::trace::CollectTraced;
use polars::prelude::*;

/// Bits of one packed count in the metrics' group-by (see `compute_prepared`).
const COUNT_BITS: u32 = 21;

/// Which in-post rows a measure concerns: the cells sum those of agency
/// workers and starters apart, over far fewer rows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    All,
    Agency,
    Starters,
}

impl Rows {
    fn filter(self) -> Expr {
        match self {
            Rows::All => lit(true),
            Rows::Agency => col("employed").not(),
            Rows::Starters => col("starter"),
        }
    }
}

pub(super) fn compute_prepared(
    p: &frames::Prepared,
    kinds: &[GroupKind],
) -> PolarsResult<DataFrame> {
    let mut kinds = kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        return Ok(compute_prepared(p, &[GroupKind::All])?.head(Some(0)));
    }
    let kinds = &kinds[..];
    let mut clock = std::time::Instant::now();
    // Aggregations stay on polars' vectorised paths: sums of precomputed
    // columns, and head counts as sums of per-person flags. (A filtered
    // n_unique per group runs group by group, which is ruinous with the
    // 190,000 team-months of a national workspace.)
    let only = |flag: Expr, value: Expr| when(flag).then(value).otherwise(lit(0.0));
    let flag = |e: Expr| e.cast(DataType::Int32);
    // Person flags, then the people counted: (column, output name).
    let people = [
        ("p_employed", M::EmployedHeadcount.name()),
        ("p_agency", M::AgencyHeadcount.name()),
        ("p_nqsw", M::NqswHeadcount.name()),
        ("p_early", "early_headcount"),
        ("p_starter", M::StartersHeadcount.name()),
        ("p_over", M::OverLimitHeadcount.name()),
        ("p_holder", "holders"),
        ("p_supervised", "supervised"),
    ];
    // A person counts once per group: almost everyone has one post a
    // month, so their flags are summed as they stand; only the (month,
    // worker) pairs with several posts go through a per-person maximum.
    // What is summed, as values on a row, and what is counted, as
    // conditions on a row (rows first, then people); each with the rows it
    // concerns, so the cells below can sum the few agency and starter rows
    // apart from the rest.
    let floats = || {
        vec![
            (
                M::EmployedFte.name(),
                Rows::All,
                only(col("employed"), col("fte")),
            ),
            (M::AgencyFte.name(), Rows::Agency, col("fte")),
            (M::StartersFte.name(), Rows::Starters, col("fte")),
            (
                M::CaseHoldersFte.name(),
                Rows::All,
                only(col("holder"), col("fte")),
            ),
            (
                M::Cases.name(),
                Rows::All,
                only(col("holder"), col("caseload")),
            ),
            (
                "cost_sum",
                Rows::Agency,
                (col("fte") * col("day_rate") * col("weekdays")).fill_null(lit(0.0)),
            ),
        ]
    };
    let counted = || {
        vec![
            ("rated", Rows::Agency, col("day_rate").is_not_null()),
            ("agency_rows", Rows::Agency, lit(true)),
            ("p_employed", Rows::All, col("employed")),
            ("p_agency", Rows::Agency, lit(true)),
            ("p_nqsw", Rows::All, col("employed").and(col("nqsw"))),
            ("p_early", Rows::All, col("employed").and(col("early"))),
            ("p_starter", Rows::Starters, lit(true)),
            ("p_over", Rows::All, col("over")),
            ("p_holder", Rows::All, col("holder")),
            (
                "p_supervised",
                Rows::All,
                col("holder").and(col("supervised")),
            ),
        ]
    };
    // Only the columns aggregated. Left lazy: each pass below reads the
    // in-post rows once and computes what it needs, rather than all of it
    // being copied out for millions of rows first.
    let columns = || {
        [col("month"), col("wid"), col("team_c"), col("service_c")]
            .into_iter()
            .chain(floats().into_iter().map(|(name, rows, v)| {
                match rows {
                    Rows::All => v,
                    _ => only(rows.filter(), v),
                }
                .alias(name)
            }))
            .chain(counted().into_iter().map(|(name, rows, c)| {
                match rows {
                    Rows::All => flag(c),
                    _ => flag(rows.filter().and(c)),
                }
                .alias(name)
            }))
            .collect::<Vec<_>>()
    };
    let rows = p.in_post.clone().select(
        columns()
            .into_iter()
            .chain([col("multi"), col("wm")])
            .collect::<Vec<_>>(),
    );
    // The rows of people with several posts: few, read once per kind.
    let multi_rows = p
        .in_post
        .clone()
        .filter(col("multi"))
        .select(
            columns()
                .into_iter()
                .chain([col("multi")])
                .collect::<Vec<_>>(),
        )
        .collect_traced()?
        .lazy();
    crate::trace::lap("metrics: stock rows", &mut clock);
    // One pass over the rows into cells of (team, service, month), summed up
    // to each kind of group from there: the cells are a few per team-month,
    // the rows millions. People with one post that month count through
    // their flags; those with several are counted per group below.
    // The group-by spends its time gathering each aggregated column group
    // by group, so it is given as few as it can be: the counts (of rows and
    // of people) packed three to a column, and what concerns only agency
    // rows or starters summed apart over those few rows. A count in one
    // cell is at most its rows, checked below to fit its bits.
    let counts: Vec<&str> = counted().into_iter().map(|(name, _, _)| name).collect();
    let float_names: Vec<&str> = floats().into_iter().map(|(name, _, _)| name).collect();
    let slot = |j: usize| 1u64 << (COUNT_BITS * j as u32);
    let is_person = |name: &str| people.iter().any(|(p, _)| *p == name);
    let cells_of = || -> PolarsResult<DataFrame> {
        let mut parts = Vec::new();
        for subset in [Rows::All, Rows::Agency, Rows::Starters] {
            let floats: Vec<(&str, Expr)> = floats()
                .into_iter()
                .filter(|(_, rows, _)| *rows == subset)
                .map(|(name, _, v)| (name, v))
                .collect();
            let counted: Vec<(&str, Expr)> = counted()
                .into_iter()
                .filter(|(_, rows, _)| *rows == subset)
                .map(|(name, _, c)| (name, c))
                .collect();
            let packed = |i: usize| format!("packed_{}_{i}", subset as u8);
            // Each count goes into its slot straight from its condition: one
            // column written per count, where flags, casts and products would
            // write several over millions of rows.
            let summed = |rows: LazyFrame| {
                rows.filter(subset.filter())
                    .select(
                        floats
                            .iter()
                            .map(|(name, v)| v.clone().alias(*name))
                            .chain(counted.chunks(3).enumerate().map(|(i, chunk)| {
                                chunk
                                    .iter()
                                    .enumerate()
                                    .map(|(j, (name, cond))| {
                                        let cond = if is_person(name) {
                                            cond.clone().and(col("multi").not())
                                        } else {
                                            cond.clone()
                                        };
                                        // Typed: polars would store an untyped
                                        // small slot as 32 bits, then widen it.
                                        when(cond)
                                            .then(lit(Scalar::from(slot(j))))
                                            .otherwise(lit(Scalar::from(0u64)))
                                    })
                                    .reduce(|a, b| a + b)
                                    .expect("three counts or fewer")
                                    .alias(packed(i))
                            }))
                            .chain([frames::pack_cell(
                                col("team_c"),
                                col("service_c"),
                                col("month"),
                            )
                            .alias("cell")])
                            .collect::<Vec<_>>(),
                    )
                    // Groups in order of first appearance, so month by month as the
                    // rows are: each group's rows are then read from a month's
                    // stretch of the columns, still in cache from the group before.
                    .group_by_stable([col("cell")])
                    .agg(
                        floats
                            .iter()
                            .map(|(c, _)| col(*c).sum())
                            .chain((0..counted.len().div_ceil(3)).map(|i| col(packed(i)).sum()))
                            .chain((subset == Rows::All).then(|| len().alias("cell_rows")))
                            .collect::<Vec<_>>(),
                    )
            };
            // Every row, month by month; the agency rows and starters, a
            // tenth of them, at once.
            let part = match subset {
                Rows::All => frames::by_slices(&p.in_post, &p.slices, summed)?,
                _ => summed(p.in_post.clone()),
            }
            .with_columns(
                counted
                    .iter()
                    .enumerate()
                    .map(|(k, (c, _))| {
                        (col(packed(k / 3)).floor_div(lit(slot(k % 3))) % lit(slot(1)))
                            .cast(DataType::Int32)
                            .alias(*c)
                    })
                    .collect::<Vec<_>>(),
            );
            parts.push(part);
        }
        let mut parts = parts.into_iter();
        let mut cells = parts.next().expect("the rows of every cell");
        // Every in-post row is in the first part, so it has every cell.
        for part in parts {
            cells = cells.join(
                part,
                [col("cell")],
                [col("cell")],
                JoinArgs::new(JoinType::Left),
            );
        }
        let cells = cells
            .with_columns(
                float_names
                    .iter()
                    .map(|c| col(*c).fill_null(lit(0.0)))
                    .chain(counts.iter().map(|c| col(*c).fill_null(lit(0))))
                    .collect::<Vec<_>>(),
            )
            // Sorted, so the sums up the groups add in the same order every run.
            .sort(["cell"], Default::default())
            .collect_traced()?;
        let most = cells
            .column("cell_rows")?
            .cast(&DataType::UInt64)?
            .u64()?
            .max()
            .unwrap_or(0);
        if most >= 1 << COUNT_BITS {
            return Err(PolarsError::ComputeError(
                format!("{most} rows for one team in one month: more than Keel counts (2,097,151)")
                    .into(),
            ));
        }
        Ok(cells)
    };
    let leaves_of = || -> PolarsResult<LazyFrame> {
        let leaves = frames::per_kind(kinds, |kind| {
            let g = frames::group_code(kind);
            let rows = p
                .leaves()?
                .filter(g.clone().is_not_null())
                .with_column(frames::pack_group_month(g, col("month")).alias("gm"));
            let totals = rows
                .clone()
                .group_by([col("gm")])
                .agg([col("fte").sum().alias(M::LeaversFte.name())]);
            let heads = rows
                .select([col("gm"), col("wid")])
                .unique(None, UniqueKeepStrategy::Any)
                .group_by([col("gm")])
                .agg([len()
                    .cast(DataType::Float64)
                    .alias(M::LeaversHeadcount.name())]);
            Ok(totals.join(
                heads,
                [col("gm")],
                [col("gm")],
                JoinArgs::new(JoinType::Left),
            ))
        })?;
        // Each part is used more than once below (keys, joins, vacancies):
        // materialise it so the lazy plan does not compute it again each time.
        Ok(leaves.collect_traced()?.lazy())
    };
    // The leaves read other rows than the cells; each leaves a core idle at
    // times (joins, small steps, planning), so they are worked out side by
    // side.
    let (cells, leaves) = side_by_side(cells_of, leaves_of)?;
    crate::trace::lap("metrics: cells and leaves", &mut clock);
    let stock_of = |kind: GroupKind| -> PolarsResult<LazyFrame> {
        let totals = frames::roll_up(
            &cells,
            kind,
            float_names
                .iter()
                .chain(&counts)
                .map(|c| col(*c).sum())
                .collect(),
        )?;
        let g = frames::group_code(kind);
        let several = multi_rows
            .clone()
            .filter(g.clone().is_not_null())
            .with_column(frames::pack_group_month(g, col("month")).alias("gm"))
            .group_by([
                (col("gm") * lit(frames::MONTH_SHIFT) + col("wid").cast(DataType::UInt64))
                    .alias("gmw"),
            ])
            .agg(
                people
                    .iter()
                    .map(|(c, _)| col(*c).max())
                    .collect::<Vec<_>>(),
            )
            .group_by([col("gmw").floor_div(lit(frames::MONTH_SHIFT)).alias("gm")])
            .agg(
                people
                    .iter()
                    .map(|(c, _)| col(*c).sum().alias(format!("m_{c}")))
                    .collect::<Vec<_>>(),
            );
        Ok(totals
            .join(
                several,
                [col("gm")],
                [col("gm")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns(
                people
                    .iter()
                    .map(|(c, out)| {
                        (col(*c).cast(DataType::Float64)
                            + col(format!("m_{c}"))
                                .fill_null(lit(0))
                                .cast(DataType::Float64))
                        .alias(*out)
                    })
                    .collect::<Vec<_>>(),
            )
            .drop(cols(
                people
                    .iter()
                    .flat_map(|(c, _)| [c.to_string(), format!("m_{c}")])
                    .collect::<Vec<_>>(),
            )))
    };
    // Every part below is keyed by (kind, group, month) packed into one
    // integer, and joined on it; names come back at the end.
    let stock = frames::per_kind(kinds, stock_of)?.collect_traced()?.lazy();
    crate::trace::lap("metrics: stock", &mut clock);
    // Vacancies are counted team by team, even when teams are not shown.
    let team_fte = if p.establishment.is_none() {
        DataFrame::empty().lazy()
    } else if kinds.contains(&GroupKind::Team) {
        stock
            .clone()
            .filter(frames::key_is(GroupKind::Team))
            .select([
                frames::pack_group_month(frames::key_code(), frames::key_month()).alias("gm"),
                col(M::EmployedFte.name()),
            ])
    } else {
        let g = frames::group_code(GroupKind::Team);
        rows.clone()
            .filter(g.clone().is_not_null())
            .group_by([frames::pack_group_month(g, col("month")).alias("gm")])
            .agg([col(M::EmployedFte.name()).sum()])
    };

    let (stability, establishment) = side_by_side(
        || {
            Ok(frames::stability(&p.employed, &stock, kinds, p.slice_rows)?
                .collect_traced()?
                .lazy())
        },
        || {
            Ok(frames::establishment(p, team_fte, kinds)?
                .collect_traced()?
                .lazy())
        },
    )?;
    crate::trace::lap("metrics: stability and establishment", &mut clock);

    let window = frames::leavers_12m(&leaves, &p.months)?;

    // Every (group, month) with staff, leaves or an establishment: the
    // three joined in full, then what the others add on those keys.
    let full = |a: LazyFrame, b: LazyFrame| {
        a.join(
            b,
            [col("key")],
            [col("key")],
            JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
    };
    let left = |a: LazyFrame, b: LazyFrame| {
        a.join(b, [col("key")], [col("key")], JoinArgs::new(JoinType::Left))
    };
    let keyed = full(full(stock, leaves), establishment)
        .with_column(frames::key_month().alias("month"))
        .join(
            p.months.clone(),
            [col("month")],
            [col("month")],
            JoinArgs::new(JoinType::Inner),
        );
    let joined = left(left(keyed, window), stability);

    let zero = |name: &str| col(name).fill_null(lit(0.0)).alias(name);
    let m = |x: M| col(x.name());
    let df = frames::decode_keys(joined, &p.names)
        // Sums and counts over nobody are 0 (see
        // `definitions::zero_when_nobody`), and so are the counts behind
        // the shares and the agency cost.
        .with_columns(
            definitions::zero_when_nobody()
                .map(|m| zero(m.name()))
                .chain(["early_headcount", "holders", "supervised"].map(zero))
                .chain([
                    col("agency_rows").fill_null(lit(0)),
                    col("rated").fill_null(lit(0)),
                ])
                .collect::<Vec<_>>(),
        )
        .with_columns([
            pct(m(M::AgencyFte), m(M::AgencyFte) + m(M::EmployedFte)).alias(M::AgencyRate.name()),
            pct(m(M::VacancyFte), m(M::VacancyFte) + m(M::EmployedFte))
                .alias(M::VacancyRate.name()),
            when(col("window_complete"))
                .then(col("leavers_12m_sum").fill_null(lit(0.0)))
                .otherwise(lit(NULL))
                .alias(M::LeaversFte12m.name()),
            pct(m(M::NqswHeadcount), m(M::EmployedHeadcount)).alias(M::NqswShare.name()),
            pct(col("early_headcount"), m(M::EmployedHeadcount)).alias(M::EarlyCareerShare.name()),
            ratio(m(M::Cases), m(M::CaseHoldersFte)).alias(M::CaseloadPerFte.name()),
            pct(col("supervised"), col("holders")).alias(M::SupervisionCompliance.name()),
            when(col("agency_rows").eq(lit(0)))
                .then(lit(0.0))
                .when(col("rated").eq(lit(0)))
                .then(lit(NULL))
                .otherwise(col("cost_sum"))
                .alias(M::AgencyCost.name()),
            when(col("prev12_held"))
                .then(pct(col("stayed").fill_null(lit(0.0)), col("base")))
                .otherwise(lit(NULL))
                .alias(M::StabilityIndex.name()),
        ])
        .with_columns([
            pct(m(M::LeaversFte12m), m(M::EmployedFte)).alias(M::TurnoverRate12m.name()),
            // Only a census return states days lost (`metrics::census`).
            lit(NULL)
                .cast(DataType::Float64)
                .alias(M::WorkingDaysLost.name()),
            lit(NULL)
                .cast(DataType::Float64)
                .alias(M::AbsenceRate.name()),
        ])
        // Counts of people are whole numbers in the output.
        .with_columns(
            M::ALL
                .into_iter()
                .filter(|x| x.is_headcount())
                .map(|x| m(x).cast(DataType::Int64))
                .collect::<Vec<_>>(),
        )
        // By month, then kind (all, service, team), then group: a key's
        // kind and group code (codes follow name order) sit above its
        // month, which is moved to the top to sort on one integer.
        .sort_by_exprs(
            [(col("key") % lit(frames::GROUP_SHIFT)) * lit(1u64 << 40)
                + col("key").floor_div(lit(frames::GROUP_SHIFT))],
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
                    col("rated").cast(DataType::Int64).alias(BASES[2]),
                ])
                .collect::<Vec<_>>(),
        )
        .collect_traced()?;
    crate::trace::lap("metrics: join", &mut clock);
    crate::metrics::with_month_labels(df)
}

/// `a()` and `b()` worked out at once: for independent steps that each
/// leave a core idle at times. Both hand their work to polars' thread
/// pool. (`b` runs on a thread of its own, which sleeps while it waits on
/// the pool; a rayon worker would spin, taking a core from the work.)
fn side_by_side<A: Send, B: Send>(
    a: impl FnOnce() -> PolarsResult<A> + Send,
    b: impl FnOnce() -> PolarsResult<B> + Send,
) -> PolarsResult<(A, B)> {
    let (a, b) = std::thread::scope(|s| {
        let b = s.spawn(b);
        (a(), b.join())
    });
    match b {
        Ok(b) => Ok((a?, b?)),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::tests::sample;

    #[test]
    fn the_metrics_summed_slice_by_slice_are_those_summed_at_once() {
        let (_dir, inputs, limits) = sample();
        let kinds = [GroupKind::All, GroupKind::Service, GroupKind::Team];
        let mut p = frames::prepare(&inputs, limits).unwrap();
        // The sample's rows are one slice; cut them (and stability's pairs,
        // about a year's fewer) into many instead.
        assert_eq!(p.slices.len(), 1);
        let at_once = compute_prepared(&p, &kinds).unwrap();
        p.slice_by(100).unwrap();
        assert!(p.slices.len() > 5, "{} slices", p.slices.len());
        let sliced = compute_prepared(&p, &kinds).unwrap();
        assert!(sliced.height() > 100);
        assert!(sliced.equals_missing(&at_once));
    }
}
