//! Ranking events for a query: the candidate terms (inverted indexes), each
//! aligned with the query (`align`), their explanations summed per event.
//!
//! An event's score is the share of the query's meaningful units it
//! explains, each unit weighted by how few events explain it (a unit every
//! event matches, like 办, says little). Filler words weigh nothing.

use super::align::{match_chinese, match_english, one_edit};
use super::index::{Kind, Prepared, SearchIndex, Term};
use super::query::{is_han, read_query, Query, Unit};
use super::{Hit, How, Lang, Matched};
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
/// English terms longer than this are shown by their matched words.
const LONG_TERM_WORDS: usize = 6;

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
        let t = &p.terms[m.term];
        // A long English text (a summary) is shown as the words that matched.
        let term = if t.is_english() && t.words.len() > LONG_TERM_WORDS {
            let words: Vec<&str> = q
                .typed_words
                .iter()
                .enumerate()
                .filter(|(k, _)| m.mask & (1 << k) != 0)
                .map(|(_, w)| w.as_str())
                .collect();
            words.join(" ")
        } else {
            t.text.clone()
        };
        if matched.len() < MAX_MATCHED && !matched.iter().any(|x| x.term == term) {
            matched.push(Matched { term, how: m.how });
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
/// it must beat the other items, and explain some part of the query
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
