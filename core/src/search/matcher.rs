//! Matching a query against the index and ranking events.
//!
//! A query is read as units: Chinese characters (and digits) and single
//! letters. Each Chinese term is aligned with the query by a small dynamic
//! programme: a term character matches a query character that is the same
//! or a listed confusable, or a run of letters that spells one of its
//! readings in full or its initial. The longest runs (two term characters at
//! least) say which query units the term explains and how much of the term
//! was found. English terms match query words, a prefix of the last word
//! included (the resident may still be typing).
//!
//! An event's score is the share of the query's meaningful units it
//! explains, each unit weighted by how few events explain it (a unit every
//! event matches, like 办, says little). Filler words weigh nothing.

use super::index::{Kind, Prepared, SearchIndex, Term};
use super::{Hit, How, Lang, Matched};

/// Longer queries are cut: nobody types more to find an event.
const MAX_UNITS: usize = 64;
const MAX_WORDS: usize = 16;
/// An event is a hit when it explains this share of the query's weighted
/// units, or this much weight outright: a long question ("下个月就满60岁了退休
/// 怎么办") may be mostly context around the one word that matters.
const MIN_SHARE: f32 = 0.3;
const MIN_EXPLAINED: f32 = 1.6;
/// Added when the query contains the event's whole name (育儿补贴): the
/// resident named the event.
const NAME_BONUS: f32 = 0.15;
/// Terms that belong to an item count a little less than the event's own,
/// so "社保卡" finds the card event before the newborn's card item.
const ITEM_FACTOR: f32 = 0.9;
const MAX_MATCHED: usize = 4;

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
fn stem(word: &str) -> String {
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

/// The content words of an English text, stemmed, filler words dropped.
pub(super) fn english_words(text: &str, stopwords: &[String]) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty() && !stopwords.iter().any(|s| s == w))
        .map(stem)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Char(char),
    Letter(u8),
}

struct Query<'p> {
    units: Vec<Unit>,
    /// Per unit, the characters it may be a mistyping of.
    alts: Vec<&'p [char]>,
    /// Per unit: a letter that starts (ends) a run of letters, i.e. a word
    /// typed in pinyin. Initials must span whole words: "sbk" is 社保卡,
    /// but the "se" inside "security" is not 生儿.
    word_start: Vec<bool>,
    word_end: Vec<bool>,
    /// 0 for units inside a filler word, else 1.
    weight: Vec<f32>,
    words: Vec<String>,
    /// The last word may be unfinished: it matches as a prefix.
    last_word_open: bool,
    /// Per unit, a bit per syllable id that is spelled starting there.
    spelled: Vec<Vec<u64>>,
}

fn read_query<'p>(p: &'p Prepared, raw: &str) -> Query<'p> {
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
        last_word_open,
        spelled,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Exact,
    Typo,
    Pinyin,
    Initial,
}

impl Step {
    fn quality(self) -> f32 {
        match self {
            Step::Exact => 1.0,
            Step::Pinyin => 0.9,
            Step::Typo => 0.7,
            Step::Initial => 0.6,
        }
    }
}

/// The best run starting at one cell of the alignment.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    /// Term characters matched.
    len: u8,
    /// Query units consumed.
    used: u8,
    quality: f32,
    exact: u8,
    typo: u8,
    pinyin: u8,
    initial: u8,
}

impl Run {
    fn better_than(&self, other: &Run) -> bool {
        (self.len, self.quality) > (other.len, other.quality)
    }

    fn with(self, step: Step, used: usize) -> Run {
        let mut r = self;
        r.len += 1;
        r.used += used as u8;
        r.quality += step.quality();
        match step {
            Step::Exact => r.exact += 1,
            Step::Typo => r.typo += 1,
            Step::Pinyin => r.pinyin += 1,
            Step::Initial => r.initial += 1,
        }
        r
    }

    fn how(&self, whole_term: bool) -> How {
        if self.typo > 0 {
            How::Typo
        } else if self.pinyin > 0 {
            How::Pinyin
        } else if self.initial > 0 {
            How::Initials
        } else if whole_term {
            How::Exact
        } else {
            How::Partial
        }
    }

    /// Two term characters at least, and not made of guesses alone.
    fn counts(&self) -> bool {
        self.len >= 2 && self.typo * 2 <= self.len && self.exact + self.pinyin + self.initial > 0
    }
}

/// What one term explains of the query.
#[derive(Debug, Clone, Copy)]
struct TermMatch {
    term: usize,
    /// Query units explained.
    mask: u64,
    /// What each explained unit is worth, 0..1.
    factor: f32,
    how: How,
}

/// Align a Chinese term with the query; `None` if no run counts.
fn match_chinese(
    p: &Prepared,
    q: &Query,
    t: &Term,
    table: &mut Vec<Run>,
    starts: &mut Vec<(usize, usize)>,
) -> Option<(u64, f32, How)> {
    let n = q.units.len();
    let m = t.chars.len();
    if m == 0 || n == 0 {
        return None;
    }
    let w = m + 1;
    table.clear();
    table.resize((n + 1) * w, Run::default());
    starts.clear();
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut best = Run::default();
            let mut consider = |step: Step, used: usize, table: &Vec<Run>| {
                let next = table[(i + used) * w + j + 1];
                let r = next.with(step, used);
                if r.better_than(&best) {
                    best = r;
                }
            };
            match q.units[i] {
                Unit::Char(c) => {
                    if c == t.chars[j] {
                        consider(Step::Exact, 1, table);
                    } else if q.alts[i].contains(&t.chars[j]) {
                        consider(Step::Typo, 1, table);
                    }
                }
                Unit::Letter(b) => {
                    if t.first_letters[j] & (1 << (b - b'a')) == 0 {
                        table[i * w + j] = best;
                        continue;
                    }
                    for &r in &t.readings[j] {
                        let syl = &p.syllables[r as usize];
                        let r = r as usize;
                        if q.spelled[i][r / 64] & (1 << (r % 64)) != 0 {
                            consider(Step::Pinyin, syl.len(), table);
                        } else if syl.len() > 2
                            && n - i >= 2
                            && n - i < syl.len()
                            && (i..n).all(|k| q.units[k] == Unit::Letter(syl[k - i]))
                        {
                            // An unfinished last syllable.
                            consider(Step::Pinyin, n - i, table);
                        }
                        if syl[0] == b {
                            consider(Step::Initial, 1, table);
                            if syl.len() > 2
                                && matches!(&syl[..2], b"zh" | b"ch" | b"sh")
                                && i + 1 < n
                                && q.units[i + 1] == Unit::Letter(syl[1])
                            {
                                consider(Step::Initial, 2, table);
                            }
                        }
                    }
                }
            }
            if best.counts() {
                starts.push((i, j));
            }
            table[i * w + j] = best;
        }
    }
    if starts.is_empty() {
        return None;
    }
    // Take the longest runs that do not overlap, in the term or the query.
    let mut term_used = 0u64;
    let mut query_used = 0u64;
    let mut covered = 0usize;
    let mut quality = 0.0;
    let mut how: Option<How> = None;
    for _ in 0..3 {
        let mut pick: Option<(usize, usize, Run)> = None;
        for &(i, j) in starts.iter() {
            let r = table[i * w + j];
            // Initials are read only as whole words of letters.
            let last = i + r.used as usize - 1;
            let opens = !matches!(q.units[i], Unit::Letter(_)) || q.word_start[i];
            let closes = !matches!(q.units[last], Unit::Letter(_)) || q.word_end[last];
            if r.initial > 0 && !(opens && closes) {
                continue;
            }
            let tm = span(j, r.len as usize);
            let qm = span(i, r.used as usize);
            if tm & term_used != 0 || qm & query_used != 0 {
                continue;
            }
            if pick.is_none_or(|(_, _, b)| r.better_than(&b)) {
                pick = Some((i, j, r));
            }
        }
        let Some((i, j, r)) = pick else { break };
        term_used |= span(j, r.len as usize);
        query_used |= span(i, r.used as usize);
        covered += r.len as usize;
        quality += r.quality;
        let h = r.how(r.len as usize == m);
        how = Some(how.map_or(h, |o: How| o.max(h)));
    }
    let how = how?;
    let completeness = covered as f32 / m as f32;
    let factor = (quality / covered as f32) * (0.4 + 0.6 * completeness);
    let how = if how == How::Partial && completeness >= 1.0 {
        How::Exact
    } else {
        how
    };
    Some((query_used, factor, how))
}

fn span(start: usize, len: usize) -> u64 {
    if len >= 64 {
        !0 << start.min(63)
    } else {
        ((1u64 << len) - 1) << start
    }
}

/// Match an English term against the query's words.
fn match_english(q: &Query, t: &Term) -> Option<(u64, f32)> {
    let mut mask = 0u64;
    let mut score = 0.0;
    let mut found = 0;
    for tw in &t.words {
        let mut best = 0.0f32;
        let mut at = None;
        for (k, qw) in q.words.iter().enumerate() {
            if mask & (1 << k) != 0 {
                continue;
            }
            let open = q.last_word_open && k + 1 == q.words.len();
            let s = if qw == tw {
                1.0
            } else if open && qw.len() >= 3 && tw.starts_with(qw.as_str()) {
                0.8
            } else if qw.len() >= 5 && one_edit(qw, tw) {
                0.7
            } else {
                0.0
            };
            if s > best {
                best = s;
                at = Some(k);
            }
        }
        if let Some(k) = at {
            mask |= 1 << k;
            score += best;
            found += 1;
        }
    }
    if found == 0 {
        return None;
    }
    let completeness = found as f32 / t.words.len() as f32;
    Some((mask, (score / found as f32) * (0.4 + 0.6 * completeness)))
}

/// Within one edit (insert, delete, substitute, swap of neighbours).
pub(super) fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x > y => ra[1..] == *rb,
        _ => rb[1..] == *ra,
    }
}

/// The terms that can match the query, in term order. A run needs two term
/// characters, so a Chinese term must be hit from two query positions: by a
/// meaningful character (or one it may be mistyped for), a reading spelled
/// there, an initial at the start or end of a typed word (initials span
/// whole words), or the unfinished syllable at the end. An English term
/// needs one English word.
fn candidates(p: &Prepared, q: &Query) -> Vec<usize> {
    // Per term: distinct positions that hit it, the last one, and whether
    // a meaningful (not filler) position is among them.
    let mut hits = vec![(0u8, usize::MAX, false); p.terms.len()];
    let mut mark = |ids: &[u32], at: usize, meaningful: bool| {
        for &id in ids {
            let h = &mut hits[id as usize];
            if h.1 != at {
                *h = (h.0.saturating_add(1), at, h.2 || meaningful);
            }
        }
    };
    let n = q.units.len();
    for (i, u) in q.units.iter().enumerate() {
        match *u {
            Unit::Char(c) => {
                for c in std::iter::once(&c).chain(q.alts[i]) {
                    if let Some(ids) = p.by_char.get(c) {
                        mark(ids, i, q.weight[i] > 0.0);
                    }
                }
            }
            Unit::Letter(b) => {
                for (block, bits) in q.spelled[i].iter().enumerate() {
                    let mut bits = *bits;
                    while bits != 0 {
                        let s = block * 64 + bits.trailing_zeros() as usize;
                        mark(&p.by_syllable[s], i, true);
                        bits &= bits - 1;
                    }
                }
                if q.word_start[i] || q.word_end[i] {
                    mark(&p.by_initial[(b - b'a') as usize], i, true);
                }
                if n - i >= 2 && n - i < 6 {
                    for &s in &p.syllables_by_letter[(b - b'a') as usize] {
                        let syl = &p.syllables[s as usize];
                        let prefix = syl.len() > n - i
                            && (i..n).all(|k| q.units[k] == Unit::Letter(syl[k - i]));
                        if prefix {
                            mark(&p.by_syllable[s as usize], i, true);
                        }
                    }
                }
            }
        }
    }
    let words_at = n; // English words count as positions after the units.
    for (k, qw) in q.words.iter().enumerate() {
        let open = q.last_word_open && k + 1 == q.words.len();
        for (w, ids) in &p.by_word {
            let near = w == qw
                || (open && qw.len() >= 3 && w.starts_with(qw.as_str()))
                || (qw.len() >= 5 && one_edit(qw, w));
            if near {
                mark(ids, words_at + k, true);
            }
        }
    }
    hits.iter()
        .enumerate()
        .filter(|(id, h)| h.2 && h.0 >= if p.terms[*id].is_english() { 1 } else { 2 })
        .map(|(id, _)| id)
        .collect()
}

struct EventScore {
    chinese: Vec<f32>,
    english: Vec<f32>,
    matches: Vec<TermMatch>,
}

fn score_events(index: &SearchIndex, q: &Query) -> Vec<EventScore> {
    let p = &index.prepared;
    let mut events: Vec<EventScore> = (0..p.event_count)
        .map(|_| EventScore {
            chinese: vec![0.0; q.units.len()],
            english: vec![0.0; q.words.len()],
            matches: Vec::new(),
        })
        .collect();
    let (mut table, mut starts) = (Vec::new(), Vec::new());
    for ti in candidates(p, q) {
        let t = &p.terms[ti];
        let item = if t.item.is_some() { ITEM_FACTOR } else { 1.0 };
        let e = &mut events[t.event];
        if t.is_english() {
            if q.words.is_empty() {
                continue;
            }
            if let Some((mask, f)) = match_english(q, t) {
                let f = f * t.kind.weight() * item;
                for (k, slot) in e.english.iter_mut().enumerate() {
                    if mask & (1 << k) != 0 {
                        *slot = slot.max(f);
                    }
                }
                e.matches.push(TermMatch {
                    term: ti,
                    mask,
                    factor: f,
                    how: How::English,
                });
            }
            continue;
        }
        if let Some((mask, f, how)) = match_chinese(p, q, t, &mut table, &mut starts) {
            let f = f * t.kind.weight() * item;
            for (i, slot) in e.chinese.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *slot = slot.max(f);
                }
            }
            e.matches.push(TermMatch {
                term: ti,
                mask,
                factor: f,
                how,
            });
        }
    }
    events
}

/// Weight per unit: 0 for filler, and less the more events explain it. An
/// event that explains a unit only weakly counts as part of an event, so a
/// strong match is not drowned by many faint ones.
fn unit_weights(events: &[EventScore], base: &[f32], pick: fn(&EventScore) -> &[f32]) -> Vec<f32> {
    let n = events.len().max(1) as f32;
    base.iter()
        .enumerate()
        .map(|(i, &w)| {
            let best = events.iter().map(|e| pick(e)[i]).fold(0.0, f32::max);
            if w == 0.0 || best == 0.0 {
                return w;
            }
            let df: f32 = events.iter().map(|e| pick(e)[i] / best).sum();
            w * (1.0 + n / df).ln() / (1.0 + n).ln()
        })
        .collect()
}

/// The weight explained and its share of the query's total weight.
fn explained(values: &[f32], weights: &[f32], base: &[f32]) -> (f32, f32) {
    let total: f32 = base.iter().sum();
    if total == 0.0 {
        return (0.0, 0.0);
    }
    let sum = values.iter().zip(weights).map(|(v, w)| v * w).sum::<f32>();
    (sum, sum / total)
}

pub(super) fn search(index: &SearchIndex, query: &str, lang: Lang) -> Vec<Hit> {
    let p = &index.prepared;
    let q = read_query(p, query);
    if q.units.is_empty() && q.words.is_empty() {
        return Vec::new();
    }
    let events = score_events(index, &q);
    let cw = unit_weights(&events, &q.weight, |e| &e.chinese);
    let en_base = vec![1.0; q.words.len()];
    let ew = unit_weights(&events, &en_base, |e| &e.english);
    let has_han = q
        .units
        .iter()
        .any(|u| matches!(u, Unit::Char(c) if is_han(*c)));
    let (cf, ef) = match (lang, has_han) {
        (_, true) => (1.0, 0.9),
        (Lang::Zh, false) => (1.0, 0.95),
        (Lang::En, false) => (0.95, 1.0),
    };
    let mut hits: Vec<(usize, f32)> = events
        .iter()
        .enumerate()
        .filter_map(|(ei, e)| {
            let (c_sum, c_share) = explained(&e.chinese, &cw, &q.weight);
            let (e_sum, e_share) = explained(&e.english, &ew, &en_base);
            let share = (c_share * cf).max(e_share * ef);
            if share < MIN_SHARE && c_sum.max(e_sum) < MIN_EXPLAINED {
                return None;
            }
            let named = e.matches.iter().any(|m| {
                let t = &p.terms[m.term];
                t.item.is_none() && t.kind == Kind::Name && m.how == How::Exact
            });
            Some((ei, share + if named { NAME_BONUS } else { 0.0 }))
        })
        .collect();
    hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.into_iter()
        .map(|(ei, score)| hit(index, &events[ei], ei, score, &cw, &q))
        .collect()
}

fn hit(index: &SearchIndex, e: &EventScore, ei: usize, score: f32, cw: &[f32], q: &Query) -> Hit {
    let p = &index.prepared;
    let data = &index.data.events[ei];
    let mut matches = e.matches.clone();
    let worth = |m: &TermMatch| {
        let units: f32 = if m.how == How::English {
            m.mask.count_ones() as f32
        } else {
            cw.iter()
                .enumerate()
                .filter(|(i, _)| m.mask & (1 << i) != 0)
                .map(|(_, w)| w)
                .sum()
        };
        m.factor * units
    };
    matches.sort_by(|a, b| worth(b).total_cmp(&worth(a)).then(a.term.cmp(&b.term)));
    let mut matched: Vec<Matched> = Vec::new();
    for m in &matches {
        let term = &p.terms[m.term].text;
        if matched.len() < MAX_MATCHED && !matched.iter().any(|x| &x.term == term) {
            matched.push(Matched {
                term: term.clone(),
                how: m.how,
            });
        }
    }
    Hit {
        event: data.id.clone(),
        item: named_item(p, &matches, &data.items, cw, q),
        score,
        matched,
    }
}

/// The item whose own words explain most of the query, if one stands out:
/// it must beat the other items, and explain some part of the query at
/// better than the event's own words do ("补办" in 补办社保卡).
fn named_item(
    p: &Prepared,
    matches: &[TermMatch],
    items: &[super::index::ItemData],
    cw: &[f32],
    q: &Query,
) -> Option<String> {
    let coverage = |which: Option<usize>| {
        let mut chinese = vec![0.0f32; cw.len()];
        let mut english = vec![0.0f32; q.words.len()];
        for m in matches.iter().filter(|m| p.terms[m.term].item == which) {
            // Undo the item discount: here items compete with the event.
            let f = if which.is_some() {
                m.factor / ITEM_FACTOR
            } else {
                m.factor
            };
            let target = if m.how == How::English {
                &mut english
            } else {
                &mut chinese
            };
            for (i, slot) in target.iter_mut().enumerate() {
                if m.mask & (1 << i) != 0 {
                    *slot = slot.max(f);
                }
            }
        }
        (chinese, english)
    };
    let (own_c, own_e) = coverage(None);
    let mut scores = vec![0.0f32; items.len()];
    for (k, slot) in scores.iter_mut().enumerate() {
        let (c, e) = coverage(Some(k));
        let adds = c
            .iter()
            .zip(&own_c)
            .zip(cw)
            .any(|((v, o), w)| *w > 0.0 && *v > o + 0.01)
            || e.iter().zip(&own_e).any(|(v, o)| *v > o + 0.01);
        if adds {
            let sc: f32 = c.iter().zip(cw).map(|(v, w)| v * w).sum();
            let se: f32 = e.iter().sum();
            *slot = sc.max(se);
        }
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
    let best = *order.first()?;
    let second = order.get(1).map_or(0.0, |s| scores[*s]);
    (scores[best] > 0.0 && scores[best] > second * 1.2 + 0.05).then(|| items[best].id.clone())
}

pub(super) fn closest(index: &SearchIndex, query: &str, n: usize) -> Vec<Hit> {
    let p = &index.prepared;
    let q = read_query(p, query);
    let events = p.event_count;
    let mut found: Vec<(f32, Vec<Matched>)> = vec![(0.0, Vec::new()); events];
    // Single characters and word beginnings, each worth more the fewer
    // events share it: too weak for a hit, enough to point somewhere.
    let mut chars: Vec<char> = Vec::new();
    for (u, w) in q.units.iter().zip(&q.weight) {
        if let (Unit::Char(c), true) = (*u, *w > 0.0) {
            if is_han(c) && !chars.contains(&c) {
                chars.push(c);
            }
        }
    }
    let mut clue = |has: &dyn Fn(&Term) -> bool, label: String, how: How| {
        let mut with = vec![false; events];
        for t in p.terms.iter().filter(|t| has(t)) {
            with[t.event] = true;
        }
        let df = with.iter().filter(|x| **x).count();
        if df == 0 {
            return;
        }
        let idf = (1.0 + events as f32 / df as f32).ln();
        for (e, _) in with.iter().enumerate().filter(|(_, x)| **x) {
            found[e].0 += idf;
            found[e].1.push(Matched {
                term: label.clone(),
                how,
            });
        }
    };
    for &c in &chars {
        clue(
            &|t: &Term| t.chars.contains(&c),
            c.to_string(),
            How::Partial,
        );
    }
    for w in q.words.iter().filter(|w| w.len() >= 3) {
        let head = &w[..3];
        clue(
            &|t: &Term| {
                t.words
                    .iter()
                    .any(|tw| tw.starts_with(head) || one_edit(tw, w))
            },
            w.clone(),
            How::English,
        );
    }
    let mut order: Vec<usize> = (0..events).filter(|e| found[*e].0 > 0.0).collect();
    order.sort_by(|a, b| found[*b].0.total_cmp(&found[*a].0).then(a.cmp(b)));
    let popular = index
        .data
        .popular
        .iter()
        .filter_map(|id| index.data.events.iter().position(|e| &e.id == id));
    for e in popular.chain(0..events) {
        if !order.contains(&e) {
            order.push(e);
        }
    }
    order
        .into_iter()
        .take(n)
        .map(|e| {
            let (score, mut matched) = std::mem::take(&mut found[e]);
            matched.truncate(MAX_MATCHED);
            Hit {
                event: index.data.events[e].id.clone(),
                item: None,
                score,
                matched,
            }
        })
        .collect()
}
