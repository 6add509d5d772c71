//! Smart search (智能导办): find the life event a resident means from their
//! own words — a colloquial phrase, part of a word, a wrong character, full
//! pinyin, initials, a mix of these, or English — and the item within the
//! event when the query names one.
//!
//! Everything the search knows is data in a [`SearchIndex`]: the catalog's
//! names and summaries plus `catalog/search.toml`, with pinyin generated at
//! build time. The index is serde-serializable so the edge can serve it as
//! JSON and the app can cache it and search with no network. The code is
//! small on purpose (no regex, no tables): it is compiled into the app.
//!
//! The edge serves `serde_json::to_string(SearchIndex::embedded())`; the app
//! keeps that JSON, reads it back with `serde_json::from_str::<SearchIndex>`
//! (which rebuilds the lookup tables, a few milliseconds once) and drops a
//! copy whose [`SearchIndex::format`] it does not know.

mod align;
mod index;
mod matcher;
mod query;
pub mod terms;

use serde::{Deserialize, Serialize};

pub use index::SearchIndex;
pub use terms::{EventWords, SearchTerms, Words};

/// The language of the interface the query was typed in. Both languages are
/// always searched; this only breaks ties between a pinyin reading and an
/// English reading of the same letters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// How a term matched the query, for "why it matched".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// The whole term is in the query.
    Exact,
    /// Part of the term is in the query (社保 of 社保卡).
    Partial,
    /// With a commonly mistyped character (社保咔).
    Typo,
    /// Typed in full pinyin (shebaoka).
    Pinyin,
    /// Typed as pinyin initials (sbk).
    Initials,
    /// An English word.
    English,
}

/// A term of the index that matched, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matched {
    pub term: String,
    pub how: How,
}

/// One event found, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// An event id of the catalog.
    pub event: String,
    /// The item within the event the query names, when one stands out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Higher is better; comparable only between hits of one query.
    pub score: f32,
    /// Why it matched: the terms, strongest first.
    pub matched: Vec<Matched>,
}

/// The events `query` means, best first; empty when nothing matches well
/// enough (then offer [`closest`]).
pub fn search(index: &SearchIndex, query: &str, lang: Lang) -> Vec<Hit> {
    matcher::search(index, query, lang)
}

/// `n` events to suggest when [`search`] finds nothing: those sharing the
/// most distinctive characters or words with the query, then the popular
/// ones from `search.toml`. Never empty for `n > 0`.
pub fn closest(index: &SearchIndex, query: &str, n: usize) -> Vec<Hit> {
    matcher::closest(index, query, n)
}

/// Problems in `search.toml` against the catalog: words for an event or an
/// item the catalog does not have, or a popular event that does not exist.
pub fn lint(data: &crate::catalog::CatalogData, terms: &SearchTerms) -> Vec<String> {
    let mut problems = Vec::new();
    for (event_id, words) in &terms.events {
        let Some(event) = data.events.iter().find(|e| &e.id == event_id) else {
            problems.push(format!("search.toml: events.{event_id}: no such event"));
            continue;
        };
        for item_id in words.items.keys() {
            if event.item(item_id).is_none() {
                problems.push(format!(
                    "search.toml: events.{event_id}.items.{item_id}: no such item"
                ));
            }
        }
    }
    for id in &terms.popular {
        if !data.events.iter().any(|e| &e.id == id) {
            problems.push(format!("search.toml: popular: no event {id}"));
        }
    }
    problems
}

#[cfg(test)]
mod accuracy;
#[cfg(test)]
mod tests;
