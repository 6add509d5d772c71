//! After a changed answer: what no longer applies and was removed, said
//! once on the next page, so nothing disappears without a word.

use leptos::prelude::*;

use crate::drafts::use_draft;
use crate::i18n::{t, use_i18n};
use crate::lang::tr;

#[component]
pub fn Dropped() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let notes = ctx.dropped.get_untracked();
    ctx.dropped.set(Vec::new());
    (!notes.is_empty()).then(|| {
        view! {
            <div class="notice" role="status">
                <p>{t!(i18n, dropped_intro)}</p>
                <ul>{notes.into_iter().map(|n| view! { <li>{move || tr(&n)}</li> }).collect_view()}</ul>
            </div>
        }
    })
}
