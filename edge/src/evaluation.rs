//! 好差评 relay: a resident's rating goes to the evaluation platform,
//! idempotent on the rating id; if the platform is down the cron tries again.

use banshi_core::catalog::Catalog;
use banshi_core::platform::{RatingReceipt, RatingRecord};
use worker::Env;

use crate::config::Platforms;
use crate::error::EdgeResult;
use crate::platform;
use crate::store::{Attempt, RatingRow, Store};
use banshi_core::relay::backoff_secs;

/// Send one rating once.
pub async fn relay(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    rating: &RatingRow,
    now: i64,
) -> EdgeResult<Relayed> {
    let platforms = Platforms::from_env(env)?;
    let items = store.items(&rating.application_id).await?;
    let event_id = items
        .first()
        .map(|i| i.event_id.clone())
        .unwrap_or_default();
    let mut departments: Vec<String> = items.iter().map(|i| i.department.clone()).collect();
    departments.sort();
    departments.dedup();
    let record = RatingRecord {
        rating_id: rating.id.clone(),
        application_id: rating.application_id.clone(),
        event_name: catalog
            .event(&event_id)
            .map(|e| e.name.zh.clone())
            .unwrap_or_else(|| event_id.clone()),
        event_id,
        departments,
        score: rating.score.clamp(1, 5) as u8,
        comment: rating.comment.clone(),
        rated_at: chrono::DateTime::from_timestamp_millis(rating.rated_at).unwrap_or_default(),
    };
    let answer = platform::post(
        &platforms.ratings_url(),
        platform::Party {
            name: banshi_core::platform::EVALUATION,
            key: &platforms.evaluation_key,
        },
        &rating.id,
        serde_json::to_string(&record)?,
        platform::TIMEOUT,
    )
    .await?;
    let relayed = answer
        .parse::<RatingReceipt>()
        .is_some_and(|r| r.accepted && r.rating_id == rating.id);
    let attempts = rating.attempts + 1;
    // Refused for good (a permanent 4xx, or an answer that does not accept
    // it), or tried for about a day: an operator follows it up.
    let refused = !relayed && (platform::is_permanent(answer.status) || answer.ok());
    let give_up = !relayed && (refused || attempts >= MAX_ATTEMPTS);
    let mut jitter = [0u8; 1];
    let _ = getrandom::getrandom(&mut jitter);
    let wait = i64::from(backoff_secs(rating.attempts as u32, jitter[0])) * 1000;
    if give_up {
        worker::console_error!("rating {}: given up ({})", rating.id, answer.status);
    }
    store
        .set_rating_attempt(
            &rating.application_id,
            &Attempt {
                attempts,
                status: i64::from(answer.status),
                done_at: relayed.then_some(now),
                next_at: (!relayed && !give_up).then_some(now + wait),
                gave_up_at: give_up.then_some(now),
            },
        )
        .await?;
    Ok(if relayed {
        Relayed::Yes
    } else if refused {
        Relayed::Refused
    } else {
        Relayed::NotNow
    })
}

/// How one rating's relay went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relayed {
    Yes,
    /// This one was refused: the others may still go.
    Refused,
    /// The platform is down or slow: the rest wait too.
    NotNow,
}

/// Tries before a rating is given up on (about a day with backoff).
const MAX_ATTEMPTS: i64 = 300;

/// The cron's pass over ratings the platform does not have yet and that
/// are due a try. One refused rating never holds back the others; a platform
/// that is down ends the pass (they all wait for their backoff).
pub async fn retry(env: &Env, store: &Store, catalog: &Catalog, now: i64) -> EdgeResult<usize> {
    let mut relayed = 0;
    for rating in store.unrelayed_ratings(now, 20).await? {
        match relay(env, store, catalog, &rating, now).await? {
            Relayed::Yes => relayed += 1,
            Relayed::Refused => {}
            Relayed::NotNow => break,
        }
    }
    Ok(relayed)
}
