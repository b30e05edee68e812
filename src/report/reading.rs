//! The two plain-English lines under each chart in the board report, for
//! example "Agency rate fell from 27.0% to 19.0% over the year." and "At
//! the current trend the target of 15.0% would be reached in March 2026."

use super::measures::Entry;
use super::suppress::{self, Shown};
use super::trend::{self, Outlook};
use crate::metrics::table::{Group, MetricTable};
use crate::month::Month;
use crate::settings::Target;

pub fn long_month(m: Month) -> String {
    m.first_day().format("%B %Y").to_string()
}

pub fn read(
    table: &MetricTable,
    group: &Group,
    m: &Entry,
    month: Month,
    target: Option<&Target>,
) -> [String; 2] {
    let unit = m.unit;
    let now = suppress::shown(table, month, group, m.name);
    let before = suppress::shown(table, month - 12, group, m.name);
    let first = match (now, before) {
        (Shown::Withheld, _) => format!(
            "{} is withheld for {}: it rests on fewer than 5 people.",
            m.label,
            long_month(month)
        ),
        (Shown::Missing, _) => format!("{} cannot be computed for {}.", m.label, long_month(month)),
        (Shown::Value(v), Shown::Value(b)) => {
            let (a, z) = (unit.format(b), unit.format(v));
            if a == z {
                format!(
                    "{} was unchanged at {z} over the year to {}.",
                    m.label,
                    long_month(month)
                )
            } else {
                let verb = if v < b { "fell" } else { "rose" };
                format!(
                    "{} {verb} from {a} to {z} over the year to {}.",
                    m.label,
                    long_month(month)
                )
            }
        }
        (Shown::Value(v), _) => format!(
            "{} was {} in {}; there is no comparable figure a year earlier.",
            m.label,
            unit.format(v),
            long_month(month)
        ),
    };
    let second = match target {
        None => "No target is set for this measure.".to_string(),
        Some(t) => {
            let tv = unit.format(t.value);
            let (series, _) = suppress::series(table, group, m.name);
            let upto: Vec<(Month, f64)> =
                series.into_iter().filter(|(mo, _)| *mo <= month).collect();
            match trend::fit(&upto, Some(t)).map(|tr| tr.outlook) {
                _ if now.value().is_none() => format!("The target is {tv}."),
                Some(Outlook::OnTarget) => format!("This meets the target of {tv}."),
                Some(Outlook::Reaches(when)) => format!(
                    "At the current trend the target of {tv} would be reached in {}.",
                    long_month(when)
                ),
                Some(Outlook::TooSlow) => format!(
                    "At the current trend the target of {tv} is more than three years away."
                ),
                Some(Outlook::NoTarget) => format!("The target is {tv}."),
                Some(Outlook::Flat) => {
                    format!("At the current trend it is level, short of the target of {tv}.")
                }
                Some(Outlook::MovingAway) => {
                    format!("At the current trend it is moving away from the target of {tv}.")
                }
                None => format!("The target is {tv}; too few months are held to read a trend."),
            }
        }
    };
    [first, second]
}
