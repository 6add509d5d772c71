//! 在我登录的其他手机上也用这些设置: the language and elder mode follow the
//! resident from phone to phone, only if they ask. A phone that follows
//! saves its language and elder mode to the account on every change (and
//! forgets them there when the switch is turned off); a phone signed in
//! whose own differ is offered the account's on the home page, inline
//! (elder mode allows no pop-up), until it answers. 不用了 is remembered
//! on the phone for the settings it was offered; other settings are
//! offered again. Nothing is saved or offered signed out or while acting
//! for a family member: these are the resident's own.

use banshi_core::api::{Language, SettingsChange};
use leptos::prelude::*;

use crate::i18n::{t, use_i18n, Locale};
use crate::prefs::use_prefs;
use crate::session::use_session;

const FOLLOW: &str = "banshi.follow";
const DECLINED: &str = "banshi.follow.declined";

/// Does this phone follow the account? Remembered on the phone.
#[derive(Clone, Copy)]
struct Follow {
    on: RwSignal<bool>,
    /// The last save to the account did not go through.
    failed: RwSignal<bool>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn store(key: &str, value: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

fn language(locale: Locale) -> Language {
    if locale == Locale::en {
        Language::En
    } else {
        Language::ZhCn
    }
}

fn marker(lang: Language, elder: bool) -> String {
    format!("{};{}", lang.as_str(), u8::from(elder))
}

/// After the session: saves this phone's choices while it follows.
pub fn provide() {
    let i18n = use_i18n();
    let prefs = use_prefs();
    let session = use_session();
    let follow = Follow {
        on: RwSignal::new(stored(FOLLOW).is_some()),
        failed: RwSignal::new(false),
    };
    provide_context(follow);
    // Only what changes once the session is known: the language the page
    // opens with (the browser's, then the one chosen) is no choice.
    Effect::new(move |before: Option<Option<(Language, bool, bool)>>| {
        if !session.loaded.get() || !session.signed_in() || session.acting().is_some() {
            return None;
        }
        let now = (
            language(i18n.get_locale()),
            prefs.elder.get(),
            follow.on.get(),
        );
        let (lang, elder, on) = now;
        let was = before.flatten();
        // Saved while on; turned off, forgotten there once.
        if was.is_some_and(|was| was != now && (on || was.2)) {
            let change = SettingsChange {
                offers: None,
                lang: Some(on.then(|| lang.as_str().to_owned())),
                elder: Some(on.then_some(elder)),
            };
            leptos::task::spawn_local(async move {
                let saved = match session.csrf_now().await {
                    Some(csrf) => crate::api::put_settings(&change, &csrf).await.is_ok(),
                    None => false,
                };
                follow.failed.set(!saved);
            });
        }
        Some(now)
    });
}

/// The switch on the settings page, for the resident's own settings only.
#[component]
pub fn FollowSetting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let follow = expect_context::<Follow>();
    let change = move |ev| {
        let on = event_target_checked(&ev);
        store(FOLLOW, on.then_some("1"));
        follow.on.set(on);
    };
    move || {
        (session.signed_in() && session.acting().is_none()).then(|| {
            view! {
                <fieldset class="group">
                    <legend class="label">{t!(i18n, follow_title)}</legend>
                    <label class="check" for="follow">
                        <input type="checkbox" id="follow" aria-describedby="follow-help"
                            prop:checked=move || follow.on.get() on:change=change/>
                        <span>{t!(i18n, follow_setting)}</span>
                    </label>
                    <p class="help" id="follow-help">{t!(i18n, follow_explain)}</p>
                    {move || follow.failed.get().then(|| view! {
                        <p class="notice error" role="alert">{t!(i18n, offers_failed)}</p>
                    })}
                </fieldset>
            }
        })
    }
}

/// The offer on the home page: the account's settings, where this phone's differ.
#[component]
pub fn FollowOffer() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_prefs();
    let session = use_session();
    let follow = expect_context::<Follow>();
    let answered = RwSignal::new(false);
    let kept = LocalResource::new(move || {
        let own = session.signed_in() && session.acting().is_none();
        async move {
            if own {
                crate::api::settings().await.ok()
            } else {
                None
            }
        }
    });
    move || {
        let s = kept.get().flatten()?;
        let (lang, elder) = (s.lang?, s.elder?);
        let here = (language(i18n.get_locale()), prefs.elder.get());
        if answered.get() || here == (lang, elder) || stored(DECLINED) == Some(marker(lang, elder))
        {
            return None;
        }
        let accept = move |_| {
            answered.set(true);
            store(DECLINED, None);
            store(FOLLOW, Some("1"));
            follow.on.set(true);
            prefs.elder.set(elder);
            i18n.set_locale(if lang == Language::En {
                Locale::en
            } else {
                Locale::zh_CN
            });
            crate::components::live::announce(
                crate::i18n::t_string!(i18n, follow_done).to_string(),
            );
        };
        let decline = move |_| {
            answered.set(true);
            store(DECLINED, Some(&marker(lang, elder)));
        };
        let text = match (elder, lang) {
            (true, Language::ZhCn) => t!(i18n, follow_offer_elder_zh).into_any(),
            (true, Language::En) => t!(i18n, follow_offer_elder_en).into_any(),
            (false, Language::ZhCn) => t!(i18n, follow_offer_plain_zh).into_any(),
            (false, Language::En) => t!(i18n, follow_offer_plain_en).into_any(),
        };
        Some(view! {
            <section class="notice follow-offer" aria-labelledby="follow-offer">
                <p id="follow-offer">{text}</p>
                <div class="actions">
                    <button type="button" class="button primary" on:click=accept>{t!(i18n, follow_yes)}</button>
                    <button type="button" class="button secondary" on:click=decline>{t!(i18n, follow_no)}</button>
                </div>
            </section>
        })
    }
}
