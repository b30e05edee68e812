//! The monthly stock-and-flow: the plan (every month's rates after the
//! levers), one month's step, the measures of a state, and the
//! deterministic expected path.
//!
//! The state is heads by cohort, NQSW and early career by month since
//! qualifying, so a worker progresses exactly when their time comes (an
//! NQSW in month 0 of their ASYE year is early career 12 steps later).
//! FTE is heads × the service's FTE per head (employed and agency apart),
//! which keeps FTE continuous when a worker changes cohort. Each month:
//! leavers leave (cohort probability), the survivors age a month, recruits
//! join at their cohort's entry month, conversions move agency workers to
//! experienced posts, then agency covers the vacancies (hires up to
//! cover × vacancies, never above the cap; over the cap, contracts end).

use super::calibrate::Calibration;
use super::levers::Levers;
use super::{Cohort, METRICS};
use crate::measure::Measure;
use crate::month::Month;

/// Number of projected measures.
pub const NM: usize = METRICS.len();

/// One month of the plan: the rates after the levers.
#[derive(Clone, Debug)]
pub struct MonthPlan {
    pub month: Month,
    /// Monthly leave probability by cohort.
    pub leave_p: [f64; 4],
    /// The levers' factor on each cohort's leave probability this month
    /// (1 = no change), so a Monte Carlo run can apply it to its own draw.
    pub leave_factor: [f64; 4],
    /// Recruits per employed cohort (mean heads).
    pub recruit: [f64; 3],
    /// Whether the recruits are planned (a lever: that many start) rather
    /// than the calibrated rate (a random number with that mean).
    pub planned: [bool; 3],
    pub conversions: f64,
    /// A factor on the agency cover of vacancies: 1 in the plan; a Monte
    /// Carlo run sets its own.
    pub cover_factor: f64,
    pub cap_fte: f64,
    pub establishment: Option<f64>,
    pub cases: f64,
    pub weekdays: f64,
}

/// Everything a projection needs, resolved month by month.
#[derive(Clone, Debug)]
pub struct Plan {
    pub start_month: Month,
    pub start: State,
    pub months: Vec<MonthPlan>,
    pub fte_employed: f64,
    pub fte_agency: f64,
    /// Bucket NQSW recruits join at (0–11), early career recruits (0–11 = 12–23 months).
    pub entry_nqsw: usize,
    pub entry_early: usize,
    pub agency_cover: Option<f64>,
    /// Agency FTE held when there is no cover ratio (no vacancies on record).
    pub agency_hold_fte: f64,
    /// The vacancies (FTE) the calibrated recruitment rates were counted
    /// against; `None` when recruitment is not scaled by vacancies.
    pub recruit_vacancy_fte: Option<f64>,
    /// The 12-month leavers FTE up to and including the starting month
    /// (NaN when a month is not held), for month 0's turnover.
    pub start_leavers_12m: f64,
    pub start_establishment: Option<f64>,
    pub start_cases: f64,
    pub vacancy_offset: f64,
    pub holder_share: f64,
    pub day_rate: f64,
    pub permanent_monthly_cost: f64,
    /// Leavers FTE of the 11 months up to the start (oldest first; NaN
    /// where a month is not held), so the 12-month window is full at once.
    pub history_leavers: Vec<f64>,
    /// What the Monte Carlo draws each run's rates and demand from.
    pub uncertainty: Uncertainty,
}

/// The uncertainty in the rates themselves, beside the chance in who
/// leaves and joins: each Monte Carlo run draws its own rates from these.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Uncertainty {
    /// The calibrated (or overridden) monthly leave probability by cohort,
    /// before the levers.
    pub base_leave: [f64; 4],
    /// Beta posterior (α, β) of each cohort's leave probability given the
    /// evidence (leavers + ½, stayers + ½, Jeffreys prior); `None` when
    /// there is no evidence or the rate is overridden, so it is taken as given.
    pub leave: [Option<(f64, f64)>; 4],
    /// The calibrated (or overridden) recruits per month by employed cohort.
    pub base_recruit: [f64; 3],
    /// Gamma posterior (shape, scale) of each employed cohort's recruits
    /// per month (starters + ½ over the months); `None` without evidence.
    pub recruit: [Option<(f64, f64)>; 3],
    /// Standard deviation of a run's demand trend around the calibrated one
    /// (cases per month).
    pub trend_sd: f64,
    /// Standard deviation of a month's random step in cases.
    pub demand_step_sd: f64,
    /// Relative spread of the employed leave probabilities between periods
    /// beyond chance: a run scales them all by one draw of mean 1 and this
    /// standard deviation (the service's "climate" that period).
    pub leave_dispersion: f64,
    /// Relative spread of the agency cover of vacancies between periods.
    pub cover_dispersion: f64,
}

/// Heads by cohort. f64 for the expected path; the Monte Carlo keeps
/// whole numbers in the same type.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub nqsw: [f64; 12],
    pub early: [f64; 12],
    pub experienced: f64,
    pub agency: f64,
}

impl State {
    pub fn heads(&self) -> [f64; 4] {
        [
            self.nqsw.iter().sum(),
            self.early.iter().sum(),
            self.experienced,
            self.agency,
        ]
    }
}

/// One month's movements by cohort (heads), for the accounting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flows {
    pub start: [f64; 4],
    pub leavers: [f64; 4],
    pub joiners: [f64; 4],
    pub progressed_in: [f64; 4],
    pub progressed_out: [f64; 4],
    /// Agency → experienced (negative for agency).
    pub converted: [f64; 4],
    /// Agency contracts ended to keep under the cap.
    pub ended: [f64; 4],
    pub end: [f64; 4],
}

fn nan_to_none(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

impl Plan {
    pub fn new(cal: &Calibration, levers: &Levers, horizon: usize) -> Result<Plan, super::Error> {
        if !(1..=60).contains(&horizon) {
            return Err(super::Error::Horizon(horizon));
        }
        levers.check()?;
        let v = |n: &str, c: &str| cal.value(n, c);
        let or0 = |x: f64| if x.is_finite() { x } else { 0.0 };
        let start_month = cal.start.month;
        let fte_employed = {
            let x = v("fte_per_head", "employed");
            if x.is_finite() && x > 0.0 { x } else { 1.0 }
        };
        let fte_agency = {
            let x = v("fte_per_head", "agency");
            if x.is_finite() && x > 0.0 { x } else { 1.0 }
        };
        let base_leave = Cohort::ALL.map(|c| or0(v("leave_probability", c.name())).clamp(0.0, 1.0));
        let base_recruit = [Cohort::Nqsw, Cohort::EarlyCareer, Cohort::Experienced]
            .map(|c| or0(v("recruitment_per_month", c.name())));
        // The calibrated starting stock, named after the measures it carries.
        let cases0 = or0(v(Measure::Cases.name(), "all"));
        let slope = or0(v("demand_trend_cases_per_month", "all"));
        let establishment0 = nan_to_none(v(Measure::EstablishmentFte.name(), "all"));
        let cap = levers.agency_cap_fte.unwrap_or(f64::INFINITY);

        let mut months = Vec::with_capacity(horizon);
        for t in 1..=horizon {
            let m = start_month + t as i32;
            let mut leave_p = base_leave;
            let mut leave_factor = [1.0; 4];
            for c in Cohort::ALL {
                let change: f64 = levers
                    .leave_change
                    .iter()
                    .filter(|l| l.cohort == c && l.applies(m))
                    .map(|l| l.change_pct)
                    .sum();
                leave_factor[c.index()] = (1.0 + change / 100.0).max(0.0);
                leave_p[c.index()] = (leave_p[c.index()] * (1.0 + change / 100.0)).clamp(0.0, 1.0);
            }
            let mut recruit = base_recruit;
            let mut planned = [false; 3];
            for (i, c) in [Cohort::Nqsw, Cohort::EarlyCareer, Cohort::Experienced]
                .into_iter()
                .enumerate()
            {
                let mut lever = levers
                    .recruitment
                    .iter()
                    .filter(|r| r.cohort == c && r.applies(m))
                    .peekable();
                if lever.peek().is_some() {
                    recruit[i] = lever.map(|r| r.heads).sum();
                    planned[i] = true;
                }
            }
            let conversions = levers
                .conversions
                .iter()
                .filter(|c| c.applies(m))
                .map(|c| c.heads_per_month)
                .sum();
            let establishment = establishment0.map(|e| {
                e + levers
                    .establishment_changes
                    .iter()
                    .filter(|c| c.from <= m)
                    .map(|c| c.change_fte)
                    .sum::<f64>()
            });
            let cases = match levers.demand_growth_pct_per_year {
                Some(g) => cases0 * (1.0 + g / 100.0).powf(t as f64 / 12.0),
                None => (cases0 + slope * t as f64).max(0.0),
            };
            months.push(MonthPlan {
                month: m,
                leave_p,
                leave_factor,
                recruit,
                planned,
                conversions,
                cover_factor: 1.0,
                cap_fte: cap,
                establishment,
                cases,
                weekdays: m.weekdays() as f64,
            });
        }
        let start = State {
            nqsw: cal.start.nqsw,
            early: cal.start.early,
            experienced: cal.start.experienced,
            agency: cal.start.agency,
        };
        let history_leavers = (0..11)
            .rev()
            .map(|k| {
                cal.history_leavers_fte
                    .get(&(start_month - k))
                    .copied()
                    .unwrap_or(f64::NAN)
            })
            .collect();
        let entry = |c: &str, lo: usize, default: usize| {
            let x = v("entry_months_since_qualifying", c);
            if x.is_finite() {
                (x.round() as i64 - lo as i64).clamp(0, 11) as usize
            } else {
                default
            }
        };
        let cover = nan_to_none(v("agency_cover_of_vacancies", "agency"));
        let recruit_vacancy_fte =
            nan_to_none(v("recruitment_vacancy_fte", "all")).filter(|r| *r > 0.0);
        let start_leavers_12m = (0..12)
            .map(|k| {
                cal.history_leavers_fte
                    .get(&(start_month - k))
                    .copied()
                    .unwrap_or(f64::NAN)
            })
            .sum();
        // Pseudo-counts from the rate in force and the calibrated amount of
        // evidence: for a calibrated rate, exactly the leavers and stayers
        // (starters) it was estimated from.
        let ev = &cal.evidence;
        let leave_post = std::array::from_fn(|i| {
            let (n, p) = (ev.at_risk[i], base_leave[i]);
            (n > 0.0).then_some((p * n + 0.5, (1.0 - p) * n + 0.5))
        });
        let recruit_post = std::array::from_fn(|i| {
            let t = ev.months[i];
            (t > 0.0).then(|| (base_recruit[i] * t + 0.5, 1.0 / t))
        });
        let sd = |n: &str| {
            let x = v(n, "all");
            if x.is_finite() { x.max(0.0) } else { 0.0 }
        };
        let uncertainty = Uncertainty {
            base_leave,
            leave: leave_post,
            base_recruit,
            recruit: recruit_post,
            trend_sd: sd("demand_trend_sd_cases_per_month"),
            demand_step_sd: sd("demand_noise_cases_per_month"),
            leave_dispersion: {
                let x = v("leave_rate_dispersion", "employed");
                if x.is_finite() { x.max(0.0) } else { 0.0 }
            },
            cover_dispersion: {
                let x = v("agency_cover_dispersion", "agency");
                if x.is_finite() { x.max(0.0) } else { 0.0 }
            },
        };
        Ok(Plan {
            uncertainty,
            start_month,
            agency_hold_fte: start.agency * fte_agency,
            recruit_vacancy_fte,
            start_leavers_12m,
            start_establishment: establishment0,
            start_cases: cases0,
            start,
            months,
            fte_employed,
            fte_agency,
            entry_nqsw: entry("nqsw", 0, 3),
            entry_early: entry("early_career", 12, 0),
            agency_cover: cover,
            vacancy_offset: or0(v("vacancy_offset_fte", "all")),
            holder_share: or0(v("case_holder_share", "all")),
            day_rate: levers
                .agency_day_rate
                .unwrap_or_else(|| or0(v("agency_day_rate", "agency"))),
            permanent_monthly_cost: levers
                .permanent_annual_cost
                .unwrap_or_else(|| or0(v("permanent_annual_cost", "employed")))
                / 12.0,
            history_leavers,
        })
    }

    /// Vacancy FTE for an employed FTE under a month's establishment.
    pub fn vacancy(&self, mp: &MonthPlan, employed_fte: f64) -> Option<f64> {
        mp.establishment
            .map(|e| (e - employed_fte + self.vacancy_offset).max(0.0))
    }

    /// The factor on this month's calibrated recruitment: the vacancies
    /// held at the month's start over those the rates were counted
    /// against (1 when either is unknown). Planned recruitment is not
    /// scaled: a plan says how many start.
    pub fn recruit_scale(&self, mp: &MonthPlan, employed_fte: f64) -> f64 {
        match (self.recruit_vacancy_fte, self.vacancy(mp, employed_fte)) {
            (Some(r), Some(v)) => v / r,
            _ => 1.0,
        }
    }

    /// Month 0: the measures of the starting state, which is the last
    /// actual month's stock, so a chart's projection joins the actual line.
    pub fn start_values(&self) -> [f64; NM] {
        let mp = MonthPlan {
            month: self.start_month,
            leave_p: [0.0; 4],
            leave_factor: [1.0; 4],
            recruit: [0.0; 3],
            planned: [false; 3],
            conversions: 0.0,
            cover_factor: 1.0,
            cap_fte: f64::INFINITY,
            establishment: self.start_establishment,
            cases: self.start_cases,
            weekdays: self.start_month.weekdays() as f64,
        };
        self.measures(&mp, self.start.heads(), self.start_leavers_12m)
    }

    /// Agency FTE the service aims for after this month's employed flows:
    /// its usual cover of vacancies, never above the cap.
    pub fn agency_target_fte(&self, mp: &MonthPlan, employed_fte: f64) -> f64 {
        let want = match (self.agency_cover, self.vacancy(mp, employed_fte)) {
            (Some(c), Some(v)) => c * mp.cover_factor * v,
            _ => self.agency_hold_fte,
        };
        want.min(mp.cap_fte)
    }

    /// The measures of a state at month end (NaN = null, as in the
    /// contract: a zero denominator or a window with a month not held).
    pub fn measures(&self, mp: &MonthPlan, heads: [f64; 4], leavers_12m: f64) -> [f64; NM] {
        let employed_heads = heads[0] + heads[1] + heads[2];
        let emp = employed_heads * self.fte_employed;
        let ag = heads[3] * self.fte_agency;
        let ratio = |n: f64, d: f64| if d > 0.0 { n / d } else { f64::NAN };
        let vac = self.vacancy(mp, emp);
        let holders = self.holder_share * (emp + ag);
        [
            100.0 * ratio(ag, ag + emp),
            100.0 * ratio(leavers_12m, emp),
            100.0 * ratio(heads[0], employed_heads),
            vac.map(|v| 100.0 * ratio(v, v + emp)).unwrap_or(f64::NAN),
            ratio(mp.cases, holders),
            emp,
            ag * self.day_rate * mp.weekdays,
            ag,
            heads[0] * self.fte_employed,
            heads[1] * self.fte_employed,
            heads[2] * self.fte_employed,
            vac.unwrap_or(f64::NAN),
            emp * self.permanent_monthly_cost,
        ]
    }
}

/// The expected path: every flow at its expected value.
#[derive(Clone, Debug)]
pub struct Path {
    pub months: Vec<Month>,
    pub values: Vec<[f64; NM]>,
    pub flows: Vec<Flows>,
}

/// One expected month: leave, age, join, convert, agency cover.
impl State {
    /// Everyone is a month older: month 11 of the ASYE year becomes early
    /// career, month 23 experienced. Returns (to early career, to experienced).
    pub fn age(&mut self) -> (f64, f64) {
        let to_early = self.nqsw[11];
        let to_exp = self.early[11];
        self.nqsw.copy_within(0..11, 1);
        self.nqsw[0] = 0.0;
        self.early.copy_within(0..11, 1);
        self.early[0] = to_early;
        self.experienced += to_exp;
        (to_early, to_exp)
    }
}

/// Employed heads of a state.
pub fn employed_heads(s: &State) -> f64 {
    s.nqsw.iter().sum::<f64>() + s.early.iter().sum::<f64>() + s.experienced
}

pub fn step_expected(plan: &Plan, mp: &MonthPlan, s: &mut State) -> Flows {
    let mut f = Flows {
        start: s.heads(),
        ..Default::default()
    };
    let scale = plan.recruit_scale(mp, employed_heads(s) * plan.fte_employed);
    let [pn, pe, px, pa] = mp.leave_p;
    for h in s.nqsw.iter_mut() {
        let l = *h * pn;
        f.leavers[0] += l;
        *h -= l;
    }
    for h in s.early.iter_mut() {
        let l = *h * pe;
        f.leavers[1] += l;
        *h -= l;
    }
    let l = s.experienced * px;
    f.leavers[2] += l;
    s.experienced -= l;
    let l = s.agency * pa;
    f.leavers[3] += l;
    s.agency -= l;

    let (to_early, to_exp) = s.age();
    f.progressed_out[0] = to_early;
    f.progressed_in[1] = to_early;
    f.progressed_out[1] = to_exp;
    f.progressed_in[2] = to_exp;

    let recruit: [f64; 3] =
        std::array::from_fn(|i| mp.recruit[i] * if mp.planned[i] { 1.0 } else { scale });
    s.nqsw[plan.entry_nqsw] += recruit[0];
    s.early[plan.entry_early] += recruit[1];
    s.experienced += recruit[2];
    f.joiners[..3].copy_from_slice(&recruit);

    let c = mp.conversions.min(s.agency);
    s.agency -= c;
    s.experienced += c;
    f.converted[3] = -c;
    f.converted[2] = c;

    let emp = (s.nqsw.iter().sum::<f64>() + s.early.iter().sum::<f64>() + s.experienced)
        * plan.fte_employed;
    let target = plan.agency_target_fte(mp, emp) / plan.fte_agency;
    if s.agency < target {
        f.joiners[3] = target - s.agency;
        s.agency = target;
    }
    let cap = mp.cap_fte / plan.fte_agency;
    if s.agency > cap {
        f.ended[3] = s.agency - cap;
        s.agency = cap;
    }
    f.end = s.heads();
    f
}

/// The deterministic expected path over the plan's months.
pub fn expected_path(plan: &Plan) -> Path {
    let mut s = plan.start.clone();
    let mut window = plan.history_leavers.clone();
    let mut out = Path {
        months: Vec::with_capacity(plan.months.len()),
        values: Vec::with_capacity(plan.months.len()),
        flows: Vec::with_capacity(plan.months.len()),
    };
    for mp in &plan.months {
        let f = step_expected(plan, mp, &mut s);
        window.push((f.leavers[0] + f.leavers[1] + f.leavers[2]) * plan.fte_employed);
        let l12: f64 = window[window.len() - 12..].iter().sum();
        out.values.push(plan.measures(mp, f.end, l12));
        out.months.push(mp.month);
        out.flows.push(f);
    }
    out
}
