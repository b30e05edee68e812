//! Backtest: calibrate on the first months held, project the following
//! months with the recruitment that really happened (employed starters by
//! cohort, as planned recruitment levers), and score the projection
//! against the contract's actual metrics: mean absolute error of the
//! expected path and of the median, and the share of actual values that
//! fell inside P10–P90 (about 80% if the bands are honest).
//!
//! How well the bands cover what happened on the sample council, and
//! why they fall short of 80%, is recorded in `docs/decisions.md`
//! ("Scenario backtest"); the `backtest_on_the_sample_council` test
//! prints the current table.

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
