//! The lint catches each kind of provenance, batch and form-structure mistake:
//! a copy of the real catalog with one thing broken must be named.

use super::super::{Catalog, CatalogData, Event, Material, Scalar, Source, SourceScope, Text};
use super::lint;

fn lint_after(f: impl FnOnce(&mut CatalogData)) -> Vec<String> {
    let mut data = Catalog::embedded().data().clone();
    f(&mut data);
    lint(&data).into_iter().map(|e| e.to_string()).collect()
}

fn event<'d>(data: &'d mut CatalogData, id: &str) -> &'d mut Event {
    data.events.iter_mut().find(|e| e.id == id).unwrap()
}

fn assert_found(errors: &[String], needle: &str) {
    assert!(
        errors.iter().any(|e| e.contains(needle)),
        "expected {needle:?} in {errors:#?}"
    );
}

fn first_material(e: &mut Event) -> &mut Material {
    e.items
        .iter_mut()
        .flat_map(|i| i.materials.iter_mut())
        .next()
        .unwrap()
}

fn source(url: &str, scope: SourceScope, mirror: bool) -> Source {
    Source {
        title: "t".into(),
        issuer: "i".into(),
        doc_number: None,
        date: "2026-01-01".into(),
        url: url.into(),
        scope,
        place: (scope == SourceScope::Local)
            .then(|| Text::new("广东省中山市", "Zhongshan, Guangdong")),
        mirror,
    }
}

#[test]
fn the_lint_catches_a_field_whose_subject_has_no_form_section() {
    let errors = lint_after(|d| {
        event(d, "social-security-card").fields[0].key = "nobody.phone".into();
    });
    assert_found(&errors, "no form section for subject \"nobody\"");
}

#[test]
fn the_lint_catches_a_deferral_without_its_source() {
    let errors = lint_after(|d| {
        let m = first_material(event(d, "newborn"));
        m.deferrable = true;
        m.defer_working_days = Some(5);
        m.defer_source = None;
    });
    assert_found(&errors, "a deferral must cite its source (defer_source)");
}

#[test]
fn the_lint_catches_a_missing_promise_notice() {
    let errors = lint_after(|d| d.notices.retain(|n| n.id != "promise"));
    assert_found(&errors, "no [[notice]] \"promise\"");
}

#[test]
fn the_lint_catches_an_event_whose_batch_is_unknown() {
    let errors = lint_after(|d| event(d, "newborn").batch = Some("2030-9".into()));
    assert_found(&errors, "batch \"2030-9\" is not in batches.toml");
}

/// Placed in one of two lists (`batch_one_of`): as `newborn` would be if no
/// source said which of 2024-1 and 2024-2 it is on.
fn one_of(d: &mut CatalogData, candidates: &[&str], note: Option<&str>) {
    let e = event(d, "newborn");
    e.batch = None;
    e.batch_one_of = candidates.iter().map(|c| c.to_string()).collect();
    e.batch_note = note.map(str::to_owned);
}

#[test]
fn the_lint_catches_an_event_placed_in_one_of_two_lists_without_saying_why() {
    let errors = lint_after(|d| one_of(d, &["2024-1", "2024-2"], None));
    assert_found(
        &errors,
        "events/newborn.toml: batch_one_of without a batch_note",
    );
    let errors = lint_after(|d| one_of(d, &["2024-1", "2024-2"], Some("  ")));
    assert_found(&errors, "batch_one_of without a batch_note");
}

#[test]
fn the_lint_catches_an_event_placed_in_one_of_two_lists_when_a_candidate_is_unknown_or_lacks_it() {
    let errors = lint_after(|d| one_of(d, &["2024-1", "2030-9"], Some("a SCIO count")));
    assert_found(&errors, "batch \"2030-9\" is not in batches.toml");
    let errors = lint_after(|d| one_of(d, &["2024-1", "2024-2"], Some("a SCIO count")));
    assert_found(
        &errors,
        "events/newborn.toml: the event is not listed among batch \"2024-2\"'s items",
    );
    assert!(
        !errors.iter().any(|e| e.contains("batch \"2024-1\"")),
        "2024-1 lists newborn: {errors:#?}"
    );
}

#[test]
fn the_lint_catches_an_event_with_both_one_list_and_candidates_or_with_neither() {
    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        e.batch_one_of = vec!["2024-1".into(), "2024-2".into()];
        e.batch_note = Some("a SCIO count".into());
    });
    assert_found(&errors, "batch and batch_one_of together");
    let errors = lint_after(|d| event(d, "newborn").batch = None);
    assert_found(&errors, "events/newborn.toml: the event names no batch");
    let errors = lint_after(|d| one_of(d, &["2024-1"], Some("a SCIO count")));
    assert_found(&errors, "batch_one_of names a single list");
}

#[test]
fn the_lint_catches_a_batch_without_a_document_number() {
    let errors = lint_after(|d| {
        let b = d.batches.iter_mut().find(|b| b.id == "2024-1").unwrap();
        b.doc_number = None;
        b.doc_number_note = None;
    });
    assert_found(
        &errors,
        "batches.toml: 2024-1: the batch has no document number",
    );
}

#[test]
fn the_lint_catches_a_batch_item_naming_a_missing_event_and_an_unlisted_event() {
    let errors = lint_after(|d| {
        let b = d.batches.iter_mut().find(|b| b.id == "2024-1").unwrap();
        let newborn = b
            .items
            .iter_mut()
            .find(|i| i.event.as_deref() == Some("newborn"))
            .unwrap();
        newborn.event = Some("no-such-event".into());
    });
    assert_found(&errors, "names unknown event \"no-such-event\"");
    assert_found(
        &errors,
        "events/newborn.toml: the event is not listed among batch \"2024-1\"'s items",
    );
}

#[test]
fn the_lint_catches_an_unmarked_mirror_and_passes_a_marked_one() {
    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        e.sources.push(source(
            "https://m.example-repost.com/a.html",
            SourceScope::Local,
            false,
        ));
    });
    assert_found(&errors, "m.example-repost.com is not an official host");

    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        e.sources.push(source(
            "https://m.example-repost.com/a.html",
            SourceScope::Local,
            true,
        ));
    });
    assert!(
        errors.iter().all(|e| !e.contains("example-repost")),
        "{errors:#?}"
    );
}

#[test]
fn the_lint_catches_a_national_rule_cited_to_a_city_page() {
    let errors = lint_after(|d| {
        event(d, "newborn").sources.push(source(
            "http://www.beijing.gov.cn/zhengce/copy.html",
            SourceScope::National,
            false,
        ));
    });
    assert_found(&errors, "a national source on www.beijing.gov.cn");
}

#[test]
fn the_lint_catches_a_local_source_without_its_place() {
    let errors = lint_after(|d| {
        let mut s = source("https://www.zs.gov.cn/a.html", SourceScope::Local, false);
        s.place = None;
        event(d, "newborn").sources.push(s);
    });
    assert_found(&errors, "a local source must name its place");
}

#[test]
fn the_lint_catches_a_question_item_or_material_resting_on_no_source() {
    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        e.default_source = None;
        e.questions[0].source = None;
        e.items[0].source = None;
        for m in e.items.iter_mut().flat_map(|i| i.materials.iter_mut()) {
            m.source = None;
        }
    });
    let q = format!(
        "questions[{}]: cites no source",
        Catalog::embedded().event("newborn").unwrap().questions[0].id
    );
    assert_found(&errors, &q);
    assert_found(&errors, "cites no source: say which source it rests on");
}

#[test]
fn the_lint_catches_a_local_text_that_rests_on_a_national_source() {
    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        let national = e
            .sources
            .iter()
            .position(|s| s.scope == SourceScope::National)
            .unwrap();
        let place = e
            .sources
            .iter()
            .find_map(|s| s.place.clone())
            .expect("newborn cites a local guide");
        let q = &mut e.questions[0];
        q.source = Some(national);
        q.help = Some(Text::new(
            format!("这是{}的做法。", place.zh),
            "That place's rule.",
        ));
    });
    assert_found(&errors, "the text speaks of");
    assert_found(&errors, "but rests on no local source");
}

#[test]
fn the_lint_catches_a_source_index_that_points_nowhere() {
    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        e.questions[0].source = Some(99);
        first_material(e).source = Some(98);
    });
    assert_found(&errors, "source 99 points at no source");
    assert_found(&errors, "source 98 points at no source");
}

#[test]
fn the_lint_catches_a_bad_condition_value_type() {
    // Guards the condition check the provenance pass runs beside.
    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        let id = e.questions[0].id.clone();
        e.items[0].applies_when = Some(super::super::Condition::Equals {
            question: id,
            value: Scalar::Number(3.0),
        });
    });
    assert_found(&errors, "compares with the wrong type");
}

#[test]
fn the_lint_catches_a_time_limit_note_without_a_time_limit() {
    let errors = lint_after(|d| {
        let item = &mut event(d, "newborn").items[0];
        item.time_limit_working_days = None;
        item.time_limit_source = None;
        item.time_limit_note = Some(Text::new("可以延长", "May be extended"));
    });
    assert_found(&errors, "time_limit_note without a time limit");
}

#[test]
fn the_lint_catches_a_retired_item_that_is_still_offered_or_replaced_by_nothing() {
    let errors = lint_after(|d| {
        let e = event(d, "newborn");
        let mut r = e.retired_items[0].clone();
        r.item.id = e.items[0].id.clone();
        r.replaced_by = Some("no-such-item".into());
        e.retired_items.push(r);
    });
    assert_found(&errors, "a retired item id is still offered");
    assert_found(&errors, "replaced_by names unknown item \"no-such-item\"");
}

#[test]
fn the_lint_catches_an_agent_rule_without_its_source_and_one_on_a_personal_event() {
    let errors = lint_after(|d| {
        let e = event(d, "elderly-allowance");
        e.agent_source = None;
    });
    assert_found(&errors, "must cite their source (agent_source)");
    let errors = lint_after(|d| {
        let e = event(d, "transport-company");
        e.agent_source = Some(99);
    });
    assert_found(&errors, "agent_source 99 points at no source");
    let errors = lint_after(|d| {
        let e = event(d, "retirement");
        e.accepts_agent = true;
        e.agent_source = Some(0);
    });
    assert_found(&errors, "accepts_agent is for business events");
    let errors = lint_after(|d| event(d, "retirement").agent_source = Some(0));
    assert_found(&errors, "agent_source without");
}

#[test]
fn the_lint_catches_chinese_outside_brackets_in_an_english_text() {
    let errors = lint_after(|d| event(d, "newborn").name.en = "A baby is born 新生儿".into());
    assert_found(&errors, "the English text has Chinese outside brackets");
    let fine = lint_after(|d| event(d, "newborn").name.en = "A baby is born (新生儿出生)".into());
    assert!(fine.is_empty(), "{fine:#?}");
}

#[test]
fn the_lint_catches_an_english_word_in_a_chinese_text_but_not_a_placeholder_or_a_code() {
    let errors = lint_after(|d| event(d, "newborn").summary.zh = "宝宝出生 apply online".into());
    assert_found(&errors, "the Chinese text has an English word (apply)");
    let fine =
        lint_after(|d| event(d, "newborn").summary.zh = "上传PDF，不超过10MB，{item}".into());
    assert!(fine.is_empty(), "{fine:#?}");
}
