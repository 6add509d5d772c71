//! The service worker's part of the shell. Registers it
//! (`hooks::use_service_worker`); when a new version waits, says
//! 有新版本，点击更新 and reloads only once the resident taps it — a form in
//! progress is never interrupted (every field is already saved on the phone,
//! so the reload after the tap loses nothing). Also:
//! - on the first visit the catalog requests happened before the worker
//!   existed; they are replayed into its cache (`CACHE_URLS`) so the events
//!   the resident opened open again offline;
//! - while offline it asks for Background Sync, and when the worker says the
//!   network is back (`FLUSH_OUTBOX`) the outbox is sent.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::ServiceWorkerRegistration;

use crate::hooks::use_service_worker::{
    use_service_worker_with_options, UseServiceWorkerOptions, UseServiceWorkerReturn,
};
use crate::i18n::{t, use_i18n};
use crate::net::use_net;
use crate::outbox::use_outbox;

/// The Background Sync tag `app/sw/sw.js` answers.
const SYNC_TAG: &str = "banshi-outbox";

#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let net = use_net();
    let tapped = StoredValue::new(false);
    let nav = window().navigator();
    // Was this page load served by a worker? If not, its catalog requests
    // went past it and are replayed into its cache once it is there.
    let uncontrolled = js_sys::Reflect::get(&nav, &"serviceWorker".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .map(|c| {
            c.unchecked_into::<web_sys::ServiceWorkerContainer>()
                .controller()
                .is_none()
        })
        .unwrap_or(false);
    let UseServiceWorkerReturn {
        registration,
        waiting,
        active,
        check_for_update,
        skip_waiting,
        ..
    } = use_service_worker_with_options(
        UseServiceWorkerOptions::default()
            .on_controller_change(move || {
                if tapped.get_value() {
                    let _ = window().location().reload();
                }
            })
            .on_message(move |data| {
                let kind = js_sys::Reflect::get(&data, &"type".into())
                    .ok()
                    .and_then(|v| v.as_string());
                if kind.as_deref() == Some("FLUSH_OUTBOX") {
                    leptos::task::spawn_local(crate::outbox::flush(outbox));
                }
            }),
    );
    // Once per page load: the flags change several times while installing.
    let warmed = StoredValue::new(false);
    Effect::new(move || {
        if uncontrolled && active.get() && !warmed.get_value() {
            if let Some(r) = registration.get() {
                warmed.set_value(true);
                warm_catalog(&r);
            }
        }
    });
    Effect::new(move || {
        if !net.online.get() {
            if let Some(r) = registration.get() {
                register_sync(&r);
            }
        }
    });
    // Look for a new version when the resident comes back to the app, and
    // hourly while it stays open (browsers look on every page load anyway).
    let check = check_for_update.clone();
    let on_visible = Closure::<dyn Fn()>::new(move || {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            check();
        }
    });
    let _ = document()
        .add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();
    let _ = set_interval_with_handle(check_for_update, std::time::Duration::from_secs(3600));
    view! {
        {move || waiting.get().then(|| {
            let skip = skip_waiting.clone();
            view! {
                <p class="update" role="status">
                    <button type="button" class="button small" on:click=move |_| {
                        tapped.set_value(true);
                        skip();
                    }>{t!(i18n, update_ready)}</button>
                </p>
            }
        })}
    }
}

/// Replay the catalog requests this page made before the worker ran
/// (`/api/events`, `/api/events/{id}`) through its stale-while-revalidate
/// route, so they are in its cache for offline use.
fn warm_catalog(reg: &ServiceWorkerRegistration) {
    let (Some(worker), Some(perf)) = (reg.active(), window().performance()) else {
        return;
    };
    let origin = window().location().origin().unwrap_or_default();
    let urls = js_sys::Array::new();
    for entry in perf.get_entries_by_type("resource") {
        let name = entry.unchecked_into::<web_sys::PerformanceEntry>().name();
        let Some(path) = name.strip_prefix(&origin) else {
            continue;
        };
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let catalog = path == "/api/events"
            || path
                .strip_prefix("/api/events/")
                .is_some_and(|id| !id.is_empty() && !id.contains('/'));
        if catalog && !urls.includes(&JsValue::from_str(&name), 0) {
            urls.push(&JsValue::from_str(&name));
        }
    }
    if urls.length() == 0 {
        return;
    }
    let payload = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&payload, &"urlsToCache".into(), &urls);
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"CACHE_URLS".into());
    let _ = js_sys::Reflect::set(&msg, &"payload".into(), &payload);
    let _ = worker.post_message(&msg);
}

/// `registration.sync.register(SYNC_TAG)` where the browser has Background
/// Sync (Chromium); elsewhere the outbox's own `online` listener and timer
/// do the same job while the page is open.
fn register_sync(reg: &ServiceWorkerRegistration) {
    let Ok(sync) = js_sys::Reflect::get(reg, &"sync".into()) else {
        return;
    };
    let Ok(register) = js_sys::Reflect::get(&sync, &"register".into()) else {
        return;
    };
    if let Some(f) = register.dyn_ref::<js_sys::Function>() {
        if let Ok(p) = f.call1(&sync, &SYNC_TAG.into()) {
            if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                leptos::task::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
                });
            }
        }
    }
}
