//! The headline measures, how they are formatted and how they are judged
//! against their targets. Shared by the dashboard, the teams table and the
//! charts so a number looks the same everywhere.

use crate::settings::{Better, Target};
use eframe::egui::Color32;

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

    pub fn color(self, dark: bool) -> Color32 {
        match (self, dark) {
            (Rag::Green, false) => Color32::from_rgb(0, 112, 60),
            (Rag::Green, true) => Color32::from_rgb(80, 200, 120),
            (Rag::Amber, false) => Color32::from_rgb(168, 96, 0),
            (Rag::Amber, true) => Color32::from_rgb(240, 170, 60),
            (Rag::Red, false) => Color32::from_rgb(190, 30, 30),
            (Rag::Red, true) => Color32::from_rgb(250, 100, 100),
        }
    }

    /// A faint fill for table cells, readable under dark and light text.
    pub fn fill(self) -> Color32 {
        match self {
            Rag::Green => Color32::from_rgba_unmultiplied(0, 160, 80, 40),
            Rag::Amber => Color32::from_rgba_unmultiplied(230, 150, 0, 50),
            Rag::Red => Color32::from_rgba_unmultiplied(220, 40, 40, 50),
        }
    }
}

pub fn better_word(b: Better) -> &'static str {
    match b {
        Better::Lower => "lower is better",
        Better::Higher => "higher is better",
    }
}
