//! Benchmarks from the DfE's children's social work workforce open data:
//! the published indicators for England, regions and councils, and each
//! council's statistical neighbours (contract §4).
//!
//! Both are kept in long form — one row per year, area and measure — so a
//! release with more or fewer measures needs no code change.

pub mod england;
pub mod view;

use polars::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Said beside the council's own leavers by reason and destination: the
/// DfE indicators Keel imports break leavers down by neither, for
/// England, a region or a council, so there is nothing to set them
/// against.
pub const NO_LEAVER_COMPARISON: &str = "No comparison: the DfE indicators publish no breakdown of leavers by reason or destination (for England, regions or councils). These are the council's own returns.";

/// Codes the DfE writes instead of numbers. They become nulls, with the
/// code kept beside them, never zeros.
pub const CODES: &[&str] = &["z", "x", "c", "u", "low", ":"];

const ID_COLUMNS: &[&str] = &[
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
];

/// The kinds of file and a file as read: the workspace stores them.
pub use crate::workspace::benchmarks::{Source, SourceKind};

/// Why a DfE file could not be read, or a council not found.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: cannot read the file: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: not a CSV file: {source}")]
    NotCsv { file: String, source: csv::Error },
    #[error("{file}: the CSV cannot be read: {source}")]
    Csv { file: String, source: csv::Error },
    #[error(
        "{file}: not a DfE workforce indicators file (needs time_period and geographic_level columns) nor a statistical neighbours file (needs old_la_code and SN_1 … SN_10)"
    )]
    UnknownFile { file: String },
    #[error("{file}: no measure columns besides the area and year columns")]
    NoMeasures { file: String },
    /// A row whose `time_period` does not start with a year.
    #[error("{file}, row {row}, column '{column}', value '{value}': not a year")]
    NotAYear {
        file: String,
        row: usize,
        column: &'static str,
        value: String,
    },
    #[error("{file}: {source}")]
    Frame { file: String, source: PolarsError },
    #[error("the indicators hold no councils")]
    NoCouncils,
    /// No council by that name or code; `close` lists the names that
    /// contain the query, for "did you mean".
    #[error(
        "{}",
        if close.is_empty() {
            format!("no council called or coded '{query}' in the indicators")
        } else {
            format!("no council called '{query}'; did you mean: {}?", close.join(", "))
        }
    )]
    NoCouncil { query: String, close: Vec<String> },
    #[error("{0}")]
    Data(#[from] PolarsError),
    /// The stored benchmark data could not be turned into a council's view.
    #[error("cannot read the benchmark data: {0}")]
    View(PolarsError),
}

fn normalise(h: &str) -> String {
    h.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// The 2017–2022 "headline measures" release's names for measures the
/// indicators release (2017 on) names otherwise. Both are filed under the
/// indicators release's names, so an older release's agency rate meets the
/// newer one's on a chart.
const OLDER_NAMES: &[(&str, &str)] = &[
    ("social_worker_fte", "inpost_fte"),
    ("social_worker_headcount", "inpost_headcount"),
    ("starter_fte", "starters_fte"),
    ("starter_headcount", "starters_headcount"),
    ("leaver_fte", "leavers_fte"),
    ("leaver_headcount", "leavers_headcount"),
    ("agency_worker_fte", "agency_fte"),
    ("agency_worker_headcount", "agency_headcount"),
    ("agency_worker_rate_fte", "agency_rate_fte"),
    ("agency_worker_rate_headcount", "agency_rate_headcount"),
    ("case_holder_fte", "case_holders_fte"),
    ("caseholder_fte", "case_holders_fte"),
    ("working_days_lost", "working_days_lost_fte"),
];

/// A measure column's name as the indicators release spells it. The older
/// release marks percentages with a suffix (`turnover_rate_fte_%`), which
/// tools that cannot hold `%` in a name rewrite as `_perc` or `_pct`.
fn canonical_measure(header: &str) -> String {
    let base = ["_%", "_perc", "_pct", "_percent"]
        .iter()
        .find_map(|s| header.strip_suffix(s))
        .unwrap_or(header);
    OLDER_NAMES
        .iter()
        .find(|(old, _)| *old == base)
        .map_or(base, |(_, new)| new)
        .to_string()
}

pub fn read_source(path: &Path) -> Result<Source, Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        file: name.clone(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|source| Error::NotCsv {
            file: name.clone(),
            source,
        })?
        .iter()
        .map(normalise)
        .collect();
    let records: Vec<csv::StringRecord> =
        reader
            .records()
            .collect::<Result<_, _>>()
            .map_err(|source| Error::Csv {
                file: name.clone(),
                source,
            })?;
    let has = |h: &str| headers.iter().any(|x| x == h);
    if has("time_period") && has("geographic_level") {
        indicators(&name, &headers, &records)
    } else if has("old_la_code") && has("sn_1") {
        neighbours(&name, &headers, &records)
    } else {
        Err(Error::UnknownFile { file: name })
    }
}

fn level(s: &str) -> Option<&'static str> {
    match s.trim().to_lowercase().as_str() {
        "national" => Some("national"),
        "regional" => Some("regional"),
        "local authority" => Some("la"),
        _ => None,
    }
}

fn indicators(
    name: &str,
    headers: &[String],
    records: &[csv::StringRecord],
) -> Result<Source, Error> {
    let mut warnings = Vec::new();
    let mut measures: Vec<(usize, String)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if ID_COLUMNS.contains(&h.as_str()) || h.is_empty() {
            continue;
        }
        let m = canonical_measure(h);
        if let Some((first, _)) = measures.iter().find(|(_, x)| *x == m) {
            warnings.push(format!(
                "{name}, column '{h}': the same measure as column '{}' ({m}): column left out",
                headers[*first]
            ));
            continue;
        }
        measures.push((i, m));
    }
    if measures.is_empty() {
        return Err(Error::NoMeasures {
            file: name.to_string(),
        });
    }
    let mut seen: HashMap<(String, String, String, String, String), usize> = HashMap::new();
    let mut cols: BTreeMap<&str, Vec<Option<String>>> = BTreeMap::new();
    let mut year = Vec::new();
    let mut value = Vec::new();
    let push =
        |k: &'static str, v: Option<String>, cols: &mut BTreeMap<&str, Vec<Option<String>>>| {
            cols.entry(k).or_default().push(v)
        };
    for (i, r) in records.iter().enumerate() {
        let row = i + 2;
        let Some(lvl) = level(field(headers, r, "geographic_level")) else {
            warnings.push(format!("{name}, row {row}: geographic level '{}' is not National, Regional or Local authority: row skipped", field(headers, r, "geographic_level")));
            continue;
        };
        let y: i32 = match field(headers, r, "time_period")
            .get(..4)
            .and_then(|y| y.parse().ok())
        {
            Some(y) => y,
            None => {
                return Err(Error::NotAYear {
                    file: name.to_string(),
                    row,
                    column: "time_period",
                    value: field(headers, r, "time_period").to_string(),
                });
            }
        };
        let key = (
            y.to_string(),
            lvl.to_string(),
            field(headers, r, "region_code").to_string(),
            field(headers, r, "old_la_code").to_string(),
            field(headers, r, "new_la_code").to_string() + field(headers, r, "la_name"),
        );
        if let Some(first) = seen.get(&key) {
            let area = match lvl {
                "national" => field(headers, r, "country_name"),
                "regional" => field(headers, r, "region_name"),
                _ => field(headers, r, "la_name"),
            };
            warnings.push(format!(
                "{name}, row {row}: duplicates row {first} ({y}, {area}): counted once"
            ));
            continue;
        }
        seen.insert(key, row);
        let (code, area) = match lvl {
            "national" => (
                field(headers, r, "country_code"),
                field(headers, r, "country_name"),
            ),
            "regional" => (
                field(headers, r, "region_code"),
                field(headers, r, "region_name"),
            ),
            _ => (
                field(headers, r, "new_la_code"),
                field(headers, r, "la_name"),
            ),
        };
        for (c, m) in &measures {
            let raw = r.get(*c).map(str::trim).unwrap_or("");
            let (v, code_kept) = if raw.is_empty() {
                (None, None)
            } else if CODES.contains(&raw.to_lowercase().as_str()) {
                (None, Some(raw.to_string()))
            } else {
                match raw.replace(',', "").parse::<f64>() {
                    Ok(v) if v.is_finite() => (Some(v), None),
                    _ => {
                        warnings.push(format!("{name}, row {row}, column '{}', value '{raw}': not a number nor a DfE code: kept as a code", headers[*c]));
                        (None, Some(raw.to_string()))
                    }
                }
            };
            year.push(y);
            value.push(v);
            push("level", Some(lvl.to_string()), &mut cols);
            push(
                "area_code",
                Some(code.to_string()).filter(|s| !s.is_empty()),
                &mut cols,
            );
            push("area_name", Some(area.to_string()), &mut cols);
            push(
                "region_code",
                Some(field(headers, r, "region_code").to_string()).filter(|s| !s.is_empty()),
                &mut cols,
            );
            push(
                "region_name",
                Some(field(headers, r, "region_name").to_string()).filter(|s| !s.is_empty()),
                &mut cols,
            );
            push(
                "old_la_code",
                Some(field(headers, r, "old_la_code").to_string()).filter(|s| !s.is_empty()),
                &mut cols,
            );
            push("measure", Some(m.clone()), &mut cols);
            push("code", code_kept, &mut cols);
        }
    }
    let n = year.len();
    let mut columns = vec![Column::new("year".into(), year)];
    for k in [
        "level",
        "area_code",
        "area_name",
        "region_code",
        "region_name",
        "old_la_code",
        "measure",
    ] {
        columns.push(Column::new(k.into(), cols.remove(k).unwrap_or_default()));
    }
    columns.push(Column::new("value".into(), value));
    columns.push(Column::new(
        "code".into(),
        cols.remove("code").unwrap_or_default(),
    ));
    let data = DataFrame::new(n, columns).map_err(|source| Error::Frame {
        file: name.to_string(),
        source,
    })?;
    Ok(Source {
        kind: SourceKind::Indicators,
        data,
        rows_read: records.len(),
        warnings,
    })
}

/// A cell by header name, trimmed ("" when the column is absent).
fn field<'r>(headers: &[String], r: &'r csv::StringRecord, h: &str) -> &'r str {
    headers
        .iter()
        .position(|x| x == h)
        .and_then(|i| r.get(i))
        .map(str::trim)
        .unwrap_or("")
}

fn neighbours(
    name: &str,
    headers: &[String],
    records: &[csv::StringRecord],
) -> Result<Source, Error> {
    let idx = |h: &str| headers.iter().position(|x| x == h);
    let la = idx("old_la_code").expect("checked by the caller");
    let mut warnings = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let (mut codes, mut ranks, mut neighbour) = (Vec::new(), Vec::new(), Vec::new());
    for (i, r) in records.iter().enumerate() {
        let row = i + 2;
        let code = r.get(la).unwrap_or("").trim().to_string();
        if code.is_empty() {
            warnings.push(format!("{name}, row {row}: no old_la_code: row skipped"));
            continue;
        }
        if let Some(first) = seen.insert(code.clone(), row) {
            warnings.push(format!(
                "{name}, row {row}: council {code} already listed on row {first}: counted once"
            ));
            continue;
        }
        for k in 1..=10u32 {
            if let Some(n) = idx(&format!("sn_{k}"))
                .and_then(|c| r.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                codes.push(code.clone());
                ranks.push(k);
                neighbour.push(n.to_string());
            }
        }
    }
    let n = codes.len();
    let data = DataFrame::new(
        n,
        vec![
            Column::new("old_la_code".into(), codes),
            Column::new("rank".into(), ranks),
            Column::new("neighbour".into(), neighbour),
        ],
    )
    .map_err(|source| Error::Frame {
        file: name.to_string(),
        source,
    })?;
    Ok(Source {
        kind: SourceKind::Neighbours,
        data,
        rows_read: records.len(),
        warnings,
    })
}

/// The DfE's headline rates, from the published totals with the same
/// definitions Keel's own metrics use (contract §3).
pub fn rates_from_totals(totals: LazyFrame) -> LazyFrame {
    use crate::metrics::{pct, ratio};
    totals.with_columns([
        pct(col("leavers_fte"), col("inpost_fte")).alias("turnover_rate_fte"),
        pct(col("agency_fte"), col("agency_fte") + col("inpost_fte")).alias("agency_rate_fte"),
        pct(col("vacancy_fte"), col("vacancy_fte") + col("inpost_fte")).alias("vacancy_rate_fte"),
        ratio(col("cases"), col("case_holders_fte")).alias("caseload_fte"),
    ])
}

/// Long rows (year, area, measure, value) to one column per measure.
pub fn wide(long: &DataFrame, measures: &[&str]) -> PolarsResult<DataFrame> {
    let mut lf = long
        .clone()
        .lazy()
        .select([
            col("year"),
            col("level"),
            col("area_code"),
            col("area_name"),
        ])
        .unique_stable(None, UniqueKeepStrategy::First);
    for m in measures {
        let one = long
            .clone()
            .lazy()
            .filter(col("measure").eq(lit(*m)))
            .select([
                col("year"),
                col("level"),
                col("area_code"),
                col("area_name"),
                col("value").alias(*m),
            ]);
        let k = [
            col("year"),
            col("level"),
            col("area_code"),
            col("area_name"),
        ];
        let mut args = JoinArgs::new(JoinType::Left);
        args.nulls_equal = true;
        lf = lf.join(one, k.clone(), k, args);
    }
    lf.collect()
}

/// A council as named by the user: its name (any case) or either code.
#[derive(Debug, Clone)]
pub struct Council {
    pub name: String,
    pub code: Option<String>,
    pub old_la_code: Option<String>,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
}

pub fn find_council(indicators: &DataFrame, query: &str) -> Result<Council, Error> {
    let q = query.trim().to_lowercase();
    let la = indicators
        .clone()
        .lazy()
        .filter(col("level").eq(lit("la")))
        .sort(["year"], Default::default())
        .collect()?;
    let s = |c: &str| la.column(c).ok().and_then(|c| c.str().ok().cloned());
    let (names, codes, old, rc, rn) = (
        s("area_name"),
        s("area_code"),
        s("old_la_code"),
        s("region_code"),
        s("region_name"),
    );
    let (Some(names), Some(codes), Some(old), Some(rc), Some(rn)) = (names, codes, old, rc, rn)
    else {
        return Err(Error::NoCouncils);
    };
    let mut hit = None;
    for i in (0..la.height()).rev() {
        let m = |v: Option<&str>| v.is_some_and(|v| v.to_lowercase() == q);
        if m(names.get(i)) || m(codes.get(i)) || m(old.get(i)) {
            hit = Some(i);
            break;
        }
    }
    let Some(i) = hit else {
        let mut close: Vec<&str> = names
            .iter()
            .flatten()
            .filter(|n| n.to_lowercase().contains(&q))
            .collect();
        close.sort();
        close.dedup();
        return Err(Error::NoCouncil {
            query: query.to_string(),
            close: close.into_iter().map(str::to_string).collect(),
        });
    };
    Ok(Council {
        name: names.get(i).unwrap_or_default().to_string(),
        code: codes.get(i).map(str::to_string),
        old_la_code: old.get(i).map(str::to_string),
        region_code: rc.get(i).map(str::to_string),
        region_name: rn.get(i).map(str::to_string),
    })
}

/// Per year and measure: the council's published figure (and its code
/// when suppressed), its region, England, and the median of its
/// statistical neighbours (with how many had a figure).
pub fn compare(
    indicators: &DataFrame,
    neighbours: Option<&DataFrame>,
    council: &Council,
) -> PolarsResult<DataFrame> {
    let ym = || [col("year"), col("measure")];
    let ind = indicators.clone().lazy();
    let is = |c: &str, v: &Option<String>| match v {
        Some(v) => col(c).eq(lit(v.clone())),
        None => lit(false),
    };
    let own = ind
        .clone()
        .filter(
            col("level").eq(lit("la")).and(
                col("area_name")
                    .eq(lit(council.name.clone()))
                    .or(is("old_la_code", &council.old_la_code)),
            ),
        )
        .select([
            col("year"),
            col("measure"),
            col("value").alias("council"),
            col("code").alias("council_code"),
        ])
        .unique_stable(Some(cols(["year", "measure"])), UniqueKeepStrategy::First);
    let region = ind
        .clone()
        .filter(
            col("level")
                .eq(lit("regional"))
                .and(is("area_code", &council.region_code)),
        )
        .select([col("year"), col("measure"), col("value").alias("region")]);
    let national_in_file = ind.clone().filter(col("level").eq(lit("national")));
    let national = concat(
        [national_in_file, england::frame()?.lazy()],
        UnionArgs::default(),
    )?
    .select([col("year"), col("measure"), col("value").alias("england")])
    .unique_stable(Some(cols(["year", "measure"])), UniqueKeepStrategy::First);
    let mut out = own
        .join(region, ym(), ym(), JoinArgs::new(JoinType::Left))
        .join(national, ym(), ym(), JoinArgs::new(JoinType::Left));
    if let (Some(sn), Some(code)) = (neighbours, &council.old_la_code) {
        let codes = sn
            .clone()
            .lazy()
            .filter(col("old_la_code").eq(lit(code.clone())))
            .select([col("neighbour")]);
        let sn_values = ind
            .filter(col("level").eq(lit("la")))
            .join(
                codes,
                [col("old_la_code")],
                [col("neighbour")],
                JoinArgs::new(JoinType::Inner),
            )
            .group_by(ym())
            .agg([
                col("value").median().alias("neighbours_median"),
                col("value").count().alias("neighbours_n"),
            ]);
        out = out.join(sn_values, ym(), ym(), JoinArgs::new(JoinType::Left));
    } else {
        out = out.with_columns([
            lit(NULL).cast(DataType::Float64).alias("neighbours_median"),
            lit(NULL).cast(IDX_DTYPE).alias("neighbours_n"),
        ]);
    }
    out.sort(["measure", "year"], Default::default()).collect()
}
