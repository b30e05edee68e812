//! The council simulation. One model drives both output modes (the council's own files
//! and the national single CSV) so that they tell the same story; writers only ever see
//! finished month snapshots through [`Sink`].

use super::error::{Error, Result, range};
use chrono::{Datelike, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, Normal};

use super::calendar::{
    add_days, days_between, first_of_month, month_end, next_working_day, shift_months,
    snapshot_dates, working_day_in_month,
};
use super::names::{FIRST_NAMES, LAST_NAMES};
use super::story::{Pressure, Story};

/// Months simulated before the first snapshot, so that the first extract already shows
/// workers under notice, recent starters and the autumn NQSW cohort.
const WARM_UP_MONTHS: i64 = 3;
/// Agency engagements are short: roughly one in fourteen ends each month.
const AGENCY_MONTHLY_EXIT: f64 = 0.07;
/// Share of the gap to the employed target that recruitment closes in a month; HR
/// campaigns are slow, which is why the agency share only falls gradually.
const HIRE_CATCH_UP: f64 = 0.3;
/// Share of the gap to the agency target that agencies fill in a month.
const AGENCY_FILL: f64 = 0.8;
/// Funded FTE per post: a few posts are funded part time.
const FUNDED_FTE_PER_POST: f64 = 0.95;
/// Rare events are quoted for the default 180-worker council and scale with size.
const DEFAULT_WORKERS: f64 = 180.0;
const TEAM_MOVES_PER_YEAR: f64 = 2.0;
const AGENCY_SWITCHES_PER_YEAR: f64 = 0.7;
/// Leavers are numbered as they hand in notice; these residues pick the few that the
/// HR leavers report misses (one in twenty) and the few that vanish from snapshots
/// without a leave date (one in forty). The residues never coincide.
const UNREPORTED_EVERY: u64 = 20;
const UNREPORTED_RESIDUE: u64 = 5;
const SILENT_EVERY: u64 = 40;
const SILENT_RESIDUE: u64 = 17;

/// The default council: (team, service index, posts for 180 workers).
const NAMED_TEAMS: [(&str, usize, u32); 8] = [
    ("MASH", 0, 19),
    ("Assessment East", 0, 23),
    ("Assessment West", 0, 23),
    ("CIN/CP North", 1, 27),
    ("CIN/CP South", 1, 27),
    ("Court Team", 1, 17),
    ("Children in Care", 2, 25),
    ("Care Leavers", 2, 15),
];
const NAMED_SERVICES: [&str; 3] = [
    "Front Door",
    "Children in Need & Child Protection",
    "Children in Care",
];

const LEAVING_REASONS: [(&str, u32); 9] = [
    ("Resignation - career progression", 20),
    ("Resignation - moved to another local authority", 22),
    ("Resignation - moved to agency work", 8),
    ("Resignation - workload and wellbeing", 14),
    ("Resignation - personal reasons", 10),
    ("Relocation", 7),
    ("Retirement", 9),
    ("Left the profession", 6),
    ("Dismissal", 2),
];
const TO_AGENCY_REASON: &str = "Resignation - moved to agency work";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Employment {
    Permanent,
    FixedTerm,
    Secondment,
    Agency,
}

impl Employment {
    pub(crate) fn is_agency(self) -> bool {
        self == Employment::Agency
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    SocialWorker,
    SeniorSocialWorker,
    AdvancedPractitioner,
    TeamManager,
    Nqsw,
    PracticeSupervisor,
}

impl Role {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Role::SocialWorker => "Social Worker",
            Role::SeniorSocialWorker => "Senior Social Worker",
            Role::AdvancedPractitioner => "Advanced Practitioner",
            Role::TeamManager => "Team Manager",
            Role::Nqsw => "Newly Qualified Social Worker",
            Role::PracticeSupervisor => "Practice Supervisor",
        }
    }

    fn is_main_grade(self) -> bool {
        matches!(self, Role::SocialWorker | Role::SeniorSocialWorker)
    }
}

pub(crate) struct Team {
    pub(crate) name: String,
    pub(crate) service: usize,
    /// Headcount the team is built for; recruitment aims at it.
    posts: u32,
}

pub(crate) struct Org {
    pub(crate) teams: Vec<Team>,
    pub(crate) services: Vec<String>,
}

impl Org {
    pub(crate) fn team_name(&self, team: usize) -> &str {
        self.teams.get(team).map_or("", |t| t.name.as_str())
    }

    pub(crate) fn service_name(&self, team: usize) -> &str {
        self.teams
            .get(team)
            .and_then(|t| self.services.get(t.service))
            .map_or("", String::as_str)
    }

    fn total_posts(&self) -> f64 {
        self.teams.iter().map(|t| f64::from(t.posts)).sum()
    }
}

#[derive(Clone, Debug)]
struct Leave {
    date: NaiveDate,
    reason: &'static str,
    /// Whether HR keyed the leave date before the worker vanished from the extract.
    shown: bool,
    /// Whether the leavers report picks the leaver up.
    reported: bool,
    /// Whether the worker comes back through an agency the day after leaving.
    to_agency: bool,
}

/// One person (or, for agency staff, one engagement) as the simulation tracks them.
pub(crate) struct Worker {
    pub(crate) id: String,
    first_name: usize,
    last_name: usize,
    pub(crate) team: usize,
    pub(crate) role: Role,
    /// FTE in hundredths, so that 0.8 and 29.6 hours print exactly.
    pub(crate) fte_pct: u8,
    pub(crate) employment: Employment,
    pub(crate) start: NaiveDate,
    pub(crate) qualified: NaiveDate,
    pub(crate) caseload: u16,
    last_supervision: Option<NaiveDate>,
    next_supervision: NaiveDate,
    /// A few workers' supervision is never recorded in the HR system.
    supervision_on_record: bool,
    leave: Option<Leave>,
    pub(crate) day_rate: Option<u16>,
    pub(crate) covering_vacancy: Option<bool>,
    /// HR systems are inconsistent: some records say "Perm" or "Locum".
    pub(crate) label_variant: bool,
    overloaded: bool,
    released: bool,
}

impl Worker {
    pub(crate) fn fte(&self) -> f64 {
        f64::from(self.fte_pct) / 100.0
    }

    pub(crate) fn full_name(&self) -> (&'static str, &'static str) {
        (
            FIRST_NAMES.get(self.first_name).copied().unwrap_or("Alex"),
            LAST_NAMES.get(self.last_name).copied().unwrap_or("Smith"),
        )
    }

    /// In the ASYE year, the twelve months from starting in post (role progression
    /// ends it).
    pub(crate) fn asye(&self) -> bool {
        self.role == Role::Nqsw
    }

    pub(crate) fn last_supervision(&self) -> Option<NaiveDate> {
        self.last_supervision.filter(|_| self.supervision_on_record)
    }

    /// The leave date and reason as the extract shows them.
    pub(crate) fn recorded_leave(&self) -> Option<(NaiveDate, &'static str)> {
        self.leave
            .as_ref()
            .filter(|l| l.shown)
            .map(|l| (l.date, l.reason))
    }

    /// In post at `date` under the contract's rule (a leave date on or before it ends
    /// the post).
    pub(crate) fn in_post_at(&self, date: NaiveDate) -> bool {
        !self.released && self.leave.as_ref().is_none_or(|l| l.date > date)
    }
}

pub(crate) struct LeaverRecord {
    pub(crate) id: String,
    pub(crate) date: NaiveDate,
    pub(crate) fte_pct: u8,
    pub(crate) team: usize,
    pub(crate) employment: Employment,
    pub(crate) reason: &'static str,
}

pub(crate) struct EstablishmentRow {
    pub(crate) team: usize,
    pub(crate) funded_fte: f64,
    pub(crate) effective: NaiveDate,
}

pub(crate) struct SupervisionSession {
    pub(crate) id: String,
    pub(crate) date: NaiveDate,
}

/// Receives each month's snapshot as it is simulated, so output streams and the full
/// history never has to be held in memory.
pub(crate) trait Sink {
    fn begin_month(&mut self, index: usize, date: NaiveDate) -> Result<()>;
    fn row(&mut self, org: &Org, worker: &Worker, date: NaiveDate) -> Result<()>;
    fn end_month(&mut self, index: usize, date: NaiveDate) -> Result<()>;
}

pub(crate) struct Config {
    pub(crate) workers: usize,
    pub(crate) months: usize,
    pub(crate) seed: u64,
    /// The named Brackenford teams; otherwise numbered teams of about 22.
    pub(crate) named_org: bool,
    /// How many trailing months the supervision log covers (0 = no log).
    pub(crate) supervision_log_months: usize,
}

pub(crate) struct Outcome {
    pub(crate) org: Org,
    pub(crate) snapshot_dates: Vec<NaiveDate>,
    pub(crate) rows: usize,
    pub(crate) leavers: Vec<LeaverRecord>,
    pub(crate) establishment: Vec<EstablishmentRow>,
    pub(crate) sessions: Vec<SupervisionSession>,
}

/// Runs the whole series, handing each snapshot to `sink` as soon as it exists.
pub(crate) fn simulate(config: &Config, sink: &mut dyn Sink) -> Result<Outcome> {
    let mut sim = Sim::new(config)?;
    let mut rows = 0;
    let months = i64::try_from(config.months).map_err(range("month count"))?;
    for offset in -WARM_UP_MONTHS..months {
        let date = month_end(shift_months(sim.series_start, offset)?)?;
        sim.step(offset, date)?;
        if let Ok(index) = usize::try_from(offset) {
            sink.begin_month(index, date)?;
            for worker in &sim.workers {
                sink.row(&sim.org, worker, date)?;
            }
            rows += sim.workers.len();
            sink.end_month(index, date)?;
        }
    }
    Ok(sim.finish(rows))
}

struct Hire {
    team: usize,
    role: Role,
    employment: Employment,
    start: NaiveDate,
    qualified: NaiveDate,
    fte_pct: u8,
}

/// Per-team state recruitment needs within one month.
struct TeamState {
    occupancy: Vec<i64>,
    agency: Vec<Vec<usize>>,
    has_manager: Vec<bool>,
    employed_fte: Vec<f64>,
}

struct Sim {
    rng: ChaCha8Rng,
    story: Story,
    org: Org,
    funded: Vec<f64>,
    workers: Vec<Worker>,
    ids: IdBook,
    scale: f64,
    leaver_seq: u64,
    series_start: NaiveDate,
    series_end: NaiveDate,
    snapshot_dates: Vec<NaiveDate>,
    establishment_change: Option<i64>,
    log_from: Option<NaiveDate>,
    caseload_noise: Normal<f64>,
    tenure_days: Exp<f64>,
    leavers: Vec<LeaverRecord>,
    establishment: Vec<EstablishmentRow>,
    sessions: Vec<SupervisionSession>,
}

impl Sim {
    fn new(config: &Config) -> Result<Sim> {
        if config.workers == 0 || config.months == 0 {
            return Err(Error::Empty);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let snapshot_dates = snapshot_dates(config.months)?;
        let (Some(&first), Some(&last)) = (snapshot_dates.first(), snapshot_dates.last()) else {
            return Err(Error::NoSnapshots);
        };
        let series_start = first_of_month(first);
        let org = if config.named_org {
            named_org(config.workers)
        } else {
            generic_org(&mut rng, config.workers)
        };
        let funded: Vec<f64> = org.teams.iter().map(|t| funded_fte(t.posts)).collect();
        let establishment = funded
            .iter()
            .enumerate()
            .map(|(team, &funded_fte)| EstablishmentRow {
                team,
                funded_fte,
                effective: series_start,
            })
            .collect();
        let log_from = match i64::try_from(config.supervision_log_months)? {
            0 => None,
            n => Some(shift_months(last, 1 - n)?),
        };
        let months = i64::try_from(config.months)?;
        let years = (months + WARM_UP_MONTHS) as f64 / 12.0;
        let ids = IdBook::new(&mut rng, config.workers as f64 * (1.2 + 0.35 * years));
        let mut sim = Sim {
            rng,
            story: Story::new(config.months),
            org,
            funded,
            workers: Vec::with_capacity(config.workers + config.workers / 8),
            ids,
            scale: config.workers as f64 / DEFAULT_WORKERS,
            leaver_seq: 0,
            series_start,
            series_end: last,
            snapshot_dates,
            establishment_change: (months >= 6).then_some(months / 2),
            log_from,
            caseload_noise: Normal::new(0.0, 1.4)?,
            tenure_days: Exp::new(1.0 / 1_800.0)?,
            leavers: Vec::new(),
            establishment,
            sessions: Vec::new(),
        };
        let before_warm_up = month_end(shift_months(series_start, -WARM_UP_MONTHS - 1)?)?;
        sim.populate(before_warm_up)?;
        Ok(sim)
    }

    fn step(&mut self, offset: i64, date: NaiveDate) -> Result<()> {
        let month_start = first_of_month(date);
        let pressure = self.story.pressure(offset);
        if self.establishment_change == Some(offset) {
            self.change_establishment(month_start);
        }
        self.remove_departed(date)?;
        self.end_agency_engagements(month_start);
        self.schedule_leavers(pressure, month_start, date)?;
        self.move_between_teams(date);
        self.switch_to_agency(month_start)?;
        self.recruit(pressure, month_start, date)?;
        self.update_in_post(pressure, date);
        Ok(())
    }

    fn finish(mut self, rows: usize) -> Outcome {
        // Leaves on the final snapshot date are still on it, so they are recorded here.
        let remaining = std::mem::take(&mut self.workers);
        let series_end = self.series_end;
        for worker in remaining
            .iter()
            .filter(|w| w.leave.as_ref().is_some_and(|l| l.date <= series_end))
        {
            self.record_leave(worker);
        }
        self.leavers
            .sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        self.sessions
            .sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        Outcome {
            org: self.org,
            snapshot_dates: self.snapshot_dates,
            rows,
            leavers: self.leavers,
            establishment: self.establishment,
            sessions: self.sessions,
        }
    }

    // ----- the starting workforce -------------------------------------------------

    fn populate(&mut self, date: NaiveDate) -> Result<()> {
        let agency_share = self.story.pressure(0).agency_share();
        for team in 0..self.org.teams.len() {
            let posts = self.org.teams.get(team).map_or(0, |t| t.posts);
            let vacant = stochastic_round(&mut self.rng, f64::from(posts) * 0.03);
            let supervisors = usize::try_from(posts / 12).unwrap_or(1).max(1);
            let filled = usize::try_from(posts)?.saturating_sub(vacant);
            for slot in 0..filled {
                let worker = self.starting_worker(team, slot, supervisors, agency_share, date)?;
                self.workers.push(worker);
            }
        }
        Ok(())
    }

    /// A worker in post before the series starts. Team managers and practice
    /// supervisors are mostly employed; agency staff concentrate in case-holding posts.
    fn starting_worker(
        &mut self,
        team: usize,
        slot: usize,
        supervisors: usize,
        agency_share: f64,
        date: NaiveDate,
    ) -> Result<Worker> {
        let senior_role = match slot {
            0 => Some(Role::TeamManager),
            s if s <= supervisors => Some(Role::PracticeSupervisor),
            s if s == supervisors + 1 => Some(Role::AdvancedPractitioner),
            _ => None,
        };
        let agency_chance = match senior_role {
            Some(Role::TeamManager) => 0.1,
            Some(_) => agency_share * 0.5,
            None => (agency_share * 1.15).min(0.9),
        };
        if self.rng.random_bool(agency_chance) {
            let role = senior_role.unwrap_or_else(|| self.agency_case_role());
            let start = add_days(date, -self.rng.random_range(14..540));
            let qualified = self.qualified_before(role, date);
            let id = self.ids.agency()?;
            let fte_pct = self.agency_fte();
            let hire = Hire {
                team,
                role,
                employment: Employment::Agency,
                start,
                qualified,
                fte_pct,
            };
            let mut worker = self.make_worker(id, hire, date, true);
            worker.covering_vacancy = Some(!self.rng.random_bool(0.1));
            return Ok(worker);
        }
        let role = senior_role.unwrap_or_else(|| match self.rng.random_range(0..100) {
            0..12 => Role::Nqsw,
            12..42 => Role::SeniorSocialWorker,
            _ => Role::SocialWorker,
        });
        let (start, qualified) = if role == Role::Nqsw {
            let qualified = add_days(date, -self.rng.random_range(150..330));
            let start = add_days(qualified, self.rng.random_range(30..100)).min(date);
            (next_working_day(start).min(date), qualified)
        } else {
            let tenure = self.tenure_days.sample(&mut self.rng).clamp(30.0, 12_000.0);
            let start = next_working_day(add_days(date, -(tenure as i64))).min(date);
            // Long-serving staff may have qualified while in post, but never on the
            // day they started.
            let before_start = add_days(start, -self.rng.random_range(30..1_500));
            (start, self.qualified_before(role, date).min(before_start))
        };
        let hire = Hire {
            team,
            role,
            employment: self.employed_contract(role),
            start,
            qualified,
            fte_pct: self.employed_fte(role),
        };
        let id = self.ids.employee(&mut self.rng)?;
        Ok(self.make_worker(id, hire, date, true))
    }

    fn make_worker(&mut self, id: String, hire: Hire, date: NaiveDate, settled: bool) -> Worker {
        let agency = hire.employment.is_agency();
        let day_rate = agency.then(|| {
            let steps = if hire.role == Role::TeamManager {
                22..=32
            } else {
                0..=28
            };
            320 + 5 * self.rng.random_range(steps)
        });
        let mut worker = Worker {
            id,
            first_name: self.rng.random_range(0..FIRST_NAMES.len()),
            last_name: self.rng.random_range(0..LAST_NAMES.len()),
            team: hire.team,
            role: hire.role,
            fte_pct: hire.fte_pct,
            employment: hire.employment,
            start: hire.start,
            qualified: hire.qualified,
            caseload: 0,
            last_supervision: None,
            next_supervision: next_working_day(add_days(hire.start, self.rng.random_range(3..10))),
            supervision_on_record: self.rng.random_bool(0.97),
            leave: None,
            day_rate,
            covering_vacancy: None,
            label_variant: self.rng.random_bool(if agency { 0.12 } else { 0.05 }),
            overloaded: false,
            released: false,
        };
        let target = caseload_target(&worker, date);
        let opening = if settled {
            target + self.caseload_noise.sample(&mut self.rng)
        } else {
            // New starters build a caseload over their first months.
            target * 0.4
        };
        worker.caseload = whole_cases(opening, worker.role);
        if settled {
            let last = next_working_day(add_days(date, -self.rng.random_range(3..24))).min(date);
            worker.last_supervision = Some(last);
            let gap = supervision_gap(&mut self.rng, worker.role, days_between(worker.start, last));
            worker.next_supervision = next_working_day(add_days(last, gap));
        }
        worker
    }

    // ----- leaving ----------------------------------------------------------------

    fn remove_departed(&mut self, date: NaiveDate) -> Result<()> {
        let mut rejoiners = Vec::new();
        let mut kept = Vec::with_capacity(self.workers.len());
        for worker in std::mem::take(&mut self.workers) {
            match &worker.leave {
                Some(leave) if leave.date < date => {
                    self.record_leave(&worker);
                    if leave.to_agency {
                        rejoiners.push(worker);
                    }
                }
                _ => kept.push(worker),
            }
        }
        self.workers = kept;
        for former in rejoiners {
            self.rejoin_as_agency(former, date)?;
        }
        Ok(())
    }

    fn record_leave(&mut self, worker: &Worker) {
        let Some(leave) = &worker.leave else { return };
        if worker.employment.is_agency() || !leave.reported || leave.date < self.series_start {
            return;
        }
        self.leavers.push(LeaverRecord {
            id: worker.id.clone(),
            date: leave.date,
            fte_pct: worker.fte_pct,
            team: worker.team,
            employment: worker.employment,
            reason: leave.reason,
        });
    }

    /// The same person returns through an agency the day after leaving, under a new
    /// agency identifier, to the team they left: a leaver, then an agency starter.
    fn rejoin_as_agency(&mut self, former: Worker, date: NaiveDate) -> Result<()> {
        let Some(leave) = &former.leave else {
            return Ok(());
        };
        let start = add_days(leave.date, 1).min(date);
        let role = if former.role == Role::Nqsw {
            Role::SocialWorker
        } else {
            former.role
        };
        let hire = Hire {
            team: former.team,
            role,
            employment: Employment::Agency,
            start,
            qualified: former.qualified,
            fte_pct: 100,
        };
        let id = self.ids.agency()?;
        let mut worker = self.make_worker(id, hire, date, false);
        worker.first_name = former.first_name;
        worker.last_name = former.last_name;
        worker.caseload = former.caseload;
        worker.covering_vacancy = Some(true);
        self.workers.push(worker);
        Ok(())
    }

    fn end_agency_engagements(&mut self, month_start: NaiveDate) {
        let rng = &mut self.rng;
        self.workers.retain(|w| {
            !(w.employment.is_agency()
                && w.start < month_start
                && rng.random_bool(AGENCY_MONTHLY_EXIT))
        });
    }

    /// Hands notice to this month's quota of leavers. A quota (rather than a coin toss
    /// per worker) keeps a small council's yearly turnover close to the story instead
    /// of drifting with chance; who leaves is still random, weighted by role and tenure.
    fn schedule_leavers(
        &mut self,
        pressure: Pressure,
        month_start: NaiveDate,
        date: NaiveDate,
    ) -> Result<()> {
        let candidates: Vec<(usize, f64)> = self
            .workers
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                !w.employment.is_agency() && w.leave.is_none() && w.start < month_start
            })
            .map(|(index, w)| (index, leave_weight(w, date)))
            .collect();
        let expected = pressure.turnover() / 12.0 * candidates.len() as f64;
        let quota = stochastic_round(&mut self.rng, expected);
        for index in weighted_sample(&mut self.rng, candidates, quota) {
            let employment = self.workers.get(index).map(|w| w.employment);
            let leave = self.plan_leave(employment, month_start, date)?;
            if let Some(worker) = self.workers.get_mut(index) {
                worker.leave = Some(leave);
            }
        }
        Ok(())
    }

    /// Most leavers work a month or two of notice and appear under notice on the
    /// snapshots in between; some leave on a month end and appear with that date.
    fn plan_leave(
        &mut self,
        employment: Option<Employment>,
        month_start: NaiveDate,
        date: NaiveDate,
    ) -> Result<Leave> {
        self.leaver_seq += 1;
        let silent = self.leaver_seq % SILENT_EVERY == SILENT_RESIDUE;
        let reported = self.leaver_seq % UNREPORTED_EVERY != UNREPORTED_RESIDUE;
        let notice_months = if silent {
            1
        } else {
            match self.rng.random_range(0..100) {
                0..15 => 0,
                15..75 => 1,
                _ => 2,
            }
        };
        let leave_date = if notice_months == 0 {
            date
        } else {
            let first = shift_months(month_start, notice_months)?;
            let last = month_end(first)?;
            if self.rng.random_bool(0.3) {
                last
            } else {
                self.random_working_day(first, last)
            }
        };
        Ok(Leave {
            date: leave_date,
            reason: self.leaving_reason(employment),
            shown: !silent,
            reported,
            to_agency: false,
        })
    }

    fn leaving_reason(&mut self, employment: Option<Employment>) -> &'static str {
        match employment {
            Some(Employment::FixedTerm) if self.rng.random_bool(0.7) => {
                "End of fixed-term contract"
            }
            Some(Employment::Secondment) if self.rng.random_bool(0.8) => "End of secondment",
            _ => pick_weighted(&mut self.rng, &LEAVING_REASONS).unwrap_or("Resignation"),
        }
    }

    /// A couple of workers a year resign to come straight back through an agency.
    fn switch_to_agency(&mut self, month_start: NaiveDate) -> Result<()> {
        let switches =
            stochastic_round(&mut self.rng, AGENCY_SWITCHES_PER_YEAR / 12.0 * self.scale);
        if switches == 0 {
            return Ok(());
        }
        let mut candidates: Vec<usize> = self
            .workers
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                !w.employment.is_agency()
                    && w.role.is_main_grade()
                    && w.leave.is_none()
                    && w.start < month_start
            })
            .map(|(index, _)| index)
            .collect();
        let next_month = shift_months(month_start, 1)?;
        let next_month_end = month_end(next_month)?;
        for _ in 0..switches {
            let Some(pick) = pick_index(&mut self.rng, candidates.len()) else {
                break;
            };
            let index = candidates.swap_remove(pick);
            let leave_date = self.random_working_day(next_month, next_month_end);
            self.leaver_seq += 1;
            if let Some(worker) = self.workers.get_mut(index) {
                worker.leave = Some(Leave {
                    date: leave_date,
                    reason: TO_AGENCY_REASON,
                    shown: true,
                    reported: true,
                    to_agency: true,
                });
            }
        }
        Ok(())
    }

    // ----- moving and hiring ------------------------------------------------------

    /// A couple of experienced workers a year move to the team with most vacancies.
    fn move_between_teams(&mut self, date: NaiveDate) {
        if self.org.teams.len() < 2 {
            return;
        }
        let moves = stochastic_round(&mut self.rng, TEAM_MOVES_PER_YEAR / 12.0 * self.scale);
        if moves == 0 {
            return;
        }
        let mut occupancy = self.occupancy(date);
        let mut candidates: Vec<usize> = self
            .workers
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                !w.employment.is_agency() && w.role.is_main_grade() && w.leave.is_none()
            })
            .map(|(index, _)| index)
            .collect();
        for _ in 0..moves {
            let Some(pick) = pick_index(&mut self.rng, candidates.len()) else {
                return;
            };
            let index = candidates.swap_remove(pick);
            let Some(from) = self.workers.get(index).map(|w| w.team) else {
                continue;
            };
            let to = pick_by_gap(&mut self.rng, &self.org.teams, &occupancy, Some(from))
                .or_else(|| self.other_team(from));
            let (Some(to), Some(worker)) = (to, self.workers.get_mut(index)) else {
                continue;
            };
            worker.team = to;
            if let Some(count) = occupancy.get_mut(from) {
                *count -= 1;
            }
            if let Some(count) = occupancy.get_mut(to) {
                *count += 1;
            }
        }
    }

    fn other_team(&mut self, from: usize) -> Option<usize> {
        let teams = self.org.teams.len();
        if teams < 2 {
            return None;
        }
        let step = self.rng.random_range(1..teams);
        Some((from + step) % teams)
    }

    /// Employed recruitment closes part of the gap to the employed target each month
    /// (plus the ASYE intakes); agencies then cover some of the posts still empty.
    fn recruit(
        &mut self,
        pressure: Pressure,
        month_start: NaiveDate,
        date: NaiveDate,
    ) -> Result<()> {
        let posts = self.org.total_posts();
        let employed_now = self
            .workers
            .iter()
            .filter(|w| !w.employment.is_agency() && w.in_post_at(date))
            .count() as f64;
        let employed_target = posts * (1.0 - pressure.agency_share());
        let intake_share = cohort_share(month_start.month()) * pressure.nqsw_intake();
        let cohort = stochastic_round(&mut self.rng, intake_share * employed_target);
        let gap = (employed_target - employed_now - cohort as f64).max(0.0);
        let experienced = stochastic_round(&mut self.rng, gap * HIRE_CATCH_UP);

        let mut state = self.team_state(date);
        for _ in 0..cohort {
            self.hire_employed(&mut state, true, month_start, date)?;
        }
        for _ in 0..experienced {
            self.hire_employed(&mut state, false, month_start, date)?;
        }
        self.workers.retain(|w| !w.released);

        let agency_now = self
            .workers
            .iter()
            .filter(|w| w.employment.is_agency() && w.in_post_at(date))
            .count() as f64;
        let agency_gap = (posts * pressure.agency_share() - agency_now).max(0.0);
        let budget = stochastic_round(&mut self.rng, agency_gap * AGENCY_FILL);
        for _ in 0..budget {
            if !self.hire_agency(&mut state, month_start, date)? {
                break;
            }
        }
        Ok(())
    }

    fn hire_employed(
        &mut self,
        state: &mut TeamState,
        nqsw: bool,
        month_start: NaiveDate,
        date: NaiveDate,
    ) -> Result<()> {
        let team = match pick_by_gap(&mut self.rng, &self.org.teams, &state.occupancy, None) {
            Some(team) => team,
            // ASYE posts are often funded on top of the establishment (an academy), so a
            // cohort does not wait for vacancies.
            None if nqsw => self.rng.random_range(0..self.org.teams.len().max(1)),
            // With every post filled, a permanent appointment replaces an agency worker.
            None => match self.release_agency(state) {
                Some(team) => team,
                None => return Ok(()),
            },
        };
        let has_manager = state.has_manager.get(team).copied().unwrap_or(true);
        let role = if nqsw {
            Role::Nqsw
        } else if !has_manager {
            Role::TeamManager
        } else {
            self.experienced_role()
        };
        let start = if nqsw {
            self.cohort_start(month_start, date)
        } else {
            self.random_working_day(month_start, date)
        };
        let qualified = if nqsw {
            add_days(month_start, -self.rng.random_range(25..75))
        } else {
            self.qualified_before(role, date)
        };
        let hire = Hire {
            team,
            role,
            employment: if nqsw {
                Employment::Permanent
            } else {
                self.employed_contract(role)
            },
            start,
            qualified,
            fte_pct: self.employed_fte(role),
        };
        let id = self.ids.employee(&mut self.rng)?;
        let worker = self.make_worker(id, hire, date, false);
        state.note_hire(&worker);
        self.workers.push(worker);
        Ok(())
    }

    /// Ends one agency engagement to make room for a permanent appointment, and says
    /// in which team.
    fn release_agency(&mut self, state: &mut TeamState) -> Option<usize> {
        let total: usize = state.agency.iter().map(Vec::len).sum();
        if total == 0 {
            return None;
        }
        let mut ticket = self.rng.random_range(0..total);
        let team = state.agency.iter().position(|list| {
            if ticket < list.len() {
                true
            } else {
                ticket -= list.len();
                false
            }
        })?;
        let list = state.agency.get_mut(team)?;
        let pick = pick_index(&mut self.rng, list.len())?;
        let index = list.swap_remove(pick);
        let worker = self.workers.get_mut(index)?;
        worker.released = true;
        if worker.role == Role::TeamManager
            && let Some(flag) = state.has_manager.get_mut(team)
        {
            *flag = false;
        }
        if let Some(count) = state.occupancy.get_mut(team) {
            *count -= 1;
        }
        Some(team)
    }

    fn hire_agency(
        &mut self,
        state: &mut TeamState,
        month_start: NaiveDate,
        date: NaiveDate,
    ) -> Result<bool> {
        let Some(team) = pick_by_gap(&mut self.rng, &self.org.teams, &state.occupancy, None) else {
            return Ok(false);
        };
        let role = if state.has_manager.get(team).copied().unwrap_or(true) {
            self.agency_case_role()
        } else {
            Role::TeamManager
        };
        let start = self.random_working_day(month_start, date);
        let qualified = self.qualified_before(role, date);
        let fte_pct = self.agency_fte();
        let hire = Hire {
            team,
            role,
            employment: Employment::Agency,
            start,
            qualified,
            fte_pct,
        };
        let id = self.ids.agency()?;
        let mut worker = self.make_worker(id, hire, date, false);
        let short_of_funded = state.employed_fte.get(team).copied().unwrap_or(0.0)
            < self.funded.get(team).copied().unwrap_or(0.0);
        worker.covering_vacancy = (!self.rng.random_bool(0.05)).then_some(short_of_funded);
        state.note_hire(&worker);
        self.workers.push(worker);
        Ok(true)
    }

    fn team_state(&self, date: NaiveDate) -> TeamState {
        let teams = self.org.teams.len();
        let mut state = TeamState {
            occupancy: vec![0; teams],
            agency: vec![Vec::new(); teams],
            has_manager: vec![false; teams],
            employed_fte: vec![0.0; teams],
        };
        for (index, worker) in self.workers.iter().enumerate() {
            if !worker.in_post_at(date) {
                continue;
            }
            state.note_hire(worker);
            if worker.employment.is_agency()
                && let Some(list) = state.agency.get_mut(worker.team)
            {
                list.push(index);
            }
        }
        state
    }

    fn occupancy(&self, date: NaiveDate) -> Vec<i64> {
        let mut occupancy = vec![0; self.org.teams.len()];
        for worker in self.workers.iter().filter(|w| w.in_post_at(date)) {
            if let Some(count) = occupancy.get_mut(worker.team) {
                *count += 1;
            }
        }
        occupancy
    }

    fn change_establishment(&mut self, effective: NaiveDate) {
        // Growth funding for the busiest front-door team and a saving elsewhere: the
        // kind of mid-year change an establishment file has to carry.
        for (index, team) in self.org.teams.iter_mut().enumerate() {
            let posts = match index % 25 {
                0 => team.posts + 2,
                5 => team.posts.saturating_sub(1).max(3),
                _ => continue,
            };
            team.posts = posts;
            let funded_fte = funded_fte(posts);
            if let Some(slot) = self.funded.get_mut(index) {
                *slot = funded_fte;
            }
            self.establishment.push(EstablishmentRow {
                team: index,
                funded_fte,
                effective,
            });
        }
    }

    // ----- monthly life of everyone in post ---------------------------------------

    fn update_in_post(&mut self, pressure: Pressure, date: NaiveDate) {
        let extra = pressure.extra_cases();
        let log = self.log_from.map(|from| (from, self.series_end));
        for worker in &mut self.workers {
            progress_role(&mut self.rng, worker, date);
            update_caseload(&mut self.rng, &self.caseload_noise, worker, date, extra);
            supervise(&mut self.rng, worker, date, log, &mut self.sessions);
        }
    }

    // ----- small random choices ---------------------------------------------------

    fn random_working_day(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let span = days_between(first, last).max(0);
        let day = add_days(first, self.rng.random_range(0..=span));
        working_day_in_month(day).clamp(first, last.max(first))
    }

    /// ASYE cohorts start together early in the month.
    fn cohort_start(&mut self, month_start: NaiveDate, date: NaiveDate) -> NaiveDate {
        let day = next_working_day(add_days(month_start, self.rng.random_range(0..10)));
        day.min(date)
    }

    fn qualified_before(&mut self, role: Role, date: NaiveDate) -> NaiveDate {
        let (least, most) = match role {
            Role::Nqsw => (120, 330),
            Role::SocialWorker => (400, 5_000),
            Role::SeniorSocialWorker => (1_100, 7_000),
            Role::AdvancedPractitioner => (2_000, 8_000),
            Role::PracticeSupervisor => (1_800, 7_000),
            Role::TeamManager => (2_500, 9_000),
        };
        add_days(date, -self.rng.random_range(least..most))
    }

    fn experienced_role(&mut self) -> Role {
        const ROLES: [(Role, u32); 4] = [
            (Role::SocialWorker, 50),
            (Role::SeniorSocialWorker, 32),
            (Role::AdvancedPractitioner, 10),
            (Role::PracticeSupervisor, 8),
        ];
        pick_weighted(&mut self.rng, &ROLES).unwrap_or(Role::SocialWorker)
    }

    fn agency_case_role(&mut self) -> Role {
        if self.rng.random_bool(0.7) {
            Role::SocialWorker
        } else {
            Role::SeniorSocialWorker
        }
    }

    fn employed_contract(&mut self, role: Role) -> Employment {
        const CONTRACTS: [(Employment, u32); 3] = [
            (Employment::Permanent, 86),
            (Employment::FixedTerm, 9),
            (Employment::Secondment, 5),
        ];
        if role == Role::Nqsw {
            return Employment::Permanent;
        }
        pick_weighted(&mut self.rng, &CONTRACTS).unwrap_or(Employment::Permanent)
    }

    fn employed_fte(&mut self, role: Role) -> u8 {
        const FTES: [(u8, u32); 4] = [(100, 80), (80, 8), (60, 7), (50, 5)];
        if role == Role::Nqsw {
            return 100;
        }
        pick_weighted(&mut self.rng, &FTES).unwrap_or(100)
    }

    fn agency_fte(&mut self) -> u8 {
        if self.rng.random_bool(0.93) { 100 } else { 80 }
    }
}

impl TeamState {
    fn note_hire(&mut self, worker: &Worker) {
        let team = worker.team;
        if let Some(count) = self.occupancy.get_mut(team) {
            *count += 1;
        }
        if worker.role == Role::TeamManager
            && let Some(flag) = self.has_manager.get_mut(team)
        {
            *flag = true;
        }
        if !worker.employment.is_agency()
            && let Some(fte) = self.employed_fte.get_mut(team)
        {
            *fte += worker.fte();
        }
    }
}

/// Payroll numbers and agency references. Payroll numbers are six digits with leading
/// zeros and rise in irregular steps; agency references are a letter and five digits.
struct IdBook {
    next_employee: u32,
    max_step: u32,
    next_agency: u32,
}

impl IdBook {
    const LAST_EMPLOYEE: u32 = 999_999;
    const AGENCY_PER_LETTER: u32 = 90_000;

    fn new(rng: &mut ChaCha8Rng, expected_people: f64) -> IdBook {
        let start = rng.random_range(1_000..4_000);
        let room = f64::from(Self::LAST_EMPLOYEE - start) / expected_people.max(1.0);
        // The average step is about half the largest, so twice the expected number of
        // people still fits in six digits.
        let max_step = room.floor().clamp(1.0, 40.0) as u32;
        IdBook {
            next_employee: start,
            max_step,
            next_agency: rng.random_range(0..300),
        }
    }

    fn employee(&mut self, rng: &mut ChaCha8Rng) -> Result<String> {
        let id = self.next_employee;
        if id > Self::LAST_EMPLOYEE {
            return Err(Error::TooManyEmployees);
        }
        self.next_employee = id.saturating_add(rng.random_range(1..=self.max_step));
        Ok(format!("{id:06}"))
    }

    fn agency(&mut self) -> Result<String> {
        let n = self.next_agency;
        self.next_agency = n.saturating_add(1);
        let letter = u8::try_from(n / Self::AGENCY_PER_LETTER)
            .ok()
            .and_then(|i| b'A'.checked_add(i))
            .filter(u8::is_ascii_uppercase)
            .ok_or(Error::TooManyAgency)?;
        let number = 10_000 + n % Self::AGENCY_PER_LETTER;
        Ok(format!("{}{number:05}", char::from(letter)))
    }
}

// ----- organisation -------------------------------------------------------------------

/// Brackenford's eight teams, scaled to the requested size.
fn named_org(workers: usize) -> Org {
    let scale = workers as f64 / DEFAULT_WORKERS;
    let teams = NAMED_TEAMS
        .iter()
        .map(|&(name, service, posts)| Team {
            name: name.to_owned(),
            service,
            posts: (f64::from(posts) * scale).round().max(3.0) as u32,
        })
        .collect();
    Org {
        teams,
        services: NAMED_SERVICES.iter().map(|&s| s.to_owned()).collect(),
    }
}

/// Numbered teams of about 22 posts, three teams to a service, for national-scale
/// samples where named teams would mean nothing.
fn generic_org(rng: &mut ChaCha8Rng, workers: usize) -> Org {
    let team_count = (workers as f64 / 22.0).round().max(1.0) as usize;
    let service_count = (team_count as f64 / 3.0).round().max(1.0) as usize;
    let mean_posts = workers as f64 * 0.95 / team_count as f64;
    let teams = (0..team_count)
        .map(|index| Team {
            name: format!("Team {:04}", index + 1),
            service: index * service_count / team_count,
            posts: (mean_posts * rng.random_range(0.8..1.2)).round().max(3.0) as u32,
        })
        .collect();
    let services = (1..=service_count)
        .map(|index| format!("Service {index:03}"))
        .collect();
    Org { teams, services }
}

fn funded_fte(posts: u32) -> f64 {
    (f64::from(posts) * FUNDED_FTE_PER_POST * 2.0).round() / 2.0
}

/// Share of the year's ASYE intake starting in each month. Social workers qualify
/// through the year (summer and winter graduations, fast-track programmes, apprentices)
/// and councils take them in several cohorts; the autumn one is the largest. One
/// September cohort of most of the year's intake would, as the series ends in
/// September, fill a third of the vacancies in its last month.
fn cohort_share(month: u32) -> f64 {
    match month {
        9 => 0.20,
        10 => 0.15,
        11 => 0.10,
        1 => 0.20,
        3 => 0.10,
        5 => 0.10,
        7 => 0.15,
        _ => 0.0,
    }
}

// ----- per-worker monthly updates ---------------------------------------------------

/// Relative chance of resigning: main-grade workers early in their tenure move most,
/// and fixed-term contracts and secondments end.
fn leave_weight(worker: &Worker, date: NaiveDate) -> f64 {
    let role = match worker.role {
        Role::Nqsw => 1.1,
        Role::SocialWorker => 1.25,
        Role::SeniorSocialWorker => 0.9,
        Role::AdvancedPractitioner | Role::PracticeSupervisor => 0.7,
        Role::TeamManager => 0.8,
    };
    let contract = match worker.employment {
        Employment::FixedTerm | Employment::Secondment => 2.0,
        Employment::Permanent | Employment::Agency => 1.0,
    };
    let tenure = if days_between(worker.start, date) < 730 {
        1.2
    } else {
        1.0
    };
    role * contract * tenure
}

fn progress_role(rng: &mut ChaCha8Rng, worker: &mut Worker, date: NaiveDate) {
    let since_qualified = days_between(worker.qualified, date);
    match worker.role {
        // The ASYE runs for a year from the start in post, not from qualifying:
        // counted from qualifying, a September cohort (qualified in the summer) would
        // leave the programme before the next one starts, and the NQSW share would
        // empty every summer.
        Role::Nqsw if days_between(worker.start, date) >= 365 => {
            worker.role = Role::SocialWorker;
        }
        Role::SocialWorker
            if !worker.employment.is_agency()
                && since_qualified > 3 * 365
                && rng.random_bool(0.01) =>
        {
            worker.role = Role::SeniorSocialWorker;
        }
        _ => {}
    }
}

/// The caseload a worker drifts towards, before part-time scaling.
fn caseload_target(worker: &Worker, date: NaiveDate) -> f64 {
    let full_time = match worker.role {
        Role::TeamManager => return 0.0,
        Role::PracticeSupervisor => 4.5,
        Role::AdvancedPractitioner => 15.0,
        Role::SeniorSocialWorker => 18.5,
        Role::SocialWorker => 19.5,
        // The ASYE protects new workers' caseloads, then lets them grow.
        Role::Nqsw => (8.0 + 0.6 * days_between(worker.start, date) as f64 / 30.0).min(14.0),
    };
    let agency = if worker.employment.is_agency() {
        0.5
    } else {
        0.0
    };
    (full_time + agency) * worker.fte()
}

fn whole_cases(value: f64, role: Role) -> u16 {
    if role == Role::TeamManager {
        return 0;
    }
    value.round().clamp(1.0, 40.0) as u16
}

fn update_caseload(
    rng: &mut ChaCha8Rng,
    noise: &Normal<f64>,
    worker: &mut Worker,
    date: NaiveDate,
    extra: f64,
) {
    if worker.role == Role::TeamManager {
        worker.caseload = 0;
        return;
    }
    // A few workers carry far too many cases for a while (the over-limit measure).
    worker.overloaded = if worker.overloaded {
        !rng.random_bool(0.3)
    } else {
        worker.role.is_main_grade() && rng.random_bool(0.012)
    };
    let overload = if worker.overloaded { 8.0 } else { 0.0 };
    let target = caseload_target(worker, date) + extra + overload;
    let drift = 0.5 * f64::from(worker.caseload) + 0.5 * target + noise.sample(rng);
    worker.caseload = whole_cases(drift, worker.role);
}

/// Days to the next supervision session: weekly then fortnightly in the ASYE, about
/// monthly afterwards, with the occasional cancelled session that makes it overdue.
fn supervision_gap(rng: &mut ChaCha8Rng, role: Role, days_in_post: i64) -> i64 {
    let (base, jitter) = match role {
        Role::Nqsw if days_in_post < 42 => (7, 1),
        Role::Nqsw if days_in_post < 183 => (14, 2),
        _ => (28, 3),
    };
    let slip = if rng.random_bool(0.07) {
        rng.random_range(10..=45)
    } else {
        0
    };
    (base + rng.random_range(-jitter..=jitter) + slip).max(5)
}

fn supervise(
    rng: &mut ChaCha8Rng,
    worker: &mut Worker,
    date: NaiveDate,
    log: Option<(NaiveDate, NaiveDate)>,
    sessions: &mut Vec<SupervisionSession>,
) {
    // Bounded so that a pathological date can never spin forever.
    for _ in 0..64 {
        let session = worker.next_supervision;
        if session > date {
            break;
        }
        let logged = log.is_some_and(|(from, to)| session >= from && session <= to);
        if logged && !worker.employment.is_agency() && worker.caseload >= 1 {
            sessions.push(SupervisionSession {
                id: worker.id.clone(),
                date: session,
            });
        }
        worker.last_supervision = Some(session);
        let gap = supervision_gap(rng, worker.role, days_between(worker.start, session));
        worker.next_supervision = next_working_day(add_days(session, gap));
    }
}

// ----- random helpers ---------------------------------------------------------------

/// Rounds up with probability equal to the fraction, so small expected counts (two
/// team moves a year) still happen at the right rate.
fn stochastic_round(rng: &mut ChaCha8Rng, expected: f64) -> usize {
    let expected = expected.max(0.0);
    let whole = expected.floor();
    let up = rng.random_bool((expected - whole).clamp(0.0, 1.0));
    whole as usize + usize::from(up)
}

/// `count` distinct items drawn with probability proportional to their weights
/// (Efraimidis-Spirakis: the smallest exponential keys scaled by weight), returned in
/// their original order.
fn weighted_sample(rng: &mut ChaCha8Rng, items: Vec<(usize, f64)>, count: usize) -> Vec<usize> {
    if count == 0 {
        return Vec::new();
    }
    let mut keyed: Vec<(f64, usize)> = items
        .into_iter()
        .filter(|(_, weight)| *weight > 0.0)
        .map(|(item, weight)| {
            let uniform: f64 = rng.random();
            (-(1.0 - uniform).ln() / weight, item)
        })
        .collect();
    if count < keyed.len() {
        keyed.select_nth_unstable_by(count, |a, b| a.0.total_cmp(&b.0));
        keyed.truncate(count);
    }
    let mut chosen: Vec<usize> = keyed.into_iter().map(|(_, item)| item).collect();
    chosen.sort_unstable();
    chosen
}

fn pick_index(rng: &mut ChaCha8Rng, len: usize) -> Option<usize> {
    (len > 0).then(|| rng.random_range(0..len))
}

fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, weight)| weight).sum();
    if total == 0 {
        return None;
    }
    let mut ticket = rng.random_range(0..total);
    for &(item, weight) in items {
        if ticket < weight {
            return Some(item);
        }
        ticket -= weight;
    }
    None
}

/// A team chosen with probability proportional to its empty posts.
fn pick_by_gap(
    rng: &mut ChaCha8Rng,
    teams: &[Team],
    occupancy: &[i64],
    exclude: Option<usize>,
) -> Option<usize> {
    let gap = |index: usize| -> i64 {
        if exclude == Some(index) {
            return 0;
        }
        let posts = teams.get(index).map_or(0, |t| i64::from(t.posts));
        (posts - occupancy.get(index).copied().unwrap_or(0)).max(0)
    };
    let total: i64 = (0..teams.len()).map(gap).sum();
    if total <= 0 {
        return None;
    }
    let mut ticket = rng.random_range(0..total);
    for index in 0..teams.len() {
        let g = gap(index);
        if ticket < g {
            return Some(index);
        }
        ticket -= g;
    }
    None
}
