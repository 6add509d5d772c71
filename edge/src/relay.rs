//! The relay: one queue job per item, POSTed to the item's department with a
//! signature and the same external id every time, so the department can
//! de-duplicate. Failures are retried with backoff for as long as it takes;
//! the resident sees "delayed, we keep trying", never "failed".

use std::time::Duration;

use banshi_core::api::{Applicant, DepartmentSubmission, RelayState};
use banshi_core::catalog::Catalog;
use banshi_core::relay::backoff_secs;
use banshi_core::signature::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde::{Deserialize, Serialize};
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit};

use crate::config::{Platforms, RELAY_QUEUE};
use crate::error::EdgeResult;
use crate::store::Store;

/// How long we wait for a department before counting the try as failed.
const TIMEOUT: Duration = Duration::from_secs(10);

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

/// POST `body` to a department, signed, with a timeout. The status code, or 0
/// when nothing answered in time.
pub async fn signed_post(
    platforms: &Platforms,
    url: &str,
    idempotency_key: &str,
    body: String,
    now: i64,
) -> EdgeResult<u16> {
    let ts = now / 1000;
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set(TIMESTAMP_HEADER, &ts.to_string())?;
    headers.set(
        SIGNATURE_HEADER,
        &signature::sign(platforms.department_key.as_bytes(), ts, body.as_bytes()),
    )?;
    headers.set("idempotency-key", idempotency_key)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let request = Request::new_with_init(url, &init)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    worker::wasm_bindgen_futures::spawn_local(async move {
        Delay::from(TIMEOUT).await;
        controller.abort();
    });
    Ok(
        match Fetch::Request(request).send_with_signal(&signal).await {
            Ok(resp) => resp.status_code(),
            Err(e) => {
                worker::console_warn!("department call {url}: {e}");
                0
            }
        },
    )
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
    };
    let body = serde_json::to_string(&submission)?;
    let status = signed_post(
        &platforms,
        &platforms.department_url(&row.department),
        &row.id,
        body,
        now,
    )
    .await?;
    let attempts = row.relay_attempts + 1;
    match status {
        // 409: the department already has this external id — delivered before.
        200..=299 | 409 => {
            store
                .set_relay(&row.id, RelayState::Delivered, attempts, None, now)
                .await?;
            Ok(Next::Done)
        }
        // 503 with a maintenance notice: hold, try again after a while.
        _ => {
            let mut jitter = [0u8; 1];
            let _ = getrandom::getrandom(&mut jitter);
            let wait = backoff_secs(attempts.saturating_sub(1) as u32, jitter[0]);
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
