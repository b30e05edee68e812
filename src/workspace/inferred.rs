//! Inferred leavers at import time (contract §3, "Leavers"): a worker in
//! post on snapshot m−1 who is on no row of snapshot m, with no leave
//! recorded in months m−1, m or m+1. The metrics count them; the import
//! lists them so HR can send the missing leaver records.

use super::{Error, Workspace};
use crate::extract::{Extract, Issue, Kind, Severity};
use crate::month::{Month, from_epoch_days};
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Strings borrow from the frames, which outlive the check: a million-row
/// import should not copy a million identifiers to look for a few leavers.
struct Post<'a> {
    id: &'a str,
    team: &'a str,
    fte: f64,
    employed_in_post: bool,
}

struct Snapshot<'a> {
    date: chrono::NaiveDate,
    posts: Vec<Post<'a>>,
}

/// Snapshots by month from a workforce frame, plus every leave month per worker.
fn collect<'a>(
    df: &'a DataFrame,
    snapshots: &mut BTreeMap<Month, Snapshot<'a>>,
    leaves: &mut HashMap<&'a str, Vec<Month>>,
) -> PolarsResult<()> {
    let ids = df.column("worker_id")?.str()?;
    let teams = df.column("team")?.str()?;
    let types = df.column("employment_type")?.str()?;
    let fte = df.column("fte")?.f64()?;
    let snap = df.column("snapshot_date")?.cast(&DataType::Int32)?;
    let snap = snap.i32()?;
    let leave = df.column("leave_date")?.cast(&DataType::Int32)?;
    let leave = leave.i32()?;
    for i in 0..df.height() {
        let (Some(id), Some(day)) = (ids.get(i), snap.get(i)) else {
            continue;
        };
        let date = from_epoch_days(day);
        let leave_date = leave.get(i).map(from_epoch_days);
        if let Some(l) = leave_date {
            leaves.entry(id).or_default().push(Month::of(l));
        }
        let s = snapshots
            .entry(Month::of(date))
            .or_insert_with(|| Snapshot {
                date,
                posts: vec![],
            });
        s.posts.push(Post {
            id,
            team: teams.get(i).unwrap_or(""),
            fte: fte.get(i).unwrap_or(0.0),
            employed_in_post: types.get(i) != Some("agency") && leave_date.is_none_or(|l| l > date),
        });
    }
    Ok(())
}

fn collect_leavers<'a>(
    df: &'a DataFrame,
    leaves: &mut HashMap<&'a str, Vec<Month>>,
) -> PolarsResult<()> {
    let ids = df.column("worker_id")?.str()?;
    let leave = df.column("leave_date")?.cast(&DataType::Int32)?;
    let leave = leave.i32()?;
    for (id, d) in ids.iter().zip(leave.iter()) {
        if let (Some(id), Some(d)) = (id, d) {
            leaves
                .entry(id)
                .or_default()
                .push(Month::of(from_epoch_days(d)));
        }
    }
    Ok(())
}

/// Warnings per extract index, for the batch about to be stored (`frames`
/// are the extracts' rows as they will be stored, i.e. pseudonymised).
pub fn inferred_leavers(
    ws: &Workspace,
    extracts: &[Extract],
    frames: &[DataFrame],
) -> Result<Vec<(usize, Vec<Issue>)>, Error> {
    let batch: Vec<usize> = (0..extracts.len())
        .filter(|&i| extracts[i].kind == Kind::Workforce)
        .collect();
    if batch.is_empty() {
        return Ok(vec![]);
    }
    let mut snapshots = BTreeMap::new();
    let mut leaves = HashMap::new();
    // The workspace's snapshots first; the batch's own months replace them.
    let batch_months: HashSet<Month> = batch
        .iter()
        .flat_map(|&i| extracts[i].months.iter().copied())
        .collect();
    let held = ws.load(Kind::Workforce)?;
    if let Some(held) = &held {
        collect(held, &mut snapshots, &mut leaves)?;
        for m in &batch_months {
            snapshots.remove(m);
        }
    }
    let held_leavers = ws.load(Kind::Leavers)?;
    if let Some(l) = &held_leavers {
        collect_leavers(l, &mut leaves)?;
    }
    let mut owner: HashMap<Month, usize> = HashMap::new();
    for (i, (e, df)) in extracts.iter().zip(frames).enumerate() {
        match e.kind {
            Kind::Workforce => {
                collect(df, &mut snapshots, &mut leaves)?;
                for m in &e.months {
                    owner.insert(*m, i);
                }
            }
            Kind::Leavers => collect_leavers(df, &mut leaves)?,
            _ => {}
        }
    }
    let mut out: BTreeMap<usize, Vec<Issue>> = BTreeMap::new();
    for (&m, cur) in &snapshots {
        let Some(prev) = snapshots.get(&(m - 1)) else {
            continue;
        };
        let Some(&target) = owner.get(&m).or_else(|| owner.get(&(m - 1))) else {
            continue;
        };
        let present: HashSet<&str> = cur.posts.iter().map(|p| p.id).collect();
        let mut reported = HashSet::new();
        for p in prev.posts.iter().filter(|p| p.employed_in_post) {
            if present.contains(p.id) || !reported.insert(p.id) {
                continue;
            }
            let recorded = leaves
                .get(p.id)
                .is_some_and(|ms| ms.iter().any(|lm| (m - 1..=m + 1).contains(lm)));
            if recorded {
                continue;
            }
            out.entry(target).or_default().push(Issue {
                severity: Severity::Warning,
                file: extracts[target].file_name.clone(),
                row: None,
                column: None,
                value: None,
                reason: format!(
                    "worker {} ({}, {} FTE) was in post on {} and is not on the {} snapshot, with no leave date recorded: counted as an inferred leaver in {m} unless a leavers report gives the date",
                    p.id, p.team, p.fte, prev.date, cur.date
                ),
            });
        }
    }
    Ok(out.into_iter().collect())
}
