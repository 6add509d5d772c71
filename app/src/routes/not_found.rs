//! Unknown address.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::bi::bi;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>{bi("没有找到这个页面", "Page not found")}</h1>
        <p><A href="/">{bi("回到首页", "Back to the home page")}</A></p>
    }
}
