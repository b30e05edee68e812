//! Trend charts: one metric over the months held, against its target and
//! England's published figures. Months are plotted at their first day (x in
//! days since 1970) so month labels sit under their points.

use super::kpi::{Kpi, format};
use crate::month::Month;
use crate::report::trend::{Outlook, Trend};
use crate::settings::Target;
use chrono::NaiveDate;
use eframe::egui;
use egui_plot::{
    Corner, GridInput, GridMark, HLine, HoverPosition, Legend, Line, Plot, Points, VLine,
};

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
/// whichever keeps the labels apart.
fn month_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let (Some(a), Some(b)) = (date_of(lo), date_of(hi)) else {
        return Vec::new();
    };
    let span_months = ((hi - lo) / 30.4).max(1.0);
    // Aim for no more than about eight labels across a chart.
    let step = [1, 3, 6, 12, 24]
        .into_iter()
        .find(|s| span_months / f64::from(*s) <= 8.0)
        .unwrap_or(24);
    let mut m = Month::of(a);
    let end = Month::of(b) + 1;
    let mut out = Vec::new();
    while m <= end {
        if (m.month() as i32 - 1) % step == 0 {
            out.push(GridMark {
                value: x_of(m),
                step_size: 30.4 * f64::from(step),
            });
        }
        m = m + 1;
    }
    out
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
}

/// A fixed (not draggable or zoomable) plot with months on the x axis.
fn month_plot(id: &str, height: f32, legend: egui::TextStyle) -> Plot<'static> {
    Plot::new(id)
        .height(height)
        .legend(
            Legend::default()
                .position(Corner::LeftBottom)
                .text_style(legend),
        )
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .x_grid_spacer(month_marks)
        .x_axis_formatter(|mark, _| month_label(mark.value))
}

pub fn show(ui: &mut egui::Ui, id: &str, t: Chart<'_>, height: f32) {
    let percent = t.kpi.percent;
    let accent = ui.visuals().hyperlink_color;
    let plot =
        month_plot(id, height, egui::TextStyle::Small).label_formatter(move |pos| match pos {
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
    plot.show(ui, |p| {
        reference_marks(p, &t.trajectory, &t.events, 2.0);
        if let Some(target) = t.target {
            p.hline(
                HLine::new("Target", target.value)
                    .color(egui::Color32::from_rgb(0, 150, 80))
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
        for (name, pts, c) in &t.benchmarks {
            let pts = septembers(pts);
            if !pts.is_empty() {
                p.points(
                    Points::new(name.as_str(), pts)
                        .radius(4.0)
                        .shape(egui_plot::MarkerShape::Square)
                        .color(color(*c)),
                );
            }
        }
        if !england.is_empty() {
            p.points(
                Points::new("England (September)", england)
                    .radius(4.0)
                    .shape(egui_plot::MarkerShape::Diamond)
                    .color(egui::Color32::from_rgb(150, 90, 200)),
            );
        }
        if let Some(tr) = t.trend {
            let fitted = vec![[x_of(tr.from.0), tr.from.1], [x_of(tr.to.0), tr.to.1]];
            p.line(
                Line::new("Trend (last 12 months)", fitted)
                    .color(egui::Color32::from_rgb(230, 120, 30))
                    .style(egui_plot::LineStyle::dotted_dense())
                    .width(2.0),
            );
            if let (Outlook::Reaches(m), Some(target)) = (&tr.outlook, t.target) {
                let ahead = vec![[x_of(tr.to.0), tr.to.1], [x_of(*m), target.value]];
                p.line(
                    Line::new("Trend (last 12 months)", ahead)
                        .color(egui::Color32::from_rgb(230, 120, 30))
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
    });
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
                .color(egui::Color32::GRAY)
                .style(egui_plot::LineStyle::dashed_dense()),
        );
    }
}

fn color(c: crate::report::chart::Rgb) -> egui::Color32 {
    egui::Color32::from_rgb(c[0], c[1], c[2])
}

/// Draw a [`ChartSpec`](crate::report::chart::ChartSpec) (the same chart
/// the images and the PDF show) with lines `width` points thick, for
/// meeting mode.
pub fn show_spec(
    ui: &mut egui::Ui,
    id: &str,
    spec: &crate::report::chart::ChartSpec,
    height: f32,
    width: f32,
) {
    use crate::report::chart::Stroke;
    let unit = spec.unit;
    let plot =
        month_plot(id, height, egui::TextStyle::Body).y_axis_formatter(move |mark, _| match unit {
            crate::report::measures::Unit::Percent => format!("{:.0}%", mark.value),
            _ => format!("{:.0}", mark.value),
        });
    plot.show(ui, |p| {
        for b in &spec.bands {
            // egui_plot fills convex shapes only: a band is drawn as one
            // four-sided piece per pair of months, under one legend entry.
            let c = color(b.color);
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
                    .color(color(crate::report::chart::TARGET))
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
                    .color(color(crate::report::chart::ENGLAND)),
            );
        }
        reference_marks(p, &spec.trajectory, &spec.events, width);
        for l in &spec.lines {
            let pts: Vec<[f64; 2]> = l.points.iter().map(|(m, v)| [x_of(*m), *v]).collect();
            let mut line = Line::new(l.name.as_str(), pts.clone())
                .color(color(l.color))
                .width(if l.stroke == Stroke::Solid {
                    width
                } else {
                    width * 0.6
                });
            if l.stroke == Stroke::Dotted {
                line = line.style(egui_plot::LineStyle::dotted_dense());
            }
            p.line(line);
            if l.markers {
                p.points(
                    Points::new(l.name.as_str(), pts)
                        .radius(width * 1.2)
                        .color(color(l.color)),
                );
            }
        }
    });
}
