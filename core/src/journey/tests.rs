use chrono::NaiveDate;

use super::*;
use crate::catalog::Catalog;
use crate::guide::{evaluate, Answer, Answers, Profile};

fn today() -> Profile {
    Profile::new(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
}

fn newborn(answers: &[(&str, Answer)]) -> (Vec<Step>, Answers) {
    let catalog = Catalog::embedded();
    let event = catalog.event("newborn").unwrap();
    let answers: Answers = answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let outcome = evaluate(event, &answers, &today());
    (steps(&outcome, &catalog.data().sections), answers)
}

fn all_answered() -> Vec<(&'static str, Answer)> {
    vec![
        ("born-in-hospital", Answer::Bool(true)),
        ("parents-married", Answer::Bool(true)),
        ("register-with", Answer::Text("father".into())),
        ("parents-same-ethnicity", Answer::Bool(true)),
    ]
}

#[test]
fn an_unanswered_question_is_the_last_step_until_it_is_answered() {
    let (steps, _) = newborn(&[("born-in-hospital", Answer::Bool(true))]);
    assert_eq!(
        steps,
        vec![
            Step::Question("born-in-hospital".into()),
            Step::Question("parents-married".into()),
        ]
    );
}

#[test]
fn a_complete_guide_walks_result_materials_each_form_section_and_check() {
    let (steps, _) = newborn(&all_answered());
    let tail: Vec<&Step> = steps.iter().skip(4).collect();
    assert_eq!(tail[0], &Step::Result);
    assert_eq!(tail[1], &Step::Materials);
    assert_eq!(tail.last().unwrap(), &&Step::Check);
    let sections: Vec<&str> = tail
        .iter()
        .filter_map(|s| match s {
            Step::Section(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    // sections.toml order: applicant, child, mother, father, …, household, home
    assert_eq!(
        sections,
        vec!["applicant", "child", "mother", "father", "household"]
    );
}

#[test]
fn next_and_previous_move_one_step() {
    let (steps, _) = newborn(&all_answered());
    assert_eq!(next(&steps, &Step::Result), Some(Step::Materials));
    assert_eq!(previous(&steps, &Step::Materials), Some(Step::Result));
    assert_eq!(
        previous(&steps, &Step::Result),
        Some(Step::Question("parents-same-ethnicity".into()))
    );
    assert_eq!(previous(&steps, &steps[0]), None);
    assert_eq!(next(&steps, &Step::Check), None);
    assert_eq!(next(&steps, &Step::Section("nobody".into())), None);
}

#[test]
fn resume_lands_on_the_first_unanswered_question_or_the_last_step_if_it_still_exists() {
    let catalog = Catalog::embedded();
    let event = catalog.event("newborn").unwrap();
    let partial: Answers = [("born-in-hospital".to_string(), Answer::Bool(true))].into();
    let outcome = evaluate(event, &partial, &today());
    let s = steps(&outcome, &catalog.data().sections);
    assert_eq!(
        resume(&s, &outcome, Some(&Step::Check)),
        Step::Question("parents-married".into())
    );
    let (_, answers) = newborn(&all_answered());
    let outcome = evaluate(event, &answers, &today());
    let s = steps(&outcome, &catalog.data().sections);
    assert_eq!(
        resume(&s, &outcome, Some(&Step::Section("child".into()))),
        Step::Section("child".into())
    );
    assert_eq!(
        resume(&s, &outcome, Some(&Step::Section("deceased".into()))),
        Step::Result
    );
}

#[test]
fn a_material_needed_by_several_items_is_provided_once_and_serves_each() {
    let catalog = Catalog::embedded();
    let event = catalog.event("newborn").unwrap();
    let (_, answers) = newborn(&all_answered());
    let outcome = evaluate(event, &answers, &today());
    let needs = materials(&outcome);
    let birth = needs.iter().find(|m| m.id() == "birth-cert").unwrap();
    let items: Vec<&str> = birth.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(items, vec!["hukou", "resident-insurance", "ssc-apply"]);
    assert_eq!(birth.waived_by, Some("birth-medical-certificate"));
    let ids: Vec<&str> = needs.iter().map(|m| m.id()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "one entry per material: {ids:?}");
}

#[test]
fn a_shared_material_allows_only_what_every_item_allows() {
    use crate::catalog::Material;
    let catalog = Catalog::embedded();
    let event = catalog.event("newborn").unwrap();
    let (_, answers) = newborn(&all_answered());
    let mut outcome = evaluate(event, &answers, &today());
    // Two definitions of one document: one item accepts a promise and a
    // deferral, the other neither.
    let lenient: &'static Material = Box::leak(Box::new(Material {
        promise: true,
        deferrable: true,
        defer_working_days: Some(5),
        ..outcome.materials[0].material.clone()
    }));
    let strict: &'static Material = Box::leak(Box::new(Material {
        promise: false,
        deferrable: false,
        defer_working_days: None,
        ..outcome.materials[0].material.clone()
    }));
    outcome.materials[0].material = lenient;
    let mut second = outcome.materials[0].clone();
    second.item = outcome.items.last().unwrap().item;
    second.material = strict;
    outcome.materials.insert(1, second);
    let last = outcome.items.last().unwrap().item;
    let need = &materials(&outcome)[0];
    assert!(need.items.contains(&last), "{:?}", need.items);
    assert!(!need.promise && !need.deferrable);
}
