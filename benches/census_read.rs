//! Release benchmark of reading a national-size census return
//! (`cargo bench --bench census_read`, or `-- 40000` for another size).
//!
//! Generates a return of that many records (kept under the target folder;
//! the generator is below, deterministic), then times reading and
//! validating it into the stored table (`census::read_as_extract`: the
//! file read, the XML parse, every schema and cross-field rule, the frame)
//! over repeated runs in one process, and reports the median and the
//! process's peak memory.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

/// A valid return of `records` records: about one in seven a leaver, one
/// in eight agency, a few two-post workers; deterministic.
fn generate(records: usize) -> String {
    let mut out = String::with_capacity(records * 700);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CSWW</Collection>\n      <Year>2024</Year>\n      <ReferenceDate>2024-09-30</ReferenceDate>\n    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>999</LEA>\n    </Source>\n  </Header>\n  <LALevelVacancies>\n    <NumberOfVacancies>812.50</NumberOfVacancies>\n    <NoAgencyFTE>601.25</NoAgencyFTE>\n    <NoAgencyHeadcount>640</NoAgencyHeadcount>\n  </LALevelVacancies>\n",
    );
    let mut state: u64 = 42;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    for i in 0..records {
        let agency = next(8) == 0;
        // Every twentieth record is a worker's second post.
        let person = if i % 20 == 19 { i - 1 } else { i };
        let fte = [1.0, 1.0, 1.0, 0.8, 0.6, 0.5][next(6) as usize];
        let _ = write!(
            out,
            "  <CSWWWorker>\n    <AgencyWorker>{}</AgencyWorker>\n    <SWENo>SW{person:010}</SWENo>\n    <FTE>{fte}</FTE>\n",
            u8::from(agency)
        );
        if !agency {
            let _ = write!(
                out,
                "    <PersonBirthDate>19{:02}-0{}-1{}</PersonBirthDate>\n    <GenderCurrent>{}</GenderCurrent>\n    <Ethnicity>WBRI</Ethnicity>\n",
                60 + next(35),
                1 + next(9),
                next(10),
                1 + next(2)
            );
        }
        out.push_str("    <QualInst>University</QualInst>\n");
        let _ = writeln!(out, "    <OrgRole>{}</OrgRole>", 1 + next(6));
        if !agency {
            let _ = write!(
                out,
                "    <RoleStartDate>20{:02}-0{}-1{}</RoleStartDate>\n    <StartOrigin>{}</StartOrigin>\n",
                10 + next(14),
                1 + next(9),
                next(10),
                1 + next(10)
            );
        }
        let leaver = !agency && next(7) == 0;
        if leaver {
            let _ = write!(
                out,
                "    <RoleEndDate>2024-0{}-1{}</RoleEndDate>\n    <LeaverDestination>{}</LeaverDestination>\n    <ReasonLeave>{}</ReasonLeave>\n    <FTE30>0</FTE30>\n",
                1 + next(9),
                next(10),
                1 + next(9),
                1 + next(10)
            );
        } else if !agency {
            let _ = writeln!(out, "    <FTE30>{fte}</FTE30>");
        }
        let _ = writeln!(out, "    <Cases30>{}</Cases30>", next(25));
        if !agency {
            let _ = writeln!(
                out,
                "    <WorkingDaysLost>{}.{:02}</WorkingDaysLost>",
                next(30),
                next(100)
            );
        }
        if !agency && next(10) == 0 {
            out.push_str("    <CFKSSstatus>1</CFKSSstatus>\n");
        }
        out.push_str("  </CSWWWorker>\n");
    }
    out.push_str("</Message>\n");
    out
}

fn main() {
    let records: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(40_000);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let dir = target.join("bench").join("census");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let path = dir.join(format!("csww_{records}.xml"));
    if !path.exists() {
        std::fs::write(&path, generate(records)).expect("write the return");
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let runs = 7;
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let e = match keel::census::read_as_extract(&path) {
            Ok(e) => e,
            Err(r) => panic!(
                "the generated return is invalid: {:?}",
                &r.errors[..3.min(r.errors.len())]
            ),
        };
        times.push(t.elapsed().as_secs_f64());
        rows = e.data.height();
    }
    times.sort_by(f64::total_cmp);
    let peak = keel::trace::memory_mb().map_or(f64::NAN, |(_, peak)| peak);
    println!(
        "census return: {records} records ({:.1} MB) → {rows} rows; read and validate median {:.3} s (min {:.3}, max {:.3}, {runs} runs); peak memory {peak:.0} MB",
        size as f64 / 1e6,
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
}
