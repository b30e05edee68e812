//! One council's published series beside its region, England, its
//! statistical neighbours' median and each neighbour, per measure: what
//! the app's benchmarks view and the dashboard's reference lines draw.

use super::{Council, Error, compare, find_council};
use polars::prelude::*;

/// (year, value) pairs; a year is the DfE's, to 30 September.
pub type Points = Vec<(i32, f64)>;

#[derive(Clone, Debug, Default)]
pub struct MeasureView {
    pub measure: String,
    pub council: Points,
    pub region: Points,
    pub england: Points,
    pub neighbours_median: Points,
    /// Each neighbour by name.
    pub neighbours: Vec<(String, Points)>,
}

#[derive(Clone, Debug)]
pub struct CouncilView {
    pub council: Council,
    pub measures: Vec<MeasureView>,
}

impl CouncilView {
    pub fn measure(&self, name: &str) -> Option<&MeasureView> {
        self.measures.iter().find(|m| m.measure == name)
    }
}

fn points(df: &DataFrame, value: &str) -> PolarsResult<Points> {
    let years = df.column("year")?.cast(&DataType::Int32)?;
    let values = df.column(value)?.cast(&DataType::Float64)?;
    Ok(years
        .i32()?
        .iter()
        .zip(values.f64()?.iter())
        .filter_map(|(y, v)| Some((y?, v?)))
        .collect())
}

fn perr(e: PolarsError) -> Error {
    Error::View(e)
}

/// The council found by name or code, and its series for `measures`.
pub fn council_view(
    indicators: &DataFrame,
    neighbours: Option<&DataFrame>,
    query: &str,
    measures: &[&str],
) -> Result<CouncilView, Error> {
    let council = find_council(indicators, query)?;
    let table = compare(indicators, neighbours, &council).map_err(perr)?;
    // Each neighbour's own series, by its name in the indicators.
    let each = match (neighbours, &council.old_la_code) {
        (Some(sn), Some(code)) => Some(
            indicators
                .clone()
                .lazy()
                .filter(col("level").eq(lit("la")))
                .join(
                    sn.clone()
                        .lazy()
                        .filter(col("old_la_code").eq(lit(code.clone())))
                        .select([col("neighbour")]),
                    [col("old_la_code")],
                    [col("neighbour")],
                    JoinArgs::new(JoinType::Inner),
                )
                .select([col("area_name"), col("year"), col("measure"), col("value")])
                .sort(["area_name", "year"], Default::default())
                .collect()
                .map_err(perr)?,
        ),
        _ => None,
    };
    let mut out = Vec::new();
    for m in measures {
        let rows = table
            .clone()
            .lazy()
            .filter(col("measure").eq(lit(*m)))
            .sort(["year"], Default::default())
            .collect()
            .map_err(perr)?;
        let mut view = MeasureView {
            measure: m.to_string(),
            council: points(&rows, "council").map_err(perr)?,
            region: points(&rows, "region").map_err(perr)?,
            england: points(&rows, "england").map_err(perr)?,
            neighbours_median: points(&rows, "neighbours_median").map_err(perr)?,
            neighbours: Vec::new(),
        };
        if let Some(each) = &each {
            let rows = each
                .clone()
                .lazy()
                .filter(col("measure").eq(lit(*m)))
                .collect()
                .map_err(perr)?;
            let names = rows
                .column("area_name")
                .map_err(perr)?
                .str()
                .map_err(perr)?
                .clone();
            let mut names: Vec<String> = names.iter().flatten().map(str::to_string).collect();
            names.dedup();
            for n in names {
                let one = rows
                    .clone()
                    .lazy()
                    .filter(col("area_name").eq(lit(n.clone())))
                    .collect()
                    .map_err(perr)?;
                view.neighbours
                    .push((n, points(&one, "value").map_err(perr)?));
            }
        }
        out.push(view);
    }
    Ok(CouncilView {
        council,
        measures: out,
    })
}
