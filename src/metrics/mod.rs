//! The contract's metrics (sections 2–3), computed with polars for every
//! month held and every group: the whole service, each service area, each
//! team. One function, [`compute`], serves the app, the command line and
//! the reports.
//!
//! Three parts:
//! - [`definitions`]: each measure as the contract defines it, a short
//!   polars expression or function over plain columns, under the
//!   contract's own sentence; and the contract's constants (day counts,
//!   windows), named once.
//! - `engine`: the fast engine [`compute`] runs, which computes those
//!   definitions faster (integer codes, packed keys, month slices; its
//!   module says why each trick is there).
//! - [`reference`]: the same table worked out straight from the
//!   definitions with plain group-bys — slow, and there to check the
//!   engine cell by cell.

pub mod census;
pub mod definitions;
mod engine;
mod inputs;
pub mod quality;
pub mod reference;
pub mod table;
pub mod trend;
pub mod workers;

pub use inputs::Inputs;
pub use reference::compute_reference;

use crate::measure::{Base, Measure};
use crate::month::Month;
use polars::prelude::*;

/// The metric columns, in the contract's order, after `month`,
/// `group_kind` and `group`: the registry's measures.
pub const METRICS: [&str; Measure::ALL.len()] = {
    let mut out = [""; Measure::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = Measure::ALL[i].name();
        i += 1;
    }
    out
};

/// Head counts behind figures the contract does not publish as counts
/// (see [`Base`]), kept beside the metrics so views and reports can
/// suppress figures that rest on fewer than five people. `keel metrics`
/// leaves them out.
pub const BASES: [&str; 3] = [
    Base::ALL[0].name(),
    Base::ALL[1].name(),
    Base::ALL[2].name(),
];

/// Caseload limits used by `over_limit_headcount` (a setting).
pub use crate::settings::Limits;

/// Which group kinds to return.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    All,
    Service,
    Team,
}

impl GroupKind {
    pub fn name(self) -> &'static str {
        match self {
            GroupKind::All => "all",
            GroupKind::Service => "service",
            GroupKind::Team => "team",
        }
    }
}

/// `num / den`, or null when the denominator is zero or unknown.
pub(crate) fn ratio(num: Expr, den: Expr) -> Expr {
    when(den.clone().neq(lit(0.0)))
        .then(num.cast(DataType::Float64) / den.cast(DataType::Float64))
        .otherwise(lit(NULL))
}

pub(crate) fn pct(num: Expr, den: Expr) -> Expr {
    ratio(num, den) * lit(100.0)
}

/// The finished table's `month` column as the command line prints it
/// (`2026-09`), from the month numbers both engines compute with.
pub(crate) fn with_month_labels(mut df: DataFrame) -> PolarsResult<DataFrame> {
    let months: StringChunked = df
        .column("month")?
        .i32()?
        .iter()
        .map(|m| m.map(|m| Month(m).to_string()))
        .collect();
    df.replace("month", months.with_name("month".into()).into_column())?;
    Ok(df)
}

/// All metrics for every month held and every group.
pub fn compute(inputs: &Inputs, limits: Limits) -> PolarsResult<DataFrame> {
    compute_kinds(
        inputs,
        limits,
        &[GroupKind::All, GroupKind::Service, GroupKind::Team],
    )
}

/// All metrics for every month held and every group of the kinds given
/// (the rows `compute` returns for those kinds, in the same order).
pub fn compute_kinds(
    inputs: &Inputs,
    limits: Limits,
    kinds: &[GroupKind],
) -> PolarsResult<DataFrame> {
    let p = engine::frames::prepare(inputs, limits)?;
    engine::compute_prepared(&p, kinds)
}

/// Restrict a metrics table to some group kinds and a month range, with
/// the contract's columns only, then where each row came from
/// ([`census::SOURCE`]).
pub fn select(
    df: &DataFrame,
    kinds: &[GroupKind],
    from: Option<Month>,
    to: Option<Month>,
) -> PolarsResult<DataFrame> {
    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    let mut pred =
        col("group_kind").is_in(lit(Series::new("k".into(), names)).implode(false), false);
    if let Some(f) = from {
        pred = pred.and(col("month").gt_eq(lit(f.to_string())));
    }
    if let Some(t) = to {
        pred = pred.and(col("month").lt_eq(lit(t.to_string())));
    }
    // Every row says where it came from; without returns, all are monthly.
    let source = if df.column(census::SOURCE).is_ok() {
        col(census::SOURCE)
    } else {
        lit(census::FROM_MONTHLY).alias(census::SOURCE)
    };
    df.clone()
        .lazy()
        .filter(pred)
        .select(
            [col("month"), col("group_kind"), col("group")]
                .into_iter()
                .chain(METRICS.iter().map(|m| col(*m)))
                .chain([source])
                .collect::<Vec<_>>(),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs of a small generated council, imported into a scratch workspace.
    pub(crate) fn sample() -> (tempfile::TempDir, Inputs, Limits) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let opts = crate::sample::SampleOptions {
            workers: 60,
            months: 30,
            seed: 7,
            single_csv: false,
        };
        crate::sample::generate(&opts, &data).unwrap();
        let mut ws = crate::workspace::Workspace::open_or_create(&dir.path().join("ws")).unwrap();
        crate::first_run::import_folder(&mut ws, &data).unwrap();
        let inputs = ws.inputs().unwrap().unwrap();
        let limits = ws.settings().limits();
        (dir, inputs, limits)
    }

    #[test]
    fn some_kinds_are_the_rows_of_all_kinds() {
        let (_dir, inputs, limits) = sample();
        let all = compute(&inputs, limits).unwrap();
        for kinds in [
            vec![GroupKind::All],
            vec![GroupKind::Service, GroupKind::All],
            vec![GroupKind::Team],
        ] {
            let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
            let expected = all
                .clone()
                .lazy()
                .filter(
                    col("group_kind")
                        .is_in(lit(Series::new("k".into(), names)).implode(false), false),
                )
                .collect()
                .unwrap();
            let got = compute_kinds(&inputs, limits, &kinds).unwrap();
            assert!(got.height() > 0);
            assert!(got.equals_missing(&expected), "{kinds:?}");
        }
        assert_eq!(compute_kinds(&inputs, limits, &[]).unwrap().height(), 0);
    }

    #[test]
    fn the_order_of_the_snapshot_rows_does_not_change_the_metrics() {
        let (_dir, inputs, limits) = sample();
        let expected = compute(&inputs, limits).unwrap();
        // Latest month first: the workers' codes change, and the rows are no
        // longer in (month, worker) order, so they are sorted on the way.
        let mut shuffled = inputs.clone();
        shuffled.workforce = inputs
            .workforce
            .sort(
                ["month"],
                SortMultipleOptions::default()
                    .with_order_descending(true)
                    .with_maintain_order(true),
            )
            .unwrap();
        let got = compute(&shuffled, limits).unwrap();
        assert_eq!(got.shape(), expected.shape());
        for name in ["month", "group_kind", "group"] {
            assert!(
                got.column(name)
                    .unwrap()
                    .equals(expected.column(name).unwrap()),
                "{name}"
            );
        }
        let mut compared = 0;
        for name in METRICS.iter().chain(BASES.iter()) {
            let values = |df: &DataFrame| -> Vec<Option<f64>> {
                let c = df.column(name).unwrap().cast(&DataType::Float64).unwrap();
                c.f64().unwrap().iter().collect()
            };
            for (g, e) in values(&got).into_iter().zip(values(&expected)) {
                match (g, e) {
                    (Some(g), Some(e)) => {
                        assert!((g - e).abs() <= 1e-9 * e.abs().max(1.0), "{name}: {g} {e}");
                        compared += 1;
                    }
                    (g, e) => assert_eq!(g, e, "{name}"),
                }
            }
        }
        assert!(compared > 1000, "{compared} values compared");
    }

    #[test]
    fn one_preparation_gives_the_same_metrics_and_findings() {
        let (_dir, inputs, limits) = sample();
        let stored = [(
            vec![Month(24300)],
            "2 exact duplicate rows dropped".to_string(),
        )];
        let kinds = [GroupKind::All, GroupKind::Service, GroupKind::Team];
        let (df, findings) = quality::metrics_and_report(&inputs, limits, &kinds, &stored).unwrap();
        assert!(df.equals_missing(&compute(&inputs, limits).unwrap()));
        assert_eq!(findings, quality::report(&inputs, limits, &stored).unwrap());
    }
}
