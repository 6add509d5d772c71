//! `/events/:event`: what this one thing bundles, for whom, how long in
//! working days, what you will need — then 开始办理, which makes a new
//! draft (one resident may hold two drafts of one event: twins). Drafts
//! already started for this event are offered first.

use banshi_core::api::EventBundle;
use banshi_core::catalog::Audience;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use crate::catalog::{self, BundleExt};
use crate::components::heading::Heading;
use crate::components::page::Page;
use crate::drafts;
use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::routes::home::DraftLink;
use crate::session::use_session;

#[derive(Params, PartialEq, Clone, Debug)]
pub struct EventParams {
    event: Option<String>,
}

/// The longest committed limit among the items, if every item has one.
fn longest_limit(b: &EventBundle) -> Option<u32> {
    b.event
        .items
        .iter()
        .map(|i| i.time_limit_working_days)
        .collect::<Option<Vec<u32>>>()
        .and_then(|v| v.into_iter().max())
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params::<EventParams>();
    let id = move || {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.event.clone())
                .unwrap_or_default()
        })
    };
    let bundle = LocalResource::new(move || {
        let id = id();
        async move { catalog::bundle(&id).await }
    });
    view! {
        <Page>
            {move || Suspend::new(async move {
                let b = bundle.await?;
                Ok::<_, crate::api::Failure>(view! { <EventBody bundle=b/> })
            })}
        </Page>
    }
}

#[component]
fn EventBody(bundle: &'static EventBundle) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let event = &bundle.event;
    let started = LocalResource::new(move || {
        let viewer = session.viewer();
        async move {
            drafts::visible(&viewer)
                .await
                .into_iter()
                .filter(|d| d.event_id == event.id)
                .collect::<Vec<_>>()
        }
    });
    let failed = RwSignal::new(false);
    let start = move |_| {
        let navigate = navigate.clone();
        let owner = session.viewer_untracked();
        leptos::task::spawn_local(async move {
            match drafts::create(&event.id, owner).await {
                Ok(d) => navigate(&format!("/drafts/{}", d.id), Default::default()),
                Err(_) => failed.set(true),
            }
        });
    };
    let limit = longest_limit(bundle);
    let mut materials: Vec<&banshi_core::catalog::Material> = Vec::new();
    for m in event.items.iter().flat_map(|i| &i.materials) {
        if !materials.iter().any(|x| x.id == m.id) {
            materials.push(m);
        }
    }
    let who = match event.audience {
        Audience::Personal => t!(i18n, audience_personal).into_any(),
        Audience::Business => t!(i18n, audience_business).into_any(),
    };
    view! {
        <p class="crumb"><A href="/">{t!(i18n, home_crumb)}</A></p>
        <Heading>{move || tr(&event.name)}</Heading>
        <p class="lead">{move || tr(&event.summary)}</p>
        {bundle.batch.as_ref().map(|b| view! { <p class="batch">{move || tr(b)}</p> })}
        <dl class="facts">
            <div><dt>{t!(i18n, event_for_whom)}</dt><dd>{who}</dd></div>
            <div><dt>{t!(i18n, event_how_long)}</dt><dd>{match limit {
                Some(0) => t!(i18n, limit_on_the_spot).into_any(),
                Some(n) => t!(i18n, limit_up_to, n).into_any(),
                None => t!(i18n, limit_local).into_any(),
            }}</dd></div>
        </dl>
        <h2>{t!(i18n, event_bundles, count = event.items.len())}</h2>
        <ul class="items">
            {event.items.iter().map(|item| {
                let dept = bundle.department_name(&item.department);
                view! {
                    <li>
                        <span class="item-name">{move || tr(&item.name)}</span>
                        <span class="dept">{move || tr(&dept)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="hint">{t!(i18n, event_items_depend)}</p>
        {(!materials.is_empty()).then(|| view! {
            <h2>{t!(i18n, event_may_need)}</h2>
            <ul class="materials">
                {materials.into_iter().map(|m| view! { <li>{move || tr(&m.name)}</li> }).collect_view()}
            </ul>
        })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let ds = started.await;
                (!ds.is_empty()).then(|| view! {
                    <h2>{t!(i18n, event_continue)}</h2>
                    <ul class="drafts">{ds.into_iter().map(|d| view! { <DraftLink draft=d/> }).collect_view()}</ul>
                })
            })}
        </Transition>
        {move || failed.get().then(|| view! { <p class="notice error" role="alert">{t!(i18n, storage_failed)}</p> })}
        <button type="button" class="button primary" on:click=start>{t!(i18n, start)}</button>
        <p class="hint updated">{move || tr(&bundle.updated)}</p>
    }
}
