//! Disclosure control for anything shown in a meeting or printed in a
//! report: a count of fewer than five people, a figure that adds up fewer
//! than five people's data (their FTE, their cost, their cases), and a rate
//! computed over fewer than five people are all withheld, as official
//! statistics withhold them (shown as "c").
//!
//! A zero is shown: it identifies nobody, and "nobody over their caseload
//! limit" is exactly what a board wants to see.

use crate::measure::{Base, Column, Measure, People};
use crate::metrics::table::{Group, MetricTable};
use crate::month::Month;

/// The smallest number of people a figure may rest on.
pub const MIN_PEOPLE: f64 = 5.0;

/// How a withheld figure is written, and what the mark means.
pub const MARK: &str = "c";
pub const MARK_MEANING: &str = "c = withheld: fewer than 5 people (counts, and rates or totals resting on fewer than 5 people)";

/// Sum of columns for one month and group; `None` when any is unknown.
fn sum(table: &MetricTable, month: Month, group: &Group, cols: &[&str]) -> Option<f64> {
    cols.iter().map(|c| table.get(month, group, c)).sum()
}

/// The people a figure counts or adds up (see [`People`]): `None` when it
/// adds up nobody's data, `Some(None)` when the count is unknown.
fn counted(
    table: &MetricTable,
    month: Month,
    group: &Group,
    measure: Measure,
) -> Option<Option<f64>> {
    let get = |c: Column| table.get(month, group, c.name());
    Some(match measure.entry().disclosure.counted {
        People::In(c) => get(c),
        People::RatedAgency => get(Column::Base(Base::AgencyRated))
            .or_else(|| get(Column::Measure(Measure::AgencyHeadcount))),
        People::ShareOfEmployed => {
            let share = get(Column::Measure(measure));
            let employed = get(Column::Measure(Measure::EmployedHeadcount));
            share.zip(employed).map(|(p, n)| (p * n / 100.0).round())
        }
        People::Leavers12m => (0..12)
            .map(|k| table.get(month - k, group, Measure::LeaversHeadcount.name()))
            .sum(),
        People::Nobody => return None,
    })
}

fn small(n: f64) -> bool {
    n > 0.0 && n < MIN_PEOPLE
}

/// Whether `metric` is withheld for this month and group. A name that is
/// no measure's (a projection's own measure) rests on nobody's count.
pub fn withheld(table: &MetricTable, month: Month, group: &Group, metric: &str) -> bool {
    if !table.has(month, group) {
        return false;
    }
    let Some(measure) = Measure::parse(metric) else {
        return false;
    };
    // An unknown count is treated as small: withholding a figure is the
    // safe mistake.
    let by_count = counted(table, month, group, measure).is_some_and(|n| n.is_none_or(small));
    let over: Vec<&str> = measure
        .entry()
        .disclosure
        .over
        .iter()
        .map(|c| c.name())
        .collect();
    let by_base = !over.is_empty() && sum(table, month, group, &over).is_none_or(small);
    by_count || by_base
}

/// The people in a group (employed and agency), to find its smallest part.
fn size(table: &MetricTable, month: Month, group: &Group) -> f64 {
    sum(
        table,
        month,
        group,
        &[
            Measure::EmployedHeadcount.name(),
            Measure::AgencyHeadcount.name(),
        ],
    )
    .unwrap_or(0.0)
}

/// Whether a projection of this scope (a team, or the whole service) rests
/// on fewer than five people now: its figures would stand close to the
/// withheld actual ones, so meetings and reports withhold them too.
pub fn scope_withheld(table: &MetricTable, team: Option<&str>) -> bool {
    let group = match team {
        Some(t) => Group {
            kind: crate::metrics::GroupKind::Team,
            name: t.to_string(),
        },
        None => Group::all(),
    };
    table
        .months
        .last()
        .is_some_and(|m| size(table, *m, &group) < MIN_PEOPLE)
}

/// A figure for several groups shown together, where `groups[0]` is the
/// whole service and the rest its parts (service areas): the whole less
/// the parts shown gives back the parts withheld, so while that is one
/// part, or parts resting on fewer than 5 people together, the smallest
/// part shown is withheld too.
pub fn shown_among(
    table: &MetricTable,
    month: Month,
    groups: &[Group],
    metric: &str,
) -> Vec<Shown> {
    let mut out: Vec<Shown> = groups
        .iter()
        .map(|g| shown(table, month, g, metric))
        .collect();
    let whole = groups
        .first()
        .is_some_and(|g| g.kind == crate::metrics::GroupKind::All);
    if whole && matches!(out.first(), Some(Shown::Value(_))) {
        let sizes: Vec<f64> = groups.iter().map(|g| size(table, month, g)).collect();
        let hidden: Vec<bool> = out.iter().map(|v| *v == Shown::Withheld).collect();
        let shown: Vec<bool> = out.iter().map(|v| matches!(v, Shown::Value(_))).collect();
        let parts = complementary(&sizes[1..], hidden[1..].to_vec(), &shown[1..]);
        for (i, h) in parts.into_iter().enumerate() {
            if h {
                out[i + 1] = Shown::Withheld;
            }
        }
    }
    out
}

/// Which parts of one total a meeting may not see: each resting on one
/// to four people, then [`complementary`] ones, since the total
/// (published elsewhere) less the parts shown gives back those withheld.
pub fn withheld_parts(counts: &[u64]) -> Vec<bool> {
    let sizes: Vec<f64> = counts.iter().map(|n| *n as f64).collect();
    let some: Vec<bool> = counts.iter().map(|n| *n > 0).collect();
    complementary(&sizes, sizes.iter().map(|n| small(*n)).collect(), &some)
}

/// `hidden` with the smallest `eligible` parts (of people `sizes`) added
/// while the hidden ones could be worked out from the total: while one
/// part alone is hidden, or the hidden parts rest on fewer than 5 people
/// together (two leavers of one each are each 1). A part of nobody, or
/// with no figure shown, is not eligible: it gives nothing away.
fn complementary(sizes: &[f64], mut hidden: Vec<bool>, eligible: &[bool]) -> Vec<bool> {
    loop {
        let n = hidden.iter().filter(|h| **h).count();
        let people: f64 = (0..sizes.len())
            .filter(|i| hidden[*i])
            .map(|i| sizes[i])
            .sum();
        if n == 0 || (n > 1 && !small(people)) {
            return hidden;
        }
        let next = (0..sizes.len())
            .filter(|i| !hidden[*i] && eligible[*i])
            .min_by(|a, b| sizes[*a].total_cmp(&sizes[*b]));
        match next {
            Some(i) => hidden[i] = true,
            None => return hidden,
        }
    }
}

/// Whether each line of a leavers breakdown
/// (`metrics::census::leavers_by`) is withheld: the lines of one census
/// year and one breakdown are the parts of that year's leavers.
pub fn leavers_withheld(rows: &[crate::metrics::census::LeaverCount]) -> Vec<bool> {
    let mut out = vec![false; rows.len()];
    let mut start = 0;
    while start < rows.len() {
        let key = (rows[start].census_year, rows[start].by);
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| (r.census_year, r.by) == key)
                .count();
        let counts: Vec<u64> = rows[start..end].iter().map(|r| r.headcount).collect();
        out[start..end].copy_from_slice(&withheld_parts(&counts));
        start = end;
    }
    out
}

/// A figure as a meeting or report may show it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shown {
    Value(f64),
    Withheld,
    Missing,
}

impl Shown {
    pub fn value(self) -> Option<f64> {
        match self {
            Shown::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn text(self, unit: super::measures::Unit) -> String {
        match self {
            Shown::Value(v) => unit.format(v),
            Shown::Withheld => MARK.to_string(),
            Shown::Missing => "—".to_string(),
        }
    }
}

/// A figure that cannot be computed shows as missing whatever its base:
/// an empty cell discloses nothing, and says more than a "c".
pub fn shown(table: &MetricTable, month: Month, group: &Group, metric: &str) -> Shown {
    match table.get(month, group, metric) {
        None => Shown::Missing,
        Some(_) if withheld(table, month, group, metric) => Shown::Withheld,
        Some(v) => Shown::Value(v),
    }
}

/// Each group's series for a chart drawing several groups together (see
/// [`shown_among`]), and whether any month was withheld.
pub fn series_among(
    table: &MetricTable,
    groups: &[Group],
    metric: &str,
) -> (Vec<Vec<(Month, f64)>>, bool) {
    let mut out = vec![Vec::new(); groups.len()];
    let mut any = false;
    for m in &table.months {
        for (i, v) in shown_among(table, *m, groups, metric)
            .into_iter()
            .enumerate()
        {
            match v {
                Shown::Value(v) => out[i].push((*m, v)),
                Shown::Withheld => any = true,
                Shown::Missing => {}
            }
        }
    }
    (out, any)
}

/// The series a chart in a meeting or report may draw: withheld months
/// are left out, and the second value says whether any were.
pub fn series(table: &MetricTable, group: &Group, metric: &str) -> (Vec<(Month, f64)>, bool) {
    let (mut one, any) = series_among(table, std::slice::from_ref(group), metric);
    (one.pop().unwrap_or_default(), any)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_small_part_takes_the_smallest_other_with_it() {
        // 3 is small; alone it could be worked back from the total, so 6
        // (the smallest other part) goes too; 0 discloses nobody.
        assert_eq!(
            withheld_parts(&[12, 3, 6, 0, 9]),
            [false, true, true, false, false]
        );
        // Two small parts already hide each other.
        assert_eq!(withheld_parts(&[2, 4, 7]), [true, true, false]);
        assert_eq!(withheld_parts(&[5, 7]), [false, false]);
        assert_eq!(withheld_parts(&[1]), [true]);
        // Two of one each: the total less 20 says both are 1, so 20 goes
        // too; three of one each likewise.
        assert_eq!(withheld_parts(&[20, 1, 1]), [true, true, true]);
        assert_eq!(
            withheld_parts(&[20, 1, 1, 1, 9]),
            [false, true, true, true, true]
        );
    }
    use crate::metrics::{BASES, GroupKind, METRICS};
    use polars::prelude::{Column, DataFrame};

    /// One month, one team, with the given figures (others null).
    fn table(values: &[(&str, f64)]) -> (MetricTable, Month, Group) {
        let mut cols = vec![
            Column::new("month".into(), ["2026-09"]),
            Column::new("group_kind".into(), ["team"]),
            Column::new("group".into(), ["T"]),
        ];
        for name in METRICS.iter().chain(BASES.iter()) {
            let v = values.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
            cols.push(Column::new((*name).into(), [v]));
        }
        let df = DataFrame::new_infer_height(cols).unwrap();
        let t = MetricTable::from_frame(&df).unwrap();
        let g = Group {
            kind: GroupKind::Team,
            name: "T".into(),
        };
        (t, Month::new(2026, 9).unwrap(), g)
    }

    #[test]
    fn counts_of_one_to_four_are_withheld_and_zero_and_five_are_not() {
        for (n, hidden) in [(0.0, false), (1.0, true), (4.0, true), (5.0, false)] {
            let (t, m, g) = table(&[("leavers_headcount", n), ("leavers_fte", n * 0.8)]);
            assert_eq!(withheld(&t, m, &g, "leavers_headcount"), hidden, "{n}");
            assert_eq!(
                withheld(&t, m, &g, "leavers_fte"),
                hidden,
                "FTE of {n} leavers"
            );
        }
    }

    #[test]
    fn a_rate_over_fewer_than_five_people_is_withheld() {
        // Agency rate rests on employed and agency people together (3 + 2)
        // and counts the agency workers (2): withheld by its numerator.
        let (t, m, g) = table(&[
            ("employed_headcount", 3.0),
            ("agency_headcount", 2.0),
            ("agency_rate_pct", 40.0),
            ("nqsw_headcount", 0.0),
            ("nqsw_share_pct", 0.0),
            ("case_holders_headcount", 5.0),
            ("caseload_per_fte", 14.0),
            ("stability_base_headcount", 4.0),
            ("stability_index_pct", 75.0),
            ("establishment_fte", 6.0),
        ]);
        assert_eq!(shown(&t, m, &g, "agency_rate_pct"), Shown::Withheld);
        // No NQSW, but the share is over three employed people.
        assert_eq!(shown(&t, m, &g, "nqsw_share_pct"), Shown::Withheld);
        assert_eq!(shown(&t, m, &g, "caseload_per_fte"), Shown::Value(14.0));
        assert_eq!(shown(&t, m, &g, "stability_index_pct"), Shown::Withheld);
        // Funded posts are not people.
        assert_eq!(shown(&t, m, &g, "establishment_fte"), Shown::Value(6.0));
        assert_eq!(shown(&t, m, &g, "employed_headcount"), Shown::Withheld);
        assert_eq!(
            Shown::Withheld.text(crate::report::measures::Unit::Percent),
            MARK
        );
    }

    #[test]
    fn a_share_with_one_to_four_people_on_top_is_withheld() {
        let (t, m, g) = table(&[
            ("employed_headcount", 20.0),
            ("agency_headcount", 5.0),
            ("agency_rate_pct", 20.0),
            ("nqsw_headcount", 2.0),
            ("nqsw_share_pct", 10.0),
            ("early_career_share_pct", 15.0),
        ]);
        // 5 agency workers: shown; 2 NQSW: the count and the share that
        // would give it back are withheld; 15% of 20 is 3 early-career.
        assert_eq!(shown(&t, m, &g, "agency_rate_pct"), Shown::Value(20.0));
        assert_eq!(shown(&t, m, &g, "nqsw_headcount"), Shown::Withheld);
        assert_eq!(shown(&t, m, &g, "nqsw_share_pct"), Shown::Withheld);
        assert_eq!(shown(&t, m, &g, "early_career_share_pct"), Shown::Withheld);
    }

    #[test]
    fn agency_cost_rests_on_the_workers_with_a_day_rate() {
        // Six agency workers, one with a rate: the cost is that one's.
        let (t, m, g) = table(&[
            ("agency_headcount", 6.0),
            ("agency_rated_headcount", 1.0),
            ("agency_cost", 9000.0),
        ]);
        assert_eq!(shown(&t, m, &g, "agency_cost"), Shown::Withheld);
        let (t, m, g) = table(&[
            ("agency_headcount", 6.0),
            ("agency_rated_headcount", 6.0),
            ("agency_cost", 54000.0),
        ]);
        assert_eq!(shown(&t, m, &g, "agency_cost"), Shown::Value(54000.0));
    }

    #[test]
    fn one_withheld_part_withholds_the_smallest_other_part_too() {
        let group = |kind, name: &str| Group {
            kind,
            name: name.into(),
        };
        let mut cols = vec![
            Column::new("month".into(), ["2026-09"; 4]),
            Column::new(
                "group_kind".into(),
                ["all", "service", "service", "service"],
            ),
            Column::new("group".into(), ["all", "A", "B", "C"]),
        ];
        let heads = [Some(31.0), Some(3.0), Some(8.0), Some(20.0)];
        for name in METRICS.iter().chain(BASES.iter()) {
            let v: Vec<Option<f64>> = match *name {
                "employed_headcount" => heads.to_vec(),
                "employed_fte" => heads.iter().map(|h| h.map(|h| h * 0.9)).collect(),
                _ => vec![None; 4],
            };
            cols.push(Column::new((*name).into(), v));
        }
        let t = MetricTable::from_frame(&DataFrame::new_infer_height(cols).unwrap()).unwrap();
        let m = Month::new(2026, 9).unwrap();
        let groups = [
            Group::all(),
            group(GroupKind::Service, "A"),
            group(GroupKind::Service, "B"),
            group(GroupKind::Service, "C"),
        ];
        let shown = shown_among(&t, m, &groups, "employed_headcount");
        // A (3) is withheld, so B, the smaller of the others, is too: the
        // whole service minus C no longer gives A back.
        assert_eq!(
            shown,
            vec![
                Shown::Value(31.0),
                Shown::Withheld,
                Shown::Withheld,
                Shown::Value(20.0)
            ]
        );
    }

    #[test]
    fn an_unknown_base_withholds_and_a_month_not_held_is_missing() {
        let (t, m, g) = table(&[("caseload_per_fte", 14.0)]);
        assert_eq!(shown(&t, m, &g, "caseload_per_fte"), Shown::Withheld);
        assert_eq!(shown(&t, m - 1, &g, "caseload_per_fte"), Shown::Missing);
    }
}
