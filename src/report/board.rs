//! The board report: cover, summary table, the improvement plan (when the
//! workspace holds one), a page per headline measure with its chart and
//! reading, scenario comparison, and an appendix of
//! definitions and data-quality notes. Disclosure control applies to every
//! figure (see [`super::suppress`]).

use super::Error;
use super::chart::{self, ChartSpec};
use super::measures::{Measure, Rag, kpi};
use super::pdf::{Doc, Face, GREY, HEIGHT, INK, MARGIN, Page, Style, WIDTH};
use super::reading::{long_month, read};
use super::suppress::{self, Shown};
use crate::metrics::GroupKind;
use crate::metrics::quality::Finding;
use crate::metrics::table::{Group, MetricTable};
use crate::month::Month;
use crate::scenario::persist::Scenario;
use crate::scenario::simulate::Projection;
use crate::settings::Settings;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Chart images are drawn at twice the points they fill, for print.
const CHART_W: u32 = 1600;
const CHART_H: u32 = 880;

#[derive(Clone, Debug)]
pub struct Options {
    pub month: Option<Month>,
    /// `All` for the whole service, `Service` for it and each service area.
    pub group_by: GroupKind,
    /// One named service or team instead.
    pub group: Option<String>,
    pub scenarios: Vec<PathBuf>,
    /// Months of history on each chart.
    pub months_back: u32,
    pub runs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            month: None,
            group_by: GroupKind::All,
            group: None,
            scenarios: Vec::new(),
            months_back: 24,
            runs: 1000,
        }
    }
}

/// Everything a report is drawn from.
pub struct Source {
    pub settings: Settings,
    pub table: MetricTable,
    pub findings: Vec<Finding>,
    pub scenarios: Vec<(Scenario, Projection)>,
    /// The improvement plan, when the workspace holds one (or its settings
    /// hold milestones or events, shown as the plan they would make).
    pub plan: Option<crate::plan::Plan>,
}

impl Source {
    pub fn load(root: &Path, opts: &Options) -> Result<Source, Error> {
        let ws = crate::workspace::Workspace::open_existing(root)?;
        let inputs = ws.required_inputs()?;
        let limits = ws.settings().limits();
        // Only the group kinds the report shows: teams are most of the work
        // at national scale, and a named group may be a team.
        let kinds: &[GroupKind] = match (&opts.group, opts.group_by) {
            (Some(_), _) => &[GroupKind::All, GroupKind::Service, GroupKind::Team],
            (None, GroupKind::All) => &[GroupKind::All],
            (None, _) => &[GroupKind::All, GroupKind::Service],
        };
        let (df, findings) = crate::metrics::quality::metrics_and_report(
            &inputs,
            limits,
            kinds,
            &ws.stored_warnings(),
        )
        .map_err(Error::Metrics)?;
        // Census years held only as returns join the charts (marked), as
        // in `keel metrics` and the app.
        let returns = ws.load(crate::extract::Kind::Census)?;
        let df = crate::metrics::census::with_returns(
            Some(df),
            returns.as_ref(),
            Some(&inputs.workforce),
            limits,
        )
        .map_err(Error::Metrics)?
        .unwrap_or_default();
        let table = MetricTable::from_frame(&df)?;
        let mut scenarios = Vec::new();
        if !opts.scenarios.is_empty() {
            if opts.scenarios.len() > crate::scenario::compare::MAX_SCENARIOS {
                return Err(Error::TooManyScenarios {
                    given: opts.scenarios.len(),
                });
            }
            let mut observers = crate::scenario::scope::Observers::load(&ws)?;
            for path in &opts.scenarios {
                let s = crate::scenario::find_scenario(root, path)?;
                let months = s.months.unwrap_or(24);
                let observed = observers.get(s.team.as_deref())?;
                let p = crate::scenario::project_scenario(observed, &s, months, opts.runs, None)
                    .map_err(|source| Error::ScenarioRun {
                        name: s.name.clone(),
                        source,
                    })?;
                scenarios.push((s, p));
            }
        }
        // The charts draw the plan's targets and events.
        let (plan, settings) = crate::plan::store::plan_and_chart_settings(&ws)?;
        Ok(Source {
            settings,
            table,
            findings,
            scenarios,
            plan,
        })
    }
}

/// The groups a report covers.
pub fn groups(table: &MetricTable, opts: &Options) -> Result<Vec<Group>, Error> {
    if let Some(name) = &opts.group {
        return super::find_group(table, Some(name)).map(|g| vec![g]);
    }
    Ok(match opts.group_by {
        GroupKind::All => vec![Group::all()],
        kind => std::iter::once(Group::all())
            .chain(table.groups.iter().filter(|g| g.kind == kind).cloned())
            .collect(),
    })
}

pub struct Report {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

pub fn build(src: &Source, opts: &Options) -> Result<Report, Error> {
    let t = &src.table;
    let latest = t.latest_month().ok_or(Error::NoMonths)?;
    let month = opts.month.unwrap_or(latest);
    if !t.months.contains(&month) {
        return Err(Error::NoFigures {
            month,
            first: t.months[0],
            latest,
        });
    }
    let groups = groups(t, opts)?;
    let from = month - (opts.months_back.max(2) as i32 - 1);

    // Every chart first, drawn in parallel: they are most of the work.
    // A page for each headline measure, then the ones a board asks about
    // next (caseload limits, cost, the size of the workforce).
    let charted = Measure::charted();
    let compared = Measure::projected_where(|p| p.compared);
    let mut specs: Vec<ChartSpec> = charted
        .iter()
        .map(|m| {
            ChartSpec::for_metric(t, m.name(), &groups, &src.settings, Some(from), Some(month))
        })
        .collect::<Result<_, _>>()?;
    specs.extend(
        compared
            .iter()
            .filter(|_| !src.scenarios.is_empty())
            .map(|m| {
                let team = chart::common_team(&src.scenarios);
                ChartSpec::for_scenarios(
                    &src.table,
                    &src.settings,
                    (&src.scenarios, team),
                    m.name(),
                    month,
                )
            }),
    );
    let images: Vec<Vec<u8>> = specs
        .par_iter()
        .map(|s| chart::render_rgb(s, CHART_W, CHART_H))
        .collect::<Result<_, _>>()?;

    let council = if src.settings.council_name.trim().is_empty() {
        "Children's social care".to_string()
    } else {
        src.settings.council_name.trim().to_string()
    };
    let mut doc = Doc::new(&format!(
        "{council}: workforce stability report, {}",
        long_month(month)
    ));
    let footer = format!(
        "{council} · Workforce stability report · data as at {}",
        long_month(month)
    );
    cover(&mut doc, &council, from, month, &groups);
    for i in 0..groups.len() {
        summary(&mut doc, src, (&groups, i), month, &footer);
    }
    if let Some(plan) = &src.plan {
        let s = crate::plan::summarise(plan, t, month.last_day());
        super::improvement::pages(&mut doc, &s, t, &footer);
    }
    let mut images = images.into_iter();
    for (measure, spec) in charted.iter().zip(&specs) {
        let Some(rgb) = images.next() else { break };
        let img = doc.image(&rgb, CHART_W, CHART_H);
        let lines = read(
            t,
            &groups[0],
            &measure.entry(),
            month,
            src.settings.targets.get(measure.name()),
        );
        let title = spec.title.clone();
        doc.page(|p| {
            heading(p, &title);
            p.image(
                img,
                MARGIN,
                110.0,
                WIDTH - 2.0 * MARGIN,
                (WIDTH - 2.0 * MARGIN) * CHART_H as f32 / CHART_W as f32,
            );
            let mut y = 92.0;
            for l in &lines {
                p.text(MARGIN, y, 12.0, Face::Regular, INK, l);
                y -= 17.0;
            }
            foot(p, &footer);
        });
    }
    if !src.scenarios.is_empty() {
        scenario_table(&mut doc, src, &footer)?;
        for (measure, rgb) in compared.iter().zip(images) {
            let img = doc.image(&rgb, CHART_W, CHART_H);
            let title = format!("Scenarios: {}", measure.label());
            doc.page(|p| {
                heading(p, &title);
                p.image(img, MARGIN, 110.0, WIDTH - 2.0 * MARGIN, (WIDTH - 2.0 * MARGIN) * CHART_H as f32 / CHART_W as f32);
                p.text(MARGIN, 92.0, 11.0, Face::Regular, GREY, "Lines: each scenario's median (P50) path; shaded: the range from P10 to P90 of its Monte Carlo runs; the darkest line is the actual history.");
                foot(p, &footer);
            });
        }
    }
    appendix(&mut doc, src, month, &footer);
    let pages = doc.page_count();
    Ok(Report {
        pdf: doc.finish(),
        pages,
    })
}

pub(super) fn heading(p: &mut Page, title: &str) {
    p.text(MARGIN, HEIGHT - MARGIN - 6.0, 20.0, Face::Bold, INK, title);
    p.rule(
        MARGIN,
        HEIGHT - MARGIN - 16.0,
        WIDTH - MARGIN,
        HEIGHT - MARGIN - 16.0,
        0.8,
        [180, 180, 180],
    );
}

pub(super) fn foot(p: &mut Page, text: &str) {
    p.text(MARGIN, 24.0, 8.5, Face::Regular, GREY, text);
}

fn cover(doc: &mut Doc, council: &str, from: Month, month: Month, groups: &[Group]) {
    let today = chrono::Local::now()
        .date_naive()
        .format("%-d %B %Y")
        .to_string();
    let covered: Vec<String> = groups.iter().map(Group::label).collect();
    doc.page(|p| {
        p.fill_rect(0.0, HEIGHT - 190.0, WIDTH, 190.0, [0, 60, 110]);
        p.text(MARGIN, HEIGHT - 100.0, 34.0, Face::Bold, [255, 255, 255], council);
        p.text(MARGIN, HEIGHT - 145.0, 22.0, Face::Regular, [255, 255, 255], "Workforce stability report");
        let mut y = HEIGHT - 250.0;
        for (label, value) in [
            ("Period", format!("{} to {}", long_month(from), long_month(month))),
            ("Data as at", format!("{} (the month's workforce snapshot)", long_month(month))),
            ("Covers", covered.join(", ")),
            ("Prepared", format!("{today}, by Keel")),
        ] {
            p.text(MARGIN, y, 14.0, Face::Bold, INK, label);
            let body = Style { size: 14.0, face: Face::Regular, color: INK };
            y = p.paragraph((MARGIN + 110.0, y, WIDTH - 2.0 * MARGIN - 110.0), body, &value) - 10.0;
        }
        p.paragraph(
            (MARGIN, 110.0, WIDTH - 2.0 * MARGIN),
            Style { size: 11.0, face: Face::Regular, color: GREY },
            &format!(
                "Aggregate figures only: no names or worker identifiers appear in this report. {}. Definitions of every measure and the data-quality notes are in the appendix.",
                suppress::MARK_MEANING
            ),
        );
    });
}

fn status(v: Shown, target: Option<&crate::settings::Target>) -> Option<Rag> {
    Some(Rag::of(v.value()?, target?))
}

/// The summary page of `groups[i]`, withholding as the groups shown
/// together require (see `suppress::shown_among`).
fn summary(
    doc: &mut Doc,
    src: &Source,
    (groups, gi): (&[Group], usize),
    month: Month,
    footer: &str,
) {
    let g = &groups[gi];
    let t = &src.table;
    let cols = [
        (MARGIN, "Measure", false),
        (MARGIN + 300.0, "Value", true),
        (MARGIN + 385.0, "Target", true),
        (MARGIN + 400.0, "Status", false),
        (MARGIN + 600.0, "Change, 12 months", true),
        (WIDTH - MARGIN, "England", true),
    ];
    doc.page(|p| {
        heading(p, &format!("Summary: {}, {}", g.label(), long_month(month)));
        let mut y = HEIGHT - MARGIN - 40.0;
        for (x, name, right) in cols {
            if right {
                p.text_right(x, y, 10.0, Face::Bold, GREY, name);
            } else {
                p.text(x, y, 10.0, Face::Bold, GREY, name);
            }
        }
        y -= 6.0;
        p.rule(MARGIN, y, WIDTH - MARGIN, y, 0.6, [150, 150, 150]);
        y -= 14.0;
        for (i, m) in Measure::ALL.map(Measure::entry).iter().enumerate() {
            if i % 2 == 1 {
                p.fill_rect(MARGIN, y - 5.0, WIDTH - 2.0 * MARGIN, 17.0, [244, 246, 248]);
            }
            let now = suppress::shown_among(t, month, groups, m.name)[gi];
            let target = src.settings.targets.get(m.name);
            let face = if kpi(m.name).is_some() { Face::Bold } else { Face::Regular };
            p.text(cols[0].0, y, 10.0, face, INK, m.label);
            p.text_right(cols[1].0, y, 10.0, face, INK, &now.text(m.unit));
            if let Some(tg) = target {
                p.text_right(cols[2].0, y, 10.0, Face::Regular, INK, &m.unit.format(tg.value));
            }
            match status(now, target) {
                Some(r) => {
                    p.fill_rect(cols[3].0, y - 1.0, 8.0, 8.0, r.rgb(false));
                    p.text(cols[3].0 + 13.0, y, 10.0, Face::Regular, r.rgb(false), r.word());
                }
                None if target.is_some() => p.text(cols[3].0, y, 10.0, Face::Regular, GREY, "—"),
                None => {}
            }
            let before = suppress::shown_among(t, month - 12, groups, m.name)[gi];
            if let (Shown::Value(a), Shown::Value(b)) = (now, before) {
                p.text_right(cols[4].0, y, 10.0, Face::Regular, INK, &m.unit.change(a - b));
            } else if now == Shown::Withheld || before == Shown::Withheld {
                p.text_right(cols[4].0, y, 10.0, Face::Regular, INK, suppress::MARK);
            }
            if let Some((year, v)) = kpi(m.name)
                .and_then(|k| k.england)
                .and_then(crate::benchmark::england::latest)
            {
                p.text_right(cols[5].0, y, 10.0, Face::Regular, INK, &format!("{} ({year})", m.unit.format(v)));
            }
            y -= 17.0;
        }
        y -= 4.0;
        p.text(MARGIN, y, 8.5, Face::Regular, GREY, "Status: on target, near target (within 10% of it) or off target. England: the DfE's published figure at 30 September of that year.");
        p.text(MARGIN, y - 12.0, 8.5, Face::Regular, GREY, suppress::MARK_MEANING);
        foot(p, footer);
    });
}

fn scenario_table(doc: &mut Doc, src: &Source, footer: &str) -> Result<(), Error> {
    let items: Vec<(&str, &Projection)> = src
        .scenarios
        .iter()
        .map(|(s, p)| (s.name.as_str(), p))
        .collect();
    let horizons = crate::scenario::compare::DEFAULT_HORIZONS;
    let rows = crate::scenario::compare::compare(&items, &src.settings.targets, &horizons)?;
    doc.page(|p| {
        heading(p, "Scenarios compared");
        let mut y = HEIGHT - MARGIN - 40.0;
        let x_h = [MARGIN + 430.0, MARGIN + 500.0, MARGIN + 570.0];
        p.text(MARGIN, y, 10.0, Face::Bold, GREY, "Measure");
        p.text(MARGIN + 170.0, y, 10.0, Face::Bold, GREY, "Scenario");
        for (x, h) in x_h.iter().zip(horizons) {
            p.text_right(*x, y, 10.0, Face::Bold, GREY, &format!("{h} months"));
        }
        p.text(MARGIN + 590.0, y, 10.0, Face::Bold, GREY, "First month on target");
        y -= 6.0;
        p.rule(MARGIN, y, WIDTH - MARGIN, y, 0.6, [150, 150, 150]);
        y -= 14.0;
        // Four scenarios × seven measures fit one page at the tighter step.
        let step = if src.scenarios.len() > 3 { 13.0 } else { 15.0 };
        for m in Measure::projected_where(|p| p.compared) {
            for (i, r) in rows.iter().filter(|r| r.metric == m.name()).enumerate() {
                if i == 0 {
                    p.text(MARGIN, y, 10.0, Face::Bold, INK, m.label());
                }
                p.text(MARGIN + 170.0, y, 10.0, Face::Regular, INK, &r.scenario);
                let team = src.scenarios.iter().find(|(s, _)| s.name == r.scenario).and_then(|(s, _)| s.team.as_deref());
                let hidden = suppress::scope_withheld(&src.table, team);
                for (x, (_, v)) in x_h.iter().zip(&r.at) {
                    let text = match v {
                        _ if hidden => suppress::MARK.to_string(),
                        Some(v) => m.unit().format(*v),
                        None => "—".into(),
                    };
                    p.text_right(*x, y, 10.0, Face::Regular, INK, &text);
                }
                let first = if hidden { suppress::MARK.to_string() } else { r.first_on_target_text() };
                p.text(MARGIN + 590.0, y, 10.0, Face::Regular, INK, &first);
                y -= step;
            }
            y -= 4.0;
        }
        p.text(MARGIN, y - 4.0, 8.5, Face::Regular, GREY, "Figures are each scenario's median (P50) at that many months ahead of the latest snapshot.");
        foot(p, footer);
    });
    Ok(())
}

/// Definitions in two columns, then the data-quality notes, over as many
/// pages as they need.
fn appendix(doc: &mut Doc, src: &Source, month: Month, footer: &str) {
    let col_w = (WIDTH - 2.0 * MARGIN - 24.0) / 2.0;
    let top = HEIGHT - MARGIN - 40.0;
    let mut blocks: Vec<(String, String)> = Measure::ALL
        .map(Measure::entry)
        .iter()
        .map(|m| {
            let target = src.settings.targets.get(m.name).map_or(String::new(), |t| {
                format!(" Target {} ({}).", m.unit.format(t.value), t.better.word())
            });
            (
                format!("{} ({})", m.label, m.name),
                format!("{}{target}", m.definition),
            )
        })
        .collect();
    blocks.push((
        "Withheld figures".into(),
        format!(
            "{}. A zero is shown: it identifies nobody.",
            suppress::MARK_MEANING
        ),
    ));
    let notes: Vec<&Finding> = src
        .findings
        .iter()
        .filter(|f| f.month.is_none_or(|m| m == month))
        .collect();
    let quality = if notes.is_empty() {
        format!("No data-quality findings for {}.", long_month(month))
    } else {
        notes
            .iter()
            .map(|f| {
                let n = if f.count < 5 {
                    "fewer than 5".to_string()
                } else {
                    f.count.to_string()
                };
                format!("{} ({n}): {}.", f.check.replace('_', " "), f.detail)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    blocks.push((
        format!("Data-quality notes for {}", long_month(month)),
        quality,
    ));
    let mut i = 0;
    let mut first = true;
    while i < blocks.len() {
        let title = if first {
            "Appendix: definitions and data quality"
        } else {
            "Appendix (continued)"
        };
        first = false;
        doc.page(|p| {
            heading(p, title);
            let mut col = 0;
            let mut y = top;
            while i < blocks.len() {
                let (name, body) = &blocks[i];
                let body_lines = super::pdf::wrap(body, 9.0, Face::Regular, col_w);
                let needed = 14.0 + body_lines.len() as f32 * 12.0 + 8.0;
                if y - needed < 50.0 {
                    if col == 1 {
                        break;
                    }
                    col = 1;
                    y = top;
                }
                let x = MARGIN + col as f32 * (col_w + 24.0);
                p.text(x, y, 9.5, Face::Bold, INK, name);
                y -= 13.0;
                for l in &body_lines {
                    p.text(x, y, 9.0, Face::Regular, INK, l);
                    y -= 12.0;
                }
                y -= 8.0;
                i += 1;
            }
            foot(p, footer);
        });
    }
}

/// Build the report and write it atomically.
pub fn write(root: &Path, opts: &Options, out: &Path) -> Result<Report, Error> {
    let src = Source::load(root, opts)?;
    let report = build(&src, opts)?;
    super::write_file(out, &report.pdf)?;
    Ok(Report {
        pdf: Vec::new(),
        pages: report.pages,
    })
}
