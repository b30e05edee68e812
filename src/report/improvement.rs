//! The board report's "Improvement plan" section: how many items stand at
//! each RAG, each overdue item, and each linked measure against its target.
//! The plan is judged as at the last day of the report's month, the date
//! its figures are for, so a report for a past month reads as it would have
//! then. Leads are not printed (see `plan::summary`); an actual figure
//! resting on fewer than five people is withheld like any other, and so is
//! the amount a target was missed by, which would give it back.

use super::pdf::{Doc, Face, GREY, HEIGHT, INK, MARGIN, Page, WIDTH, wrap};
use super::suppress::{self, Shown};
use crate::measure::{Measure, Unit};
use crate::metrics::table::{Group, MetricTable};
use crate::month::Month;
use crate::plan::summary::{LinkRow, Summary};
use crate::plan::{Attainment, Rag};

/// The lowest a row may reach before the section goes on over the page.
const BOTTOM: f32 = 56.0;
const LINE: f32 = 13.0;

fn short_month(m: Month) -> String {
    m.first_day().format("%b %Y").to_string()
}

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub fn rag_rgb(r: Rag) -> [u8; 3] {
    match r {
        Rag::Overdue => [190, 30, 30],
        Rag::DueSoon => [168, 96, 0],
        Rag::OnTrack => [0, 90, 160],
        Rag::Done => [0, 112, 60],
        Rag::Dropped => [120, 120, 120],
    }
}

/// The actual figure and attainment as the report may print them.
pub fn shown_link(row: &LinkRow, table: &MetricTable) -> (String, String) {
    let unit = Measure::parse(&row.measure).map_or(Unit::Ratio, Measure::unit);
    let Some((month, value)) = row.actual else {
        return ("—".into(), row.attainment.describe());
    };
    let shown = match suppress::shown(table, month, &Group::all(), &row.measure) {
        // The summary's figure is the one judged; the table only says
        // whether it may be shown.
        Shown::Value(_) | Shown::Missing => Shown::Value(value),
        Shown::Withheld => Shown::Withheld,
    };
    let mut actual = shown.text(unit);
    if month != row.by && shown != Shown::Withheld {
        actual = format!("{actual} ({})", short_month(month));
    }
    let attainment = match (shown, row.attainment) {
        (Shown::Withheld, Attainment::Missed(_)) => "missed".into(),
        (_, a) => a.describe_in(Some(unit)),
    };
    (actual, attainment)
}

/// One line (or wrapped lines) of the section.
enum Block {
    Subheading(String),
    Header(Vec<(f32, &'static str, bool)>),
    Cells(Vec<(f32, Vec<String>, bool)>),
    Note(String),
    Counts,
}

impl Block {
    fn height(&self) -> f32 {
        match self {
            Block::Subheading(_) => 26.0,
            Block::Header(_) => 20.0,
            Block::Cells(cells) => {
                cells.iter().map(|(_, l, _)| l.len()).max().unwrap_or(1) as f32 * LINE + 3.0
            }
            Block::Note(t) => {
                wrap(t, 10.0, Face::Regular, WIDTH - 2.0 * MARGIN).len() as f32 * LINE + 5.0
            }
            Block::Counts => 34.0,
        }
    }
}

/// The section's pages, after the summary pages.
pub fn pages(doc: &mut Doc, s: &Summary, table: &MetricTable, footer: &str) {
    let title_w = 470.0;
    let over_cols = [
        (MARGIN, "Ref", false),
        (MARGIN + 50.0, "Recommendation", false),
        (MARGIN + 50.0 + title_w + 110.0, "Due", true),
        (WIDTH - MARGIN, "Days overdue", true),
    ];
    let link_cols = [
        (MARGIN, "Ref", false),
        (MARGIN + 50.0, "Measure", false),
        (MARGIN + 330.0, "Target", true),
        (MARGIN + 420.0, "By", true),
        (MARGIN + 560.0, "Actual", true),
        (MARGIN + 590.0, "Attainment", false),
    ];
    let mut blocks = vec![
        Block::Note(format!(
            "{} items; the plan started on {} (the inspection report's date).",
            s.items(),
            long_date(s.start)
        )),
        Block::Counts,
        Block::Subheading("Overdue".into()),
    ];
    if s.overdue.is_empty() {
        blocks.push(Block::Note(format!(
            "No item was overdue on {}.",
            long_date(s.as_at)
        )));
    } else {
        blocks.push(Block::Header(over_cols.to_vec()));
        for o in &s.overdue {
            blocks.push(Block::Cells(vec![
                (over_cols[0].0, vec![o.reference.clone()], false),
                (
                    over_cols[1].0,
                    wrap(&o.title, 10.0, Face::Regular, title_w),
                    false,
                ),
                (over_cols[2].0, vec![long_date(o.due)], true),
                (over_cols[3].0, vec![o.days.to_string()], true),
            ]));
        }
    }
    blocks.push(Block::Subheading("Linked measures".into()));
    if s.links.is_empty() {
        blocks.push(Block::Note("No item is linked to a measure.".into()));
    } else {
        blocks.push(Block::Header(link_cols.to_vec()));
        for l in &s.links {
            let unit = Measure::parse(&l.measure).map_or(Unit::Ratio, Measure::unit);
            let (actual, attainment) = shown_link(l, table);
            blocks.push(Block::Cells(vec![
                (link_cols[0].0, vec![l.reference.clone()], false),
                (link_cols[1].0, vec![l.label.clone()], false),
                (link_cols[2].0, vec![unit.format(l.target)], true),
                (link_cols[3].0, vec![short_month(l.by)], true),
                (link_cols[4].0, vec![actual], true),
                (link_cols[5].0, vec![attainment], false),
            ]));
        }
        blocks.push(Block::Note(
            "Actual: the whole service's figure in the by-month, or the latest month held before it (shown in brackets). Before the by-month, on or off course follows the 12-month trend.".into(),
        ));
    }
    let title = format!("Improvement plan, as at {}", long_date(s.as_at));
    let mut i = 0;
    let mut first = true;
    while i < blocks.len() {
        let heading = if first {
            title.clone()
        } else {
            format!("{title} (continued)")
        };
        first = false;
        doc.page(|p| {
            super::board::heading(p, &heading);
            let mut y = HEIGHT - MARGIN - 40.0;
            let start = i;
            while i < blocks.len() {
                let b = &blocks[i];
                // A subheading never ends a page alone.
                let keep = match (b, blocks.get(i + 1)) {
                    (Block::Subheading(_) | Block::Header(_), Some(next)) => next.height(),
                    _ => 0.0,
                };
                if i > start && y - b.height() - keep < BOTTOM {
                    break;
                }
                y = draw(p, b, s, y);
                i += 1;
            }
            p.text(
                MARGIN,
                38.0,
                8.5,
                Face::Regular,
                GREY,
                suppress::MARK_MEANING,
            );
            super::board::foot(p, footer);
        });
    }
}

fn draw(p: &mut Page, b: &Block, s: &Summary, y: f32) -> f32 {
    match b {
        Block::Subheading(t) => {
            let y = y - 8.0;
            p.text(MARGIN, y, 13.0, Face::Bold, INK, t);
            y - 18.0
        }
        Block::Header(cols) => {
            for (x, name, right) in cols {
                if *right {
                    p.text_right(*x, y, 10.0, Face::Bold, GREY, name);
                } else {
                    p.text(*x, y, 10.0, Face::Bold, GREY, name);
                }
            }
            p.rule(
                MARGIN,
                y - 6.0,
                WIDTH - MARGIN,
                y - 6.0,
                0.6,
                [150, 150, 150],
            );
            y - 20.0
        }
        Block::Cells(cells) => {
            for (x, lines, right) in cells {
                for (k, l) in lines.iter().enumerate() {
                    let ly = y - k as f32 * LINE;
                    if *right {
                        p.text_right(*x, ly, 10.0, Face::Regular, INK, l);
                    } else {
                        p.text(*x, ly, 10.0, Face::Regular, INK, l);
                    }
                }
            }
            y - b.height()
        }
        Block::Note(t) => {
            for (k, l) in wrap(t, 10.0, Face::Regular, WIDTH - 2.0 * MARGIN)
                .iter()
                .enumerate()
            {
                p.text(MARGIN, y - k as f32 * LINE, 10.0, Face::Regular, GREY, l);
            }
            y - b.height()
        }
        Block::Counts => {
            let mut x = MARGIN;
            for (r, n) in &s.counts {
                let colour = rag_rgb(*r);
                p.fill_rect(x, y - 2.0, 12.0, 12.0, colour);
                let label = format!("{} {n}", capitalised(r.name()));
                p.text(x + 18.0, y, 13.0, Face::Bold, colour, &label);
                x += 140.0;
            }
            y - 34.0
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
