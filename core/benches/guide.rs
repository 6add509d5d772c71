//! How long the guide takes for the largest event in the catalog: one full
//! evaluation (next question, items, materials, merged form) and one prune.
//! Figures go into BENCHMARKS.md; run with `cargo xtask bench`.

use std::hint::black_box;

use banshi_core::catalog::{Catalog, QuestionKind};
use banshi_core::guide::{evaluate, prune, Answer, Answers, FieldValues, Profile};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

/// Answer every question with its first option / yes / a date six years ago.
fn answers_for(event: &banshi_core::catalog::Event) -> Answers {
    event
        .questions
        .iter()
        .map(|q| {
            let a = match q.kind {
                QuestionKind::YesNo => Answer::Bool(true),
                QuestionKind::Single => Answer::Text(q.options[0].value.clone()),
                QuestionKind::Multiple => {
                    Answer::Choices(q.options.iter().map(|o| o.value.clone()).collect())
                }
                QuestionKind::Date => Answer::Text("2020-09-01".into()),
                QuestionKind::Number => Answer::Number(q.min.unwrap_or(1.0)),
            };
            (q.id.clone(), a)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let largest = catalog
        .events()
        .iter()
        .max_by_key(|e| e.questions.len() + e.items.len() * 2 + e.fields.len())
        .expect("the catalog has events");
    let mut profile = Profile::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    profile.ecerts.insert("resident-id-card".into());
    let answers = answers_for(largest);
    let values: FieldValues = largest
        .fields
        .iter()
        .map(|f| (f.key.clone(), "x".into()))
        .collect();
    eprintln!(
        "largest event: {} ({} questions, {} items, {} fields)",
        largest.id,
        largest.questions.len(),
        largest.items.len(),
        largest.fields.len()
    );
    c.bench_function("guide/evaluate largest event", |b| {
        b.iter(|| evaluate(black_box(largest), black_box(&answers), &profile))
    });
    c.bench_function("guide/prune largest event", |b| {
        b.iter(|| {
            prune(
                black_box(largest),
                black_box(&answers),
                black_box(&values),
                &profile,
            )
        })
    });
    c.bench_function("catalog/lint whole catalog", |b| {
        b.iter(|| banshi_core::catalog::lint(black_box(catalog.data())))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
