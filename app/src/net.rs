//! Is there a network? The browser's `navigator.onLine` and its
//! `online`/`offline` events, as one signal: the header says so calmly, and
//! the outbox sends when it comes back.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub struct Net {
    pub online: RwSignal<bool>,
}

pub fn provide() {
    let win = window();
    let online = RwSignal::new(win.navigator().on_line());
    for (name, value) in [("online", true), ("offline", false)] {
        let cb = Closure::<dyn Fn()>::new(move || online.set(value));
        let _ = win.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
        // Lives as long as the page.
        cb.forget();
    }
    provide_context(Net { online });
}

pub fn use_net() -> Net {
    expect_context::<Net>()
}
