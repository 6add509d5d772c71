//! 好差评 relay: a resident's rating goes to the evaluation platform,
//! idempotent on the rating id; if the platform is down the cron tries again.

use banshi_core::catalog::Catalog;
use banshi_core::platform::{RatingReceipt, RatingRecord};
use worker::Env;

use crate::config::Platforms;
use crate::error::EdgeResult;
use crate::platform;
use crate::store::{RatingRow, Store};

/// Send one rating; true once the platform has it.
pub async fn relay(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    rating: &RatingRow,
    now: i64,
) -> EdgeResult<bool> {
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
        now,
    )
    .await?;
    let relayed = answer
        .parse::<RatingReceipt>()
        .is_some_and(|r| r.accepted && r.rating_id == rating.id);
    store
        .set_rating_relayed(
            &rating.application_id,
            relayed.then_some(now),
            rating.attempts + 1,
        )
        .await?;
    Ok(relayed)
}

/// The cron's pass over ratings the platform does not have yet.
pub async fn retry(env: &Env, store: &Store, catalog: &Catalog, now: i64) -> EdgeResult<usize> {
    let mut relayed = 0;
    for rating in store.unrelayed_ratings(20).await? {
        if relay(env, store, catalog, &rating, now).await? {
            relayed += 1;
        } else {
            break;
        }
    }
    Ok(relayed)
}
