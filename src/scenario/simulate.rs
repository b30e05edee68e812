//! The Monte Carlo: the same stock-and-flow as the expected path, with
//! whole workers, and with the uncertainty in the rates themselves, not
//! only the chance in who leaves and joins. Each run first draws its own
//! rates from what the calibration saw:
//! - every cohort's monthly leave probability from its posterior,
//!   Beta(leavers + ½, stayers + ½) over the worker-months at risk;
//! - one "climate" factor on all employed leave probabilities (mean 1,
//!   the relative spread of the leave rate between half-years beyond
//!   chance), since rates move together from one period to the next;
//! - every calibrated recruitment rate from Gamma(starters + ½, 1 / months);
//! - a factor on the agency cover of vacancies (mean 1, its spread between
//!   half-years);
//! - its own demand trend (normal around the calibrated one).
//!
//! Within the run, leavers are binomial per cohort (and per month since
//! qualifying), calibrated recruits Poisson at the run's rate (so
//! Poisson–Gamma overall), planned recruits as planned, and cases take a
//! random step each month (the spread of the month-to-month changes around
//! the trend). An overridden rate is taken as given and not drawn. The
//! expected path is untouched: every draw is centred on the calibrated
//! value (up to the ½ of the Jeffreys prior).
//!
//! Runs are spread over threads with rayon; run r draws from ChaCha8 seeded
//! with the master seed on stream r, so the numbers do not depend on how
//! many threads there are.

use super::METRICS;
use super::model::{MonthPlan, NM, Path, Plan, State, employed_heads, expected_path};
use crate::month::Month;
use polars::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Binomial, Distribution, Gamma, Poisson, StandardNormal};
use rayon::prelude::*;

/// Workers leaving (or joining) out of `n`, each with probability `p`.
fn binomial(rng: &mut ChaCha8Rng, n: f64, p: f64) -> f64 {
    let n = n.max(0.0) as u64;
    if n == 0 || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return n as f64;
    }
    // For the handful of workers in one month-since-qualifying bucket,
    // n coin flips are cheaper than setting up the binomial sampler.
    if n <= 8 {
        return (0..n).filter(|_| rng.random::<f64>() < p).count() as f64;
    }
    Binomial::new(n, p)
        .map(|b| b.sample(rng) as f64)
        .unwrap_or(0.0)
}

/// Recruits in a month: planned ones start (a fraction of a worker starts
/// with that probability); calibrated ones are Poisson with the run's mean.
fn recruits(rng: &mut ChaCha8Rng, mean: f64, planned: bool) -> f64 {
    if mean <= 0.0 || !mean.is_finite() {
        return 0.0;
    }
    if planned {
        let whole = mean.floor();
        return whole + f64::from(u8::from(rng.random::<f64>() < mean - whole));
    }
    Poisson::new(mean).map(|d| d.sample(rng)).unwrap_or(mean)
}

/// One run's own rates, drawn once before its first month.
struct Draw {
    /// Leave probability by cohort, before the levers (`None`: as planned).
    leave: [Option<f64>; 4],
    /// Calibrated recruits per month by employed cohort (`None`: as planned).
    recruit: [Option<f64>; 3],
    /// The run's demand trend minus the calibrated one (cases per month).
    trend: f64,
    /// The run's factor on every employed leave probability (the period's
    /// climate) and on the agency cover of vacancies.
    climate: f64,
    cover: f64,
}

/// A positive factor of mean 1 and relative standard deviation `sd`
/// (Gamma with shape 1/sd², scale sd²); 1 when `sd` is 0.
fn factor(rng: &mut ChaCha8Rng, sd: f64) -> f64 {
    if sd <= 0.0 || !sd.is_finite() {
        return 1.0;
    }
    let v = sd * sd;
    Gamma::new(1.0 / v, v).map(|d| d.sample(rng)).unwrap_or(1.0)
}

fn draw(plan: &Plan, rng: &mut ChaCha8Rng) -> Draw {
    let u = &plan.uncertainty;
    let leave = u
        .leave
        .map(|ab| ab.and_then(|(a, b)| Beta::new(a, b).ok().map(|d| d.sample(rng))));
    let recruit = u
        .recruit
        .map(|ks| ks.and_then(|(k, scale)| Gamma::new(k, scale).ok().map(|d| d.sample(rng))));
    let z: f64 = rng.sample(StandardNormal);
    let climate = factor(rng, u.leave_dispersion);
    let cover = factor(rng, u.cover_dispersion);
    Draw {
        leave,
        recruit,
        trend: u.trend_sd * z,
        climate,
        cover,
    }
}

/// A month's plan with the run's own rates and demand in place of the
/// calibrated ones. `t` counts projected months from 1; `walk` is the
/// run's demand random walk so far, stepped here.
fn month_for_run(
    plan: &Plan,
    mp: &MonthPlan,
    d: &Draw,
    t: usize,
    walk: &mut f64,
    rng: &mut ChaCha8Rng,
) -> MonthPlan {
    let u = &plan.uncertainty;
    let mut m = mp.clone();
    for (i, q) in d.leave.iter().enumerate() {
        if let Some(q) = q {
            let base = u.base_leave[i];
            m.leave_p[i] = if base > 0.0 {
                mp.leave_p[i] * q / base
            } else {
                q * mp.leave_factor[i]
            }
            .clamp(0.0, 1.0);
        }
    }
    for p in &mut m.leave_p[..3] {
        *p = (*p * d.climate).clamp(0.0, 1.0);
    }
    m.cover_factor = d.cover;
    for (i, l) in d.recruit.iter().enumerate() {
        if let (Some(l), false) = (l, mp.planned[i]) {
            let base = u.base_recruit[i];
            m.recruit[i] = if base > 0.0 {
                mp.recruit[i] * l / base
            } else {
                *l
            };
        }
    }
    if u.demand_step_sd > 0.0 {
        let z: f64 = rng.sample(StandardNormal);
        *walk += u.demand_step_sd * z;
    }
    m.cases = (mp.cases + d.trend * t as f64 + *walk).max(0.0);
    m
}

fn step(plan: &Plan, mp: &MonthPlan, s: &mut State, rng: &mut ChaCha8Rng) -> f64 {
    let scale = plan.recruit_scale(mp, employed_heads(s) * plan.fte_employed);
    let [pn, pe, px, pa] = mp.leave_p;
    let mut employed_leavers = 0.0;
    for h in s.nqsw.iter_mut() {
        let l = binomial(rng, *h, pn);
        employed_leavers += l;
        *h -= l;
    }
    for h in s.early.iter_mut() {
        let l = binomial(rng, *h, pe);
        employed_leavers += l;
        *h -= l;
    }
    let l = binomial(rng, s.experienced, px);
    employed_leavers += l;
    s.experienced -= l;
    s.agency -= binomial(rng, s.agency, pa);

    s.age();

    let mean = |i: usize| mp.recruit[i] * if mp.planned[i] { 1.0 } else { scale };
    s.nqsw[plan.entry_nqsw] += recruits(rng, mean(0), mp.planned[0]);
    s.early[plan.entry_early] += recruits(rng, mean(1), mp.planned[1]);
    s.experienced += recruits(rng, mean(2), mp.planned[2]);

    let c = recruits(rng, mp.conversions, true).min(s.agency);
    s.agency -= c;
    s.experienced += c;

    let emp = (s.nqsw.iter().sum::<f64>() + s.early.iter().sum::<f64>() + s.experienced)
        * plan.fte_employed;
    // Whole agency workers: hire to the nearest worker of the target, and
    // never keep more than fit under the cap.
    let target = (plan.agency_target_fte(mp, emp) / plan.fte_agency).round();
    if s.agency < target {
        s.agency = target;
    }
    let cap = (mp.cap_fte / plan.fte_agency + 1e-9).floor();
    if s.agency > cap {
        s.agency = cap;
    }
    employed_leavers
}

/// One run's measures, month after month (`months × NM`, row-major).
pub fn run_one(plan: &Plan, seed: u64, run: u64) -> Vec<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    let mut s = State {
        nqsw: plan.start.nqsw.map(f64::round),
        early: plan.start.early.map(f64::round),
        experienced: plan.start.experienced.round(),
        agency: plan.start.agency.round(),
    };
    let mut window = [0.0f64; 12];
    let h = &plan.history_leavers;
    window[..h.len().min(11)].copy_from_slice(&h[h.len().saturating_sub(11)..]);
    let mut out = Vec::with_capacity(plan.months.len() * NM);
    let d = draw(plan, &mut rng);
    let mut walk = 0.0;
    for (t, mp) in plan.months.iter().enumerate() {
        let mp = &month_for_run(plan, mp, &d, t + 1, &mut walk, &mut rng);
        let l = step(plan, mp, &mut s, &mut rng);
        // A ring of the last 12 months' leavers FTE, history first.
        window[(11 + t) % 12] = l * plan.fte_employed;
        let l12: f64 = window.iter().sum();
        out.extend(plan.measures(mp, s.heads(), l12).map(|v| v as f32));
    }
    out
}

/// Every run, in run order.
pub fn runs(plan: &Plan, runs: usize, seed: u64) -> Vec<Vec<f32>> {
    (0..runs as u64)
        .into_par_iter()
        .map(|r| run_one(plan, seed, r))
        .collect()
}

/// P10, P50 and P90 of each month and measure, with the expected path.
#[derive(Clone, Debug)]
pub struct Projection {
    pub start: Month,
    /// Month 0: the measures of the starting stock (the last actual
    /// month's), where every path and band begins.
    pub now: [f64; NM],
    pub months: Vec<Month>,
    pub expected: Path,
    /// `[month][measure]`; NaN = null.
    pub p10: Vec<[f64; NM]>,
    pub p50: Vec<[f64; NM]>,
    pub p90: Vec<[f64; NM]>,
    pub runs: usize,
    pub seed: u64,
}

/// Nearest-rank quantiles of the finite values; NaN when there are none.
fn quantiles(values: &mut Vec<f32>, qs: [f64; 3]) -> [f64; 3] {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return [f64::NAN; 3];
    }
    let n = values.len();
    qs.map(|q| {
        let k = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
        *values.select_nth_unstable_by(k, f32::total_cmp).1 as f64
    })
}

/// The Monte Carlo summarised: at least one run; the issue asks for 1,000+.
pub fn project(plan: &Plan, n_runs: usize, seed: u64) -> Result<Projection, super::Error> {
    if n_runs == 0 {
        return Err(super::Error::NoRuns);
    }
    let all = runs(plan, n_runs, seed);
    let months = plan.months.len();
    let cells: Vec<[f64; 3]> = (0..months * NM)
        .into_par_iter()
        .map(|cell| {
            let mut v: Vec<f32> = all.iter().map(|r| r[cell]).collect();
            quantiles(&mut v, [0.1, 0.5, 0.9])
        })
        .collect();
    let band = |q: usize| -> Vec<[f64; NM]> {
        (0..months)
            .map(|m| std::array::from_fn(|k| cells[m * NM + k][q]))
            .collect()
    };
    let expected = expected_path(plan);
    Ok(Projection {
        start: plan.start_month,
        now: plan.start_values(),
        months: expected.months.clone(),
        expected,
        p10: band(0),
        p50: band(1),
        p90: band(2),
        runs: n_runs,
        seed,
    })
}

/// Null for NaN; otherwise rounded to 6 decimals, which is finer than
/// any measure needs and hides the f32 noise of the stored runs.
fn opt(v: f64) -> Option<f64> {
    v.is_finite().then(|| (v * 1e6).round() / 1e6)
}

impl Projection {
    /// One row per month and measure: month, metric, expected, p10, p50, p90.
    pub fn to_frame(&self) -> PolarsResult<DataFrame> {
        let n = self.months.len() * NM;
        let mut month = Vec::with_capacity(n);
        let mut metric = Vec::with_capacity(n);
        let (mut e, mut a, mut b, mut c) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (i, m) in self.months.iter().enumerate() {
            for (k, name) in METRICS.iter().enumerate() {
                month.push(m.to_string());
                metric.push(name.to_string());
                e.push(opt(self.expected.values[i][k]));
                a.push(opt(self.p10[i][k]));
                b.push(opt(self.p50[i][k]));
                c.push(opt(self.p90[i][k]));
            }
        }
        DataFrame::new(
            n,
            vec![
                Column::new("month".into(), month),
                Column::new("metric".into(), metric),
                Column::new("expected".into(), e),
                Column::new("p10".into(), a),
                Column::new("p50".into(), b),
                Column::new("p90".into(), c),
            ],
        )
    }
}
