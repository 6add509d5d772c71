//! One `aria-live` region for the whole app: status changes ("已保存",
//! "已受理") are announced to screen readers without moving the focus.

use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Live(RwSignal<String>);

thread_local! {
    // Also reachable from async tasks, which run outside the reactive tree.
    static LIVE: std::cell::Cell<Option<RwSignal<String>>> = const { std::cell::Cell::new(None) };
}

pub fn provide() {
    let s = RwSignal::new(String::new());
    LIVE.with(|l| l.set(Some(s)));
    provide_context(Live(s));
}

/// Announce `text` politely.
pub fn announce(text: impl Into<String>) {
    if let Some(s) = LIVE.with(|l| l.get()) {
        s.set(text.into());
    }
}

#[component]
pub fn LiveRegion() -> impl IntoView {
    let Live(text) = expect_context::<Live>();
    view! { <div class="sr-only" role="status" aria-live="polite">{move || text.get()}</div> }
}
