//! Calendar months, the unit every snapshot and metric is keyed by.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar month, stored as `year * 12 + (month - 1)` so that month
/// arithmetic (m − 1, m − 12) is plain integer arithmetic in polars too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub i32);

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12)
            .contains(&month)
            .then(|| Month(year * 12 + month as i32 - 1))
    }

    pub fn of(date: NaiveDate) -> Month {
        Month(date.year() * 12 + date.month0() as i32)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1-based month number.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).expect("valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        (self + 1).first_day().pred_opt().expect("valid date")
    }

    /// Mondays to Fridays in the month (no bank holidays: agency invoices
    /// are usually for working weekdays, and the contract says Mon–Fri).
    pub fn weekdays(self) -> u32 {
        self.first_day()
            .iter_days()
            .take_while(|d| Month::of(*d) == self)
            .filter(|d| d.weekday().number_from_monday() <= 5)
            .count() as u32
    }
}

/// 1 January 1970: polars stores a `Date` as days since then.
pub const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

/// A date as polars' physical `Date` value (days since 1970).
pub fn epoch_days(d: NaiveDate) -> i32 {
    // 1970-01-01 is day 719,163 counted from 0001-01-01 (day 1).
    d.num_days_from_ce() - 719_163
}

/// The date of a polars physical `Date` value.
pub fn from_epoch_days(days: i32) -> NaiveDate {
    EPOCH + chrono::Duration::days(days as i64)
}

impl std::ops::Add<i32> for Month {
    type Output = Month;
    fn add(self, rhs: i32) -> Month {
        Month(self.0 + rhs)
    }
}

impl std::ops::Sub<i32> for Month {
    type Output = Month;
    fn sub(self, rhs: i32) -> Month {
        Month(self.0 - rhs)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// Text that is not a month, as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a month: write it as YYYY-MM, for example 2024-03")]
pub struct ParseMonthError {
    pub text: String,
}

impl FromStr for Month {
    type Err = ParseMonthError;
    fn from_str(s: &str) -> Result<Month, ParseMonthError> {
        let bad = || ParseMonthError {
            text: s.to_string(),
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_arithmetic() {
        let m: Month = "2024-01".parse().unwrap();
        assert_eq!((m - 1).to_string(), "2023-12");
        assert_eq!((m + 12).to_string(), "2025-01");
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2024, 1, 31).unwrap());
        assert_eq!(
            Month::new(2024, 2).unwrap().last_day(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert!("2024-13".parse::<Month>().is_err());
        assert!("24-01".parse::<Month>().is_err());
    }

    #[test]
    fn weekdays_by_hand() {
        // July 2024 starts on a Monday: 23 weekdays (1–5, 8–12, 15–19, 22–26, 29–31).
        assert_eq!(Month::new(2024, 7).unwrap().weekdays(), 23);
        // February 2025: 20 weekdays (four whole weeks).
        assert_eq!(Month::new(2025, 2).unwrap().weekdays(), 20);
    }

    #[test]
    fn epoch_days_counts_days_from_1970() {
        let mut d = NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        while d.year() <= 2101 {
            assert_eq!(epoch_days(d) as i64, (d - EPOCH).num_days(), "{d}");
            assert_eq!(from_epoch_days(epoch_days(d)), d);
            d += chrono::Duration::days(1);
        }
    }
}
