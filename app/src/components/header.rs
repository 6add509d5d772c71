//! The top bar: the name, where you are, who is signed in.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::bi::bi;
use crate::api;
use crate::session::use_session;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let logout = Action::new_local(move |csrf: &String| {
        let csrf = csrf.clone();
        async move {
            let _ = api::logout(&csrf).await;
            session.refetch();
        }
    });
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="zh">"办事"</span>
                <span class="en">"Banshi"</span>
            </A>
            <nav>
                <A href="/applications">{bi("我的办件", "My applications")}</A>
            </nav>
            <div class="who">
                {move || match session.get() {
                    Some(s) => match (s.resident, s.csrf_token) {
                        (Some(r), Some(csrf)) => view! {
                            <span class="signed-in">{r.name_masked}</span>
                            <button class="link" on:click=move |_| { logout.dispatch(csrf.clone()); }>
                                {bi("退出", "Sign out")}
                            </button>
                        }.into_any(),
                        _ => view! {
                            <a class="button small" rel="external" href=move || api::login_url(&location.pathname.get())>
                                {bi("登录", "Sign in")}
                            </a>
                        }.into_any(),
                    },
                    None => view! { <span></span> }.into_any(),
                }}
            </div>
        </header>
    }
}
