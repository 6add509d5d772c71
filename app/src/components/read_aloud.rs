//! 朗读: reads the page's main text aloud in the page's language. Shown on
//! question, result, check and tracking pages (and always in elder mode's
//! large size). The text read is what the page shows in its `.speak`
//! region, so it is exactly what a sighted reader sees.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{t, use_i18n};
use crate::speech::{self, Spoken};

fn main_text() -> String {
    let doc = document();
    let el = doc
        .query_selector("#main .speak")
        .ok()
        .flatten()
        .or_else(|| doc.get_element_by_id("main"));
    el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|e| e.inner_text())
        .unwrap_or_default()
}

#[component]
pub fn ReadAloud() -> impl IntoView {
    let i18n = use_i18n();
    let no_voice = RwSignal::new(false);
    let speaking = RwSignal::new(false);
    on_cleanup(speech::stop);
    let click = move |_| match speech::toggle(&main_text(), crate::lang::tag()) {
        Spoken::Started => {
            no_voice.set(false);
            speaking.set(true);
        }
        Spoken::Stopped => speaking.set(false),
        Spoken::NoVoice => no_voice.set(true),
    };
    view! {
        <div class="read-aloud">
            <button type="button" class="button secondary" on:click=click aria-pressed=move || speaking.get().to_string()>
                {move || if speaking.get() { t!(i18n, read_aloud_stop).into_any() } else { t!(i18n, read_aloud).into_any() }}
            </button>
            {move || no_voice.get().then(|| view! { <p class="notice" role="status">{t!(i18n, read_aloud_no_voice)}</p> })}
        </div>
    }
}
