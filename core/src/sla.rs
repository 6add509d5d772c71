//! The SLA watchdog's rule: which items are late, by the official working-day
//! calendar. The edge's cron applies it and tells the resident what is being
//! done; each kind of lateness is reported once per item.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::status::ItemStatus;

/// A department must accept (受理) within this many working days of receipt.
pub const ACCEPT_WITHIN_WORKING_DAYS: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lateness {
    /// Submitted, but not accepted by the end of the next working day.
    NotAcceptedInTime,
    /// Accepted, but not decided by its due date.
    PastDue,
}

impl Lateness {
    pub fn as_str(self) -> &'static str {
        match self {
            Lateness::NotAcceptedInTime => "not_accepted_in_time",
            Lateness::PastDue => "past_due",
        }
    }
}

/// What the watchdog knows about one item, all dates in Beijing time.
#[derive(Debug, Clone, Copy)]
pub struct ItemClock {
    pub status: ItemStatus,
    pub submitted_on: NaiveDate,
    /// Set at acceptance when the item has a sourced time limit.
    pub due: Option<NaiveDate>,
}

/// Is the item late on `today`? Days of a correction (补正) are the
/// resident's, not the department's, so an item waiting for one is not late.
pub fn check(calendar: &WorkCalendar, item: ItemClock, today: NaiveDate) -> Option<Lateness> {
    use ItemStatus::*;
    match item.status {
        Submitted => {
            let deadline = calendar
                .add_working_days(item.submitted_on, ACCEPT_WITHIN_WORKING_DAYS)
                .ok()?
                .due;
            (today > deadline).then_some(Lateness::NotAcceptedInTime)
        }
        Accepted | UnderReview => item
            .due
            .filter(|due| today > *due)
            .map(|_| Lateness::PastDue),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn submitted(on: NaiveDate) -> ItemClock {
        ItemClock {
            status: ItemStatus::Submitted,
            submitted_on: on,
            due: None,
        }
    }

    #[test]
    fn not_accepted_counts_working_days_across_a_weekend() {
        let cal = Catalog::embedded().calendar();
        // Friday 2026-11-20: the next working day is Monday the 23rd.
        let fri = d(2026, 11, 20);
        assert_eq!(check(cal, submitted(fri), d(2026, 11, 22)), None);
        assert_eq!(check(cal, submitted(fri), d(2026, 11, 23)), None);
        assert_eq!(
            check(cal, submitted(fri), d(2026, 11, 24)),
            Some(Lateness::NotAcceptedInTime)
        );
    }

    #[test]
    fn not_accepted_counts_across_the_national_day_holiday() {
        let cal = Catalog::embedded().calendar();
        // Submitted 2026-09-30; 10-01..10-07 are the National Day holiday.
        let first_working = d(2026, 10, 8);
        assert!(cal.is_working_day(first_working));
        assert_eq!(check(cal, submitted(d(2026, 9, 30)), d(2026, 10, 7)), None);
        assert_eq!(check(cal, submitted(d(2026, 9, 30)), first_working), None);
    }

    #[test]
    fn past_due_only_while_the_department_holds_it() {
        let cal = Catalog::embedded().calendar();
        let clock = |status| ItemClock {
            status,
            submitted_on: d(2026, 11, 2),
            due: Some(d(2026, 11, 16)),
        };
        let late = d(2026, 11, 17);
        assert_eq!(
            check(cal, clock(ItemStatus::UnderReview), late),
            Some(Lateness::PastDue)
        );
        assert_eq!(
            check(cal, clock(ItemStatus::UnderReview), d(2026, 11, 16)),
            None
        );
        for status in [
            ItemStatus::CorrectionRequired,
            ItemStatus::Approved,
            ItemStatus::Producing,
            ItemStatus::Delivered,
            ItemStatus::Withdrawn,
        ] {
            assert_eq!(check(cal, clock(status), late), None, "{status:?}");
        }
        // No sourced limit, no due date, never "past due".
        let no_limit = ItemClock {
            due: None,
            ..clock(ItemStatus::Accepted)
        };
        assert_eq!(check(cal, no_limit, d(2027, 6, 1)), None);
    }
}
