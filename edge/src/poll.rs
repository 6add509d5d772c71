//! Polling for departments configured `intake = "poll"` (they cannot call
//! our webhook): the cron asks for each unfinished item's update log and
//! feeds every update through the same intake as a webhook, so duplicates
//! and ordering are handled in one place.

use std::time::Duration;

use banshi_core::catalog::Catalog;
use banshi_core::platform::UpdateLog;
use worker::Env;

use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::store::Store;
use crate::{intake, platform};

/// Items asked about per department per run, to stay within a cron's budget.
const PER_DEPARTMENT: i64 = 25;

/// Poll every poll-only department; the number of updates newly applied.
pub async fn run(env: &Env, store: &Store, catalog: &Catalog, now: i64) -> EdgeResult<usize> {
    let platforms = Platforms::from_env(env)?;
    let mut applied = 0;
    let departments: Vec<String> = platforms
        .adapters()
        .polled(catalog)
        .map(str::to_owned)
        .collect();
    for department in departments {
        let link = platforms.department(env, &department)?;
        let timeout = Duration::from_millis(u64::from(link.adapter.timeout_ms));
        for item in store
            .items_to_poll(&department, PER_DEPARTMENT, now)
            .await?
        {
            let url = link.adapter.updates_url(&item);
            let (origin, path) = platform::split_url(&url);
            let answer = platform::get(origin, path, link.party(), timeout).await?;
            let Some(log) = answer.parse::<UpdateLog>() else {
                if answer.status != 404 {
                    worker::console_warn!("poll {department}/{item}: {}", answer.status);
                }
                continue;
            };
            for update in log.updates {
                if update.external_id != item {
                    continue;
                }
                let raw = serde_json::to_string(&update)?;
                match intake::receive(store, catalog, &department, &update, &raw, now).await {
                    Ok(intake::Intake::Applied) => applied += 1,
                    Ok(_) => {}
                    Err(EdgeError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(applied)
}
