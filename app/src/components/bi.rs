//! Bilingual text: Chinese first, English beneath in smaller type.

use banshi_core::Text;
use leptos::prelude::*;

#[component]
pub fn Bi(text: Text) -> impl IntoView {
    view! {
        <span class="bi">
            <span class="zh" lang="zh-CN">{text.zh}</span>
            <span class="en" lang="en">{text.en}</span>
        </span>
    }
}

/// The same, from two literals.
pub fn bi(zh: &str, en: &str) -> impl IntoView {
    view! { <Bi text=Text::new(zh, en)/> }
}
