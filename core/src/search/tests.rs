use super::*;

fn top(query: &str) -> Option<Hit> {
    search(SearchIndex::embedded(), query, Lang::Zh).into_iter().next()
}

#[test]
fn smoke() {
    for q in ["补办社保卡", "社保咔", "shebaoka", "sbk", "social security card", "孩子出生", "公司不想干了"] {
        let hits = search(SearchIndex::embedded(), q, Lang::Zh);
        println!("{q}: {:?}", hits.iter().take(3).map(|h| (&h.event, &h.item, h.score, &h.matched)).collect::<Vec<_>>());
    }
    assert!(top("补办社保卡").is_some());
}
