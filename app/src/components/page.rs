//! Every page's async boundary: one `<Transition>` (the last page stays
//! visible while the next loads) around one `<ErrorBoundary>` whose
//! fallback says what went wrong in plain words and how to go on.

use leptos::prelude::*;

use super::error::page_error;
use crate::i18n::{t, use_i18n};

#[component]
pub fn Page(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            <ErrorBoundary fallback=page_error>{children()}</ErrorBoundary>
        </Transition>
    }
}
