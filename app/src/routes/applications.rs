//! `/applications`: everything the resident has submitted, newest first.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::bi::{bi, Bi};
use crate::components::error::ErrorSummary;

#[component]
pub fn Applications() -> impl IntoView {
    let list = LocalResource::new(|| async { api::applications().await });
    view! {
        <h1>{bi("我的办件", "My applications")}</h1>
        <Suspense fallback=|| view! { <p class="loading">{bi("正在加载…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) if l.applications.is_empty() => view! {
                        <p>{bi("还没有办件。", "No applications yet.")}</p>
                    }.into_any(),
                    Ok(l) => view! {
                        <ul class="applications">
                            {l.applications.into_iter().map(|a| view! {
                                <li>
                                    <A href=format!("/applications/{}", a.id)>
                                        <b><Bi text=a.event_name/></b>
                                        <span><Bi text=a.overall.headline/></span>
                                    </A>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) if e.error.code == "unauthenticated" => view! {
                        <p>{bi("请先登录。", "Please sign in.")}</p>
                        <a class="button primary" rel="external" href=api::login_url("/applications")>{bi("登录", "Sign in")}</a>
                    }.into_any(),
                    Err(e) => view! { <ErrorSummary error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
