//! Disclosure control for anything shown in a meeting or printed in a
//! report: a count of fewer than five people, a figure that adds up fewer
//! than five people's data (their FTE, their cost, their cases), and a rate
//! computed over fewer than five people are all withheld, as official
//! statistics withhold them (shown as "c").
//!
//! A zero is shown: it identifies nobody, and "nobody over their caseload
//! limit" is exactly what a board wants to see.

use crate::metrics::table::{Group, MetricTable};
use crate::month::Month;

/// The smallest number of people a figure may rest on.
pub const MIN_PEOPLE: f64 = 5.0;

/// How a withheld figure is written, and what the mark means.
pub const MARK: &str = "c";
pub const MARK_MEANING: &str = "c = withheld: fewer than 5 people (counts, and rates or totals resting on fewer than 5 people)";

/// The count of people a metric's figure rests on, as the name of the
/// column holding it (or a sum of two).
fn base_of(metric: &str) -> Option<&'static [&'static str]> {
    Some(match metric {
        "employed_headcount"
        | "employed_fte"
        | "vacancy_fte"
        | "vacancy_rate_pct"
        | "leavers_fte_12m"
        | "turnover_rate_12m_pct"
        | "nqsw_headcount"
        | "nqsw_share_pct"
        | "early_career_share_pct" => &["employed_headcount"],
        "agency_headcount" | "agency_fte" | "agency_cost" => &["agency_headcount"],
        "agency_rate_pct" => &["employed_headcount", "agency_headcount"],
        "leavers_headcount" | "leavers_fte" => &["leavers_headcount"],
        "starters_headcount" | "starters_fte" => &["starters_headcount"],
        "case_holders_fte" | "cases" | "caseload_per_fte" | "supervision_compliance_pct" => {
            &["case_holders_headcount"]
        }
        "over_limit_headcount" => &["over_limit_headcount"],
        "stability_index_pct" => &["stability_base_headcount"],
        // Funded posts are not people.
        "establishment_fte" => return None,
        _ => return None,
    })
}

/// Whether `metric` is withheld for this month and group.
pub fn withheld(table: &MetricTable, month: Month, group: &Group, metric: &str) -> bool {
    let Some(cols) = base_of(metric) else {
        return false;
    };
    let mut people = 0.0;
    for c in cols {
        match table.get(month, group, c) {
            Some(n) => people += n,
            // An unknown base is treated as small: withholding a figure
            // is the safe mistake.
            None => return table.has(month, group),
        }
    }
    // A figure over nobody is null or zero already, and shows as such.
    people > 0.0 && people < MIN_PEOPLE
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

/// The series a chart in a meeting or report may draw: withheld months
/// are left out, and the second value says whether any were.
pub fn series(table: &MetricTable, group: &Group, metric: &str) -> (Vec<(Month, f64)>, bool) {
    let mut any = false;
    let points = table
        .months
        .iter()
        .filter_map(|m| match shown(table, *m, group, metric) {
            Shown::Value(v) => Some((*m, v)),
            Shown::Withheld => {
                any = true;
                None
            }
            Shown::Missing => None,
        })
        .collect();
    (points, any)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{BASES, GroupKind, METRICS};
    use polars::prelude::*;

    /// One month, one team, with the given figures (others null).
    fn table(values: &[(&str, f64)]) -> (MetricTable, Month, Group) {
        let mut cols = vec![
            Column::new("month".into(), ["2026-09"]),
            Column::new("group_kind".into(), ["team"]),
            Column::new("group".into(), ["T"]),
        ];
        for name in METRICS.iter().chain(BASES) {
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
        // Agency rate rests on employed and agency people together: 3 + 2.
        let (t, m, g) = table(&[
            ("employed_headcount", 3.0),
            ("agency_headcount", 2.0),
            ("agency_rate_pct", 40.0),
            ("nqsw_share_pct", 33.3),
            ("case_holders_headcount", 5.0),
            ("caseload_per_fte", 14.0),
            ("stability_base_headcount", 4.0),
            ("stability_index_pct", 75.0),
            ("establishment_fte", 6.0),
        ]);
        assert_eq!(shown(&t, m, &g, "agency_rate_pct"), Shown::Value(40.0));
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
    fn an_unknown_base_withholds_and_a_month_not_held_is_missing() {
        let (t, m, g) = table(&[("caseload_per_fte", 14.0)]);
        assert_eq!(shown(&t, m, &g, "caseload_per_fte"), Shown::Withheld);
        assert_eq!(shown(&t, m - 1, &g, "caseload_per_fte"), Shown::Missing);
    }
}
