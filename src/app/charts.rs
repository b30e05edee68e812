//! Trend charts: one metric over the months held, against its target and
//! England's published figures. Months are plotted at their first day (x in
//! days since 1970) so month labels sit under their points.

use super::kpi::{Kpi, format};
use crate::month::Month;
use crate::report::trend::{Outlook, Trend};
use crate::settings::Target;
use chrono::NaiveDate;
use eframe::egui;
use egui_plot::{GridInput, GridMark, HLine, HoverPosition, Line, Plot, Points, VLine};

pub fn x_of(m: Month) -> f64 {
    (m.first_day() - crate::month::EPOCH).num_days() as f64
}

fn date_of(x: f64) -> Option<NaiveDate> {
    crate::month::EPOCH.checked_add_signed(chrono::Duration::days(x.round() as i64))
}

fn month_label(x: f64) -> String {
    date_of(x)
        .map(|d| d.format("%b %Y").to_string())
        .unwrap_or_default()
}

/// Grid marks on month starts: monthly, quarterly, half-yearly or yearly,
/// whichever keeps the labels apart at this chart's width in pixels
/// (`label_px` is one label's width), and none so near an edge that its
/// label would run into the next chart.
fn month_marks(input: GridInput, width_px: f32, label_px: f32) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let (Some(a), Some(b)) = (date_of(lo), date_of(hi)) else {
        return Vec::new();
    };
    // Room for a label and a gap of half a label between labels.
    let fit = (f64::from(width_px) / f64::from(label_px * 1.5))
        .floor()
        .max(1.0) as usize;
    let half = f64::from(label_px / 2.0) * (hi - lo) / f64::from(width_px.max(1.0));
    let marks = |step: i32| -> Vec<GridMark> {
        let mut m = Month::of(a);
        let end = Month::of(b) + 1;
        let mut out = Vec::new();
        while m <= end {
            let x = x_of(m);
            // Month(i) counts months from year 0, so i % 12 == 0 is January
            // and i % 24 == 0 every other January (the calendar month alone
            // put a label on every January whatever the step).
            if m.0.rem_euclid(step) == 0 && x - half >= lo && x + half <= hi {
                out.push(GridMark {
                    value: x,
                    step_size: 30.4 * f64::from(step),
                });
            }
            m = m + 1;
        }
        out
    };
    // The finest step whose labels fit; at least one label if any can.
    let steps = [1, 2, 3, 6, 12, 24, 36, 60];
    steps
        .iter()
        .map(|s| marks(*s))
        .find(|v| v.len() <= fit && !v.is_empty())
        .unwrap_or_else(|| marks(60))
}

/// Round values on the y axis, as many as the chart's height allows
/// (egui_plot's own spacer steps by powers of ten, which on a short chart
/// from 0 to 100 left only "0" labelled).
fn value_marks(input: GridInput, height_px: f32) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return Vec::new();
    }
    let want = (f64::from(height_px) / 40.0).clamp(2.0, 8.0);
    let raw = span / want;
    let pow = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|k| k * pow)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|i| GridMark {
            value: i as f64 * step,
            step_size: step,
        })
        .collect()
}

/// A y-axis value as the measure reads: percentages with a % sign,
/// thousands with separators.
fn value_label(v: f64, percent: bool) -> String {
    let v = if v.abs() < 1e-9 { 0.0 } else { v };
    if percent {
        format!("{v:.0}%")
    } else if v.abs() >= 10_000.0 {
        crate::measure::Unit::Pounds.format(v).replace('£', "")
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// How a series shows in the legend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    Line(egui::Color32),
    Dashed(egui::Color32),
    Marker(egui::Color32),
    /// A hollow square: Septembers taken from a census return.
    Square(egui::Color32),
    Band(egui::Color32),
}

/// The legend above a chart, outside the plot, so it never covers a line:
/// each series in its own colour, in the order given (which is the order
/// the chart draws them, the same on every chart).
pub fn legend(ui: &mut egui::Ui, entries: &[(String, Swatch)]) {
    let font = egui::TextStyle::Small.resolve(ui.style());
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 14.0;
        for (name, sw) in entries {
            legend_entry(ui, name, *sw, &font);
        }
    });
    // The top y value is centred on the plot's top edge, so half of it
    // stands above the plot: room for it keeps it off the legend.
    ui.add_space(font.size * 0.6);
}

/// One entry, swatch and name, as a single item: a line break in the
/// legend never parts them, and the name never breaks.
fn legend_entry(ui: &mut egui::Ui, name: &str, sw: Swatch, font: &egui::FontId) {
    let h = font.size;
    let c = match sw {
        Swatch::Line(c)
        | Swatch::Dashed(c)
        | Swatch::Marker(c)
        | Swatch::Square(c)
        | Swatch::Band(c) => c,
    };
    let galley = ui
        .painter()
        .layout_no_wrap(name.to_string(), font.clone(), c);
    let sw_w = h * 1.6;
    let size = egui::vec2(sw_w + 4.0 + galley.size().x, galley.size().y.max(h));
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, name));
    let p = ui.painter();
    let mid = rect.center().y;
    let sw_rect =
        egui::Rect::from_min_size(egui::pos2(rect.left(), mid - h / 2.0), egui::vec2(sw_w, h));
    match sw {
        Swatch::Line(c) => {
            p.line_segment(
                [
                    egui::pos2(sw_rect.left(), mid),
                    egui::pos2(sw_rect.right(), mid),
                ],
                egui::Stroke::new(2.5, c),
            );
        }
        Swatch::Dashed(c) => {
            let w = sw_rect.width() / 5.0;
            for i in [0.0, 2.0, 4.0] {
                let x = sw_rect.left() + i * w;
                p.line_segment(
                    [egui::pos2(x, mid), egui::pos2(x + w, mid)],
                    egui::Stroke::new(2.5, c),
                );
            }
        }
        Swatch::Marker(c) => {
            p.circle_filled(sw_rect.center(), h * 0.3, c);
        }
        Swatch::Square(c) => {
            p.rect_stroke(
                egui::Rect::from_center_size(sw_rect.center(), egui::vec2(h * 0.7, h * 0.7)),
                0.0,
                egui::Stroke::new(1.5, c),
                egui::StrokeKind::Inside,
            );
        }
        Swatch::Band(c) => {
            // The band's own fill, as the plot draws it, with its edge.
            p.rect_filled(sw_rect.shrink(1.0), 2.0, c.gamma_multiply(0.35));
            p.rect_stroke(
                sw_rect.shrink(1.0),
                2.0,
                egui::Stroke::new(1.0, c),
                egui::StrokeKind::Inside,
            );
        }
    }
    p.galley(
        egui::pos2(sw_rect.right() + 4.0, mid - galley.size().y / 2.0),
        galley,
        c,
    );
}

/// A colour that reads on the theme's background: a near-black series
/// (the actual line) turns light in the dark theme, where it all but
/// vanished.
pub fn themed(c: egui::Color32, dark: bool) -> egui::Color32 {
    let luma = 0.299 * f32::from(c.r()) + 0.587 * f32::from(c.g()) + 0.114 * f32::from(c.b());
    if dark && luma < 110.0 {
        let lift = |v: u8| (f32::from(v) + (235.0 - f32::from(v)) * 0.65) as u8;
        egui::Color32::from_rgb(lift(c.r()), lift(c.g()), lift(c.b()))
    } else {
        c
    }
}

/// A published reference series: its name, (DfE year, value), colour.
pub type Reference = (String, Vec<(i32, f64)>, crate::report::chart::Rgb);

pub struct Chart<'a> {
    pub kpi: &'a Kpi,
    /// The months to draw (already cut to the chosen range).
    pub series: Vec<(Month, f64)>,
    pub trend: Option<&'a Trend>,
    pub target: Option<&'a Target>,
    /// England's figure per reporting year (to 30 September).
    pub england: Vec<(i32, f64)>,
    pub selected: Option<Month>,
    pub trajectory: Vec<(Month, f64)>,
    pub events: Vec<(Month, String)>,
    /// Published reference figures by DfE year (to September).
    pub benchmarks: Vec<Reference>,
    /// The points of `series` whose figures come from a census return.
    pub from_return: Vec<(Month, f64)>,
}

/// Septembers taken from a census return: hollow squares over the line's
/// dots, named in the legend and on hover.
fn return_marks(pts: Vec<[f64; 2]>, c: egui::Color32, radius: f32) -> Points<'static> {
    Points::new(
        format!(
            "{} (the DfE return's figure: no monthly snapshot that year)",
            crate::report::chart::FROM_RETURN
        ),
        pts,
    )
    .radius(radius)
    .shape(egui_plot::MarkerShape::Square)
    .filled(false)
    .color(c)
}

/// A fixed (not draggable or zoomable) plot with months on the x axis and
/// round values on the y axis, sized for the space it is given. Its legend
/// is drawn outside it ([`legend`]).
fn month_plot(ui: &egui::Ui, id: &str, height: f32, percent: bool) -> Plot<'static> {
    let width = ui.available_width().max(80.0);
    let font = egui::TextStyle::Body.resolve(ui.style());
    // "Sep 2026" is about 4.5 of the font's size wide.
    let label_px = font.size * 4.6;
    let value_px = font.size * if percent { 2.6 } else { 4.2 };
    Plot::new(id)
        .height(height)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .y_axis_min_width(value_px)
        .x_grid_spacer(move |input| month_marks(input, width - value_px, label_px))
        .y_grid_spacer(move |input| value_marks(input, height))
        .x_axis_formatter(|mark, _| month_label(mark.value))
        .y_axis_formatter(move |mark, _| value_label(mark.value, percent))
}

pub fn show(ui: &mut egui::Ui, id: &str, t: Chart<'_>, height: f32) {
    let percent = t.kpi.percent;
    let dark = ui.visuals().dark_mode;
    let accent = ui.visuals().hyperlink_color;
    let target_c = color(crate::report::chart::TARGET);
    let trend_c = color(crate::report::chart::TREND);
    let england_c = color(crate::report::chart::ENGLAND);
    let points: Vec<[f64; 2]> = t.series.iter().map(|(m, v)| [x_of(*m), *v]).collect();
    // Published September figures, only for the years the council's own
    // series covers, so the chart is not stretched back to 2017.
    let septembers = |pts: &[(i32, f64)]| -> Vec<[f64; 2]> {
        match (t.series.first(), t.series.last()) {
            (Some((a, _)), Some((b, _))) => pts
                .iter()
                .filter_map(|(y, v)| {
                    let m = Month::new(*y, 9)?;
                    (m >= *a - 12 && m <= *b).then_some([x_of(m), *v])
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let england = septembers(&t.england);
    let benchmarks: Vec<(String, Vec<[f64; 2]>, egui::Color32)> = t
        .benchmarks
        .iter()
        .map(|(n, pts, c)| (n.clone(), septembers(pts), themed(color(*c), dark)))
        .filter(|b| !b.1.is_empty())
        .collect();
    // Every measure is 0 or more, and a percentage at most 100: the trend
    // line is cut there rather than drawn below 0%.
    let clamp = |v: f64| {
        if percent {
            v.clamp(0.0, 100.0)
        } else {
            v.max(0.0)
        }
    };
    let mut entries = vec![(t.kpi.title.to_string(), Swatch::Line(accent))];
    if !t.from_return.is_empty() {
        entries.push((
            crate::report::chart::FROM_RETURN.into(),
            Swatch::Square(accent),
        ));
    }
    if t.trend.is_some() {
        entries.push(("Trend (last 12 months)".into(), Swatch::Dashed(trend_c)));
    }
    if t.target.is_some() {
        entries.push(("Target".into(), Swatch::Dashed(target_c)));
    }
    if !england.is_empty() {
        entries.push(("England (September)".into(), Swatch::Marker(england_c)));
    }
    for (n, _, c) in &benchmarks {
        entries.push((n.clone(), Swatch::Marker(*c)));
    }
    if !t.trajectory.is_empty() {
        entries.push((
            "Planned trajectory".into(),
            Swatch::Line(color(crate::report::chart::PLAN)),
        ));
    }
    if !t.events.is_empty() {
        // One entry for them all: eight events named in the legend would
        // crowd out the series. Hovering a line names its event.
        entries.push((
            "Plan events (point at a line for its name)".into(),
            Swatch::Dashed(EVENT),
        ));
    }
    legend(ui, &entries);
    let plot = month_plot(ui, id, height, percent).label_formatter(move |pos| match pos {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => Some(format!(
            "{plot_name}\n{}: {}",
            month_label(position.x),
            format(Some(position.y), percent)
        )),
        HoverPosition::Elsewhere { .. } => None,
    });
    plot.show(ui, |p| {
        reference_marks(p, &t.trajectory, &t.events, 2.0);
        if let Some(target) = t.target {
            p.hline(
                HLine::new("Target", target.value)
                    .color(target_c)
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
        }
        if let Some(m) = t.selected {
            p.vline(
                // Unnamed: a marker, not a series for the legend.
                VLine::new("", x_of(m))
                    .color(egui::Color32::GRAY)
                    .allow_hover(false),
            );
        }
        for (name, pts, c) in benchmarks {
            p.points(
                Points::new(name, pts)
                    .radius(4.0)
                    .shape(egui_plot::MarkerShape::Square)
                    .color(c),
            );
        }
        if !england.is_empty() {
            p.points(
                Points::new("England (September)", england)
                    .radius(4.0)
                    .shape(egui_plot::MarkerShape::Diamond)
                    .color(england_c),
            );
        }
        if let Some(tr) = t.trend {
            let fitted = clipped_line(
                (x_of(tr.from.0), tr.from.1),
                (x_of(tr.to.0), tr.to.1),
                &clamp,
            );
            p.line(
                Line::new("Trend (last 12 months)", fitted)
                    .color(trend_c)
                    .style(egui_plot::LineStyle::dotted_dense())
                    .width(2.0),
            );
            if let (Outlook::Reaches(m), Some(target)) = (&tr.outlook, t.target) {
                let ahead = vec![[x_of(tr.to.0), clamp(tr.to.1)], [x_of(*m), target.value]];
                p.line(
                    Line::new("Trend (last 12 months)", ahead)
                        .color(trend_c)
                        .style(egui_plot::LineStyle::dashed_loose()),
                );
            }
        }
        p.line(
            Line::new(t.kpi.title, points.clone())
                .color(accent)
                .width(2.0),
        );
        p.points(Points::new(t.kpi.title, points).radius(2.5).color(accent));
        if !t.from_return.is_empty() {
            let pts = t.from_return.iter().map(|(m, v)| [x_of(*m), *v]).collect();
            p.points(return_marks(pts, accent, 5.5));
        }
    });
}

/// A straight line from `a` to `b`, cut where it leaves the measure's
/// range (`clamp` gives the nearest value inside it): the part outside is
/// not drawn, so a falling trend stops at 0% instead of going below it.
pub fn clipped_line(a: (f64, f64), b: (f64, f64), clamp: &dyn Fn(f64) -> f64) -> Vec<[f64; 2]> {
    let inside = |y: f64| (clamp(y) - y).abs() < 1e-12;
    let at = |edge: f64| {
        if (b.1 - a.1).abs() < 1e-12 {
            a.0
        } else {
            a.0 + (edge - a.1) * (b.0 - a.0) / (b.1 - a.1)
        }
    };
    match (inside(a.1), inside(b.1)) {
        (true, true) => vec![[a.0, a.1], [b.0, b.1]],
        (true, false) => vec![[a.0, a.1], [at(clamp(b.1)), clamp(b.1)]],
        (false, true) => vec![[at(clamp(a.1)), clamp(a.1)], [b.0, b.1]],
        (false, false) => Vec::new(),
    }
}

/// The planned trajectory (a line with its milestones marked) and the
/// dated events (labelled vertical lines), on the dashboard and in meetings.
fn reference_marks(
    p: &mut egui_plot::PlotUi,
    trajectory: &[(Month, f64)],
    events: &[(Month, String)],
    width: f32,
) {
    let green = color(crate::report::chart::PLAN);
    for run in trajectory.split(|p| !p.1.is_finite()) {
        let pts: Vec<[f64; 2]> = run.iter().map(|(m, v)| [x_of(*m), *v]).collect();
        p.line(
            Line::new("Planned trajectory", pts.clone())
                .color(green)
                .width(width),
        );
        p.points(
            Points::new("Planned trajectory", pts[1.min(pts.len())..].to_vec())
                .shape(egui_plot::MarkerShape::Square)
                .radius(width * 1.5)
                .color(green),
        );
    }
    for (m, label) in events {
        p.vline(
            VLine::new(label.as_str(), x_of(*m))
                .color(EVENT)
                .style(egui_plot::LineStyle::dashed_dense()),
        );
    }
}

/// The plan's events: dashed grey lines, in the legend as one entry.
const EVENT: egui::Color32 = egui::Color32::GRAY;

fn color(c: crate::report::chart::Rgb) -> egui::Color32 {
    egui::Color32::from_rgb(c[0], c[1], c[2])
}

/// Draw a [`ChartSpec`](crate::report::chart::ChartSpec) (the same chart
/// the images and the PDF show) with lines `width` points thick, for
/// meeting mode and the scenario view: its legend above the plot, its
/// notes (withheld months, the projection's start) below.
pub fn show_spec(
    ui: &mut egui::Ui,
    id: &str,
    spec: &crate::report::chart::ChartSpec,
    height: f32,
    width: f32,
) {
    show_spec_notes(ui, id, spec, (height, width), true);
}

/// [`show_spec`], with its notes under it or not (a slide of four charts
/// shows their shared notes once).
pub fn show_spec_notes(
    ui: &mut egui::Ui,
    id: &str,
    spec: &crate::report::chart::ChartSpec,
    (height, width): (f32, f32),
    with_notes: bool,
) {
    use crate::report::chart::Stroke;
    let dark = ui.visuals().dark_mode;
    let percent = spec.unit == crate::measure::Unit::Percent;
    let unit = spec.unit;
    let target_c = color(crate::report::chart::TARGET);
    let england_c = color(crate::report::chart::ENGLAND);
    // One order everywhere: the lines as the spec lists them (actual
    // first), each band after its line, then target, England, plan.
    let mut entries = Vec::new();
    for l in &spec.lines {
        let c = themed(color(l.color), dark);
        entries.push((
            l.name.clone(),
            match l.stroke {
                Stroke::Dotted => Swatch::Dashed(c),
                Stroke::Solid => Swatch::Line(c),
                Stroke::Marks => Swatch::Square(c),
            },
        ));
        if let Some(b) = spec
            .bands
            .iter()
            .find(|b| b.color == l.color && l.name.ends_with("(P50)"))
        {
            entries.push((b.name.clone(), Swatch::Band(themed(color(b.color), dark))));
        }
    }
    if let Some(t) = spec.target {
        entries.push((
            format!("Target {}", unit.format(t)),
            Swatch::Dashed(target_c),
        ));
    }
    if !spec.england.is_empty() {
        entries.push(("England (September)".into(), Swatch::Marker(england_c)));
    }
    if !spec.trajectory.is_empty() {
        entries.push((
            "Planned trajectory".into(),
            Swatch::Line(color(crate::report::chart::PLAN)),
        ));
    }
    if !spec.events.is_empty() {
        entries.push(("Plan events (named below)".into(), Swatch::Dashed(EVENT)));
    }
    legend(ui, &entries);
    // On a slide nobody points at a line: the events are named in a note.
    let events_note = (!spec.events.is_empty()).then(|| {
        let named: Vec<String> = spec
            .events
            .iter()
            .map(|(m, label)| format!("{} {label}", month_label(x_of(*m))))
            .collect();
        format!("Plan events: {}", named.join(" · "))
    });
    let notes: Vec<&str> = spec
        .notes
        .iter()
        .map(String::as_str)
        .filter(|n| with_notes && *n != crate::report::chart::SOURCE)
        .chain(events_note.as_deref().filter(|_| with_notes))
        .collect();
    // The notes' height as they will wrap, so the plot leaves room for them.
    let small = egui::TextStyle::Small.resolve(ui.style());
    let note_h: f32 = notes
        .iter()
        .map(|n| {
            let g = ui.painter().layout(
                n.to_string(),
                small.clone(),
                egui::Color32::GRAY,
                ui.available_width(),
            );
            g.size().y + ui.spacing().item_spacing.y
        })
        .sum();
    let plot = month_plot(ui, id, (height - note_h).max(80.0), percent);
    plot.show(ui, |p| {
        for b in &spec.bands {
            // egui_plot fills convex shapes only: a band is drawn as one
            // four-sided piece per pair of months, under one legend entry.
            let c = themed(color(b.color), dark);
            for w in b.points.windows(2) {
                let ((m0, lo0, hi0), (m1, lo1, hi1)) = (w[0], w[1]);
                let quad = vec![
                    [x_of(m0), lo0],
                    [x_of(m1), lo1],
                    [x_of(m1), hi1],
                    [x_of(m0), hi0],
                ];
                p.polygon(
                    egui_plot::Polygon::new(b.name.as_str(), quad)
                        .fill_color(c.gamma_multiply(0.2))
                        .stroke(egui::Stroke::NONE)
                        .allow_hover(false),
                );
            }
        }
        if let Some(t) = spec.target {
            p.hline(
                HLine::new(format!("Target {}", unit.format(t)), t)
                    .color(target_c)
                    .width(width * 0.7)
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
        }
        if !spec.england.is_empty() {
            let pts: Vec<[f64; 2]> = spec.england.iter().map(|(m, v)| [x_of(*m), *v]).collect();
            p.points(
                Points::new("England (September)", pts)
                    .radius(width * 2.0)
                    .shape(egui_plot::MarkerShape::Diamond)
                    .color(england_c),
            );
        }
        reference_marks(p, &spec.trajectory, &spec.events, width);
        for l in &spec.lines {
            let c = themed(color(l.color), dark);
            let pts: Vec<[f64; 2]> = l.points.iter().map(|(m, v)| [x_of(*m), *v]).collect();
            if l.stroke == Stroke::Marks {
                p.points(return_marks(pts, c, width * 2.4));
                continue;
            }
            let mut line = Line::new(l.name.as_str(), pts.clone()).color(c).width(
                if l.stroke == Stroke::Solid {
                    width
                } else {
                    width * 0.6
                },
            );
            if l.stroke == Stroke::Dotted {
                line = line.style(egui_plot::LineStyle::dotted_dense());
            }
            p.line(line);
            if l.markers {
                p.points(
                    Points::new(l.name.as_str(), pts)
                        .radius(width * 1.2)
                        .color(c),
                );
            }
        }
    });
    notes_under(ui, notes);
}

/// Notes under a chart, left-aligned (a justified layout would stretch
/// their words across the column).
pub fn notes_under<S: AsRef<str>>(ui: &mut egui::Ui, notes: impl IntoIterator<Item = S>) {
    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
        for n in notes {
            ui.label(egui::RichText::new(n.as_ref()).small().weak());
        }
    });
}
