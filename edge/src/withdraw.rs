//! Withdrawing an item the department may already have: the withdrawal
//! must reach the department, and be confirmed by it, before the item reads
//! 已撤回. One try now; if the department does not answer, a queue job
//! retries like a relay (and the relay of the item stays stopped meanwhile).

use std::time::Duration;

use banshi_core::actions::withdrawal_too_late;
use banshi_core::catalog::Catalog;
use banshi_core::relay::backoff_secs;
use banshi_core::status::ItemStatus;
use worker::Env;

use crate::config::Platforms;
use crate::error::EdgeResult;
use crate::intake::entry_for;
use crate::platform;
use crate::relay::{self, Next};
use crate::store::{Entry, Store, WithdrawState};

/// How one try went.
pub enum Outcome {
    /// The department confirmed: the item is withdrawn.
    Confirmed,
    /// The department had accepted it: nothing withdrawn, the resident told.
    TooLate,
    /// No confirmation yet: tried again in this many seconds.
    NotYet(u32),
    /// Refused for good: an operator follows it up.
    FollowingUp,
}

/// Ask the department once to withdraw the pending item `item_row_id`.
pub async fn attempt(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    item_row_id: &str,
    now: i64,
) -> EdgeResult<Option<Outcome>> {
    let Some(row) = store.relay_row(item_row_id).await? else {
        return Ok(None);
    };
    let Some(attempts) = store.withdrawal_attempts(item_row_id).await? else {
        return Ok(None);
    };
    let link = Platforms::from_env(env)?.department(env, &row.department)?;
    let body = serde_json::json!({ "external_id": row.id }).to_string();
    let answer = platform::post(
        &link.adapter.withdraw_url(&row.id),
        link.party(),
        &format!("withdraw-{}", row.id),
        body,
        Duration::from_millis(u64::from(link.adapter.timeout_ms)),
    )
    .await?;
    let at = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
    let attempts = attempts + 1;
    Ok(Some(match answer.status {
        200..=299 => {
            let entry = entry_for(
                catalog,
                &row.event_id,
                &row.item_id,
                ItemStatus::Withdrawn,
                None,
                at,
                None,
            );
            store.finish_withdrawal(&row.id, now, &entry).await?;
            Outcome::Confirmed
        }
        409 => {
            let snap = crate::relay::snapshot_of(catalog, &row)?;
            let (title, body) = withdrawal_too_late(&snap.name, &snap.department_name);
            store
                .abandon_withdrawal(&row.id, row.status, now, &Entry { title, body })
                .await?;
            // The relay was stopped for the withdrawal: let it carry on.
            if row.relay_state != banshi_core::api::RelayState::Delivered {
                if let Err(e) = relay::enqueue(env, std::slice::from_ref(&row.id), 0).await {
                    worker::console_warn!("enqueue after a refused withdrawal: {e:?}");
                }
            }
            Outcome::TooLate
        }
        status if platform::is_permanent(status) => {
            worker::console_error!(
                "withdraw {} at {}: refused ({status})",
                row.id,
                row.department
            );
            store
                .set_withdrawal(&row.id, "following_up", attempts, None, now)
                .await?;
            Outcome::FollowingUp
        }
        _ => {
            let mut jitter = [0u8; 1];
            let _ = getrandom::getrandom(&mut jitter);
            let wait = backoff_secs(attempts.saturating_sub(1) as u32, jitter[0]);
            store
                .set_withdrawal(
                    &row.id,
                    "pending",
                    attempts,
                    Some(now + i64::from(wait) * 1000),
                    now,
                )
                .await?;
            Outcome::NotYet(wait)
        }
    }))
}

/// The queue job's side: one try, and what to do with the message.
pub async fn run(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    item_row_id: &str,
    now: i64,
) -> EdgeResult<Next> {
    Ok(
        match attempt(env, store, catalog, item_row_id, now).await? {
            Some(Outcome::NotYet(secs)) => Next::RetryIn(secs),
            _ => Next::Done,
        },
    )
}

/// The item is being withdrawn (asked, not confirmed, or followed up).
pub fn withdrawing(state: Option<WithdrawState>) -> bool {
    matches!(
        state,
        Some(WithdrawState::Pending | WithdrawState::FollowingUp)
    )
}
