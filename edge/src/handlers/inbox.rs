//! `GET /api/inbox`, `POST /api/inbox/seen`: every status message across the
//! resident's applications, newest first, with what is unread.

use std::collections::BTreeMap;

use banshi_core::api::{Inbox, InboxMessage, InboxSeen};
use banshi_core::application::Snapshot;
use banshi_core::catalog::Catalog;
use banshi_core::delegation::{Action, Target};
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use crate::acting;
use crate::error::{EdgeError, EdgeResult};
use crate::handlers::auth;
use crate::http::{json, paged, read_json, Page};
use crate::store::Store;

pub async fn list(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    acting
        .allow(env, store, Action::Read, &Target::Lists)
        .await?;
    let page = Page::from(req)?;
    let inbox = store
        .inbox(acting.principal(), page.seq()?, page.limit + 1)
        .await?;
    let (mut rows, next_cursor) = paged(inbox.rows, page.limit, |r| r.seq.to_string());
    let mut unread = inbox.unread.max(0) as usize;
    if !acting.is_own() {
        // Only messages about applications core lets the agent read; the
        // cursor still follows the principal's whole inbox, so a page may
        // come back short.
        let mut allowed: BTreeMap<String, bool> = BTreeMap::new();
        for r in &rows {
            if allowed.contains_key(&r.application_id) {
                continue;
            }
            let ok = match store
                .application(acting.principal(), &r.application_id)
                .await?
            {
                Some(app) => acting
                    .allow_application(env, store, catalog, Action::Read, &app)
                    .await
                    .is_ok(),
                None => false,
            };
            allowed.insert(r.application_id.clone(), ok);
        }
        rows.retain(|r| allowed.get(&r.application_id).copied().unwrap_or(false));
        // The principal's count would tell of messages the agent may not see.
        unread = rows.iter().filter(|r| r.seq > inbox.seen).count();
    }
    // Names as the application was made (its snapshot), else the catalog's.
    let mut snapshots: BTreeMap<String, Option<Snapshot>> = BTreeMap::new();
    let mut messages = Vec::with_capacity(rows.len());
    for r in rows {
        let snapshot = snapshots
            .entry(r.application_id.clone())
            .or_insert_with(|| {
                r.snapshot
                    .as_deref()
                    .and_then(|s| serde_json::from_str::<Snapshot>(s).ok())
            })
            .clone()
            .unwrap_or_else(|| Snapshot::from_catalog(catalog, &r.event_id, [r.item_id.as_str()]));
        messages.push(InboxMessage {
            seq: r.seq,
            application_id: r.application_id.clone(),
            event_name: snapshot.event_name.clone(),
            item_name: snapshot
                .item(&r.item_id)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| Text::new(&r.item_id, &r.item_id)),
            status: r.status,
            at: r.at(),
            title: r.title(),
            body: r.body(),
            for_principal: None,
            unread: r.seq > inbox.seen,
            sms: r.sms_state,
        });
    }
    Ok(json(
        &Inbox {
            unread,
            messages,
            next_cursor,
        },
        200,
    ))
}

/// The largest integer a JavaScript number (and so a D1 binding) holds exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

pub async fn seen(req: &mut Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    auth::require_csrf(req, &acting.session)?;
    acting
        .allow(env, store, Action::Read, &Target::Lists)
        .await?;
    let body: InboxSeen = read_json(req).await?;
    // A message number: never negative, and within what D1 can bind exactly.
    if !(0..=MAX_SAFE_INTEGER).contains(&body.up_to) {
        return Err(EdgeError::Invalid(vec![FieldError {
            field: "up_to".into(),
            message: Text::new("消息编号不对", "Not a message number"),
        }]));
    }
    // What the agent has read leaves the principal's messages unread for them.
    if acting.is_own() {
        store
            .mark_inbox_seen(acting.principal(), body.up_to)
            .await?;
    }
    Ok(json(&serde_json::json!({ "seen": body.up_to }), 200))
}
