//! The resident's settings on this device: the language and elder mode
//! (长辈版), remembered in localStorage (they are not personal data) and
//! applied to `<html>` so every page follows at once. Changing either only
//! re-renders text and styles: no draft or step is touched.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Locale};

const KEY: &str = "banshi.prefs";

#[derive(Clone, Copy)]
pub struct Prefs {
    pub elder: RwSignal<bool>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What was stored: `"en"`/`"zh-CN"` and `elder`, as `lang=en;elder=1`.
fn load() -> (Option<Locale>, bool) {
    let raw = storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .unwrap_or_default();
    let mut locale = None;
    let mut elder = false;
    for part in raw.split(';') {
        match part.split_once('=') {
            Some(("lang", "en")) => locale = Some(Locale::en),
            Some(("lang", "zh-CN")) => locale = Some(Locale::zh_CN),
            Some(("elder", "1")) => elder = true,
            _ => {}
        }
    }
    (locale, elder)
}

fn save(locale: Locale, elder: bool) {
    let lang = if locale == Locale::en { "en" } else { "zh-CN" };
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, &format!("lang={lang};elder={}", u8::from(elder)));
    }
}

pub fn provide() {
    let i18n = use_i18n();
    let (locale, elder) = load();
    // Simplified Chinese unless the resident chose English on this device,
    // whatever the browser's own language list says. Set from an effect:
    // leptos_i18n's provider sets the browser's language once it has
    // mounted, and this runs after it.
    let chosen = locale.unwrap_or(Locale::zh_CN);
    Effect::new(move |first: Option<()>| {
        if first.is_none() {
            i18n.set_locale(chosen);
        }
    });
    let elder = RwSignal::new(elder);
    let started = StoredValue::new(false);
    Effect::new(move || {
        let on = elder.get();
        let locale = i18n.get_locale();
        // The first run sees the browser's language, not the one chosen.
        if started.get_value() {
            save(locale, on);
        }
        started.set_value(true);
        if let Some(html) = document().document_element() {
            let _ = html.class_list().toggle_with_force("elder", on);
        }
    });
    provide_context(Prefs { elder });
}

pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}
