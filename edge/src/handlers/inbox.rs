//! `GET /api/inbox`, `POST /api/inbox/seen`: every status message across the
//! resident's applications, newest first, with what is unread.

use std::collections::BTreeMap;

use banshi_core::api::{Inbox, InboxMessage, InboxSeen};
use banshi_core::application::Snapshot;
use banshi_core::catalog::Catalog;
use banshi_core::Text;
use worker::{Request, Response};

use crate::error::EdgeResult;
use crate::handlers::auth;
use crate::http::{json, paged, read_json, Page};
use crate::store::Store;

pub async fn list(req: &Request, store: &Store, catalog: &Catalog) -> EdgeResult<Response> {
    let session = auth::require(req, store).await?;
    let page = Page::from(req)?;
    let inbox = store
        .inbox(&session.resident_id, page.seq()?, page.limit + 1)
        .await?;
    let (rows, next_cursor) = paged(inbox.rows, page.limit, |r| r.seq.to_string());
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
            unread: r.seq > inbox.seen,
            sms: r.sms_state,
        });
    }
    Ok(json(
        &Inbox {
            unread: inbox.unread.max(0) as usize,
            messages,
            next_cursor,
        },
        200,
    ))
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
