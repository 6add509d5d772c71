//! `/settings`: the language and elder mode, remembered on this device (and,
//! signed in, followed on the resident's other phones if they ask), and
//! for a signed-in resident the 免申即享 reminders, kept by the edge (off,
//! it reads nothing for them). Changing any never leaves the page or
//! touches a draft.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::heading::Heading;
use crate::i18n::{t, use_i18n, Locale};
use crate::prefs::use_prefs;
use crate::session::use_session;

#[component]
pub fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_prefs();
    view! {
        <Heading>{t!(i18n, settings_title)}</Heading>
        <fieldset class="group">
            <legend class="label">{t!(i18n, settings_language)}</legend>
            <div class="radios">
                <label class="radio" for="lang-zh" lang="zh-CN">
                    <input type="radio" name="lang" id="lang-zh" prop:checked=move || i18n.get_locale() == Locale::zh_CN
                        on:change=move |_| i18n.set_locale(Locale::zh_CN)/>
                    <span>"简体中文"</span>
                </label>
                <label class="radio" for="lang-en" lang="en">
                    <input type="radio" name="lang" id="lang-en" prop:checked=move || i18n.get_locale() == Locale::en
                        on:change=move |_| i18n.set_locale(Locale::en)/>
                    <span>"English"</span>
                </label>
            </div>
        </fieldset>
        <fieldset class="group">
            <legend class="label">{t!(i18n, settings_elder)}</legend>
            <label class="check" for="elder">
                <input type="checkbox" id="elder" prop:checked=move || prefs.elder.get()
                    on:change=move |ev| prefs.elder.set(event_target_checked(&ev))/>
                <span>{t!(i18n, settings_elder_explain)}</span>
            </label>
        </fieldset>
        <crate::components::follow::FollowSetting/>
        <p><A href="/settings/family">{t!(i18n, delegations_title)}</A></p>
        <OffersSetting/>
    }
}

/// The offers switch: read from the edge, saved there on each change.
#[component]
fn OffersSetting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let on = RwSignal::new(None::<bool>);
    let failed = RwSignal::new(false);
    let stored = LocalResource::new(move || {
        let signed_in = session.signed_in();
        async move {
            if signed_in {
                crate::api::settings().await.ok()
            } else {
                None
            }
        }
    });
    Effect::new(move || {
        if let Some(Some(s)) = stored.get() {
            on.set(Some(s.offers));
        }
    });
    let change = move |ev| {
        let want = event_target_checked(&ev);
        let Some(csrf) = session.csrf() else {
            failed.set(true);
            return;
        };
        let before = on.get_untracked();
        on.set(Some(want));
        leptos::task::spawn_local(async move {
            let body = banshi_core::api::SettingsChange {
                offers: Some(want),
                ..Default::default()
            };
            match crate::api::put_settings(&body, &csrf).await {
                Ok(s) => {
                    failed.set(false);
                    on.set(Some(s.offers));
                }
                Err(_) => {
                    failed.set(true);
                    on.set(before);
                }
            }
        });
    };
    view! {
        <fieldset class="group">
            <legend class="label">{t!(i18n, settings_offers)}</legend>
            {move || match on.get() {
                Some(checked) => view! {
                    <label class="check" for="offers">
                        <input type="checkbox" id="offers" prop:checked=checked on:change=change/>
                        <span>{t!(i18n, settings_offers_explain)}</span>
                    </label>
                }.into_any(),
                None => view! { <p class="help">{t!(i18n, settings_offers_signed_out)}</p> }.into_any(),
            }}
            {move || failed.get().then(|| view! {
                <p class="notice error" role="alert">{t!(i18n, offers_failed)}</p>
            })}
        </fieldset>
    }
}
