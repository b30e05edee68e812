//! Checks that the default sample tells the story the documentation promises, with the
//! metrics computed from the rows the way the data contract defines them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{Datelike, NaiveDate};

use super::model::{Config, Org, Sink, Worker, simulate};

/// What the sink returns: the simulation's own error.
type SinkResult = super::error::Result<()>;
use super::write::WORKBOOK_SHEET;
use super::*;

/// One snapshot's figures, counted as an importer would from the rows.
#[derive(Default)]
struct MonthFigures {
    date: NaiveDate,
    present: HashSet<String>,
    employed: HashMap<String, f64>,
    agency_fte: f64,
    in_post_heads: HashSet<String>,
    nqsw: usize,
    cases: f64,
    case_holder_fte: f64,
    over_25: usize,
}

#[derive(Default)]
struct Figures {
    months: Vec<MonthFigures>,
    /// (worker, leave date) → FTE, from leave dates on snapshot rows.
    recorded_leaves: BTreeMap<(String, NaiveDate), f64>,
    last_team: HashMap<String, usize>,
    team_moves: usize,
}

impl Sink for Figures {
    fn begin_month(&mut self, _index: usize, date: NaiveDate) -> SinkResult {
        self.months.push(MonthFigures {
            date,
            ..MonthFigures::default()
        });
        Ok(())
    }

    fn row(&mut self, _org: &Org, worker: &Worker, date: NaiveDate) -> SinkResult {
        let month = self.months.last_mut().ok_or(super::Error::RowBeforeMonth)?;
        month.present.insert(worker.id.clone());
        if let Some(team) = self.last_team.insert(worker.id.clone(), worker.team) {
            self.team_moves += usize::from(team != worker.team);
        }
        let leave = worker.recorded_leave();
        let agency = worker.employment.is_agency();
        if let (Some((leave_date, _)), false) = (leave, agency) {
            self.recorded_leaves
                .insert((worker.id.clone(), leave_date), worker.fte());
        }
        if leave.is_some_and(|(leave_date, _)| leave_date <= date) {
            return Ok(());
        }
        month.in_post_heads.insert(worker.id.clone());
        if agency {
            month.agency_fte += worker.fte();
        } else {
            *month.employed.entry(worker.id.clone()).or_default() += worker.fte();
            month.nqsw += usize::from(worker.asye());
        }
        if worker.caseload >= 1 {
            month.cases += f64::from(worker.caseload);
            month.case_holder_fte += worker.fte();
            month.over_25 += usize::from(worker.caseload > 25);
        }
        Ok(())
    }

    fn end_month(&mut self, _index: usize, _date: NaiveDate) -> SinkResult {
        Ok(())
    }
}

impl MonthFigures {
    fn employed_fte(&self) -> f64 {
        self.employed.values().sum()
    }

    fn agency_pct(&self) -> f64 {
        100.0 * self.agency_fte / (self.agency_fte + self.employed_fte())
    }

    fn nqsw_pct(&self) -> f64 {
        100.0 * self.nqsw as f64 / self.employed.len() as f64
    }
}

/// (worker, leave date, FTE) from the leavers report.
type ReportedLeave = (String, NaiveDate, f64);

fn month_key(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

/// Leaves by month index: recorded on snapshots or in the leavers report, plus
/// inferred leavers, as section 3 of the contract counts them.
fn leaves_by_month(figures: &Figures, report: &[ReportedLeave]) -> Vec<f64> {
    let first = figures.months.first().map_or(0, |m| month_key(m.date));
    let mut leaves = figures.recorded_leaves.clone();
    for (id, date, fte) in report {
        leaves.entry((id.clone(), *date)).or_insert(*fte);
    }
    let mut by_month = vec![0.0; figures.months.len()];
    let mut leave_months: HashMap<&str, Vec<i32>> = HashMap::new();
    for ((id, date), fte) in &leaves {
        leave_months.entry(id).or_default().push(month_key(*date));
        if let Some(slot) = usize::try_from(month_key(*date) - first)
            .ok()
            .and_then(|i| by_month.get_mut(i))
        {
            *slot += fte;
        }
    }
    for (index, pair) in figures.months.windows(2).enumerate() {
        let (before, now) = (&pair[0], &pair[1]);
        let key = month_key(now.date);
        for (id, fte) in &before.employed {
            let recorded = leave_months
                .get(id.as_str())
                .is_some_and(|months| months.iter().any(|m| (key - 1..=key + 1).contains(m)));
            if !now.present.contains(id) && !recorded {
                by_month[index + 1] += fte;
            }
        }
    }
    by_month
}

fn turnover_12m_pct(figures: &Figures, leaves: &[f64], month: usize) -> f64 {
    let year: f64 = leaves[month - 11..=month].iter().sum();
    100.0 * year / figures.months[month].employed_fte()
}

fn default_config() -> Config {
    let options = SampleOptions::default();
    Config {
        workers: options.workers,
        months: options.months,
        seed: options.seed,
        named_org: true,
        supervision_log_months: 3,
    }
}

fn simulated_default() -> Result<(Figures, Vec<ReportedLeave>)> {
    let mut figures = Figures::default();
    let outcome = simulate(&default_config(), &mut figures)?;
    let report = outcome
        .leavers
        .iter()
        .map(|l| (l.id.clone(), l.date, f64::from(l.fte_pct) / 100.0))
        .collect();
    Ok((figures, report))
}

#[test]
fn default_series_has_36_months_ending_september_2026() -> Result<()> {
    let (figures, _) = simulated_default()?;
    let dates: Vec<NaiveDate> = figures.months.iter().map(|m| m.date).collect();
    assert_eq!(dates.len(), 36);
    assert_eq!(
        dates.first().copied(),
        NaiveDate::from_ymd_opt(2023, 10, 31)
    );
    assert_eq!(dates.last().copied(), NaiveDate::from_ymd_opt(2026, 9, 30));
    Ok(())
}

#[test]
fn headcount_stays_near_180() -> Result<()> {
    let (figures, _) = simulated_default()?;
    for month in &figures.months {
        let heads = month.in_post_heads.len();
        assert!(
            (160..=200).contains(&heads),
            "{}: {heads} in post",
            month.date
        );
    }
    Ok(())
}

#[test]
fn agency_share_falls_from_a_quarter_to_about_fifteen_percent() -> Result<()> {
    let (figures, _) = simulated_default()?;
    for month in figures.months.iter().take(12) {
        let pct = month.agency_pct();
        assert!(
            (20.0..=30.0).contains(&pct),
            "{}: agency {pct:.1}%",
            month.date
        );
    }
    let last = figures.months.last().context("no months")?;
    let pct = last.agency_pct();
    assert!((10.0..=20.0).contains(&pct), "last month agency {pct:.1}%");
    Ok(())
}

#[test]
fn turnover_nqsw_and_caseloads_follow_the_story() -> Result<()> {
    let (figures, report) = simulated_default()?;
    let leaves = leaves_by_month(&figures, &report);
    let first_year = turnover_12m_pct(&figures, &leaves, 11);
    let last_year = turnover_12m_pct(&figures, &leaves, 35);
    let first = &figures.months[0];
    let last = &figures.months[35];
    for (index, month) in figures.months.iter().enumerate() {
        let turnover = if index >= 11 {
            format!("{:5.1}", turnover_12m_pct(&figures, &leaves, index))
        } else {
            "    -".to_owned()
        };
        println!(
            "{} heads {:3} employed {:6.1} agency {:5.1}% nqsw {:5.1}% turnover12 {turnover}% \
             leavers {:4.1} cases/fte {:4.1} over25 {}",
            month.date,
            month.in_post_heads.len(),
            month.employed_fte(),
            month.agency_pct(),
            month.nqsw_pct(),
            leaves[index],
            month.cases / month.case_holder_fte,
            month.over_25,
        );
    }
    assert!(
        (16.0..=24.0).contains(&first_year),
        "first-year turnover {first_year:.1}%"
    );
    assert!(
        (9.0..=16.0).contains(&last_year),
        "last-year turnover {last_year:.1}%"
    );
    assert!(
        (15.0..=25.0).contains(&first.nqsw_pct()),
        "first NQSW {:.1}%",
        first.nqsw_pct()
    );
    assert!(
        (8.0..=16.0).contains(&last.nqsw_pct()),
        "last NQSW {:.1}%",
        last.nqsw_pct()
    );
    for month in &figures.months {
        let per_fte = month.cases / month.case_holder_fte;
        assert!(
            (15.0..=20.5).contains(&per_fte),
            "{}: {per_fte:.1} cases/FTE",
            month.date
        );
    }
    assert!(figures.months.iter().any(|m| m.over_25 > 0));
    assert!(
        (2..=12).contains(&figures.team_moves),
        "{} team moves",
        figures.team_moves
    );
    Ok(())
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .context("name")?
            .to_string_lossy()
            .into_owned();
        files.push((name, fs::read(&path)?));
    }
    files.sort();
    Ok(files)
}

#[test]
fn same_seed_gives_identical_files() -> Result<()> {
    let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let options = SampleOptions::default();
    let first = generate(&options, a.path())?;
    let second = generate(&options, b.path())?;
    assert_eq!(first.workforce_rows, second.workforce_rows);
    assert_eq!(read_dir_sorted(a.path())?, read_dir_sorted(b.path())?);
    Ok(())
}

#[test]
fn default_run_writes_the_documented_files() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let summary = generate(&SampleOptions::default(), dir.path())?;
    let names: Vec<String> = summary
        .files
        .iter()
        .filter_map(|f| f.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    assert_eq!(summary.months.len(), 36);
    assert_eq!(names.len(), 1 + 6 + 18 + 5);
    assert_eq!(names[0], "workforce_2023-10_to_2024-09.csv");
    assert_eq!(names[1], "workforce_2024-10.csv");
    assert_eq!(names[6], "workforce_2025-03.csv");
    assert_eq!(names[7], "workforce_2025-04.xlsx");
    assert_eq!(names[24], "workforce_2026-09.xlsx");
    assert!(names.contains(&"leavers_2023-10_to_2026-09.csv".to_owned()));
    assert!(names.contains(&"establishment.csv".to_owned()));
    assert!(names.contains(&"supervision_log_2026-07_to_2026-09.csv".to_owned()));
    assert!(names.contains(&"README.md".to_owned()));
    assert!(names.contains(&"improvement_plan.csv".to_owned()));
    for file in &summary.files {
        assert!(file.is_file(), "{} missing", file.display());
    }
    Ok(())
}

fn csv_ids(path: &Path) -> Result<Vec<String>> {
    let mut reader = csv::Reader::from_path(path)?;
    let mut ids = Vec::new();
    for record in reader.records() {
        ids.push(record?.get(0).context("empty row")?.to_owned());
    }
    Ok(ids)
}

fn workbook_ids(path: &Path) -> Result<Vec<String>> {
    let mut workbook: Xlsx<_> = open_workbook(path)?;
    let range = workbook.worksheet_range(WORKBOOK_SHEET)?;
    let mut ids = Vec::new();
    for row in range.rows().skip(1) {
        match row.first() {
            Some(Data::String(id)) => ids.push(id.clone()),
            other => anyhow::bail!("{}: id cell {other:?} is not text", path.display()),
        }
    }
    Ok(ids)
}

#[test]
fn worker_ids_keep_six_characters() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let summary = generate(&SampleOptions::default(), dir.path())?;
    let mut checked = 0;
    let mut leading_zero = false;
    for file in &summary.files {
        let name = file
            .file_name()
            .context("name")?
            .to_string_lossy()
            .into_owned();
        let ids = if name.ends_with(".xlsx") {
            workbook_ids(file)?
        } else if name.ends_with(".csv") && name != "establishment.csv" && name != super::plan::FILE
        {
            csv_ids(file)?
        } else {
            continue;
        };
        for id in &ids {
            assert_eq!(id.chars().count(), 6, "{name}: id {id:?}");
            leading_zero |= id.starts_with('0');
        }
        checked += ids.len();
    }
    assert!(checked > summary.workforce_rows);
    assert!(leading_zero, "no payroll number starts with 0");
    Ok(())
}

#[test]
fn leavers_report_misses_a_few_and_adds_silent_leavers() -> Result<()> {
    let mut figures = Figures::default();
    let outcome = simulate(&default_config(), &mut figures)?;
    let recorded: HashSet<&String> = figures.recorded_leaves.keys().map(|(id, _)| id).collect();
    let reported: HashSet<&String> = outcome.leavers.iter().map(|l| &l.id).collect();
    let seen: HashSet<&String> = figures.months.iter().flat_map(|m| &m.present).collect();
    let only_on_snapshots = recorded.difference(&reported).count();
    // Silent leavers were on snapshots but never with a leave date. (Leavers who left
    // early in the first month appear on no snapshot at all and are not counted.)
    let silent = reported
        .difference(&recorded)
        .filter(|id| seen.contains(*id))
        .count();
    assert!(only_on_snapshots >= 1, "every leaver is in the report");
    assert!((1..=3).contains(&silent), "{silent} silent leavers");
    Ok(())
}

#[test]
fn single_csv_holds_every_month_without_names() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let options = SampleOptions {
        workers: 1_500,
        months: 14,
        seed: 7,
        single_csv: true,
    };
    let summary = generate(&options, dir.path())?;
    let workforce = dir.path().join("workforce.csv");
    let mut reader = csv::Reader::from_path(&workforce)?;
    let headers = reader.headers()?.clone();
    assert!(!headers.iter().any(|h| h == "Full Name"));
    assert_eq!(headers.get(0), Some("Employee Number"));
    let mut rows = 0;
    let mut extract_dates = HashSet::new();
    let mut teams = HashSet::new();
    for record in reader.records() {
        let record = record?;
        extract_dates.insert(record.get(15).context("extract date")?.to_owned());
        teams.insert(record.get(1).context("team")?.to_owned());
        rows += 1;
    }
    assert_eq!(rows, summary.workforce_rows);
    assert_eq!(extract_dates.len(), 14);
    assert!(extract_dates.contains("30/09/2026"));
    assert!((60..=80).contains(&teams.len()), "{} teams", teams.len());
    assert!(teams.contains("Team 0001"));
    assert!(dir.path().join("leavers.csv").is_file());
    assert!(dir.path().join("establishment.csv").is_file());
    Ok(())
}

#[test]
fn zero_workers_or_months_is_an_error() {
    let dir = std::env::temp_dir().join("keel-sample-never-written");
    let no_workers = SampleOptions {
        workers: 0,
        ..SampleOptions::default()
    };
    let no_months = SampleOptions {
        months: 0,
        ..SampleOptions::default()
    };
    assert!(generate(&no_workers, &dir).is_err());
    assert!(generate(&no_months, &dir).is_err());
}

#[test]
fn the_plan_beside_the_extracts_tells_the_inspection_story() -> Result<()> {
    use crate::plan::{Rag, Window};
    let dir = tempfile::tempdir()?;
    let summary = generate(&SampleOptions::default(), dir.path())?;
    let path = dir.path().join(super::plan::FILE);
    assert!(summary.files.contains(&path));
    // Read as a user would, with no --start: the file states it.
    let plan = crate::plan::read_plan(&path, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let first = summary.months[0];
    let last = *summary.months.last().context("months")?;
    // The inspection report in the series' fourth month (the first is
    // October 2023): Monday 8 January 2024.
    assert_eq!(
        plan.start,
        NaiveDate::from_ymd_opt(2024, 1, 8).context("date")?
    );
    assert!(plan.start > first);
    assert_eq!(plan.items.len(), 17);
    let in_window = |w: Window| plan.items.iter().filter(|i| i.window == Some(w)).count();
    assert_eq!(
        (
            in_window(Window::Immediate),
            in_window(Window::ThreeMonths),
            in_window(Window::SixMonths)
        ),
        (3, 10, 4)
    );
    assert!(plan.items.iter().all(|i| !i.lead.is_empty()));
    // The workforce ones are linked to the five measures the issue names.
    let mut linked: Vec<&str> = plan
        .items
        .iter()
        .flat_map(|i| i.measures.iter().map(|l| l.measure.as_str()))
        .collect();
    linked.sort_unstable();
    linked.dedup();
    let mut want = [
        crate::measure::Measure::AgencyRate,
        crate::measure::Measure::TurnoverRate12m,
        crate::measure::Measure::NqswShare,
        crate::measure::Measure::SupervisionCompliance,
        crate::measure::Measure::CaseloadPerFte,
    ]
    .map(|m| m.name());
    want.sort_unstable();
    assert_eq!(linked, want);
    // A peer review seven months on (8 January to 14 August 2024), and
    // scrutiny meetings.
    let peer = plan
        .events
        .iter()
        .find(|e| e.label.contains("peer review"))
        .context("a peer review")?;
    assert_eq!(
        peer.date,
        NaiveDate::from_ymd_opt(2024, 8, 14).context("date")?
    );
    assert!(
        plan.events
            .iter()
            .filter(|e| e.label.contains("scrutiny"))
            .count()
            >= 3
    );
    // Progress on most items; as at the series' end 13 done, one dropped
    // and three overdue.
    let noted = plan.items.iter().filter(|i| !i.evidence.is_empty()).count();
    assert!(noted >= 15, "{noted} items with progress notes");
    let s = crate::plan::summarise(&plan, &Default::default(), last);
    assert_eq!(
        (
            s.count(Rag::Done),
            s.count(Rag::Dropped),
            s.count(Rag::Overdue)
        ),
        (13, 1, 3)
    );
    assert!(
        plan.items
            .iter()
            .all(|i| i.status_date.is_none_or(|d| d <= last))
    );
    Ok(())
}
