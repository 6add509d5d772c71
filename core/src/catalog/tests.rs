//! The embedded catalog passes its own lint, and the lint catches each kind
//! of broken reference (so a data mistake fails the build, not a resident).

use super::*;

#[test]
fn the_embedded_catalog_passes_the_lint() {
    let catalog = Catalog::embedded();
    let errors = lint(catalog.data());
    assert!(
        errors.is_empty(),
        "catalog lint found {} problem(s):\n{}",
        errors.len(),
        errors
            .iter()
            .map(|e| format!("  - {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_walking_skeleton_event_is_present() {
    let event = Catalog::embedded()
        .event("social-security-card")
        .expect("社会保障卡居民服务 is in the catalog");
    let item = event.item("ssc-apply").expect("社会保障卡申领");
    assert_eq!(item.department, "hrss");
    assert!(event.field("applicant.phone").is_some());
}

#[test]
fn the_version_is_stable_for_the_same_data() {
    let a = Catalog::embedded().version().to_owned();
    assert_eq!(a.len(), 16);
    assert_eq!(a, Catalog::embedded().version());
}

/// A copy of the real catalog with one thing broken by `f`; the lint must name it.
fn lint_after(f: impl FnOnce(&mut CatalogData)) -> Vec<String> {
    let mut data = Catalog::embedded().data().clone();
    f(&mut data);
    lint(&data).into_iter().map(|e| e.to_string()).collect()
}

fn ssc(data: &mut CatalogData) -> &mut Event {
    data.events
        .iter_mut()
        .find(|e| e.id == "social-security-card")
        .unwrap()
}

fn assert_found(errors: &[String], needle: &str) {
    assert!(
        errors.iter().any(|e| e.contains(needle)),
        "expected {needle:?} in {errors:#?}"
    );
}

#[test]
fn the_lint_catches_a_condition_naming_a_missing_question() {
    let errors = lint_after(|d| {
        ssc(d).items[0].applies_when = Some(Condition::Equals {
            question: "no-such-question".into(),
            value: Scalar::Bool(true),
        })
    });
    assert_found(
        &errors,
        "condition names unknown question \"no-such-question\"",
    );
}

#[test]
fn the_lint_catches_a_field_no_item_needs_and_an_unknown_item() {
    let errors = lint_after(|d| {
        let e = ssc(d);
        e.fields[0].items.clear();
        e.fields[1].items = vec!["no-such-item".into()];
    });
    assert_found(&errors, "the field is needed by no item");
    assert_found(&errors, "names unknown item \"no-such-item\"");
}

#[test]
fn the_lint_catches_an_unknown_certificate_department_and_prefill() {
    let errors = lint_after(|d| {
        let e = ssc(d);
        e.items[0].materials[0].waived_by = Some("no-such-cert".into());
        e.items[0].department = "no-such-dept".into();
        e.fields[0].prefill = Some("ecert:no-such-cert.name".into());
    });
    assert_found(
        &errors,
        "waived_by names unknown e-certificate \"no-such-cert\"",
    );
    assert_found(&errors, "names unknown department \"no-such-dept\"");
    assert_found(&errors, "prefill names unknown e-certificate");
}

#[test]
fn the_lint_catches_an_event_without_sources_and_an_unsourced_time_limit() {
    let errors = lint_after(|d| {
        let e = ssc(d);
        e.items[0].time_limit_source = None;
        e.sources.clear();
    });
    assert_found(&errors, "the event cites no sources");
    assert_found(&errors, "a time limit must cite its source");
}

#[test]
fn the_lint_catches_a_question_that_depends_on_a_later_one_and_a_bad_option() {
    let errors = lint_after(|d| {
        let e = ssc(d);
        e.questions[0].ask_when = Some(Condition::Equals {
            question: e.questions[1].id.clone(),
            value: Scalar::Bool(true),
        });
        e.questions[1].ask_when = Some(Condition::Equals {
            question: e.questions[0].id.clone(),
            value: Scalar::Text("maybe".into()),
        });
    });
    assert_found(&errors, "ask_when may only depend on earlier questions");
    assert_found(&errors, "compares with the wrong type");
}

#[test]
fn the_lint_catches_a_swapped_workday_that_is_not_a_weekend() {
    let errors = lint_after(|d| {
        let y = d.calendar.iter_mut().find(|y| y.year == 2026).unwrap();
        y.workdays
            .push(chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
    });
    assert_found(&errors, "swapped workday 2026-03-04 is not a weekend day");
}

#[test]
fn the_home_page_order_names_only_catalog_events_each_once() {
    let catalog = Catalog::embedded();
    let mut seen = std::collections::HashSet::new();
    for id in super::POPULAR {
        assert!(
            catalog.event(id).is_some(),
            "home.toml names unknown event {id}"
        );
        assert!(seen.insert(id), "home.toml names {id} twice");
    }
    assert!(super::ELDER_COUNT <= super::POPULAR.len());
}
