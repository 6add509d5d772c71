//! Table-driven checks from `catalog/calendar/CHECKS.md`, worked out by hand
//! from the State Council notices, plus whole-schedule sweeps.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::catalog::Catalog;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> &'static super::WorkCalendar {
    Catalog::embedded().calendar()
}

/// `from + n working days == expected`, with the official schedule (not an estimate).
fn check(from: &str, n: u32, expected: &str) {
    let due = cal().add_working_days(d(from), n).unwrap();
    assert_eq!(due.due, d(expected), "{from} + {n} working days");
    assert!(!due.estimated, "{from} + {n} is inside loaded years");
}

#[test]
fn adding_working_days_across_every_2025_holiday_and_swap() {
    check("2025-01-24", 3, "2025-02-05");
    check("2025-02-07", 1, "2025-02-08");
    check("2025-04-03", 1, "2025-04-07");
    check("2025-04-25", 1, "2025-04-27");
    check("2025-04-30", 2, "2025-05-07");
    check("2025-05-30", 1, "2025-06-03");
    check("2025-09-26", 1, "2025-09-28");
    check("2025-09-30", 5, "2025-10-14");
}

#[test]
fn adding_working_days_across_every_2026_holiday_and_swap() {
    check("2025-12-31", 1, "2026-01-04");
    check("2026-02-13", 2, "2026-02-24");
    check("2026-02-27", 1, "2026-02-28");
    check("2026-04-03", 1, "2026-04-07");
    check("2026-04-30", 4, "2026-05-09");
    check("2026-06-18", 1, "2026-06-22");
    check("2026-09-18", 2, "2026-09-21");
    check("2026-09-24", 1, "2026-09-28");
    check("2026-09-30", 5, "2026-10-13");
}

#[test]
fn single_days_from_the_notices() {
    for (day, working) in [
        ("2025-01-01", false),
        ("2025-10-08", false),
        ("2025-01-26", true),
        ("2026-01-02", false),
        ("2026-01-04", true),
        ("2026-10-08", true),
        ("2026-10-07", false),
        ("2026-11-23", true),
        ("2026-11-22", false),
    ] {
        assert_eq!(cal().is_working_day(d(day)), working, "{day}");
    }
}

#[test]
fn every_holiday_day_is_off_and_every_swapped_day_is_on() {
    for year in &Catalog::embedded().data().calendar {
        for h in &year.holidays {
            for day in h.from.iter_days().take_while(|x| *x <= h.to) {
                assert!(!cal().is_working_day(day), "{} {day}", h.name);
            }
        }
        for day in &year.workdays {
            assert!(cal().is_working_day(*day), "调休 {day}");
        }
    }
}

#[test]
fn both_official_years_are_loaded_and_count_250_or_so_working_days() {
    for year in [2025, 2026] {
        assert!(cal().is_known(d(&format!("{year}-06-01"))));
        let n = cal().working_days_between(
            d(&format!("{}-12-31", year - 1)),
            d(&format!("{year}-12-31")),
        );
        // 2025: 250 working days; 2026: 250. Both notices give 11 holidays' worth.
        assert!((248..=252).contains(&n), "{year}: {n}");
    }
}

#[test]
fn the_start_day_is_not_counted_and_zero_days_is_the_same_day() {
    assert_eq!(
        cal().add_working_days(d("2026-11-23"), 0).unwrap().due,
        d("2026-11-23")
    );
    assert_eq!(
        cal().add_working_days(d("2026-11-23"), 1).unwrap().due,
        d("2026-11-24")
    );
    // Accepted on a Saturday: the first working day after it is Monday.
    assert_eq!(
        cal().add_working_days(d("2026-11-21"), 1).unwrap().due,
        d("2026-11-23")
    );
}

#[test]
fn a_year_without_a_schedule_is_weekends_only_and_an_estimate() {
    let due = cal().add_working_days(d("2026-12-30"), 3).unwrap();
    // 12-31 Thu (1), 2027-01-01 Fri (2, no 元旦 known), 01-04 Mon (3).
    assert_eq!(due.due, d("2027-01-04"));
    assert!(due.estimated);
    let inside = cal().add_working_days(d("2026-12-28"), 3).unwrap();
    assert!(!inside.estimated, "ends 2026-12-31, all known");
    let far = cal().add_working_days(d("2030-03-01"), 10).unwrap();
    assert!(far.estimated);
    assert!(!matches!(far.due.weekday(), Weekday::Sat | Weekday::Sun));
}

/// The 2027 notice (国务院办公厅关于2027年部分节假日安排的通知) is not loaded
/// (see `catalog/calendar/CHECKS.md`), so a limit that runs into 2027 is
/// counted with weekends only and must say it is an estimate (预计).
#[test]
fn twenty_working_days_from_christmas_eve_2026_run_into_2027_as_an_estimate() {
    assert!(!cal().is_known(d("2027-01-01")), "2027 is not loaded");
    let due = cal().add_working_days(d("2026-12-24"), 20).unwrap();
    // 12-25 (1), 12-28..31 (2..5); 2027: 01-01 Fri (6, 元旦 unknown), 01-04..08
    // (7..11), 01-11..15 (12..16), 01-18..21 (17..20).
    assert_eq!(due.due, d("2027-01-21"));
    assert!(
        due.estimated,
        "a 2027 date is only an estimate until 2027 is loaded"
    );
    // The same acceptance with a limit that ends in 2026 is exact.
    let inside = cal().add_working_days(d("2026-12-24"), 5).unwrap();
    assert_eq!(inside.due, d("2026-12-31"));
    assert!(!inside.estimated);
}

#[test]
fn between_and_add_agree() {
    for (from, n) in [
        ("2025-09-30", 5),
        ("2026-02-13", 2),
        ("2026-04-30", 4),
        ("2025-01-24", 3),
    ] {
        let due = cal().add_working_days(d(from), n).unwrap().due;
        assert_eq!(cal().working_days_between(d(from), due), n);
    }
}

#[test]
fn absurd_limits_are_refused_not_looped() {
    assert!(cal().add_working_days(d("2026-01-01"), 1_000_000).is_err());
    assert!(cal().add_working_days(NaiveDate::MAX, 1).is_err());
}

#[test]
fn weekday_sanity_of_the_data() {
    assert_eq!(d("2026-02-14").weekday(), Weekday::Sat);
    assert_eq!(d("2025-01-26").weekday(), Weekday::Sun);
    assert_eq!(d("2026-01-01").year(), 2026);
}
