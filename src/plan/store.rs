//! The plan in the workspace: the version in force, changes stored as new
//! versions (each a plan edit in history, undone by `keel undo`), and the
//! move of the settings' milestones and events into the plan.
//!
//! The workspace stores versions as JSON without knowing the plan's type
//! (`src/workspace/plans.rs`); `Workspace::plan` and `Workspace::save_plan`
//! are defined here, where the type is.
//!
//! Moving the settings (also in docs/decisions.md): the plan replaces the
//! `milestones` and `events` settings. Every change of the plan first moves
//! into it whatever the settings still hold: each milestone becomes an item
//! `M1`, `M2`, … ("Milestone: Agency rate 15.0% by 2026-03", in progress,
//! due on the last day of its `by` month) linking its measure with target
//! `value` by `by`, and each event a plan event. A workspace with no plan
//! gets one starting on the first day of the earliest milestone's `from`
//! month or the earliest event, whichever is earlier. The move is its own
//! plan edit, stored before the settings are emptied, under one lock; a
//! milestone or event the plan already holds (a move interrupted between
//! the two writes) is not added twice. Undoing the move puts them back in
//! the settings. `keel plan show` shows a workspace not yet moved as it
//! would be, without writing.

use super::{Error, Event, Evidence, Item, Link, Plan, Status};
use crate::measure::Measure;
use crate::settings::{Milestone, Settings};
use crate::workspace::manifest::FromSettings;
use crate::workspace::{self, PlanEdit, Workspace};
use chrono::NaiveDate;
use std::path::Path;

impl Workspace {
    /// The plan in force: the version of the latest plan edit not undone,
    /// or `None` when no plan is stored.
    pub fn plan(&self) -> Result<Option<Plan>, workspace::Error> {
        self.manifest()
            .active_plan_edit()
            .map(|e| self.read_plan_version(e))
            .transpose()
    }

    /// Store `plan` as the new version, `action` saying what changed (as
    /// history lists it). The settings' milestones and events are moved
    /// into the plan in force first, when they hold any.
    pub fn save_plan(&mut self, plan: &Plan, action: &str) -> Result<Saved, workspace::Error> {
        change(self, |_| {
            Ok::<_, workspace::Error>((plan.clone(), action.to_string()))
        })
    }
}

/// What a change of the plan stored.
#[derive(Debug)]
pub struct Saved {
    /// The move of the settings' milestones and events, when there was one.
    pub moved: Option<Moved>,
    /// The version stored.
    pub edit: PlanEdit,
    /// The version it took over from, when there was one.
    pub replaced: Option<PlanEdit>,
}

/// Milestones and events moved from the settings into the plan.
#[derive(Debug)]
pub struct Moved {
    /// Its own plan edit (none when the plan already held them all).
    pub edit: Option<PlanEdit>,
    pub milestones: usize,
    pub events: usize,
}

/// Change the plan in force under the write lock: `f` is given the plan
/// (after the move from the settings, if any) and returns the new version
/// and what changed. Nothing is stored when `f` fails.
pub fn change<E: From<workspace::Error>>(
    ws: &mut Workspace,
    f: impl FnOnce(Option<Plan>) -> Result<(Plan, String), E>,
) -> Result<Saved, E> {
    let mut w = ws.begin_plan_write()?;
    let in_force = w.manifest().active_plan_edit().cloned();
    let current: Option<Plan> = in_force
        .as_ref()
        .map(|e| w.workspace().read_plan_version(e))
        .transpose()?;
    let migration = from_settings(w.settings(), current.as_ref());
    let current = match &migration {
        Some(m) => m.plan.clone().or(current),
        None => current,
    };
    // Decided before anything is written, so a refused change stores nothing.
    let (plan, action) = f(current)?;
    let mut replaced = in_force;
    let mut moved = None;
    if let Some(m) = migration {
        let edit = match &m.plan {
            Some(p) => Some(w.store(p, m.action.clone(), m.moved.clone())?),
            None => None,
        };
        // The plan first, then the settings, each written atomically: an
        // interruption between them leaves the milestones in both, and the
        // next change finds them in the plan and only empties the settings.
        let mut s = w.settings().clone();
        s.milestones.clear();
        s.events.clear();
        w.save_settings(s)?;
        if edit.is_some() {
            replaced.clone_from(&edit);
        }
        moved = Some(Moved {
            edit,
            milestones: m.moved.milestones.len(),
            events: m.moved.events.len(),
        });
    }
    let edit = w.store(&plan, action, FromSettings::default())?;
    Ok(Saved {
        moved,
        edit,
        replaced,
    })
}

/// The plan to show: the one in force, else the one the settings'
/// milestones and events would make (not stored: showing writes nothing).
pub fn plan_or_settings(ws: &Workspace) -> Result<Option<Plan>, workspace::Error> {
    let current = ws.plan()?;
    Ok(match from_settings(ws.settings(), current.as_ref()) {
        Some(Migration { plan: Some(p), .. }) => Some(p),
        _ => current,
    })
}

/// The plan to show and the settings the charts draw from (the plan's
/// targets and events in place of the settings' own): one reading for the
/// app, the board report and `keel chart`.
pub fn plan_and_chart_settings(
    ws: &Workspace,
) -> Result<(Option<Plan>, crate::settings::Settings), workspace::Error> {
    let plan = plan_or_settings(ws)?;
    let settings = super::marks::chart_settings(ws.settings(), plan.as_ref());
    Ok((plan, settings))
}

/// What moving the settings into the plan does.
struct Migration {
    /// The plan with what it lacked added; `None` when it lacked nothing.
    plan: Option<Plan>,
    action: String,
    /// Everything the settings held, all of which they give up.
    moved: FromSettings,
}

/// `None` when the settings hold no milestone or event.
fn from_settings(settings: &Settings, current: Option<&Plan>) -> Option<Migration> {
    if settings.milestones.is_empty() && settings.events.is_empty() {
        return None;
    }
    let moved = FromSettings {
        milestones: settings.milestones.clone(),
        events: settings.events.clone(),
    };
    let held = |m: &Milestone| {
        current.is_some_and(|p| {
            p.items
                .iter()
                .flat_map(|i| &i.measures)
                .any(|l| l.measure == measure_name(m) && l.target == m.value && l.by == m.by)
        })
    };
    let milestones: Vec<&Milestone> = settings.milestones.iter().filter(|m| !held(m)).collect();
    let events: Vec<&crate::settings::Event> = settings
        .events
        .iter()
        .filter(|e| {
            !current.is_some_and(|p| {
                p.events
                    .iter()
                    .any(|h| h.date == e.date && h.label == e.label)
            })
        })
        .collect();
    let action = format!(
        "moved {} and {} from the settings into the plan",
        count(milestones.len(), "milestone"),
        count(events.len(), "event")
    );
    if milestones.is_empty() && events.is_empty() {
        return Some(Migration {
            plan: None,
            action,
            moved,
        });
    }
    let mut plan = match current {
        Some(p) => p.clone(),
        None => {
            let start = milestones
                .iter()
                .map(|m| m.from.first_day())
                .chain(events.iter().map(|e| e.date))
                .min()
                .expect("a milestone or an event");
            Plan {
                start,
                items: vec![],
                events: vec![],
            }
        }
    };
    for m in milestones {
        let reference = next_reference(&plan, "M");
        plan.items.push(milestone_item(reference, m));
    }
    plan.events.extend(events.into_iter().map(|e| Event {
        date: e.date,
        label: e.label.clone(),
    }));
    plan.events.sort_by_key(|e| e.date);
    Some(Migration {
        plan: Some(plan),
        action,
        moved,
    })
}

/// The name a linked measure is stored by: the registry's, when it knows
/// the setting's metric.
fn measure_name(m: &Milestone) -> String {
    Measure::parse(&m.metric).map_or_else(|| m.metric.clone(), |x| x.name().to_string())
}

fn milestone_item(reference: String, m: &Milestone) -> Item {
    let measure = Measure::parse(&m.metric);
    let (label, value) = match measure {
        Some(x) => (x.label().to_string(), x.unit().format(m.value)),
        None => (m.metric.clone(), m.value.to_string()),
    };
    Item {
        reference,
        title: format!("Milestone: {label} {value} by {}", m.by),
        window: None,
        due: Some(m.by.last_day()),
        lead: String::new(),
        status: Status::InProgress,
        status_date: None,
        evidence: vec![],
        measures: vec![Link {
            measure: measure_name(m),
            target: m.value,
            by: m.by,
        }],
    }
}

/// `prefix` and the first number from 1 no item uses.
fn next_reference(plan: &Plan, prefix: &str) -> String {
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|r| plan.item(r).is_none())
        .expect("an unused number")
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The counts `keel plan import` reports.
pub fn summary(plan: &Plan) -> String {
    format!(
        "{}, {}, {}",
        count(plan.items.len(), "item"),
        count(
            plan.items.iter().map(|i| i.measures.len()).sum(),
            "linked measure"
        ),
        count(plan.events.len(), "event")
    )
}

/// Read the plan in `file` and store it as the new version, replacing any
/// plan in force. Nothing is stored when the file has any problem.
pub fn import(ws: &mut Workspace, file: &Path, start: Option<NaiveDate>) -> Result<Saved, Error> {
    let plan = super::read_plan(file, start)?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let action = format!("imported {name} ({})", summary(&plan));
    change(ws, |_| Ok::<_, Error>((plan, action)))
}

/// Record an item's new status (dated `date`) and/or a dated evidence note.
pub fn set(
    ws: &mut Workspace,
    reference: &str,
    status: Option<Status>,
    evidence: Option<&str>,
    date: NaiveDate,
) -> Result<Saved, Error> {
    let root = ws.root().to_path_buf();
    let evidence = evidence.map(str::trim);
    if evidence.is_some_and(str::is_empty) {
        return Err(Error::EmptyEvidence);
    }
    change(ws, |current| {
        let mut plan = current.ok_or(Error::NoPlan { root })?;
        let known: Vec<String> = plan.items.iter().map(|i| i.reference.clone()).collect();
        let Some(item) = plan.item_mut(reference) else {
            return Err(Error::UnknownItem {
                reference: reference.to_string(),
                known,
            });
        };
        let mut said = Vec::new();
        if let Some(s) = status {
            item.status = s;
            item.status_date = Some(date);
            said.push(format!("status → {}", s.name()));
        }
        if let Some(text) = evidence {
            item.evidence.push(Evidence {
                date,
                text: text.to_string(),
            });
            said.push(format!("evidence added: {}", shortened(text)));
        }
        let action = format!("{} {}", item.reference, said.join("; "));
        Ok((plan, action))
    })
}

/// Add a dated event (the peer review, a scrutiny meeting).
pub fn add_event(ws: &mut Workspace, date: NaiveDate, label: &str) -> Result<Saved, Error> {
    let root = ws.root().to_path_buf();
    let label = label.trim().to_string();
    if label.is_empty() {
        return Err(Error::EventLabel);
    }
    change(ws, |current| {
        let mut plan = current.ok_or(Error::NoPlan { root })?;
        if plan
            .events
            .iter()
            .any(|e| e.date == date && e.label == label)
        {
            return Err(Error::EventHeld { date, label });
        }
        let action = format!("event added: {label} ({})", date.format("%d/%m/%Y"));
        plan.events.push(Event { date, label });
        plan.events.sort_by_key(|e| e.date);
        Ok((plan, action))
    })
}

/// Evidence as history lists it: its first 60 characters.
fn shortened(text: &str) -> String {
    const MAX: usize = 60;
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > MAX || line.len() < text.len() {
        format!("{}…", line.chars().take(MAX).collect::<String>().trim_end())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::month::Month;
    use crate::plan::d_for_tests as d;

    fn milestone(metric: &str, from: &str, by: &str, value: f64) -> Milestone {
        Milestone {
            metric: metric.into(),
            from: from.parse().unwrap(),
            by: by.parse().unwrap(),
            value,
        }
    }

    fn event(date: NaiveDate, label: &str) -> crate::settings::Event {
        crate::settings::Event {
            date,
            label: label.into(),
        }
    }

    #[test]
    fn milestones_become_items_and_events_plan_events() {
        let settings = Settings {
            milestones: vec![
                milestone("agency_rate_pct", "2025-10", "2026-03", 15.0),
                milestone("caseload_per_fte", "2025-09", "2026-06", 16.5),
            ],
            events: vec![event(d(2025, 9, 20), "Ofsted inspection")],
            ..Settings::default()
        };
        let m = from_settings(&settings, None).unwrap();
        let plan = m.plan.unwrap();
        // The earliest of 1 October, 1 September and 20 September.
        assert_eq!(plan.start, d(2025, 9, 1));
        assert_eq!(plan.items.len(), 2);
        let m1 = &plan.items[0];
        assert_eq!(m1.reference, "M1");
        assert_eq!(m1.title, "Milestone: Agency rate 15.0% by 2026-03");
        assert_eq!(m1.status, Status::InProgress);
        assert_eq!(m1.due, Some(d(2026, 3, 31)));
        assert_eq!(
            m1.measures,
            vec![Link {
                measure: "agency_rate_pct".into(),
                target: 15.0,
                by: Month::new(2026, 3).unwrap(),
            }]
        );
        assert_eq!(plan.items[1].reference, "M2");
        assert_eq!(
            plan.items[1].title,
            "Milestone: Caseload per FTE 16.5 by 2026-06"
        );
        assert_eq!(plan.events.len(), 1);
        assert_eq!(
            m.action,
            "moved 2 milestones and 1 event from the settings into the plan"
        );
        assert_eq!(m.moved.milestones.len(), 2);

        // A plan holding them already gains nothing; one lacking one gains
        // it under the next free reference.
        let again = from_settings(&settings, Some(&plan)).unwrap();
        assert!(again.plan.is_none());
        let mut fewer = plan.clone();
        fewer.items.remove(0);
        let topped = from_settings(&settings, Some(&fewer))
            .unwrap()
            .plan
            .unwrap();
        assert_eq!(topped.items[1].reference, "M1");
        assert_eq!(topped.items[1].measures[0].measure, "agency_rate_pct");
        assert_eq!(topped.start, plan.start);

        assert!(from_settings(&Settings::default(), None).is_none());
    }

    #[test]
    fn evidence_is_shortened_for_history() {
        assert_eq!(shortened("Audit done"), "Audit done");
        assert_eq!(shortened("Line one\nline two"), "Line one…");
        let long = "x".repeat(80);
        assert_eq!(shortened(&long).chars().count(), 61);
    }
}
