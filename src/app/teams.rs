//! Teams × headline measures for one month, sortable, cells coloured by
//! target status. Clicking a team opens its trends on the dashboard.

use super::kpi::{self, Rag, RagColor};
use super::model::Model;
use super::state::{Command, Group, View};
use crate::metrics::GroupKind;
use crate::month::Month;
use eframe::egui;

/// (metric, column title, shown as a percentage)
const COLUMNS: [(&str, &str, bool); 9] = [
    ("employed_fte", "Employed FTE", false),
    ("turnover_rate_12m_pct", "Turnover", true),
    ("agency_rate_pct", "Agency", true),
    ("vacancy_rate_pct", "Vacancy", true),
    ("nqsw_share_pct", "NQSW", true),
    ("caseload_per_fte", "Caseload/FTE", false),
    ("supervision_compliance_pct", "Supervision", true),
    ("stability_index_pct", "Stability", true),
    ("over_limit_headcount", "Over limit", false),
];

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

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    month: Month,
    sort: &mut Sort,
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
    let value = |g: &Group, c: usize| model.metrics.get(month, g, COLUMNS[c].0);
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
    egui::ScrollArea::both().id_salt("teams").show(ui, |ui| {
        egui::Grid::new("teams grid")
            .striped(true)
            .min_col_width(80.0)
            .show(ui, |ui| {
                if ui.button(format!("Team{}", sort.arrow(None))).clicked() {
                    sort.click(None);
                }
                for (i, (_, title, _)) in COLUMNS.iter().enumerate() {
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
                    for (c, (metric, _, percent)) in COLUMNS.iter().enumerate() {
                        let v = value(g, c);
                        let rag = v
                            .zip(model.settings.targets.get(*metric))
                            .map(|(v, t)| Rag::of(v, t));
                        let text = match v {
                            // A count of people reads wrong with a decimal.
                            Some(n) if metric.ends_with("_headcount") => format!("{n:.0}"),
                            _ => kpi::format(v, *percent),
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
    });
}
