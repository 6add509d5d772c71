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

#[test]
fn the_catalog_carries_a_human_version_and_date() {
    let info = Catalog::embedded().version_info();
    assert!(
        info.version.split('.').count() == 3,
        "version {:?} is YYYY.MM.N",
        info.version
    );
    let text = info.updated_text();
    assert!(text.zh.starts_with("办事指南更新于 "), "{}", text.zh);
    assert!(text.zh.contains(&info.version));
    assert!(text.en.contains(&info.version));
}

#[test]
fn every_event_names_its_batch_label_and_document() {
    let c = Catalog::embedded();
    for e in c.events() {
        for id in e.batch_ids() {
            let b = c.batch(id).expect("lint: batch exists");
            assert!(!b.label.zh.is_empty());
        }
        assert!(c.event_batch_label(e).is_some(), "{}", e.id);
        assert!(c.event_batch_citation(e).is_some(), "{}", e.id);
    }
    let first = c.batch("2024-1").unwrap();
    assert_eq!(first.label.zh, "2024年第一批");
    assert_eq!(first.doc_number.as_deref(), Some("国发〔2024〕3号"));
}

#[test]
fn a_rule_from_a_local_guide_says_whose_rule_it_is() {
    let newborn = Catalog::embedded().event("newborn").unwrap();
    let q = newborn.question("born-in-hospital").unwrap();
    let note = newborn
        .locality_note(q.source)
        .expect("a local rule has a note");
    assert!(note.zh.starts_with("以广东省中山市为例"), "{}", note.zh);
    assert!(note.zh.ends_with("以当地为准"), "{}", note.zh);
    assert!(
        note.en.starts_with("Zhongshan, Guangdong's rule"),
        "{}",
        note.en
    );
}

#[test]
fn a_national_rule_has_no_locality_note_and_an_unsourced_one_a_general_one() {
    let c = Catalog::embedded();
    let childcare = c.event("childcare-subsidy").unwrap();
    let item = childcare.item("childcare-subsidy").unwrap();
    assert_eq!(childcare.locality_note(item.time_limit_source), None);

    let mut bare = childcare.clone();
    bare.default_source = None;
    let note = bare.locality_note(None).unwrap();
    assert_eq!(note.zh, "各地规定可能不同，以当地为准");
}

/// `core/catalog/README.md`'s two tables say what the data says: each batch
/// item with its event, and each mirror source. On failure, the missing rows.
#[test]
fn the_readme_lists_every_batch_item_and_every_mirror() {
    const README: &str = include_str!("../../catalog/README.md");
    let section = |title: &str| -> Vec<&str> {
        README
            .split("\n## ")
            .find(|s| s.starts_with(title))
            .unwrap_or("")
            .lines()
            .filter(|l| {
                l.starts_with("| ") && !l.starts_with("| batch") && !l.starts_with("| where")
            })
            .collect()
    };
    let c = Catalog::embedded();
    let batch_rows = section("Batches");
    let mut missing = Vec::new();
    for b in c.batches() {
        for item in &b.items {
            let event = item.event.as_deref().map(|e| format!("`{e}`"));
            let found = batch_rows.iter().any(|row| {
                row.contains(&format!("({})", b.id))
                    && row.contains(&format!("| {} |", item.name))
                    && event.as_ref().is_none_or(|e| row.contains(e.as_str()))
            });
            if !found {
                missing.push(format!("batch {}: {} → {:?}", b.id, item.name, item.event));
            }
        }
    }
    let mirror_rows = section("Mirrors");
    let mut mirrors: Vec<&str> = c
        .batches()
        .iter()
        .filter(|b| b.mirror)
        .map(|b| b.url.as_str())
        .collect();
    for e in c.events() {
        mirrors.extend(
            e.sources
                .iter()
                .filter(|s| s.mirror)
                .map(|s| s.url.as_str()),
        );
    }
    for url in &mirrors {
        if !mirror_rows
            .iter()
            .any(|row| row.contains(&format!("<{url}>")))
        {
            missing.push(format!("mirror {url}"));
        }
    }
    assert!(
        missing.is_empty(),
        "core/catalog/README.md lacks:\n{}",
        missing.join("\n")
    );
    assert_eq!(
        mirror_rows.len(),
        mirrors.len(),
        "the README lists a mirror the data no longer has"
    );
}

/// An event placed in one of two lists shows the span of their years, never
/// one list it may not be on; its page names both lists and says which is unknown.
#[test]
fn an_event_on_one_of_two_lists_is_labelled_with_their_years_and_cited_with_both() {
    let c = Catalog::embedded();
    let mut e = c.event("newborn").unwrap().clone();
    e.batch = None;
    e.batch_one_of = vec!["2024-2".into(), "2025-1".into()];
    e.batch_note = Some("a SCIO count".into());
    let label = c.event_batch_label(&e).unwrap();
    assert_eq!(label.zh, "国家重点事项（2024—2025年）");
    assert_eq!(label.en, "National key item (2024–2025)");
    let cited = c.event_batch_citation(&e).unwrap();
    assert!(
        cited.zh.contains("2024年新一批或2025年第一批"),
        "{}",
        cited.zh
    );
    assert!(
        cited.zh.contains("国办函〔2024〕53号或国办函〔2025〕3号"),
        "{}",
        cited.zh
    );
    assert!(cited.zh.ends_with("具体哪一批尚未查明"), "{}", cited.zh);
    assert!(cited.en.contains("not yet known"), "{}", cited.en);

    e.batch_one_of = vec!["2025-1".into(), "2025-2".into()];
    assert_eq!(
        c.event_batch_label(&e).unwrap().zh,
        "国家重点事项（2025年）"
    );
    e.batch_one_of = vec!["2025-1".into(), "2030-9".into()];
    assert_eq!(c.event_batch_label(&e), None, "an unknown list: no label");
}
