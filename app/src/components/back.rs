//! GOV.UK's back link: to the step before this one (not the browser's
//! history, which may hold a page from another journey). Going back never
//! deletes an answer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, use_i18n};

#[component]
pub fn BackLink(#[prop(into)] href: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <A href=move || href.get() attr:class="back">{t!(i18n, back)}</A> }
}
