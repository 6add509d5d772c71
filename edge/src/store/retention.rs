//! Retention: what the cron purges, and after how long (ARCHITECTURE.md
//! states the same periods). Personal data is kept no longer than its use.

use super::*;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Expired sessions, a day after they expired.
pub const SESSIONS_AFTER_EXPIRY_MS: i64 = DAY_MS;
/// Sign-in requests (valid 10 minutes), an hour after they were started.
pub const AUTH_REQUESTS_MS: i64 = 3600 * 1000;
/// Bodies of department updates applied or discarded, after 30 days (the
/// ids stay, so a late redelivery is still recognised). An open correction
/// request keeps its body: the resident still needs its points.
pub const UPDATE_BODIES_MS: i64 = 30 * DAY_MS;
/// Texts handed to the carrier (or given up), after 30 days: the number and
/// the words go; the inbox keeps the message itself.
pub const NOTIFICATIONS_MS: i64 = 30 * DAY_MS;
/// The other texts (consent requests, grants, an agent's copy) likewise,
/// once sent, given up or withheld.
pub const TEXTS_MS: i64 = 30 * DAY_MS;

/// What one purge removed.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Purged {
    pub sessions: usize,
    pub auth_requests: usize,
    pub update_bodies: usize,
    pub notifications: usize,
    pub texts: usize,
}

impl Store {
    pub async fn purge(&self, now: i64) -> EdgeResult<Purged> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "DELETE FROM sessions WHERE expires_at < ?1",
                    now - SESSIONS_AFTER_EXPIRY_MS
                )?,
                query!(
                    &self.db,
                    "DELETE FROM auth_requests WHERE created_at < ?1",
                    now - AUTH_REQUESTS_MS
                )?,
                query!(
                    &self.db,
                    "UPDATE department_updates SET body = '{}'
                      WHERE applied IN (1, 2) AND received_at < ?1 AND body <> '{}'
                        AND NOT (status = 'correction_required' AND item_row_id IN
                             (SELECT id FROM application_items WHERE status = 'correction_required'))",
                    now - UPDATE_BODIES_MS
                )?,
                query!(
                    &self.db,
                    "DELETE FROM notifications
                      WHERE state IN ('sent', 'delivered', 'failed', 'no_phone') AND updated_at < ?1",
                    now - NOTIFICATIONS_MS
                )?,
                query!(
                    &self.db,
                    "DELETE FROM texts
                      WHERE state IN ('sent', 'delivered', 'failed', 'withheld') AND updated_at < ?1",
                    now - TEXTS_MS
                )?,
            ])
            .await?;
        let n = |i: usize| results.get(i).map(changes).unwrap_or(0);
        Ok(Purged {
            sessions: n(0),
            auth_requests: n(1),
            update_bodies: n(2),
            notifications: n(3),
            texts: n(4),
        })
    }
}
