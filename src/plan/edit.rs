//! Edits the app's Plan view makes beyond `keel plan set` and `keel plan
//! event`: start a plan, add, change and remove items and events, move the
//! start. Each is a function on a [`Plan`] (checked before anything is
//! stored) returning what history lists, and [`apply`] stores it through
//! [`super::store::change`], so it is atomic, listed and undoable like the
//! command line's edits.

use super::{Event, Item, Plan, Saved, store};
use crate::measure::Measure;
use crate::workspace::{self, Workspace};
use chrono::NaiveDate;

/// Why an edit stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Workspace(#[from] workspace::Error),
    #[error("there is no improvement plan yet: start one or import one first")]
    NoPlan,
    #[error("the workspace already holds a plan: edit it, or import a file to replace it")]
    PlanHeld,
    #[error("there is no item '{0}' in the plan (it may have been removed meanwhile)")]
    UnknownItem(String),
    #[error("an item needs a reference, such as R18")]
    EmptyReference,
    #[error("the plan already has an item '{0}': choose another reference")]
    ReferenceHeld(String),
    #[error("item {0} needs its recommendation or action text")]
    EmptyTitle(String),
    #[error("item {reference}: '{measure}' is not a measure Keel computes")]
    UnknownMeasure { reference: String, measure: String },
    #[error("item {reference}: the target for {label} must be a number")]
    Target { reference: String, label: String },
    #[error("item {reference} links {label} by {by} twice")]
    LinkTwice {
        reference: String,
        label: String,
        by: crate::month::Month,
    },
    #[error("the event needs a label")]
    EventLabel,
    #[error("the plan already has '{label}' on {}", date.format("%d/%m/%Y"))]
    EventHeld { date: NaiveDate, label: String },
    #[error("the event '{0}' is no longer in the plan (it may have been changed meanwhile)")]
    UnknownEvent(String),
}

/// A new, empty plan started on `start` (the inspection report's date).
pub fn start(ws: &mut Workspace, start: NaiveDate) -> Result<Saved, EditError> {
    store::change(ws, |current| match current {
        Some(_) => Err(EditError::PlanHeld),
        None => Ok((
            Plan {
                start,
                items: vec![],
                events: vec![],
            },
            format!("plan started on {}", start.format("%d/%m/%Y")),
        )),
    })
}

/// Change the plan in force with `f`, which says what it changed; nothing
/// is stored when it fails or there is no plan.
pub fn apply(
    ws: &mut Workspace,
    f: impl FnOnce(&mut Plan) -> Result<String, EditError>,
) -> Result<Saved, EditError> {
    store::change(ws, |current| {
        let mut plan = current.ok_or(EditError::NoPlan)?;
        let action = f(&mut plan)?;
        Ok((plan, action))
    })
}

/// Add `item`, or replace the item referred to as `original` with it (in
/// its place), after checking it.
pub fn put_item(plan: &mut Plan, original: Option<&str>, item: Item) -> Result<String, EditError> {
    let mut item = item;
    item.reference = item.reference.trim().to_string();
    item.title = item.title.trim().to_string();
    item.lead = item.lead.trim().to_string();
    let reference = item.reference.clone();
    if reference.is_empty() {
        return Err(EditError::EmptyReference);
    }
    if item.title.is_empty() {
        return Err(EditError::EmptyTitle(reference));
    }
    let at = match original {
        Some(o) => Some(
            plan.items
                .iter()
                .position(|i| i.reference.eq_ignore_ascii_case(o))
                .ok_or_else(|| EditError::UnknownItem(o.to_string()))?,
        ),
        None => None,
    };
    let clash = plan
        .items
        .iter()
        .enumerate()
        .any(|(j, i)| Some(j) != at && i.reference.eq_ignore_ascii_case(&reference));
    if clash {
        return Err(EditError::ReferenceHeld(reference));
    }
    for (k, link) in item.measures.iter().enumerate() {
        let Some(m) = Measure::parse(&link.measure) else {
            return Err(EditError::UnknownMeasure {
                reference,
                measure: link.measure.clone(),
            });
        };
        if !link.target.is_finite() {
            return Err(EditError::Target {
                reference,
                label: m.label().to_string(),
            });
        }
        if item.measures[..k]
            .iter()
            .any(|l| l.measure == link.measure && l.by == link.by)
        {
            return Err(EditError::LinkTwice {
                reference,
                label: m.label().to_string(),
                by: link.by,
            });
        }
    }
    let action = match at {
        None => {
            let action = format!("{reference} added: {}", item.title);
            plan.items.push(item);
            action
        }
        Some(j) => {
            let old = &plan.items[j];
            let action = if old.reference == reference {
                format!("{reference} edited")
            } else {
                format!("{} edited, now {reference}", old.reference)
            };
            plan.items[j] = item;
            action
        }
    };
    Ok(action)
}

/// Take the item `reference` out of the plan.
pub fn remove_item(plan: &mut Plan, reference: &str) -> Result<String, EditError> {
    let j = plan
        .items
        .iter()
        .position(|i| i.reference.eq_ignore_ascii_case(reference))
        .ok_or_else(|| EditError::UnknownItem(reference.to_string()))?;
    let item = plan.items.remove(j);
    Ok(format!("{} removed: {}", item.reference, item.title))
}

/// Add `event`, or replace `original` with it; events stay in date order.
pub fn put_event(
    plan: &mut Plan,
    original: Option<&Event>,
    event: Event,
) -> Result<String, EditError> {
    let event = Event {
        date: event.date,
        label: event.label.trim().to_string(),
    };
    if event.label.is_empty() {
        return Err(EditError::EventLabel);
    }
    let at = match original {
        Some(o) => Some(
            plan.events
                .iter()
                .position(|e| e == o)
                .ok_or_else(|| EditError::UnknownEvent(o.label.clone()))?,
        ),
        None => None,
    };
    let held = plan
        .events
        .iter()
        .enumerate()
        .any(|(j, e)| Some(j) != at && e.date == event.date && e.label == event.label);
    if held {
        return Err(EditError::EventHeld {
            date: event.date,
            label: event.label,
        });
    }
    let when = event.date.format("%d/%m/%Y");
    let action = match at {
        None => format!("event added: {} ({when})", event.label),
        Some(_) => format!("event changed: {} ({when})", event.label),
    };
    match at {
        None => plan.events.push(event),
        Some(j) => plan.events[j] = event,
    }
    plan.events.sort_by_key(|e| e.date);
    Ok(action)
}

/// Take `event` out of the plan.
pub fn remove_event(plan: &mut Plan, event: &Event) -> Result<String, EditError> {
    let j = plan
        .events
        .iter()
        .position(|e| e == event)
        .ok_or_else(|| EditError::UnknownEvent(event.label.clone()))?;
    let e = plan.events.remove(j);
    Ok(format!(
        "event removed: {} ({})",
        e.label,
        e.date.format("%d/%m/%Y")
    ))
}

/// Move the plan's start; items with a window move with it.
pub fn set_start(plan: &mut Plan, start: NaiveDate) -> String {
    plan.start = start;
    format!("start moved to {}", start.format("%d/%m/%Y"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::month::Month;
    use crate::plan::{Link, Status, Window, d_for_tests as d};

    fn item(reference: &str) -> Item {
        Item {
            reference: reference.into(),
            title: "Cap caseloads".into(),
            window: Some(Window::ThreeMonths),
            due: None,
            lead: "Head of Service".into(),
            status: Status::NotStarted,
            status_date: None,
            evidence: vec![],
            measures: vec![],
        }
    }

    fn plan() -> Plan {
        Plan {
            start: d(2026, 1, 5),
            items: vec![item("R1"), item("R2")],
            events: vec![],
        }
    }

    #[test]
    fn items_are_added_replaced_in_place_and_removed() {
        let mut p = plan();
        let mut r3 = item(" R3 ");
        r3.measures.push(Link {
            measure: Measure::AgencyRate.name().into(),
            target: 15.0,
            by: Month::new(2026, 6).unwrap(),
        });
        assert_eq!(
            put_item(&mut p, None, r3).unwrap(),
            "R3 added: Cap caseloads"
        );
        assert_eq!(p.items[2].reference, "R3");
        let renamed = Item {
            title: "Cap caseloads at 18".into(),
            ..item("R1a")
        };
        assert_eq!(
            put_item(&mut p, Some("r1"), renamed).unwrap(),
            "R1 edited, now R1a"
        );
        assert_eq!(p.items[0].reference, "R1a");
        assert_eq!(p.items[0].title, "Cap caseloads at 18");
        assert_eq!(
            remove_item(&mut p, "R2").unwrap(),
            "R2 removed: Cap caseloads"
        );
        let refs: Vec<&str> = p.items.iter().map(|i| i.reference.as_str()).collect();
        assert_eq!(refs, ["R1a", "R3"]);
        assert!(matches!(
            remove_item(&mut p, "R2"),
            Err(EditError::UnknownItem(r)) if r == "R2"
        ));
    }

    #[test]
    fn a_bad_item_changes_nothing() {
        let mut p = plan();
        let before = p.clone();
        assert!(matches!(
            put_item(&mut p, None, item("r2")),
            Err(EditError::ReferenceHeld(r)) if r == "r2"
        ));
        assert!(matches!(
            put_item(&mut p, Some("R1"), item("R2")),
            Err(EditError::ReferenceHeld(_))
        ));
        assert!(matches!(
            put_item(&mut p, None, item("  ")),
            Err(EditError::EmptyReference)
        ));
        let untitled = Item {
            title: " ".into(),
            ..item("R9")
        };
        assert!(matches!(
            put_item(&mut p, None, untitled),
            Err(EditError::EmptyTitle(_))
        ));
        let mut unknown = item("R9");
        unknown.measures.push(Link {
            measure: "happiness".into(),
            target: 1.0,
            by: Month::new(2026, 6).unwrap(),
        });
        assert!(matches!(
            put_item(&mut p, None, unknown),
            Err(EditError::UnknownMeasure { .. })
        ));
        let mut nan = item("R9");
        nan.measures.push(Link {
            measure: Measure::TurnoverRate12m.name().into(),
            target: f64::NAN,
            by: Month::new(2026, 6).unwrap(),
        });
        let e = put_item(&mut p, None, nan).unwrap_err();
        assert_eq!(
            e.to_string(),
            "item R9: the target for Turnover rate must be a number"
        );
        assert_eq!(p, before);
    }

    #[test]
    fn events_stay_in_date_order_and_are_not_held_twice() {
        let mut p = plan();
        let review = Event {
            date: d(2026, 8, 1),
            label: "Peer review".into(),
        };
        let scrutiny = Event {
            date: d(2026, 3, 10),
            label: " Scrutiny committee ".into(),
        };
        put_event(&mut p, None, review.clone()).unwrap();
        assert_eq!(
            put_event(&mut p, None, scrutiny).unwrap(),
            "event added: Scrutiny committee (10/03/2026)"
        );
        assert_eq!(p.events[0].label, "Scrutiny committee");
        assert!(matches!(
            put_event(&mut p, None, review.clone()),
            Err(EditError::EventHeld { .. })
        ));
        let moved = Event {
            date: d(2026, 2, 1),
            label: "Peer review".into(),
        };
        assert_eq!(
            put_event(&mut p, Some(&review), moved.clone()).unwrap(),
            "event changed: Peer review (01/02/2026)"
        );
        assert_eq!(p.events[0], moved);
        assert_eq!(
            remove_event(&mut p, &moved).unwrap(),
            "event removed: Peer review (01/02/2026)"
        );
        assert_eq!(p.events.len(), 1);
        assert!(matches!(
            put_event(
                &mut p,
                None,
                Event {
                    date: d(2026, 1, 1),
                    label: "".into()
                }
            ),
            Err(EditError::EventLabel)
        ));
    }

    #[test]
    fn moving_the_start_moves_window_due_dates() {
        let mut p = plan();
        assert_eq!(
            set_start(&mut p, d(2026, 2, 2)),
            "start moved to 02/02/2026"
        );
        assert_eq!(p.items[0].due_date(p.start), Some(d(2026, 5, 2)));
    }
}
