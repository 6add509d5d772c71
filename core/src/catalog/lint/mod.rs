//! Cross-reference checks over the whole catalog. Parsing (done by build.rs)
//! proves each file has the right shape; this proves the files agree with
//! each other, so a broken reference fails `cargo xtask test`, not a resident.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use chrono::{Datelike, Weekday};

use super::model::*;

mod batches;
mod provenance;
#[cfg(test)]
mod tests;

/// One problem found in the catalog, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintError {
    /// `events/newborn.toml: items[ssc-apply].materials[photo]` and the like.
    pub at: String,
    pub problem: String,
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.problem)
    }
}

struct Lint<'a> {
    data: &'a CatalogData,
    errors: Vec<LintError>,
}

impl Lint<'_> {
    fn err(&mut self, at: impl Into<String>, problem: impl Into<String>) {
        self.errors.push(LintError {
            at: at.into(),
            problem: problem.into(),
        });
    }
}

/// Every problem in `data`; empty when the catalog is sound.
pub fn lint(data: &CatalogData) -> Vec<LintError> {
    let mut l = Lint {
        data,
        errors: Vec::new(),
    };
    unique_ids(
        &mut l,
        "departments.toml",
        data.departments.iter().map(|d| d.id.as_str()),
    );
    unique_ids(
        &mut l,
        "ecerts.toml",
        data.ecerts.iter().map(|c| c.id.as_str()),
    );
    unique_ids(&mut l, "events/", data.events.iter().map(|e| e.id.as_str()));
    for d in &data.departments {
        text(&mut l, &format!("departments.toml: {}", d.id), &d.name);
    }
    for c in &data.ecerts {
        text(&mut l, &format!("ecerts.toml: {}", c.id), &c.name);
    }
    for event in &data.events {
        lint_event(&mut l, event);
    }
    for year in &data.calendar {
        lint_year(&mut l, year);
    }
    let mut subjects = HashSet::new();
    for m in &data.messages {
        text(&mut l, &format!("messages.toml: {}", m.status), &m.title);
        text(&mut l, &format!("messages.toml: {}", m.status), &m.body);
    }
    for n in &data.notices {
        text(&mut l, &format!("messages.toml: notice {}", n.id), &n.title);
        text(&mut l, &format!("messages.toml: notice {}", n.id), &n.body);
    }
    for s in &data.sections {
        if !subjects.insert(s.subject.as_str()) {
            l.err(
                "sections.toml",
                format!("section {:?} is declared twice", s.subject),
            );
        }
        text(&mut l, &format!("sections.toml: {}", s.subject), &s.label);
    }
    batches::lint_batches(&mut l);
    if data.info.version.trim().is_empty() {
        l.err("catalog.toml", "the catalog has no version");
    }
    if data.notices.iter().all(|n| n.id != "promise") {
        l.err(
            "messages.toml",
            "no [[notice]] \"promise\": the text of 告知承诺",
        );
    }
    l.errors
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn unique_ids<'a>(l: &mut Lint, at: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for id in ids {
        if !valid_id(id) {
            l.err(at, format!("id {id:?} is not lowercase [a-z0-9-]"));
        }
        if !seen.insert(id) {
            l.err(at, format!("id {id:?} is used twice"));
        }
    }
}

fn text(l: &mut Lint, at: &str, t: &Text) {
    if t.zh.trim().is_empty() || t.en.trim().is_empty() {
        l.err(at, "a text lacks zh or en");
    }
    if let Some(why) = other_language(t) {
        l.err(at, why);
    }
}

/// One language at a time: Chinese in the English text outside brackets
/// (where official item names are kept), or English words in the Chinese
/// text beyond codes and units.
fn other_language(t: &Text) -> Option<String> {
    let mut depth = 0i32;
    for c in t.en.chars() {
        match c {
            '(' | '（' | '「' | '“' => depth += 1,
            ')' | '）' | '」' | '”' => depth -= 1,
            c if depth <= 0 && ('\u{3400}'..='\u{9fff}').contains(&c) => {
                return Some(format!(
                    "the English text has Chinese outside brackets: {:?}",
                    t.en
                ));
            }
            _ => {}
        }
    }
    const CODES: [&str; 12] = [
        "PDF", "KB", "MB", "ID", "JPG", "PNG", "APP", "CA", "DNA", "USB", "OK", "EMS",
    ];
    // Template placeholders ({item}) are filled in the page's language.
    let mut zh = String::with_capacity(t.zh.len());
    let mut inside = false;
    for c in t.zh.chars() {
        match c {
            '{' => inside = true,
            '}' => inside = false,
            c if !inside => zh.push(c),
            _ => {}
        }
    }
    let word: String = zh
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| w.len() >= 2 && !CODES.contains(&w.to_ascii_uppercase().as_str()))?
        .to_owned();
    Some(format!(
        "the Chinese text has an English word ({word}): {:?}",
        t.zh
    ))
}

fn lint_event(l: &mut Lint, event: &Event) {
    let file = format!("events/{}.toml", event.id);
    text(l, &file, &event.name);
    text(l, &file, &event.summary);
    if event.sources.is_empty() {
        l.err(&file, "the event cites no sources");
    }
    // Who may apply for someone else is a legal fact: only where a source says so.
    match (
        event.accepts_agent || event.accepts_paper_mandate,
        event.agent_source,
    ) {
        (true, None) => l.err(
            &file,
            "accepts_agent / accepts_paper_mandate must cite their source (agent_source)",
        ),
        (false, Some(_)) => l.err(
            &file,
            "agent_source without accepts_agent or accepts_paper_mandate",
        ),
        (_, Some(s)) if s >= event.sources.len() => {
            l.err(&file, format!("agent_source {s} points at no source"))
        }
        _ => {}
    }
    if event.accepts_agent && event.audience != Audience::Business {
        l.err(
            &file,
            "accepts_agent is for business events; a family member may act for a resident on any personal event",
        );
    }
    for (i, s) in event.sources.iter().enumerate() {
        let at = format!("{file}: sources[{i}]");
        if s.scope == SourceScope::Local && s.place.is_none() {
            l.err(&at, "a local source must name its place");
        }
        if let Some(p) = &s.place {
            text(l, &at, p);
        }
        provenance::original_or_mirror(l, &at, &s.url, s.scope == SourceScope::National, s.mirror);
        let date_ok = chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").is_ok()
            || chrono::NaiveDate::parse_from_str(&format!("{}-01", s.date), "%Y-%m-%d").is_ok();
        if !date_ok {
            l.err(
                &at,
                format!("date {:?} is not YYYY-MM-DD or YYYY-MM", s.date),
            );
        }
    }

    provenance::lint_event_provenance(l, &file, event);
    lint_retired(l, &file, event);

    unique_ids(l, &file, event.questions.iter().map(|q| q.id.as_str()));
    unique_ids(l, &file, event.items.iter().map(|i| i.id.as_str()));
    let mut keys = HashSet::new();
    for f in &event.fields {
        if !keys.insert(f.key.as_str()) {
            l.err(&file, format!("field {:?} is declared twice", f.key));
        }
    }

    for (qi, q) in event.questions.iter().enumerate() {
        let at = format!("{file}: questions[{}]", q.id);
        text(l, &at, &q.text);
        for t in q.help.iter().chain(q.options.iter().map(|o| &o.text)) {
            text(l, &at, t);
        }
        let has_options = matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple);
        if has_options && q.options.len() < 2 {
            l.err(&at, "a choice question needs at least two options");
        }
        if !has_options && !q.options.is_empty() {
            l.err(&at, "only single/multiple questions have options");
        }
        unique_ids(l, &at, q.options.iter().map(|o| o.value.as_str()));
        if let Some(c) = &q.ask_when {
            // Asking only on earlier answers keeps the guide order-independent.
            condition(l, &at, event, c, Some(qi));
        }
    }

    let mut needed_items: BTreeSet<&str> = BTreeSet::new();
    for f in &event.fields {
        let at = format!("{file}: fields[{}]", f.key);
        text(l, &at, &f.label);
        for t in f.help.iter().chain(f.options.iter().map(|o| &o.text)) {
            text(l, &at, t);
        }
        if !f.key.contains('.') || f.key.split('.').any(|p| p.is_empty()) {
            l.err(&at, "a field key is <subject>.<fact>");
        }
        if f.items.is_empty() {
            l.err(&at, "the field is needed by no item");
        }
        for item in &f.items {
            if event.item(item).is_none() {
                l.err(&at, format!("names unknown item {item:?}"));
            }
            needed_items.insert(item);
        }
        if (f.kind == FieldKind::Choice) == f.options.is_empty() {
            l.err(&at, "choice fields, and only they, have options");
        }
        if let Some(p) = &f.prefill {
            prefill(l, &at, p);
        }
        if l.data.sections.iter().all(|s| s.subject != f.subject()) {
            l.err(
                &at,
                format!(
                    "no form section for subject {:?} (sections.toml)",
                    f.subject()
                ),
            );
        }
    }

    for item in &event.items {
        let at = format!("{file}: items[{}]", item.id);
        text(l, &at, &item.name);
        text(l, &at, &item.fee);
        if l.data.departments.iter().all(|d| d.id != item.department) {
            l.err(
                &at,
                format!("names unknown department {:?}", item.department),
            );
        }
        if let Some(c) = &item.applies_when {
            condition(l, &at, event, c, None);
        }
        match (item.time_limit_working_days, item.time_limit_source) {
            (Some(_), None) => l.err(&at, "a time limit must cite its source (time_limit_source)"),
            (None, Some(_)) => l.err(&at, "time_limit_source without a time limit"),
            (_, Some(s)) if s >= event.sources.len() => {
                l.err(&at, format!("time_limit_source {s} points at no source"))
            }
            _ => {}
        }
        if let Some(note) = &item.time_limit_note {
            text(l, &at, note);
            if item.time_limit_working_days.is_none() {
                l.err(&at, "time_limit_note without a time limit");
            }
        }
        if item.delivery.is_empty() {
            l.err(&at, "say how the result is delivered");
        }
        if item.materials.is_empty() && !needed_items.contains(item.id.as_str()) {
            l.err(
                &at,
                "the item needs no field and no material: nothing to send",
            );
        }
        unique_ids(l, &at, item.materials.iter().map(|m| m.id.as_str()));
        for m in &item.materials {
            let at = format!("{at}.materials[{}]", m.id);
            text(l, &at, &m.name);
            if let Some(c) = &m.required_when {
                condition(l, &at, event, c, None);
            }
            // 容缺 is a legal fact: the material may follow only where a
            // source says so, and the period only as that source gives it.
            match (m.deferrable, m.defer_source) {
                (true, None) => l.err(&at, "a deferral must cite its source (defer_source)"),
                (false, Some(_)) => l.err(&at, "defer_source on a material that is not deferrable"),
                (_, Some(s)) if s >= event.sources.len() => {
                    l.err(&at, format!("defer_source {s} points at no source"))
                }
                _ => {}
            }
            if m.defer_working_days.is_some() && !m.deferrable {
                l.err(
                    &at,
                    "defer_working_days on a material that is not deferrable",
                );
            }
            if let Some(cert) = &m.waived_by {
                if l.data.ecerts.iter().all(|c| &c.id != cert) {
                    l.err(
                        &at,
                        format!("waived_by names unknown e-certificate {cert:?}"),
                    );
                }
            }
        }
    }
}

/// Retired items stay whole and distinct from current ones, so a stored
/// application resolves to exactly one definition.
fn lint_retired(l: &mut Lint, file: &str, event: &Event) {
    let mut seen = HashSet::new();
    for r in &event.retired_items {
        let at = format!("{file}: retired_items[{}]", r.item.id);
        if !valid_id(&r.item.id) || !seen.insert(r.item.id.as_str()) {
            l.err(&at, "a retired item id is malformed or used twice");
        }
        if event.item(&r.item.id).is_some() {
            l.err(
                &at,
                "a retired item id is still offered: pick a new id for the new item",
            );
        }
        if r.retired_in.trim().is_empty() || r.reason.trim().is_empty() {
            l.err(
                &at,
                "say in which catalog version and why the item was retired",
            );
        }
        if let Some(new) = &r.replaced_by {
            if event.item(new).is_none() {
                l.err(&at, format!("replaced_by names unknown item {new:?}"));
            }
        }
        if r.item.applies_when.is_some() {
            l.err(
                &at,
                "a retired item keeps no applies_when (its questions may be gone)",
            );
        }
        text(l, &at, &r.item.name);
        if l.data.departments.iter().all(|d| d.id != r.item.department) {
            l.err(
                &at,
                format!("names unknown department {:?}", r.item.department),
            );
        }
        if let Some(s) = r
            .item
            .time_limit_source
            .filter(|s| *s >= event.sources.len())
        {
            l.err(&at, format!("time_limit_source {s} points at no source"));
        }
    }
}

fn prefill(l: &mut Lint, at: &str, p: &str) {
    const IDENTITY: [&str; 3] = ["identity.name", "identity.id_number", "identity.phone"];
    if IDENTITY.contains(&p) {
        return;
    }
    match p.strip_prefix("ecert:").and_then(|r| r.split_once('.')) {
        Some((cert, fact)) if !fact.is_empty() => {
            if l.data.ecerts.iter().all(|c| c.id != cert) {
                l.err(at, format!("prefill names unknown e-certificate {cert:?}"));
            }
        }
        _ => l.err(
            at,
            format!("prefill {p:?} is not identity.<fact> or ecert:<id>.<fact>"),
        ),
    }
}

/// `before`: the condition may only mention questions earlier than this index.
fn condition(l: &mut Lint, at: &str, event: &Event, c: &Condition, before: Option<usize>) {
    let question = |l: &mut Lint, id: &str| -> Option<(usize, &Question)> {
        match event.questions.iter().enumerate().find(|(_, q)| q.id == id) {
            None => {
                l.err(at, format!("condition names unknown question {id:?}"));
                None
            }
            Some((i, q)) => {
                if before.is_some_and(|b| i >= b) {
                    l.err(
                        at,
                        format!("ask_when may only depend on earlier questions, not {id:?}"),
                    );
                }
                Some((i, q))
            }
        }
    };
    let option = |l: &mut Lint, q: &Question, v: &str| {
        if q.options.iter().all(|o| o.value != v) {
            l.err(at, format!("question {:?} has no option {v:?}", q.id));
        }
    };
    use QuestionKind as K;
    match c {
        Condition::All(cs) | Condition::Any(cs) => {
            if cs.is_empty() {
                l.err(at, "all/any needs at least one condition");
            }
            for c in cs {
                condition(l, at, event, c, before);
            }
        }
        Condition::Not(c) => condition(l, at, event, c, before),
        Condition::Equals {
            question: id,
            value,
        } => {
            if let Some((_, q)) = question(l, id) {
                match (q.kind, value) {
                    (K::YesNo, Scalar::Bool(_)) | (K::Number, Scalar::Number(_)) => {}
                    (K::Single, Scalar::Text(v)) => option(l, q, v),
                    _ => l.err(at, format!("equals on {id:?} compares with the wrong type")),
                }
            }
        }
        Condition::In {
            question: id,
            values,
        } => {
            if let Some((_, q)) = question(l, id) {
                if q.kind != K::Single {
                    l.err(
                        at,
                        format!("in needs a single-choice question, {id:?} is not"),
                    );
                }
                for v in values {
                    option(l, q, v);
                }
            }
        }
        Condition::Includes {
            question: id,
            value,
        } => {
            if let Some((_, q)) = question(l, id) {
                if q.kind != K::Multiple {
                    l.err(
                        at,
                        format!("includes needs a multiple-choice question, {id:?} is not"),
                    );
                }
                option(l, q, value);
            }
        }
        Condition::Range { question: id, .. } => {
            if let Some((_, q)) = question(l, id) {
                if q.kind != K::Number {
                    l.err(at, format!("range needs a number question, {id:?} is not"));
                }
            }
        }
        Condition::Age { question: id, .. } => {
            if let Some((_, q)) = question(l, id) {
                if q.kind != K::Date {
                    l.err(at, format!("age needs a date question, {id:?} is not"));
                }
            }
        }
    }
}

fn lint_year(l: &mut Lint, y: &YearSchedule) {
    let at = format!("calendar/{}.toml", y.year);
    if !y.source.url.starts_with("http") {
        l.err(&at, "the schedule must cite its notice");
    }
    for h in &y.holidays {
        if h.from > h.to {
            l.err(&at, format!("holiday {} ends before it starts", h.name));
        }
        if h.from.year() != y.year && h.to.year() != y.year {
            l.err(&at, format!("holiday {} is outside {}", h.name, y.year));
        }
    }
    for d in &y.workdays {
        if d.year() != y.year {
            l.err(&at, format!("workday {d} is outside {}", y.year));
        }
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            l.err(&at, format!("swapped workday {d} is not a weekend day"));
        }
        if y.holidays.iter().any(|h| h.from <= *d && *d <= h.to) {
            l.err(&at, format!("{d} is both a holiday and a workday"));
        }
    }
}
