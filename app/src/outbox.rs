//! The outbox (待发送): a submitted draft waits here, on the phone, until
//! the edge has it. Sending uploads any page not yet at the edge (each with
//! its own idempotency key), then submits with the draft's key, so a resend
//! after a dropped connection, a 503 or a closed tab is harmless: the edge
//! answers with the application it already stored. Tried on start, when the
//! network comes back, and on a timer with backoff; a refusal (4xx) stops
//! the retries and stays visible with its reason until the resident acts.

use std::cell::Cell;

use banshi_core::api::ApplicationView;
use banshi_core::draft::{Draft, Outbox};
use banshi_core::Text;
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::net::use_net;
use crate::session::use_session;
use crate::{store, time};

thread_local! {
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// Tells pages that the outbox moved: a draft was sent (with the
/// application it became) or an attempt failed.
#[derive(Clone, Copy)]
pub struct OutboxEvents {
    pub version: RwSignal<u32>,
    pub sent: RwSignal<Vec<(String, ApplicationView)>>,
    session: crate::session::Session,
}

pub fn use_outbox() -> OutboxEvents {
    expect_context::<OutboxEvents>()
}

pub fn start() {
    let session = use_session();
    let events = OutboxEvents {
        version: RwSignal::new(0),
        sent: RwSignal::new(Vec::new()),
        session,
    };
    provide_context(events);
    let net = use_net();
    // Send on start, whenever the network or the signed-in resident changes.
    Effect::new(move || {
        let online = net.online.get();
        let signed_in = session.signed_in();
        if online && signed_in && session.loaded.get() {
            flush_soon(events);
        }
    });
    // And keep trying while something waits (backoff decides when).
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::sleep(std::time::Duration::from_secs(5)).await;
            if net.online.get_untracked() && session.signed_in() {
                flush_soon(events);
            }
        }
    });
}

/// Put the draft in the outbox and try to send it now.
pub async fn queue(mut draft: Draft, events: OutboxEvents) -> Draft {
    draft.outbox = Some(Outbox::new(time::now()));
    let _ = store::save_draft(&draft).await;
    events.version.update(|v| *v += 1);
    flush(events).await;
    draft
}

fn flush_soon(events: OutboxEvents) {
    leptos::task::spawn_local(flush(events));
}

/// Send every due submission of the signed-in resident, one at a time.
pub async fn flush(events: OutboxEvents) {
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    let signed_in = !events.session.viewer_untracked().is_anonymous();
    // Asked for here, not only at start: a page opened offline has no token.
    let csrf = if signed_in {
        events.session.csrf_now().await
    } else {
        None
    };
    // Whoever the edge says is signed in now (csrf_now may have learnt it).
    let viewer = events.session.viewer_untracked();
    if let (false, Some(csrf)) = (viewer.is_anonymous(), csrf) {
        let now = time::now();
        for d in store::all_drafts().await.unwrap_or_default() {
            let due = d.outbox.as_ref().is_some_and(|o| o.due(now));
            // Whoever they act for now: a submission made for a family
            // member is sent (as that member's, from the draft's owner)
            // after switching back too, and a refusal then shows it on
            // their own drafts page. Never another resident's.
            if due && d.owner.resident == viewer.resident {
                send(d, &csrf, events).await;
            }
        }
    }
    FLUSHING.with(|f| f.set(false));
    events.version.update(|v| *v += 1);
}

async fn send(mut draft: Draft, csrf: &str, events: OutboxEvents) {
    match try_send(&mut draft, csrf).await {
        Ok(app) => {
            let _ = store::settle(&draft, &app.id).await;
            events.sent.update(|s| s.push((draft.id.clone(), app)));
        }
        Err(f) => {
            let now = time::now();
            if let Some(o) = draft.outbox.as_mut() {
                if f.transient() || f.unauthenticated() {
                    o.failed(f.message().clone(), now, jitter());
                } else {
                    o.refused = Some(refusal(&f));
                    o.errors = f.error.error.fields.clone();
                }
            }
            let _ = store::save_draft(&draft).await;
        }
    }
}

async fn try_send(draft: &mut Draft, csrf: &str) -> Result<ApplicationView, Failure> {
    let pending: Vec<(String, String)> = draft
        .pages()
        .filter(|p| p.attachment.is_none())
        .map(|p| (p.id.clone(), p.content_type.clone()))
        .collect();
    for (page, kind) in pending {
        let Some(blob) = store::load_page(&page).await.ok().flatten() else {
            continue;
        };
        let name = if kind == "application/pdf" {
            "page.pdf"
        } else {
            "page.jpg"
        };
        let att =
            api::upload_for(&blob, name, &page, csrf, draft.owner.principal.as_deref()).await?;
        draft.uploaded(&page, &att.id);
        let _ = store::save_draft(draft).await;
    }
    let body = draft.submission().map_err(|_| Failure {
        status: 422,
        error: banshi_core::api::ApiError::new(
            "page_missing",
            Text::new(
                "有一张照片在这部手机上找不到了，请回到材料页重新拍一张。",
                "A photo can no longer be found on this phone; go back to the materials and take it again.",
            ),
        ),
    })?;
    api::submit(
        &body,
        csrf,
        &draft.idempotency_key,
        draft.owner.principal.as_deref(),
    )
    .await
}

/// What the resident is told when the edge refuses a queued submission.
fn refusal(f: &Failure) -> Text {
    if f.code() == "idempotency_key_reused" {
        // The first send reached the edge before the draft was changed.
        return Text::new(
            "这份申请在您修改之前已经提交成功了，请到“我的办件”查看。如需更改，请在办件里补正或撤回后重新申请。",
            "This application was already submitted before you changed it; see My applications. To change it, correct or withdraw it there and apply again.",
        );
    }
    f.message().clone()
}

fn jitter() -> u8 {
    (js_sys::Math::random() * 255.0) as u8
}
