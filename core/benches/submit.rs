//! What one submission costs the edge in CPU, measured natively on the same
//! core logic the Worker runs (workerd hides timers from the Worker itself):
//! `check_submission` for the largest event, a whole merged form through
//! `validate_form`, and the working-day calendar over a year.
//! Figures go into BENCHMARKS.md; run with `cargo xtask bench`.
//! Goal: check_submission ≤ 2 ms median (Workers' free plan allows 10 ms CPU).

use std::hint::black_box;

use banshi_core::api::SubmitApplication;
use banshi_core::application::check_submission;
use banshi_core::catalog::{Catalog, Event, Field, FieldKind, QuestionKind};
use banshi_core::guide::{evaluate, Answer, Answers, FieldValues, Profile};
use banshi_core::validate::validate_form;
use chrono::{Datelike, Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// Walk the guide as a resident would: answer the next question (yes, its
/// first option, a date six years back, its minimum) until none is left.
fn complete_answers(event: &Event, profile: &Profile) -> Answers {
    let mut answers = Answers::new();
    while let Some(q) = evaluate(event, &answers, profile).next_question {
        let a = match q.kind {
            QuestionKind::YesNo => Answer::Bool(true),
            QuestionKind::Single => Answer::Text(q.options[0].value.clone()),
            QuestionKind::Multiple => Answer::Choices(vec![q.options[0].value.clone()]),
            QuestionKind::Date => Answer::Text("2020-09-01".into()),
            QuestionKind::Number => Answer::Number(q.min.unwrap_or(1.0)),
        };
        answers.insert(q.id.clone(), a);
    }
    answers
}

/// A value each validator accepts (numbers with valid check characters).
fn valid_value(f: &Field) -> String {
    match f.kind {
        FieldKind::Name => "张伟".into(),
        FieldKind::IdNumber => "11010519491231002X".into(),
        FieldKind::CreditCode => "91350100M000100Y43".into(),
        FieldKind::Mobile => "13800138000".into(),
        FieldKind::BankCard => "6222021234567890128".into(),
        FieldKind::Number => "1".into(),
        FieldKind::Choice => f.options[0].value.clone(),
        FieldKind::Text | FieldKind::Address => "广东省中山市石岐街道孙文中路1号".into(),
        FieldKind::Date => {
            let years = f
                .min_age_years
                .unwrap_or(0)
                .max(f.max_age_years.map_or(0, |m| m.min(1)));
            let d = today() - Duration::days(30);
            d.with_year(d.year() - years as i32)
                .unwrap_or(d)
                .to_string()
        }
    }
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let largest = catalog
        .events()
        .iter()
        .max_by_key(|e| e.questions.len() + e.items.len() * 2 + e.fields.len())
        .expect("the catalog has events");
    let mut profile = Profile::new(today());
    profile.ecerts.insert("resident-id-card".into());
    let answers = complete_answers(largest, &profile);
    let outcome = evaluate(largest, &answers, &profile);
    let fields: FieldValues = outcome
        .fields
        .iter()
        .map(|f| (f.key.clone(), valid_value(f)))
        .collect();
    // Through JSON, as the edge receives it: every material the outcome
    // needs provided as an upload (one page each); a core without material
    // provisions ignores the key.
    let materials: serde_json::Map<String, serde_json::Value> = outcome
        .materials
        .iter()
        .map(|m| {
            let upload = serde_json::json!({ "kind": "upload", "attachments": [format!("bench-{}", m.material.id)] });
            (m.material.id.clone(), upload)
        })
        .collect();
    let submission: SubmitApplication = serde_json::from_value(serde_json::json!({
        "event_id": largest.id,
        "answers": answers,
        "fields": fields,
        "materials": materials,
    }))
    .expect("a submission body");
    let checked = check_submission(catalog, &submission, &profile)
        .unwrap_or_else(|e| panic!("the bench submission must be valid: {e:?}"));
    eprintln!(
        "largest event: {} ({} answers, {} items apply, {} fields)",
        largest.id,
        answers.len(),
        checked.items.len(),
        outcome.fields.len()
    );

    c.bench_function("submit/check_submission largest event", |b| {
        b.iter(|| check_submission(black_box(catalog), black_box(&submission), &profile))
    });
    c.bench_function("submit/parse JSON + check_submission largest event", |b| {
        let body = serde_json::to_string(&submission).unwrap();
        b.iter(|| {
            let s: SubmitApplication = serde_json::from_str(black_box(&body)).unwrap();
            check_submission(catalog, &s, &profile).is_ok()
        })
    });
    c.bench_function("validate/whole merged form largest event", |b| {
        b.iter(|| validate_form(black_box(&outcome.fields), black_box(&fields), today()))
    });

    let calendar = catalog.calendar();
    let jan1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let year: Vec<NaiveDate> = jan1.iter_days().take(365).collect();
    c.bench_function(
        "calendar/due date +20 working days for every day of 2026",
        |b| {
            b.iter(|| {
                year.iter()
                    .map(|d| {
                        calendar
                            .add_working_days(black_box(*d), 20)
                            .map(|due| due.due)
                    })
                    .filter(Result::is_ok)
                    .count()
            })
        },
    );
    c.bench_function(
        "calendar/working days from 1 Jan to every day of 2026",
        |b| {
            b.iter(|| {
                year.iter()
                    .map(|d| calendar.working_days_between(jan1, black_box(*d)))
                    .sum::<u32>()
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
