//! Backtest: calibrate on the first months held, project the following
//! months with the recruitment that really happened (employed starters by
//! cohort, as planned recruitment levers), and score the projection
//! against the contract's actual metrics: mean absolute error of the
//! expected path and of the median, and the share of actual values that
//! fell inside P10–P90 (about 80% if the bands are honest).
//!
//! On the sample council (calibrated 2023-10…2025-09, projected
//! 2025-10…2026-09, 1,000 runs, seed 42; the `backtest_on_the_sample_council`
//! test prints this table). Each run draws its own rates (leave
//! probabilities from their Beta posterior, a common leave "climate"
//! factor, recruitment from its Gamma posterior, an agency cover factor)
//! and its own demand (a trend draw and a random walk), see [`super::simulate`]:
//!
//! | metric | MAE expected | MAE P50 | in P10–P90 | mean actual |
//! |---|---|---|---|---|
//! | agency_rate_pct | 3.77 | 3.77 | 58% | 19.84 |
//! | turnover_rate_12m_pct | 3.65 | 4.08 | 58% | 16.69 |
//! | nqsw_share_pct | 0.72 | 0.64 | 83% | 15.16 |
//! | vacancy_rate_pct | 2.48 | 2.77 | 58% | 16.99 |
//! | caseload_per_fte | 1.47 | 1.41 | 33% | 17.53 |
//! | employed_fte | 4.24 | 4.72 | 58% | 139.93 |
//! | agency_fte | 7.25 | 7.22 | 58% | 34.72 |
//! | agency_cost | 62,639 | 61,861 | 58% | 307,971 |
//!
//! Overall 58% of actual values fell inside P10–P90 (before the rates and
//! demand were drawn per run: 50%, caseload per FTE 0%, NQSW share 75%).
//! The expected path, and so its error, is unchanged; the medians move a
//! little because the draws are skewed (Jeffreys prior, Gamma factors).
//!
//! Still short of 80%, and for one reason: the projected year is not like
//! the calibrated two. The sample's last 12 months are a recovery
//! (turnover falling from 20% to 12%, agency from 23% to 14%, employed FTE
//! holding at about 138 where the calibrated leave rate takes it to 130),
//! while the calibration window's own employed leave rate is steady
//! half-year by half-year (1.85%, 1.53%, 1.77%, 1.86% a month, within
//! chance, so `leave_rate_dispersion` is 0 and the climate factor adds
//! nothing). With 2,000+ worker-months of evidence the posterior of each
//! leave probability is tight (±15% or so), so nothing in the history
//! warns of a shift that size. The misses are one miss seen eight ways:
//! the actual tracks inside the bands for the first 3–4 months and then
//! runs along the favourable edge (lower turnover, agency and vacancies,
//! more employed FTE than P90). Caseload per FTE now has demand noise
//! (a random walk of 47 cases a month around a trend of +11 ± 10) and is
//! inside the bands a third of the time; the rest of its miss is the same
//! denominator (employed FTE the model loses and the service kept). NQSW
//! share, which depends on planned recruitment more than on leaving, is
//! covered 83%. A fairer test of the bands needs a history long enough to
//! show a change of regime inside the calibration window; the block
//! estimate of `leave_rate_dispersion` then widens them by itself, and a
//! planner who expects a change can override it.

use super::calibrate::Observed;
use super::levers::{Levers, Recruitment};
use super::model::Plan;
use super::simulate::{Projection, project};
use super::{Cohort, metric_index};
use crate::month::Month;

#[derive(Clone, Debug)]
pub struct Score {
    pub metric: String,
    /// Months with an actual and a projected value.
    pub months: usize,
    pub mae_expected: f64,
    pub mae_p50: f64,
    /// Share (0–1) of actual values within P10–P90.
    pub coverage: f64,
    pub mean_actual: f64,
}

#[derive(Clone, Debug)]
pub struct Backtest {
    pub calibrated_from: Month,
    pub calibrated_to: Month,
    pub projected_to: Month,
    pub scores: Vec<Score>,
    /// Share of all scored (month, measure) actuals within P10–P90.
    pub coverage: f64,
    pub projection: Projection,
}

/// Calibrate on the first `calibrate_months` snapshots held, project the
/// next `test_months`.
pub fn backtest(
    obs: &Observed,
    calibrate_months: usize,
    test_months: usize,
    runs: usize,
    seed: u64,
) -> Result<Backtest, super::Error> {
    let first = *obs.months().first().ok_or(super::Error::NoHistory)?;
    let to = first + (calibrate_months as i32 - 1);
    let cal = obs.calibrate(Some(first), Some(to))?;
    let start = cal.start.month;
    let mut levers = Levers::default();
    for t in 1..=test_months as i32 {
        let m = start + t;
        let Some(s) = obs.starters(m) else {
            continue;
        };
        for c in [Cohort::Nqsw, Cohort::EarlyCareer, Cohort::Experienced] {
            levers.recruitment.push(Recruitment {
                cohort: c,
                heads: s[c.index()],
                from: Some(m),
                to: Some(m),
                calendar_months: vec![],
            });
        }
    }
    let plan = Plan::new(&cal, &levers, test_months)?;
    let projection = project(&plan, runs, seed)?;
    let mut scores = Vec::new();
    let (mut inside_all, mut n_all) = (0usize, 0usize);
    for measure in crate::measure::Measure::projected_where(|p| p.scored) {
        let name = measure.name();
        let Some(k) = metric_index(name) else {
            continue;
        };
        let (mut n, mut inside) = (0usize, 0usize);
        let (mut err_e, mut err_m, mut sum_a) = (0.0, 0.0, 0.0);
        for (i, m) in projection.months.iter().enumerate() {
            let Some(actual) = obs.metric(*m, name) else {
                continue;
            };
            let (e, lo, mid, hi) = (
                projection.expected.values[i][k],
                projection.p10[i][k],
                projection.p50[i][k],
                projection.p90[i][k],
            );
            if !(e.is_finite() && mid.is_finite()) {
                continue;
            }
            n += 1;
            err_e += (e - actual).abs();
            err_m += (mid - actual).abs();
            sum_a += actual;
            // Bands are stored as f32 per run; allow for that rounding.
            let tol = 1e-4 * actual.abs().max(1.0);
            if actual >= lo - tol && actual <= hi + tol {
                inside += 1;
            }
        }
        inside_all += inside;
        n_all += n;
        let per = |x: f64| if n > 0 { x / n as f64 } else { f64::NAN };
        scores.push(Score {
            metric: name.to_string(),
            months: n,
            mae_expected: per(err_e),
            mae_p50: per(err_m),
            coverage: per(inside as f64),
            mean_actual: per(sum_a),
        });
    }
    Ok(Backtest {
        calibrated_from: cal.from,
        calibrated_to: cal.to,
        projected_to: start + test_months as i32,
        scores,
        coverage: if n_all > 0 {
            inside_all as f64 / n_all as f64
        } else {
            f64::NAN
        },
        projection,
    })
}

impl Backtest {
    /// A plain-text report, one line per measure.
    pub fn report(&self) -> String {
        let mut s = format!(
            "backtest: calibrated {}…{}, projected to {}; {} runs\n{:<24} {:>6} {:>12} {:>12} {:>10} {:>12}\n",
            self.calibrated_from,
            self.calibrated_to,
            self.projected_to,
            self.projection.runs,
            "metric",
            "months",
            "mae_expected",
            "mae_p50",
            "in_p10_p90",
            "mean_actual"
        );
        for sc in &self.scores {
            s.push_str(&format!(
                "{:<24} {:>6} {:>12.3} {:>12.3} {:>9.0}% {:>12.2}\n",
                sc.metric,
                sc.months,
                sc.mae_expected,
                sc.mae_p50,
                sc.coverage * 100.0,
                sc.mean_actual
            ));
        }
        s.push_str(&format!(
            "overall share of actual values within P10–P90: {:.0}%\n",
            self.coverage * 100.0
        ));
        s
    }
}
