//! The language the page is in, one at a time: UI strings come from
//! `locales/*.json` through leptos_i18n's `t!`; catalog and edge texts carry
//! both languages (`Text`) and are picked here. Dates are written the way
//! each language writes them (2026年12月1日 / 1 December 2026).

use banshi_core::Text;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::i18n::Locale;
use leptos_i18n::I18nContext;

thread_local! {
    /// The language last seen, for code that runs outside the reactive
    /// tree (an async task after an await): there `use_i18n` has no context.
    static LAST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Is the page in English? Reactive when read inside the tree (it follows
/// a switch); outside it, the language last seen.
pub fn is_en() -> bool {
    match leptos::prelude::use_context::<I18nContext<Locale>>() {
        Some(i18n) => {
            let en = i18n.get_locale() == Locale::en;
            LAST.with(|l| l.set(en));
            en
        }
        None => LAST.with(|l| l.get()),
    }
}

/// The `lang` tag of the current language, for speech and `<html lang>`.
pub fn tag() -> &'static str {
    if is_en() {
        "en"
    } else {
        "zh-CN"
    }
}

/// The current language's side of a catalog or edge text.
pub fn tr(text: &Text) -> String {
    if is_en() {
        text.en.clone()
    } else {
        text.zh.clone()
    }
}

/// A text that names people or businesses ("You authorised 马丽 (child)…"):
/// in English, each run of Chinese characters is marked `lang="zh-CN"`, so
/// a screen reader reads the name in Chinese instead of spelling it out.
pub fn tr_names(text: &Text) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    if !is_en() {
        return text.zh.clone().into_any();
    }
    let mut parts: Vec<(bool, String)> = Vec::new();
    for c in text.en.chars() {
        let han = is_han(c);
        match parts.last_mut() {
            Some((h, s)) if *h == han => s.push(c),
            _ => parts.push((han, c.to_string())),
        }
    }
    parts
        .into_iter()
        .map(|(han, s)| {
            if han {
                view! { <span lang="zh-CN">{s}</span> }.into_any()
            } else {
                s.into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// CJK ideographs and the full-width punctuation that goes with them.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// Pick between two literals written in place (used for tiny fragments
/// such as list separators, where a locale key would be noise).
pub fn pick(zh: &'static str, en: &'static str) -> &'static str {
    if is_en() {
        en
    } else {
        zh
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// 2026年12月1日 / 1 December 2026.
pub fn date(d: NaiveDate) -> String {
    if is_en() {
        format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
    } else {
        format!("{}年{}月{}日", d.year(), d.month(), d.day())
    }
}

/// 2026年12月1日 14:03 / 1 December 2026, 14:03 — in China time.
pub fn datetime(at: DateTime<Utc>) -> String {
    let local = banshi_core::message::china_time(at);
    let hm = local.format("%H:%M");
    if is_en() {
        format!("{}, {hm}", date(local.date_naive()))
    } else {
        format!("{} {hm}", date(local.date_naive()))
    }
}
