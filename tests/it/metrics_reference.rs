//! The fast engine (`metrics::compute`) against the reference worked out
//! straight from the contract's definitions (`metrics::compute_reference`),
//! cell by cell: on the sample council, on a national-shaped sample, and on
//! generated workspaces full of the corner cases (team moves, recorded and
//! unrecorded leaves, gaps in the months, two posts, agency switches,
//! missing dates, caseload extracts, supervision logs, establishment
//! lines restated).

use keel::metrics::{BASES, GroupKind, Inputs, Limits, METRICS, compute, compute_reference};
use keel::month::{Month, epoch_days};
use polars::prelude::*;
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Where the two tables differ: one line per cell (month, group kind,
/// group, column, fast value, reference value), or the shape.
fn differences(fast: &DataFrame, reference: &DataFrame) -> Vec<String> {
    let names = |df: &DataFrame| -> Vec<String> {
        df.get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect()
    };
    if names(fast) != names(reference) {
        return vec![format!(
            "columns differ:\n fast      {:?}\n reference {:?}",
            names(fast),
            names(reference)
        )];
    }
    let mut out = Vec::new();
    for c in fast.columns() {
        let r = reference.column(c.name()).expect("the same columns");
        if c.dtype() != r.dtype() {
            out.push(format!(
                "column {}: fast is {}, reference {}",
                c.name(),
                c.dtype(),
                r.dtype()
            ));
        }
    }
    let text = |df: &DataFrame, c: &str| -> Vec<Option<String>> {
        df.column(c)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    };
    let key = |df: &DataFrame| -> Vec<(Option<String>, Option<String>, Option<String>)> {
        let (m, k, g) = (text(df, "month"), text(df, "group_kind"), text(df, "group"));
        m.into_iter()
            .zip(k)
            .zip(g)
            .map(|((m, k), g)| (m, k, g))
            .collect()
    };
    let (fk, rk) = (key(fast), key(reference));
    if fk != rk {
        let only = |a: &[(Option<String>, Option<String>, Option<String>)],
                    b: &[(Option<String>, Option<String>, Option<String>)]| {
            a.iter()
                .filter(|x| !b.contains(x))
                .take(10)
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
        };
        out.push(format!(
            "rows differ: {} fast, {} reference; only in fast: {:?}; only in reference: {:?}; first out of place: {:?}",
            fk.len(),
            rk.len(),
            only(&fk, &rk),
            only(&rk, &fk),
            fk.iter().zip(&rk).position(|(a, b)| a != b)
        ));
        return out;
    }
    for name in METRICS.iter().chain(BASES.iter()) {
        let values = |df: &DataFrame| -> Vec<Option<f64>> {
            let c = df.column(name).unwrap().cast(&DataType::Float64).unwrap();
            c.f64().unwrap().iter().collect()
        };
        for (i, (f, r)) in values(fast).into_iter().zip(values(reference)).enumerate() {
            let same = match (f, r) {
                (Some(f), Some(r)) => (f - r).abs() <= 1e-9 * f.abs().max(r.abs()).max(1.0),
                (None, None) => true,
                _ => false,
            };
            if !same {
                let (m, k, g) = &fk[i];
                out.push(format!(
                    "{} {} {} {name}: fast {f:?}, reference {r:?}",
                    m.as_deref().unwrap_or("?"),
                    k.as_deref().unwrap_or("?"),
                    g.as_deref().unwrap_or("?"),
                ));
            }
        }
    }
    out
}

#[track_caller]
fn assert_same(inputs: &Inputs, limits: Limits) -> DataFrame {
    let fast = compute(inputs, limits).unwrap();
    let reference = compute_reference(inputs, limits).unwrap();
    let found = differences(&fast, &reference);
    assert!(
        found.is_empty(),
        "{} cells differ:\n{}",
        found.len(),
        found
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    fast
}

/// A generated sample imported into a scratch workspace.
fn imported(opts: &keel::sample::SampleOptions) -> (tempfile::TempDir, Inputs, Limits) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    keel::sample::generate(opts, &data).unwrap();
    let mut ws = keel::workspace::Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    keel::first_run::import_folder(&mut ws, &data).unwrap();
    let inputs = ws.inputs().unwrap().unwrap();
    let limits = ws.settings().limits();
    (dir, inputs, limits)
}

#[test]
fn the_engine_gives_the_reference_figures_on_the_sample_council() {
    let (_dir, inputs, limits) = imported(&keel::sample::SampleOptions::default());
    let df = assert_same(&inputs, limits);
    assert!(df.height() > 400, "{} rows", df.height());
}

#[test]
fn the_engine_gives_the_reference_figures_on_a_national_shaped_sample() {
    // Numbered teams in many service areas, one CSV of every month, as
    // the national benchmarks are, at a size a debug build checks quickly.
    let (_dir, inputs, limits) = imported(&keel::sample::SampleOptions {
        workers: 2_500,
        months: 30,
        seed: 11,
        single_csv: true,
    });
    assert!(inputs.workforce.height() > 50_000);
    let df = assert_same(&inputs, limits);
    let services = df
        .column("group_kind")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .filter(|k| *k == Some(GroupKind::Service.name()))
        .count();
    assert!(services >= 30 * 3, "{services} service rows");
}

/// A snapshot on which nobody is in post (each row records a leave before
/// the snapshot date): the head counts are 0, the ratios null, the two
/// leaves counted (with no FTE: neither worker was ever on a snapshot in
/// post, so none is known, contract §3 "Leavers"), and the engine, which
/// once panicked on the empty in-post table, agrees with the reference.
#[test]
fn a_snapshot_with_nobody_in_post_gives_zeros_and_nulls() {
    let dir = tempfile::tempdir().unwrap();
    let p = crate::support::write(
        dir.path(),
        "wf.csv",
        "Worker ID,Team,FTE,Employment Type,Leave Date,Snapshot Date\n\
         A1,T1,1.0,permanent,2026-09-15,2026-09-30\n\
         A2,T1,0.5,permanent,2026-09-20,2026-09-30\n",
    );
    let extract = keel::extract::read_extract(&p, &crate::support::opts()).unwrap();
    let mut ws = keel::workspace::Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    ws.import(vec![extract], false).unwrap();
    let inputs = ws.inputs().unwrap().unwrap();
    let df = assert_same(&inputs, ws.settings().limits());
    let all = df
        .lazy()
        .filter(col("group_kind").eq(lit(GroupKind::All.name())))
        .collect()
        .unwrap();
    assert_eq!(all.height(), 1);
    let get = |name: &str| all.column(name).unwrap().get(0).unwrap().to_string();
    use keel::measure::Measure;
    assert_eq!(get(Measure::EmployedHeadcount.name()), "0");
    assert_eq!(get(Measure::EmployedFte.name()), "0.0");
    assert_eq!(get(Measure::LeaversHeadcount.name()), "2");
    assert_eq!(get(Measure::LeaversFte.name()), "0.0");
    assert_eq!(get(Measure::AgencyRate.name()), "null");
    assert_eq!(get(Measure::CaseloadPerFte.name()), "null");
    // The data-quality report reads the same tables.
    keel::metrics::quality::report(&inputs, ws.settings().limits(), &ws.stored_warnings()).unwrap();
}

#[test]
fn a_difference_names_its_cell() {
    let (_dir, inputs, limits) = imported(&keel::sample::SampleOptions {
        workers: 40,
        months: 14,
        seed: 3,
        single_csv: false,
    });
    let fast = compute(&inputs, limits).unwrap();
    let mut changed = fast.clone();
    let name = METRICS[0];
    let mut values: Vec<Option<f64>> = changed
        .column(name)
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .collect();
    values[1] = values[1].map(|v| v + 0.5);
    changed
        .replace(name, Series::new(name.into(), values).into_column())
        .unwrap();
    let found = differences(&changed, &fast);
    assert_eq!(found.len(), 1, "{found:?}");
    let month = fast.column("month").unwrap().str().unwrap().get(1).unwrap();
    let group = fast.column("group").unwrap().str().unwrap().get(1).unwrap();
    assert!(
        found[0].starts_with(&format!("{month} ")) && found[0].contains(group),
        "{}",
        found[0]
    );
    assert!(found[0].contains(name) && found[0].contains("fast Some("));
    assert!(differences(&fast, &fast).is_empty());
}

// ---------------------------------------------------------------------
// Generated workspaces.

/// The sizes and odds of a generated workspace.
#[derive(Clone, Debug)]
struct Shape {
    seed: u64,
    workers: usize,
    months: i32,
    teams: usize,
    services: usize,
    /// Chance a month is missing from the series.
    gap: f64,
    /// Months dropped besides (a single month missing is where the
    /// twelve-month windows break).
    dropped: Vec<i32>,
    /// Chance a worker's state changes from one month to the next.
    churn: f64,
    caseload_extract: bool,
    supervision_log: bool,
    leavers_file: bool,
    establishment: bool,
}

fn shapes() -> impl Strategy<Value = Shape> {
    (
        any::<u64>(),
        1usize..30,
        1i32..32,
        1usize..5,
        1usize..4,
        prop_oneof![Just(0.0), Just(0.0), 0.0..0.3],
        proptest::collection::vec(0i32..32, 0..3),
        0.05..0.6,
        any::<[bool; 4]>(),
    )
        .prop_map(
            |(seed, workers, months, teams, services, gap, dropped, churn, files)| Shape {
                seed,
                workers,
                months,
                teams,
                services,
                gap,
                dropped,
                churn,
                caseload_extract: files[0],
                supervision_log: files[1],
                leavers_file: files[2],
                establishment: files[3],
            },
        )
}

/// A post a worker holds in a month.
#[derive(Clone, Debug)]
struct Post {
    team: usize,
    agency: bool,
    fte: f64,
}

/// A date as a polars day number.
type Day = i32;

/// A leavers report row: worker, leave date, FTE, team, service, type.
type LeaverRow = (
    String,
    Day,
    Option<f64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn day_of(m: Month, day: u32) -> Day {
    let last = m.last_day();
    epoch_days(
        chrono::NaiveDate::from_ymd_opt(m.year(), m.month(), day.min(chrono::Datelike::day(&last)))
            .unwrap(),
    )
}

#[derive(Default)]
struct Columns {
    worker_id: Vec<String>,
    snapshot_date: Vec<Day>,
    team: Vec<String>,
    service: Vec<Option<String>>,
    fte: Vec<f64>,
    employment_type: Vec<String>,
    start_date: Vec<Option<Day>>,
    qualified_date: Vec<Option<Day>>,
    asye: Vec<Option<bool>>,
    caseload: Vec<Option<f64>>,
    last_supervision_date: Vec<Option<Day>>,
    leave_date: Vec<Option<Day>>,
    day_rate: Vec<Option<f64>>,
    month: Vec<i32>,
}

fn dates(name: &str, days: Vec<Option<Day>>) -> Column {
    Series::new(name.into(), days)
        .cast(&DataType::Date)
        .unwrap()
        .into_column()
}

/// A workspace's inputs as its imports would store them.
fn generate(shape: &Shape) -> Inputs {
    let mut rng = ChaCha8Rng::seed_from_u64(shape.seed);
    let first = Month::new(2022, 1).unwrap().0;
    let held: Vec<Month> = (0..shape.months)
        .map(|i| Month(first + i))
        .filter(|m| !rng.random_bool(shape.gap) && !shape.dropped.contains(&(m.0 - first)))
        .collect();
    let held = if held.is_empty() {
        vec![Month(first)]
    } else {
        held
    };
    // One snapshot date a month: usually the month's last day.
    let snap: Vec<Day> = held
        .iter()
        .map(|m| {
            if rng.random_bool(0.8) {
                day_of(*m, 31)
            } else {
                day_of(*m, rng.random_range(15..29))
            }
        })
        .collect();
    let team = |t: usize| format!("Team {}", (b'A' + t as u8) as char);
    let services: Vec<Option<String>> = (0..shape.teams)
        .map(|t| {
            if rng.random_bool(0.1) {
                None
            } else {
                Some(format!("Service {}", t % shape.services))
            }
        })
        .collect();
    let id = |w: usize| {
        if w.is_multiple_of(3) {
            // As pseudonymised: 16 hex digits.
            format!(
                "w{:016x}",
                0x9e37_79b9_7f4a_7c15u64.wrapping_mul(w as u64 + 1)
            )
        } else {
            format!("E{w:04}")
        }
    };
    let ftes = [0.2, 0.5, 0.6, 0.8, 1.0, 1.0, 1.0, 1.2];
    let post = |rng: &mut ChaCha8Rng| Post {
        team: rng.random_range(0..shape.teams),
        agency: rng.random_bool(0.2),
        fte: ftes[rng.random_range(0..ftes.len())],
    };
    // Now and then two posts at once.
    let new_posts = |rng: &mut ChaCha8Rng| {
        let mut posts = vec![post(rng)];
        if rng.random_bool(0.15) {
            posts.push(post(rng));
        }
        posts
    };

    let mut c = Columns::default();
    let mut leavers: Vec<LeaverRow> = Vec::new();
    for w in 0..shape.workers {
        let worker = id(w);
        let qualified =
            (!rng.random_bool(0.25)).then(|| day_of(Month(first), 1) + rng.random_range(-900..900));
        let asye = match rng.random_range(0..4) {
            0 => Some(true),
            1 => Some(false),
            _ => None,
        };
        let mut start =
            (!rng.random_bool(0.3)).then(|| day_of(Month(first), 1) - rng.random_range(0..700));
        let mut posts: Vec<Post> = if rng.random_bool(0.7) {
            new_posts(&mut rng)
        } else {
            vec![]
        };
        for (i, m) in held.iter().enumerate() {
            let d = snap[i];
            if rng.random_bool(shape.churn) {
                // Something changes: a leave, a move, a start, a second post,
                // a switch to or from agency.
                match rng.random_range(0..6) {
                    0 | 1 => {
                        if !posts.is_empty() {
                            // Leaves: recorded on a row, in the leavers file,
                            // or not at all.
                            let leave = d - rng.random_range(0..40);
                            match rng.random_range(0..3) {
                                0 => {
                                    for p in &posts {
                                        push_row(
                                            &mut c,
                                            &mut rng,
                                            &worker,
                                            *m,
                                            d,
                                            p,
                                            &services,
                                            &team,
                                            start,
                                            qualified,
                                            asye,
                                            Some(leave),
                                        );
                                    }
                                }
                                1 if shape.leavers_file => leavers.push((
                                    worker.clone(),
                                    leave,
                                    rng.random_bool(0.5).then_some(posts[0].fte),
                                    rng.random_bool(0.5).then(|| team(posts[0].team)),
                                    rng.random_bool(0.3).then(|| "Service 0".to_string()),
                                    match rng.random_range(0..4) {
                                        0 => Some("agency".to_string()),
                                        1 => Some("permanent".to_string()),
                                        _ => None,
                                    },
                                )),
                                _ => {}
                            }
                            posts.clear();
                            continue;
                        }
                        posts = new_posts(&mut rng);
                        if rng.random_bool(0.6) {
                            start = Some(d - rng.random_range(0..45));
                        } else if rng.random_bool(0.5) {
                            start = None;
                        }
                    }
                    2 => {
                        if let Some(p) = posts.first_mut() {
                            p.team = rng.random_range(0..shape.teams);
                        }
                    }
                    3 => {
                        if posts.len() == 1 {
                            posts.push(post(&mut rng));
                        } else {
                            posts.truncate(1);
                        }
                    }
                    4 => {
                        if let Some(p) = posts.first_mut() {
                            p.agency = !p.agency;
                        }
                    }
                    _ => {
                        // Gone for a month or more without a word.
                        posts.clear();
                    }
                }
            }
            for p in posts.clone() {
                // Now and then a leave date ahead (under notice).
                let notice = rng.random_bool(0.03).then(|| d + rng.random_range(1..70));
                push_row(
                    &mut c, &mut rng, &worker, *m, d, &p, &services, &team, start, qualified, asye,
                    notice,
                );
            }
        }
        // Leavers rows for workers still there (some on a snapshot's own
        // day), or long gone.
        if shape.leavers_file && rng.random_bool(0.15) {
            let day = snap[rng.random_range(0..snap.len())];
            leavers.push((
                worker.clone(),
                if rng.random_bool(0.5) {
                    day
                } else {
                    day - rng.random_range(0..20)
                },
                rng.random_bool(0.5).then_some(0.5),
                None,
                None,
                None,
            ));
        }
    }
    if c.worker_id.is_empty() {
        let p = Post {
            team: 0,
            agency: false,
            fte: 1.0,
        };
        push_row(
            &mut c, &mut rng, "E9999", held[0], snap[0], &p, &services, &team, None, None, None,
            None,
        );
    }

    let workforce = DataFrame::new_infer_height(vec![
        Column::new("worker_id".into(), c.worker_id.clone()),
        dates(
            "snapshot_date",
            c.snapshot_date.iter().map(|d| Some(*d)).collect(),
        ),
        Column::new("team".into(), c.team),
        Column::new("service".into(), c.service),
        Column::new("fte".into(), c.fte),
        Column::new("employment_type".into(), c.employment_type),
        dates("start_date", c.start_date),
        dates("qualified_date", c.qualified_date),
        Column::new("asye".into(), c.asye),
        Column::new("caseload".into(), c.caseload),
        dates("last_supervision_date", c.last_supervision_date),
        dates("leave_date", c.leave_date),
        Column::new("day_rate".into(), c.day_rate),
        Column::new("month".into(), c.month.clone()),
        // As loaded: the import each row came from (one a month here).
        Column::new(
            "import".into(),
            c.month.iter().map(|m| m - first + 10).collect::<Vec<i32>>(),
        ),
    ])
    .unwrap();

    let leavers = (shape.leavers_file && !leavers.is_empty()).then(|| {
        DataFrame::new_infer_height(vec![
            Column::new(
                "row".into(),
                (2..leavers.len() as u32 + 2).collect::<Vec<_>>(),
            ),
            Column::new(
                "worker_id".into(),
                leavers.iter().map(|l| l.0.clone()).collect::<Vec<_>>(),
            ),
            dates("leave_date", leavers.iter().map(|l| Some(l.1)).collect()),
            Column::new(
                "fte".into(),
                leavers.iter().map(|l| l.2).collect::<Vec<_>>(),
            ),
            Column::new(
                "team".into(),
                leavers.iter().map(|l| l.3.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "service".into(),
                leavers.iter().map(|l| l.4.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "employment_type".into(),
                leavers.iter().map(|l| l.5.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "month".into(),
                leavers
                    .iter()
                    .map(|l| Month::of(keel::month::from_epoch_days(l.1)).0)
                    .collect::<Vec<_>>(),
            ),
            Column::new("import".into(), vec![1i32; leavers.len()]),
        ])
        .unwrap()
    });

    let establishment = shape.establishment.then(|| {
        // Lines for most teams (some with no service area, some for a team
        // with no staff), some restated later in the year or by a later
        // import.
        let (mut t, mut s, mut f, mut e, mut imp) = (vec![], vec![], vec![], vec![], vec![]);
        for k in 0..shape.teams + 1 {
            if rng.random_bool(0.2) {
                continue;
            }
            let mut used = std::collections::HashSet::new();
            for _ in 0..rng.random_range(1..4) {
                let from = match rng.random_range(0..3) {
                    0 => None,
                    _ => Some(snap[rng.random_range(0..snap.len())] - rng.random_range(0..40)),
                };
                let import = rng.random_range(1..3i32);
                if !used.insert((from, import)) {
                    continue;
                }
                t.push(team(k));
                s.push(if rng.random_bool(0.2) {
                    None
                } else {
                    Some(format!("Service {}", k % shape.services))
                });
                f.push(rng.random_range(1..12) as f64 * 0.5);
                e.push(from);
                imp.push(import);
            }
        }
        let n = t.len();
        DataFrame::new_infer_height(vec![
            Column::new("row".into(), (2..n as u32 + 2).collect::<Vec<_>>()),
            Column::new("team".into(), t),
            Column::new("service".into(), s),
            Column::new("funded_fte".into(), f),
            dates("effective_date", e),
            // As stored: an establishment line has no month of its own.
            Column::new("month".into(), vec![None::<i32>; n]),
            Column::new("import".into(), imp),
        ])
        .unwrap()
    });

    let supervision = shape.supervision_log.then(|| {
        let n = c.worker_id.len() / 2 + 1;
        let (mut w, mut d) = (vec![], vec![]);
        for _ in 0..n {
            let i = rng.random_range(0..c.worker_id.len());
            w.push(c.worker_id[i].clone());
            d.push(Some(c.snapshot_date[i] - rng.random_range(-10..50)));
        }
        DataFrame::new_infer_height(vec![
            Column::new("worker_id".into(), w),
            dates("supervision_date", d),
        ])
        .unwrap()
    });

    let caseload = shape.caseload_extract.then(|| {
        // Some months counted per worker (a worker now and then twice, as
        // per-child extracts are counted), someone not on the snapshot too.
        let (mut w, mut m, mut d, mut n) = (vec![], vec![], vec![], vec![]);
        for (i, month) in held.iter().enumerate() {
            if !rng.random_bool(0.4) {
                continue;
            }
            for (k, worker) in c.worker_id.iter().enumerate() {
                if c.month[k] != month.0 || !rng.random_bool(0.7) {
                    continue;
                }
                for _ in 0..rng.random_range(1..3) {
                    w.push(worker.clone());
                    m.push(month.0);
                    d.push(Some(snap[i]));
                    n.push(Some(rng.random_range(0..25) as f64));
                }
            }
            w.push("X-not-on-the-snapshot".to_string());
            m.push(month.0);
            d.push(Some(snap[i]));
            n.push(Some(7.0));
        }
        DataFrame::new_infer_height(vec![
            Column::new("worker_id".into(), w),
            dates("snapshot_date", d),
            Column::new("caseload".into(), n),
            Column::new("month".into(), m),
        ])
        .unwrap()
    });

    Inputs {
        workforce,
        leavers,
        establishment,
        supervision,
        caseload,
    }
}

#[allow(clippy::too_many_arguments)]
fn push_row(
    c: &mut Columns,
    rng: &mut ChaCha8Rng,
    worker: &str,
    m: Month,
    d: Day,
    p: &Post,
    services: &[Option<String>],
    team: &dyn Fn(usize) -> String,
    start: Option<Day>,
    qualified: Option<Day>,
    asye: Option<bool>,
    leave: Option<Day>,
) {
    c.worker_id.push(worker.to_string());
    c.snapshot_date.push(d);
    c.month.push(m.0);
    c.team.push(team(p.team));
    // Now and then a row without its service area, or with another one.
    c.service.push(match rng.random_range(0..40) {
        0 | 1 => None,
        2 => Some(format!("Service {}", rng.random_range(0..services.len()))),
        _ => services[p.team].clone(),
    });
    c.fte.push(p.fte);
    c.employment_type.push(
        if p.agency {
            "agency"
        } else {
            ["permanent", "permanent", "fixed_term", "secondment"][rng.random_range(0..4)]
        }
        .to_string(),
    );
    c.start_date.push(start);
    c.qualified_date.push(qualified);
    c.asye.push(asye);
    c.caseload.push(match rng.random_range(0..5) {
        0 => None,
        1 => Some(0.0),
        _ => Some(rng.random_range(0..30) as f64),
    });
    c.last_supervision_date
        .push((!rng.random_bool(0.2)).then(|| d - rng.random_range(-5..60)));
    c.leave_date.push(leave);
    c.day_rate
        .push((p.agency && rng.random_bool(0.7)).then(|| rng.random_range(300..700) as f64));
}

const LIMITS: Limits = Limits {
    nqsw: 12.0,
    standard: 18.0,
};

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_engine_gives_the_reference_figures_on_generated_workspaces(shape in shapes()) {
        let inputs = generate(&shape);
        let fast = compute(&inputs, LIMITS).unwrap();
        let reference = compute_reference(&inputs, LIMITS).unwrap();
        let found = differences(&fast, &reference);
        prop_assert!(
            found.is_empty(),
            "{shape:?}: {} cells differ:\n{}",
            found.len(),
            found.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}
