//! The facts the catalog review corrected stay corrected: each test reads the
//! embedded catalog the way the app does (the guide over answers), so a data
//! edit that brings an old mistake back fails here.

use chrono::NaiveDate;

use super::{Catalog, Event};
use crate::guide::{evaluate, Answer, Answers, Profile};

fn event(id: &str) -> &'static Event {
    Catalog::embedded().event(id).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn applying(event: &Event, answers: &[(&str, Answer)]) -> Vec<String> {
    let answers: Answers = answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    evaluate(event, &answers, &Profile::new(today()))
        .items
        .iter()
        .map(|a| a.item.id.clone())
        .collect()
}

#[test]
fn the_newborn_bundle_ends_with_childbirth_medical_costs_not_the_maternity_allowance() {
    let e = event("newborn");
    assert_eq!(e.items.len(), 9, "中山's bundle has nine items");
    let last = e.item("maternity-medical-costs").unwrap();
    assert_eq!(last.name.zh, "生育医疗费用报销");
    assert!(e.items.iter().all(|i| !i.name.zh.contains("生育津贴")));
}

#[test]
fn the_vaccination_certificate_comes_from_the_hospital_of_birth_and_says_whose_rule_that_is() {
    let e = event("newborn");
    let item = e.item("vaccination-cert").unwrap();
    assert_eq!(item.department, "maternity-hospital");
    let note = e.locality_note(item.source).unwrap();
    assert!(note.zh.contains("兰州"), "{}", note.zh);
}

#[test]
fn the_national_nursing_subsidy_needs_grade_1_or_2_and_long_term_care() {
    let e = event("disability");
    let base = [
        ("has-cert", Answer::Bool(true)),
        ("cert-need", Answer::Text("none".into())),
        ("on-dibao", Answer::Bool(false)),
    ];
    let with = |extra: &[(&str, Answer)]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        applying(e, &a)
    };
    let no_care = with(&[
        ("severe", Answer::Bool(true)),
        ("long-term-care", Answer::Bool(false)),
    ]);
    assert!(!no_care.contains(&"nursing-subsidy".to_string()));
    let care = with(&[
        ("severe", Answer::Bool(true)),
        ("long-term-care", Answer::Bool(true)),
    ]);
    assert!(care.contains(&"nursing-subsidy".to_string()));
}

#[test]
fn grade_3_or_4_intellectual_or_mental_disability_is_a_local_extension_and_says_so() {
    let e = event("disability");
    let items = applying(
        e,
        &[
            ("has-cert", Answer::Bool(true)),
            ("cert-need", Answer::Text("none".into())),
            ("on-dibao", Answer::Bool(false)),
            ("severe", Answer::Bool(false)),
            ("grade-3-4-intellectual-mental", Answer::Bool(true)),
        ],
    );
    assert!(items.contains(&"nursing-subsidy".to_string()));
    let q = e.question("grade-3-4-intellectual-mental").unwrap();
    let note = e
        .locality_note(q.source)
        .expect("a local extension is marked");
    assert!(note.zh.contains("石棉县"), "{}", note.zh);
    let national = e.question("severe").unwrap();
    assert_eq!(e.locality_note(national.source), None);
}

#[test]
fn the_residence_permit_limit_says_it_can_be_extended_locally() {
    let item = event("school-entry").item("residence-permit").unwrap();
    assert_eq!(item.time_limit_working_days, Some(15));
    let note = item
        .time_limit_note
        .as_ref()
        .expect("the extension is told");
    assert!(note.zh.contains("30日"), "{}", note.zh);
}

#[test]
fn a_child_who_turned_3_this_year_is_still_owed_the_months_before_the_birthday() {
    let e = event("childcare-subsidy");
    let turned_3_in_2026 = applying(
        e,
        &[
            ("child-birth-date", Answer::Text("2023-06-01".into())),
            ("turned-3-this-year", Answer::Bool(true)),
            ("has-hukou", Answer::Bool(true)),
        ],
    );
    assert_eq!(turned_3_in_2026, ["childcare-subsidy"]);
    let four = applying(
        e,
        &[
            ("child-birth-date", Answer::Text("2022-06-01".into())),
            ("has-hukou", Answer::Bool(true)),
        ],
    );
    assert!(four.is_empty(), "{four:?}");
}

#[test]
fn no_time_limit_rests_on_an_average_or_a_single_reported_case() {
    for id in ["utility-connection", "bankruptcy-check"] {
        for item in &event(id).items {
            assert_eq!(item.time_limit_working_days, None, "{id}/{}", item.id);
        }
    }
}
