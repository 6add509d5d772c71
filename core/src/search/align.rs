//! Aligning one term with a query. A Chinese term: a small dynamic
//! programme where a term character matches the same query character, a
//! listed confusable, or letters spelling one of its readings in full or its
//! initial; the longest non-overlapping runs (two term characters at least)
//! say which query units it explains and how much of the term was found.
//! An English term: its words against the query's words, a prefix of an
//! unfinished last word and one-edit typos included.

use super::index::{Prepared, Term};
use super::query::{Query, Unit};
use super::How;

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
pub(super) struct Run {
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

/// Align a Chinese term with the query; `None` if no run counts.
pub(super) fn match_chinese(
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

/// The coverage bits of `len` characters from `start`: only the first 64
/// characters are tracked, so a match that starts later covers none of
/// them (a shift by 64 or more would overflow).
fn span(start: usize, len: usize) -> u64 {
    if start >= 64 {
        return 0;
    }
    let bits = if len >= 64 { !0 } else { (1u64 << len) - 1 };
    bits << start
}

/// Match an English term against the query's words.
pub(super) fn match_english(q: &Query, t: &Term) -> Option<(u64, f32)> {
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

#[cfg(test)]
mod span_tests {
    use super::span;

    #[test]
    fn a_match_beyond_the_sixty_fourth_character_covers_nothing_instead_of_overflowing() {
        assert_eq!(span(0, 3), 0b111);
        assert_eq!(span(62, 5), 0b11 << 62);
        assert_eq!(span(64, 2), 0);
        assert_eq!(span(70, 80), 0);
        assert_eq!(span(1, 64), !0 << 1);
    }
}
