//! The SLA watchdog (cron): items a department has not accepted within one
//! working day, or not decided by their due date, are reported to the
//! resident once, with what is being done (core's `sla` rule and notices).

use banshi_core::catalog::Catalog;
use banshi_core::message::{render_notice, Notice};
use banshi_core::sla::{self, ItemClock};
use banshi_core::Text;

use crate::error::EdgeResult;
use crate::http::beijing;
use crate::store::{Entry, Store};

/// Check the watched items as of `now` (the cron's scheduled time); the
/// number newly reported late.
pub async fn run(store: &Store, catalog: &Catalog, now: i64) -> EdgeResult<usize> {
    let at = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
    let today = beijing(at).date_naive();
    let mut flagged = 0;
    let today_str = today.format("%Y-%m-%d").to_string();
    for row in store.items_to_watch(now, &today_str, 200).await? {
        let status = row.status;
        let Some(submitted) = row
            .submitted_at
            .and_then(chrono::DateTime::from_timestamp_millis)
        else {
            continue;
        };
        let due = row.due_date;
        let clock = ItemClock {
            status,
            submitted_on: beijing(submitted).date_naive(),
            due,
        };
        let Some(lateness) = sla::check(catalog.calendar(), clock, today) else {
            continue;
        };
        let Some(item) = catalog
            .event(&row.event_id)
            .and_then(|e| e.item(&row.item_id))
        else {
            continue;
        };
        let department = catalog
            .department(&row.department)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| Text::new(&row.department, &row.department));
        let Some((title, body)) = render_notice(
            catalog.notices(),
            &Notice::Late(lateness),
            &item.name,
            &department,
            due,
        ) else {
            continue;
        };
        let entry = Entry { title, body };
        if store
            .flag_late(&row.id, status, lateness, now, &entry)
            .await?
        {
            flagged += 1;
        }
    }
    Ok(flagged)
}
