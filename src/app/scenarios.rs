//! The scenario view: levers as sliders and fields, the expected path
//! redrawn every frame while a slider moves (a deterministic walk, cheap
//! enough for a frame), the
//! Monte Carlo bands following when the background run finishes, and up to
//! four saved scenarios compared side by side.

use super::charts;
use super::meeting::Projections;
use super::model::Model;
use super::state::Command;
use crate::metrics::GroupKind;
use crate::month::Month;
use crate::report::chart::{ChartSpec, Line, PALETTE, Stroke};
use crate::report::measures::{Unit, measure};
use crate::scenario::calibrate::Calibration;
use crate::scenario::compare::{self, DEFAULT_HORIZONS, MAX_SCENARIOS};
use crate::scenario::levers::{
    AGENCY_DAY_RATE_LABEL, CONVERSIONS_LABEL, Conversion, EstablishmentChange, LeaveChange,
    Recruitment,
};
use crate::scenario::model::{Path, Plan, expected_path};
use crate::scenario::persist::Scenario;
use crate::scenario::simulate::Projection;
use crate::scenario::{Cohort, metric_index};
use eframe::egui;

/// Monte Carlo runs behind the bands in the app.
pub const RUNS: usize = 1000;

/// What the view holds between frames.
pub struct ScenarioUi {
    pub names: Vec<String>,
    pub draft: Scenario,
    /// The saved name the draft was opened from, if any.
    pub opened: Option<String>,
    pub new_name: String,
    pub metric: usize,
    /// The calibration for the draft's scope and range.
    pub calibration: Option<(CalKey, Calibration)>,
    /// The last finished Monte Carlo and the scenario it ran.
    pub bands: Option<(Scenario, Projection)>,
    pub compare: Vec<String>,
    /// Finished comparison: the names asked for and their projections.
    pub compared: Option<(Vec<String>, Projections)>,
    pub problem: Option<String>,
    /// The workspace load the view works from (see [`CalKey`]).
    pub generation: u64,
    /// A calibration that failed and why: not started again for the same
    /// key until the user asks ("Try again").
    pub failed: Option<(CalKey, String)>,
    /// A Monte Carlo that failed, for this draft, and why (likewise).
    pub sim_failed: Option<(Scenario, String)>,
    /// Whether the saved names have been asked for (once; every file
    /// command lists them again).
    pub listed: bool,
    /// Whether the calibration panel is open.
    pub show_calibration: bool,
}

/// What a calibration depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalKey {
    /// Which load of the workspace it came from: an import, an undo or a
    /// change of settings calls for a new calibration.
    pub generation: u64,
    pub team: Option<String>,
    pub from: Option<Month>,
    pub to: Option<Month>,
}

impl CalKey {
    pub fn of(s: &Scenario, generation: u64) -> CalKey {
        CalKey {
            generation,
            team: s.team.clone(),
            from: s.calibrate_from,
            to: s.calibrate_to,
        }
    }
}

impl Default for ScenarioUi {
    fn default() -> ScenarioUi {
        ScenarioUi {
            names: Vec::new(),
            draft: Scenario::new("New scenario"),
            opened: None,
            new_name: String::new(),
            metric: 0,
            calibration: None,
            bands: None,
            compare: Vec::new(),
            compared: None,
            problem: None,
            generation: 0,
            failed: None,
            sim_failed: None,
            listed: false,
            show_calibration: false,
        }
    }
}

impl ScenarioUi {
    pub fn horizon(&self) -> usize {
        self.draft.months.unwrap_or(24)
    }

    /// The draft's plan, when its calibration is at hand.
    pub fn plan(&self) -> Result<Option<Plan>, String> {
        let Some((key, cal)) = &self.calibration else {
            return Ok(None);
        };
        if *key != CalKey::of(&self.draft, self.generation) {
            return Ok(None);
        }
        let mut cal = cal.clone();
        cal.apply_overrides(&self.draft.overrides)
            .map_err(|e| e.to_string())?;
        Plan::new(&cal, &self.draft.levers, self.horizon())
            .map(Some)
            .map_err(|e| e.to_string())
    }

    /// Why the calibration for the draft as it is now failed, if it did.
    pub fn calibration_failure(&self) -> Option<&str> {
        let key = CalKey::of(&self.draft, self.generation);
        self.failed
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, e)| e.as_str())
    }

    /// Why the Monte Carlo for the draft as it is now failed, if it did.
    pub fn sim_failure(&self) -> Option<&str> {
        self.sim_failed
            .as_ref()
            .filter(|(s, _)| *s == self.draft)
            .map(|(_, e)| e.as_str())
    }

    /// Bands that belong to the draft as it is now.
    pub fn current_bands(&self) -> Option<&Projection> {
        self.bands
            .as_ref()
            .filter(|(s, _)| *s == self.draft)
            .map(|(_, p)| p)
    }
}

/// The chart of one measure: actual history, the expected path and, when
/// the Monte Carlo is done, its median and P10–P90 band.
fn chart(
    model: &Model,
    ui_state: &ScenarioUi,
    (path, plan_now): (&Path, Option<[f64; crate::scenario::model::NM]>),
    metric: &str,
) -> ChartSpec {
    let start = path.months.first().copied().unwrap_or(Month(0));
    let bands = ui_state.bands.as_slice();
    let scope = (bands, ui_state.draft.team.as_deref());
    let mut spec =
        ChartSpec::for_scenarios(&model.metrics, &model.settings, scope, metric, start - 1);
    spec.title = measure(metric).map_or(metric, |m| m.label).to_string();
    // Month 0 is the actual figure: drawn only where the actual line
    // shows it (not when it is withheld).
    let actual_at_start = spec
        .lines
        .first()
        .and_then(|l| l.points.last())
        .map(|p| p.0);
    let plan_now = plan_now.filter(|_| actual_at_start == Some(start - 1));
    if let Some(k) = metric_index(metric) {
        spec.lines.insert(
            1,
            Line {
                name: "Expected path".into(),
                points: plan_now
                    .map(|v| (path.months[0] - 1, v[k]))
                    .filter(|p| p.1.is_finite())
                    .into_iter()
                    .chain(crate::report::chart::path_points(
                        &path.months,
                        &path.values,
                        k,
                    ))
                    .collect(),
                color: PALETTE[1],
                stroke: Stroke::Dotted,
                markers: false,
            },
        );
    }
    spec
}

/// A lever that is either off or a number, as a checkbox and a slider.
fn optional(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<f64>,
    range: std::ops::RangeInclusive<f64>,
    default: f64,
) {
    ui.horizontal(|ui| {
        let mut on = value.is_some();
        if ui.checkbox(&mut on, label).changed() {
            *value = on.then_some(value.unwrap_or(default));
        }
        if let Some(v) = value {
            ui.add(egui::Slider::new(v, range).clamping(egui::SliderClamping::Never))
                .accessible_name(label);
        }
    });
}

/// The planned recruitment of `cohort` in calendar month `month` (0 = every
/// month), as one slider: 0 removes the plan.
fn recruitment(
    ui: &mut egui::Ui,
    s: &mut Scenario,
    label: &str,
    cohort: Cohort,
    month: u32,
    max: f64,
) {
    let months: Vec<u32> = if month == 0 { Vec::new() } else { vec![month] };
    let at = s.levers.recruitment.iter().position(|r| {
        r.cohort == cohort && r.calendar_months == months && r.from.is_none() && r.to.is_none()
    });
    let mut heads = at.map_or(0.0, |i| s.levers.recruitment[i].heads);
    let changed = ui
        .add(
            egui::Slider::new(&mut heads, 0.0..=max)
                .step_by(if month == 0 { 0.5 } else { 1.0 })
                .text(label),
        )
        .accessible_name(label)
        .changed();
    if changed {
        match (at, heads > 0.0) {
            (Some(i), true) => s.levers.recruitment[i].heads = heads,
            (Some(i), false) => {
                s.levers.recruitment.remove(i);
            }
            (None, true) => s.levers.recruitment.push(Recruitment {
                cohort,
                heads,
                from: None,
                to: None,
                calendar_months: months,
            }),
            (None, false) => {}
        }
    }
}

fn leave_change(ui: &mut egui::Ui, s: &mut Scenario, cohort: Cohort, label: &str) {
    let at = s
        .levers
        .leave_change
        .iter()
        .position(|l| l.cohort == cohort && l.from.is_none() && l.to.is_none());
    let mut pct = at.map_or(0.0, |i| s.levers.leave_change[i].change_pct);
    if ui
        .add(
            egui::Slider::new(&mut pct, -60.0..=60.0)
                .step_by(5.0)
                .suffix("%")
                .text(label),
        )
        .accessible_name(label)
        .changed()
    {
        match (at, pct != 0.0) {
            (Some(i), true) => s.levers.leave_change[i].change_pct = pct,
            (Some(i), false) => {
                s.levers.leave_change.remove(i);
            }
            (None, true) => s.levers.leave_change.push(LeaveChange {
                cohort,
                change_pct: pct,
                from: None,
                to: None,
            }),
            (None, false) => {}
        }
    }
}

fn levers(ui: &mut egui::Ui, model: &Model, st: &mut ScenarioUi) {
    let s = &mut st.draft;
    ui.add(
        egui::TextEdit::multiline(&mut s.description)
            .desired_rows(2)
            .hint_text("What this scenario tests"),
    )
    .accessible_name("Description");
    let scope = s
        .team
        .clone()
        .map_or("Whole service".to_string(), |t| format!("Team: {t}"));
    egui::ComboBox::from_label("Scope")
        .selected_text(scope)
        .height(400.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut s.team, None, "Whole service");
            for g in model
                .metrics
                .groups
                .iter()
                .filter(|g| g.kind == GroupKind::Team)
            {
                ui.selectable_value(
                    &mut s.team,
                    Some(g.name.clone()),
                    format!("Team: {}", g.name),
                );
            }
        });
    let mut horizon = s.months.unwrap_or(24) as u32;
    if ui
        .add(egui::Slider::new(&mut horizon, 1..=60).text("Months ahead"))
        .accessible_name("Months ahead")
        .changed()
    {
        s.months = Some(horizon as usize);
    }
    ui.add_space(6.0);
    ui.strong("Recruitment");
    recruitment(ui, s, "NQSWs each September", Cohort::Nqsw, 9, 40.0);
    recruitment(ui, s, "NQSWs a month (all year)", Cohort::Nqsw, 0, 10.0);
    recruitment(ui, s, "Experienced a month", Cohort::Experienced, 0, 10.0);
    ui.label(
        egui::RichText::new(
            "A planned cohort replaces its calibrated recruitment in the months it covers.",
        )
        .small()
        .weak(),
    );
    ui.add_space(6.0);
    ui.strong("Agency");
    let mut conv = s
        .levers
        .conversions
        .first()
        .map_or(0.0, |c| c.heads_per_month);
    if ui
        .add(
            egui::Slider::new(&mut conv, 0.0..=10.0)
                .step_by(0.5)
                .text(CONVERSIONS_LABEL),
        )
        .accessible_name(CONVERSIONS_LABEL)
        .changed()
    {
        s.levers.conversions.clear();
        if conv > 0.0 {
            s.levers.conversions.push(Conversion {
                heads_per_month: conv,
                from: None,
                to: None,
            });
        }
    }
    optional(
        ui,
        "Agency cap (FTE)",
        &mut s.levers.agency_cap_fte,
        0.0..=100.0,
        20.0,
    );
    optional(
        ui,
        AGENCY_DAY_RATE_LABEL,
        &mut s.levers.agency_day_rate,
        200.0..=900.0,
        450.0,
    );
    ui.add_space(6.0);
    ui.strong("Retention: change in monthly leave probability");
    leave_change(ui, s, Cohort::Nqsw, "NQSW");
    leave_change(ui, s, Cohort::EarlyCareer, "Early career");
    leave_change(ui, s, Cohort::Experienced, "Experienced");
    leave_change(ui, s, Cohort::Agency, "Agency");
    ui.add_space(6.0);
    ui.strong("Posts, demand and pay");
    let mut est = s
        .levers
        .establishment_changes
        .first()
        .map_or(0.0, |e| e.change_fte);
    if ui
        .add(
            egui::Slider::new(&mut est, -30.0..=30.0)
                .step_by(0.5)
                .text("Establishment change (FTE, from next month)"),
        )
        .accessible_name("Establishment change")
        .changed()
    {
        s.levers.establishment_changes.clear();
        if let (true, Some(start)) = (est != 0.0, model.latest_month()) {
            s.levers.establishment_changes.push(EstablishmentChange {
                from: start + 1,
                change_fte: est,
            });
        }
    }
    optional(
        ui,
        "Demand growth (% a year)",
        &mut s.levers.demand_growth_pct_per_year,
        -10.0..=25.0,
        3.0,
    );
    optional(
        ui,
        "Permanent annual cost per FTE (£)",
        &mut s.levers.permanent_annual_cost,
        30_000.0..=90_000.0,
        52_000.0,
    );
    ui.horizontal(|ui| {
        ui.label("Seed");
        ui.add(egui::DragValue::new(&mut s.seed))
            .accessible_name("Seed");
    });
}

/// The calibration in its own panel under the results, scrolling on its
/// own, so opening it never widens the levers or pushes the chart away.
/// Each parameter is named in plain words; the name an override file
/// uses is in the hover text.
fn calibration_panel(ui: &mut egui::Ui, st: &mut ScenarioUi) {
    let Some((_, cal)) = &st.calibration else {
        return;
    };
    let params = cal.params.clone();
    let (from, to) = (cal.from, cal.to);
    let max = (ui.available_height() * 0.45).max(120.0);
    egui::Panel::bottom("scenario calibration")
        .resizable(true)
        .default_size(max.min(240.0))
        .max_size(max)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(format!(
                    "Calibration: what the history from {from} to {to} says"
                ));
                if ui.button("Close").clicked() {
                    st.show_calibration = false;
                }
            });
            egui::ScrollArea::vertical()
                .id_salt("calibration scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    // A parameter a row: its name, the data's figure and
                    // your own, then what it was counted from, wrapped to
                    // the panel (a four-column grid overflowed it).
                    for (i, p) in params.iter().enumerate() {
                        if i > 0 {
                            ui.separator();
                        }
                        calibration_row(ui, st, p);
                    }
                });
        });
}

fn calibration_row(ui: &mut egui::Ui, st: &mut ScenarioUi, p: &crate::scenario::calibrate::Param) {
    let key = p.key();
    let label = p.label();
    ui.horizontal_wrapped(|ui| {
        ui.strong(&label)
            .on_hover_text(format!("In scenario files: {key}"));
        ui.label(format!("from the data: {}", p.value_text()));
        if p.informational() {
            ui.weak("(reported only: changing it would change nothing)");
            return;
        }
        let mut on = st.draft.overrides.contains_key(&key);
        if ui
            .checkbox(&mut on, "use my figure")
            .accessible_name(format!("Use my own figure: {label}"))
            .changed()
        {
            if on {
                st.draft.overrides.insert(key.clone(), p.value.max(0.0));
            } else {
                st.draft.overrides.remove(&key);
            }
        }
        if let Some(v) = st.draft.overrides.get_mut(&key) {
            ui.add(egui::DragValue::new(v).speed(0.001).range(0.0..=f64::MAX))
                .accessible_name(format!("My figure: {label}"));
        }
    });
    ui.add(egui::Label::new(egui::RichText::new(&p.evidence).weak()).wrap());
}

fn horizons_table(ui: &mut egui::Ui, model: &Model, st: &ScenarioUi, path: &Path) {
    let bands = st.current_bands();
    let rows = bands.and_then(|p| {
        compare::compare(
            &[(st.draft.name.as_str(), p)],
            &model.settings.targets,
            &DEFAULT_HORIZONS,
        )
        .ok()
    });
    egui::Grid::new("scenario horizons")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            ui.strong("Measure");
            for h in DEFAULT_HORIZONS {
                ui.strong(format!("{h} months"));
            }
            ui.strong("On target from (P50)");
            ui.end_row();
            for measure in crate::scenario::compared() {
                let metric = measure.name();
                let Some(k) = metric_index(metric) else {
                    continue;
                };
                let m = measure.entry();
                ui.label(m.label);
                for h in DEFAULT_HORIZONS {
                    let expected = path
                        .values
                        .get(h - 1)
                        .map(|v| v[k])
                        .filter(|v| v.is_finite());
                    let p50 = bands
                        .and_then(|p| p.p50.get(h - 1))
                        .map(|v| v[k])
                        .filter(|v| v.is_finite());
                    // Two short lines rather than one long one, so the
                    // table keeps its last column at 1024 pixels.
                    ui.vertical(|ui| {
                        ui.label(expected.map_or("—".into(), |e| m.unit.format(e)));
                        if let Some(p) = p50 {
                            ui.label(
                                egui::RichText::new(format!("P50 {}", m.unit.format(p))).small(),
                            );
                        }
                    });
                }
                let first = rows
                    .as_ref()
                    .and_then(|r| r.iter().find(|r| r.metric == *metric))
                    .map_or("…".to_string(), |r| r.first_on_target_text());
                ui.label(first);
                ui.end_row();
            }
        });
}

fn comparison(ui: &mut egui::Ui, model: &Model, st: &mut ScenarioUi, cmds: &mut Vec<Command>) {
    ui.strong(format!("Compare saved scenarios (up to {MAX_SCENARIOS})"));
    ui.horizontal_wrapped(|ui| {
        for n in &st.names {
            let mut on = st.compare.contains(n);
            let full = st.compare.len() >= MAX_SCENARIOS && !on;
            if ui
                .add_enabled(!full, egui::Checkbox::new(&mut on, n))
                .changed()
            {
                if on {
                    st.compare.push(n.clone());
                } else {
                    st.compare.retain(|c| c != n);
                }
            }
        }
    });
    if ui
        .add_enabled(!st.compare.is_empty(), egui::Button::new("Compare"))
        .clicked()
    {
        cmds.push(Command::CompareScenarios(st.compare.clone()));
    }
    let Some((names, done)) = &st.compared else {
        return;
    };
    let compared = crate::scenario::compared();
    let metric = compared[st.metric].name();
    let month = model.latest_month().unwrap_or(Month(0));
    let team = crate::report::chart::common_team(done);
    let mut spec =
        ChartSpec::for_scenarios(&model.metrics, &model.settings, (done, team), metric, month);
    spec.title = format!("{} — {}", spec.title, names.join(", "));
    charts::show_spec(ui, "scenario comparison", &spec, 260.0, 2.5);
    let items: Vec<(&str, &Projection)> = done.iter().map(|(s, p)| (s.name.as_str(), p)).collect();
    if let Ok(rows) = compare::compare(&items, &model.settings.targets, &DEFAULT_HORIZONS) {
        egui::Grid::new("scenario comparison table")
            .striped(true)
            .show(ui, |ui| {
                ui.strong("Scenario");
                for h in DEFAULT_HORIZONS {
                    ui.strong(format!("{h} months (P50)"));
                }
                ui.strong("First month on target");
                ui.end_row();
                let unit = measure(metric).map_or(Unit::Fte, |m| m.unit);
                for r in rows.iter().filter(|r| r.metric == metric) {
                    ui.label(&r.scenario);
                    for (_, v) in &r.at {
                        ui.label(v.map_or("—".into(), |v| unit.format(v)));
                    }
                    ui.label(r.first_on_target_text());
                    ui.end_row();
                }
            });
    }
}

/// A failed job is not started again by itself: this asks for it.
fn try_again(ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
    if ui
        .button("Try again")
        .on_hover_text("Start the failed work again for these levers")
        .clicked()
    {
        cmds.push(Command::RetryScenario);
    }
}

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    st: &mut ScenarioUi,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Scenarios");
        egui::ComboBox::from_label("Open")
            .selected_text(st.opened.clone().unwrap_or_else(|| "(not saved)".into()))
            .show_ui(ui, |ui| {
                for n in &st.names {
                    if ui
                        .selectable_label(st.opened.as_deref() == Some(n), n)
                        .clicked()
                    {
                        cmds.push(Command::OpenScenario(n.clone()));
                    }
                }
            });
        ui.label("Name");
        ui.add(egui::TextEdit::singleline(&mut st.draft.name).desired_width(180.0))
            .accessible_name("Scenario name");
        if ui.button("Save").clicked() {
            cmds.push(Command::SaveScenario);
        }
        if ui.button("New").clicked() {
            cmds.push(Command::NewScenario);
        }
        ui.separator();
        ui.add(
            egui::TextEdit::singleline(&mut st.new_name)
                .desired_width(140.0)
                .hint_text("new name"),
        )
        .accessible_name("New name");
        let has = st.opened.is_some() && !st.new_name.trim().is_empty();
        if ui
            .add_enabled(has, egui::Button::new("Duplicate"))
            .clicked()
        {
            cmds.push(Command::DuplicateScenario);
        }
        if ui.add_enabled(has, egui::Button::new("Rename")).clicked() {
            cmds.push(Command::RenameScenario);
        }
    });
    if let Some(p) = &st.problem {
        ui.colored_label(ui.visuals().error_fg_color, p);
    }
    ui.separator();
    let plan = st.plan();
    egui::Panel::left("scenario levers")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("levers")
                .show(ui, |ui| levers(ui, model, st));
        });
    if model.latest_month().is_none() {
        ui.heading("There is no data to calibrate from");
        ui.label(
            "Scenarios start from the latest workforce snapshot and learn their rates from the months before it. Import workforce snapshots in the Import view first.",
        );
        return;
    }
    if st.show_calibration {
        calibration_panel(ui, st);
    }
    egui::ScrollArea::vertical()
        .id_salt("scenario results")
        .show(ui, |ui| {
            let plan = match plan {
                Ok(Some(p)) => p,
                Ok(None) => {
                    match st.calibration_failure() {
                        Some(e) => {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                format!("The calibration failed: {e}"),
                            );
                            try_again(ui, cmds);
                        }
                        None => {
                            ui.horizontal(|ui| {
                                ui.spinner();
                                ui.label("Calibrating from the workspace's history…");
                            });
                        }
                    }
                    return;
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    return;
                }
            };
            let path = expected_path(&plan);
            let compared = crate::scenario::compared();
            ui.horizontal(|ui| {
                egui::ComboBox::from_label("Measure")
                    .selected_text(compared[st.metric].label())
                    .show_ui(ui, |ui| {
                        for (i, m) in compared.iter().enumerate() {
                            ui.selectable_value(&mut st.metric, i, m.label());
                        }
                    });
                ui.toggle_value(&mut st.show_calibration, "Calibration")
                    .on_hover_text("The rates and starting figures learnt from the history, with what they were counted from; you can put your own figure in their place");
                if st.current_bands().is_some() {
                    ui.label(format!(
                        "Bands: {RUNS} Monte Carlo runs, seed {}",
                        st.draft.seed
                    ));
                } else if st.sim_failure().is_some() {
                    ui.colored_label(ui.visuals().error_fg_color, "The Monte Carlo failed.");
                    try_again(ui, cmds);
                } else if busy {
                    ui.spinner();
                    ui.label("Running the Monte Carlo…");
                } else {
                    ui.label("The bands follow when the slider is released.");
                }
            });
            // Why, below the row, where a long message can wrap.
            if let Some(e) = st.sim_failure() {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let spec = chart(
                model,
                st,
                (&path, Some(plan.start_values())),
                compared[st.metric].name(),
            );
            charts::show_spec(ui, "scenario chart", &spec, 300.0, 2.5);
            horizons_table(ui, model, st, &path);
            ui.separator();
            comparison(ui, model, st, cmds);
        });
}
