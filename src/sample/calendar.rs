//! Date helpers for the simulation. Every series ends at the same month so that
//! documentation, screenshots and tests can quote fixed dates.

use super::error::{Error, Result, range};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// The last snapshot of every generated series (a September month end, the DfE
/// census date, so the last figures line up with a published year).
pub(crate) const SERIES_END: (i32, u32, u32) = (2026, 9, 30);

pub(crate) fn series_end() -> Result<NaiveDate> {
    let (y, m, d) = SERIES_END;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(Error::SeriesEnd)
}

pub(crate) fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The first day of the month `offset` months after the month of `date`.
pub(crate) fn shift_months(date: NaiveDate, offset: i64) -> Result<NaiveDate> {
    let first = first_of_month(date);
    let step = Months::new(u32::try_from(offset.unsigned_abs()).map_err(range("month offset"))?);
    let shifted = if offset >= 0 {
        first.checked_add_months(step)
    } else {
        first.checked_sub_months(step)
    };
    shifted.ok_or(Error::ShiftMonths { date, offset })
}

/// The last day of the month that contains `date`.
pub(crate) fn month_end(date: NaiveDate) -> Result<NaiveDate> {
    shift_months(date, 1)?
        .pred_opt()
        .ok_or(Error::MonthEnd(date))
}

/// Snapshot dates (month ends) of a series of `months` months ending at [`SERIES_END`].
pub(crate) fn snapshot_dates(months: usize) -> Result<Vec<NaiveDate>> {
    let end = series_end()?;
    let back = i64::try_from(months).map_err(range("month count"))? - 1;
    let first = shift_months(end, -back)?;
    (0..months)
        .map(|i| month_end(shift_months(first, i64::try_from(i)?)?))
        .collect()
}

/// Adds (or with a negative count subtracts) days. Out-of-range results cannot occur
/// for the dates the simulation uses; the date is then returned unchanged rather than
/// panicking.
pub(crate) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let step = Days::new(days.unsigned_abs());
    let moved = if days >= 0 {
        date.checked_add_days(step)
    } else {
        date.checked_sub_days(step)
    };
    moved.unwrap_or(date)
}

/// Moves a weekend date to the following Monday: supervision and start dates are
/// working days.
pub(crate) fn next_working_day(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => add_days(date, 2),
        Weekday::Sun => add_days(date, 1),
        _ => date,
    }
}

/// Moves a weekend date into the working week without leaving its month: back to the
/// Friday, or forward to the Monday when the month starts on a weekend.
pub(crate) fn working_day_in_month(date: NaiveDate) -> NaiveDate {
    let back = match date.weekday() {
        Weekday::Sat => add_days(date, -1),
        Weekday::Sun => add_days(date, -2),
        _ => return date,
    };
    if back.month() == date.month() {
        back
    } else {
        next_working_day(date)
    }
}

pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_six_months_start_in_october_2023() -> Result<()> {
        let dates = snapshot_dates(36)?;
        assert_eq!(
            dates.first().copied(),
            NaiveDate::from_ymd_opt(2023, 10, 31)
        );
        assert_eq!(dates.last().copied(), NaiveDate::from_ymd_opt(2026, 9, 30));
        assert_eq!(dates.get(4).copied(), NaiveDate::from_ymd_opt(2024, 2, 29));
        Ok(())
    }

    #[test]
    fn weekend_dates_stay_in_their_month() {
        let saturday_first = NaiveDate::from_ymd_opt(2024, 6, 1);
        let moved = saturday_first.map(working_day_in_month);
        assert_eq!(moved, NaiveDate::from_ymd_opt(2024, 6, 3));
        let sunday = NaiveDate::from_ymd_opt(2024, 6, 30).map(working_day_in_month);
        assert_eq!(sunday, NaiveDate::from_ymd_opt(2024, 6, 28));
    }
}
