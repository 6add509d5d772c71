//! Announced maintenance windows: each department publishes its windows;
//! we keep the last copy in D1 (refreshed when older than `REFRESH_MS`, and
//! at once when a department answers 503) and never relay into a window —
//! the job is held until the window ends and the resident sees the notice.

use std::time::Duration;

use banshi_core::platform::{MaintenanceAnnouncement, MaintenanceWindow};

use crate::config::DepartmentLink;
use crate::error::EdgeResult;
use crate::platform;
use crate::store::Store;

/// How stale our copy of a department's announcement may get.
const REFRESH_MS: i64 = 5 * 60 * 1000;

/// The window covering `now` for the department, refreshing our copy first
/// when it is stale or `force` is set (the department just answered 503).
pub async fn current(
    store: &Store,
    link: &DepartmentLink,
    now: i64,
    force: bool,
) -> EdgeResult<Option<MaintenanceWindow>> {
    let department = &link.adapter.department;
    let fetched = store.maintenance_fetched_at(department).await?;
    if force || fetched.is_none_or(|at| now - at > REFRESH_MS) {
        let url = link.adapter.maintenance_url();
        let (origin, path) = platform::split_url(&url);
        let timeout = Duration::from_millis(u64::from(link.adapter.timeout_ms));
        let answer = platform::get(origin, path, link.party(), timeout).await?;
        // A department that does not answer keeps its last announcement.
        if let Some(a) = answer.parse::<MaintenanceAnnouncement>() {
            store
                .replace_maintenance_windows(department, &a.windows, now)
                .await?;
        }
    }
    store.maintenance_window_at(department, now).await
}
