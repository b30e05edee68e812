//! A return as the table the workspace stores: one row per record, with
//! what the annual measures read, and the council's vacancies on every
//! row (a return has one set, and one table keeps the import one file).
//! Birth date, gender, ethnicity, qualification and absence items are
//! read only to be validated and are never in this table.

use super::Return;
use crate::metrics::census as col_name;
use crate::month::epoch_days;
use polars::prelude::*;

/// The stored table of a return (`worker_id` still the SWE number: the
/// workspace pseudonymises it on import, like any worker id).
pub fn frame(ret: &Return) -> PolarsResult<DataFrame> {
    let r = &ret.records;
    let n = r.len();
    let date = |name: &str, f: &dyn Fn(&super::Record) -> Option<chrono::NaiveDate>| {
        Column::new(
            name.into(),
            r.iter().map(|x| f(x).map(epoch_days)).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)
    };
    let code = |name: &str, f: &dyn Fn(&super::Record) -> Option<u8>| {
        Column::new(
            name.into(),
            r.iter().map(|x| f(x).map(i32::from)).collect::<Vec<_>>(),
        )
    };
    let columns = vec![
        Column::new(
            col_name::WORKER_ID.into(),
            r.iter().map(|x| x.swe.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            col_name::RECORD.into(),
            r.iter().map(|x| x.position as i64).collect::<Vec<_>>(),
        ),
        Column::new(
            col_name::LINE.into(),
            r.iter().map(|x| x.line as i64).collect::<Vec<_>>(),
        ),
        Column::new(col_name::MONTH.into(), vec![ret.month().0; n]),
        Column::new(col_name::CENSUS_YEAR.into(), vec![ret.year; n]),
        Column::new(
            col_name::SNAPSHOT_DATE.into(),
            vec![epoch_days(ret.reference_date()); n],
        )
        .cast(&DataType::Date)?,
        Column::new(
            col_name::AGENCY.into(),
            r.iter().map(|x| x.agency).collect::<Vec<_>>(),
        ),
        Column::new(
            col_name::FTE.into(),
            r.iter().map(|x| x.fte).collect::<Vec<_>>(),
        ),
        Column::new(
            col_name::FTE30.into(),
            r.iter().map(|x| x.fte30).collect::<Vec<_>>(),
        ),
        code(col_name::ROLE, &|x| x.role),
        date(col_name::START_DATE, &|x| x.start)?,
        code(col_name::START_ORIGIN, &|x| x.origin),
        date(col_name::LEAVE_DATE, &|x| x.end)?,
        code(col_name::LEAVER_DESTINATION, &|x| x.destination),
        code(col_name::LEAVING_REASON, &|x| x.reason),
        Column::new(
            col_name::CASES.into(),
            r.iter().map(|x| x.cases).collect::<Vec<_>>(),
        ),
        Column::new(
            col_name::WORKING_DAYS_LOST.into(),
            r.iter().map(|x| x.days_lost).collect::<Vec<_>>(),
        ),
        Column::new(
            col_name::ASYE.into(),
            r.iter().map(|x| x.asye).collect::<Vec<_>>(),
        ),
        Column::new(col_name::LA_CODE.into(), vec![ret.la_code.as_deref(); n]),
        Column::new(col_name::VACANCIES_FTE.into(), vec![ret.vacancies_fte; n]),
        Column::new(
            col_name::AGENCY_COVER_FTE.into(),
            vec![ret.agency_cover_fte; n],
        ),
        Column::new(
            col_name::AGENCY_COVER_HEADCOUNT.into(),
            vec![ret.agency_cover_headcount; n],
        ),
    ];
    DataFrame::new(n, columns)
}
