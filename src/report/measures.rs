//! The headline measures, how they are formatted and how they are judged
//! against their targets. Shared by the app's views, the chart images and
//! the board report so a number looks the same everywhere.

use crate::settings::{Better, Target};

pub struct Kpi {
    pub metric: &'static str,
    pub title: &'static str,
    /// The DfE measure for England's figure, where the DfE publishes one.
    pub england: Option<&'static str>,
    pub percent: bool,
    pub help: &'static str,
}

pub const KPIS: [Kpi; 7] = [
    Kpi {
        metric: "turnover_rate_12m_pct",
        title: "Turnover rate",
        england: Some("turnover_rate_fte"),
        percent: true,
        help: "Employed FTE who left in the last 12 months, as a share of employed FTE now.",
    },
    Kpi {
        metric: "agency_rate_pct",
        title: "Agency rate",
        england: Some("agency_rate_fte"),
        percent: true,
        help: "Agency FTE as a share of all FTE in post (employed and agency).",
    },
    Kpi {
        metric: "vacancy_rate_pct",
        title: "Vacancy rate",
        england: Some("vacancy_rate_fte"),
        percent: true,
        help: "Funded posts not filled by an employed worker, as a share of the establishment.",
    },
    Kpi {
        metric: "nqsw_share_pct",
        title: "NQSW share",
        england: None,
        percent: true,
        help: "Employed workers in their ASYE year, as a share of employed headcount.",
    },
    Kpi {
        metric: "caseload_per_fte",
        title: "Caseload per FTE",
        england: Some("caseload_fte"),
        percent: false,
        help: "Cases held divided by case-holding FTE.",
    },
    Kpi {
        metric: "supervision_compliance_pct",
        title: "Supervision compliance",
        england: None,
        percent: true,
        help: "Case holders supervised within their interval.",
    },
    Kpi {
        metric: "stability_index_pct",
        title: "Stability index",
        england: None,
        percent: true,
        help: "Workers in post a year ago who are still in post in the same team.",
    },
];

/// Why a metric can be null, for the hover text on a "—".
pub const NULL_HELP: &str = "Not computable for this month and group: a ratio over zero, a 12-month window with a month missing, no snapshot a year earlier, or no establishment or caseload data.";

pub fn format(v: Option<f64>, percent: bool) -> String {
    match v {
        Some(v) if percent => format!("{v:.1}%"),
        Some(v) => format!("{v:.1}"),
        None => "—".into(),
    }
}

pub fn format_change(d: Option<f64>, percent: bool) -> String {
    match d {
        Some(d) => {
            let unit = if percent { " pts" } else { "" };
            format!("{d:+.1}{unit}")
        }
        None => "—".into(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    /// Green meets the target; amber is within 10% of it; red is further.
    pub fn of(v: f64, t: &Target) -> Rag {
        let (meets, near) = match t.better {
            Better::Lower => (v <= t.value, v <= t.value * 1.1),
            Better::Higher => (v >= t.value, v >= t.value * 0.9),
        };
        if meets {
            Rag::Green
        } else if near {
            Rag::Amber
        } else {
            Rag::Red
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Rag::Green => "on target",
            Rag::Amber => "near target",
            Rag::Red => "off target",
        }
    }

    /// Text and line colour: darker shades on a light background.
    pub fn rgb(self, dark: bool) -> [u8; 3] {
        match (self, dark) {
            (Rag::Green, false) => [0, 112, 60],
            (Rag::Green, true) => [80, 200, 120],
            (Rag::Amber, false) => [168, 96, 0],
            (Rag::Amber, true) => [240, 170, 60],
            (Rag::Red, false) => [190, 30, 30],
            (Rag::Red, true) => [250, 100, 100],
        }
    }

    /// A faint fill for table cells, readable under dark and light text.
    pub fn fill_rgba(self) -> [u8; 4] {
        match self {
            Rag::Green => [0, 160, 80, 40],
            Rag::Amber => [230, 150, 0, 50],
            Rag::Red => [220, 40, 40, 50],
        }
    }
}

pub fn better_word(b: Better) -> &'static str {
    match b {
        Better::Lower => "lower is better",
        Better::Higher => "higher is better",
    }
}

/// How a measure's figures are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Fte,
    People,
    Cases,
    /// Cases per FTE.
    Ratio,
    Pounds,
}

impl Unit {
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Percent => format!("{v:.1}%"),
            Unit::Fte | Unit::Ratio => format!("{v:.1}"),
            Unit::People | Unit::Cases => format!("{v:.0}"),
            Unit::Pounds => format!("£{}", thousands(v.round() as i64)),
        }
    }

    /// The axis label of a chart of this unit.
    pub fn axis(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Fte => "FTE",
            Unit::People => "people",
            Unit::Cases => "cases",
            Unit::Ratio => "cases per FTE",
            Unit::Pounds => "£ a month",
        }
    }

    /// The unit a change is written in ("pts" for percentages).
    pub fn change(self, d: f64) -> String {
        match self {
            Unit::Percent => format!("{d:+.1} pts"),
            Unit::Pounds => format!(
                "{}£{}",
                if d < 0.0 { "−" } else { "+" },
                thousands(d.abs().round() as i64)
            ),
            Unit::People | Unit::Cases => format!("{d:+.0}"),
            _ => format!("{d:+.1}"),
        }
    }
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// One measure of the contract, for tables, charts and the report's
/// appendix. The definitions are the contract's, in plain words.
pub struct Measure {
    pub name: &'static str,
    pub title: &'static str,
    pub unit: Unit,
    pub definition: &'static str,
}

const fn m(
    name: &'static str,
    title: &'static str,
    unit: Unit,
    definition: &'static str,
) -> Measure {
    Measure {
        name,
        title,
        unit,
        definition,
    }
}

/// Every measure `metrics::compute` returns, in the same order.
pub const MEASURES: [Measure; 24] = [
    m(
        "employed_fte",
        "Employed FTE",
        Unit::Fte,
        "Full-time equivalent of employed (not agency) workers in post at the snapshot.",
    ),
    m(
        "employed_headcount",
        "Employed headcount",
        Unit::People,
        "Distinct employed workers in post at the snapshot.",
    ),
    m(
        "agency_fte",
        "Agency FTE",
        Unit::Fte,
        "Full-time equivalent of agency workers in post at the snapshot.",
    ),
    m(
        "agency_headcount",
        "Agency headcount",
        Unit::People,
        "Distinct agency workers in post at the snapshot.",
    ),
    m(
        "agency_rate_pct",
        "Agency rate",
        Unit::Percent,
        "Agency FTE as a share of all FTE in post, employed and agency (the DfE agency rate).",
    ),
    m(
        "establishment_fte",
        "Establishment FTE",
        Unit::Fte,
        "Funded posts in force in the month, summed over the group's teams.",
    ),
    m(
        "vacancy_fte",
        "Vacancy FTE",
        Unit::Fte,
        "Over the group's teams, funded FTE not filled by employed FTE (never below zero per team).",
    ),
    m(
        "vacancy_rate_pct",
        "Vacancy rate",
        Unit::Percent,
        "Vacancy FTE as a share of vacancy FTE plus employed FTE (the DfE vacancy rate).",
    ),
    m(
        "leavers_fte",
        "Leavers FTE",
        Unit::Fte,
        "FTE of employed workers whose leave falls in the month, recorded or inferred.",
    ),
    m(
        "leavers_headcount",
        "Leavers",
        Unit::People,
        "Employed workers whose leave falls in the month.",
    ),
    m(
        "starters_fte",
        "Starters FTE",
        Unit::Fte,
        "FTE of employed workers in post whose start date is in the month.",
    ),
    m(
        "starters_headcount",
        "Starters",
        Unit::People,
        "Employed workers in post whose start date is in the month.",
    ),
    m(
        "leavers_fte_12m",
        "Leavers FTE (12 months)",
        Unit::Fte,
        "Leavers FTE over the last twelve months; shown only when all twelve snapshots are held.",
    ),
    m(
        "turnover_rate_12m_pct",
        "Turnover rate",
        Unit::Percent,
        "Leavers FTE in the last 12 months as a share of employed FTE now (the DfE turnover rate).",
    ),
    m(
        "stability_index_pct",
        "Stability index",
        Unit::Percent,
        "Employed workers in post a year ago who are still in post in the same group, by headcount.",
    ),
    m(
        "nqsw_headcount",
        "Newly qualified (ASYE)",
        Unit::People,
        "Employed workers in their ASYE year (or, where not recorded, qualified less than 365 days).",
    ),
    m(
        "nqsw_share_pct",
        "NQSW share",
        Unit::Percent,
        "Newly qualified workers as a share of employed headcount.",
    ),
    m(
        "early_career_share_pct",
        "Early-career share",
        Unit::Percent,
        "Employed workers qualified less than two years (or in ASYE) as a share of employed headcount.",
    ),
    m(
        "case_holders_fte",
        "Case-holding FTE",
        Unit::Fte,
        "FTE of employed and agency workers holding at least one case.",
    ),
    m(
        "cases",
        "Cases",
        Unit::Cases,
        "Cases held by those workers.",
    ),
    m(
        "caseload_per_fte",
        "Caseload per FTE",
        Unit::Ratio,
        "Cases divided by case-holding FTE (the DfE average caseload).",
    ),
    m(
        "over_limit_headcount",
        "Over caseload limit",
        Unit::People,
        "Case holders above their limit: the NQSW limit for newly qualified workers, the standard limit otherwise.",
    ),
    m(
        "supervision_compliance_pct",
        "Supervision compliance",
        Unit::Percent,
        "Case holders supervised within their interval (7 days in an NQSW's first 6 weeks, 14 days in their first 6 months, 31 days otherwise).",
    ),
    m(
        "agency_cost",
        "Agency cost",
        Unit::Pounds,
        "FTE × day rate × weekdays in the month, over agency workers in post.",
    ),
];

pub fn measure(name: &str) -> Option<&'static Measure> {
    MEASURES.iter().find(|m| m.name == name)
}

/// The headline measure for `name`, if it is one.
pub fn kpi(name: &str) -> Option<&'static Kpi> {
    KPIS.iter().find(|k| k.metric == name)
}
