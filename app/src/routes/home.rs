//! `/`: find the thing to do. A search box, the events people look for most
//! (personal first, then business), my applications and drafts, and the
//! two switches (长辈版, language). Elder mode shows fewer choices: the most
//! common personal events, my applications, and the 12345 hotline.

use banshi_core::api::{ApplicationSummary, EventSummary};
use banshi_core::catalog::{Audience, ELDER_COUNT, POPULAR};
use banshi_core::draft::Draft;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::catalog;
use crate::components::heading::Heading;
use crate::components::page::Page;
use crate::i18n::{t, use_i18n};
use crate::lang::{datetime, tr};
use crate::prefs::use_prefs;
use crate::session::use_session;
use crate::{api, drafts};

/// Most looked-for first, then catalog order.
fn ordered(events: &[EventSummary]) -> Vec<EventSummary> {
    let rank = |e: &EventSummary| {
        POPULAR
            .iter()
            .position(|p| *p == e.id)
            .unwrap_or(usize::MAX)
    };
    let mut v = events.to_vec();
    v.sort_by_key(rank);
    v
}

/// Plain matching on names and summaries, in both languages; smart search
/// (pinyin, typos, everyday words) replaces it later.
fn matches(e: &EventSummary, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty()
        || [&e.name.zh, &e.name.en, &e.summary.zh, &e.summary.en]
            .iter()
            .any(|t| t.to_lowercase().contains(&q))
}

#[component]
fn EventLink(event: EventSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/events/{}", event.id);
    let count = event.item_count;
    let name = event.name.clone();
    let summary = event.summary.clone();
    let batch = event.batch.clone();
    view! {
        <li class="event-card">
            <A href=href>
                <span class="event-name">{move || tr(&name)}</span>
                <span class="event-summary">{move || tr(&summary)}</span>
                <span class="event-count">{t!(i18n, items_at_once, count)}
                    {batch.map(|b| view! { " · " {move || tr(&b)} })}</span>
            </A>
        </li>
    }
}

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_prefs();
    let query = RwSignal::new(String::new());
    let events = LocalResource::new(catalog::list);
    view! {
        <Switches/>
        <Heading>{t!(i18n, home_title)}</Heading>
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="search" class="label">{t!(i18n, search_label)}</label>
            <input id="search" type="search" enterkeyhint="search" autocomplete="off"
                placeholder=move || i18n::t_string!(i18n, search_placeholder)
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))/>
        </form>
        <Page>
            {move || Suspend::new(async move {
                let list = events.await?;
                let all = ordered(&list.events);
                let q = query.get();
                let elder = prefs.elder.get();
                let shown = |audience: Audience| -> Vec<EventSummary> {
                    let v: Vec<EventSummary> = all
                        .iter()
                        .filter(|e| e.audience == audience && matches(e, &q))
                        .cloned()
                        .collect();
                    if elder && q.trim().is_empty() { v.into_iter().take(ELDER_COUNT).collect() } else { v }
                };
                let personal = shown(Audience::Personal);
                let business = if elder && q.trim().is_empty() { Vec::new() } else { shown(Audience::Business) };
                let nothing = personal.is_empty() && business.is_empty();
                Ok::<_, api::Failure>(view! {
                    {nothing.then(|| view! {
                        <div class="notice" role="status">
                            <p>{t!(i18n, search_nothing)}</p>
                            <p><a href="tel:12345">{t!(i18n, call_12345)}</a></p>
                        </div>
                    })}
                    {(!personal.is_empty()).then(|| view! {
                        <h2 id="personal">{t!(i18n, for_people)}</h2>
                        <ul class="events" aria-labelledby="personal">
                            {personal.into_iter().map(|e| view! { <EventLink event=e/> }).collect_view()}
                        </ul>
                    })}
                    {(!business.is_empty()).then(|| view! {
                        <h2 id="business">{t!(i18n, for_business)}</h2>
                        <ul class="events" aria-labelledby="business">
                            {business.into_iter().map(|e| view! { <EventLink event=e/> }).collect_view()}
                        </ul>
                    })}
                })
            })}
        </Page>
        <Mine/>
        {move || prefs.elder.get().then(|| view! {
            <p class="help-line"><a class="button secondary" href="tel:12345">{t!(i18n, call_12345)}</a></p>
        })}
    }
}

/// The two switches, remembered per device, never leaving the page.
#[component]
pub fn Switches() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_prefs();
    let switch_lang = move |_| {
        let next = if i18n.get_locale() == crate::i18n::Locale::en {
            crate::i18n::Locale::zh_CN
        } else {
            crate::i18n::Locale::en
        };
        i18n.set_locale(next);
    };
    view! {
        <div class="switches">
            <button type="button" class="switch" aria-pressed=move || prefs.elder.get().to_string()
                on:click=move |_| prefs.elder.update(|e| *e = !*e)>
                {t!(i18n, elder_mode)}
            </button>
            <button type="button" class="switch" lang=move || if crate::lang::is_en() { "zh-CN" } else { "en" }
                on:click=switch_lang>
                {t!(i18n, other_language)}
            </button>
        </div>
    }
}

/// My applications (signed in) and my drafts on this device.
#[component]
fn Mine() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let outbox = crate::outbox::use_outbox();
    let mine = LocalResource::new(move || {
        let signed_in = session.signed_in();
        async move {
            if signed_in {
                api::applications()
                    .await
                    .map(|l| l.applications)
                    .unwrap_or_default()
            } else {
                Vec::<ApplicationSummary>::new()
            }
        }
    });
    let my_drafts = LocalResource::new(move || {
        let viewer = session.viewer();
        outbox.version.track();
        async move { drafts::visible(&viewer).await }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let apps = mine.await;
                (!apps.is_empty()).then(|| view! {
                    <h2>{t!(i18n, my_applications)}</h2>
                    <ul class="applications">
                        {apps.into_iter().take(3).map(|a| view! { <ApplicationLink app=a/> }).collect_view()}
                    </ul>
                    <p><A href="/applications">{t!(i18n, see_all_applications)}</A></p>
                })
            })}
            {move || Suspend::new(async move {
                let ds = my_drafts.await;
                (!ds.is_empty()).then(|| view! {
                    <h2>{t!(i18n, my_drafts)}</h2>
                    <ul class="drafts">{ds.into_iter().take(3).map(|d| view! { <DraftLink draft=d/> }).collect_view()}</ul>
                    <p><A href="/drafts">{t!(i18n, see_all_drafts)}</A></p>
                })
            })}
        </Transition>
    }
}

#[component]
pub fn ApplicationLink(app: ApplicationSummary) -> impl IntoView {
    let name = app.event_name.clone();
    let headline = app.overall.headline.clone();
    let reference = app.reference.to_string();
    view! {
        <li class="application">
            <A href=format!("/applications/{}", app.id)>
                <span class="event-name">{move || tr(&name)}</span>
                <span class="reference" translate="no">{reference}</span>
                <span class="overall">{move || tr(&headline)}</span>
                <span class="when">{move || datetime(app.submitted_at)}</span>
            </A>
        </li>
    }
}

#[component]
pub fn DraftLink(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/drafts/{}", draft.id);
    let event = draft.event_id.clone();
    let name = LocalResource::new(move || {
        let event = event.clone();
        async move {
            catalog::bundle(&event)
                .await
                .ok()
                .map(|b| b.event.name.clone())
        }
    });
    let queued = draft.outbox.is_some();
    let edited = draft.updated_at;
    view! {
        <li class="draft">
            <A href=href>
                <span class="event-name">
                    {move || name.get().flatten().map(|n| tr(&n)).unwrap_or_default()}
                </span>
                {queued.then(|| view! { <span class="tag">{t!(i18n, outbox_waiting)}</span> })}
                <span class="when">{t!(i18n, last_edited, when = move || datetime(edited))}</span>
            </A>
        </li>
    }
}

use crate::i18n;
