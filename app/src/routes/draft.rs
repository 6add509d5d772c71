//! `/drafts/:draft/…`: the shell every step of a draft shares. It loads the
//! draft from the phone and its event from the edge (or the offline copy)
//! once, checks it belongs to whoever is looking, and provides it to the
//! step pages through context. `/drafts/:draft` itself lands on the step to
//! continue from.

use banshi_core::api::EventBundle;
use banshi_core::draft::{Draft, Prefill};
use banshi_core::journey;
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;
use leptos_router::NavigateOptions;

use crate::api::Failure;
use crate::components::page::Page;
use crate::drafts::{use_draft, DraftCtx};
use crate::i18n::{t, use_i18n};
use crate::session::use_session;
use crate::{catalog, store};

#[derive(Params, PartialEq, Clone, Debug)]
pub struct DraftParams {
    draft: Option<String>,
}

fn not_here() -> Failure {
    Failure::local(
        "draft_not_found",
        Text::new(
            "这部手机上没有找到这份草稿。它可能已经提交、删除，或者属于另一个账户。",
            "This draft is not on this phone. It may have been submitted or deleted, or belong to another account.",
        ),
    )
}

#[component]
pub fn DraftShell() -> impl IntoView {
    let params = use_params::<DraftParams>();
    let session = use_session();
    let id = move || {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.draft.clone())
                .unwrap_or_default()
        })
    };
    let loaded = LocalResource::new(move || {
        let id = id();
        let viewer = session.viewer();
        async move {
            let draft = store::load_draft(&id)
                .await
                .ok()
                .flatten()
                .filter(|d| d.visible_to(&viewer) || d.offerable_to(&viewer))
                .ok_or_else(not_here)?;
            let bundle = catalog::bundle(&draft.event_id).await?;
            Ok::<_, Failure>((draft, bundle))
        }
    });
    view! {
        <Page>
            {move || Suspend::new(async move {
                let (draft, bundle) = loaded.await?;
                Ok::<_, Failure>(view! { <DraftBody draft=draft bundle=bundle/> })
            })}
        </Page>
    }
}

#[component]
fn DraftBody(draft: Draft, bundle: &'static EventBundle) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let offered = RwSignal::new(draft.offerable_to(&session.viewer_untracked()));
    let ctx = DraftCtx::new(draft, bundle);
    provide_context(ctx);
    // Prefill from the signed-in identity where the catalog allows it;
    // never over anything typed.
    Effect::new(move || {
        let Some(me) = session.get().and_then(|s| s.resident) else {
            return;
        };
        if offered.get() {
            return;
        }
        // Acting for someone: their identity, never the resident's own.
        let principal = ctx.draft.with_untracked(|d| d.owner.principal.clone());
        let source_map = match &principal {
            Some(owner) => me
                .may_act_for
                .iter()
                .find(|p| &p.owner == owner)
                .map(|p| p.prefill.clone())
                .unwrap_or_default(),
            None => me.prefill.clone(),
        };
        let fields = ctx.outcome().fields;
        let todo: Vec<(String, String)> = fields
            .iter()
            .filter_map(|f| {
                let source = f.prefill.as_deref()?;
                let v = source_map.get(source)?;
                let empty = ctx
                    .draft
                    .with_untracked(|d| d.values.get(&f.key).is_none_or(|x| x.is_empty()));
                empty.then(|| (f.key.clone(), v.clone()))
            })
            .collect();
        if !todo.is_empty() {
            ctx.update(|d| {
                for (k, v) in todo {
                    d.prefill(&k, &v, Prefill::Identity);
                }
            });
        }
    });
    // The outbox sends from its own copy, in the background: when it has
    // tried again (refused, or waiting longer), show what it wrote.
    let events = crate::outbox::use_outbox();
    Effect::new(move || {
        events.version.track();
        if ctx.draft.with_untracked(|d| d.outbox.is_none()) {
            return;
        }
        let id = ctx.id();
        leptos::task::spawn_local(async move {
            if let Ok(Some(stored)) = store::load_draft(&id).await {
                if ctx.draft.with_untracked(|d| d.outbox != stored.outbox) {
                    ctx.draft.update(|d| d.outbox = stored.outbox);
                }
            }
        });
    });
    let adopt = move |_| {
        let viewer = session.viewer_untracked();
        ctx.update(|d| d.owner = viewer);
        offered.set(false);
    };
    view! {
        {move || offered.get().then(|| view! {
            <div class="notice" role="status">
                <p>{t!(i18n, draft_offer)}</p>
                <button type="button" class="button primary" on:click=adopt>{t!(i18n, draft_offer_yes)}</button>
                <A href="/" attr:class="button secondary">{t!(i18n, draft_offer_no)}</A>
            </div>
        })}
        {move || ctx.save_failed.get().then(|| view! {
            <p class="notice error" role="alert">{t!(i18n, storage_failed)}</p>
        })}
        {move || ctx.draft.with(|d| d.outbox.is_some()).then(|| view! { <Queued/> })}
        {move || (!offered.get()).then(|| view! { <Outlet/> })}
    }
}

/// The draft waits in the outbox: say so on every step, and that opening a
/// step to change something pauses the sending until it is submitted again.
#[component]
fn Queued() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let refused = move || {
        ctx.draft
            .with(|d| d.outbox.as_ref().and_then(|o| o.refused.clone()))
    };
    view! {
        <div class="notice" role="status">
            {move || match refused() {
                Some(why) => view! { <p>{t!(i18n, outbox_refused)}" "{crate::lang::tr(&why)}</p> }.into_any(),
                None => view! { <p>{t!(i18n, outbox_queued)}</p> }.into_any(),
            }}
        </div>
    }
}

/// `/drafts/:draft`: go to the step to continue from.
#[component]
pub fn Resume() -> impl IntoView {
    let ctx = use_draft();
    let navigate = use_navigate();
    Effect::new(move || {
        let outcome = ctx.outcome();
        let steps = journey::steps(&outcome, &ctx.bundle.sections);
        let id = ctx.id();
        let last = ctx.draft.with_untracked(|d| d.step.clone());
        let last = last.and_then(|p| steps.iter().find(|s| s.path(&id) == p).cloned());
        let to = journey::resume(&steps, &outcome, last.as_ref());
        navigate(
            &to.path(&id),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
}
