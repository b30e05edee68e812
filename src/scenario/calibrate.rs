//! Calibration: the model's parameters estimated from the workspace's own
//! history, each with the counts it came from, and the starting state (the
//! latest snapshot of the range).
//!
//! Flows are counted from consecutive snapshots: a worker employed (or
//! agency) on snapshot m−1 and not on snapshot m in the same capacity left
//! in month m; one on m and not on m−1 started. This is the contract's
//! leaver rule seen through snapshots (an employed worker who turns agency
//! has left; an inferred leave counts), and it gives every leaver the
//! cohort they were in when they were last in post, which a leavers report
//! alone cannot. The service-level leavers the contract counts (from
//! `metrics::compute`) are shown beside them as a check and feed the
//! 12-month turnover window before the projection starts.

use super::{Cohort, Error, OverrideProblem};
use crate::measure::Measure;
use crate::metrics::{self, Inputs};
use crate::month::Month;
use crate::workspace::Workspace;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Mean days in a month, to turn days since qualifying into months.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// A permanent social worker's annual cost when the workspace holds no pay
/// data: a mid-point salary (about £41,000) with employer on-costs (~27%).
pub const DEFAULT_PERMANENT_ANNUAL_COST: f64 = 52_000.0;

/// Months per block when measuring how the rates move over time.
pub const BLOCK_MONTHS: usize = 6;

/// One calibrated (or overridden) parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    /// A cohort name, or `all`.
    pub cohort: String,
    pub value: f64,
    /// The counts it came from, in words.
    pub evidence: String,
}

impl Param {
    /// How a scenario's overrides name it: `name.cohort`, or `name` for a
    /// service-wide parameter.
    pub fn key(&self) -> String {
        if self.cohort == "all" {
            self.name.clone()
        } else {
            format!("{}.{}", self.name, self.cohort)
        }
    }

    /// The parameter in plain words, for people who plan rather than
    /// model ("Chance an NQSW leaves in a month", not
    /// `leave_probability.nqsw`).
    pub fn label(&self) -> String {
        let who = match self.cohort.as_str() {
            "nqsw" => "an NQSW",
            "early_career" => "an early-career worker",
            "experienced" => "an experienced worker",
            "agency" => "an agency worker",
            "employed" => "an employed worker",
            _ => "a worker",
        };
        let whom = match self.cohort.as_str() {
            "nqsw" => "NQSWs",
            "early_career" => "Early-career workers",
            "experienced" => "Experienced workers",
            "agency" => "Agency workers",
            "employed" => "Employed workers",
            _ => "Workers",
        };
        let name = self.name.as_str();
        match name {
            "leave_probability" => format!("Chance {who} leaves in a month"),
            "leave_rate_dispersion" => "How much leaving varies between half-years".into(),
            "recruitment_per_month" => format!("{whom} recruited a month"),
            "recruitment_vacancy_fte" => "Vacant FTE that recruitment was counted against".into(),
            "entry_months_since_qualifying" => {
                format!("{whom} join this many months after qualifying")
            }
            "progression_after_months" => format!("{whom} move on after (months qualified)"),
            "observed_conversions_per_month" => {
                "Agency workers who became permanent, a month (seen)".into()
            }
            "agency_cover_of_vacancies" => "Agency FTE for each vacant FTE".into(),
            "agency_cover_dispersion" => "How much agency cover varies between half-years".into(),
            "fte_per_head" => format!("FTE of {who}"),
            "start_headcount" => format!("{whom} in post now"),
            "vacancy_offset_fte" => "Vacant FTE other teams' surplus cannot fill".into(),
            "demand_trend_cases_per_month" => "Change in cases a month (trend)".into(),
            "demand_noise_cases_per_month" => "Month-to-month swing in cases".into(),
            "demand_trend_sd_cases_per_month" => "Uncertainty of that trend, a month".into(),
            "case_holder_share" => "Share of FTE holding cases".into(),
            "agency_day_rate" => super::levers::AGENCY_DAY_RATE_LABEL.into(),
            "permanent_annual_cost" => "Permanent cost a year per FTE (£)".into(),
            "contract_leavers_fte" => "Leavers FTE in the range (the contract's count)".into(),
            n if n == Measure::EstablishmentFte.name() => "Funded posts now (FTE)".into(),
            n if n == Measure::Cases.name() => "Cases held now".into(),
            _ => self.key(),
        }
    }

    /// The value as the label reads it: a probability or share as a
    /// percentage, money in pounds, counts to two decimals.
    pub fn value_text(&self) -> String {
        if !self.value.is_finite() {
            return "none".into();
        }
        match self.name.as_str() {
            "leave_probability" | "case_holder_share" => format!("{:.2}%", 100.0 * self.value),
            "leave_rate_dispersion" | "agency_cover_dispersion" => {
                format!("±{:.0}%", 100.0 * self.value)
            }
            "agency_day_rate" | "permanent_annual_cost" => format!("£{:.0}", self.value),
            _ => format!("{:.2}", self.value),
        }
    }

    /// Whether it only reports what happened (overriding it would change
    /// nothing).
    pub fn informational(&self) -> bool {
        INFORMATIONAL.contains(&self.name.as_str())
    }
}

/// The state the projection starts from: heads by cohort (NQSW and early
/// career by month since qualifying) at the latest snapshot of the range.
#[derive(Clone, Debug, PartialEq)]
pub struct Start {
    pub month: Month,
    /// Heads by month since qualifying, 0–11.
    pub nqsw: [f64; 12],
    /// Heads by month since qualifying, 12–23.
    pub early: [f64; 12],
    pub experienced: f64,
    pub agency: f64,
}

impl Start {
    pub fn heads(&self, c: Cohort) -> f64 {
        match c {
            Cohort::Nqsw => self.nqsw.iter().sum(),
            Cohort::EarlyCareer => self.early.iter().sum(),
            Cohort::Experienced => self.experienced,
            Cohort::Agency => self.agency,
        }
    }
}

/// Calibrated parameters, the starting state and the history the
/// projection needs (leavers before the start, for the 12-month window).
#[derive(Clone, Debug)]
pub struct Calibration {
    pub from: Month,
    pub to: Month,
    pub params: Vec<Param>,
    pub start: Start,
    /// The contract's service-level leavers FTE by month held.
    pub history_leavers_fte: BTreeMap<Month, f64>,
    /// How much evidence the rates rest on, for the Monte Carlo's draws of
    /// the rates themselves.
    pub evidence: Evidence,
}

/// The sizes of the samples the rates were estimated from. The Monte
/// Carlo draws each run's rates from their posterior given this much
/// evidence. An override is taken as given: its evidence is set to 0, and
/// the Monte Carlo then keeps that rate fixed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    /// Worker-months at risk by cohort: workers in post at the month
    /// before, summed over the months of flows.
    pub at_risk: [f64; 4],
    /// Months of flows each cohort's recruitment rate is averaged over.
    pub months: [f64; 4],
}

/// Who was in post on one snapshot, keyed by (employed, worker id): the
/// same person as employed and as agency are two different posts, so a
/// move between them is a leave and a start, as the contract says.
#[derive(Clone, Debug)]
struct Post {
    fte: f64,
    cohort: Cohort,
    /// Months since qualifying (0–23) for NQSW and early career.
    bucket: usize,
}

// Ordered, so sums over a snapshot add in the same order every run.
type Snapshot = BTreeMap<(bool, String), Post>;

/// What the workspace holds, read once: in-post workers by snapshot and the
/// contract's service-level metrics by month.
pub struct Observed {
    posts: BTreeMap<Month, Snapshot>,
    /// Service-level (`all`) metrics by month, by name.
    pub metrics: BTreeMap<Month, HashMap<String, Option<f64>>>,
    /// FTE-weighted agency day rate by month (agency rows with a rate).
    day_rates: BTreeMap<Month, (f64, f64)>,
}

fn perr(e: PolarsError) -> Error {
    Error::Data(e)
}

/// NQSW (the contract's rule: the ASYE flag, else under 365 days since
/// qualifying), early career (under 730 days) or experienced, with the
/// month since qualifying for the first two.
fn classify(
    snap: i32,
    qual: Option<i32>,
    asye: Option<bool>,
    start: Option<i32>,
) -> (Cohort, usize) {
    let since = qual.map(|q| snap - q);
    let months = |d: i32| (d as f64 / DAYS_PER_MONTH).floor() as i64;
    let nqsw = asye.unwrap_or(since.is_some_and(|d| d < 365));
    if nqsw {
        // The ASYE year runs from the start in post, which can be months
        // after qualifying: a flagged worker's time in post is their time
        // into the year (counting from qualifying put workers still on
        // their ASYE at its end, and the whole group became early career
        // in the projection's first month). Without a start date, time
        // since qualifying; with neither, the middle of the year.
        let in_post = start.map(|s| snap - s).filter(|d| *d >= 0);
        let m = if asye == Some(true) {
            in_post.or(since)
        } else {
            since.or(in_post)
        }
        .map(months)
        .unwrap_or(6);
        (Cohort::Nqsw, m.clamp(0, 11) as usize)
    } else if let Some(d) = since.filter(|d| *d < 730) {
        (Cohort::EarlyCareer, months(d).clamp(12, 23) as usize)
    } else {
        (Cohort::Experienced, 0)
    }
}

fn f64_col(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, Error> {
    let c = df
        .column(name)
        .map_err(perr)?
        .cast(&DataType::Float64)
        .map_err(perr)?;
    Ok(c.f64().map_err(perr)?.iter().collect())
}

fn i32_col(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>, Error> {
    let c = df
        .column(name)
        .map_err(perr)?
        .cast(&DataType::Int32)
        .map_err(perr)?;
    Ok(c.i32().map_err(perr)?.iter().collect())
}

impl Observed {
    pub fn load(ws: &Workspace) -> Result<Observed, Error> {
        Observed::from_inputs(&ws.required_inputs()?, ws.settings().limits())
    }

    pub fn from_inputs(inputs: &Inputs, limits: metrics::Limits) -> Result<Observed, Error> {
        let days = |n: &str| col(n).cast(DataType::Int32);
        let rows = inputs
            .workforce
            .clone()
            .lazy()
            .with_columns([
                days("snapshot_date").alias("snap"),
                days("leave_date").alias("leave"),
                days("qualified_date").alias("qual"),
                days("start_date").alias("start"),
                col("employment_type").neq(lit("agency")).alias("employed"),
            ])
            .filter(col("leave").is_null().or(col("leave").gt(col("snap"))));
        let per_worker = rows
            .clone()
            .group_by([col("month"), col("worker_id"), col("employed")])
            .agg([
                col("fte").sum().alias("fte"),
                col("snap").first().alias("snap"),
                col("qual").drop_nulls().min().alias("qual"),
                col("asye").drop_nulls().first().alias("asye"),
                col("start").drop_nulls().min().alias("start"),
            ])
            .collect()
            .map_err(perr)?;
        let rates = rows
            .filter(col("employed").not().and(col("day_rate").is_not_null()))
            .group_by([col("month")])
            .agg([
                (col("fte") * col("day_rate")).sum().alias("cost"),
                col("fte").sum().alias("fte"),
            ])
            .collect()
            .map_err(perr)?;

        let month = i32_col(&per_worker, "month")?;
        let snap = i32_col(&per_worker, "snap")?;
        let qual = i32_col(&per_worker, "qual")?;
        let start = i32_col(&per_worker, "start")?;
        let fte = f64_col(&per_worker, "fte")?;
        let employed: Vec<Option<bool>> = per_worker
            .column("employed")
            .map_err(perr)?
            .bool()
            .map_err(perr)?
            .iter()
            .collect();
        let asye: Vec<Option<bool>> = per_worker
            .column("asye")
            .map_err(perr)?
            .cast(&DataType::Boolean)
            .map_err(perr)?
            .bool()
            .map_err(perr)?
            .iter()
            .collect();
        let ids: Vec<Option<String>> = per_worker
            .column("worker_id")
            .map_err(perr)?
            .str()
            .map_err(perr)?
            .iter()
            .map(|s| s.map(str::to_string))
            .collect();
        let mut posts: BTreeMap<Month, Snapshot> = BTreeMap::new();
        for i in 0..per_worker.height() {
            let (Some(m), Some(s), Some(id), Some(emp)) =
                (month[i], snap[i], ids[i].clone(), employed[i])
            else {
                continue;
            };
            let (cohort, bucket) = if emp {
                classify(s, qual[i], asye[i], start[i])
            } else {
                (Cohort::Agency, 0)
            };
            posts.entry(Month(m)).or_default().insert(
                (emp, id),
                Post {
                    fte: fte[i].unwrap_or(0.0),
                    cohort,
                    bucket,
                },
            );
        }

        let mut day_rates = BTreeMap::new();
        let (rm, rc, rf) = (
            i32_col(&rates, "month")?,
            f64_col(&rates, "cost")?,
            f64_col(&rates, "fte")?,
        );
        for i in 0..rates.height() {
            if let (Some(m), Some(c), Some(f)) = (rm[i], rc[i], rf[i]) {
                day_rates.insert(Month(m), (c, f));
            }
        }

        let df = metrics::compute(inputs, limits).map_err(perr)?;
        let df = df
            .lazy()
            .filter(col("group_kind").eq(lit("all")))
            .collect()
            .map_err(perr)?;
        let months: Vec<Option<String>> = df
            .column("month")
            .map_err(perr)?
            .str()
            .map_err(perr)?
            .iter()
            .map(|s| s.map(str::to_string))
            .collect();
        let mut by_month: BTreeMap<Month, HashMap<String, Option<f64>>> = BTreeMap::new();
        for name in metrics::METRICS {
            let values = f64_col(&df, name)?;
            for (m, v) in months.iter().zip(values) {
                if let Some(m) = m.as_deref().and_then(|m| m.parse::<Month>().ok()) {
                    by_month
                        .entry(m)
                        .or_default()
                        .insert(name.to_string(), v.filter(|v| v.is_finite()));
                }
            }
        }
        Ok(Observed {
            posts,
            metrics: by_month,
            day_rates,
        })
    }

    pub fn months(&self) -> Vec<Month> {
        self.posts.keys().copied().collect()
    }

    /// A service-level metric the contract computes, if held and not null.
    pub fn metric(&self, m: Month, name: &str) -> Option<f64> {
        self.metrics
            .get(&m)
            .and_then(|r| r.get(name).copied().flatten())
    }

    /// Starters by cohort (heads) in month m: on snapshot m, not on m−1.
    /// `None` unless both snapshots are held.
    pub fn starters(&self, m: Month) -> Option<[f64; 4]> {
        let (now, before) = (self.posts.get(&m)?, self.posts.get(&(m - 1))?);
        let mut out = [0.0; 4];
        for (k, p) in now {
            if !before.contains_key(k) {
                out[p.cohort.index()] += 1.0;
            }
        }
        Some(out)
    }

    /// The starting state: heads by cohort and bucket on snapshot m.
    fn start(&self, m: Month) -> Option<(Start, [f64; 4])> {
        let snap = self.posts.get(&m)?;
        let mut s = Start {
            month: m,
            nqsw: [0.0; 12],
            early: [0.0; 12],
            experienced: 0.0,
            agency: 0.0,
        };
        let mut fte = [0.0; 4];
        for p in snap.values() {
            fte[p.cohort.index()] += p.fte;
            match p.cohort {
                Cohort::Nqsw => s.nqsw[p.bucket.min(11)] += 1.0,
                Cohort::EarlyCareer => s.early[p.bucket.clamp(12, 23) - 12] += 1.0,
                Cohort::Experienced => s.experienced += 1.0,
                Cohort::Agency => s.agency += 1.0,
            }
        }
        Some((s, fte))
    }

    /// Calibrate on the snapshots `from`…`to` (default: the last 12 months
    /// held). The projection starts from the latest snapshot on or before `to`.
    pub fn calibrate(&self, from: Option<Month>, to: Option<Month>) -> Result<Calibration, Error> {
        let last = *self.posts.keys().next_back().ok_or(Error::NoSnapshot)?;
        let to = to.unwrap_or(last);
        let from = from.unwrap_or(to - 11);
        if from > to {
            return Err(Error::Range { from, to });
        }
        let start_month = *self
            .posts
            .range(..=to)
            .next_back()
            .ok_or(Error::NoSnapshotBy(to))?
            .0;
        let (start, start_fte) = self
            .start(start_month)
            .ok_or(Error::NoSnapshotFor(start_month))?;

        // Flows between consecutive snapshots within the range.
        let mut in_post = [0.0f64; 4];
        let mut leavers = [0.0f64; 4];
        let mut starters = [0.0f64; 4];
        let mut entry_sum = [0.0f64; 4];
        let mut progressed = [0.0f64; 2];
        let mut conversions = 0.0;
        let mut transitions = 0usize;
        // The snapshots each month's starters were recruited against.
        let mut before_months: Vec<Month> = Vec::new();
        // Employed leavers and workers at risk, month by month.
        let mut monthly: Vec<(f64, f64)> = Vec::new();
        for (m, now) in self.posts.range(from..=to) {
            let Some(before) = self.posts.get(&(*m - 1)) else {
                continue;
            };
            transitions += 1;
            before_months.push(*m - 1);
            let employed_before = (
                leavers[..3].iter().sum::<f64>(),
                in_post[..3].iter().sum::<f64>(),
            );
            for (k, p) in before {
                let c = p.cohort.index();
                in_post[c] += 1.0;
                match now.get(k) {
                    None => {
                        leavers[c] += 1.0;
                        if !k.0 && now.contains_key(&(true, k.1.clone())) {
                            conversions += 1.0;
                        }
                    }
                    Some(q) => match (p.cohort, q.cohort) {
                        (Cohort::Nqsw, Cohort::EarlyCareer) => progressed[0] += 1.0,
                        (Cohort::EarlyCareer, Cohort::Experienced) => progressed[1] += 1.0,
                        _ => {}
                    },
                }
            }
            monthly.push((
                leavers[..3].iter().sum::<f64>() - employed_before.0,
                in_post[..3].iter().sum::<f64>() - employed_before.1,
            ));
            for (k, p) in now {
                if !before.contains_key(k) {
                    starters[p.cohort.index()] += 1.0;
                    entry_sum[p.cohort.index()] += p.bucket as f64;
                }
            }
        }
        let range = format!("{from}…{to}");
        let mut params = Vec::new();
        let mut push = |name: &str, cohort: &str, value: f64, evidence: String| {
            params.push(Param {
                name: name.to_string(),
                cohort: cohort.to_string(),
                value,
                evidence,
            })
        };

        for c in Cohort::ALL {
            let i = c.index();
            let p = if in_post[i] > 0.0 {
                leavers[i] / in_post[i]
            } else {
                0.0
            };
            push(
                "leave_probability",
                c.name(),
                p,
                format!(
                    "{} leavers of {} in post at the month before, over {transitions} month(s) {range}",
                    leavers[i], in_post[i]
                ),
            );
        }
        // The rates are not constant: half-year by half-year the employed
        // leave rate moves by more than chance alone would move it. That
        // extra spread, relative to the rate, is how far a future period's
        // rates may sit from the calibrated ones.
        let blocks: Vec<(f64, f64)> = monthly
            .chunks(BLOCK_MONTHS)
            .filter(|b| b.len() * 2 >= BLOCK_MONTHS)
            .map(|b| b.iter().fold((0.0, 0.0), |a, x| (a.0 + x.0, a.1 + x.1)))
            .filter(|b| b.1 > 0.0)
            .collect();
        let (dispersion, disp_ev) = {
            let (l, n) = blocks
                .iter()
                .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            let k = blocks.len() as f64;
            if blocks.len() >= 2 && l > 0.0 {
                let p = l / n;
                let between =
                    blocks.iter().map(|b| (b.0 / b.1 - p).powi(2)).sum::<f64>() / (k - 1.0);
                let chance = blocks.iter().map(|b| p * (1.0 - p) / b.1).sum::<f64>() / k;
                let rel = ((between - chance).max(0.0) * (1.0 + 1.0 / k)).sqrt() / p;
                (
                    rel,
                    format!(
                        "relative spread, beyond chance, of the employed leave rate over {} blocks of {BLOCK_MONTHS} months {range} (rates {}); each Monte Carlo run scales every cohort's leave probability by a draw with this spread (0: none)",
                        blocks.len(),
                        blocks
                            .iter()
                            .map(|b| format!("{:.2}%", 100.0 * b.0 / b.1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            } else {
                (
                    0.0,
                    format!(
                        "fewer than two blocks of {BLOCK_MONTHS} months with leavers {range}: no spread"
                    ),
                )
            }
        };
        push("leave_rate_dispersion", "employed", dispersion, disp_ev);
        let per_month = |n: f64| {
            if transitions > 0 {
                n / transitions as f64
            } else {
                0.0
            }
        };
        for c in Cohort::ALL {
            let i = c.index();
            let note = if c == Cohort::Agency {
                "; in the projection agency hires follow the agency cover of vacancies, not this rate"
            } else {
                ""
            };
            push(
                "recruitment_per_month",
                c.name(),
                per_month(starters[i]),
                format!(
                    "{} starters over {transitions} month(s) {range}{note}",
                    starters[i]
                ),
            );
        }
        // Recruitment fills vacancies: a service with fewer vacant posts
        // recruits fewer. The calibrated rates above were counted against
        // this many vacancies; the projection scales them by the vacancies
        // it holds each month, so a do-nothing projection settles where
        // leavers and recruits balance instead of hiring into posts that
        // do not exist.
        let vac_before: Vec<f64> = before_months
            .iter()
            .filter_map(|m| self.metric(*m, Measure::VacancyFte.name()))
            .collect();
        let (ref_vac, ref_ev) = if vac_before.is_empty() {
            (
                f64::NAN,
                format!("no vacancies on record {range}: calibrated recruitment is not scaled"),
            )
        } else {
            let mean = vac_before.iter().sum::<f64>() / vac_before.len() as f64;
            (
                mean,
                format!(
                    "mean vacancy FTE on the {} snapshot(s) before each month's starters {range}; calibrated recruitment scales with the vacancies held relative to this (0: not scaled)",
                    vac_before.len()
                ),
            )
        };
        push("recruitment_vacancy_fte", "all", ref_vac, ref_ev);
        for (c, lo, hi, default) in [
            (Cohort::Nqsw, 0.0, 11.0, 3.0),
            (Cohort::EarlyCareer, 12.0, 23.0, 12.0),
        ] {
            let i = c.index();
            let (v, ev) = if starters[i] > 0.0 {
                let v = (entry_sum[i] / starters[i]).round().clamp(lo, hi);
                (
                    v,
                    format!(
                        "mean months since qualifying of {} starters {range}",
                        starters[i]
                    ),
                )
            } else {
                (
                    default,
                    format!("no {} started {range}: default {default}", c.plural()),
                )
            };
            push("entry_months_since_qualifying", c.name(), v, ev);
        }
        push(
            "progression_after_months",
            "nqsw",
            12.0,
            format!(
                "the contract (NQSW: under 365 days qualified); {} NQSWs became early career {range}",
                progressed[0]
            ),
        );
        push(
            "progression_after_months",
            "early_career",
            24.0,
            format!(
                "the contract (early career: under 730 days qualified); {} became experienced {range}",
                progressed[1]
            ),
        );
        push(
            "observed_conversions_per_month",
            "agency",
            per_month(conversions),
            format!(
                "{conversions} agency workers became employed {range}; already in the leavers and starters above, so not applied (use the lever \"{}\")",
                super::levers::CONVERSIONS_LABEL
            ),
        );

        // Service-level figures from the contract's metrics.
        let held: Vec<Month> = self.metrics.range(from..=to).map(|(m, _)| *m).collect();
        let sum = |name: &str| -> (f64, usize) {
            held.iter()
                .filter_map(|m| self.metric(*m, name))
                .fold((0.0, 0), |(s, n), v| (s + v, n + 1))
        };
        let (agency_sum, _) = sum(Measure::AgencyFte.name());
        // How the cover ratio moved between blocks of months, relative to
        // its mean.
        let cover_blocks: Vec<f64> = held
            .chunks(BLOCK_MONTHS)
            .filter(|b| b.len() * 2 >= BLOCK_MONTHS)
            .filter_map(|b| {
                let (a, v) = b.iter().fold((0.0, 0.0), |acc, m| {
                    match (
                        self.metric(*m, Measure::AgencyFte.name()),
                        self.metric(*m, Measure::VacancyFte.name()),
                    ) {
                        (Some(a), Some(v)) => (acc.0 + a, acc.1 + v),
                        _ => acc,
                    }
                });
                (v > 0.0).then(|| a / v)
            })
            .collect();
        let (vac_sum, vac_n) = sum(Measure::VacancyFte.name());
        let (contract_leavers, _) = sum(Measure::LeaversFte.name());
        if vac_n > 0 && vac_sum > 0.0 {
            // The cover in force on the starting snapshot, so that the first
            // projected month carries on from the agency stock actually held
            // (the range's average would replace it at once: a council whose
            // agency use has fallen would see it jump back in one month).
            let at_start = match (
                self.metric(start_month, Measure::AgencyFte.name()),
                self.metric(start_month, Measure::VacancyFte.name()),
            ) {
                (Some(a), Some(v)) if v > 0.0 => Some((a, v)),
                _ => None,
            };
            let average = agency_sum / vac_sum;
            let (cover, ev) = match at_start {
                Some((a, v)) => (
                    a / v,
                    format!(
                        "agency FTE {a:.1} over vacancy FTE {v:.1} on {start_month}, the cover in force when the projection starts (average {average:.2} over {vac_n} month(s) {range})"
                    ),
                ),
                None => (
                    average,
                    format!(
                        "agency FTE {agency_sum:.1} over vacancy FTE {vac_sum:.1}, summed over {vac_n} month(s) {range} (no vacancies on {start_month})"
                    ),
                ),
            };
            push("agency_cover_of_vacancies", "agency", cover, ev);
            let k = cover_blocks.len() as f64;
            let (spread, ev) = if cover_blocks.len() >= 2 {
                let mean = cover_blocks.iter().sum::<f64>() / k;
                let var = cover_blocks.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (k - 1.0);
                (
                    (var * (1.0 + 1.0 / k)).sqrt() / mean,
                    format!(
                        "relative spread of the cover over {} blocks of {BLOCK_MONTHS} months {range} ({}); each Monte Carlo run scales the cover by a draw with this spread (0: none)",
                        cover_blocks.len(),
                        cover_blocks
                            .iter()
                            .map(|c| format!("{c:.2}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            } else {
                (
                    0.0,
                    format!("fewer than two blocks of {BLOCK_MONTHS} months {range}: no spread"),
                )
            };
            push("agency_cover_dispersion", "agency", spread, ev);
        } else {
            push(
                "agency_cover_of_vacancies",
                "agency",
                f64::NAN,
                format!(
                    "no vacancies on record {range} (no establishment data or none vacant): agency FTE is held at its starting level"
                ),
            );
        }

        let employed_heads = start.heads(Cohort::Nqsw)
            + start.heads(Cohort::EarlyCareer)
            + start.heads(Cohort::Experienced);
        let employed_fte: f64 = start_fte[..3].iter().sum();
        push(
            "fte_per_head",
            "employed",
            if employed_heads > 0.0 {
                employed_fte / employed_heads
            } else {
                1.0
            },
            format!(
                "{employed_fte:.2} employed FTE over {employed_heads} workers on {start_month}"
            ),
        );
        push(
            "fte_per_head",
            "agency",
            if start.agency > 0.0 {
                start_fte[3] / start.agency
            } else {
                1.0
            },
            format!(
                "{:.2} agency FTE over {} workers on {start_month}",
                start_fte[3], start.agency
            ),
        );
        for c in Cohort::ALL {
            push(
                "start_headcount",
                c.name(),
                start.heads(c),
                format!(
                    "workers in post on {start_month} ({:.2} FTE); an override scales the cohort",
                    start_fte[c.index()]
                ),
            );
        }

        let est = self.metric(start_month, Measure::EstablishmentFte.name());
        let vac = self.metric(start_month, Measure::VacancyFte.name());
        match (est, vac) {
            (Some(e), Some(v)) => {
                push(
                    Measure::EstablishmentFte.name(),
                    "all",
                    e,
                    format!("funded FTE in force on {start_month}"),
                );
                push(
                    "vacancy_offset_fte",
                    "all",
                    v - (e - employed_fte),
                    format!(
                        "vacancies {v:.2} FTE minus (establishment − employed) {:.2}: teams over establishment do not fill other teams' vacancies",
                        e - employed_fte
                    ),
                );
            }
            _ => push(
                Measure::EstablishmentFte.name(),
                "all",
                f64::NAN,
                format!("no establishment in force on {start_month}: vacancy rate not projected"),
            ),
        }

        let cases = self
            .metric(start_month, Measure::Cases.name())
            .unwrap_or(0.0);
        let holders = self
            .metric(start_month, Measure::CaseHoldersFte.name())
            .unwrap_or(0.0);
        let total_fte = employed_fte + start_fte[3];
        push(
            Measure::Cases.name(),
            "all",
            cases,
            format!("cases held on {start_month}"),
        );
        let points: Vec<(f64, f64)> = held
            .iter()
            .filter_map(|m| {
                self.metric(*m, Measure::Cases.name())
                    .map(|c| ((m.0 - start_month.0) as f64, c))
            })
            .collect();
        let slope = least_squares_slope(&points);
        // Demand's own uncertainty: cases move as a random walk around the
        // trend, with the spread of the month-to-month changes the trend
        // does not explain; the trend itself is known only to about that
        // spread over the square root of the number of changes.
        let changes: Vec<f64> = held
            .windows(2)
            .filter(|w| w[1].0 - w[0].0 == 1)
            .filter_map(|w| {
                Some(
                    self.metric(w[1], Measure::Cases.name())?
                        - self.metric(w[0], Measure::Cases.name())?,
                )
            })
            .collect();
        let trend = slope.unwrap_or(0.0);
        let step_sd = if changes.len() >= 2 {
            (changes.iter().map(|d| (d - trend).powi(2)).sum::<f64>() / (changes.len() - 1) as f64)
                .sqrt()
        } else {
            0.0
        };
        push(
            "demand_trend_cases_per_month",
            "all",
            slope.unwrap_or(0.0),
            match slope {
                Some(_) => format!(
                    "least-squares slope of cases over {} month(s) {range}",
                    points.len()
                ),
                None => format!("fewer than two months of cases {range}: no trend"),
            },
        );
        push(
            "demand_noise_cases_per_month",
            "all",
            step_sd,
            format!(
                "standard deviation of {} month-to-month changes in cases around the trend {range}; each Monte Carlo run walks randomly with this step (0: no demand noise)",
                changes.len()
            ),
        );
        push(
            "demand_trend_sd_cases_per_month",
            "all",
            if changes.is_empty() {
                0.0
            } else {
                step_sd / (changes.len() as f64).sqrt()
            },
            format!(
                "uncertainty of the trend: demand noise over the square root of {} change(s) {range}; each Monte Carlo run draws its own trend",
                changes.len()
            ),
        );
        push(
            "case_holder_share",
            "all",
            if total_fte > 0.0 {
                holders / total_fte
            } else {
                0.0
            },
            format!("case-holding FTE {holders:.2} over all FTE {total_fte:.2} on {start_month}"),
        );

        let (rate, ev) = match self.day_rates.get(&start_month) {
            Some((c, f)) if *f > 0.0 => (
                c / f,
                format!("FTE-weighted day rate of {f:.2} agency FTE with a rate on {start_month}"),
            ),
            _ => match self.day_rates.range(from..=to).next_back() {
                Some((m, (c, f))) if *f > 0.0 => (
                    c / f,
                    format!("FTE-weighted day rate on {m}, the latest month with one"),
                ),
                _ => (
                    0.0,
                    format!(
                        "no agency day rate on record: agency cost is 0 unless the lever \"{}\" is set",
                        super::levers::AGENCY_DAY_RATE_LABEL
                    ),
                ),
            },
        };
        push("agency_day_rate", "agency", rate, ev);
        push(
            "permanent_annual_cost",
            "employed",
            DEFAULT_PERMANENT_ANNUAL_COST,
            "default: the extracts hold no pay data (a mid-point social worker salary with on-costs)".to_string(),
        );
        push(
            "contract_leavers_fte",
            "employed",
            contract_leavers,
            format!(
                "the contract's leavers FTE summed {range} (check: the snapshot flows above count {} employed leavers)",
                leavers[..3].iter().sum::<f64>()
            ),
        );

        let history_leavers_fte = self
            .metrics
            .range(..=start_month)
            .map(|(m, r)| {
                (
                    *m,
                    r.get(Measure::LeaversFte.name())
                        .copied()
                        .flatten()
                        .unwrap_or(0.0),
                )
            })
            .collect();
        Ok(Calibration {
            from,
            to,
            params,
            start,
            history_leavers_fte,
            evidence: Evidence {
                at_risk: in_post,
                months: [transitions as f64; 4],
            },
        })
    }
}

/// Slope of the least-squares line through (x, y); `None` under two points.
pub fn least_squares_slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Calibrate from a workspace (default range: the last 12 months held).
pub fn calibrate(
    ws: &Workspace,
    from: Option<Month>,
    to: Option<Month>,
) -> Result<Calibration, Error> {
    Observed::load(ws)?.calibrate(from, to)
}

/// Parameters that only report (changing them would change nothing).
const INFORMATIONAL: &[&str] = &[
    "observed_conversions_per_month",
    "contract_leavers_fte",
    "progression_after_months",
];

impl Calibration {
    pub fn param(&self, name: &str, cohort: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|p| p.name == name && p.cohort == cohort)
    }

    /// A parameter's value; NaN when it is absent (no data).
    pub fn value(&self, name: &str, cohort: &str) -> f64 {
        self.param(name, cohort)
            .map(|p| p.value)
            .unwrap_or(f64::NAN)
    }

    /// Apply overrides keyed `name.cohort` (or `name` for service-wide
    /// parameters), keeping what they replaced in the evidence.
    pub fn apply_overrides(&mut self, overrides: &BTreeMap<String, f64>) -> Result<(), Error> {
        let mut problems = Vec::new();
        for (key, value) in overrides {
            let (name, cohort) = match key.split_once('.') {
                Some((n, c)) => (n, c),
                None => (key.as_str(), "all"),
            };
            let names: Vec<String> = self
                .params
                .iter()
                .filter(|p| !p.informational())
                .map(Param::key)
                .collect();
            if INFORMATIONAL.contains(&name) {
                problems.push(OverrideProblem::Informational {
                    key: key.clone(),
                    name: name.to_string(),
                });
                continue;
            }
            if !value.is_finite() || *value < 0.0 {
                problems.push(OverrideProblem::Value {
                    key: key.clone(),
                    value: *value,
                });
                continue;
            }
            if name == "leave_probability" && *value > 1.0 {
                problems.push(OverrideProblem::Probability { key: key.clone() });
                continue;
            }
            let Some(p) = self
                .params
                .iter_mut()
                .find(|p| p.name == name && p.cohort == cohort)
            else {
                problems.push(OverrideProblem::Unknown {
                    key: key.clone(),
                    parameters: names,
                });
                continue;
            };
            p.evidence = format!(
                "override (calibrated {}: {})",
                fmt_value(p.value),
                p.evidence
            );
            p.value = *value;
            if let Some(c) = Cohort::parse(cohort) {
                match name {
                    "leave_probability" => self.evidence.at_risk[c.index()] = 0.0,
                    "recruitment_per_month" => self.evidence.months[c.index()] = 0.0,
                    _ => {}
                }
            }
            if name == "start_headcount" {
                let c = Cohort::parse(cohort).unwrap_or(Cohort::Experienced);
                let now = self.start.heads(c);
                let k = if now > 0.0 { value / now } else { 0.0 };
                match c {
                    Cohort::Nqsw if now > 0.0 => self.start.nqsw.iter_mut().for_each(|h| *h *= k),
                    Cohort::Nqsw => self.start.nqsw[6] = *value,
                    Cohort::EarlyCareer if now > 0.0 => {
                        self.start.early.iter_mut().for_each(|h| *h *= k)
                    }
                    Cohort::EarlyCareer => self.start.early[0] = *value,
                    Cohort::Experienced => self.start.experienced = *value,
                    Cohort::Agency => self.start.agency = *value,
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Overrides(problems))
        }
    }

    /// One row per parameter: in plain words, its value (full precision,
    /// then as the app shows it: a chance as a percentage, money in
    /// pounds), the evidence, and the key a scenario file's `overrides`
    /// name it by.
    pub fn to_frame(&self) -> PolarsResult<DataFrame> {
        let column = |name: &str, f: fn(&Param) -> String| {
            Column::new(name.into(), self.params.iter().map(f).collect::<Vec<_>>())
        };
        DataFrame::new(
            self.params.len(),
            vec![
                // The plain words the app's Calibration panel shows, so
                // the two read alike; the key a scenario file's overrides
                // use comes last.
                column("parameter", Param::label),
                Column::new(
                    "value".into(),
                    self.params
                        .iter()
                        .map(|p| p.value.is_finite().then_some(p.value))
                        .collect::<Vec<Option<f64>>>(),
                ),
                column("as_shown", Param::value_text),
                column("evidence", |p| p.evidence.clone()),
                column("scenario_key", Param::key),
            ],
        )
    }
}

fn fmt_value(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.4}")
    } else {
        "none".to_string()
    }
}
