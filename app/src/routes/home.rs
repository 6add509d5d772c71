//! The home page: the life events, personal first, then business.
//! Fetched from the edge; when offline, the copy built into the app.

use banshi_core::api::{EventList, EventSummary};
use banshi_core::catalog::{Audience, Catalog};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::bi::{bi, Bi};

fn embedded() -> EventList {
    let c = Catalog::embedded();
    EventList {
        version: c.version().to_owned(),
        events: c.events().iter().map(EventSummary::from).collect(),
    }
}

fn section(events: Vec<EventSummary>, audience: Audience) -> impl IntoView {
    events
        .into_iter()
        .filter(|e| e.audience == audience)
        .map(|e| {
            let href = format!("/events/{}", e.id);
            let count = e.item_count;
            view! {
                <li class="event-card">
                    <A href=href>
                        <span class="event-name"><Bi text=e.name/></span>
                        <span class="event-summary"><Bi text=e.summary/></span>
                        <span class="event-count">{format!("一次办好 {count} 个事项 · {count} items at once")}</span>
                    </A>
                </li>
            }
        })
        .collect_view()
}

#[component]
pub fn Home() -> impl IntoView {
    let events =
        LocalResource::new(|| async { api::events().await.unwrap_or_else(|_| embedded()) });
    view! {
        <h1>{bi("高效办成一件事", "Get one thing done")}</h1>
        <p class="lead">{bi("选一件您要办的事，回答几个问题，填一张表，一次提交给所有相关部门。",
            "Pick what you need to do, answer a few questions, fill in one form, submit once to every department.")}</p>
        <Suspense fallback=|| view! { <p class="loading">{bi("正在加载…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                let list = events.await;
                view! {
                    <h2>{bi("个人办事", "For individuals")}</h2>
                    <ul class="events" aria-label="个人办事">{section(list.events.clone(), Audience::Personal)}</ul>
                    <h2>{bi("企业办事", "For businesses")}</h2>
                    <ul class="events" aria-label="企业办事">{section(list.events, Audience::Business)}</ul>
                }
            })}
        </Suspense>
    }
}
