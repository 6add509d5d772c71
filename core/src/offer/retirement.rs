//! The statutory retirement age by birth month: the age before 2025 plus the
//! gradual raise of the 2024 decision, one month of delay for every
//! `months_per_step` birth months from the first month it applies to, up to
//! the maximum. The lines are data (`policies.toml`); this is the arithmetic.

use chrono::{Datelike, Months, NaiveDate};

use super::rules::RetirementAgeLine;
use crate::catalog::Text;

/// An age in years and months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    pub years: u32,
    pub months: u32,
}

impl Age {
    pub fn text(self) -> Text {
        match self.months {
            0 => Text::new(
                format!("{}周岁", self.years),
                format!("{} years", self.years),
            ),
            m => Text::new(
                format!("{}周岁{}个月", self.years, m),
                format!("{} years {} months", self.years, m),
            ),
        }
    }
}

/// `YYYY-MM` as a month count.
fn month_index(ym: &str) -> Option<i32> {
    let (y, m) = ym.split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(y * 12 + m - 1)
}

/// The statutory retirement age on `line` for someone born on `birth`;
/// `None` if the line's `raise_from_birth` is not `YYYY-MM`.
pub fn statutory_age(line: &RetirementAgeLine, birth: NaiveDate) -> Option<Age> {
    let from = month_index(&line.raise_from_birth)?;
    let born = birth.year() * 12 + birth.month0() as i32;
    let delay = if born < from || line.months_per_step == 0 {
        0
    } else {
        (((born - from) as u32) / line.months_per_step + 1).min(line.max_delay_months)
    };
    let months = line.original_years * 12 + delay;
    Some(Age {
        years: months / 12,
        months: months % 12,
    })
}

/// The day someone born on `birth` reaches the statutory age on `line` (the
/// same day of the month, or the month's last day when it has none).
pub fn retirement_date(line: &RetirementAgeLine, birth: NaiveDate) -> Option<NaiveDate> {
    let age = statutory_age(line, birth)?;
    birth.checked_add_months(Months::new(age.years * 12 + age.months))
}
