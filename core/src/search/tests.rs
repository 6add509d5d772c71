use super::*;
use crate::Catalog;

fn index() -> &'static SearchIndex {
    SearchIndex::embedded()
}

fn first(query: &str) -> Hit {
    search(index(), query, Lang::Zh)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{query:?} found nothing"))
}

/// (query, event, item, how the strongest term matched)
fn check(cases: &[(&str, &str, Option<&str>, How)]) {
    for &(q, event, item, how) in cases {
        let hit = first(q);
        assert_eq!(hit.event, event, "{q:?}: {hit:?}");
        assert_eq!(hit.item.as_deref(), item, "{q:?}: {hit:?}");
        assert_eq!(hit.matched[0].how, how, "{q:?}: {:?}", hit.matched);
    }
}

#[test]
fn a_query_naming_an_item_finds_the_event_and_the_item() {
    check(&[
        (
            "补办社保卡",
            "social-security-card",
            Some("ssc-replace"),
            How::Exact,
        ),
        (
            "社保卡丢了",
            "social-security-card",
            Some("ssc-report-loss"),
            How::Exact,
        ),
        ("新生儿多久上户口", "newborn", Some("hukou"), How::Exact),
        (
            "老人去世领丧葬费",
            "after-death",
            Some("pension-death-benefits"),
            How::Exact,
        ),
    ]);
}

#[test]
fn colloquial_phrases_and_parts_of_words_find_the_event() {
    check(&[
        ("孩子出生", "newborn", None, How::Exact),
        ("公司不想干了", "deregistration", None, How::Exact),
        ("下个月就满60岁了退休怎么办", "retirement", None, How::Exact),
        ("社保", "social-security-card", None, How::Exact),
    ]);
    let hit = first("育儿补");
    assert_eq!(hit.event, "childcare-subsidy");
    assert_eq!(hit.matched[0].how, How::Partial, "{:?}", hit.matched);
}

#[test]
fn a_commonly_mistyped_character_still_matches_and_says_so() {
    check(&[
        ("社保咔", "social-security-card", None, How::Typo),
        (
            "丧脏费怎么领",
            "after-death",
            Some("pension-death-benefits"),
            How::Typo,
        ),
    ]);
}

#[test]
fn full_pinyin_with_or_without_spaces_and_initials_match() {
    check(&[
        ("shebaoka", "social-security-card", None, How::Pinyin),
        ("she bao ka", "social-security-card", None, How::Pinyin),
        ("SheBaoKa", "social-security-card", None, How::Pinyin),
        ("tuixiu", "retirement", None, How::Pinyin),
        ("sbk", "social-security-card", None, How::Initials),
        ("cjz", "disability", None, How::Initials),
    ]);
}

#[test]
fn an_unfinished_last_syllable_matches_as_the_resident_types() {
    assert_eq!(first("shebaok").event, "social-security-card");
    assert_eq!(first("tuixi").event, "retirement");
}

#[test]
fn mixed_chinese_and_pinyin_match() {
    check(&[
        (
            "sb卡丢了",
            "social-security-card",
            Some("ssc-report-loss"),
            How::Initials,
        ),
        ("yuer补贴", "childcare-subsidy", None, How::Pinyin),
    ]);
}

#[test]
fn english_queries_match_english_names_and_keywords() {
    for (q, event) in [
        ("lost my social security card", "social-security-card"),
        ("Childcare subsidy", "childcare-subsidy"),
        ("RETIREMENT", "retirement"),
        ("retirment", "retirement"),
        ("funer", "after-death"),
    ] {
        let hit = search(index(), q, Lang::En).into_iter().next();
        let hit = hit.unwrap_or_else(|| panic!("{q:?} found nothing"));
        assert_eq!(hit.event, event, "{q:?}: {hit:?}");
        assert_eq!(hit.matched[0].how, How::English);
    }
    // A summary sentence is shown by the words that matched, not in full.
    let hits = search(index(), "baby vaccination record", Lang::En);
    let newborn = hits.iter().find(|h| h.event == "newborn").unwrap();
    assert!(
        newborn
            .matched
            .iter()
            .all(|m| m.term.split(' ').count() <= 6),
        "{:?}",
        newborn.matched
    );
}

#[test]
fn english_words_are_not_read_as_pinyin() {
    // "se" in "security" would be 生儿 by initials, "hi" in "child" a syllable.
    let hits = search(index(), "enrol my child in primary school", Lang::En);
    assert_eq!(hits[0].event, "school-entry");
    assert!(hits
        .iter()
        .flat_map(|h| &h.matched)
        .all(|m| m.how == How::English));
}

#[test]
fn hits_are_ranked_best_first_and_say_why() {
    let hits = search(index(), "给孩子办社保卡", Lang::Zh);
    assert!(hits.len() >= 2, "{hits:?}");
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    for h in &hits {
        assert!(!h.matched.is_empty() && h.matched.len() <= 4);
    }
    assert!(hits.iter().any(|h| h.event == "social-security-card"));
    assert!(hits.iter().any(|h| h.event == "newborn"));
}

#[test]
fn a_query_that_matches_nothing_has_no_hits_but_closest_suggests_events() {
    for q in [
        "今天天气怎么样",
        "护照过期了",
        "怎么办理",
        "",
        "   ",
        "？？",
        "xyzzy",
    ] {
        assert!(search(index(), q, Lang::Zh).is_empty(), "{q:?}");
        let near = closest(index(), q, 3);
        assert_eq!(near.len(), 3, "{q:?}");
        let mut ids: Vec<_> = near.iter().map(|h| h.event.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 3);
    }
    // Nothing in common: the popular events, in their order.
    let ids: Vec<_> = closest(index(), "xyzzy", 2)
        .into_iter()
        .map(|h| h.event)
        .collect();
    assert_eq!(ids, SearchTerms::embedded().popular[..2]);
    // A shared distinctive character points to its event first.
    let near = closest(index(), "残", 3);
    assert_eq!(near[0].event, "disability");
    assert_eq!(near[0].matched[0].term, "残");
}

#[test]
fn filler_words_alone_match_nothing() {
    for q in ["怎么办理", "需要什么材料", "how do I apply", "请问在哪里办"] {
        assert!(search(index(), q, Lang::Zh).is_empty(), "{q:?}");
    }
}

#[test]
fn the_index_round_trips_through_json_and_searches_the_same() {
    let json = serde_json::to_string(index()).unwrap();
    let back: SearchIndex = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, index());
    assert_eq!(back.format(), 1);
    for q in ["补办社保卡", "shebaoka", "sbk", "lost my card", "社保咔"] {
        assert_eq!(
            search(&back, q, Lang::Zh),
            search(index(), q, Lang::Zh),
            "{q:?}"
        );
    }
    // Small enough to fetch on a weak network and keep offline.
    assert!(json.len() < 80_000, "index is {} bytes of JSON", json.len());
}

#[test]
fn every_event_of_the_catalog_is_in_the_index_even_without_search_words() {
    let catalog = Catalog::embedded();
    let ids: Vec<_> = index().event_ids().collect();
    let want: Vec<_> = catalog.events().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, want);
    // An event search.toml does not mention is found by its name and in pinyin.
    let mut terms = SearchTerms::embedded().clone();
    terms.events.remove("retirement");
    let bare = SearchIndex::build(catalog.data(), &terms);
    assert_eq!(search(&bare, "退休", Lang::Zh)[0].event, "retirement");
    assert_eq!(search(&bare, "tuixiu", Lang::Zh)[0].event, "retirement");
}

#[test]
fn pinyin_is_generated_for_every_chinese_character_of_the_index() {
    let index = index();
    for e in &index.data.events {
        let all = e.terms.iter().chain(e.items.iter().flat_map(|i| &i.terms));
        for c in all
            .flat_map(|t| t.text.chars())
            .filter(|c| query::is_han(*c))
        {
            assert!(index.data.pinyin.contains_key(&c), "{c} has no pinyin");
        }
    }
    // 多音字 keep every reading: 行 in 银行 is hang, not only xing.
    assert!(index.data.pinyin[&'行'].iter().any(|r| r == "hang"));
    assert_eq!(index.data.pinyin[&'社'], ["she"]);
}

#[test]
fn search_toml_only_names_events_and_items_of_the_catalog() {
    let problems = lint(Catalog::embedded().data(), SearchTerms::embedded());
    assert!(problems.is_empty(), "{problems:#?}");
    let mut bad = SearchTerms::embedded().clone();
    bad.events
        .insert("no-such-event".into(), EventWords::default());
    bad.popular.push("nope".into());
    assert_eq!(lint(Catalog::embedded().data(), &bad).len(), 2);
}

#[test]
fn one_edit_accepts_one_change_and_no_more() {
    for (a, b, want) in [
        ("retirment", "retirement", true),
        ("retirememt", "retirement", true),
        ("retriement", "retirement", true),
        ("retirements", "retirement", true),
        ("retxxment", "retirement", false),
        ("pension", "pension", true),
        ("pensoin", "pension", true),
        ("pen", "pension", false),
    ] {
        assert_eq!(align::one_edit(a, b), want, "{a} / {b}");
    }
}
