//! The service worker, as signals: registers it, says whether a new version
//! is waiting, and lets the page tell the waiting one to take
//! over. The shape of leptos-use's `use_service_worker` (options with a
//! builder, a return struct of signals and closures), written on web-sys
//! directly: leptos-use would bring its whole dependency tree for one hook,
//! and workbox-window another JS file (BENCHMARKS.md has the byte figures).
//!
//! Unlike leptos-use's default, a controller change does not reload the
//! page by itself: the caller decides (the app reloads only after the
//! resident tapped 更新, never in the middle of a form).

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration};

/// Options for [`use_service_worker_with_options`].
pub struct UseServiceWorkerOptions {
    /// The worker's URL. Default `/sw.js`.
    script_url: String,
    /// Posted to the waiting worker by `skip_waiting`. Default
    /// `{type: "SKIP_WAITING"}`, what Workbox's workers listen for.
    skip_waiting_message: &'static str,
    /// Called when another worker takes control of the page. Default: nothing.
    on_controller_change: Rc<dyn Fn()>,
    /// Called with `event.data` of every message a worker posts to the page.
    on_message: Rc<dyn Fn(JsValue)>,
}

impl Default for UseServiceWorkerOptions {
    fn default() -> Self {
        Self {
            script_url: "/sw.js".into(),
            skip_waiting_message: "SKIP_WAITING",
            on_controller_change: Rc::new(|| {}),
            on_message: Rc::new(|_| {}),
        }
    }
}

impl UseServiceWorkerOptions {
    pub fn on_controller_change(mut self, f: impl Fn() + 'static) -> Self {
        self.on_controller_change = Rc::new(f);
        self
    }
    pub fn on_message(mut self, f: impl Fn(JsValue) + 'static) -> Self {
        self.on_message = Rc::new(f);
        self
    }
}

/// What [`use_service_worker_with_options`] returns.
pub struct UseServiceWorkerReturn<CheckFn: Fn() + Clone, SkipFn: Fn() + Clone> {
    /// The registration, once `register` has resolved.
    pub registration: Signal<Option<ServiceWorkerRegistration>, LocalStorage>,
    /// A new version is installed and waits for the page's word. Only ever
    /// true for an update: a first install has nothing to wait for.
    pub waiting: Signal<bool>,
    /// A worker is active for this scope.
    pub active: Signal<bool>,
    /// Ask the browser to look for a new version now.
    pub check_for_update: CheckFn,
    /// Tell the waiting worker to take over (it activates, and
    /// `on_controller_change` follows). Nothing if none waits.
    pub skip_waiting: SkipFn,
}

fn container() -> Option<ServiceWorkerContainer> {
    let nav = window().navigator();
    // Absent on plain http other than localhost, and in some private modes.
    js_sys::Reflect::has(&nav, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| nav.service_worker())
}

fn listen(target: &web_sys::EventTarget, name: &str, f: impl Fn(web_sys::Event) + 'static) {
    let cb = Closure::<dyn Fn(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
    // Lives as long as the page (the hook is used once, in the shell).
    cb.forget();
}

pub fn use_service_worker_with_options(
    options: UseServiceWorkerOptions,
) -> UseServiceWorkerReturn<impl Fn() + Clone, impl Fn() + Clone> {
    let registration = RwSignal::new_local(None::<ServiceWorkerRegistration>);
    // Bumped on every state change of a worker, so the flags re-read it.
    let changes = RwSignal::new(0u32);
    let flag = move |f: fn(&ServiceWorkerRegistration) -> bool| {
        Signal::derive(move || {
            changes.track();
            registration.with(|r| r.as_ref().is_some_and(f))
        })
    };
    if let Some(sw) = container() {
        let on_change = options.on_controller_change.clone();
        listen(&sw, "controllerchange", move |_| {
            changes.update(|n| *n += 1);
            on_change();
        });
        let on_message = options.on_message.clone();
        listen(&sw, "message", move |e| {
            if let Ok(m) = e.dyn_into::<web_sys::MessageEvent>() {
                on_message(m.data());
            }
        });
        // Messages also start flowing at DOMContentLoaded; this is for a
        // hook run before it. Through Reflect: web-sys 0.3 lacks the binding.
        if let Ok(f) = js_sys::Reflect::get(&sw, &"startMessages".into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call0(&sw);
            }
        }
        let url = options.script_url.clone();
        leptos::task::spawn_local(async move {
            let Ok(reg) = JsFuture::from(sw.register(&url)).await else {
                return;
            };
            let reg: ServiceWorkerRegistration = reg.unchecked_into();
            let watch = move |w: Option<ServiceWorker>| {
                if let Some(w) = w {
                    listen(&w, "statechange", move |_| changes.update(|n| *n += 1));
                }
            };
            watch(reg.installing());
            let r = reg.clone();
            listen(&reg, "updatefound", move |_| {
                watch(r.installing());
                changes.update(|n| *n += 1);
            });
            registration.set(Some(reg));
        });
    }
    let message = options.skip_waiting_message;
    UseServiceWorkerReturn {
        registration: registration.into(),
        waiting: flag(|r| r.waiting().is_some()),
        active: flag(|r| r.active().is_some()),
        check_for_update: move || {
            if let Some(r) = registration.get_untracked() {
                if let Ok(p) = r.update() {
                    // Offline it rejects; the next check will do.
                    leptos::task::spawn_local(async move {
                        let _ = JsFuture::from(p).await;
                    });
                }
            }
        },
        skip_waiting: move || {
            if let Some(w) = registration.get_untracked().and_then(|r| r.waiting()) {
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"type".into(), &message.into());
                let _ = w.post_message(&msg);
            }
        },
    }
}
