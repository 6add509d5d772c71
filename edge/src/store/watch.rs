//! What the poller and the SLA watchdog look at, and lateness reported once.

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct WatchRow {
    pub id: String,
    pub event_id: String,
    pub item_id: String,
    pub department: String,
    pub status: ItemStatus,
    pub due_date: Option<chrono::NaiveDate>,
    pub submitted_at: Option<i64>,
}

impl Store {
    /// Delivered, unfinished items at a department, least recently polled
    /// first (never polled: first of all), marked polled as they are taken,
    /// so a poll that finds nothing still moves the item to the back.
    pub async fn items_to_poll(
        &self,
        department: &str,
        limit: i64,
        now: i64,
    ) -> EdgeResult<Vec<String>> {
        ids(query!(
            &self.db,
            "UPDATE application_items SET last_polled_at = ?3
              WHERE id IN (
                SELECT id FROM application_items
                 WHERE department = ?1 AND relay_state = 'delivered'
                   AND status NOT IN ('delivered', 'rejected', 'withdrawn')
                 ORDER BY COALESCE(last_polled_at, 0), updated_at LIMIT ?2)
             RETURNING id",
            department,
            limit,
            now
        )?)
        .await
    }

    /// Delivered items at a webhook department that have been quiet since
    /// `quiet_before` (no change, no poll), marked polled: a lost webhook is
    /// found by reading the department's log. A finished item is read once
    /// more after it finished (`apply_update` clears its poll mark), for a
    /// step whose callback was lost on the way to the end.
    pub async fn items_to_reconcile(
        &self,
        department: &str,
        limit: i64,
        quiet_before: i64,
        now: i64,
    ) -> EdgeResult<Vec<String>> {
        ids(query!(
            &self.db,
            "UPDATE application_items SET last_polled_at = ?4
              WHERE id IN (
                SELECT id FROM application_items
                 WHERE department = ?1 AND relay_state = 'delivered'
                   AND (status NOT IN ('delivered', 'rejected', 'withdrawn')
                        OR last_polled_at IS NULL)
                   AND MAX(COALESCE(last_polled_at, 0), updated_at) < ?3
                 ORDER BY MAX(COALESCE(last_polled_at, 0), updated_at) LIMIT ?2)
             RETURNING id",
            department,
            limit,
            quiet_before,
            now
        )?)
        .await
    }

    /// A finished item whose log could not be read is taken again by the
    /// next reconcile (its poll mark was set when it was taken).
    pub async fn unmark_polled(&self, item_row_id: &str) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE application_items SET last_polled_at = NULL
              WHERE id = ?1 AND status IN ('delivered', 'rejected', 'withdrawn')",
            item_row_id
        )?
        .run()
        .await?;
        Ok(())
    }

    /// Items that may be late as of `now` / `today` and are not yet reported:
    /// submitted at least a day ago (one working day is never less), or past
    /// their due date. Only candidates, so the limit never starves late items
    /// behind ones that are fine; core's `sla::check` decides.
    pub async fn items_to_watch(
        &self,
        now: i64,
        today: &str,
        limit: i64,
    ) -> EdgeResult<Vec<WatchRow>> {
        Ok(query!(
            &self.db,
            "SELECT i.id, a.event_id, i.item_id, i.department, i.status, i.due_date,
                    (SELECT MAX(t.at) FROM item_timeline t
                      WHERE t.item_row_id = i.id AND t.status = 'submitted' AND t.kind = 'status') AS submitted_at
               FROM application_items i JOIN applications a ON a.id = i.application_id
              WHERE (i.status = 'submitted' AND i.relay_state = 'delivered'
                     AND (SELECT MAX(t.at) FROM item_timeline t
                           WHERE t.item_row_id = i.id AND t.status = 'submitted' AND t.kind = 'status') < ?1 - 86400000
                     AND NOT EXISTS (SELECT 1 FROM item_flags f WHERE f.item_row_id = i.id AND f.kind = 'not_accepted_in_time'))
                 OR (i.status IN ('accepted', 'under_review') AND i.due_date < ?2
                     AND NOT EXISTS (SELECT 1 FROM item_flags f WHERE f.item_row_id = i.id AND f.kind = 'past_due'))
              ORDER BY i.updated_at LIMIT ?3",
            now,
            today,
            limit
        )?
        .all()
        .await?
        .results::<WatchRow>()?)
    }

    /// Report an item late once: the flag, a notice in its timeline (and so
    /// the inbox) and a text message. False if it was already reported.
    pub async fn flag_late(
        &self,
        item_row_id: &str,
        status: ItemStatus,
        lateness: Lateness,
        at: i64,
        entry: &Entry,
    ) -> EdgeResult<bool> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "INSERT INTO item_flags (item_row_id, kind, flagged_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                    item_row_id,
                    lateness.as_str(),
                    at
                )?,
                query!(
                    &self.db,
                    "INSERT INTO item_timeline (item_row_id, status, at, title_zh, title_en, body_zh, body_en, kind)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'notice' WHERE changes() = 1",
                    item_row_id,
                    status.as_str(),
                    at,
                    &entry.title.zh,
                    &entry.title.en,
                    &entry.body.zh,
                    &entry.body.en
                )?,
                self.sms_if_changed(item_row_id, entry, at)?,
                self.agent_copy(item_row_id, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }
}
