//! `/settings`: the language and elder mode, remembered on this device.
//! Changing either never leaves the page or touches a draft.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::heading::Heading;
use crate::i18n::{t, use_i18n, Locale};
use crate::prefs::use_prefs;

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
        <p><A href="/settings/family">{t!(i18n, delegations_title)}</A></p>
    }
}
