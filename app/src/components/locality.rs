//! Where a rule comes from, in plain words, when it is one place's rule
//! shown as an example ("以广东省中山市为例，各地规定可能不同，以当地为准"):
//! the catalog says so in its data, and the resident must see it too.

use banshi_core::Text;
use leptos::prelude::*;

use crate::lang::tr;

#[component]
pub fn Locality(note: Option<Text>) -> impl IntoView {
    note.map(|n| view! { <p class="locality">{move || tr(&n)}</p> })
}
