//! Meeting mode: the saved pack shown one slide at a time, full screen, in
//! large type. Only aggregates are reachable from here (no worker list, no
//! other view) and every figure passes disclosure control first.

use super::charts;
use super::kpi::{KPIS, Rag, RagColor, kpi, measure};
use super::model::Model;
use super::state::{Command, Group};
use crate::month::Month;
use crate::plan::Plan;
use crate::report::chart::ChartSpec;
use crate::report::pack::{Pack, Slide};
use crate::report::reading::{long_month, read};
use crate::report::suppress::{self, Shown};
use crate::scenario::persist::Scenario;
use crate::scenario::simulate::Projection;
use eframe::egui;

/// Scenario projections for the pack, once the background run is done.
pub type Projections = Vec<(Scenario, Projection)>;

pub struct Meeting {
    pub pack: Pack,
    pub index: usize,
    pub projections: Option<Projections>,
    pub problems: Vec<String>,
    /// The improvement plan, for its slide.
    pub plan: Option<Plan>,
}

/// The pack being edited (else the saved one) and the plan in force, read
/// off the UI thread when a meeting starts. A plan that cannot be read is
/// left out, as when there is none: the meeting goes ahead without its
/// slide.
pub fn open(root: &std::path::Path, draft: Option<Pack>) -> Result<(Pack, Option<Plan>), String> {
    let pack = match draft {
        Some(p) => p,
        None => crate::report::pack::load(root).map_err(|e| e.to_string())?,
    };
    let plan = crate::workspace::Workspace::open(root)
        .and_then(|ws| crate::plan::store::plan_or_settings(&ws))
        .ok()
        .flatten();
    Ok((pack, plan))
}

impl Meeting {
    /// Without a plan its slide is skipped: the pack keeps it for when
    /// there is one.
    pub fn new(mut pack: Pack, plan: Option<Plan>) -> Meeting {
        if plan.is_none() {
            pack.slides.retain(|s| *s != Slide::Plan);
        }
        Meeting {
            pack,
            index: 0,
            projections: None,
            problems: Vec::new(),
            plan,
        }
    }

    pub fn step(&mut self, by: i32) {
        let n = self.pack.slides.len().max(1) as i32;
        self.index = (self.index as i32 + by).clamp(0, n - 1) as usize;
    }

    pub fn slide(&self) -> Option<&Slide> {
        self.pack.slides.get(self.index)
    }
}

/// Type big enough to read from the back of a room.
fn large_type(ui: &mut egui::Ui) {
    use egui::{FontId, TextStyle};
    let s = ui.style_mut();
    s.text_styles = [
        (TextStyle::Heading, FontId::proportional(52.0)),
        (TextStyle::Body, FontId::proportional(26.0)),
        (TextStyle::Button, FontId::proportional(24.0)),
        (TextStyle::Small, FontId::proportional(20.0)),
        (TextStyle::Monospace, FontId::monospace(24.0)),
    ]
    .into();
}

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    meeting: &Meeting,
    dark: bool,
    cmds: &mut Vec<Command>,
) {
    large_type(ui);
    let Some(month) = model.latest_month() else {
        ui.heading("No workforce snapshot yet");
        return;
    };
    let pack = &meeting.pack;
    let group = if model.metrics.groups.contains(&pack.group) {
        pack.group.clone()
    } else {
        Group::all()
    };
    let Some(slide) = meeting.slide() else {
        ui.heading("This meeting pack has no slides");
        ui.label("Press Esc, then choose slides in the Meeting view.");
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(slide.title());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Leave (Esc)").clicked() {
                cmds.push(Command::EndMeeting);
            }
            ui.label(format!("{} / {}", meeting.index + 1, pack.slides.len()));
        });
    });
    // A scenario slide shows its scenario's own scope (a team, or the
    // whole service), whatever group the pack's other slides show.
    let scope = match slide {
        Slide::Scenario { name } => meeting
            .projections
            .as_ref()
            .and_then(|all| all.iter().find(|(s, _)| s.name == *name))
            .map(|(s, _)| match &s.team {
                Some(t) => format!("Scenario for team {t}"),
                None => "Scenario for the whole service".to_string(),
            })
            .unwrap_or_else(|| group.label()),
        _ => group.label(),
    };
    ui.label(egui::RichText::new(format!("{scope} · data as at {}", long_month(month))).weak());
    ui.add_space(12.0);
    // The footer as laid out at this width (two lines at 1024 pixels), so
    // a slide's last line is never drawn under it.
    let footer = ui
        .painter()
        .layout(
            footer_text(),
            egui::TextStyle::Small.resolve(ui.style()),
            egui::Color32::WHITE,
            ui.available_width(),
        )
        .size()
        .y
        + 16.0;
    let height = (ui.available_height() - footer).max(200.0);
    match slide {
        Slide::Summary => summary(ui, model, &group, month, (dark, height)),
        Slide::Plan => plan_slide(ui, model, meeting, month, dark),
        Slide::Metric { metric } => metric_slide(ui, model, pack, &group, metric, month, height),
        Slide::Scenario { name } => scenario_slide(ui, model, meeting, name, month, height),
    }
    ui.with_layout(egui::Layout::bottom_up(egui::Align::LEFT), |ui| {
        ui.label(egui::RichText::new(footer_text()).small().weak());
    });
}

fn footer_text() -> String {
    format!(
        "Left/Right arrows or Page Up/Down to move · Esc to leave · {}",
        suppress::MARK_MEANING
    )
}

/// A tile per headline measure, in as few rows as fit the slide's width,
/// and type scaled so that every tile fits: at 1024×700 the seventh tile
/// fell off the bottom.
fn summary(
    ui: &mut egui::Ui,
    model: &Model,
    group: &Group,
    month: Month,
    (dark, height): (bool, f32),
) {
    let t = &model.metrics;
    let n = KPIS.len();
    let width = ui.available_width();
    // A tile at full size is about 300 × 250 points with its gaps.
    let per_row = ((width / 300.0).floor() as usize).clamp(2, 4);
    let per_row = per_row.max(
        n.div_ceil(((height / 250.0).floor() as usize).max(1))
            .min(4),
    );
    let rows = n.div_ceil(per_row) as f32;
    let scale = (height / (rows * 250.0))
        .min(width / (per_row as f32 * 300.0))
        .clamp(0.55, 1.3);
    {
        use egui::{FontId, TextStyle};
        let st = ui.style_mut();
        st.text_styles
            .insert(TextStyle::Body, FontId::proportional(26.0 * scale));
        st.text_styles
            .insert(TextStyle::Small, FontId::proportional(20.0 * scale));
    }
    let value_size = 64.0 * scale;
    egui::Grid::new("meeting summary")
        .num_columns(per_row)
        .spacing([40.0 * scale, 36.0 * scale])
        .show(ui, |ui| {
            for (i, k) in KPIS.iter().enumerate() {
                let Some(m) = measure(k.metric) else { continue };
                let now = suppress::shown(t, month, group, k.metric);
                let target = model.settings.targets.get(k.metric);
                let rag = now.value().zip(target).map(|(v, tg)| Rag::of(v, tg));
                ui.vertical(|ui| {
                    ui.set_min_width(250.0 * scale);
                    ui.label(egui::RichText::new(k.title).strong());
                    let color = rag.map_or(ui.visuals().text_color(), |r| r.color(dark));
                    ui.label(
                        egui::RichText::new(now.text(m.unit))
                            .size(value_size)
                            .strong()
                            .color(color),
                    )
                    .on_hover_text(format!("{} value", k.title));
                    let status = rag.map_or("no status".to_string(), |r| r.word().to_string());
                    ui.label(egui::RichText::new(status).color(color));
                    ui.label(target.map_or("no target".to_string(), |tg| {
                        format!("target {}", m.unit.format(tg.value))
                    }));
                    let before = suppress::shown(t, month - 12, group, k.metric);
                    let change = match (now, before) {
                        (Shown::Value(a), Shown::Value(b)) => m.unit.change(a - b),
                        (Shown::Withheld, _) | (_, Shown::Withheld) => suppress::MARK.into(),
                        _ => "—".into(),
                    };
                    ui.label(egui::RichText::new(format!("12 months: {change}")).weak());
                });
                if i % per_row == per_row - 1 {
                    ui.end_row();
                }
            }
        });
}

/// The plan as at the end of the month the figures are for: items at each
/// RAG, then the overdue ones by reference and title (no lead: in a small
/// service a role names a person).
fn plan_slide(ui: &mut egui::Ui, model: &Model, meeting: &Meeting, month: Month, dark: bool) {
    let Some(plan) = &meeting.plan else {
        ui.label("There is no improvement plan in this workspace.");
        return;
    };
    let s = crate::plan::summarise(plan, &model.metrics, month.last_day());
    // Type grows with a tall slide as the summary's does: at 1920×1080
    // the plan at 1024's sizes filled a third of the projected screen.
    let scale = (ui.available_height() / 540.0).clamp(1.0, 1.3);
    if let Some(body) = ui.style_mut().text_styles.get_mut(&egui::TextStyle::Body) {
        body.size *= scale;
    }
    let colour = |r: crate::plan::Rag| {
        let [red, green, blue] = crate::report::improvement::rag_rgb(r);
        let lift = |c: u8| if dark { c / 2 + 110 } else { c };
        egui::Color32::from_rgb(lift(red), lift(green), lift(blue))
    };
    let day = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    ui.label(format!(
        "{} items, as at {} · the plan started on {}",
        s.items(),
        day(s.as_at),
        day(s.start)
    ));
    ui.add_space(12.0);
    // Five counts at 200 points each overflowed a 1024-pixel slide and
    // widened everything under them (the footer ran off the edge).
    let gap = ui.spacing().item_spacing.x;
    let k = s.counts.len().max(1) as f32;
    let count_w = ((ui.available_width() - gap * k) / k).min(200.0 * scale);
    ui.horizontal(|ui| {
        for (r, n) in &s.counts {
            ui.vertical(|ui| {
                ui.set_width(count_w);
                ui.label(
                    egui::RichText::new(n.to_string())
                        .size(64.0 * scale)
                        .strong()
                        .color(colour(*r)),
                )
                .on_hover_text(format!("{} items", r.name()));
                ui.label(egui::RichText::new(r.name()).color(colour(*r)));
            });
        }
    });
    ui.add_space(20.0);
    if s.overdue.is_empty() {
        ui.label(format!("No item was overdue on {}.", day(s.as_at)));
        return;
    }
    ui.label(egui::RichText::new("Overdue").strong());
    egui::ScrollArea::vertical()
        .max_height((ui.available_height() - 60.0).max(100.0))
        .show(ui, |ui| {
            // Reference and days overdue first, in columns of their own, so
            // a long title wraps rather than pushing the days off the slide.
            let gap = ui.spacing().item_spacing.x + 20.0;
            let reference_w = ui.text_style_height(&egui::TextStyle::Body) * 3.2;
            let days_w = ui.text_style_height(&egui::TextStyle::Body) * 8.5;
            // (Less the scroll bar's room, which the scroll area keeps on the right.)
            let bar = ui.spacing().scroll.bar_width + ui.spacing().scroll.bar_outer_margin;
            let title_w =
                (ui.available_width() - reference_w - days_w - 2.0 * gap - bar - 8.0).max(120.0);
            for o in &s.overdue {
                ui.horizontal_top(|ui| {
                    ui.spacing_mut().item_spacing.x = gap;
                    ui.allocate_ui(egui::vec2(reference_w, 0.0), |ui| {
                        ui.set_width(reference_w);
                        ui.label(egui::RichText::new(&o.reference).strong());
                    });
                    ui.allocate_ui(egui::vec2(days_w, 0.0), |ui| {
                        ui.set_width(days_w);
                        ui.label(
                            egui::RichText::new(format!("{} days overdue", o.days))
                                .color(colour(crate::plan::Rag::Overdue)),
                        );
                    });
                    ui.allocate_ui(egui::vec2(title_w, 0.0), |ui| {
                        ui.set_width(title_w);
                        ui.add(egui::Label::new(&o.title).wrap());
                    });
                });
                ui.add_space(10.0);
            }
        });
}

fn metric_slide(
    ui: &mut egui::Ui,
    model: &Model,
    pack: &Pack,
    group: &Group,
    metric: &str,
    month: Month,
    height: f32,
) {
    let from = pack.months.map(|n| month - (n.max(2) as i32 - 1));
    let spec = ChartSpec::for_metric(
        &model.metrics,
        metric,
        std::slice::from_ref(group),
        &model.plan.chart_settings,
        from,
        Some(month),
    );
    let spec = match spec {
        Ok(s) => s,
        Err(e) => {
            ui.label(e.to_string());
            return;
        }
    };
    if spec.is_empty() {
        ui.label(format!(
            "No figure can be shown: {}.",
            suppress::MARK_MEANING
        ));
        return;
    }
    let reading = measure(metric).map(|m| {
        read(
            &model.metrics,
            group,
            &m,
            month,
            model.settings.targets.get(metric),
        )
    });
    // Under the plot: its two reading lines (and a note or two, which
    // show_spec takes off the plot's own height).
    let body = egui::TextStyle::Body.resolve(ui.style()).size;
    let legend = egui::TextStyle::Small.resolve(ui.style()).size * 1.6;
    charts::show_spec(
        ui,
        &format!("meeting {metric}"),
        &spec,
        height - legend - 2.0 * body * 1.5 - 12.0,
        5.0,
    );
    if let Some([a, b]) = reading {
        ui.label(a);
        ui.label(b);
    }
    if kpi(metric).and_then(|k| k.england).is_some() && spec.england.is_empty() {
        ui.label(
            egui::RichText::new("No England figure falls in this range.")
                .small()
                .weak(),
        );
    }
}

fn scenario_slide(
    ui: &mut egui::Ui,
    model: &Model,
    meeting: &Meeting,
    name: &str,
    month: Month,
    height: f32,
) {
    let Some(all) = &meeting.projections else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Projecting the scenarios…");
        });
        return;
    };
    let Some(one) = all.iter().find(|(s, _)| s.name == name) else {
        ui.label(format!("The scenario '{name}' could not be projected."));
        for p in &meeting.problems {
            ui.label(egui::RichText::new(p).small());
        }
        return;
    };
    if crate::report::suppress::scope_withheld(&model.metrics, one.0.team.as_deref()) {
        ui.label(format!(
            "The scenario '{name}' is withheld: its scope has fewer than 5 people."
        ));
        return;
    }
    let one = std::slice::from_ref(one);
    let measures = crate::measure::Measure::projected_where(|p| p.on_slide);
    let rows = measures.chunks(2);
    // Each row: the title, the legend above the plot (up to two lines at
    // this size, and the room `charts::legend` leaves under it) and the
    // plot itself, so two rows fit the slide.
    let n_rows = rows.len().max(1) as f32;
    let text = egui::TextStyle::Small.resolve(ui.style()).size;
    let plot_h =
        (height / n_rows - 2.0 * text * 1.5 - text * 0.6 - 40.0 - text * 1.6 / n_rows).max(90.0);
    let mut notes: Vec<String> = Vec::new();
    for pair in rows {
        ui.columns(2, |cols| {
            for (ui, metric) in cols.iter_mut().zip(pair) {
                let spec = ChartSpec::for_scenarios(
                    &model.metrics,
                    &model.settings,
                    (one, one[0].0.team.as_deref()),
                    metric.name(),
                    month,
                );
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.label(egui::RichText::new(&spec.title).strong());
                    charts::show_spec_notes(
                        ui,
                        &format!("scenario {name} {metric}"),
                        &spec,
                        (plot_h, 4.0),
                        false,
                    );
                });
                if notes.is_empty() {
                    notes = spec.notes.clone();
                }
            }
        });
    }
    // The charts' shared notes once, not under each of the four.
    charts::notes_under(
        ui,
        notes
            .iter()
            .filter(|n| n.as_str() != crate::report::chart::SOURCE),
    );
}

/// The pack editor: which slides, how many months, which group.
pub fn editor(
    ui: &mut egui::Ui,
    model: &Model,
    draft: &mut Pack,
    scenarios: &[String],
    cmds: &mut Vec<Command>,
) {
    ui.heading("Meeting pack");
    ui.label("The slides shown in meeting mode. The pack is saved in the workspace and shows the latest data each time it is opened.");
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button("Start meeting (F5)").clicked() {
            cmds.push(Command::SavePack(Box::new(draft.clone())));
            cmds.push(Command::StartMeeting);
        }
        if ui.button("Save pack").clicked() {
            cmds.push(Command::SavePack(Box::new(draft.clone())));
        }
    });
    ui.separator();
    egui::ComboBox::from_label("Group shown")
        .selected_text(draft.group.label())
        .width(260.0)
        .height(500.0)
        .show_ui(ui, |ui| {
            for g in &model.metrics.groups {
                ui.selectable_value(&mut draft.group, g.clone(), g.label());
            }
        });
    let months_label = |m: Option<u32>| {
        m.map_or("Everything held".to_string(), |n| {
            format!("Last {n} months")
        })
    };
    egui::ComboBox::from_label("Months on the charts")
        .selected_text(months_label(draft.months))
        .show_ui(ui, |ui| {
            for m in [Some(12), Some(24), Some(36), None] {
                ui.selectable_value(&mut draft.months, m, months_label(m));
            }
        });
    ui.add_space(8.0);
    ui.label(egui::RichText::new("Slides").strong());
    let mut candidates = vec![Slide::Summary, Slide::Plan];
    candidates.extend(KPIS.iter().map(|k| Slide::Metric {
        metric: k.metric.to_string(),
    }));
    candidates.extend(
        scenarios
            .iter()
            .map(|n| Slide::Scenario { name: n.clone() }),
    );
    let mut chosen: Vec<Slide> = Vec::new();
    for c in &candidates {
        let mut on = draft.slides.contains(c);
        ui.checkbox(&mut on, c.title());
        if on {
            chosen.push(c.clone());
        }
    }
    if scenarios.is_empty() {
        ui.label(
            egui::RichText::new("Saved scenarios appear here as slides once there are some.")
                .weak(),
        );
    }
    draft.slides = chosen;
}
