//! The SMS outbox: claimed before sending, so two flushes never send one text twice.

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct NotificationRow {
    pub timeline_seq: i64,
    pub phone: String,
    pub text: String,
    pub attempts: i64,
}

impl Store {
    /// Take up to `limit` messages to send, marking them `sending` so two
    /// flushes (a webhook's and the cron's) never send the same one at once.
    /// A claim older than `stale_before` was lost mid-send and is taken again
    /// (the gateway de-duplicates on our reference).
    pub async fn claim_notifications(
        &self,
        limit: i64,
        now: i64,
        stale_before: i64,
    ) -> EdgeResult<Vec<NotificationRow>> {
        Ok(query!(
            &self.db,
            "UPDATE notifications SET state = 'sending', updated_at = ?2
              WHERE timeline_seq IN (
                SELECT timeline_seq FROM notifications
                 WHERE (state = 'pending' AND COALESCE(next_at, 0) <= ?2)
                    OR (state = 'sending' AND updated_at < ?3)
                 ORDER BY timeline_seq LIMIT ?1)
             RETURNING timeline_seq, phone, text, attempts",
            limit,
            now,
            stale_before
        )?
        .all()
        .await?
        .results::<NotificationRow>()?)
    }

    /// The outcome of one try; `next_at` is when a pending text may be tried again.
    pub async fn set_notification(
        &self,
        seq: i64,
        state: &str,
        provider_id: Option<&str>,
        attempts: i64,
        next_at: Option<i64>,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE notifications SET state = ?2, provider_id = COALESCE(?3, provider_id), attempts = ?4,
                    next_at = ?5, updated_at = ?6
              WHERE timeline_seq = ?1",
            seq,
            state,
            provider_id,
            attempts,
            next_at,
            now
        )?
        .run()
        .await?;
        Ok(())
    }
}
