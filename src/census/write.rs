//! `keel census write`: the return for a census year assembled from the
//! workspace — the September snapshot's posts, the year's leavers, the
//! vacancies of the September row, cases — in the DfE schema's order.
//!
//! Keel stores only pseudonyms, so the real SWE numbers (and the personal
//! items the DfE asks for) are read now, from files HR names: extracts
//! whose worker ids are SWE numbers, or earlier returns. Each is matched
//! through the workspace's key and nothing read is stored. A worker whose
//! SWE number no file gives cannot be written (the schema requires one)
//! and is listed; items Keel cannot fill are left out where the schema
//! allows, and listed.

use super::{Record, reference_date};
use crate::extract::{Issue, Kind, ReadOptions};
use crate::metrics::definitions as def;
use crate::month::Month;
use crate::workspace::{Workspace, pseudo};
use polars::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Workspace(#[from] crate::workspace::Error),
    #[error(transparent)]
    Data(#[from] PolarsError),
    #[error(
        "the workspace holds no workforce snapshot for {month}: a return is written from its September"
    )]
    NoSeptember { month: Month },
    #[error("--la-code must be the council's three-digit LA code, not '{0}'")]
    LaCode(String),
    #[error("--year must be {first} or later, not {year}", first = super::FIRST_YEAR)]
    Year { year: i32 },
    #[error(
        "no worker of the {month} snapshot or the year's leavers has an SWE number in the files named with --extract ({without} without one): a return needs at least one record, so nothing was written; name the HR extract or earlier return that carries SWE numbers (a column such as 'SWE Number')"
    )]
    NoRecords { month: Month, without: usize },
    #[error("the workspace has no pseudonymisation key yet: nothing to match SWE numbers with")]
    NoKey,
    #[error("{}", .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n"))]
    Extract(Vec<Issue>),
    #[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Return(Vec<super::Problem>),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a written return holds and what it had to leave out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub records: usize,
    pub in_post: usize,
    pub leavers: usize,
    /// Workers (pseudonyms) left out: no file gave their SWE number.
    pub without_swe: Vec<String>,
    /// Items left out or written as "not known", with how many records.
    pub left_out: Vec<(String, usize)>,
}

/// What the `--extract` files give a pseudonym: the SWE number, and
/// personal items where an earlier return had them.
struct Known {
    swe: String,
    personal: super::Personal,
}

/// SWE numbers (and personal items) by stored identifier.
fn known_workers(ws: &Workspace, extracts: &[PathBuf]) -> Result<HashMap<String, Known>, Error> {
    let key = if ws.settings().pseudonymise {
        Some(
            pseudo::Key::load(ws.root())
                .map_err(|source| Error::Io {
                    path: ws.root().to_path_buf(),
                    source,
                })?
                .ok_or(Error::NoKey)?,
        )
    } else {
        None
    };
    let stored = |id: &str| match &key {
        Some(k) => k.pseudonym(id),
        None => id.trim().to_string(),
    };
    let is_swe = |id: &str| {
        let b = id.trim().as_bytes();
        b.len() == 12
            && b[..2].iter().all(u8::is_ascii_alphabetic)
            && b[2..].iter().all(u8::is_ascii_digit)
    };
    let mut known = HashMap::new();
    for f in extracts {
        if super::is_return(f) {
            let ret = super::read_return(f).map_err(|r| Error::Return(r.errors))?;
            for r in ret.records {
                known.insert(
                    stored(&r.swe),
                    Known {
                        swe: r.swe.clone(),
                        personal: r.personal,
                    },
                );
            }
        } else {
            let opts = ReadOptions {
                standard_hours: ws.settings().standard_hours,
                ..Default::default()
            };
            let e = crate::extract::read_extract(f, &opts).map_err(|r| Error::Extract(r.errors))?;
            let Ok(ids) = e.data.column("worker_id") else {
                continue;
            };
            for id in ids.str()?.iter().flatten().filter(|id| is_swe(id)) {
                known.entry(stored(id)).or_insert_with(|| Known {
                    swe: id.trim().to_string(),
                    personal: super::Personal::default(),
                });
            }
        }
    }
    Ok(known)
}

/// Write the return for census year `year` to `out`.
pub fn write(
    ws: &Workspace,
    year: i32,
    la_code: &str,
    extracts: &[PathBuf],
    out: &Path,
) -> Result<Summary, Error> {
    if la_code.len() != 3 || !la_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::LaCode(la_code.to_string()));
    }
    if year < super::FIRST_YEAR {
        return Err(Error::Year { year });
    }
    let month = Month::of(reference_date(year));
    let Some(inputs) = ws.inputs()? else {
        return Err(Error::NoSeptember { month });
    };
    let Some(workforce) = ws.load(Kind::Workforce)? else {
        return Err(Error::NoSeptember { month });
    };
    let september = workforce
        .clone()
        .lazy()
        .filter(col("month").eq(lit(month.0)))
        .collect()?;
    if september.height() == 0 {
        return Err(Error::NoSeptember { month });
    }
    let known = known_workers(ws, extracts)?;

    // Posts in post on 30 September (Keel's snapshot date for the month).
    let posts = september
        .clone()
        .lazy()
        .filter(def::in_post())
        .select([
            col("worker_id"),
            def::employed().not().alias("agency"),
            col("fte"),
            col("start_date"),
            col("asye"),
            col("caseload"),
            col("covering_vacancy"),
        ])
        .collect()?;
    // The year's leaves of employed workers: a snapshot row's leave date
    // or a leavers report's, each (worker, date) once, with the FTE of
    // the leavers row or else of the worker's last post.
    // Gathered here rather than by `definitions::recorded_leaves`, which
    // leaves a snapshot row's FTE out: the return wants the FTE the worker
    // left from.
    let in_year = |e: Expr| super::in_census_year(year, e);
    let last_posts = workforce
        .clone()
        .lazy()
        .filter(def::employed())
        .sort(["month"], Default::default())
        .group_by([col("worker_id")])
        .agg([
            col("fte").last().alias("last_fte"),
            col("start_date").last().alias("last_start"),
        ]);
    let mut leaves = vec![
        workforce
            .clone()
            .lazy()
            .filter(def::employed().and(in_year(col("leave_date"))))
            .select([col("worker_id"), col("leave_date"), col("fte")]),
    ];
    if let Some(l) = &inputs.leavers {
        leaves.push(
            l.clone()
                .lazy()
                .filter(
                    in_year(col("leave_date")).and(
                        col("employment_type")
                            .neq(lit(def::AGENCY))
                            .fill_null(lit(true)),
                    ),
                )
                .select([col("worker_id"), col("leave_date"), col("fte")]),
        );
    }
    let leavers = concat(leaves, UnionArgs::default())?
        .group_by_stable([col("worker_id"), col("leave_date")])
        .agg([col("fte").max()])
        .join(
            last_posts,
            [col("worker_id")],
            [col("worker_id")],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col("worker_id"),
            col("leave_date"),
            coalesce(&[col("fte"), col("last_fte")]).alias("fte"),
            col("last_start").alias("start_date"),
        ])
        .sort(["leave_date", "worker_id"], Default::default())
        .collect()?;

    let table = crate::metrics::compute_kinds(
        &inputs,
        ws.settings().limits(),
        &[crate::metrics::GroupKind::All],
    )?;
    let row = table
        .lazy()
        .filter(col("month").eq(lit(month.to_string())))
        .collect()?;
    let vacancies = row
        .column(crate::measure::Measure::VacancyFte.name())?
        .f64()?
        .get(0);

    let mut records: Vec<(Record, String)> = Vec::new();
    let mut summary = Summary::default();
    let mut missing = std::collections::BTreeSet::new();
    let date = |c: &Column, i: usize| -> PolarsResult<Option<chrono::NaiveDate>> {
        Ok(c.cast(&DataType::Int32)?
            .i32()?
            .get(i)
            .map(crate::month::from_epoch_days))
    };
    let ids = posts.column("worker_id")?.str()?.clone();
    let agency = posts.column("agency")?.bool()?.clone();
    let fte = posts.column("fte")?.f64()?.clone();
    let asye = posts.column("asye")?.bool()?.clone();
    let cases = posts.column("caseload")?.cast(&DataType::Float64)?;
    let cases = cases.f64()?;
    let covering = posts.column("covering_vacancy")?.bool()?.clone();
    let starts = posts.column("start_date")?;
    let mut cover = (0.0, 0i64);
    for i in 0..posts.height() {
        let id = ids.get(i).unwrap_or_default();
        let is_agency = agency.get(i).unwrap_or(false);
        if is_agency && covering.get(i) == Some(true) {
            cover.0 += fte.get(i).unwrap_or(0.0);
            cover.1 += 1;
        }
        let Some(k) = known.get(id) else {
            missing.insert(id.to_string());
            continue;
        };
        let start = if is_agency { None } else { date(starts, i)? };
        records.push((
            Record {
                swe: k.swe.clone(),
                agency: is_agency,
                fte: fte.get(i).map(|f| f.min(1.0)),
                fte30: (!is_agency)
                    .then(|| fte.get(i).map(|f| f.min(1.0)))
                    .flatten(),
                start,
                // Keel holds no origin; the schema pairs one with a start.
                origin: start.map(|_| 9),
                cases: cases.get(i).map(|c| c.round() as i64),
                asye: asye.get(i),
                personal: k.personal.clone(),
                ..Record::default()
            },
            id.to_string(),
        ));
        summary.in_post += 1;
    }
    let ids = leavers.column("worker_id")?.str()?.clone();
    let lfte = leavers.column("fte")?.f64()?.clone();
    let ldate = leavers.column("leave_date")?;
    let lstart = leavers.column("start_date")?;
    for i in 0..leavers.height() {
        let id = ids.get(i).unwrap_or_default();
        let Some(k) = known.get(id) else {
            missing.insert(id.to_string());
            continue;
        };
        let end = date(ldate, i)?;
        let start = date(lstart, i)?.filter(|s| end.is_none_or(|e| *s <= e));
        records.push((
            Record {
                swe: k.swe.clone(),
                agency: false,
                fte: lfte.get(i).map(|f| f.min(1.0)),
                fte30: Some(0.0),
                start,
                origin: start.map(|_| 9),
                end,
                // Keel holds leaving reasons as HR's free text, not the
                // DfE's codes: "not known".
                reason: Some(9),
                destination: Some(8),
                personal: k.personal.clone(),
                ..Record::default()
            },
            id.to_string(),
        ));
        summary.leavers += 1;
    }
    summary.records = records.len();
    summary.without_swe = missing.into_iter().collect();
    // The schema asks for at least one CSWWWorker: an empty return would
    // be refused by the DfE, so none is written.
    if records.is_empty() {
        return Err(Error::NoRecords {
            month,
            without: summary.without_swe.len(),
        });
    }
    let count = |f: &dyn Fn(&Record) -> bool| records.iter().filter(|(r, _)| f(r)).count();
    for (item, n) in [
        (
            "OrgRole (Keel holds job titles, not the DfE's roles)",
            records.len(),
        ),
        (
            "StartOrigin written as 9, not known",
            count(&|r| r.start.is_some()),
        ),
        (
            "ReasonLeave and LeaverDestination written as not known",
            count(&|r| r.end.is_some()),
        ),
        (
            "WorkingDaysLost (Keel holds no absence data)",
            count(&|r| !r.agency),
        ),
        (
            "QualInst written empty (no earlier return names it)",
            count(&|r| r.personal.qual_inst.is_empty()),
        ),
        (
            "PersonBirthDate, GenderCurrent, Ethnicity (no earlier return gives them)",
            count(&|r| !r.agency && r.personal.gender.is_none()),
        ),
    ] {
        if n > 0 {
            summary.left_out.push((item.to_string(), n));
        }
    }

    let xml = render(year, la_code, vacancies.unwrap_or(0.0), cover, &records);
    crate::workspace::atomic::write_bytes(out, xml.as_bytes()).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(summary)
}

/// A number with at most `places` decimals and no trailing zeros.
fn decimal(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The return as XML, children in the schema's order.
fn render(
    year: i32,
    la_code: &str,
    vacancies: f64,
    cover: (f64, i64),
    records: &[(Record, String)],
) -> String {
    let mut x = String::with_capacity(256 + records.len() * 400);
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CSWW</Collection>\n      <Year>{year}</Year>\n      <ReferenceDate>{}</ReferenceDate>\n    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>{la_code}</LEA>\n      <SoftwareCode>Keel {}</SoftwareCode>\n    </Source>\n  </Header>\n  <LALevelVacancies>\n    <NumberOfVacancies>{}</NumberOfVacancies>\n    <NoAgencyFTE>{}</NoAgencyFTE>\n    <NoAgencyHeadcount>{}</NoAgencyHeadcount>\n  </LALevelVacancies>\n",
        reference_date(year),
        env!("CARGO_PKG_VERSION"),
        decimal(vacancies.max(0.0), 2),
        decimal(cover.0, 2),
        cover.1
    );
    for (r, _) in records {
        x.push_str("  <CSWWWorker>\n");
        let mut e = |name: &str, v: &str| {
            let _ = writeln!(x, "    <{name}>{}</{name}>", escape(v));
        };
        e("AgencyWorker", if r.agency { "1" } else { "0" });
        e("SWENo", &r.swe);
        if let Some(f) = r.fte {
            e("FTE", &decimal(f, 6));
        }
        if let Some(v) = &r.personal.birth_date {
            e("PersonBirthDate", v);
        }
        if let Some(v) = &r.personal.gender {
            e("GenderCurrent", v);
        }
        if let Some(v) = &r.personal.ethnicity {
            e("Ethnicity", v);
        }
        if r.personal.qual_inst.is_empty() {
            e("QualInst", "");
        }
        for q in &r.personal.qual_inst {
            e("QualInst", q);
        }
        if let Some(s) = r.start {
            e("RoleStartDate", &s.to_string());
        }
        if let Some(o) = r.origin {
            e("StartOrigin", &o.to_string());
        }
        if let Some(d) = r.end {
            e("RoleEndDate", &d.to_string());
        }
        if let Some(d) = r.destination {
            e("LeaverDestination", &d.to_string());
        }
        if let Some(d) = r.reason {
            e("ReasonLeave", &d.to_string());
        }
        if let Some(f) = r.fte30 {
            e("FTE30", &decimal(f, 6));
        }
        if r.end.is_none() {
            e("Cases30", &r.cases.unwrap_or(0).to_string());
        }
        if let Some(true) = r.asye {
            e("CFKSSstatus", "1");
        }
        x.push_str("  </CSWWWorker>\n");
    }
    x.push_str("</Message>\n");
    x
}
