//! The resident's inbox, derived from item timelines, and how far they have read.

use banshi_core::api::SmsDelivery;

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct InboxRow {
    pub seq: i64,
    pub application_id: String,
    pub event_id: String,
    pub item_id: String,
    pub status: ItemStatus,
    at: i64,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
    pub sms_state: Option<SmsDelivery>,
    /// The application's snapshot (JSON), for the event's and item's names.
    pub snapshot: Option<String>,
}

impl InboxRow {
    pub fn at(&self) -> chrono::DateTime<chrono::Utc> {
        millis(self.at)
    }
    pub fn title(&self) -> Text {
        Text::new(&self.title_zh, &self.title_en)
    }
    pub fn body(&self) -> Text {
        Text::new(&self.body_zh, &self.body_en)
    }
}

/// A page of the inbox.
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    /// How far the resident has read.
    pub seen: i64,
    /// Unread messages in all.
    pub unread: i64,
}

impl Store {
    /// The resident's messages, newest first, `limit` of them before `before`.
    pub async fn inbox(
        &self,
        resident_id: &str,
        before: Option<i64>,
        limit: usize,
    ) -> EdgeResult<InboxPage> {
        #[derive(Deserialize)]
        struct Counts {
            seen: i64,
            unread: i64,
        }
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "SELECT t.seq, a.id AS application_id, a.event_id, i.item_id, t.status, t.at,
                            t.title_zh, t.title_en, t.body_zh, t.body_en, a.snapshot,
                            CASE n.state WHEN 'sending' THEN 'pending' WHEN 'no_phone' THEN NULL ELSE n.state END AS sms_state
                       FROM item_timeline t
                       JOIN application_items i ON i.id = t.item_row_id
                       JOIN applications a ON a.id = i.application_id
                       LEFT JOIN notifications n ON n.timeline_seq = t.seq
                      WHERE a.resident_id = ?1 AND t.seq < ?2
                      ORDER BY t.seq DESC LIMIT ?3",
                    resident_id,
                    before.unwrap_or(i64::MAX) as f64,
                    limit as f64
                )?,
                query!(
                    &self.db,
                    "SELECT r.inbox_seen_seq AS seen,
                            (SELECT COUNT(*) FROM item_timeline t
                               JOIN application_items i ON i.id = t.item_row_id
                               JOIN applications a ON a.id = i.application_id
                              WHERE a.resident_id = r.id AND t.seq > r.inbox_seen_seq) AS unread
                       FROM residents r WHERE r.id = ?1",
                    resident_id
                )?,
            ])
            .await?;
        let [rows, counts] = <[worker::D1Result; 2]>::try_from(results)
            .map_err(|_| EdgeError::Internal("batch answered the wrong count".into()))?;
        let counts = counts
            .results::<Counts>()?
            .into_iter()
            .next()
            .unwrap_or(Counts { seen: 0, unread: 0 });
        Ok(InboxPage {
            rows: rows.results::<InboxRow>()?,
            seen: counts.seen,
            unread: counts.unread,
        })
    }

    /// Remember that the resident has read up to `seq` (never backwards).
    pub async fn mark_inbox_seen(&self, resident_id: &str, seq: i64) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE residents SET inbox_seen_seq = MAX(inbox_seen_seq, ?2) WHERE id = ?1",
            resident_id,
            seq
        )?
        .run()
        .await?;
        Ok(())
    }
}
