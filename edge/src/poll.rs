//! Polling for departments configured `intake = "poll"` (they cannot call
//! our webhook): the cron asks for each unfinished item's update log and
//! feeds every update through the same intake as a webhook, so duplicates
//! and ordering are handled in one place. Webhook departments are read the
//! same way for items quiet for a while: a webhook that never arrived (or
//! one an earlier lost one holds back) is found in the department's log.

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

/// A webhook department's item with no news for this long is reconciled.
pub const QUIET_MS: i64 = 10 * 60 * 1000;

/// Poll every poll-only department; the number of updates newly applied.
pub async fn run(env: &Env, store: &Store, catalog: &Catalog, now: i64) -> EdgeResult<usize> {
    let platforms = Platforms::from_env(env)?;
    let mut applied = 0;
    let polled: Vec<String> = platforms
        .adapters()
        .polled(catalog)
        .map(str::to_owned)
        .collect();
    for d in catalog.departments() {
        let items = if polled.contains(&d.id) {
            store.items_to_poll(&d.id, PER_DEPARTMENT, now).await?
        } else {
            store
                .items_to_reconcile(&d.id, PER_DEPARTMENT, now - QUIET_MS, now)
                .await?
        };
        if items.is_empty() {
            continue;
        }
        applied += poll_items(env, store, catalog, &platforms, &d.id, &items, now).await?;
    }
    Ok(applied)
}

/// Read each item's update log at `department` and take in what is new.
async fn poll_items(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    platforms: &Platforms,
    department: &str,
    items: &[String],
    now: i64,
) -> EdgeResult<usize> {
    let link = platforms.department(env, department)?;
    let timeout = Duration::from_millis(u64::from(link.adapter.timeout_ms));
    let mut applied = 0;
    for item in items {
        let url = link.adapter.updates_url(item);
        let (origin, path) = platform::split_url(&url);
        let answer = match platform::get(origin, path, link.party(), timeout).await {
            Ok(answer) => answer,
            Err(e) => {
                // Unread: a finished item must still get its one last read.
                worker::console_warn!("poll {department}/{item}: {e:?}");
                store.unmark_polled(item).await?;
                continue;
            }
        };
        let Some(log) = answer.parse::<UpdateLog>() else {
            if answer.status != 404 {
                worker::console_warn!("poll {department}/{item}: {}", answer.status);
                store.unmark_polled(item).await?;
            }
            continue;
        };
        for update in log.updates {
            if &update.external_id != item {
                continue;
            }
            let raw = serde_json::to_string(&update)?;
            match intake::receive(store, catalog, department, &update, &raw, now).await {
                Ok(intake::Intake::Applied) => applied += 1,
                Ok(_) => {}
                Err(EdgeError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(applied)
}
