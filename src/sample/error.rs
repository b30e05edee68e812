//! Why the sample could not be generated: options it cannot honour, a file
//! it cannot write, or a date or count the simulation cannot represent
//! (the last kind does not happen with the options the command line takes).

use chrono::NaiveDate;
use std::num::TryFromIntError;
use std::path::PathBuf;

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the sample needs at least one worker")]
    NoWorkers,
    #[error("the sample needs at least one month")]
    NoMonths,
    #[error("the sample needs at least one worker and one month")]
    Empty,
    #[error("the sample has no months")]
    NoSnapshots,
    #[error("the sample has more employees than six-digit payroll numbers allow")]
    TooManyEmployees,
    #[error("the sample has more agency engagements than agency references allow")]
    TooManyAgency,
    #[error("cannot create {}: {source}", path.display())]
    Create { path: PathBuf, source: Cause },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: Cause },
    #[error(transparent)]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("a row arrived before its month began")]
    RowBeforeMonth,
    // The simulation's calendar and counts, out of range.
    #[error("series end date")]
    SeriesEnd,
    #[error("{offset} months from {date}")]
    ShiftMonths { date: NaiveDate, offset: i64 },
    #[error("end of the month of {0}")]
    MonthEnd(NaiveDate),
    #[error("no snapshot months")]
    NoSnapshotMonths,
    /// A count or date part that does not fit the type it is written as.
    #[error("{what}: {source}")]
    Range {
        what: &'static str,
        source: TryFromIntError,
    },
    #[error(transparent)]
    Int(#[from] TryFromIntError),
    #[error(transparent)]
    Normal(#[from] rand_distr::NormalError),
    #[error(transparent)]
    Exp(#[from] rand_distr::ExpError),
}

/// What failed underneath a file that could not be created or written.
#[derive(Debug, thiserror::Error)]
pub enum Cause {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// `.map_err(create(&path))`: a file that could not be created.
pub(crate) fn create<E: Into<Cause>>(path: &std::path::Path) -> impl FnOnce(E) -> Error + '_ {
    move |e| Error::Create {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

/// `.map_err(write(&path))`: a file that could not be written.
pub(crate) fn write<E: Into<Cause>>(path: &std::path::Path) -> impl FnOnce(E) -> Error + '_ {
    move |e| Error::Write {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

/// `.map_err(range("month count"))`: a conversion out of range.
pub(crate) fn range(what: &'static str) -> impl FnOnce(TryFromIntError) -> Error {
    move |source| Error::Range { what, source }
}
