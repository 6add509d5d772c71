//! The guide engine on a small synthetic event (exact expectations) and, with
//! proptest, on every real catalog event (invariants).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::catalog::{Catalog, Event};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn profile() -> Profile {
    Profile::new(today())
}

fn event() -> Event {
    serde_json::from_value(serde_json::json!({
        "id": "test", "audience": "personal", "batch": "2024-1",
        "name": {"zh": "测试", "en": "Test"}, "summary": {"zh": "测试", "en": "Test"},
        "sources": [{"title": "t", "issuer": "i", "date": "2024-01-16", "url": "https://example.org", "scope": "national"}],
        "questions": [
            {"id": "married", "kind": "yes_no", "text": {"zh": "已婚？", "en": "Married?"}},
            {"id": "hukou", "kind": "single", "text": {"zh": "随谁落户？", "en": "Whose hukou?"},
             "ask_when": {"equals": {"question": "married", "value": true}},
             "options": [{"value": "father", "text": {"zh": "父", "en": "Father"}},
                         {"value": "mother", "text": {"zh": "母", "en": "Mother"}}]},
            {"id": "birth", "kind": "date", "not_future": true, "text": {"zh": "出生日期", "en": "Birth date"}},
            {"id": "cover", "kind": "multiple", "text": {"zh": "参保", "en": "Cover"},
             "options": [{"value": "resident", "text": {"zh": "居民", "en": "Resident"}},
                         {"value": "employee", "text": {"zh": "职工", "en": "Employee"}}]}
        ],
        "items": [
            {"id": "always", "name": {"zh": "总是", "en": "Always"}, "department": "hrss",
             "time_limit_working_days": 5, "fee": {"zh": "免费", "en": "Free"}, "delivery": ["electronic"],
             "materials": [{"id": "idcard", "name": {"zh": "身份证", "en": "ID"}, "waived_by": "resident-id-card"},
                           {"id": "photo", "name": {"zh": "照片", "en": "Photo"}, "deferrable": true,
                            "required_when": {"includes": {"question": "cover", "value": "employee"}}}]},
            {"id": "father-hukou", "name": {"zh": "随父", "en": "Father's"}, "department": "police",
             "applies_when": {"in": {"question": "hukou", "values": ["father"]}},
             "time_limit_working_days": 1, "fee": {"zh": "免费", "en": "Free"}, "delivery": ["pickup"]},
            {"id": "school", "name": {"zh": "入学", "en": "School"}, "department": "education",
             "applies_when": {"age": {"question": "birth", "min_years": 6, "max_years": 15}},
             "time_limit_working_days": 10, "fee": {"zh": "免费", "en": "Free"}, "delivery": ["electronic"]}
        ],
        "fields": [
            {"key": "applicant.phone", "label": {"zh": "手机", "en": "Mobile"}, "kind": "mobile", "items": ["always"]},
            {"key": "father.id_number", "label": {"zh": "父亲身份证号", "en": "Father's ID"}, "kind": "id_number", "items": ["father-hukou"]},
            {"key": "school.name", "label": {"zh": "学校", "en": "School"}, "kind": "text", "items": ["school"]}
        ]
    }))
    .unwrap()
}

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn ids<'a>(items: &[ApplicableItem<'a>]) -> Vec<&'a str> {
    items.iter().map(|a| a.item.id.as_str()).collect()
}

#[test]
fn the_first_question_is_asked_first_and_conditional_ones_are_skipped() {
    let e = event();
    let o = evaluate(&e, &Answers::new(), &profile());
    assert_eq!(o.next_question.unwrap().id, "married");
    let o = evaluate(
        &e,
        &answers(&[("married", Answer::Bool(false))]),
        &profile(),
    );
    assert_eq!(
        o.next_question.unwrap().id,
        "birth",
        "hukou is skipped when not married"
    );
    let o = evaluate(&e, &answers(&[("married", Answer::Bool(true))]), &profile());
    assert_eq!(o.next_question.unwrap().id, "hukou");
}

#[test]
fn items_apply_with_the_answer_that_made_them_apply() {
    let e = event();
    let a = answers(&[
        ("married", Answer::Bool(true)),
        ("hukou", Answer::Text("father".into())),
        ("birth", Answer::Text("2019-05-01".into())),
        ("cover", Answer::Choices(vec![])),
    ]);
    let o = evaluate(&e, &a, &profile());
    assert!(o.is_complete());
    assert_eq!(ids(&o.items), ["always", "father-hukou", "school"]);
    let because = &o.items[1].because;
    assert_eq!(because.len(), 1);
    assert_eq!(because[0].0.id, "hukou");
    assert_eq!(because[0].1, Answer::Text("father".into()));
    assert!(
        o.items[0].because.is_empty(),
        "an unconditional item has no reason"
    );
    let keys: Vec<_> = o.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["applicant.phone", "father.id_number", "school.name"]);
}

#[test]
fn age_conditions_use_full_years_on_the_day() {
    let e = event();
    let birth = |d: &str| {
        answers(&[
            ("married", Answer::Bool(false)),
            ("birth", Answer::Text(d.into())),
        ])
    };
    // Six on 2026-11-22 exactly: applies. One day short: does not.
    assert!(ids(&evaluate(&e, &birth("2020-11-22"), &profile()).items).contains(&"school"));
    assert!(!ids(&evaluate(&e, &birth("2020-11-23"), &profile()).items).contains(&"school"));
    assert!(
        !ids(&evaluate(&e, &birth("2010-11-21"), &profile()).items).contains(&"school"),
        "16"
    );
}

#[test]
fn materials_are_waived_by_held_ecerts_and_required_by_conditions() {
    let e = event();
    let mut p = profile();
    let a = answers(&[
        ("married", Answer::Bool(false)),
        ("cover", Answer::Choices(vec!["employee".into()])),
    ]);
    let o = evaluate(&e, &a, &p);
    let m: Vec<_> = o
        .materials
        .iter()
        .map(|m| (m.material.id.as_str(), m.waived, m.deferrable))
        .collect();
    assert_eq!(m, [("idcard", false, false), ("photo", false, true)]);
    p.ecerts.insert("resident-id-card".into());
    let o = evaluate(&e, &answers(&[("married", Answer::Bool(false))]), &p);
    let m: Vec<_> = o
        .materials
        .iter()
        .map(|m| (m.material.id.as_str(), m.waived))
        .collect();
    assert_eq!(
        m,
        [("idcard", true)],
        "photo not required without employee cover"
    );
}

#[test]
fn changing_an_earlier_answer_drops_what_no_longer_applies_and_says_so() {
    let e = event();
    let before = answers(&[
        ("married", Answer::Bool(true)),
        ("hukou", Answer::Text("father".into())),
        ("birth", Answer::Text("2019-05-01".into())),
    ]);
    let values: FieldValues = [
        ("applicant.phone".to_string(), "13800138000".to_string()),
        (
            "father.id_number".to_string(),
            "110101199003074514".to_string(),
        ),
    ]
    .into();
    let mut after = before.clone();
    after.insert("married".into(), Answer::Bool(false));
    let p = prune(&e, &after, &values, &profile());
    assert_eq!(p.dropped_answers, ["hukou"]);
    assert_eq!(p.dropped_fields, ["father.id_number"]);
    assert!(p.values.contains_key("applicant.phone"));
    assert!(!p.answers.contains_key("hukou"));
}

#[test]
fn malformed_and_unknown_answers_are_ignored_and_dropped() {
    let e = event();
    let a = answers(&[
        ("married", Answer::Text("maybe".into())),
        ("nope", Answer::Bool(true)),
        ("birth", Answer::Text("2099-01-01".into())),
    ]);
    let o = evaluate(&e, &a, &profile());
    assert_eq!(o.next_question.unwrap().id, "married");
    let p = prune(&e, &a, &FieldValues::new(), &profile());
    assert_eq!(p.dropped_answers, ["birth", "married", "nope"]);
}

#[test]
fn check_answer_explains_in_both_languages() {
    let e = event();
    let err = check_answer(
        e.question("birth").unwrap(),
        &Answer::Text("2030-01-01".into()),
        today(),
    )
    .unwrap_err();
    assert!(err.zh.contains("不能晚于今天") && err.en.contains("future"));
    let err = check_answer(
        e.question("hukou").unwrap(),
        &Answer::Text("uncle".into()),
        today(),
    )
    .unwrap_err();
    assert!(err.zh.contains("选项"));
}

/// Deterministic answers for an event from random bytes: sometimes valid,
/// sometimes wrong-typed, sometimes missing.
fn answers_from(event: &Event, bytes: &[u8]) -> Answers {
    let mut out = Answers::new();
    for (i, q) in event.questions.iter().enumerate() {
        let b = bytes[i % bytes.len()];
        if b.is_multiple_of(7) {
            continue;
        }
        let pick = |n: usize| (b as usize / 7) % n.max(1);
        let a = match (q.kind, b % 11) {
            (_, 10) => Answer::Number(f64::from(b)), // sometimes the wrong type
            (crate::catalog::QuestionKind::YesNo, _) => Answer::Bool(b.is_multiple_of(2)),
            (crate::catalog::QuestionKind::Single, _) => {
                Answer::Text(q.options[pick(q.options.len())].value.clone())
            }
            (crate::catalog::QuestionKind::Multiple, _) => Answer::Choices(
                q.options
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (b >> j) & 1 == 1)
                    .map(|(_, o)| o.value.clone())
                    .collect(),
            ),
            (crate::catalog::QuestionKind::Date, _) => {
                let d = today() - chrono::Days::new(u64::from(b) * 40);
                Answer::Text(d.format("%Y-%m-%d").to_string())
            }
            (crate::catalog::QuestionKind::Number, _) => Answer::Number(f64::from(b % 12)),
        };
        out.insert(q.id.clone(), a);
    }
    out
}

/// Next question, items, fields, (item, material) pairs: what a resident sees.
type Seen = (
    Option<String>,
    Vec<String>,
    Vec<String>,
    Vec<(String, String)>,
);

fn summary(o: &Outcome) -> Seen {
    (
        o.next_question.map(|q| q.id.clone()),
        o.items.iter().map(|a| a.item.id.clone()).collect(),
        o.fields.iter().map(|f| f.key.clone()).collect(),
        o.materials
            .iter()
            .map(|m| (m.item.id.clone(), m.material.id.clone()))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_field_belongs_to_an_applicable_item(ev in 0usize..64, bytes in proptest::collection::vec(any::<u8>(), 1..48)) {
        let events = Catalog::embedded().events();
        let e = &events[ev % events.len()];
        let o = evaluate(e, &answers_from(e, &bytes), &profile());
        let applicable: BTreeSet<&str> = o.items.iter().map(|a| a.item.id.as_str()).collect();
        for f in &o.fields {
            prop_assert!(f.items.iter().any(|i| applicable.contains(i.as_str())), "{} in {}", f.key, e.id);
        }
        for m in &o.materials {
            prop_assert!(applicable.contains(m.item.id.as_str()));
        }
        for a in &o.items {
            for (q, _) in &a.because {
                prop_assert!(o.questions.iter().any(|x| x.id == q.id), "a reason is an asked question");
            }
        }
    }

    #[test]
    fn pruning_is_idempotent_and_changes_no_outcome(ev in 0usize..64, bytes in proptest::collection::vec(any::<u8>(), 1..48)) {
        let events = Catalog::embedded().events();
        let e = &events[ev % events.len()];
        let a = answers_from(e, &bytes);
        let values: FieldValues = e.fields.iter().map(|f| (f.key.clone(), "x".to_string())).collect();
        let p1 = prune(e, &a, &values, &profile());
        let p2 = prune(e, &p1.answers, &p1.values, &profile());
        prop_assert_eq!(&p1.answers, &p2.answers);
        prop_assert_eq!(&p1.values, &p2.values);
        prop_assert!(p2.dropped_answers.is_empty() && p2.dropped_fields.is_empty());
        prop_assert_eq!(summary(&evaluate(e, &a, &profile())), summary(&evaluate(e, &p1.answers, &profile())));
    }

    #[test]
    fn answering_one_question_at_a_time_in_any_order_reaches_the_same_result(
        ev in 0usize..64, bytes in proptest::collection::vec(any::<u8>(), 1..48), order in any::<u64>()
    ) {
        let events = Catalog::embedded().events();
        let e = &events[ev % events.len()];
        let all = answers_from(e, &bytes);
        // Follow the guide page by page, as a resident would.
        let mut stepwise = Answers::new();
        while let Some(q) = evaluate(e, &stepwise, &profile()).next_question {
            match all.get(&q.id).filter(|a| check_answer(q, a, today()).is_ok()) {
                Some(a) => { stepwise.insert(q.id.clone(), a.clone()); }
                None => break,
            }
        }
        // Give the same answers in a shuffled order.
        let mut keys: Vec<_> = stepwise.keys().cloned().collect();
        let n = keys.len().max(1);
        keys.rotate_left((order as usize) % n);
        if order % 2 == 1 { keys.reverse(); }
        let mut shuffled = Answers::new();
        for k in keys { shuffled.insert(k.clone(), stepwise[&k].clone()); }
        prop_assert_eq!(summary(&evaluate(e, &stepwise, &profile())), summary(&evaluate(e, &shuffled, &profile())));
    }
}
