//! The measure registry: every measure of the contract (`metrics.md` §3),
//! once, with everything the rest of Keel needs to know about it — the name
//! `keel metrics` prints, its label and unit, which way is better, its
//! default target, its definition in plain words, what its disclosure rests
//! on, and where it is shown (headline tiles, the teams table, the report's
//! chart pages, scenario projections).
//!
//! Every list of measures in Keel is derived from [`Measure::ALL`] and
//! [`Measure::entry`]. Adding a measure is one variant, one arm of `entry`
//! (an exhaustive `match`: a measure without a disclosure rule does not
//! compile) and its definition in `metrics::definitions`.

use serde::{Deserialize, Serialize};

/// Which way a measure improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
}

impl Better {
    pub fn word(self) -> &'static str {
        match self {
            Better::Lower => "lower is better",
            Better::Higher => "higher is better",
        }
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
    /// Working days.
    Days,
}

impl Unit {
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Percent => format!("{v:.1}%"),
            Unit::Fte | Unit::Ratio | Unit::Days => format!("{v:.1}"),
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
            Unit::Days => "working days",
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

/// `n` with thousands separators.
pub fn thousands(n: i64) -> String {
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

/// A measure of the contract, in the contract's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    EmployedFte,
    EmployedHeadcount,
    AgencyFte,
    AgencyHeadcount,
    AgencyRate,
    EstablishmentFte,
    VacancyFte,
    VacancyRate,
    LeaversFte,
    LeaversHeadcount,
    StartersFte,
    StartersHeadcount,
    LeaversFte12m,
    TurnoverRate12m,
    StabilityIndex,
    NqswHeadcount,
    NqswShare,
    EarlyCareerShare,
    CaseHoldersFte,
    Cases,
    CaseloadPerFte,
    OverLimitHeadcount,
    SupervisionCompliance,
    AgencyCost,
    WorkingDaysLost,
    AbsenceRate,
}

/// Head counts behind figures the contract does not publish as counts,
/// kept beside the measures so views and reports can withhold figures that
/// rest on fewer than five people. `keel metrics` leaves them out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Base {
    /// Employed and agency workers holding at least one case.
    CaseHolders,
    /// Employed workers a year ago, whom the stability index follows.
    StabilityBase,
    /// Agency posts with a day rate: what agency_cost adds up. (Posts, not
    /// people: an agency worker on two posts at once counts twice.)
    AgencyRated,
}

impl Base {
    pub const ALL: [Base; 3] = [Base::CaseHolders, Base::StabilityBase, Base::AgencyRated];

    pub const fn name(self) -> &'static str {
        match self {
            Base::CaseHolders => "case_holders_headcount",
            Base::StabilityBase => "stability_base_headcount",
            Base::AgencyRated => "agency_rated_headcount",
        }
    }
}

/// A column of the metrics table: a measure or a base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Measure(Measure),
    Base(Base),
}

impl Column {
    pub const fn name(self) -> &'static str {
        match self {
            Column::Measure(m) => m.name(),
            Column::Base(b) => b.name(),
        }
    }
}

/// Who a figure counts or adds up, for disclosure control: a figure
/// resting on fewer than five people is withheld.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum People {
    /// The head count in this column.
    In(Column),
    /// The agency posts with a day rate, or, where that is unknown, the
    /// agency head count.
    RatedAgency,
    /// The people in a share's numerator, worked back from the share and
    /// the employed head count.
    ShareOfEmployed,
    /// The leavers of the twelve months the figure adds up.
    Leavers12m,
    /// Nobody's data is added up: the figure is a property of the group
    /// (funded posts), or a rate whose base alone decides (see `over`).
    Nobody,
}

/// What a measure's disclosure rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disclosure {
    /// The people the figure counts or adds up.
    pub counted: People,
    /// For a rate: the people it is taken over (these columns summed).
    pub over: &'static [Column],
}

/// A default target and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DefaultTarget {
    pub value: f64,
    pub source: &'static str,
}

/// A headline measure: a dashboard tile, a meeting slide, a report page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Headline {
    /// Position among the headline measures.
    pub rank: u8,
    /// The DfE open-data measure for England's figure, where published.
    pub england: Option<&'static str>,
    /// A tile's hover text.
    pub help: &'static str,
}

/// How the scenario model treats a measure it projects.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projected {
    /// Position in a projection's output.
    pub rank: u8,
    /// Compared between scenarios in the app and the report.
    pub compared: bool,
    /// Shown on a meeting's scenario slide.
    pub on_slide: bool,
    /// Scored against the actual figures in a backtest.
    pub scored: bool,
}

/// Everything Keel knows about one measure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// The column name `keel metrics` prints; settings key targets by it.
    pub name: &'static str,
    pub label: &'static str,
    pub unit: Unit,
    pub better: Option<Better>,
    pub target: Option<DefaultTarget>,
    /// The contract's definition in plain words.
    pub definition: &'static str,
    pub disclosure: Disclosure,
    pub headline: Option<Headline>,
    /// Position and heading in the teams table.
    pub team_column: Option<(u8, &'static str)>,
    /// Position among the report's chart pages.
    pub charted: Option<u8>,
    pub projected: Option<Projected>,
}

const ENGLAND_2025: &str = "England 2025, DfE children's social work workforce statistics";

const EMPLOYED: &[Column] = &[Column::Measure(Measure::EmployedHeadcount)];
const IN_POST: &[Column] = &[
    Column::Measure(Measure::EmployedHeadcount),
    Column::Measure(Measure::AgencyHeadcount),
];
const CASE_HOLDERS: &[Column] = &[Column::Base(Base::CaseHolders)];
const STABILITY_BASE: &[Column] = &[Column::Base(Base::StabilityBase)];

const fn counts(m: Measure) -> Disclosure {
    Disclosure {
        counted: People::In(Column::Measure(m)),
        over: &[],
    }
}

const fn headline(rank: u8, england: Option<&'static str>, help: &'static str) -> Option<Headline> {
    Some(Headline {
        rank,
        england,
        help,
    })
}

const fn target(value: f64, source: &'static str) -> Option<DefaultTarget> {
    Some(DefaultTarget { value, source })
}

const fn projected(rank: u8, compared: bool, on_slide: bool, scored: bool) -> Option<Projected> {
    Some(Projected {
        rank,
        compared,
        on_slide,
        scored,
    })
}

/// An entry with nothing but its name, label, unit and definition, for the
/// arms of [`Measure::entry`] to add to.
const fn plain(
    name: &'static str,
    label: &'static str,
    unit: Unit,
    definition: &'static str,
    disclosure: Disclosure,
) -> Entry {
    Entry {
        name,
        label,
        unit,
        better: None,
        target: None,
        definition,
        disclosure,
        headline: None,
        team_column: None,
        charted: None,
        projected: None,
    }
}

impl Measure {
    /// Every measure, in the contract's order (the columns of `keel metrics`).
    pub const ALL: [Measure; 26] = [
        Measure::EmployedFte,
        Measure::EmployedHeadcount,
        Measure::AgencyFte,
        Measure::AgencyHeadcount,
        Measure::AgencyRate,
        Measure::EstablishmentFte,
        Measure::VacancyFte,
        Measure::VacancyRate,
        Measure::LeaversFte,
        Measure::LeaversHeadcount,
        Measure::StartersFte,
        Measure::StartersHeadcount,
        Measure::LeaversFte12m,
        Measure::TurnoverRate12m,
        Measure::StabilityIndex,
        Measure::NqswHeadcount,
        Measure::NqswShare,
        Measure::EarlyCareerShare,
        Measure::CaseHoldersFte,
        Measure::Cases,
        Measure::CaseloadPerFte,
        Measure::OverLimitHeadcount,
        Measure::SupervisionCompliance,
        Measure::AgencyCost,
        Measure::WorkingDaysLost,
        Measure::AbsenceRate,
    ];

    /// The registry's entry for this measure.
    pub const fn entry(self) -> Entry {
        use Measure::*;
        match self {
            EmployedFte => Entry {
                team_column: Some((0, "Employed FTE")),
                charted: Some(9),
                projected: projected(5, true, false, true),
                ..plain(
                    "employed_fte",
                    "Employed FTE",
                    Unit::Fte,
                    "Full-time equivalent of employed (not agency) workers in post at the snapshot.",
                    counts(EmployedHeadcount),
                )
            },
            EmployedHeadcount => plain(
                "employed_headcount",
                "Employed headcount",
                Unit::People,
                "Distinct employed workers in post at the snapshot.",
                counts(EmployedHeadcount),
            ),
            AgencyFte => Entry {
                projected: projected(7, false, false, true),
                ..plain(
                    "agency_fte",
                    "Agency FTE",
                    Unit::Fte,
                    "Full-time equivalent of agency workers in post at the snapshot.",
                    counts(AgencyHeadcount),
                )
            },
            AgencyHeadcount => plain(
                "agency_headcount",
                "Agency headcount",
                Unit::People,
                "Distinct agency workers in post at the snapshot.",
                counts(AgencyHeadcount),
            ),
            AgencyRate => Entry {
                better: Some(Better::Lower),
                target: target(13.0, ENGLAND_2025),
                headline: headline(
                    1,
                    Some("agency_rate_fte"),
                    "Agency FTE as a share of all FTE in post (employed and agency).",
                ),
                team_column: Some((2, "Agency")),
                charted: Some(1),
                projected: projected(0, true, true, true),
                ..plain(
                    "agency_rate_pct",
                    "Agency rate",
                    Unit::Percent,
                    "Agency FTE as a share of all FTE in post, employed and agency (the DfE agency rate).",
                    Disclosure {
                        counted: People::In(Column::Measure(AgencyHeadcount)),
                        over: IN_POST,
                    },
                )
            },
            // Funded posts are the council's, not anyone's data.
            EstablishmentFte => plain(
                "establishment_fte",
                "Establishment FTE",
                Unit::Fte,
                "Funded posts in force in the month, summed over the group's teams.",
                Disclosure {
                    counted: People::Nobody,
                    over: &[],
                },
            ),
            // Funded posts less the employed workers' FTE: it gives away
            // what those workers' FTE adds up to.
            VacancyFte => Entry {
                projected: projected(11, false, false, false),
                ..plain(
                    "vacancy_fte",
                    "Vacancy FTE",
                    Unit::Fte,
                    "Over the group's teams, funded FTE not filled by employed FTE (never below zero per team).",
                    counts(EmployedHeadcount),
                )
            },
            VacancyRate => Entry {
                better: Some(Better::Lower),
                target: target(14.2, ENGLAND_2025),
                headline: headline(
                    2,
                    Some("vacancy_rate_fte"),
                    "Funded posts not filled by an employed worker, as a share of the establishment.",
                ),
                team_column: Some((3, "Vacancy")),
                charted: Some(2),
                projected: projected(3, true, true, true),
                ..plain(
                    "vacancy_rate_pct",
                    "Vacancy rate",
                    Unit::Percent,
                    "Vacancy FTE as a share of vacancy FTE plus employed FTE (the DfE vacancy rate).",
                    Disclosure {
                        counted: People::Nobody,
                        over: EMPLOYED,
                    },
                )
            },
            LeaversFte => plain(
                "leavers_fte",
                "Leavers FTE",
                Unit::Fte,
                "FTE of employed workers whose leave falls in the month, recorded or inferred.",
                counts(LeaversHeadcount),
            ),
            LeaversHeadcount => plain(
                "leavers_headcount",
                "Leavers",
                Unit::People,
                "Employed workers whose leave falls in the month.",
                counts(LeaversHeadcount),
            ),
            StartersFte => plain(
                "starters_fte",
                "Starters FTE",
                Unit::Fte,
                "FTE of employed workers in post whose start date is in the month.",
                counts(StartersHeadcount),
            ),
            StartersHeadcount => plain(
                "starters_headcount",
                "Starters",
                Unit::People,
                "Employed workers in post whose start date is in the month.",
                counts(StartersHeadcount),
            ),
            LeaversFte12m => plain(
                "leavers_fte_12m",
                "Leavers FTE (12 months)",
                Unit::Fte,
                "Leavers FTE over the last twelve months; shown only when all twelve snapshots are held.",
                Disclosure {
                    counted: People::Leavers12m,
                    over: &[],
                },
            ),
            TurnoverRate12m => Entry {
                better: Some(Better::Lower),
                target: target(11.8, ENGLAND_2025),
                headline: headline(
                    0,
                    Some("turnover_rate_fte"),
                    "Employed FTE who left in the last 12 months, as a share of employed FTE now.",
                ),
                team_column: Some((1, "Turnover")),
                charted: Some(0),
                projected: projected(1, true, true, true),
                ..plain(
                    "turnover_rate_12m_pct",
                    "Turnover rate",
                    Unit::Percent,
                    "Leavers FTE in the last 12 months as a share of employed FTE now (the DfE turnover rate).",
                    Disclosure {
                        counted: People::Leavers12m,
                        over: EMPLOYED,
                    },
                )
            },
            StabilityIndex => Entry {
                better: Some(Better::Higher),
                target: target(
                    85.0,
                    "local default: the DfE publishes no stability index; 85% keeps most of a team together over a year",
                ),
                headline: headline(
                    6,
                    None,
                    "Workers in post a year ago who are still in post in the same team.",
                ),
                team_column: Some((7, "Stability")),
                charted: Some(6),
                ..plain(
                    "stability_index_pct",
                    "Stability index",
                    Unit::Percent,
                    "Employed workers in post a year ago who are still in post in the same group, by headcount.",
                    Disclosure {
                        counted: People::Nobody,
                        over: STABILITY_BASE,
                    },
                )
            },
            NqswHeadcount => plain(
                "nqsw_headcount",
                "Newly qualified (ASYE)",
                Unit::People,
                "Employed workers in their ASYE year (or, where not recorded, qualified less than 365 days).",
                counts(NqswHeadcount),
            ),
            NqswShare => Entry {
                better: Some(Better::Lower),
                target: target(
                    15.0,
                    "local default: no national figure; about one worker in seven in their ASYE year keeps supervision capacity for them",
                ),
                headline: headline(
                    3,
                    None,
                    "Employed workers in their ASYE year, as a share of employed headcount.",
                ),
                team_column: Some((4, "NQSW")),
                charted: Some(3),
                projected: projected(2, true, false, true),
                ..plain(
                    "nqsw_share_pct",
                    "NQSW share",
                    Unit::Percent,
                    "Newly qualified workers as a share of employed headcount.",
                    Disclosure {
                        counted: People::In(Column::Measure(NqswHeadcount)),
                        over: EMPLOYED,
                    },
                )
            },
            EarlyCareerShare => Entry {
                better: Some(Better::Lower),
                target: target(
                    30.0,
                    "local default: no national figure; workers in their first two years qualified kept under a third",
                ),
                ..plain(
                    "early_career_share_pct",
                    "Early-career share",
                    Unit::Percent,
                    "Employed workers qualified less than two years (or in ASYE) as a share of employed headcount.",
                    Disclosure {
                        counted: People::ShareOfEmployed,
                        over: EMPLOYED,
                    },
                )
            },
            CaseHoldersFte => plain(
                "case_holders_fte",
                "Case-holding FTE",
                Unit::Fte,
                "FTE of employed and agency workers holding at least one case.",
                Disclosure {
                    counted: People::In(Column::Base(Base::CaseHolders)),
                    over: &[],
                },
            ),
            Cases => plain(
                "cases",
                "Cases",
                Unit::Cases,
                "Cases held by those workers.",
                Disclosure {
                    counted: People::In(Column::Base(Base::CaseHolders)),
                    over: &[],
                },
            ),
            CaseloadPerFte => Entry {
                better: Some(Better::Lower),
                target: target(15.2, ENGLAND_2025),
                headline: headline(
                    4,
                    Some("caseload_fte"),
                    "Cases held divided by case-holding FTE.",
                ),
                team_column: Some((5, "Caseload/FTE")),
                charted: Some(4),
                projected: projected(4, true, true, true),
                ..plain(
                    "caseload_per_fte",
                    "Caseload per FTE",
                    Unit::Ratio,
                    "Cases divided by case-holding FTE (the DfE average caseload).",
                    Disclosure {
                        counted: People::Nobody,
                        over: CASE_HOLDERS,
                    },
                )
            },
            OverLimitHeadcount => Entry {
                better: Some(Better::Lower),
                target: target(0.0, "nobody above their caseload limit"),
                team_column: Some((8, "Over limit")),
                charted: Some(7),
                ..plain(
                    "over_limit_headcount",
                    "Over caseload limit",
                    Unit::People,
                    "Case holders above their limit: the NQSW limit for newly qualified workers, the standard limit otherwise.",
                    counts(OverLimitHeadcount),
                )
            },
            SupervisionCompliance => Entry {
                better: Some(Better::Higher),
                target: target(
                    95.0,
                    "employer standards (LGA Standards for employers of social workers): regular supervision for every case holder",
                ),
                headline: headline(5, None, "Case holders supervised within their interval."),
                team_column: Some((6, "Supervision")),
                charted: Some(5),
                ..plain(
                    "supervision_compliance_pct",
                    "Supervision compliance",
                    Unit::Percent,
                    "Case holders supervised within their interval (7 days in an NQSW's first 6 weeks, 14 days in their first 6 months, 31 days otherwise).",
                    Disclosure {
                        counted: People::Nobody,
                        over: CASE_HOLDERS,
                    },
                )
            },
            AgencyCost => Entry {
                charted: Some(8),
                projected: projected(6, true, false, true),
                ..plain(
                    "agency_cost",
                    "Agency cost",
                    Unit::Pounds,
                    "FTE × day rate × weekdays in the month, over agency workers in post.",
                    Disclosure {
                        counted: People::RatedAgency,
                        over: &[],
                    },
                )
            },
            // Only a census return states days lost: the figure is the
            // census year's, on its September row.
            WorkingDaysLost => plain(
                "working_days_lost",
                "Working days lost",
                Unit::Days,
                "Working days lost to sickness absence in the census year (to 30 September), over employed workers; from a census return.",
                counts(EmployedHeadcount),
            ),
            AbsenceRate => Entry {
                better: Some(Better::Lower),
                ..plain(
                    "absence_rate_pct",
                    "Absence rate",
                    Unit::Percent,
                    "Working days lost as a share of the working days of the employed FTE in post on 30 September (FTE × 253 days; the DfE absence rate).",
                    Disclosure {
                        counted: People::Nobody,
                        over: EMPLOYED,
                    },
                )
            },
        }
    }

    /// The column name `keel metrics` prints.
    pub const fn name(self) -> &'static str {
        self.entry().name
    }

    pub const fn label(self) -> &'static str {
        self.entry().label
    }

    pub const fn unit(self) -> Unit {
        self.entry().unit
    }

    pub const fn is_percent(self) -> bool {
        matches!(self.entry().unit, Unit::Percent)
    }

    /// A head count: whole people, an integer column in the output.
    pub const fn is_headcount(self) -> bool {
        matches!(self.entry().unit, Unit::People)
    }

    /// The measure `keel metrics` prints as `name`.
    pub fn parse(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The measures with this role, in its order.
    fn ranked(rank: impl Fn(&Entry) -> Option<u8>) -> Vec<Measure> {
        let mut v: Vec<(u8, Measure)> = Measure::ALL
            .into_iter()
            .filter_map(|m| rank(&m.entry()).map(|r| (r, m)))
            .collect();
        v.sort_by_key(|(r, _)| *r);
        v.into_iter().map(|(_, m)| m).collect()
    }

    /// The headline measures: dashboard tiles, meeting slides, report pages.
    pub fn headlines() -> Vec<Measure> {
        Measure::ranked(|e| e.headline.map(|h| h.rank))
    }

    /// The teams table's columns.
    pub fn team_columns() -> Vec<Measure> {
        Measure::ranked(|e| e.team_column.map(|(r, _)| r))
    }

    /// The measures with a chart page in the board report.
    pub fn charted() -> Vec<Measure> {
        Measure::ranked(|e| e.charted)
    }

    /// The measures a scenario projects, in a projection's order.
    pub fn projected() -> Vec<Measure> {
        Measure::ranked(|e| e.projected.map(|p| p.rank))
    }

    /// The projected measures picked by `role`, in a projection's order.
    pub fn projected_where(role: impl Fn(&Projected) -> bool) -> Vec<Measure> {
        Measure::ranked(|e| e.projected.filter(|p| role(p)).map(|p| p.rank))
    }

    /// Every column of the metrics table: the measures, then their bases.
    pub fn columns() -> impl Iterator<Item = Column> {
        Measure::ALL
            .into_iter()
            .map(Column::Measure)
            .chain(Base::ALL.into_iter().map(Column::Base))
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut names: Vec<&str> = Measure::columns().map(Column::name).collect();
        assert_eq!(names.len(), 29);
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 29, "a name is used twice");
        for m in Measure::ALL {
            assert_eq!(Measure::parse(m.name()), Some(m));
        }
        assert_eq!(Measure::parse("turnover"), None);
    }

    #[test]
    fn every_ranked_role_has_distinct_ranks() {
        type Rank = fn(&Entry) -> Option<u8>;
        let roles: [(&str, Rank); 4] = [
            ("headline", |e| e.headline.map(|h| h.rank)),
            ("team column", |e| e.team_column.map(|(r, _)| r)),
            ("charted", |e| e.charted),
            ("projected", |e| e.projected.map(|p| p.rank)),
        ];
        for (role, rank) in roles {
            let mut ranks: Vec<u8> = Measure::ALL
                .iter()
                .filter_map(|m| rank(&m.entry()))
                .collect();
            ranks.sort();
            let expected: Vec<u8> = (0..ranks.len() as u8).collect();
            // The projection's own measures (FTE by cohort, pay bill) take
            // the ranks the contract's measures leave free.
            if role != "projected" {
                assert_eq!(ranks, expected, "{role}");
            } else {
                let mut d = ranks.clone();
                d.dedup();
                assert_eq!(d, ranks, "{role}");
            }
        }
    }

    #[test]
    fn a_target_says_which_way_is_better() {
        for m in Measure::ALL {
            let e = m.entry();
            if e.target.is_some() || e.headline.is_some() {
                assert!(e.better.is_some(), "{m}");
            }
        }
    }

    #[test]
    fn a_rate_with_a_base_is_a_percentage_or_a_ratio() {
        for m in Measure::ALL {
            let d = m.entry().disclosure;
            if !d.over.is_empty() {
                assert!(
                    matches!(m.unit(), Unit::Percent | Unit::Ratio),
                    "{m} has a base but is not a rate"
                );
            }
        }
    }
}
