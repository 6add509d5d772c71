//! Text messages: the SMS outbox (written in the same transaction as the
//! timeline entry it announces) is sent through the SMS gateway. Each message
//! carries its timeline sequence as reference, so a resend after a lost
//! answer is not a second text on the resident's phone.

use banshi_core::platform::{SmsReceipt, SmsRequest, SmsStatus};
use banshi_core::relay::backoff_secs;
use worker::Env;

use crate::config::Platforms;
use crate::error::EdgeResult;
use crate::platform;
use crate::store::Store;

/// After this many failed tries a message is given up (the inbox still has it).
const MAX_ATTEMPTS: i64 = 8;

/// A claim this old was lost mid-send (the isolate went away): take it again.
const CLAIM_TIMEOUT_MS: i64 = 2 * 60 * 1000;

/// Send up to `limit` waiting messages, oldest first. Each is claimed first,
/// so concurrent flushes share the outbox instead of all sending all of it.
pub async fn flush(env: &Env, store: &Store, now: i64, limit: i64) -> EdgeResult<usize> {
    let platforms = Platforms::from_env(env)?;
    let mut sent = 0;
    let mut claimed = store
        .claim_notifications(limit, now, now - CLAIM_TIMEOUT_MS)
        .await?
        .into_iter();
    while let Some(n) = claimed.next() {
        let request = SmsRequest {
            to: n.phone.clone(),
            text: n.text.clone(),
            reference: format!("banshi-tl-{}", n.timeline_seq),
        };
        let answer = platform::post(
            &platforms.sms_url(),
            platform::Party {
                name: banshi_core::platform::SMS,
                key: &platforms.sms_key,
            },
            &request.reference,
            serde_json::to_string(&request)?,
            platform::TIMEOUT,
        )
        .await?;
        let attempts = n.attempts + 1;
        match answer.parse::<SmsReceipt>() {
            Some(receipt) => {
                let state = match receipt.status {
                    SmsStatus::Sent => "sent",
                    SmsStatus::Delivered => "delivered",
                    SmsStatus::Failed => "failed",
                };
                store
                    .set_notification(
                        n.timeline_seq,
                        state,
                        Some(&receipt.message_id),
                        attempts,
                        None,
                        now,
                    )
                    .await?;
                sent += 1;
            }
            // Refused for good (a permanent 4xx) or tried long enough: the
            // inbox still has the message, marked as not texted.
            None if platform::is_permanent(answer.status) || attempts >= MAX_ATTEMPTS => {
                worker::console_warn!(
                    "sms {} to {}: gave up ({} {})",
                    n.timeline_seq,
                    banshi_core::mask::phone(&n.phone),
                    answer.status,
                    answer.body.chars().take(120).collect::<String>()
                );
                store
                    .set_notification(n.timeline_seq, "failed", None, attempts, None, now)
                    .await?;
            }
            // Down or slow: back to pending after a backoff, with the rest
            // of this claim (no sooner than they were due).
            None => {
                let mut jitter = [0u8; 1];
                let _ = getrandom::getrandom(&mut jitter);
                let wait = i64::from(backoff_secs(n.attempts as u32, jitter[0])) * 1000;
                store
                    .set_notification(
                        n.timeline_seq,
                        "pending",
                        None,
                        attempts,
                        Some(now + wait),
                        now,
                    )
                    .await?;
                for rest in claimed.by_ref() {
                    store
                        .set_notification(
                            rest.timeline_seq,
                            "pending",
                            None,
                            rest.attempts,
                            None,
                            now,
                        )
                        .await?;
                }
                break;
            }
        }
    }
    Ok(sent)
}

/// Send up to `limit` waiting texts that are not one timeline entry (consent
/// requests, grants, an agent's copy), as `flush` does for the timeline's.
pub async fn flush_texts(env: &Env, store: &Store, now: i64, limit: i64) -> EdgeResult<usize> {
    let platforms = Platforms::from_env(env)?;
    let mut sent = 0;
    for t in store
        .claim_texts(limit, now, now - CLAIM_TIMEOUT_MS)
        .await?
    {
        // An agent's copy goes only while the agent may still read the
        // application: revoked or expired since, it is kept, not sent.
        if let (Some(agent), Some(app)) = (&t.resident_id, &t.application_id) {
            let at = chrono::DateTime::from_timestamp_millis(now).unwrap_or_else(crate::http::now);
            match crate::acting::agent_may_read(env, store, agent, app, at).await {
                Ok(true) => {}
                Ok(false) => {
                    store
                        .set_text(&t.reference, "withheld", None, t.attempts, now, now)
                        .await?;
                    continue;
                }
                // Not known now (the identity provider did not answer):
                // asked again later, and the texts behind it still go.
                Err(e) => {
                    worker::console_warn!("agent copy {}: {e:?}", t.reference);
                    let attempts = t.attempts + 1;
                    let state = if attempts >= MAX_ATTEMPTS {
                        "failed"
                    } else {
                        "pending"
                    };
                    store
                        .set_text(
                            &t.reference,
                            state,
                            None,
                            attempts,
                            now + attempts * 60_000,
                            now,
                        )
                        .await?;
                    continue;
                }
            }
        }
        let request = SmsRequest {
            to: t.phone.clone(),
            text: t.text.clone(),
            reference: t.reference.clone(),
        };
        let answer = platform::post(
            &platforms.sms_url(),
            platform::Party {
                name: banshi_core::platform::SMS,
                key: &platforms.sms_key,
            },
            &request.reference,
            serde_json::to_string(&request)?,
            platform::TIMEOUT,
        )
        .await?;
        let attempts = t.attempts + 1;
        let (state, id, next) = match answer.parse::<SmsReceipt>() {
            Some(receipt) => {
                sent += 1;
                let state = match receipt.status {
                    SmsStatus::Sent => "sent",
                    SmsStatus::Delivered => "delivered",
                    SmsStatus::Failed => "failed",
                };
                (state, Some(receipt.message_id), now)
            }
            None if (400..500).contains(&answer.status) || attempts >= MAX_ATTEMPTS => {
                ("failed", None, now)
            }
            // Backoff: a minute per try so far.
            None => ("pending", None, now + attempts * 60_000),
        };
        store
            .set_text(&t.reference, state, id.as_deref(), attempts, next, now)
            .await?;
    }
    Ok(sent)
}
