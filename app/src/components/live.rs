//! One `aria-live` region for the whole app: status changes ("已保存",
//! "已受理") are announced to screen readers without moving the focus.

use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Live(RwSignal<String>);

pub fn provide() {
    provide_context(Live(RwSignal::new(String::new())));
}

/// Announce `text` politely.
pub fn announce(text: impl Into<String>) {
    if let Some(Live(s)) = use_context::<Live>() {
        s.set(text.into());
    }
}

#[component]
pub fn LiveRegion() -> impl IntoView {
    let Live(text) = expect_context::<Live>();
    view! { <div class="sr-only" role="status" aria-live="polite">{move || text.get()}</div> }
}
