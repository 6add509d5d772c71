//! An item's status as a badge, coloured by core's `ItemStatus::as_str`.

use banshi_core::status::ItemStatus;
use leptos::prelude::*;

use crate::lang::tr;

#[component]
pub fn StatusBadge(status: ItemStatus) -> impl IntoView {
    let label = status.label();
    view! { <span class=format!("badge status-{}", status.as_str())>{move || tr(&label)}</span> }
}
