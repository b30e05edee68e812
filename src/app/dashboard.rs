//! The head of service's view: month and group selectors, one tile per
//! headline measure, and their trends.

use super::charts::{self, Chart};
use super::kpi::{self, KPIS, Kpi, Rag, RagColor};
use super::model::Model;
use super::state::{Command, Group};
use super::state::{ImageSize, Range};
use crate::month::Month;
use crate::report::trend;
use eframe::egui;

/// The month and group selectors with the data-quality badge. Shared with
/// the teams view (which only uses the month).
pub fn selectors(
    ui: &mut egui::Ui,
    model: &Model,
    month: Month,
    group: Option<&Group>,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let months = &model.metrics.months;
        let pos = months.iter().position(|m| *m == month);
        let prev = pos.and_then(|i| i.checked_sub(1)).map(|i| months[i]);
        let next = pos.and_then(|i| months.get(i + 1)).copied();
        if ui
            .add_enabled(prev.is_some(), egui::Button::new("‹ Previous"))
            .on_hover_text("Previous month (Left arrow)")
            .accessible_name("Previous month")
            .clicked()
        {
            cmds.extend(prev.map(Command::SelectMonth));
        }
        egui::ComboBox::from_label("Month")
            .selected_text(month.to_string())
            .height(400.0)
            .show_ui(ui, |ui| {
                for m in months.iter().rev() {
                    if ui.selectable_label(*m == month, m.to_string()).clicked() {
                        cmds.push(Command::SelectMonth(*m));
                    }
                }
            });
        if ui
            .add_enabled(next.is_some(), egui::Button::new("Next ›"))
            .on_hover_text("Next month (Right arrow)")
            .accessible_name("Next month")
            .clicked()
        {
            cmds.extend(next.map(Command::SelectMonth));
        }
        quality_badge(ui, model, month, cmds);
        if let Some(group) = group {
            ui.separator();
            egui::ComboBox::from_label("Group")
                .selected_text(group.label())
                .width(260.0)
                .height(500.0)
                .show_ui(ui, |ui| {
                    for g in &model.metrics.groups {
                        if ui.selectable_label(g == group, g.label()).clicked() {
                            cmds.push(Command::SelectGroup(g.clone()));
                        }
                    }
                });
        }
    });
}

fn quality_badge(ui: &mut egui::Ui, model: &Model, month: Month, cmds: &mut Vec<Command>) {
    let n = model.findings_for(month).count();
    if n == 0 {
        return;
    }
    let text = egui::RichText::new(format!("Data quality: {n}")).color(ui.visuals().warn_fg_color);
    if ui
        .button(text)
        .on_hover_text(format!(
            "{n} data-quality finding(s) for {month}: click to see them"
        ))
        .accessible_name("Data-quality findings")
        .clicked()
    {
        cmds.push(Command::SetView(super::state::View::Quality));
    }
}

struct TileData {
    value: Option<f64>,
    last_month: Option<f64>,
    year_ago: Option<f64>,
}

fn change(now: Option<f64>, then: Option<f64>) -> Option<f64> {
    Some(now? - then?)
}

fn tile(ui: &mut egui::Ui, k: &Kpi, d: &TileData, model: &Model, (month, dark): (Month, bool)) {
    let target = model.settings.targets.get(k.metric);
    let rag = d.value.zip(target).map(|(v, t)| Rag::of(v, t));
    let stroke = rag.map_or(ui.visuals().widgets.noninteractive.bg_stroke, |r| {
        egui::Stroke::new(2.0, r.color(dark))
    });
    egui::Frame::group(ui.style())
        .stroke(stroke)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            // Left-aligned, not justified: a narrow tile at 1024 pixels
            // stretched "Supervision" across its width.
            ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                tile_body(ui, k, d, model, (month, dark), (rag, target))
            });
        });
}

fn tile_body(
    ui: &mut egui::Ui,
    k: &Kpi,
    d: &TileData,
    model: &Model,
    (month, dark): (Month, bool),
    (rag, target): (Option<Rag>, Option<&crate::settings::Target>),
) {
    {
        {
            ui.label(egui::RichText::new(k.title).strong())
                .on_hover_text(k.help);
            let color = rag.map_or(ui.visuals().text_color(), |r| r.color(dark));
            let shown = kpi::format(d.value, k.percent);
            let value = ui
                .label(egui::RichText::new(shown).size(26.0).color(color).strong())
                .accessible_name(format!("{} value", k.title));
            if d.value.is_none() {
                value.on_hover_text(kpi::NULL_HELP);
            }
            match (rag, target) {
                (Some(r), Some(t)) => {
                    ui.label(egui::RichText::new(r.word()).color(r.color(dark)))
                        .on_hover_text(format!(
                            "Target {} ({}); source: {}",
                            kpi::format(Some(t.value), k.percent),
                            t.better.word(),
                            t.source
                        ));
                }
                _ => {
                    ui.label("no status");
                }
            }
            ui.label(format!(
                "vs last month: {}",
                kpi::format_change(change(d.value, d.last_month), k.percent)
            ));
            ui.label(format!(
                "vs a year ago: {}",
                kpi::format_change(change(d.value, d.year_ago), k.percent)
            ));
            let england = k.england.and_then(crate::benchmark::england::latest);
            match england {
                Some((year, v)) => ui.label(format!(
                    "England {year}: {}",
                    kpi::format(Some(v), k.percent)
                )),
                None => ui
                    .label("England: not published")
                    .on_hover_text("The DfE publishes no national figure for this measure."),
            };
            let linked = model
                .plan
                .get()
                .and_then(|p| crate::plan::marks::nearest_link(p, k.measure, month));
            if let Some(l) = linked {
                ui.label(
                    egui::RichText::new(format!(
                        "Plan: {} by {}",
                        kpi::format(Some(l.target), k.percent),
                        l.by.first_day().format("%b %Y")
                    ))
                    .color(egui::Color32::from_rgb(
                        crate::report::chart::PLAN[0],
                        crate::report::chart::PLAN[1],
                        crate::report::chart::PLAN[2],
                    )),
                )
                .on_hover_text(
                    "The improvement plan's target for this measure: the next by-date from this month, else the latest (whole service)",
                );
            }
        }
    }
}

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    month: Month,
    group: &Group,
    (dark, bench): (bool, Option<&crate::benchmark::view::CouncilView>),
    (range, image_size): (&mut Range, &mut ImageSize),
    cmds: &mut Vec<Command>,
) {
    selectors(ui, model, month, Some(group), cmds);
    ui.add_space(6.0);
    let get = |m: Month, metric: &str| model.metrics.get(m, group, metric);
    ui.columns(KPIS.len(), |cols| {
        for (ui, k) in cols.iter_mut().zip(KPIS.iter()) {
            let d = TileData {
                value: get(month, k.metric),
                last_month: get(month - 1, k.metric),
                year_ago: get(month - 12, k.metric),
            };
            tile(ui, k, &d, model, (month, dark));
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.strong(format!("Trends — {}", group.label()));
        egui::ComboBox::from_label("Chart range")
            .selected_text(range.label())
            .show_ui(ui, |ui| {
                for r in Range::ALL {
                    ui.selectable_value(range, r, r.label());
                }
            });
        ui.separator();
        egui::ComboBox::from_label("Image size")
            .selected_text(image_size.label())
            .show_ui(ui, |ui| {
                for s in ImageSize::ALL {
                    ui.selectable_value(image_size, s, s.label());
                }
            });
        if ui
            .button("Export metrics…")
            .on_hover_text("Every metric, month and group as CSV or Excel")
            .clicked()
        {
            cmds.push(Command::ExportMetrics(None));
        }
        if ui
            .button("Board report…")
            .on_hover_text(
                "The PDF board pack for this month and group, with the meeting pack's scenarios",
            )
            .clicked()
        {
            cmds.push(Command::WriteReport(None));
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("dashboard charts")
        .show(ui, |ui| {
            let rows: Vec<&[Kpi]> = KPIS.chunks(2).collect();
            for row in rows {
                ui.columns(2, |cols| {
                    for (ui, k) in cols.iter_mut().zip(row.iter()) {
                        // Captions left-aligned, not justified.
                        ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        ui.horizontal(|ui| {
                            ui.label(egui::RichText::new(k.title).strong());
                            if ui
                                .small_button("Save image…")
                                .on_hover_text("Save this chart as PNG or SVG, with title, legend, as-at month and source")
                                .accessible_name(format!("Save {} chart", k.title))
                                .clicked()
                            {
                                cmds.push(Command::SaveChart {
                                    metric: k.metric.to_string(),
                                    path: None,
                                });
                            }
                        });
                        let england = k
                            .england
                            .map(|m| {
                                crate::benchmark::england::series()
                                    .into_iter()
                                    .filter(|r| r.1 == m)
                                    .map(|r| (r.0, r.2))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let all = model.metrics.series(group, k.metric);
                        let target = model.settings.targets.get(k.metric);
                        // Fitted up to the month the tiles show, so the
                        // caption reads the same status as the tile above.
                        let upto: Vec<(Month, f64)> =
                            all.iter().copied().filter(|(m, _)| *m <= month).collect();
                        let fitted = trend::fit(&upto, target);
                        let start = range
                            .months()
                            .zip(model.latest_month())
                            .map(|(n, last)| last - (n - 1));
                        let series: Vec<(Month, f64)> = all
                            .into_iter()
                            .filter(|(m, _)| start.is_none_or(|s| *m >= s))
                            .collect();
                        let from_return = series
                            .iter()
                            .copied()
                            .filter(|(m, _)| model.metrics.from_return(*m, group))
                            .collect();
                        charts::show(
                            ui,
                            &format!("trend {}", k.metric),
                            Chart {
                                kpi: k,
                                series,
                                trend: fitted.as_ref(),
                                target,
                                england,
                                selected: Some(month),
                                trajectory: crate::report::chart::trajectory(
                                    &model.metrics,
                                    group,
                                    k.metric,
                                    &model.plan.chart_settings,
                                ),
                                events: crate::report::chart::events(
                                    &model.plan.chart_settings,
                                    start,
                                    None,
                                ),
                                benchmarks: references(bench, k, group),
                                from_return,
                            },
                            190.0,
                        );
                        let unit = if k.percent { " pts" } else { "" };
                        match &fitted {
                            Some(t) => ui.weak(trend::describe(t, unit)),
                            None => ui.weak("Too few months for a trend (six needed)."),
                        };
                        });
                    }
                });
                ui.add_space(8.0);
            }
        });
}

/// The council's published figures, its region and its neighbours' median
/// for a headline measure, once a council is chosen (whole service only:
/// they are whole-service figures).
fn references(
    bench: Option<&crate::benchmark::view::CouncilView>,
    k: &Kpi,
    group: &Group,
) -> Vec<charts::Reference> {
    use crate::report::chart::PALETTE;
    let (Some(view), Some(dfe), crate::metrics::GroupKind::All) = (bench, k.england, group.kind)
    else {
        return Vec::new();
    };
    let Some(m) = view.measure(dfe) else {
        return Vec::new();
    };
    vec![
        (
            format!("{} (published)", view.council.name),
            m.council.clone(),
            PALETTE[0],
        ),
        ("Region".into(), m.region.clone(), PALETTE[1]),
        (
            "Neighbours' median".into(),
            m.neighbours_median.clone(),
            PALETTE[2],
        ),
    ]
}
