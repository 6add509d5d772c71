//! How long one search takes over the whole catalog, per kind of query.
//! Figures go into BENCHMARKS.md; run with `cargo bench -p banshi-core --bench search`.

use std::hint::black_box;

use banshi_core::search::{closest, search, Lang, SearchIndex};
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let index = SearchIndex::embedded();
    let json = serde_json::to_string(index).expect("the index serializes");
    eprintln!(
        "index: {} events, {} bytes of JSON",
        index.event_ids().count(),
        json.len()
    );
    let queries = [
        ("phrase", "孩子刚出生要办哪些手续"),
        ("typo", "社保咔丢了"),
        ("pinyin", "shebaoka"),
        ("initials", "sbk"),
        ("mixed", "sb卡补办"),
        ("english", "replace lost social security card"),
        ("no match", "今天天气怎么样"),
    ];
    for (kind, q) in queries {
        c.bench_function(&format!("search/{kind}"), |b| {
            b.iter(|| search(black_box(index), black_box(q), Lang::Zh))
        });
    }
    c.bench_function("search/closest", |b| {
        b.iter(|| closest(black_box(index), black_box("护照过期了"), 3))
    });
    c.bench_function("search/deserialize index", |b| {
        b.iter(|| serde_json::from_str::<SearchIndex>(black_box(&json)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
