//! Finding the right 一件事 in the resident's own words: core's search over
//! an index the edge builds from the catalog (keywords, everyday phrases,
//! typos, pinyin), fetched once when the resident first types and kept for
//! the rest of the visit; offline the service worker has a copy. Voice
//! input where the browser offers speech recognition.

use std::cell::RefCell;

use banshi_core::search::SearchIndex;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::api;

thread_local! {
    static INDEX: RefCell<Option<&'static SearchIndex>> = const { RefCell::new(None) };
}

/// The index, fetched on first use. `None` offline without a copy: the
/// caller falls back to plain matching on names.
pub async fn index() -> Option<&'static SearchIndex> {
    if let Some(i) = INDEX.with(|i| *i.borrow()) {
        return Some(i);
    }
    let i: &'static SearchIndex = Box::leak(Box::new(api::search_index().await.ok()?));
    INDEX.with(|c| *c.borrow_mut() = Some(i));
    Some(i)
}

fn recognition_class() -> Option<js_sys::Function> {
    let w = web_sys::window()?;
    ["SpeechRecognition", "webkitSpeechRecognition"]
        .iter()
        .find_map(|name| js_sys::Reflect::get(&w, &JsValue::from_str(name)).ok())
        .and_then(|v| v.dyn_into::<js_sys::Function>().ok())
}

/// Does this browser offer speech recognition?
pub fn can_listen() -> bool {
    recognition_class().is_some()
}

/// Listen once in `lang` and hand the words heard to `heard`.
pub fn listen(lang: &str, heard: impl Fn(String) + 'static) -> bool {
    let Some(class) = recognition_class() else {
        return false;
    };
    let Ok(rec) = js_sys::Reflect::construct(&class, &js_sys::Array::new()) else {
        return false;
    };
    let _ = js_sys::Reflect::set(&rec, &"lang".into(), &lang.into());
    let on_result = Closure::<dyn Fn(JsValue)>::new(move |ev: JsValue| {
        // event.results[0][0].transcript
        let text = js_sys::Reflect::get(&ev, &"results".into())
            .and_then(|r| js_sys::Reflect::get_u32(&r, 0))
            .and_then(|r| js_sys::Reflect::get_u32(&r, 0))
            .and_then(|r| js_sys::Reflect::get(&r, &"transcript".into()))
            .ok()
            .and_then(|t| t.as_string());
        if let Some(t) = text {
            heard(t);
        }
    });
    let _ = js_sys::Reflect::set(&rec, &"onresult".into(), on_result.as_ref());
    on_result.forget();
    let start = js_sys::Reflect::get(&rec, &"start".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    start.is_some_and(|f| f.call0(&rec).is_ok())
}
