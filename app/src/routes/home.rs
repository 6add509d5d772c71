//! `/`: find the thing to do. A search box, the events people look for most
//! (personal first, then business), my applications and drafts, and the
//! two switches (长辈版, language), and for a signed-in resident what they
//! may be owed (免申即享, `components::offers`). Elder mode shows fewer
//! choices: the most common personal events, my applications, and the
//! 12345 hotline.

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

/// Plain matching on names and summaries, in both languages: what search
/// falls back to when the search index is not on the phone (offline, first
/// visit).
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
    // What the search runs on: the query once typing pauses.
    let settled = RwSignal::new(String::new());
    let typed = move |v: String| {
        query.set(v.clone());
        set_timeout(
            move || {
                if query.get_untracked() == v {
                    settled.set(v);
                }
            },
            std::time::Duration::from_millis(150),
        );
    };
    let events = LocalResource::new(catalog::list);
    let listening = RwSignal::new(false);
    let listen = move |_| {
        listening.set(true);
        let ok = crate::search::listen(crate::lang::tag(), move |heard| {
            listening.set(false);
            query.set(heard.clone());
            settled.set(heard);
        });
        if !ok {
            listening.set(false);
        }
    };
    view! {
        <Switches/>
        <Heading>{t!(i18n, home_title)}</Heading>
        <crate::components::follow::FollowOffer/>
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="search" class="label">{t!(i18n, search_label)}</label>
            <input id="search" type="search" enterkeyhint="search" autocomplete="off"
                placeholder=move || i18n::t_string!(i18n, search_placeholder)
                prop:value=move || query.get()
                on:input=move |ev| typed(event_target_value(&ev))/>
            {crate::search::can_listen().then(|| view! {
                <button type="button" class="button secondary" on:click=listen aria-pressed=move || listening.get().to_string()>
                    {move || if listening.get() { t!(i18n, voice_listening).into_any() } else { t!(i18n, voice_search).into_any() }}
                </button>
            })}
        </form>
        <Results query=settled/>
        <crate::components::offers::Offers/>
        <Page>
            {move || Suspend::new(async move {
                let list = events.await?;
                let all = ordered(&list.events);
                // With a query, the results above replace the lists.
                let q = if settled.get().trim().is_empty() { String::new() } else { return Ok::<_, api::Failure>(().into_any()) };
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
                Ok::<_, api::Failure>(view! {
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
                }.into_any())
            })}
        </Page>
        <FamilyEntry/>
        <Mine/>
        {move || prefs.elder.get().then(|| view! {
            <p class="help-line"><a class="button secondary" href="tel:12345">{t!(i18n, call_12345)}</a></p>
        })}
    }
}

/// 为家人办理: act for a parent or a child (signed in only).
#[component]
fn FamilyEntry() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.signed_in().then(|| {
            let waiting = session
                .get()
                .and_then(|s| s.resident)
                .map_or(0, |r| r.requests_waiting);
            view! {
                <p class="family-entry">
                    <A href="/family" attr:class="button secondary">{t!(i18n, family_title)}</A>
                    {(waiting > 0).then(|| view! {
                        " " <A href="/settings/family">{t!(i18n, delegations_waiting, count = waiting)}</A>
                    })}
                </p>
            }
        })
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
        // Someone else's applications while acting for them.
        session.acting();
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
    let acted = app.acted_by.clone().map(|a| a.label);
    view! {
        <li class="application">
            <A href=format!("/applications/{}", app.id)>
                <span class="event-name">{move || tr(&name)}</span>
                {acted.map(|l| view! { <span class="acted-by">{move || tr(&l)}</span> })}
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
        async move { catalog::event_name(&event).await }
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

/// What a search found.
#[derive(Clone)]
enum Found {
    Hits(Vec<banshi_core::search::Hit>),
    /// Nothing matched: the closest events instead.
    Nothing(Vec<banshi_core::search::Hit>),
    /// No index on the phone: plain matching on names.
    Plain(Vec<EventSummary>),
}

fn how_words(h: banshi_core::search::How) -> &'static str {
    use banshi_core::search::How::*;
    match h {
        Exact => crate::lang::pick("", ""),
        Partial => crate::lang::pick("（部分）", " (partly)"),
        Typo => crate::lang::pick("（按错别字）", " (a likely typo)"),
        Pinyin => crate::lang::pick("（拼音）", " (pinyin)"),
        Initials => crate::lang::pick("（拼音首字母）", " (pinyin initials)"),
        English => "",
    }
}

#[component]
fn Results(query: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let found = LocalResource::new(move || {
        let q = query.get();
        let lang = if crate::lang::is_en() {
            banshi_core::search::Lang::En
        } else {
            banshi_core::search::Lang::Zh
        };
        async move {
            if q.trim().is_empty() {
                return None;
            }
            let list = catalog::list().await.ok()?;
            let found = match crate::search::index().await {
                Some(index) => {
                    let hits = banshi_core::search::search(index, &q, lang);
                    if hits.is_empty() {
                        Found::Nothing(banshi_core::search::closest(index, &q, 3))
                    } else {
                        Found::Hits(hits.into_iter().take(8).collect())
                    }
                }
                None => Found::Plain(
                    ordered(&list.events)
                        .into_iter()
                        .filter(|e| matches(e, &q))
                        .collect(),
                ),
            };
            Some((found, list))
        }
    });
    let hit_view = move |h: banshi_core::search::Hit,
                         list: &'static banshi_core::api::EventList| {
        let e = list.events.iter().find(|e| e.id == h.event)?.clone();
        let item = h
            .item
            .as_ref()
            .and_then(|id| e.items.iter().find(|i| &i.id == id))
            .map(|i| i.name.clone());
        let why: Vec<String> = h
            .matched
            .iter()
            .take(3)
            .map(|m| format!("{}{}", m.term, how_words(m.how)))
            .collect();
        let name = e.name.clone();
        Some(view! {
            <li class="event-card">
                <A href=format!("/events/{}", e.id)>
                    <span class="event-name">{move || tr(&name)}
                        {item.map(|n| view! { " › " <span class="item-name">{move || tr(&n)}</span> })}
                    </span>
                    {(!why.is_empty()).then(|| view! {
                        <span class="why">{t!(i18n, search_why)}{why.join(crate::lang::pick("、", ", "))}</span>
                    })}
                </A>
            </li>
        })
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Some((found, list)) = found.await else { return ().into_any() };
                match found {
                    Found::Hits(hits) => view! {
                        <h2 id="results">{t!(i18n, search_results)}</h2>
                        <ul class="events" aria-labelledby="results">
                            {hits.into_iter().filter_map(|h| hit_view(h, list)).collect_view()}
                        </ul>
                    }.into_any(),
                    Found::Plain(events) if !events.is_empty() => view! {
                        <h2 id="results">{t!(i18n, search_results)}</h2>
                        <ul class="events" aria-labelledby="results">
                            {events.into_iter().map(|e| view! { <EventLink event=e/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Found::Nothing(closest) => view! {
                        <div class="notice" role="status">
                            <p>{t!(i18n, search_nothing)}</p>
                            <p><a href="tel:12345">{t!(i18n, call_12345)}</a></p>
                        </div>
                        <h2 id="closest">{t!(i18n, search_closest)}</h2>
                        <ul class="events" aria-labelledby="closest">
                            {closest.into_iter().filter_map(|h| hit_view(h, list)).collect_view()}
                        </ul>
                    }.into_any(),
                    Found::Plain(_) => view! {
                        <div class="notice" role="status">
                            <p>{t!(i18n, search_nothing)}</p>
                            <p><a href="tel:12345">{t!(i18n, call_12345)}</a></p>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
