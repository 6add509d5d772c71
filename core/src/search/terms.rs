//! What `catalog/search.toml` may say: the words residents use for each event
//! and item, kept apart from the event files so search wording and the legal
//! catalog can change independently. The pinyin table is not written by hand:
//! `build.rs` fills it from every Chinese character of the catalog's names
//! and these terms, with the `pinyin` crate.
//!
//! This file is also compiled into `build.rs` (via `#[path]`); keep it free of
//! anything but serde.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The words for one event or one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Short Chinese words that name it (社保卡, 上户口).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Everyday wordings, as residents say them (孩子满月了办医保).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
    /// Other names for the same thing, official or colloquial (社会保障卡, 医保卡).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// English keywords and phrases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub en: Vec<String>,
}

/// Words for an event, and for items within it by item id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventWords {
    #[serde(flatten)]
    pub words: Words,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<String, Words>,
}

/// `catalog/search.toml`, with the pinyin table `build.rs` adds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchTerms {
    /// Groups of characters residents type for one another (卡 and 咔): any
    /// character of a group matches any other, at a small cost.
    #[serde(default)]
    pub confusables: Vec<String>,
    /// Chinese filler words that say nothing about which event is meant
    /// (怎么, 办理, 需要): they neither match nor count.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// English filler words (how, apply, my).
    #[serde(default)]
    pub stopwords_en: Vec<String>,
    /// Events suggested when a query is close to nothing, in order.
    #[serde(default)]
    pub popular: Vec<String>,
    /// Words per event id.
    #[serde(default)]
    pub events: BTreeMap<String, EventWords>,
    /// Every Chinese character of the catalog's names and these terms, with
    /// its toneless readings (多音字 have several). Generated, never in the TOML.
    #[serde(default)]
    pub pinyin: BTreeMap<char, Vec<String>>,
}
