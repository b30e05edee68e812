//! What a trend chart shows, worked out once from the metrics (with
//! disclosure control applied) and drawn by two renderers: plotters for
//! image files and the PDF (here), egui_plot for meeting mode on screen.

use super::measures::{Unit, measure};
use super::suppress::{self, Shown};
use super::trend::{self, Outlook};
use crate::metrics::table::{Group, MetricTable};
use crate::month::Month;
use crate::scenario::persist::Scenario;
use crate::scenario::simulate::Projection;
use crate::settings::{Settings, Target};
use plotters::coord::Shift;

use plotters::prelude::*;
use std::sync::Once;

pub type Rgb = [u8; 3];

/// Colours for up to eight groups, distinguishable in greyscale print too.
pub const PALETTE: [Rgb; 8] = [
    [0, 94, 165],
    [212, 81, 19],
    [0, 128, 96],
    [128, 61, 171],
    [178, 34, 34],
    [90, 90, 90],
    [0, 150, 200],
    [160, 120, 0],
];
pub const TARGET: Rgb = [0, 150, 80];
pub const ENGLAND: Rgb = [150, 90, 200];
pub const TREND: Rgb = [230, 120, 30];
pub const PLAN: Rgb = [0, 120, 120];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stroke {
    Solid,
    Dotted,
    /// Marks only, no line: a September whose figure comes from a census
    /// return, over the line it belongs to.
    Marks,
}

/// The legend's name for the marks of Septembers taken from a census
/// return (years no monthly snapshot covers).
pub const FROM_RETURN: &str = "September from census return";

#[derive(Clone, Debug)]
pub struct Line {
    pub name: String,
    pub points: Vec<(Month, f64)>,
    pub color: Rgb,
    pub stroke: Stroke,
    pub markers: bool,
}

/// A P10–P90 band of a scenario.
#[derive(Clone, Debug)]
pub struct Band {
    pub name: String,
    pub points: Vec<(Month, f64, f64)>,
    pub color: Rgb,
}

#[derive(Clone, Debug)]
pub struct ChartSpec {
    pub title: String,
    pub unit: Unit,
    pub lines: Vec<Line>,
    pub bands: Vec<Band>,
    pub target: Option<f64>,
    /// England's published figure each September.
    pub england: Vec<(Month, f64)>,
    pub as_at: Option<Month>,
    /// Source, suppression and similar notes under the chart.
    pub notes: Vec<String>,
    /// The improvement plan's planned path (see `Settings::milestones`).
    pub trajectory: Vec<(Month, f64)>,
    /// Dated events, marked at their month.
    pub events: Vec<(Month, String)>,
}

/// The planned path of `metric` for `group`: each milestone's line from the
/// figure at its `from` month (or the previous milestone's value, when one
/// ends there) to its value at `by`.
pub fn trajectory(
    table: &MetricTable,
    group: &Group,
    metric: &str,
    settings: &Settings,
) -> Vec<(Month, f64)> {
    let mut ms: Vec<&crate::settings::Milestone> = settings
        .milestones
        .iter()
        .filter(|m| m.metric == metric)
        .collect();
    ms.sort_by_key(|m| m.by);
    let mut out: Vec<(Month, f64)> = Vec::new();
    for m in ms {
        let chained = out.last().is_some_and(|(at, _)| *at == m.from);
        if !chained {
            let Shown::Value(v) = suppress::shown(table, m.from, group, metric) else {
                continue;
            };
            if !out.is_empty() {
                // A gap between plans: a break in the line, drawn as NaN.
                out.push((m.from, f64::NAN));
            }
            out.push((m.from, v));
        }
        out.push((m.by, m.value));
    }
    out
}

/// The team all these scenarios project, if they share one; the whole
/// service's history is drawn otherwise.
pub fn common_team(scenarios: &[(Scenario, Projection)]) -> Option<&str> {
    let first = scenarios.first()?.0.team.as_deref()?;
    scenarios
        .iter()
        .all(|(s, _)| s.team.as_deref() == Some(first))
        .then_some(first)
}

/// Measure `k` of a projection as a path: one value per projected month,
/// months where it is not computable left out.
pub fn path_points(
    months: &[Month],
    values: &[[f64; crate::scenario::model::NM]],
    k: usize,
) -> Vec<(Month, f64)> {
    months
        .iter()
        .zip(values)
        .filter_map(|(mo, v)| v[k].is_finite().then_some((*mo, v[k])))
        .collect()
}

/// A scenario's median (P50) line and P10–P90 band for measure `k`, both
/// from month 0 (the last actual month's stock), so they join the actual
/// line rather than start a month after it.
///
/// `show_now` is false when the actual figure of that month is withheld:
/// month 0 is that figure, so it is left out too.
pub fn projection_series(
    name: &str,
    p: &Projection,
    k: usize,
    color: Rgb,
    show_now: bool,
) -> (Line, Band) {
    let now = (show_now && p.now[k].is_finite()).then_some((p.start, p.now[k]));
    let line = Line {
        name: format!("{name} (P50)"),
        points: now
            .into_iter()
            .chain(path_points(&p.months, &p.p50, k))
            .collect(),
        color,
        stroke: Stroke::Solid,
        markers: false,
    };
    let band = Band {
        name: format!("{name} P10–P90"),
        points: now
            .map(|(m, v)| (m, v, v))
            .into_iter()
            .chain(
                p.months
                    .iter()
                    .zip(p.p10.iter().zip(&p.p90))
                    .filter(|(_, (lo, hi))| lo[k].is_finite() && hi[k].is_finite())
                    .map(|(mo, (lo, hi))| (*mo, lo[k], hi[k])),
            )
            .collect(),
        color,
    };
    (line, band)
}

/// Events between `from` and `to` (all when either is open).
pub fn events(settings: &Settings, from: Option<Month>, to: Option<Month>) -> Vec<(Month, String)> {
    settings
        .events
        .iter()
        .map(|e| (Month::of(e.date), e.label.clone()))
        .filter(|(m, _)| from.is_none_or(|f| *m >= f) && to.is_none_or(|t| *m <= t))
        .collect()
}

/// The note under a chart some of whose months are not drawn: the chart
/// shows no "c", so the note says what the gaps are.
pub const WITHHELD_MONTHS: &str =
    "Months left out are withheld: each rests on fewer than 5 people.";

pub const SOURCE: &str = "Source: Keel, from the council's HR extracts; England: DfE children's social work workforce statistics";

/// England's published September figures for a headline measure, within
/// the months charted.
fn england_points(metric: &str, from: Month, to: Month) -> Vec<(Month, f64)> {
    let Some(dfe) = super::measures::kpi(metric).and_then(|k| k.england) else {
        return Vec::new();
    };
    crate::benchmark::england::series()
        .into_iter()
        .filter(|(_, m, _)| m == dfe)
        .filter_map(|(y, _, v)| {
            let m = Month::new(y, 9)?;
            (m >= from - 12 && m <= to).then_some((m, v))
        })
        .collect()
}

impl ChartSpec {
    /// One measure over the months `from..=to` for one or more groups; the
    /// first group also gets its 12-month trend and the month it would
    /// reach its target.
    pub fn for_metric(
        table: &MetricTable,
        metric: &str,
        groups: &[Group],
        settings: &Settings,
        from: Option<Month>,
        to: Option<Month>,
    ) -> Result<ChartSpec, super::Error> {
        let m = measure(metric).ok_or_else(|| super::Error::UnknownMetric(metric.to_string()))?;
        let in_range = |mo: &Month| from.is_none_or(|f| *mo >= f) && to.is_none_or(|t| *mo <= t);
        let target = settings.targets.get(metric);
        let mut lines = Vec::new();
        let mut withheld = false;
        let mut trend_line = None;
        let (series, w) = suppress::series_among(table, groups, metric);
        withheld |= w;
        for (i, (g, all)) in groups.iter().zip(series).enumerate() {
            let points: Vec<(Month, f64)> =
                all.iter().copied().filter(|(mo, _)| in_range(mo)).collect();
            if i == 0 && groups.len() == 1 {
                // Fitted on the months up to the chart's end, as the
                // report's reading is, even when the chart shows fewer.
                let upto: Vec<(Month, f64)> = all
                    .into_iter()
                    .filter(|(mo, _)| to.is_none_or(|t| *mo <= t))
                    .collect();
                trend_line = trend::fit(&upto, target);
            }
            let name = if groups.len() == 1 && g.kind == crate::metrics::GroupKind::All {
                m.label.to_string()
            } else {
                g.label()
            };
            let returned: Vec<(Month, f64)> = points
                .iter()
                .copied()
                .filter(|(mo, _)| table.from_return(*mo, g))
                .collect();
            lines.push(Line {
                name,
                points,
                color: PALETTE[i % PALETTE.len()],
                stroke: Stroke::Solid,
                markers: true,
            });
            if !returned.is_empty() {
                lines.push(Line {
                    name: FROM_RETURN.into(),
                    points: returned,
                    color: PALETTE[i % PALETTE.len()],
                    stroke: Stroke::Marks,
                    markers: true,
                });
            }
        }
        if let Some(tr) = &trend_line {
            // Inside the measure's range: no agency rate below 0%.
            let clamp = |(mo, v): (Month, f64)| {
                let v = match m.unit {
                    Unit::Percent => v.clamp(0.0, 100.0),
                    _ => v.max(0.0),
                };
                (mo, v)
            };
            let mut pts = vec![clamp(tr.from), clamp(tr.to)];
            if let (Outlook::Reaches(when), Some(t)) = (&tr.outlook, target) {
                pts.push((*when, t.value));
            }
            lines.push(Line {
                name: "Trend (last 12 months)".into(),
                points: pts,
                color: TREND,
                stroke: Stroke::Dotted,
                markers: false,
            });
        }
        let months: Vec<Month> = lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.0))
            .collect();
        let (lo, hi) = (months.iter().min().copied(), months.iter().max().copied());
        let as_at = to
            .or(table.months.last().copied())
            .map(|m| m.min(hi.unwrap_or(m)));
        let mut notes = vec![SOURCE.to_string()];
        if lines.iter().any(|l| l.stroke == Stroke::Marks) {
            notes.push(format!(
                "Squares: {FROM_RETURN} (the DfE return's figure, for a year without monthly snapshots)."
            ));
        }
        if withheld {
            notes.push(WITHHELD_MONTHS.to_string());
        }
        // A chart whose latest months are withheld says where its figures
        // stop, so it is not read as the month the slide is "as at".
        if let (Some(last), Some(to)) = (
            lines
                .iter()
                .filter(|l| l.markers)
                .filter_map(|l| l.points.last().map(|p| p.0))
                .max(),
            to.or(table.months.last().copied()),
        ) && last < to
        {
            notes.push(format!(
                "Latest figure shown: {}; the months after it are withheld or not held.",
                month_label(last)
            ));
        }
        Ok(ChartSpec {
            title: format!("{}{}", m.label, group_suffix(groups)),
            unit: m.unit,
            lines,
            bands: Vec::new(),
            target: target.map(|t: &Target| t.value),
            england: match (lo, hi) {
                (Some(a), Some(b)) => england_points(metric, a, b),
                _ => Vec::new(),
            },
            as_at,
            notes,
            trajectory: groups
                .first()
                .map(|g| trajectory(table, g, metric, settings))
                .unwrap_or_default(),
            events: events(settings, lo, hi.max(to)),
        })
    }

    /// The last 24 months of `team`'s history (or the whole service's),
    /// then each scenario's median and band.
    pub fn for_scenarios(
        table: &MetricTable,
        settings: &Settings,
        (scenarios, team): (&[(Scenario, Projection)], Option<&str>),
        metric: &str,
        month: Month,
    ) -> ChartSpec {
        let m = measure(metric).map_or((metric, Unit::Fte), |m| (m.label, m.unit));
        let group = match team {
            Some(team) => Group {
                kind: crate::metrics::GroupKind::Team,
                name: team.to_string(),
            },
            None => Group::all(),
        };
        let (history, withheld) = suppress::series(table, &group, metric);
        let shown_now = matches!(
            suppress::shown(table, month, &group, metric),
            Shown::Value(_)
        );
        let history: Vec<(Month, f64)> = history
            .into_iter()
            .filter(|(mo, _)| *mo <= month && *mo > month - 24)
            .collect();
        let mut lines = vec![Line {
            name: "Actual".into(),
            points: history,
            color: [30, 30, 30],
            stroke: Stroke::Solid,
            markers: false,
        }];
        let mut bands = Vec::new();
        let mut notes = vec![format!(
            "Projection from the {} snapshot; {} Monte Carlo runs per scenario.",
            month,
            scenarios.first().map_or(0, |(_, p)| p.runs)
        )];
        if withheld {
            notes.push(WITHHELD_MONTHS.to_string());
        }
        if let Some(k) = crate::scenario::metric_index(metric) {
            for (i, (s, p)) in scenarios.iter().enumerate() {
                if suppress::scope_withheld(table, s.team.as_deref()) {
                    notes.push(format!(
                        "{}: withheld, its scope has fewer than 5 people.",
                        s.name
                    ));
                    continue;
                }
                let (line, band) =
                    projection_series(&s.name, p, k, PALETTE[i % PALETTE.len()], shown_now);
                lines.push(line);
                bands.push(band);
            }
        }
        ChartSpec {
            title: format!("{}: scenarios", m.0),
            unit: m.1,
            lines,
            bands,
            target: settings.targets.get(metric).map(|t| t.value),
            england: Vec::new(),
            as_at: Some(month),
            notes,
            trajectory: Vec::new(),
            events: events(settings, Some(month - 24), None),
        }
    }

    /// The x range: every month any part of the chart covers.
    fn months(&self) -> Option<(Month, Month)> {
        let xs = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.0))
            .chain(self.bands.iter().flat_map(|b| b.points.iter().map(|p| p.0)))
            .chain(self.england.iter().map(|p| p.0))
            .chain(self.trajectory.iter().map(|p| p.0));
        let (mut lo, mut hi) = (None::<Month>, None::<Month>);
        for x in xs {
            lo = Some(lo.map_or(x, |l| l.min(x)));
            hi = Some(hi.map_or(x, |h| h.max(x)));
        }
        Some((lo?, hi?))
    }

    /// The y range: from zero to a little above the highest figure.
    fn y_max(&self) -> f64 {
        let ys = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1))
            .chain(self.bands.iter().flat_map(|b| b.points.iter().map(|p| p.2)))
            .chain(self.england.iter().map(|p| p.1))
            .chain(self.trajectory.iter().map(|p| p.1))
            .chain(self.target);
        let top = ys.fold(0.0_f64, |a, b| if b.is_finite() { a.max(b) } else { a });
        if top <= 0.0 {
            if self.unit == Unit::Percent {
                100.0
            } else {
                1.0
            }
        } else {
            top * 1.12
        }
    }

    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.points.is_empty()) && self.bands.is_empty()
    }
}

fn group_suffix(groups: &[Group]) -> String {
    match groups {
        [g] if g.kind != crate::metrics::GroupKind::All => format!(" — {}", g.label()),
        _ => String::new(),
    }
}

/// Month-start ticks: monthly, quarterly, half-yearly or yearly, whichever
/// keeps about eight labels or fewer.
pub fn month_ticks(from: Month, to: Month) -> Vec<Month> {
    let span = (to.0 - from.0).max(1);
    let step = [1, 3, 6, 12, 24]
        .into_iter()
        .find(|s| span / s <= 8)
        .unwrap_or(24);
    (from.0..=to.0)
        .map(Month)
        .filter(|m| (m.month() as i32 - 1) % step == 0)
        .collect()
}

pub fn month_label(m: Month) -> String {
    m.first_day().format("%b %Y").to_string()
}

fn font_ready() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in: failing to parse it is a build defect,
        // and text-free charts are still better than none.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

type DrawResult<T> = Result<T, super::Error>;

fn err<E: std::fmt::Debug>(e: E) -> super::Error {
    super::Error::Draw(format!("{e:?}"))
}

/// Draw the chart on any plotters area; sizes scale with the area so a
/// 1920×1080 slide and a 800×450 thumbnail look alike.
fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, spec: &ChartSpec) -> DrawResult<()> {
    font_ready();
    let (w, h) = area.dim_in_pixel();
    let s = (f64::from(w) / 1920.0).min(f64::from(h) / 1080.0).max(0.2);
    let px = |v: f64| (v * s).round().max(1.0) as u32;
    let font = |v: f64| ("sans-serif", (v * s).max(8.0)).into_font();
    area.fill(&WHITE).map_err(err)?;
    let notes_h = px(34.0) * (spec.notes.len() as u32 + 1) + px(10.0);
    let (main, foot) = area.split_vertically(h.saturating_sub(notes_h));
    let Some((from, to)) = spec.months() else {
        main.draw_text(
            &format!("{}: no figures to show", spec.title),
            &TextStyle::from(font(40.0)).color(&BLACK),
            (px(40.0) as i32, px(80.0) as i32),
        )
        .map_err(err)?;
        // The notes say why: often every month is withheld.
        return draw_notes(&foot, spec, &font, &px);
    };
    let (from, to) = if from == to {
        (from - 1, to + 1)
    } else {
        (from, to)
    };
    let ticks: Vec<i32> = month_ticks(from, to).iter().map(|m| m.0).collect();
    let unit = spec.unit;
    let mut chart = ChartBuilder::on(&main)
        .caption(&spec.title, font(52.0))
        .margin(px(30.0))
        .margin_right(px(50.0))
        .x_label_area_size(px(70.0))
        .y_label_area_size(px(130.0))
        .build_cartesian_2d((from.0..to.0).with_key_points(ticks), 0.0..spec.y_max())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|x| month_label(Month(*x)))
        .y_label_formatter(&|y| match unit {
            Unit::Percent => format!("{y:.0}%"),
            Unit::Pounds if *y >= 1000.0 => format!("£{:.0}k", y / 1000.0),
            Unit::Pounds => format!("£{y:.0}"),
            _ => format!("{y:.0}"),
        })
        .y_desc(unit.axis())
        .label_style(font(30.0))
        .axis_desc_style(font(30.0))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(err)?;

    for b in &spec.bands {
        let mut poly: Vec<(i32, f64)> = b.points.iter().map(|p| (p.0.0, p.2)).collect();
        poly.extend(b.points.iter().rev().map(|p| (p.0.0, p.1)));
        let color = rgb(b.color).mix(0.18);
        chart
            .draw_series(std::iter::once(Polygon::new(poly, color.filled())))
            .map_err(err)?
            .label(&b.name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 30, y + 8)], color.filled()));
    }
    if let Some(t) = spec.target {
        let style = rgb(TARGET).stroke_width(px(4.0));
        chart
            .draw_series(DashedLineSeries::new(
                vec![(from.0, t), (to.0, t)],
                px(18.0),
                px(10.0),
                style,
            ))
            .map_err(err)?
            .label(format!("Target {}", unit.format(t)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], style));
    }
    if !spec.england.is_empty() {
        let color = rgb(ENGLAND);
        let r = px(11.0);
        // Diamonds in pixel space, anchored at each point.
        chart
            .draw_series(spec.england.iter().map(|(m, v)| {
                EmptyElement::at((m.0, *v))
                    + plotters::element::Polygon::new(
                        vec![
                            (0, -(r as i32)),
                            (r as i32, 0),
                            (0, r as i32),
                            (-(r as i32), 0),
                        ],
                        color.filled(),
                    )
            }))
            .map_err(err)?
            .label("England (September)")
            .legend(move |(x, y)| Circle::new((x + 15, y), r as i32 / 2 + 3, color.filled()));
    }
    if !spec.trajectory.is_empty() {
        let style = rgb(PLAN).stroke_width(px(4.0));
        // NaN marks a break between plans: draw each run separately.
        let runs = spec.trajectory.split(|p| !p.1.is_finite());
        for (i, run) in runs.enumerate() {
            let pts: Vec<(i32, f64)> = run.iter().map(|p| (p.0.0, p.1)).collect();
            let drawn = chart
                .draw_series(LineSeries::new(pts.clone(), style))
                .map_err(err)?;
            if i == 0 {
                drawn
                    .label("Planned trajectory")
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], style));
            }
            chart
                .draw_series(pts.iter().skip(1).map(|p| {
                    EmptyElement::at(*p) + Rectangle::new([(-6, -6), (6, 6)], rgb(PLAN).filled())
                }))
                .map_err(err)?;
        }
    }
    let top = spec.y_max();
    for (m, label) in &spec.events {
        let grey = RGBColor(110, 110, 110);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(m.0, 0.0), (m.0, top)],
                px(10.0),
                px(8.0),
                grey.stroke_width(px(3.0)),
            ))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                label.clone(),
                (m.0, top * 0.97),
                TextStyle::from(font(24.0)).color(&grey),
            )))
            .map_err(err)?;
    }
    for l in &spec.lines {
        let color = rgb(l.color);
        let style = color.stroke_width(px(if l.stroke == Stroke::Solid { 6.0 } else { 4.0 }));
        let pts: Vec<(i32, f64)> = l.points.iter().map(|p| (p.0.0, p.1)).collect();
        if l.stroke == Stroke::Marks {
            // Hollow squares over the line's dots: told apart in greyscale.
            let r = px(14.0) as i32;
            let square = move |p: (i32, f64)| {
                EmptyElement::at(p)
                    + Rectangle::new([(-r, -r), (r, r)], WHITE.filled())
                    + Rectangle::new([(-r, -r), (r, r)], color.stroke_width(px(4.0)))
            };
            chart
                .draw_series(pts.iter().map(|p| square(*p)))
                .map_err(err)?
                .label(&l.name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x + 5, y - 10), (x + 25, y + 10)], color.stroke_width(3))
                });
            continue;
        }
        let drawn = match l.stroke {
            Stroke::Solid => chart.draw_series(LineSeries::new(pts.clone(), style)),
            Stroke::Dotted | Stroke::Marks => {
                chart.draw_series(DashedLineSeries::new(pts.clone(), px(6.0), px(8.0), style))
            }
        }
        .map_err(err)?;
        drawn
            .label(&l.name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], style));
        if l.markers {
            chart
                .draw_series(pts.iter().map(|p| Circle::new(*p, px(7.0), color.filled())))
                .map_err(err)?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .margin(px(16.0))
        .label_font(font(28.0))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .draw()
        .map_err(err)?;

    draw_notes(&foot, spec, &font, &px)
}

/// The lines under the chart: the month its data is as at, then its notes.
fn draw_notes<DB: DrawingBackend>(
    foot: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    font: &dyn Fn(f64) -> FontDesc<'static>,
    px: &dyn Fn(f64) -> u32,
) -> DrawResult<()> {
    let mut notes = Vec::new();
    if let Some(m) = spec.as_at {
        notes.push(format!("Data as at {}", month_label(m)));
    }
    notes.extend(spec.notes.iter().cloned());
    for (i, n) in notes.iter().enumerate() {
        foot.draw_text(
            n,
            &TextStyle::from(font(26.0)).color(&RGBColor(70, 70, 70)),
            (px(40.0) as i32, (px(34.0) * i as u32) as i32),
        )
        .map_err(err)?;
    }
    Ok(())
}

/// The chart as 8-bit RGB pixels, row by row.
pub fn render_rgb(spec: &ChartSpec, w: u32, h: u32) -> DrawResult<Vec<u8>> {
    check_size(w, h)?;
    let mut buf = vec![255u8; (w as usize) * (h as usize) * 3];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw(&area, spec)?;
        area.present().map_err(err)?;
    }
    Ok(buf)
}

pub fn render_png(spec: &ChartSpec, w: u32, h: u32) -> DrawResult<Vec<u8>> {
    let pixels = render_rgb(spec, w, h)?;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(&pixels).map_err(err)?;
    }
    Ok(out)
}

pub fn render_svg(spec: &ChartSpec, w: u32, h: u32) -> DrawResult<String> {
    check_size(w, h)?;
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        draw(&area, spec)?;
        area.present().map_err(err)?;
    }
    Ok(out)
}

/// Largest side accepted: 8K is more than any slide or print needs.
pub const MAX_SIDE: u32 = 8192;

fn check_size(w: u32, h: u32) -> DrawResult<()> {
    if !(200..=MAX_SIDE).contains(&w) || !(150..=MAX_SIDE).contains(&h) {
        return Err(super::Error::ChartSize {
            width: w,
            height: h,
        });
    }
    Ok(())
}

/// Image formats a chart can be saved in, from the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    pub fn of(path: &std::path::Path) -> Result<ImageFormat, super::Error> {
        match super::extension(path).as_deref() {
            Some("png") => Ok(ImageFormat::Png),
            Some("svg") => Ok(ImageFormat::Svg),
            _ => Err(super::Error::ImageFormat(path.to_path_buf())),
        }
    }
}

/// Render and write atomically (a half-written image never replaces a good one).
pub fn save(spec: &ChartSpec, path: &std::path::Path, w: u32, h: u32) -> Result<(), super::Error> {
    let bytes = match ImageFormat::of(path)? {
        ImageFormat::Png => render_png(spec, w, h)?,
        ImageFormat::Svg => render_svg(spec, w, h)?.into_bytes(),
    };
    super::write_file(path, &bytes)
}
