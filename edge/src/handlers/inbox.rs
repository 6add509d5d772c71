//! `GET /api/inbox`, `POST /api/inbox/seen`: every status message across the
//! resident's applications, newest first, with what is unread.

use banshi_core::api::{Inbox, InboxMessage, InboxSeen};
use banshi_core::catalog::Catalog;
use banshi_core::status::ItemStatus;
use banshi_core::Text;
use std::collections::BTreeMap;

use banshi_core::delegation::{Action, Target};
use worker::{Env, Request, Response};

use crate::acting;
use crate::error::EdgeResult;
use crate::handlers::auth;
use crate::http::{json, read_json};
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
    let (mut rows, seen) = store.inbox(acting.principal()).await?;
    if !acting.is_own() {
        // Only messages about applications core lets the agent read.
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
    }
    let messages: Vec<InboxMessage> = rows
        .into_iter()
        .map(|r| {
            let event = catalog.event(&r.event_id);
            InboxMessage {
                seq: r.seq,
                application_id: r.application_id,
                event_name: event
                    .map(|e| e.name.clone())
                    .unwrap_or_else(|| Text::new(&r.event_id, &r.event_id)),
                item_name: event
                    .and_then(|e| e.item(&r.item_id))
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| Text::new(&r.item_id, &r.item_id)),
                status: ItemStatus::parse(&r.status).unwrap_or(ItemStatus::Submitted),
                at: chrono::DateTime::from_timestamp_millis(r.at).unwrap_or_default(),
                title: Text::new(r.title_zh, r.title_en),
                body: Text::new(r.body_zh, r.body_en),
                for_principal: None,
                unread: r.seq > seen,
                sms: r
                    .sms_state
                    .and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok()),
            }
        })
        .collect();
    let unread = messages.iter().filter(|m| m.unread).count();
    Ok(json(&Inbox { unread, messages }, 200))
}

pub async fn seen(req: &mut Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    auth::require_csrf(req, &acting.session)?;
    acting
        .allow(env, store, Action::Read, &Target::Lists)
        .await?;
    let body: InboxSeen = read_json(req).await?;
    // What the agent has read leaves the principal's messages unread for them.
    if acting.is_own() {
        store
            .mark_inbox_seen(acting.principal(), body.up_to)
            .await?;
    }
    Ok(json(&serde_json::json!({ "seen": body.up_to }), 200))
}
