//! The improvement plan: items grouped by window with their RAG as of a
//! date, lead, due date and linked measures' attainment; status, evidence,
//! items, events and the start changed here. Every change is a
//! [`PlanCommand`] stored through the plan store on a background job (so
//! it is atomic, in history and undone by Ctrl+Z); this view only keeps
//! drafts.

use super::jobs::JobKind;
use super::model::{Model, PlanState};
use super::state::{Command, PlanCommand};
use super::{Confirm, KeelApp, Notice};
use crate::measure::Measure;
use crate::month::Month;
use crate::plan::{Attainment, Event, Item, Link, Plan, Rag, Status, Window, edit, store};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use eframe::egui;
use egui::{Color32, RichText};

/// The Plan view's drafts and filters (not kept between runs).
#[derive(Default)]
pub struct PlanUi {
    /// The as-at date as typed; empty means today.
    as_at: String,
    overdue_only: bool,
    lead: Option<String>,
    note: Option<NoteDraft>,
    editing: Option<ItemDraft>,
    new_event: EventDraft,
    editing_event: Option<(Event, EventDraft)>,
    start_edit: Option<String>,
    /// The empty state's start date, and the import's path and start.
    new_start: String,
    import_path: String,
    import_start: String,
    /// The last change refused, shown until the next one is stored.
    error: Option<String>,
}

impl PlanUi {
    /// A change was stored: the drafts that asked for it are done with.
    fn stored(&mut self) {
        self.note = None;
        self.editing = None;
        self.new_event = EventDraft::default();
        self.editing_event = None;
        self.start_edit = None;
        self.new_start.clear();
        self.import_path.clear();
        self.import_start.clear();
        self.error = None;
    }
}

struct NoteDraft {
    reference: String,
    date: String,
    text: String,
}

#[derive(Clone, Default)]
struct EventDraft {
    date: String,
    label: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Timing {
    Window(Window),
    Due,
    Undated,
}

struct LinkDraft {
    measure: Measure,
    target: String,
    by: String,
}

struct ItemDraft {
    /// The reference of the item edited; `None` for a new one.
    original: Option<String>,
    /// What the editor does not change (status, its date, evidence).
    base: Item,
    reference: String,
    title: String,
    timing: Timing,
    due: String,
    lead: String,
    links: Vec<LinkDraft>,
    problem: Option<String>,
}

impl ItemDraft {
    fn new(plan: &Plan) -> ItemDraft {
        let reference = (plan.items.len() + 1..)
            .map(|n| format!("R{n}"))
            .find(|r| plan.item(r).is_none())
            .unwrap_or_default();
        let base = Item {
            reference: reference.clone(),
            title: String::new(),
            window: Some(Window::ThreeMonths),
            due: None,
            lead: String::new(),
            status: Status::NotStarted,
            status_date: None,
            evidence: vec![],
            measures: vec![],
        };
        ItemDraft {
            original: None,
            ..ItemDraft::of(&base)
        }
    }

    fn of(item: &Item) -> ItemDraft {
        let timing = match (item.due, item.window) {
            (Some(_), _) => Timing::Due,
            (None, Some(w)) => Timing::Window(w),
            (None, None) => Timing::Undated,
        };
        ItemDraft {
            original: Some(item.reference.clone()),
            base: item.clone(),
            reference: item.reference.clone(),
            title: item.title.clone(),
            timing,
            due: item.due.map(show_date).unwrap_or_default(),
            lead: item.lead.clone(),
            links: item
                .measures
                .iter()
                .filter_map(|l| {
                    Some(LinkDraft {
                        measure: l.measure()?,
                        target: plain_number(l.target),
                        by: l.by.to_string(),
                    })
                })
                .collect(),
            problem: None,
        }
    }

    /// The item as drafted, or what is wrong with it.
    fn item(&self) -> Result<Item, String> {
        let (window, due) = match self.timing {
            Timing::Window(w) => (Some(w), None),
            Timing::Undated => (None, None),
            Timing::Due => match parse_date(&self.due) {
                Some(d) => (None, Some(d)),
                None => {
                    return Err(format!(
                        "'{}' is not a due date: write it as dd/mm/yyyy",
                        self.due.trim()
                    ));
                }
            },
        };
        let mut measures = Vec::new();
        for l in &self.links {
            let label = l.measure.label();
            let target = parse_number(&l.target).ok_or_else(|| {
                format!(
                    "the target for {label} must be a number (not '{}')",
                    l.target.trim()
                )
            })?;
            let by = parse_month(&l.by).ok_or_else(|| {
                format!(
                    "the by-month for {label} must be written yyyy-mm (not '{}')",
                    l.by.trim()
                )
            })?;
            measures.push(Link {
                measure: l.measure.name().to_string(),
                target,
                by,
            });
        }
        Ok(Item {
            reference: self.reference.clone(),
            title: self.title.clone(),
            window,
            due,
            lead: self.lead.clone(),
            measures,
            ..self.base.clone()
        })
    }
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A date as councils write it (dd/mm/yyyy), or as ISO.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .ok()
}

fn parse_month(text: &str) -> Option<Month> {
    let t = text.trim();
    t.parse().ok().or_else(|| {
        NaiveDate::parse_from_str(&format!("01/{t}"), "%d/%m/%Y")
            .ok()
            .map(Month::of)
    })
}

/// A number as typed, allowing a trailing `%`.
fn parse_number(text: &str) -> Option<f64> {
    text.trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
}

fn plain_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The settings' target for `m`, as a starting value to edit.
fn default_target(model: &Model, m: Measure) -> String {
    model
        .settings
        .targets
        .get(m.name())
        .map_or(String::new(), |t| plain_number(t.value))
}

fn show_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn show_month(m: Month) -> String {
    m.first_day().format("%b %Y").to_string()
}

/// The fill and text colours of a RAG badge: the same in both themes, so
/// the badge reads alike on a projector and on screen.
fn rag_colors(rag: Rag) -> (Color32, Color32) {
    match rag {
        Rag::Overdue => (Color32::from_rgb(190, 30, 45), Color32::WHITE),
        Rag::DueSoon => (Color32::from_rgb(245, 170, 0), Color32::BLACK),
        Rag::OnTrack => (Color32::from_rgb(0, 120, 60), Color32::WHITE),
        Rag::Done => (Color32::from_rgb(40, 80, 160), Color32::WHITE),
        Rag::Dropped => (Color32::from_rgb(110, 110, 110), Color32::WHITE),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The RAG as a coloured badge with its word, so it does not rest on
/// colour alone.
fn badge(ui: &mut egui::Ui, rag: Rag) {
    let (fill, text) = rag_colors(rag);
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(capitalised(rag.name())).color(text).strong());
        });
}

/// Which heading an item is listed under: its window, unless it has its
/// own due date (which wins over the window).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Window(Window),
    Dated,
    Undated,
}

fn group_of(item: &Item) -> Group {
    match (item.due, item.window) {
        (Some(_), _) => Group::Dated,
        (None, Some(w)) => Group::Window(w),
        (None, None) => Group::Undated,
    }
}

fn group_heading(g: Group, plan: &Plan) -> String {
    match g {
        Group::Window(Window::Immediate) => format!(
            "Immediate — due {}",
            show_date(Window::Immediate.due_from(plan.start))
        ),
        Group::Window(w) => format!(
            "Within {} — due {}",
            w.name(),
            show_date(w.due_from(plan.start))
        ),
        Group::Dated => "With their own due dates".into(),
        Group::Undated => "No due date".into(),
    }
}

fn attainment_text(a: Attainment, link: &Link) -> String {
    a.describe_in(link.measure().map(|m| m.unit()))
}

fn attainment_color(a: Attainment, dark: bool) -> Option<Color32> {
    let good = if dark {
        Color32::from_rgb(90, 200, 120)
    } else {
        Color32::from_rgb(0, 120, 60)
    };
    let bad = if dark {
        Color32::from_rgb(255, 120, 110)
    } else {
        Color32::from_rgb(190, 30, 45)
    };
    match a {
        Attainment::Met | Attainment::OnCourse => Some(good),
        Attainment::Missed(_) | Attainment::OffCourse => Some(bad),
        Attainment::Unknown => None,
    }
}

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    st: &mut PlanUi,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    ui.heading("Improvement plan");
    if let Some(e) = &st.error {
        let mut dismiss = false;
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, ui.visuals().error_fg_color))
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                ui.colored_label(ui.visuals().error_fg_color, "The plan was not changed:");
                egui::ScrollArea::vertical()
                    .id_salt("plan error")
                    .max_height(140.0)
                    .show(ui, |ui| ui.label(e));
                dismiss = ui.button("Dismiss").clicked();
            });
        if dismiss {
            st.error = None;
        }
    }
    let plan = match &model.plan.plan {
        Err(e) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("The plan cannot be read: {e}"),
            );
            ui.label("Undo the last plan change (Ctrl+Z), or import the plan again to replace it.");
            import_row(ui, st, busy, cmds);
            return;
        }
        Ok(None) => return empty(ui, st, busy, cmds),
        Ok(Some(p)) => p,
    };
    let as_at = toolbar(ui, plan, st, busy);
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("plan items")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            items(ui, model, plan, as_at, st, busy, cmds);
            ui.add_space(10.0);
            events(ui, plan, st, busy, cmds);
            ui.add_space(10.0);
            settings(ui, plan, st, busy, cmds);
        });
    if st.editing.is_some() {
        editor(ui, model, plan, st, busy, cmds);
    }
}

/// The as-at date, filters and counts; returns the as-at date.
fn toolbar(ui: &mut egui::Ui, plan: &Plan, st: &mut PlanUi, busy: bool) -> NaiveDate {
    let typed = parse_date(&st.as_at);
    let as_at = typed.unwrap_or_else(today);
    ui.horizontal_wrapped(|ui| {
        ui.label("As at");
        ui.add(
            egui::TextEdit::singleline(&mut st.as_at)
                .hint_text(show_date(today()))
                .desired_width(90.0),
        )
        .accessible_name("As at")
        .on_hover_text("The date the RAG is worked out for (dd/mm/yyyy); empty: today. Status changes and notes are dated with it.");
        if !st.as_at.trim().is_empty() && typed.is_none() {
            ui.colored_label(ui.visuals().error_fg_color, "not a date (dd/mm/yyyy): today is used");
        }
        ui.separator();
        ui.checkbox(&mut st.overdue_only, "Overdue only");
        let mut leads: Vec<&str> = plan
            .items
            .iter()
            .map(|i| i.lead.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        leads.sort_unstable();
        leads.dedup();
        if st.lead.as_deref().is_some_and(|l| !leads.contains(&l)) {
            st.lead = None;
        }
        egui::ComboBox::from_label("Lead")
            .selected_text(st.lead.clone().unwrap_or_else(|| "All leads".into()))
            .width(200.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut st.lead, None, "All leads");
                for l in leads {
                    ui.selectable_value(&mut st.lead, Some(l.to_string()), l);
                }
            });
        ui.separator();
        if ui
            .add_enabled(!busy, egui::Button::new("Add item…"))
            .on_hover_text("A new recommendation or action")
            .clicked()
        {
            st.editing = Some(ItemDraft::new(plan));
        }
    });
    let mut counts = std::collections::BTreeMap::new();
    for i in &plan.items {
        *counts
            .entry(crate::plan::rag(i, plan.start, as_at).name())
            .or_insert(0usize) += 1;
    }
    let parts: Vec<String> = [
        Rag::Overdue,
        Rag::DueSoon,
        Rag::OnTrack,
        Rag::Done,
        Rag::Dropped,
    ]
    .iter()
    .filter_map(|r| counts.get(r.name()).map(|n| format!("{n} {}", r.name())))
    .collect();
    ui.label(format!(
        "As at {}: {} item(s){}{} · started {}",
        show_date(as_at),
        plan.items.len(),
        if parts.is_empty() { "" } else { " — " },
        parts.join(", "),
        show_date(plan.start)
    ));
    as_at
}

#[allow(clippy::too_many_arguments)]
fn items(
    ui: &mut egui::Ui,
    model: &Model,
    plan: &Plan,
    as_at: NaiveDate,
    st: &mut PlanUi,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    let shown: Vec<&Item> = plan
        .items
        .iter()
        .filter(|i| !st.overdue_only || crate::plan::rag(i, plan.start, as_at) == Rag::Overdue)
        .filter(|i| st.lead.as_ref().is_none_or(|l| i.lead == *l))
        .collect();
    if plan.items.is_empty() {
        ui.label("The plan has no items yet: add the first with \"Add item…\".");
        return;
    }
    if shown.is_empty() {
        ui.label("No item matches the filters.");
        return;
    }
    let mut groups: Vec<Group> = shown.iter().map(|i| group_of(i)).collect();
    groups.sort();
    groups.dedup();
    for g in groups {
        ui.add_space(6.0);
        ui.strong(group_heading(g, plan));
        for item in shown.iter().filter(|i| group_of(i) == g) {
            item_block(ui, model, plan, item, as_at, st, busy, cmds);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn item_block(
    ui: &mut egui::Ui,
    model: &Model,
    plan: &Plan,
    item: &Item,
    as_at: NaiveDate,
    st: &mut PlanUi,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    let r = &item.reference;
    let rag = crate::plan::rag(item, plan.start, as_at);
    let dark = ui.visuals().dark_mode;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_min_width(ui.available_width());
        ui.horizontal_top(|ui| {
            badge(ui, rag);
            ui.strong(r);
            ui.add(egui::Label::new(&item.title).wrap());
        });
        ui.horizontal_wrapped(|ui| {
            let lead = if item.lead.is_empty() {
                "no lead"
            } else {
                &item.lead
            };
            ui.label(format!("Lead: {lead}"));
            ui.separator();
            match item.due_date(plan.start) {
                Some(d) => ui.label(format!("Due {}", show_date(d))),
                None => ui.label("No due date"),
            };
            ui.separator();
            let now = item.status_at(as_at);
            let mut chosen = None;
            ui.label("Status");
            egui::ComboBox::from_id_salt(("plan status", r))
                .selected_text(now.name())
                .show_ui(ui, |ui| {
                    for s in Status::ALL {
                        if ui.selectable_label(s == now, s.name()).clicked() && s != now {
                            chosen = Some(s);
                        }
                    }
                })
                .response
                .accessible_name(format!("Status of {r}"))
                .on_hover_text(format!(
                    "A change is dated {} (the as-at date)",
                    show_date(as_at)
                ));
            // Sent even while another change runs: the job registry then
            // refuses it with a notice, rather than the choice vanishing.
            if let Some(status) = chosen {
                cmds.push(Command::Plan(PlanCommand::SetStatus {
                    reference: r.clone(),
                    status,
                    date: as_at,
                }));
            }
            if let Some(d) = item.status_date.filter(|d| *d <= as_at) {
                ui.weak(format!("since {}", show_date(d)));
            }
            ui.separator();
            let noting = st.note.as_ref().is_some_and(|n| n.reference == *r);
            if ui
                .add_enabled(!noting, egui::Button::new("Add note…"))
                .accessible_name(format!("Add note to {r}"))
                .on_hover_text("A dated note of what was done (evidence)")
                .clicked()
            {
                st.note = Some(NoteDraft {
                    reference: r.clone(),
                    date: show_date(as_at),
                    text: String::new(),
                });
            }
            if ui
                .add_enabled(!busy, egui::Button::new("Edit…"))
                .accessible_name(format!("Edit {r}"))
                .clicked()
            {
                st.editing = Some(ItemDraft::of(item));
            }
            if ui
                .add_enabled(!busy, egui::Button::new("Remove…"))
                .accessible_name(format!("Remove {r}"))
                .clicked()
            {
                cmds.push(Command::Plan(PlanCommand::AskRemoveItem(r.clone())));
            }
        });
        for link in &item.measures {
            link_line(ui, model, link, dark);
        }
        evidence(ui, item);
        note_editor(ui, st, r, busy, cmds);
    });
}

/// A linked measure: its target and by-month, the whole service's figure
/// and whether it was met or is on course.
fn link_line(ui: &mut egui::Ui, model: &Model, link: &Link, dark: bool) {
    let (actual, state) = crate::plan::attainment(link, &model.metrics);
    let m = link.measure();
    let label = m.map_or(link.measure.as_str(), |m| m.label());
    let fmt = |v: f64| m.map_or_else(|| v.to_string(), |m| m.unit().format(v));
    ui.horizontal_wrapped(|ui| {
        ui.add_space(18.0);
        ui.label(format!(
            "{label}: target {} by {}",
            fmt(link.target),
            show_month(link.by)
        ));
        ui.separator();
        match actual {
            Some((month, v)) => ui.label(format!("actual {} ({})", fmt(v), show_month(month))),
            None => ui.weak("no figure held"),
        };
        ui.separator();
        let text = attainment_text(state, link);
        match attainment_color(state, dark) {
            Some(c) => ui.label(RichText::new(text).color(c).strong()),
            None => ui.weak(text),
        };
    });
}

fn evidence(ui: &mut egui::Ui, item: &Item) {
    let Some(last) = item.evidence.last() else {
        return;
    };
    let line = |e: &crate::plan::Evidence| format!("{} — {}", show_date(e.date), e.text);
    if item.evidence.len() == 1 {
        ui.add(egui::Label::new(RichText::new(format!("Evidence: {}", line(last))).weak()).wrap());
        return;
    }
    egui::CollapsingHeader::new(format!(
        "Evidence ({} notes, latest {})",
        item.evidence.len(),
        show_date(last.date)
    ))
    .id_salt(("plan evidence", &item.reference))
    .show(ui, |ui| {
        for e in item.evidence.iter().rev() {
            ui.add(egui::Label::new(line(e)).wrap());
        }
    });
}

fn note_editor(
    ui: &mut egui::Ui,
    st: &mut PlanUi,
    reference: &str,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    let Some(note) = st.note.as_mut().filter(|n| n.reference == reference) else {
        return;
    };
    let mut close = false;
    ui.horizontal_wrapped(|ui| {
        ui.label("Dated");
        ui.add(egui::TextEdit::singleline(&mut note.date).desired_width(90.0))
            .accessible_name("Note date");
        ui.add(
            egui::TextEdit::singleline(&mut note.text)
                .hint_text("What was done, and where the evidence is")
                .desired_width(ui.available_width().clamp(200.0, 480.0)),
        )
        .accessible_name("Evidence note");
        let date = parse_date(&note.date);
        let ready = date.is_some() && !note.text.trim().is_empty() && !busy;
        if ui
            .add_enabled(ready, egui::Button::new("Add note"))
            .on_disabled_hover_text("Write the note and a date (dd/mm/yyyy)")
            .clicked()
            && let Some(date) = date
        {
            cmds.push(Command::Plan(PlanCommand::AddEvidence {
                reference: reference.to_string(),
                date,
                text: note.text.trim().to_string(),
            }));
        }
        close = ui.button("Cancel").clicked();
    });
    if close {
        st.note = None;
    }
}

fn events(ui: &mut egui::Ui, plan: &Plan, st: &mut PlanUi, busy: bool, cmds: &mut Vec<Command>) {
    ui.strong("Events (marked on the dashboard's charts)");
    if plan.events.is_empty() {
        ui.weak("No events yet: the inspection, the peer review, scrutiny meetings…");
    }
    egui::Grid::new("plan events")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for e in &plan.events {
                let editing = st.editing_event.as_mut().filter(|(o, _)| o == e);
                if let Some((_, draft)) = editing {
                    ui.add(egui::TextEdit::singleline(&mut draft.date).desired_width(90.0))
                        .accessible_name("Event date");
                    ui.add(egui::TextEdit::singleline(&mut draft.label).desired_width(260.0))
                        .accessible_name("Event label");
                    let mut cancel = false;
                    ui.horizontal(|ui| {
                        let date = parse_date(&draft.date);
                        if ui
                            .add_enabled(
                                date.is_some() && !draft.label.trim().is_empty() && !busy,
                                egui::Button::new("Save event"),
                            )
                            .on_disabled_hover_text("A date (dd/mm/yyyy) and a label")
                            .clicked()
                            && let Some(date) = date
                        {
                            cmds.push(Command::Plan(PlanCommand::SaveEvent {
                                original: Some(e.clone()),
                                event: Event {
                                    date,
                                    label: draft.label.clone(),
                                },
                            }));
                        }
                        cancel = ui.button("Cancel").clicked();
                    });
                    if cancel {
                        st.editing_event = None;
                    }
                } else {
                    ui.label(show_date(e.date));
                    ui.label(&e.label);
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(!busy, egui::Button::new("Edit"))
                            .accessible_name(format!("Edit event {}", e.label))
                            .clicked()
                        {
                            st.editing_event = Some((
                                e.clone(),
                                EventDraft {
                                    date: show_date(e.date),
                                    label: e.label.clone(),
                                },
                            ));
                        }
                        if ui
                            .add_enabled(!busy, egui::Button::new("Remove"))
                            .accessible_name(format!("Remove event {}", e.label))
                            .on_hover_text("Ctrl+Z brings it back")
                            .clicked()
                        {
                            cmds.push(Command::Plan(PlanCommand::RemoveEvent(e.clone())));
                        }
                    });
                }
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        let d = &mut st.new_event;
        ui.label("New event on");
        ui.add(
            egui::TextEdit::singleline(&mut d.date)
                .hint_text("dd/mm/yyyy")
                .desired_width(90.0),
        )
        .accessible_name("New event date");
        ui.add(
            egui::TextEdit::singleline(&mut d.label)
                .hint_text("Peer review")
                .desired_width(220.0),
        )
        .accessible_name("New event label");
        let date = parse_date(&d.date);
        if ui
            .add_enabled(
                date.is_some() && !d.label.trim().is_empty() && !busy,
                egui::Button::new("Add event"),
            )
            .on_disabled_hover_text("A date (dd/mm/yyyy) and a label")
            .clicked()
            && let Some(date) = date
        {
            cmds.push(Command::Plan(PlanCommand::SaveEvent {
                original: None,
                event: Event {
                    date,
                    label: d.label.clone(),
                },
            }));
        }
    });
}

/// The plan's start, and replacing the plan from a file.
fn settings(ui: &mut egui::Ui, plan: &Plan, st: &mut PlanUi, busy: bool, cmds: &mut Vec<Command>) {
    ui.strong("The plan");
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "Started {} (the inspection report's date): the windows count from it.",
            show_date(plan.start)
        ));
        match &mut st.start_edit {
            None => {
                if ui
                    .add_enabled(!busy, egui::Button::new("Change start…"))
                    .clicked()
                {
                    st.start_edit = Some(show_date(plan.start));
                }
            }
            Some(text) => {
                ui.add(egui::TextEdit::singleline(text).desired_width(90.0))
                    .accessible_name("Plan start");
                let date = parse_date(text);
                if ui
                    .add_enabled(date.is_some() && !busy, egui::Button::new("Save start"))
                    .on_disabled_hover_text("A date (dd/mm/yyyy)")
                    .clicked()
                    && let Some(d) = date
                {
                    cmds.push(Command::Plan(PlanCommand::SetStart(d)));
                }
                if ui.button("Cancel").clicked() {
                    st.start_edit = None;
                }
            }
        }
    });
    ui.add_space(4.0);
    ui.label("Replace the plan with one from a spreadsheet (the plan held now stays in history; Ctrl+Z brings it back):");
    import_row(ui, st, busy, cmds);
}

/// "Import a plan…" with the file dialog, and a path field for when no
/// dialog can open (no desktop portal).
fn import_row(ui: &mut egui::Ui, st: &mut PlanUi, busy: bool, cmds: &mut Vec<Command>) {
    let start = parse_date(&st.import_start);
    let start_ok = st.import_start.trim().is_empty() || start.is_some();
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(!busy && start_ok, egui::Button::new("Import a plan…"))
            .on_hover_text("Choose a CSV or Excel plan (headers such as Ref, Recommendation, Timescale, Lead, Status, Measure, Target)")
            .clicked()
        {
            cmds.push(Command::Plan(PlanCommand::Pick { start }));
        }
        ui.label("or its path:");
        ui.add(
            egui::TextEdit::singleline(&mut st.import_path)
                .hint_text("/path/to/plan.xlsx")
                .desired_width(260.0),
        )
        .accessible_name("Plan file path");
        ui.label("start");
        ui.add(
            egui::TextEdit::singleline(&mut st.import_start)
                .hint_text("dd/mm/yyyy")
                .desired_width(90.0),
        )
        .accessible_name("Plan start for the import")
        .on_hover_text("Needed only when the file states no start (a Plan Start column) and not every item has a due date");
        if !start_ok {
            ui.colored_label(ui.visuals().error_fg_color, "not a date");
        }
        let path = st.import_path.trim();
        if ui
            .add_enabled(
                !busy && start_ok && !path.is_empty(),
                egui::Button::new("Import this file"),
            )
            .clicked()
        {
            cmds.push(Command::Plan(PlanCommand::Import {
                path: path.into(),
                start,
            }));
        }
    });
}

fn empty(ui: &mut egui::Ui, st: &mut PlanUi, busy: bool, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("No improvement plan yet").strong().size(16.0));
    ui.label("Import the council's plan from its spreadsheet, or start one here and add its recommendations.");
    ui.add_space(8.0);
    import_row(ui, st, busy, cmds);
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        ui.label("Start a plan on");
        ui.add(
            egui::TextEdit::singleline(&mut st.new_start)
                .hint_text("dd/mm/yyyy")
                .desired_width(90.0),
        )
        .accessible_name("New plan start")
        .on_hover_text("The inspection report's date: the immediate, 3-month and 6-month windows count from it");
        let date = parse_date(&st.new_start);
        if ui
            .add_enabled(date.is_some() && !busy, egui::Button::new("Start a plan"))
            .on_disabled_hover_text("Write the plan's start date (dd/mm/yyyy) first")
            .clicked()
            && let Some(d) = date
        {
            cmds.push(Command::Plan(PlanCommand::Start(d)));
        }
    });
}

/// The item editor, as a modal: reference, text, timing, lead and linked
/// measures.
fn editor(
    ui: &mut egui::Ui,
    model: &Model,
    plan: &Plan,
    st: &mut PlanUi,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    let Some(d) = st.editing.as_mut() else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("plan item editor")).show(ui.ctx(), |ui| {
        ui.set_width(620.0_f32.min(ui.ctx().content_rect().width() - 60.0));
        ui.heading(match &d.original {
            Some(r) => format!("Edit {r}"),
            None => "Add an item".into(),
        });
        egui::Grid::new("plan item fields")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                ui.label("Reference");
                ui.add(egui::TextEdit::singleline(&mut d.reference).desired_width(80.0))
                    .accessible_name("Reference");
                ui.end_row();
                ui.label("Recommendation");
                ui.add(
                    egui::TextEdit::multiline(&mut d.title)
                        .desired_rows(2)
                        .desired_width(460.0),
                )
                .accessible_name("Recommendation");
                ui.end_row();
                ui.label("Due");
                ui.vertical(|ui| {
                    ui.horizontal_wrapped(|ui| {
                        for w in Window::ALL {
                            ui.radio_value(
                                &mut d.timing,
                                Timing::Window(w),
                                format!("{} ({})", w.name(), show_date(w.due_from(plan.start))),
                            );
                        }
                    });
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut d.timing, Timing::Due, "on");
                        ui.add_enabled(
                            d.timing == Timing::Due,
                            egui::TextEdit::singleline(&mut d.due)
                                .hint_text("dd/mm/yyyy")
                                .desired_width(90.0),
                        )
                        .accessible_name("Due date");
                        ui.radio_value(&mut d.timing, Timing::Undated, "no due date");
                    });
                });
                ui.end_row();
                ui.label("Lead");
                ui.add(
                    egui::TextEdit::singleline(&mut d.lead)
                        .hint_text("a role, such as Head of Safeguarding")
                        .desired_width(260.0),
                )
                .accessible_name("Lead")
                .on_hover_text("A role, never a person's name");
                ui.end_row();
            });
        ui.add_space(4.0);
        ui.strong("Linked measures");
        let mut remove = None;
        // Rows rather than a grid: a grid sizes its cells from the first
        // frame and left the target and by-month fields a few pixels wide.
        for (k, l) in d.links.iter_mut().enumerate() {
            let n = k + 1;
            let was = l.measure;
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt(("plan link measure", k))
                    .selected_text(l.measure.label())
                    .width(220.0)
                    .height(320.0)
                    .show_ui(ui, |ui| {
                        // The headline measures first: the ones plans
                        // usually move.
                        let head = Measure::headlines();
                        for m in head.iter().copied() {
                            ui.selectable_value(&mut l.measure, m, m.label());
                        }
                        ui.separator();
                        for m in Measure::ALL.into_iter().filter(|m| !head.contains(m)) {
                            ui.selectable_value(&mut l.measure, m, m.label());
                        }
                    })
                    .response
                    .accessible_name(format!("Measure {n}"));
                ui.label("target");
                ui.add(egui::TextEdit::singleline(&mut l.target).desired_width(60.0))
                    .accessible_name(format!("Target {n}"));
                ui.label("by");
                ui.add(
                    egui::TextEdit::singleline(&mut l.by)
                        .hint_text("yyyy-mm")
                        .desired_width(70.0),
                )
                .accessible_name(format!("By {n}"));
                if ui
                    .small_button("Remove")
                    .accessible_name(format!("Remove link {n}"))
                    .clicked()
                {
                    remove = Some(k);
                }
            });
            if l.measure != was {
                // Start from the new measure's own target.
                l.target = default_target(model, l.measure);
            }
        }
        if let Some(k) = remove {
            d.links.remove(k);
        }
        if ui
            .button("Link a measure")
            .on_hover_text("The item should move this measure to a target by a month")
            .clicked()
        {
            let m = Measure::AgencyRate;
            d.links.push(LinkDraft {
                measure: m,
                target: default_target(model, m),
                by: (Month::of(plan.start) + 6).to_string(),
            });
        }
        if let Some(p) = &d.problem {
            ui.colored_label(ui.visuals().error_fg_color, p);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy, egui::Button::new("Save item"))
                .clicked()
            {
                match d.item() {
                    Ok(item) => {
                        d.problem = None;
                        cmds.push(Command::Plan(PlanCommand::SaveItem {
                            original: d.original.clone(),
                            item: Box::new(item),
                        }));
                    }
                    Err(e) => d.problem = Some(e),
                }
            }
            close = ui.button("Cancel").clicked();
        });
    });
    // Not `should_close`: a click in the measure list's popup, which lies
    // outside the modal, would close the editor and lose the draft.
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    if close || escape {
        st.editing = None;
    }
}

impl KeelApp {
    pub(super) fn plan_command(&mut self, c: PlanCommand) {
        match c {
            PlanCommand::Pick { start } => {
                // Without a desktop portal or zenity the dialog returns
                // None at once: say so, and point at the path field.
                match rfd::FileDialog::new()
                    .set_title("Choose the improvement plan")
                    .add_filter("Plan spreadsheet", &["xlsx", "csv"])
                    .pick_file()
                {
                    Some(path) => self
                        .commands
                        .push(Command::Plan(PlanCommand::Import { path, start })),
                    None => {
                        self.notice = Some(Notice::Info(
                            "No plan file chosen. If no file dialog opened, type the file's path in the Plan view.".into(),
                        ))
                    }
                }
            }
            PlanCommand::AskRemoveItem(reference) => {
                let title = self
                    .model
                    .as_ref()
                    .and_then(|m| m.plan.get())
                    .and_then(|p| p.item(&reference))
                    .map(|i| i.title.clone())
                    .unwrap_or_default();
                self.confirm = Some(Confirm::RemoveItem(reference, title));
            }
            c => self.plan_write(c),
        }
    }

    /// Store a plan change off the UI thread, then take the new plan (the
    /// metrics are unchanged, so they are not recomputed).
    fn plan_write(&mut self, c: PlanCommand) {
        let root = self.root.clone();
        let name = match c {
            PlanCommand::Import { .. } => "Importing the plan",
            _ => "Saving the plan",
        };
        let at = root.clone();
        self.start_job(
            JobKind::Write,
            name,
            move |_| {
                let mut ws = Workspace::open(&root).map_err(|e| e.to_string())?;
                let saved = store_change(&mut ws, c)?;
                Ok::<_, String>((saved, PlanState::read(&ws)))
            },
            move |app, done| match done.and_then(|r| r) {
                Ok(((action, moved), state)) => {
                    app.notice = Some(Notice::Info(format!(
                        "Plan: {}. Ctrl+Z undoes it.",
                        super::model::readable(&action)
                    )));
                    app.plan_ui.stored();
                    if moved {
                        // The settings changed too (their milestones moved
                        // into the plan): load them afresh.
                        app.start_load(false);
                    } else if let (Some(m), true) = (&mut app.model, app.root == at) {
                        m.plan = state;
                    }
                }
                Err(e) => {
                    let first = e.lines().next().unwrap_or_default().to_string();
                    app.notice = Some(Notice::Error(format!("The plan was not changed: {first}")));
                    app.plan_ui.error = Some(e);
                }
            },
        );
    }
}

/// Store one change; what history lists for it, and whether the settings'
/// milestones moved into the plan on the way.
fn store_change(ws: &mut Workspace, c: PlanCommand) -> Result<(String, bool), String> {
    let text = |e: &dyn std::fmt::Display| e.to_string();
    let saved = match c {
        PlanCommand::Start(d) => edit::start(ws, d).map_err(|e| text(&e)),
        PlanCommand::Import { path, start } => {
            store::import(ws, &path, start).map_err(|e| text(&e))
        }
        PlanCommand::SetStatus {
            reference,
            status,
            date,
        } => store::set(ws, &reference, Some(status), None, date).map_err(|e| text(&e)),
        PlanCommand::AddEvidence {
            reference,
            date,
            text: note,
        } => store::set(ws, &reference, None, Some(&note), date).map_err(|e| text(&e)),
        PlanCommand::SaveItem { original, item } => {
            edit::apply(ws, |p| edit::put_item(p, original.as_deref(), *item)).map_err(|e| text(&e))
        }
        PlanCommand::RemoveItem(r) => {
            edit::apply(ws, |p| edit::remove_item(p, &r)).map_err(|e| text(&e))
        }
        PlanCommand::SaveEvent { original, event } => {
            edit::apply(ws, |p| edit::put_event(p, original.as_ref(), event)).map_err(|e| text(&e))
        }
        PlanCommand::RemoveEvent(e) => {
            edit::apply(ws, |p| edit::remove_event(p, &e)).map_err(|e| text(&e))
        }
        PlanCommand::SetStart(d) => {
            edit::apply(ws, |p| Ok(edit::set_start(p, d))).map_err(|e| text(&e))
        }
        // Answered on the UI thread by `plan_command`; never stored.
        PlanCommand::Pick { .. } | PlanCommand::AskRemoveItem(_) => {
            return Err("nothing to store".into());
        }
    }?;
    Ok((saved.edit.action, saved.moved.is_some()))
}
