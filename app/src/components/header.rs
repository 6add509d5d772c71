//! The top bar: the name (home), messages, settings, who is signed in; and
//! beneath it, calmly, whether the phone is offline. Nothing here blocks
//! what works offline.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::i18n::{t, use_i18n};
use crate::net::use_net;
use crate::session::use_session;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let net = use_net();
    let location = use_location();
    let navigate = use_navigate();
    let here = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let logout = move |_| {
        let csrf = session.csrf().unwrap_or_default();
        session.forget();
        navigate("/", Default::default());
        leptos::task::spawn_local(async move {
            let _ = api::logout(&csrf).await;
        });
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">{t!(i18n, brand)}</A>
            <nav aria-label=move || i18n::t_string!(i18n, nav_label)>
                <A href="/applications">{t!(i18n, nav_applications)}</A>
                <A href="/inbox">{t!(i18n, nav_inbox)}</A>
                <A href="/settings">{t!(i18n, nav_settings)}</A>
            </nav>
            <div class="who">
                {move || {
                    let name = session.get().and_then(|s| s.resident).map(|r| r.name_masked);
                    if session.signed_in() {
                        view! {
                            <span class="signed-in" translate="no">{name.unwrap_or_default()}</span>
                            <button type="button" class="link" on:click=logout.clone()>{t!(i18n, sign_out)}</button>
                        }.into_any()
                    } else {
                        view! {
                            <a class="button small" rel="external" href=move || api::login_url(&here())>{t!(i18n, sign_in)}</a>
                        }.into_any()
                    }
                }}
            </div>
        </header>
        <crate::components::acting::ActingBanner/>
        {move || (!net.online.get()).then(|| view! {
            <p class="offline" role="status">{t!(i18n, offline_banner)}</p>
        })}
    }
}

use crate::i18n;
