//! The search index: what crosses the wire (`IndexData`, compact JSON) and
//! what a search walks (`Prepared`, derived once when the index is built or
//! deserialized and never serialized).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::terms::{SearchTerms, Words};
use crate::catalog::CatalogData;

#[cfg(feature = "embedded")]
const EMBEDDED_TERMS: &str = include_str!(concat!(env!("OUT_DIR"), "/search.json"));

/// Where a term came from; how much a match on it is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// The event's or item's name.
    #[serde(rename = "n")]
    Name,
    /// A keyword from `search.toml`.
    #[serde(rename = "k")]
    Keyword,
    /// An everyday phrase.
    #[serde(rename = "p")]
    Phrase,
    #[serde(rename = "s")]
    Synonym,
    /// A clause of the event's summary.
    #[serde(rename = "d")]
    Summary,
}

impl Kind {
    pub(super) fn weight(self) -> f32 {
        match self {
            Kind::Name | Kind::Keyword => 1.0,
            Kind::Phrase => 0.95,
            Kind::Synonym => 0.9,
            Kind::Summary => 0.6,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct TermData {
    #[serde(rename = "t")]
    pub text: String,
    #[serde(rename = "k")]
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct ItemData {
    pub id: String,
    pub terms: Vec<TermData>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct EventData {
    pub id: String,
    pub terms: Vec<TermData>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemData>,
}

/// The serialized form of the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct IndexData {
    /// Bumped when the format changes, so a cached copy of an old format is
    /// refused rather than misread.
    pub format: u32,
    pub events: Vec<EventData>,
    /// Readings per character, `"社": ["she"]`.
    pub pinyin: BTreeMap<char, Vec<String>>,
    pub confusables: Vec<String>,
    pub stopwords: Vec<String>,
    pub stopwords_en: Vec<String>,
    pub popular: Vec<String>,
}

pub(super) const FORMAT: u32 = 1;

/// A term ready to match: its characters with their readings (Chinese), or
/// its words (English).
#[derive(Debug, Clone)]
pub(super) struct Term {
    pub event: usize,
    pub item: Option<usize>,
    pub kind: Kind,
    pub text: String,
    pub chars: Vec<char>,
    /// Per character, indices into `Prepared::syllables`.
    pub readings: Vec<Vec<u16>>,
    /// Per character, a bit per first letter of its readings: a letter of
    /// the query that is not among them cannot match it at all.
    pub first_letters: Vec<u32>,
    /// English content words, stemmed; empty for a Chinese term.
    pub words: Vec<String>,
}

impl Term {
    pub fn is_english(&self) -> bool {
        !self.words.is_empty()
    }
}

/// Term ids, in order.
pub(super) type TermIds = Vec<u32>;

#[derive(Debug, Clone, Default)]
pub(super) struct Prepared {
    pub terms: Vec<Term>,
    pub syllables: Vec<Vec<u8>>,
    /// Syllable ids by first letter (`a`..`z`).
    pub syllables_by_letter: Vec<Vec<u16>>,
    /// The characters each character may be mistyped as, both ways.
    pub partners: BTreeMap<char, Vec<char>>,
    /// Inverted indexes, so a search looks only at terms that share
    /// something with the query: by character, by reading, by the first
    /// letter of a reading, by English word.
    pub by_char: BTreeMap<char, TermIds>,
    pub by_syllable: Vec<TermIds>,
    pub by_initial: Vec<TermIds>,
    pub by_word: BTreeMap<String, TermIds>,
    pub stopwords: Vec<Vec<char>>,
    pub stopwords_en: Vec<String>,
    /// Every English word of the index (stemmed) and the English filler
    /// words, sorted: a query word found here is read as English, not pinyin.
    pub english_vocabulary: Vec<String>,
    pub event_count: usize,
}

/// The search index: every event's and item's words, the pinyin of their
/// characters and the confusables table. Build it with [`SearchIndex::build`]
/// (or take [`SearchIndex::embedded`]); serialize it with serde to ship it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "IndexData", into = "IndexData")]
pub struct SearchIndex {
    pub(super) data: IndexData,
    pub(super) prepared: Prepared,
}

impl PartialEq for SearchIndex {
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
}

impl From<IndexData> for SearchIndex {
    fn from(data: IndexData) -> Self {
        let prepared = prepare(&data);
        SearchIndex { data, prepared }
    }
}

impl From<SearchIndex> for IndexData {
    fn from(index: SearchIndex) -> Self {
        index.data
    }
}

impl SearchTerms {
    /// `catalog/search.toml` as compiled into this binary, pinyin included.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> &'static SearchTerms {
        static TERMS: std::sync::OnceLock<SearchTerms> = std::sync::OnceLock::new();
        TERMS.get_or_init(|| {
            serde_json::from_str(EMBEDDED_TERMS).expect("build.rs wrote valid search terms")
        })
    }
}

impl SearchIndex {
    /// The index of the embedded catalog and search terms, built once.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> &'static SearchIndex {
        static INDEX: std::sync::OnceLock<SearchIndex> = std::sync::OnceLock::new();
        INDEX.get_or_init(|| {
            SearchIndex::build(
                crate::catalog::Catalog::embedded().data(),
                SearchTerms::embedded(),
            )
        })
    }

    /// Every event of `catalog` with its name, summary and items' names, plus
    /// the words `terms` gives it. An event `terms` does not mention is still
    /// found by its names; pinyin exists for every character `terms.pinyin`
    /// covers (build.rs covers the whole catalog).
    pub fn build(catalog: &CatalogData, terms: &SearchTerms) -> SearchIndex {
        let events = catalog
            .events
            .iter()
            .map(|e| {
                let words = terms.events.get(&e.id);
                let mut t = Vec::new();
                push(&mut t, Kind::Name, [e.name.zh.as_str(), e.name.en.as_str()]);
                push(&mut t, Kind::Summary, clauses(&e.summary.zh));
                push(&mut t, Kind::Summary, [e.summary.en.as_str()]);
                if let Some(w) = words {
                    push_words(&mut t, &w.words);
                }
                let items = e
                    .items
                    .iter()
                    .map(|i| {
                        let mut it = Vec::new();
                        push(&mut it, Kind::Name, clauses(&i.name.zh));
                        push(&mut it, Kind::Name, [i.name.en.as_str()]);
                        if let Some(w) = words.and_then(|w| w.items.get(&i.id)) {
                            push_words(&mut it, w);
                        }
                        ItemData {
                            id: i.id.clone(),
                            terms: it,
                        }
                    })
                    .collect();
                EventData {
                    id: e.id.clone(),
                    terms: t,
                    items,
                }
            })
            .collect::<Vec<_>>();
        // Ship only the readings the index uses.
        let mut pinyin = BTreeMap::new();
        for e in &events {
            let all = e.terms.iter().chain(e.items.iter().flat_map(|i| &i.terms));
            for c in all.flat_map(|t| t.text.chars()) {
                if let Some(r) = terms.pinyin.get(&c) {
                    pinyin.entry(c).or_insert_with(|| r.clone());
                }
            }
        }
        SearchIndex::from(IndexData {
            format: FORMAT,
            events,
            pinyin,
            confusables: terms.confusables.clone(),
            stopwords: terms.stopwords.clone(),
            stopwords_en: terms.stopwords_en.clone(),
            popular: terms.popular.clone(),
        })
    }

    /// The format version of this index (see `IndexData::format`); the app
    /// should drop a cached index whose format it does not know.
    pub fn format(&self) -> u32 {
        self.data.format
    }

    /// Event ids in catalog order.
    pub fn event_ids(&self) -> impl Iterator<Item = &str> {
        self.data.events.iter().map(|e| e.id.as_str())
    }
}

/// A summary or a long name split at its punctuation: each clause is a term,
/// so "出生医学证明、打疫苗的本子、上户口" gives three short terms instead of one
/// long one that nothing would ever cover.
fn clauses(text: &str) -> Vec<&str> {
    text.split([
        '，', '、', '。', '；', '（', '）', '：', '“', '”', ',', '(', ')',
    ])
    .map(str::trim)
    .filter(|s| s.chars().count() >= 2)
    .collect()
}

fn push<'a>(out: &mut Vec<TermData>, kind: Kind, texts: impl IntoIterator<Item = &'a str>) {
    for t in texts {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|x| x.text == t) {
            out.push(TermData {
                text: t.to_string(),
                kind,
            });
        }
    }
}

fn push_words(out: &mut Vec<TermData>, w: &Words) {
    push(out, Kind::Keyword, w.keywords.iter().map(String::as_str));
    push(out, Kind::Phrase, w.phrases.iter().map(String::as_str));
    push(out, Kind::Synonym, w.synonyms.iter().map(String::as_str));
    push(out, Kind::Keyword, w.en.iter().map(String::as_str));
}

fn prepare(data: &IndexData) -> Prepared {
    let mut syllables: Vec<Vec<u8>> = Vec::new();
    let mut syllable_of = BTreeMap::<&str, u16>::new();
    let mut readings_of = BTreeMap::<char, Vec<u16>>::new();
    for (c, rs) in &data.pinyin {
        let ids = rs
            .iter()
            .filter(|r| !r.is_empty() && r.is_ascii())
            .map(|r| {
                *syllable_of.entry(r.as_str()).or_insert_with(|| {
                    syllables.push(r.as_bytes().to_vec());
                    (syllables.len() - 1) as u16
                })
            })
            .collect();
        readings_of.insert(*c, ids);
    }
    let mut partners: BTreeMap<char, Vec<char>> = BTreeMap::new();
    for group in &data.confusables {
        let cs: Vec<char> = group.chars().collect();
        for &a in &cs {
            for &b in &cs {
                let list = partners.entry(a).or_default();
                if a != b && !list.contains(&b) {
                    list.push(b);
                }
            }
        }
    }
    let stopwords_en: Vec<String> = data.stopwords_en.iter().map(|w| w.to_lowercase()).collect();
    let mut terms = Vec::new();
    for (ei, e) in data.events.iter().enumerate() {
        let owned = e.terms.iter().map(|t| (None, t));
        let items = e
            .items
            .iter()
            .enumerate()
            .flat_map(|(ii, i)| i.terms.iter().map(move |t| (Some(ii), t)));
        for (item, t) in owned.chain(items) {
            let norm = super::query::normalize(&t.text);
            let has_han = norm.chars().any(super::query::is_han);
            let (chars, words) = if has_han {
                (
                    norm.chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<Vec<_>>(),
                    Vec::new(),
                )
            } else {
                let words = super::query::english_words(&norm, &stopwords_en);
                if words.is_empty() {
                    continue;
                }
                (Vec::new(), words)
            };
            let readings: Vec<Vec<u16>> = chars
                .iter()
                .map(|c| readings_of.get(c).cloned().unwrap_or_default())
                .collect();
            let first_letters = readings
                .iter()
                .map(|rs| {
                    rs.iter().fold(0u32, |m, r| {
                        let b = syllables[*r as usize][0];
                        if b.is_ascii_lowercase() {
                            m | 1 << (b - b'a')
                        } else {
                            m
                        }
                    })
                })
                .collect();
            terms.push(Term {
                event: ei,
                item,
                kind: t.kind,
                text: t.text.clone(),
                chars,
                readings,
                first_letters,
                words,
            });
        }
    }
    let mut english_vocabulary: Vec<String> = terms
        .iter()
        .flat_map(|t: &Term| t.words.iter().cloned())
        .chain(stopwords_en.iter().cloned())
        .collect();
    english_vocabulary.sort_unstable();
    english_vocabulary.dedup();
    let mut by_char: BTreeMap<char, TermIds> = BTreeMap::new();
    let mut by_syllable: Vec<TermIds> = vec![Vec::new(); syllables.len()];
    let mut by_initial: Vec<TermIds> = vec![Vec::new(); 26];
    let mut by_word: BTreeMap<String, TermIds> = BTreeMap::new();
    let add = |list: &mut TermIds, id: u32| {
        if list.last() != Some(&id) {
            list.push(id);
        }
    };
    for (id, t) in terms.iter().enumerate() {
        let id = id as u32;
        for &c in &t.chars {
            add(by_char.entry(c).or_default(), id);
        }
        for &r in t.readings.iter().flatten() {
            add(&mut by_syllable[r as usize], id);
            let first = syllables[r as usize][0];
            if first.is_ascii_lowercase() {
                add(&mut by_initial[(first - b'a') as usize], id);
            }
        }
        for w in &t.words {
            add(by_word.entry(w.clone()).or_default(), id);
        }
    }
    let mut syllables_by_letter: Vec<Vec<u16>> = vec![Vec::new(); 26];
    for (id, syl) in syllables.iter().enumerate() {
        if syl[0].is_ascii_lowercase() {
            syllables_by_letter[(syl[0] - b'a') as usize].push(id as u16);
        }
    }
    Prepared {
        terms,
        syllables,
        syllables_by_letter,
        partners,
        by_char,
        by_syllable,
        by_initial,
        by_word,
        english_vocabulary,
        stopwords: data
            .stopwords
            .iter()
            .map(|s| super::query::normalize(s).chars().collect())
            .collect(),
        stopwords_en,
        event_count: data.events.len(),
    }
}
