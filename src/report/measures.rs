//! The headline measures, how they are formatted and how they are judged
//! against their targets. Shared by the app's views, the chart images and
//! the board report so a number looks the same everywhere.

pub use crate::measure::{Better, Entry, Measure, Unit};
use crate::settings::Target;
use std::sync::LazyLock;

/// A headline measure, as the dashboard, meeting mode and the board
/// report show it (see [`Measure::headlines`]).
pub struct Kpi {
    pub measure: Measure,
    pub metric: &'static str,
    pub title: &'static str,
    /// The DfE measure for England's figure, where the DfE publishes one.
    pub england: Option<&'static str>,
    pub percent: bool,
    pub help: &'static str,
}

/// The headline measures, in the registry's order.
pub static KPIS: LazyLock<Vec<Kpi>> = LazyLock::new(|| {
    Measure::headlines()
        .into_iter()
        .map(|m| {
            let e = m.entry();
            let h = e.headline.expect("a headline measure");
            Kpi {
                measure: m,
                metric: e.name,
                title: e.label,
                england: h.england,
                percent: m.is_percent(),
                help: h.help,
            }
        })
        .collect()
});

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

/// The registry's entry for the measure `keel metrics` names `name`.
pub fn measure(name: &str) -> Option<Entry> {
    Measure::parse(name).map(Measure::entry)
}

/// The headline measure for `name`, if it is one.
pub fn kpi(name: &str) -> Option<&'static Kpi> {
    KPIS.iter().find(|k| k.metric == name)
}
