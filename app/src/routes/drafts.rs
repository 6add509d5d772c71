//! `/drafts` (草稿): the drafts on this phone that belong to whoever is
//! signed in (or, signed out, those started signed out), last edited
//! first, each with a delete that asks first. Deleting forgets everything
//! typed and photographed for it. Below them, what the resident submitted
//! for a family member and the edge then refused for good (the
//! authorisation was revoked or ran out): kept, with the reason, though
//! they can no longer open it as that person.

use banshi_core::draft::Draft;
use leptos::prelude::*;

use crate::components::heading::Heading;
use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::outbox::use_outbox;
use crate::routes::home::DraftLink;
use crate::session::use_session;
use crate::{drafts, store};

#[component]
pub fn Drafts() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let events = use_outbox();
    let list = LocalResource::new(move || {
        let viewer = session.viewer();
        events.version.track();
        async move { drafts::visible(&viewer).await }
    });
    let refused = LocalResource::new(move || {
        let viewer = session.viewer();
        events.version.track();
        async move { drafts::refused_for_agent(&viewer).await }
    });
    view! {
        <Heading>{t!(i18n, my_drafts)}</Heading>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let ds = list.await;
                if ds.is_empty() {
                    view! { <p>{t!(i18n, no_drafts)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="drafts">
                            {ds.into_iter().map(|d| view! { <DraftRow draft=d/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let ds = refused.await;
                (!ds.is_empty()).then(|| view! {
                    <h2>{t!(i18n, drafts_refused_title)}</h2>
                    <ul class="drafts refused">
                        {ds.into_iter().map(|d| view! { <DraftRow draft=d refused=true/> }).collect_view()}
                    </ul>
                })
            })}
        </Transition>
    }
}

/// A submission for a family member that the edge refused: not a link
/// (the resident cannot act as that person any more), but what it was,
/// for whom, and why it was not accepted.
#[component]
fn Refused(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let event = draft.event_id.clone();
    let name = LocalResource::new(move || {
        let event = event.clone();
        async move { crate::catalog::event_name(&event).await }
    });
    let whom = draft
        .values
        .get("applicant.name")
        .cloned()
        .unwrap_or_default();
    let why = draft.outbox.as_ref().and_then(|o| o.refused.clone());
    view! {
        <li class="draft">
            <p class="event-name">{move || name.get().flatten().map(|n| tr(&n)).unwrap_or_default()}</p>
            {(!whom.is_empty()).then(|| view! {
                <p>{t!(i18n, drafts_refused_for)}" "<span translate="no">{whom.clone()}</span></p>
            })}
            {why.map(|w| view! { <p class="notice error">{t!(i18n, outbox_refused)}" "{move || tr(&w)}</p> })}
        </li>
    }
}

#[component]
fn DraftRow(draft: Draft, #[prop(optional)] refused: bool) -> impl IntoView {
    let i18n = use_i18n();
    let events = use_outbox();
    let asking = RwSignal::new(false);
    let d = draft.clone();
    let delete = move |_| {
        let d = d.clone();
        leptos::task::spawn_local(async move {
            let _ = store::delete_draft(&d).await;
            crate::components::live::announce(crate::lang::pick("草稿已删除", "Draft deleted"));
            events.version.update(|v| *v += 1);
        });
    };
    view! {
        {if refused {
            view! { <Refused draft=draft/> }.into_any()
        } else {
            view! { <DraftLink draft=draft/> }.into_any()
        }}
        <li class="draft-actions">
            {move || if asking.get() {
                view! {
                    <p role="alert">{t!(i18n, delete_draft_confirm)}</p>
                    <button type="button" class="button warning" on:click=delete.clone()>{t!(i18n, delete_draft_yes)}</button>
                    <button type="button" class="button secondary" on:click=move |_| asking.set(false)>{t!(i18n, delete_draft_no)}</button>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button secondary small" on:click=move |_| asking.set(true)>{t!(i18n, delete_draft)}</button>
                }.into_any()
            }}
        </li>
    }
}
