//! Inferred leavers at import time (contract §3, "Leavers"): a worker in
//! post on snapshot m−1 who is not in post as an employed worker on
//! snapshot m, with no leave recorded in months m−1, m or m+1. The rule is
//! the metrics' own ([`definitions::inferred_leaves`]): the metrics count
//! these leavers, and the import lists them so HR can send the missing
//! leaver records.

use super::{Error, Workspace};
use crate::extract::{Extract, Issue, Kind, Severity};
use crate::metrics::definitions;
use crate::month::{Month, from_epoch_days};
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The workforce columns the rule reads.
const COLUMNS: [&str; 7] = [
    "worker_id",
    "month",
    "snapshot_date",
    "team",
    "fte",
    "employment_type",
    "leave_date",
];

/// The leavers columns the rule reads.
const LEAVER_COLUMNS: [&str; 6] = [
    "worker_id",
    "leave_date",
    "fte",
    "team",
    "service",
    "employment_type",
];

fn only(df: &DataFrame, columns: &[&str]) -> PolarsResult<LazyFrame> {
    Ok(df.select(columns.iter().copied())?.lazy())
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
    // The workspace's snapshots first; the batch's own months replace them.
    let batch_months: HashSet<Month> = batch
        .iter()
        .flat_map(|&i| extracts[i].months.iter().copied())
        .collect();
    // Only the months whose inferred leavers are this batch's to report
    // (its own, and each the month after) and the months before them are
    // read whole; of the others, only the rows recording a leave.
    let reported: Vec<i32> = batch_months.iter().flat_map(|m| [m.0, m.0 + 1]).collect();
    let read: Vec<i32> = reported.iter().flat_map(|m| [*m - 1, *m]).collect();
    let in_months = |months: &[i32]| {
        col("month").is_in(
            lit(Series::new("months".into(), months)).implode(false),
            false,
        )
    };
    // (Columns the rule does not read stay on disk.)
    let unread: Vec<&str> = Kind::Workforce
        .fields()
        .iter()
        .map(|f| f.name())
        .chain(["row"])
        .filter(|c| !COLUMNS.contains(c))
        .collect();
    let mut rows = Vec::new();
    if let Some(held) = ws.load_without(Kind::Workforce, &unread)? {
        let replaced = Series::new(
            "replaced".into(),
            batch_months.iter().map(|m| m.0).collect::<Vec<i32>>(),
        );
        rows.push(
            only(&held, &COLUMNS)?.filter(
                col("month")
                    .is_in(lit(replaced).implode(false), false)
                    .not(),
            ),
        );
    }
    let mut leavers = Vec::new();
    if let Some(held) = ws.load(Kind::Leavers)? {
        leavers.push(only(&held, &LEAVER_COLUMNS)?);
    }
    let mut owner: HashMap<Month, usize> = HashMap::new();
    for (i, (e, df)) in extracts.iter().zip(frames).enumerate() {
        match e.kind {
            Kind::Workforce => {
                rows.push(only(df, &COLUMNS)?);
                for m in &e.months {
                    owner.insert(*m, i);
                }
            }
            Kind::Leavers => leavers.push(only(df, &LEAVER_COLUMNS)?),
            _ => {}
        }
    }
    let rows = concat(rows, UnionArgs::default())?.filter(col("month").is_not_null());
    let leave_rows = rows
        .clone()
        .filter(col("leave_date").is_not_null())
        .collect()?;
    let rows = rows.filter(in_months(&read)).collect()?;
    let leavers = if leavers.is_empty() {
        None
    } else {
        Some(concat(leavers, UnionArgs::default())?.collect()?)
    };
    // From here on a worker is a number: the joins and groupings below
    // then compare integers rather than text.
    let mut codes = Codes::default();
    let rows = codes.apply(&rows)?.lazy();
    let leave_rows = codes.apply(&leave_rows)?.lazy();
    let leavers = leavers
        .map(|l| codes.apply(&l))
        .transpose()?
        .map(|l| l.lazy());

    // Each month held (of those read) and its snapshot date.
    let months = rows
        .clone()
        .group_by_stable([col("month")])
        .agg([col("snapshot_date").first()])
        .collect()?;
    let dates: HashMap<i32, i32> = months
        .column("month")?
        .i32()?
        .into_no_null_iter()
        .zip(
            months
                .column("snapshot_date")?
                .cast(&DataType::Int32)?
                .i32()?
                .iter(),
        )
        .filter_map(|(m, d)| Some((m, d?)))
        .collect();

    // The metrics' rule, over the same rows.
    let recorded = definitions::recorded_leaves(leave_rows, leavers)?.select([
        col("worker_id"),
        definitions::month_of(col("leave_date")).alias("month"),
    ]);
    let employed = rows
        .clone()
        .filter(definitions::employed_in_post())
        .with_row_index("post", None);
    // definitions::gone_from_employment, joined on one number per worker
    // and month (a join on two columns encodes both into bytes first).
    let gone = employed
        .clone()
        .with_column(col("month") + lit(1))
        .with_column(worker_month().alias("key"))
        .join(
            employed.select([worker_month().alias("key")]),
            [col("key")],
            [col("key")],
            JoinArgs::new(JoinType::Anti),
        )
        .drop(cols(["key"]));
    let found = definitions::inferred_leaves(
        gone,
        recorded,
        months
            .lazy()
            .select([col("month")])
            .filter(in_months(&reported)),
        "worker_id",
    )?
    .collect()?;
    // Where each such worker is on snapshot m at all: as an agency worker,
    // or out of post (only their rows are grouped).
    let on_snapshot = rows
        .with_column(worker_month().alias("key"))
        .join(
            found.clone().lazy().select([worker_month().alias("key")]),
            [col("key")],
            [col("key")],
            JoinArgs::new(JoinType::Semi),
        )
        .group_by([col("worker_id"), col("month")])
        .agg([definitions::employed().not().any(true).alias("agency")]);
    let found = found
        .lazy()
        .join(
            on_snapshot,
            [col("worker_id"), col("month")],
            [col("worker_id"), col("month")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["month", "post"], Default::default())
        // One warning per worker and month, for their first post.
        .unique_stable(
            Some(cols(["worker_id", "month"])),
            UniqueKeepStrategy::First,
        )
        .select([
            col("worker_id"),
            col("month"),
            col("snapshot_date").cast(DataType::Int32),
            col("team"),
            col("fte"),
            col("agency"),
        ])
        .collect()?;

    let ids = found.column("worker_id")?.u32()?;
    let month = found.column("month")?.i32()?;
    let before = found.column("snapshot_date")?.i32()?;
    let teams = found.column("team")?.str()?;
    let fte = found.column("fte")?.f64()?;
    let agency = found.column("agency")?.bool()?;
    let mut out: BTreeMap<usize, Vec<Issue>> = BTreeMap::new();
    for i in 0..found.height() {
        let (Some(id), Some(m), Some(before)) = (ids.get(i), month.get(i), before.get(i)) else {
            continue;
        };
        let id = codes.name(id);
        let m = Month(m);
        let Some(&target) = owner.get(&m).or_else(|| owner.get(&(m - 1))) else {
            continue;
        };
        let Some(&now) = dates.get(&m.0) else {
            continue;
        };
        let (before, now) = (from_epoch_days(before), from_epoch_days(now));
        let gone = match agency.get(i) {
            None => format!("is not on the {now} snapshot"),
            Some(true) => format!(
                "is on the {now} snapshot only as an agency worker (employed to agency is a leave)"
            ),
            Some(false) => format!("is not in post on the {now} snapshot"),
        };
        out.entry(target).or_default().push(Issue {
            severity: Severity::Warning,
            file: extracts[target].file_name.clone(),
            row: None,
            column: None,
            value: None,
            reason: format!(
                "worker {id} ({}, {} FTE) was in post on {before} and {gone}, with no leave date recorded: counted as an inferred leaver in {m} unless a leavers report gives the date",
                teams.get(i).unwrap_or(""),
                fte.get(i).unwrap_or(0.0),
            ),
        });
    }
    Ok(out.into_iter().collect())
}

/// A worker's number and a month as one number, to join on.
fn worker_month() -> Expr {
    col("worker_id").cast(DataType::Int64) * lit(1i64 << 32) + col("month").cast(DataType::Int64)
}

/// Worker identifiers as numbers, given in order of first appearance; the
/// identifier of each number is kept for the warnings.
#[derive(Default)]
struct Codes {
    index: PlHashMap<String, u32>,
    names: Vec<String>,
}

impl Codes {
    /// The frame with its `worker_id` column as these numbers.
    fn apply(&mut self, df: &DataFrame) -> PolarsResult<DataFrame> {
        let ids = df.column("worker_id")?.str()?;
        let mut coded: Vec<Option<u32>> = Vec::with_capacity(ids.len());
        for id in ids.iter() {
            coded.push(id.map(|id| match self.index.get(id) {
                Some(&c) => c,
                None => {
                    let c = self.names.len() as u32;
                    self.index.insert(id.to_string(), c);
                    self.names.push(id.to_string());
                    c
                }
            }));
        }
        let mut out = df.clone();
        out.replace(
            "worker_id",
            Series::new("worker_id".into(), coded).into_column(),
        )?;
        Ok(out)
    }

    fn name(&self, code: u32) -> &str {
        &self.names[code as usize]
    }
}
