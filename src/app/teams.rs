//! Teams × headline measures for one month, sortable, cells coloured by
//! target status. Clicking a team opens its trends on the dashboard.

use super::kpi::{self, Rag, RagColor};
use super::model::Model;
use super::state::{Command, Group, View};
use crate::measure::Measure;
use crate::metrics::GroupKind;
use crate::metrics::workers::Attention;
use crate::month::Month;
use eframe::egui;

/// Sort by the team name (`None`) or a column, ascending or not.
#[derive(Default)]
pub struct Sort {
    pub column: Option<usize>,
    pub descending: bool,
}

impl Sort {
    fn click(&mut self, column: Option<usize>) {
        if self.column == column {
            self.descending = !self.descending;
        } else {
            self.column = column;
            self.descending = false;
        }
    }

    fn arrow(&self, column: Option<usize>) -> &'static str {
        match (self.column == column, self.descending) {
            (false, _) => "",
            (true, false) => " ^",
            (true, true) => " v",
        }
    }
}

/// The worker list's team and its rows, once computed.
pub struct AttentionView<'a> {
    pub team: &'a mut Option<String>,
    pub rows: Option<&'a Result<Vec<Attention>, String>>,
    pub busy: bool,
    /// Identities read from an extract, shown beside the pseudonyms.
    pub names: Option<&'a crate::workspace::reveal::Identities>,
    pub names_ui: &'a mut super::names::NamesUi,
    pub reading_names: bool,
}

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    month: Month,
    (sort, attention): (&mut Sort, AttentionView<'_>),
    cmds: &mut Vec<Command>,
) {
    ui.heading("Teams");
    super::dashboard::selectors(ui, model, month, None, cmds);
    ui.separator();
    let mut teams: Vec<&Group> = model
        .metrics
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Team && model.metrics.has(month, g))
        .collect();
    let columns = Measure::team_columns();
    let value = |g: &Group, c: usize| model.metrics.get(month, g, columns[c].name());
    match sort.column {
        None => teams.sort_by(|a, b| a.name.cmp(&b.name)),
        // Nulls last whichever way the column is sorted.
        Some(c) => teams.sort_by(|a, b| match (value(a, c), value(b, c)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.name.cmp(&b.name),
        }),
    }
    if sort.descending {
        teams.reverse();
    }
    if teams.is_empty() {
        ui.label(format!("No team data for {month}."));
        return;
    }
    let names: Vec<String> = teams.iter().map(|g| g.name.clone()).collect();
    egui::ScrollArea::both().id_salt("teams").show(ui, |ui| {
        egui::Grid::new("teams grid")
            .striped(true)
            .min_col_width(80.0)
            .show(ui, |ui| {
                if ui.button(format!("Team{}", sort.arrow(None))).clicked() {
                    sort.click(None);
                }
                for (i, m) in columns.iter().enumerate() {
                    let title = m.entry().team_column.map_or("", |(_, t)| t);
                    if ui
                        .button(format!("{title}{}", sort.arrow(Some(i))))
                        .on_hover_text("Sort by this column; click again to reverse")
                        .clicked()
                    {
                        sort.click(Some(i));
                    }
                }
                ui.end_row();
                for g in teams {
                    if ui
                        .link(&g.name)
                        .on_hover_text("Open this team's trends on the dashboard")
                        .clicked()
                    {
                        cmds.push(Command::SelectGroup(g.clone()));
                        cmds.push(Command::SetView(View::Dashboard));
                    }
                    for (c, m) in columns.iter().enumerate() {
                        let v = value(g, c);
                        let rag = v
                            .zip(model.settings.targets.get(m.name()))
                            .map(|(v, t)| Rag::of(v, t));
                        let text = match v {
                            // A count of people reads wrong with a decimal.
                            Some(n) if m.is_headcount() => format!("{n:.0}"),
                            _ => kpi::format(v, m.is_percent()),
                        };
                        let frame = egui::Frame::new()
                            .fill(rag.map_or(egui::Color32::TRANSPARENT, Rag::fill))
                            .inner_margin(egui::Margin::symmetric(6, 2));
                        let r = frame.show(ui, |ui| {
                            ui.set_min_width(70.0);
                            ui.label(text)
                        });
                        match rag {
                            Some(rag) => r.inner.on_hover_text(rag.word()),
                            None if v.is_none() => r.inner.on_hover_text(kpi::NULL_HELP),
                            None => r.inner,
                        };
                    }
                    ui.end_row();
                }
            });
        ui.add_space(12.0);
        worker_list(ui, month, &names, attention, cmds);
    });
}

/// For team managers: case holders over their caseload limit and those
/// overdue supervision, by pseudonymised identifier.
fn worker_list(
    ui: &mut egui::Ui,
    month: Month,
    teams: &[String],
    a: AttentionView<'_>,
    cmds: &mut Vec<Command>,
) {
    ui.heading("Workers needing attention");
    if a.team.as_ref().is_none_or(|t| !teams.contains(t)) {
        *a.team = teams.first().cloned();
    }
    ui.horizontal(|ui| {
        egui::ComboBox::from_label("Team")
            .selected_text(a.team.clone().unwrap_or_default())
            .height(400.0)
            .show_ui(ui, |ui| {
                for t in teams {
                    ui.selectable_value(a.team, Some(t.clone()), t);
                }
            });
        if a.busy {
            ui.spinner();
        }
    });
    // On a line of its own, where it can wrap: beside the team list it ran
    // off the window at 1024 pixels.
    ui.add(
        egui::Label::new(egui::RichText::new(format!("{month}: case holders above their caseload limit or overdue supervision. Identifiers are pseudonymised; this list never appears in meeting mode or reports.")).weak())
            .wrap(),
    );
    super::names::bar(ui, a.names, a.names_ui, a.reading_names, cmds);
    match a.rows {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        Some(Ok(rows)) if rows.is_empty() => {
            ui.label("Nobody: every case holder is within their limit and supervised on time.");
        }
        Some(Ok(rows)) => {
            egui::Grid::new("attention").striped(true).show(ui, |ui| {
                ui.strong("Worker");
                if let Some(n) = a.names {
                    super::names::headers(ui, n);
                }
                for h in [
                    "Team",
                    "Role",
                    "Caseload",
                    "Limit",
                    "Days since supervision",
                    "Due every",
                    "Why",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for r in rows {
                    ui.monospace(&r.worker_id);
                    if let Some(n) = a.names {
                        super::names::cells(ui, n, &r.worker_id);
                    }
                    ui.label(&r.team);
                    ui.label(r.role.as_deref().unwrap_or("—"));
                    ui.label(format!("{:.0}", r.caseload));
                    ui.label(format!("{:.0}", r.limit));
                    ui.label(
                        r.days_since_supervision
                            .map_or("none on record".into(), |d| d.to_string()),
                    );
                    ui.label(format!("{} days", r.interval));
                    let why = match (r.over_limit, r.overdue) {
                        (true, true) => "over the limit; supervision overdue",
                        (true, false) => "over the limit",
                        _ => "supervision overdue",
                    };
                    ui.label(why);
                    ui.end_row();
                }
            });
        }
    }
}
