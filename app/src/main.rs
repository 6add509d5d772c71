//! Entry point: take over the prerendered home page, if this load has one,
//! and mount the app into <body>.
//!
//! `cargo xtask build` puts a static home page in `#prerendered`
//! (xtask/src/prerender.rs) and index.html's loader imports this app only
//! when it is needed. Here the static markup is removed before the app
//! renders its own (so nothing shows twice), and what the resident was doing
//! on it carries over: the words typed into the search box and its focus.
//! The switches were already saved by the loader, in prefs.rs's format.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// What the resident left on the static page.
struct Handoff {
    query: String,
    focused: bool,
}

fn take_over(doc: &web_sys::Document) -> Option<Handoff> {
    let root = doc.get_element_by_id("prerendered")?;
    let search = doc
        .get_element_by_id("search")
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
    let focused = match (&search, doc.active_element()) {
        (Some(s), Some(a)) => same(&a, s),
        _ => false,
    };
    let query = search.map(|s| s.value()).unwrap_or_default();
    root.remove();
    Some(Handoff { query, focused })
}

fn same(a: &web_sys::Element, b: &HtmlInputElement) -> bool {
    let (a, b): (&wasm_bindgen::JsValue, &wasm_bindgen::JsValue) = (a.as_ref(), b.as_ref());
    a == b
}

/// Give the app's search box what the static one had. For a few frames,
/// since the page's heading takes the focus once it is shown.
fn hand_back(h: Handoff, frames: u8) {
    if h.query.is_empty() && !h.focused {
        return;
    }
    leptos::prelude::request_animation_frame(move || {
        let doc = leptos::prelude::document();
        if let Some(input) = doc
            .get_element_by_id("search")
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        {
            if !h.query.is_empty() && input.value() != h.query {
                input.set_value(&h.query);
                if let Ok(ev) = web_sys::Event::new("input") {
                    let _ = input.dispatch_event(&ev);
                }
            }
            if h.focused && !doc.active_element().is_some_and(|a| same(&a, &input)) {
                let _ = input.focus();
            }
        }
        if frames > 1 {
            hand_back(h, frames - 1);
        }
    });
}

fn main() {
    console_error_panic_hook::set_once();
    let doc = leptos::prelude::document();
    let handoff = take_over(&doc);
    leptos::mount::mount_to_body(banshi_app::App);
    // The app has run on this device: next time index.html's loader starts
    // it at once, even on the home page.
    if let Ok(Some(s)) = leptos::prelude::window().local_storage() {
        let _ = s.set_item("banshi.app", "1");
    }
    if let Some(h) = handoff {
        hand_back(h, 6);
    }
}
