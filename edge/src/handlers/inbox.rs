//! `GET /api/inbox`, `POST /api/inbox/seen`: every status message across the
//! resident's applications, newest first, with what is unread.

use banshi_core::api::{Inbox, InboxMessage, InboxSeen};
use banshi_core::catalog::Catalog;
use banshi_core::status::ItemStatus;
use banshi_core::Text;
use worker::{Request, Response};

use crate::error::EdgeResult;
use crate::handlers::auth;
use crate::http::{json, read_json};
use crate::store::Store;

pub async fn list(req: &Request, store: &Store, catalog: &Catalog) -> EdgeResult<Response> {
    let session = auth::require(req, store).await?;
    let (rows, seen) = store.inbox(&session.resident_id).await?;
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

pub async fn seen(req: &mut Request, store: &Store) -> EdgeResult<Response> {
    let session = auth::require(req, store).await?;
    auth::require_csrf(req, &session)?;
    let body: InboxSeen = read_json(req).await?;
    store
        .mark_inbox_seen(&session.resident_id, body.up_to)
        .await?;
    Ok(json(&serde_json::json!({ "seen": body.up_to }), 200))
}
