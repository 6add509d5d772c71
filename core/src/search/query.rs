//! Reading a query: normalized (full-width to half-width, lower case), cut
//! into units — Chinese characters and digits, and single letters — with
//! filler words weighted zero, English words set apart from pinyin, and for
//! each letter the syllables spelled from it.

use super::index::Prepared;

/// Longer queries are cut: nobody types more to find an event.
const MAX_UNITS: usize = 64;
const MAX_WORDS: usize = 16;

pub(super) fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            'ü' | 'Ü' => 'v',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// A light English stem: enough that "cards" finds "card" and "retiring"
/// finds "retire", without a stemmer's tables.
pub(super) fn stem(word: &str) -> String {
    let w = word.trim_end_matches("'s");
    for (suffix, keep) in [("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")] {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.len() >= 3 && !(suffix == "s" && base.ends_with('s')) {
                return format!("{base}{keep}");
            }
        }
    }
    w.to_string()
}

/// The content words of an English text, as typed, filler words dropped.
fn content_words<'t>(text: &'t str, stopwords: &[String]) -> Vec<&'t str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty() && !stopwords.iter().any(|s| s == w))
        .collect()
}

/// The content words of an English text, stemmed, filler words dropped.
pub(super) fn english_words(text: &str, stopwords: &[String]) -> Vec<String> {
    content_words(text, stopwords)
        .into_iter()
        .map(stem)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Char(char),
    Letter(u8),
}

pub(super) struct Query<'p> {
    pub(super) units: Vec<Unit>,
    /// Per unit, the characters it may be a mistyping of.
    pub(super) alts: Vec<&'p [char]>,
    /// Per unit: a letter that starts (ends) a run of letters, i.e. a word
    /// typed in pinyin. Initials must span whole words: "sbk" is 社保卡,
    /// but the "se" inside "security" is not 生儿.
    pub(super) word_start: Vec<bool>,
    pub(super) word_end: Vec<bool>,
    /// 0 for units inside a filler word, else 1.
    pub(super) weight: Vec<f32>,
    pub(super) words: Vec<String>,
    /// The same words as typed, to show why a long English text matched.
    pub(super) typed_words: Vec<String>,
    /// The last word may be unfinished: it matches as a prefix.
    pub(super) last_word_open: bool,
    /// Per unit, a bit per syllable id that is spelled starting there.
    pub(super) spelled: Vec<Vec<u64>>,
}

pub(super) fn read_query<'p>(p: &'p Prepared, raw: &str) -> Query<'p> {
    let norm = normalize(raw);
    // Letters of a word that is English (in the index's English words or a
    // filler word) are read as English only: "primary school" is not pinyin.
    let mut english_letters = vec![false; norm.len()];
    let mut start = None;
    for (at, c) in norm.char_indices().chain([(norm.len(), ' ')]) {
        match (c.is_ascii_lowercase(), start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                let word = &norm[s..at];
                let english = p.english_vocabulary.binary_search(&stem(word)).is_ok()
                    || p.english_vocabulary
                        .binary_search(&word.to_string())
                        .is_ok();
                if english {
                    english_letters[s..at].iter_mut().for_each(|x| *x = true);
                }
                start = None;
            }
            _ => {}
        }
    }
    let mut units = Vec::new();
    let mut word_start = Vec::new();
    let mut word_end: Vec<bool> = Vec::new();
    let mut in_word = false;
    for (at, c) in norm.char_indices() {
        if units.len() == MAX_UNITS {
            break;
        }
        let letter = c.is_ascii_lowercase();
        if letter && english_letters[at] {
            in_word = false;
            continue;
        }
        if letter {
            units.push(Unit::Letter(c as u8));
            word_start.push(!in_word);
            word_end.push(true);
            if in_word {
                word_end[units.len() - 2] = false;
            }
        } else if c.is_ascii_digit() || is_han(c) {
            units.push(Unit::Char(c));
            word_start.push(false);
            word_end.push(false);
        }
        in_word = letter;
    }
    let mut weight = vec![1.0; units.len()];
    for stop in &p.stopwords {
        let k = stop.len();
        if k == 0 || k > units.len() {
            continue;
        }
        for i in 0..=units.len() - k {
            if (0..k).all(|d| units[i + d] == Unit::Char(stop[d])) {
                weight[i..i + k].iter_mut().for_each(|w| *w = 0.0);
            }
        }
    }
    let mut words = english_words(&norm, &p.stopwords_en);
    words.truncate(MAX_WORDS);
    let mut typed_words: Vec<String> = content_words(&norm, &p.stopwords_en)
        .into_iter()
        .map(str::to_string)
        .collect();
    typed_words.truncate(MAX_WORDS);
    let last_word_open =
        !norm.ends_with(' ') && norm.ends_with(|c: char| c.is_ascii_alphanumeric());
    let alts = units
        .iter()
        .map(|u| match u {
            Unit::Char(c) => p.partners.get(c).map_or(&[][..], Vec::as_slice),
            Unit::Letter(_) => &[][..],
        })
        .collect();
    let blocks = p.syllables.len().div_ceil(64);
    let mut spelled = vec![vec![0u64; blocks]; units.len()];
    for (i, row) in spelled.iter_mut().enumerate() {
        let Unit::Letter(b) = units[i] else { continue };
        for &s in &p.syllables_by_letter[(b - b'a') as usize] {
            let syl = &p.syllables[s as usize];
            let fits = syl.len() <= units.len() - i
                && syl
                    .iter()
                    .enumerate()
                    .all(|(d, b)| units[i + d] == Unit::Letter(*b));
            if fits {
                row[s as usize / 64] |= 1 << (s % 64);
            }
        }
    }
    Query {
        units,
        alts,
        word_start,
        word_end,
        weight,
        words,
        typed_words,
        last_word_open,
        spelled,
    }
}
