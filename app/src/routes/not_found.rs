//! No page here: say so plainly and offer the way home.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::heading::Heading;
use crate::i18n::{t, use_i18n};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Heading>{t!(i18n, not_found_title)}</Heading>
        <p>{t!(i18n, not_found_body)}</p>
        <A href="/" attr:class="button">{t!(i18n, go_home)}</A>
    }
}
