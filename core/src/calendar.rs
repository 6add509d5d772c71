//! The working-day calendar (工作日): weekends, the State Council's holidays
//! and swapped workdays (调休). A date in a year with no schedule loaded is
//! counted with weekends only and every result touching it is an estimate.
//!
//! As in Chinese law on periods (期间), the day the clock starts is not
//! counted: a 5-working-day limit from day D ends on the 5th working day after D.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::catalog::YearSchedule;

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    years: BTreeMap<i32, Year>,
}

#[derive(Debug, Clone, Default)]
struct Year {
    off: BTreeSet<NaiveDate>,
    on: BTreeSet<NaiveDate>,
}

/// A computed due date; `estimated` when any day counted lies in a year whose
/// official schedule is not loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub due: NaiveDate,
    pub estimated: bool,
}

/// The largest time limit we count, so a bad input cannot spin for ever.
pub const MAX_WORKING_DAYS: u32 = 3650;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("working_days must be between 0 and {MAX_WORKING_DAYS}")]
    TooManyDays,
    #[error("the date is out of the supported range")]
    OutOfRange,
}

impl WorkCalendar {
    pub fn new(schedules: impl IntoIterator<Item = YearSchedule>) -> Self {
        let mut years = BTreeMap::new();
        for s in schedules {
            let mut y = Year::default();
            for h in &s.holidays {
                for d in h.from.iter_days().take_while(|d| *d <= h.to) {
                    y.off.insert(d);
                }
            }
            y.on.extend(s.workdays.iter().copied());
            years.insert(s.year, y);
        }
        WorkCalendar { years }
    }

    /// Years with an official schedule loaded.
    pub fn known_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn is_known(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        match self.years.get(&date.year()) {
            Some(y) if y.on.contains(&date) => true,
            Some(y) if y.off.contains(&date) => false,
            _ => !weekend,
        }
    }

    /// The `n`th working day after `from` (`from` itself not counted).
    /// `n = 0` is `from` itself: an on-the-spot (即办) item.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<Due, CalendarError> {
        if n > MAX_WORKING_DAYS {
            return Err(CalendarError::TooManyDays);
        }
        let mut estimated = !self.is_known(from);
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day
                .checked_add_days(Days::new(1))
                .ok_or(CalendarError::OutOfRange)?;
            estimated |= !self.is_known(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Ok(Due {
            due: day,
            estimated,
        })
    }

    /// Working days in `(from, to]`: how many the clock has run from `from` to `to`.
    /// Zero when `to` is not after `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

#[cfg(test)]
mod tests;
