//! The relay: one queue job per item, POSTed to the item's department with a
//! signature and the same external id every time, so the department can
//! de-duplicate. Failures are retried with backoff for as long as it takes;
//! the resident sees "delayed, we keep trying", never "failed".

use std::time::Duration;

use banshi_core::api::{Applicant, DepartmentSubmission, RelayState};
use banshi_core::catalog::Catalog;
use banshi_core::relay::backoff_secs;
use serde::{Deserialize, Serialize};
use worker::Env;

use crate::config::{Platforms, RELAY_QUEUE};
use crate::error::EdgeResult;
use crate::store::Store;
use crate::{maintenance, platform};

/// The longest delay a queue message can carry (Cloudflare Queues: 12 h).
const MAX_DELAY_SECS: i64 = 12 * 3600;

/// The queue message: just the item; everything else is read fresh from storage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RelayJob {
    pub item: String,
}

pub async fn enqueue(env: &Env, item_row_ids: &[String], delay_secs: u32) -> EdgeResult<()> {
    let queue = env.queue(RELAY_QUEUE)?;
    for id in item_row_ids {
        let job = RelayJob { item: id.clone() };
        if delay_secs == 0 {
            queue.send(job).await?;
        } else {
            queue
                .send(
                    worker::MessageBuilder::new(job)
                        .delay_seconds(delay_secs)
                        .build(),
                )
                .await?;
        }
    }
    Ok(())
}

/// What to do with the queue message after one try.
pub enum Next {
    Done,
    RetryIn(u32),
}

pub async fn relay_one(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    item_row_id: &str,
    now: i64,
) -> EdgeResult<Next> {
    let Some(row) = store.relay_row(item_row_id).await? else {
        return Ok(Next::Done);
    };
    if row.relay_state == "delivered" || row.status == "withdrawn" {
        return Ok(Next::Done);
    }
    let platforms = Platforms::from_env(env)?;
    let link = platforms.department(env, &row.department)?;
    let attempts = row.relay_attempts + 1;
    // Never relay into an announced maintenance window: hold until it ends.
    if let Some(window) = maintenance::current(store, &link, now, false).await? {
        return hold_until(
            store,
            &row.id,
            attempts - 1,
            window.ends_at.timestamp_millis(),
            now,
        )
        .await;
    }
    let item_name = catalog
        .event(&row.event_id)
        .and_then(|e| e.item(&row.item_id))
        .map(|i| i.name.zh.clone())
        .unwrap_or_else(|| row.item_id.clone());
    let submission = DepartmentSubmission {
        external_id: row.id.clone(),
        event_id: row.event_id.clone(),
        item_id: row.item_id.clone(),
        item_name,
        applicant: Applicant {
            name: row.name.clone(),
            id_number: row.id_number.clone(),
            phone: row.phone.clone(),
        },
        fields: serde_json::from_str(&row.fields)?,
        submitted_at: chrono::DateTime::from_timestamp_millis(row.submitted_at).unwrap_or_default(),
        revision: row.revision as u32,
        materials: Vec::new(),
    };
    let body = serde_json::to_string(&submission)?;
    let answer = platform::post(
        &link.adapter.applications_url(),
        &link.key,
        &row.id,
        body,
        Duration::from_millis(u64::from(link.adapter.timeout_ms)),
        now,
    )
    .await?;
    match answer.status {
        // 409: the department already has this external id — delivered before.
        200..=299 | 409 => {
            store
                .set_relay(&row.id, RelayState::Delivered, attempts, None, now)
                .await?;
            Ok(Next::Done)
        }
        status => {
            // A 503 may be a window announced after our last look: check now.
            if status == 503 {
                if let Some(window) = maintenance::current(store, &link, now, true).await? {
                    return hold_until(
                        store,
                        &row.id,
                        attempts,
                        window.ends_at.timestamp_millis(),
                        now,
                    )
                    .await;
                }
            }
            let mut jitter = [0u8; 1];
            let _ = getrandom::getrandom(&mut jitter);
            let wait = backoff_secs(attempts.saturating_sub(1) as u32, jitter[0]);
            // An unannounced 503 is maintenance too; anything else is a fault.
            let state = if status == 503 {
                RelayState::Held
            } else {
                RelayState::Retrying
            };
            store
                .set_relay(
                    &row.id,
                    state,
                    attempts,
                    Some(now + i64::from(wait) * 1000),
                    now,
                )
                .await?;
            Ok(Next::RetryIn(wait))
        }
    }
}

/// Hold the item until `until` (the end of a maintenance window).
async fn hold_until(
    store: &Store,
    item_row_id: &str,
    attempts: i64,
    until: i64,
    now: i64,
) -> EdgeResult<Next> {
    store
        .set_relay(item_row_id, RelayState::Held, attempts, Some(until), now)
        .await?;
    let secs = ((until - now + 999) / 1000).clamp(1, MAX_DELAY_SECS);
    Ok(Next::RetryIn(secs as u32))
}
