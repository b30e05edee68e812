//! The benchmarks view: choose the council (remembered), import the DfE
//! indicators and neighbours files, and compare each measure's published
//! series with the region, England, the statistical neighbours (median and
//! each one) and Keel's own September figures.

use super::charts;
use super::kpi::KPIS;
use super::model::Model;
use super::state::Command;
use crate::benchmark::view::{CouncilView, Points};
use crate::metrics::table::Group;
use crate::month::Month;
use crate::report::chart::{ChartSpec, ENGLAND, Line, PALETTE, Stroke};
use crate::report::measures::measure;
use eframe::egui;

/// Headline measures the DfE publishes: (Keel's metric, DfE measure).
pub fn measures() -> Vec<(&'static str, &'static str)> {
    KPIS.iter()
        .filter_map(|k| Some((k.metric, k.england?)))
        .collect()
}

fn september(points: &Points) -> Vec<(Month, f64)> {
    points
        .iter()
        .filter_map(|(y, v)| Some((Month::new(*y, 9)?, *v)))
        .collect()
}

/// Keel's own figure at each September held, for the whole service.
fn own_septembers(model: &Model, metric: &str) -> Vec<(Month, f64)> {
    model
        .metrics
        .series(&Group::all(), metric)
        .into_iter()
        .filter(|(m, _)| m.month() == 9)
        .collect()
}

fn chart(model: &Model, view: &CouncilView, metric: &str, dfe: &str) -> Option<ChartSpec> {
    let m = view.measure(dfe)?;
    let unit = measure(metric)?.unit;
    let mut lines: Vec<Line> = m
        .neighbours
        .iter()
        // One legend entry for them all: ten names would bury the chart.
        .map(|(_, pts)| Line {
            name: "Each neighbour".into(),
            points: september(pts),
            color: [175, 175, 175],
            stroke: Stroke::Dotted,
            markers: false,
        })
        .collect();
    for (name, pts, color) in [
        ("Neighbours' median", &m.neighbours_median, PALETTE[2]),
        ("Region", &m.region, PALETTE[1]),
        ("England", &m.england, ENGLAND),
    ] {
        lines.push(Line {
            name: name.into(),
            points: september(pts),
            color,
            stroke: Stroke::Solid,
            markers: false,
        });
    }
    lines.push(Line {
        name: format!("{} (published)", view.council.name),
        points: september(&m.council),
        color: PALETTE[0],
        stroke: Stroke::Solid,
        markers: true,
    });
    lines.push(Line {
        name: "Keel (September)".into(),
        points: own_septembers(model, metric),
        color: [20, 20, 20],
        stroke: Stroke::Dotted,
        markers: true,
    });
    Some(ChartSpec {
        title: measure(metric)?.label.to_string(),
        unit,
        lines,
        bands: Vec::new(),
        target: model.settings.targets.get(metric).map(|t| t.value),
        england: Vec::new(),
        as_at: model.latest_month(),
        notes: Vec::new(),
        trajectory: Vec::new(),
        events: Vec::new(),
    })
}

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    council: &mut String,
    view: Option<&Result<CouncilView, String>>,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    ui.heading("Benchmarks");
    ui.horizontal(|ui| {
        if ui
            .button("Import DfE file…")
            .on_hover_text("The DfE workforce indicators CSV, or the statistical neighbours CSV")
            .clicked()
        {
            cmds.push(Command::PickBenchmark);
        }
        for b in &model.benchmarks_held {
            ui.label(
                egui::RichText::new(format!(
                    "{} ({}, {} rows)",
                    b.file,
                    b.kind.name(),
                    b.rows_read
                ))
                .weak(),
            );
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("benchmarks")
        .show(ui, |ui| {
            comparison(ui, model, council, view, busy, cmds);
            ui.add_space(12.0);
            ui.separator();
            leavers(ui, model);
        });
}

/// The council's own leavers by reason and destination, below the
/// published comparisons: withheld as a meeting would see them (anything
/// set beside other councils' figures may be shown beyond HR), and said to
/// have nothing to compare with.
fn leavers(ui: &mut egui::Ui, model: &Model) {
    ui.strong("Leavers by reason and destination");
    let rows = &model.leavers;
    let Some(year) = super::quality::year_shown(rows, model.latest_month()) else {
        ui.label("No census return held: import the council's DfE returns (.xml) to see its leavers by reason and destination.");
        return;
    };
    ui.add(egui::Label::new(crate::benchmark::NO_LEAVER_COMPARISON).wrap());
    let withheld = crate::report::suppress::leavers_withheld(rows);
    super::quality::leaver_grids(ui, rows, Some(&withheld), year, "benchmarks");
    ui.weak(crate::report::suppress::MARK_MEANING);
}

/// The DfE's published series beside Keel's, once the indicators are
/// imported and the council chosen.
fn comparison(
    ui: &mut egui::Ui,
    model: &Model,
    council: &mut String,
    view: Option<&Result<CouncilView, String>>,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    if model.benchmark_data.is_none() {
        ui.label("No DfE indicators imported yet. Download the children's social work workforce indicators (and the statistical neighbours file) from explore-education-statistics.service.gov.uk, then import them with Import DfE file… above.");
        return;
    }
    ui.horizontal(|ui| {
        ui.label("Council");
        let r = ui
            .add(
                egui::TextEdit::singleline(council)
                    .desired_width(240.0)
                    .hint_text("name or code, e.g. Bristol, City of or 801"),
            )
            .on_hover_text(
                "The council's name as the DfE writes it, its new code (E06…) or its old code",
            );
        let r = r.accessible_name("Council");
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Compare").clicked() || enter {
            cmds.push(Command::ChooseCouncil(council.trim().to_string()));
        }
        if busy {
            ui.spinner();
        }
    });
    let Some(view) = view else {
        ui.label("Choose the council to compare with.");
        return;
    };
    let view = match view {
        Ok(v) => v,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    let c = &view.council;
    ui.label(format!(
        "{} · region {} · {} statistical neighbours",
        c.name,
        c.region_name.clone().unwrap_or_else(|| "unknown".into()),
        view.measures.first().map_or(0, |m| m.neighbours.len())
    ));
    for pair in measures().chunks(2) {
        ui.columns(2, |cols| {
            for (ui, (metric, dfe)) in cols.iter_mut().zip(pair) {
                match chart(model, view, metric, dfe) {
                    Some(spec) => {
                        ui.strong(&spec.title);
                        charts::show_spec(ui, &format!("benchmark {metric}"), &spec, 260.0, 2.0);
                    }
                    None => {
                        ui.label(format!("{metric}: not in the imported indicators"));
                    }
                }
            }
        });
    }
}
