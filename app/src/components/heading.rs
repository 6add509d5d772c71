//! A page's `<h1>`, which takes the focus when the page is shown, so a
//! screen reader announces the new step and keyboard users start there
//! (WCAG 2.4.3). `tabindex=-1`: focusable by script, not in the tab order.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn Heading(children: Children) -> impl IntoView {
    let node = NodeRef::<html::H1>::new();
    Effect::new(move || {
        if let Some(h) = node.get() {
            // A page rendered under <Suspense> mounts its heading before
            // it is in the document; focus once it is.
            request_animation_frame(move || {
                let _ = h.focus();
            });
        }
    });
    view! { <h1 node_ref=node tabindex="-1">{children()}</h1> }
}
