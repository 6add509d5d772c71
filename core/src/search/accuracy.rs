//! The labelled queries of `catalog/search-queries.toml` against the
//! embedded index: prints top-1 and top-3 accuracy (overall and per kind,
//! and for the item where one is expected), lists every miss, and fails
//! under 90% top-1.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;
use crate::Catalog;

const QUERIES: &str = include_str!("../../catalog/search-queries.toml");
const KINDS: [&str; 6] = ["phrase", "typo", "pinyin", "initials", "english", "mixed"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    q: String,
    event: String,
    #[serde(default)]
    item: Option<String>,
    kind: String,
}

#[derive(Deserialize)]
struct File {
    query: Vec<Labelled>,
}

fn labelled() -> Vec<Labelled> {
    toml::from_str::<File>(QUERIES)
        .expect("search-queries.toml parses")
        .query
}

#[test]
fn every_labelled_query_names_a_real_event_item_and_kind() {
    let catalog = Catalog::embedded();
    let all = labelled();
    assert!(all.len() >= 150, "only {} labelled queries", all.len());
    for l in &all {
        let event = catalog
            .event(&l.event)
            .unwrap_or_else(|| panic!("{:?}: no event {}", l.q, l.event));
        if let Some(item) = &l.item {
            assert!(event.item(item).is_some(), "{:?}: no item {item}", l.q);
        }
        assert!(
            KINDS.contains(&l.kind.as_str()),
            "{:?}: kind {}",
            l.q,
            l.kind
        );
    }
    for kind in KINDS {
        assert!(
            all.iter().filter(|l| l.kind == kind).count() >= 5,
            "fewer than 5 {kind} queries"
        );
    }
}

#[test]
fn top_one_accuracy_on_the_labelled_queries_is_at_least_90_percent() {
    let index = SearchIndex::embedded();
    let all = labelled();
    // kind -> (count, top-1, top-3)
    let mut by_kind: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let (mut items, mut items_right) = (0, 0);
    let mut misses = Vec::new();
    for l in &all {
        let lang = if l.kind == "english" {
            Lang::En
        } else {
            Lang::Zh
        };
        let hits = search(index, &l.q, lang);
        let rank = hits.iter().position(|h| h.event == l.event);
        let row = by_kind.entry(l.kind.as_str()).or_default();
        row.0 += 1;
        row.1 += usize::from(rank == Some(0));
        row.2 += usize::from(rank.is_some_and(|r| r < 3));
        if rank != Some(0) {
            let got: Vec<_> = hits.iter().take(3).map(|h| h.event.as_str()).collect();
            misses.push(format!(
                "  {:<10} {:?}: want {}, got {:?}",
                l.kind, l.q, l.event, got
            ));
        }
        if let (Some(want), Some(0)) = (&l.item, rank) {
            items += 1;
            if hits[0].item.as_ref() == Some(want) {
                items_right += 1;
            } else {
                misses.push(format!(
                    "  {:<10} {:?}: item want {want}, got {:?}",
                    l.kind, l.q, hits[0].item
                ));
            }
        }
    }
    let total: (usize, usize, usize) = by_kind
        .values()
        .fold((0, 0, 0), |a, r| (a.0 + r.0, a.1 + r.1, a.2 + r.2));
    let pct = |x: usize, n: usize| 100.0 * x as f64 / n.max(1) as f64;
    println!("search accuracy over {} labelled queries", total.0);
    for (kind, (n, t1, t3)) in &by_kind {
        println!(
            "  {kind:<10} n={n:<4} top-1 {:5.1}%  top-3 {:5.1}%",
            pct(*t1, *n),
            pct(*t3, *n)
        );
    }
    println!(
        "  {:<10} n={:<4} top-1 {:5.1}%  top-3 {:5.1}%",
        "all",
        total.0,
        pct(total.1, total.0),
        pct(total.2, total.0)
    );
    println!(
        "  item named right (when the event is top-1 and an item is expected): {items_right}/{items} = {:.1}%",
        pct(items_right, items)
    );
    println!("misses:\n{}", misses.join("\n"));
    assert!(
        pct(total.1, total.0) >= 90.0,
        "top-1 accuracy {:.1}% is under 90%",
        pct(total.1, total.0)
    );
}
