//! What a scenario changes, as readable JSON. Every field is optional, so
//! `{}` is the baseline: the calibrated rates carried forward.
//!
//! ```json
//! {
//!   "recruitment": [{"cohort": "nqsw", "heads": 8, "calendar_months": [9]}],
//!   "conversions": [{"heads_per_month": 1, "from": "2026-10", "to": "2027-03"}],
//!   "agency_cap_fte": 20,
//!   "leave_change": [{"cohort": "nqsw", "change_pct": -20}],
//!   "establishment_changes": [{"from": "2027-04", "change_fte": 5}],
//!   "demand_growth_pct_per_year": 3,
//!   "agency_day_rate": 450,
//!   "permanent_annual_cost": 52000
//! }
//! ```

use super::{Cohort, Error, LeverProblem};
use crate::month::Month;
use serde::{Deserialize, Serialize};

/// Planned recruitment of one employed cohort. In the months it covers it
/// replaces the calibrated recruitment of that cohort (so "8 NQSWs every
/// September" means 8 in September; set the calibrated
/// `recruitment_per_month.nqsw` to 0 to recruit NQSWs only then).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recruitment {
    pub cohort: Cohort,
    /// Workers who start in each month covered.
    pub heads: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
    /// Calendar months (1–12) it applies in; empty = every month.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendar_months: Vec<u32>,
}

/// Agency workers moved to permanent (experienced) posts each month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    pub heads_per_month: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
}

/// A change in a cohort's monthly leave probability, in per cent of it
/// (−20 = a fifth fewer leave, for example after retention payments).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaveChange {
    pub cohort: Cohort,
    pub change_pct: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
}

/// A permanent change to the funded establishment from a month on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EstablishmentChange {
    pub from: Month,
    pub change_fte: f64,
}

/// The levers' names as the app's sliders show them, which the
/// calibration's evidence also uses when it points to one.
pub const CONVERSIONS_LABEL: &str = "Conversions to permanent a month";
pub const AGENCY_DAY_RATE_LABEL: &str = "Agency day rate (£)";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Levers {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recruitment: Vec<Recruitment>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conversions: Vec<Conversion>,
    /// Most agency FTE allowed at any month end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_cap_fte: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub leave_change: Vec<LeaveChange>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub establishment_changes: Vec<EstablishmentChange>,
    /// Cases grow by this per cent a year (replaces the calibrated trend).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand_growth_pct_per_year: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_day_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permanent_annual_cost: Option<f64>,
}

fn within(m: Month, from: Option<Month>, to: Option<Month>) -> bool {
    from.is_none_or(|f| m >= f) && to.is_none_or(|t| m <= t)
}

impl Recruitment {
    pub fn applies(&self, m: Month) -> bool {
        within(m, self.from, self.to)
            && (self.calendar_months.is_empty() || self.calendar_months.contains(&m.month()))
    }
}

impl Conversion {
    pub fn applies(&self, m: Month) -> bool {
        within(m, self.from, self.to)
    }
}

impl LeaveChange {
    pub fn applies(&self, m: Month) -> bool {
        within(m, self.from, self.to)
    }
}

impl Levers {
    /// Every problem at once, so a hand-edited file is fixed in one go.
    pub fn check(&self) -> Result<(), Error> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Levers(problems))
        }
    }

    /// Every lever out of range, in the order they are written.
    pub fn problems(&self) -> Vec<LeverProblem> {
        let mut p = Vec::new();
        let bad = |v: f64| !v.is_finite() || v < 0.0;
        for (i, r) in self.recruitment.iter().enumerate() {
            if r.cohort == Cohort::Agency {
                p.push(LeverProblem::AgencyRecruitment(i));
            }
            if bad(r.heads) {
                p.push(LeverProblem::RecruitmentHeads(i));
            }
            if r.calendar_months.iter().any(|m| !(1..=12).contains(m)) {
                p.push(LeverProblem::CalendarMonths(i));
            }
        }
        for (i, c) in self.conversions.iter().enumerate() {
            if bad(c.heads_per_month) {
                p.push(LeverProblem::Conversions(i));
            }
        }
        for (i, l) in self.leave_change.iter().enumerate() {
            if !l.change_pct.is_finite() || l.change_pct < -100.0 {
                p.push(LeverProblem::LeaveChange(i));
            }
        }
        for (i, e) in self.establishment_changes.iter().enumerate() {
            if !e.change_fte.is_finite() {
                p.push(LeverProblem::EstablishmentChange(i));
            }
        }
        for (name, v) in [
            ("agency_cap_fte", self.agency_cap_fte),
            ("agency_day_rate", self.agency_day_rate),
            ("permanent_annual_cost", self.permanent_annual_cost),
        ] {
            if v.is_some_and(bad) {
                p.push(LeverProblem::Negative(name));
            }
        }
        if self
            .demand_growth_pct_per_year
            .is_some_and(|g| !g.is_finite() || g <= -100.0)
        {
            p.push(LeverProblem::DemandGrowth);
        }
        p
    }
}
