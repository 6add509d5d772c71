//! The resident's inbox, derived from item timelines, and how far they have read.

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct InboxRow {
    pub seq: i64,
    pub application_id: String,
    pub event_id: String,
    pub item_id: String,
    pub status: String,
    pub at: i64,
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
    pub sms_state: Option<String>,
}

impl Store {
    /// The newest messages across the resident's applications.
    pub async fn inbox(&self, resident_id: &str) -> EdgeResult<(Vec<InboxRow>, i64)> {
        let rows = query!(
            &self.db,
            "SELECT t.seq, a.id AS application_id, a.event_id, i.item_id, t.status, t.at,
                    t.title_zh, t.title_en, t.body_zh, t.body_en,
                    CASE n.state WHEN 'sending' THEN 'pending' ELSE n.state END AS sms_state
               FROM item_timeline t
               JOIN application_items i ON i.id = t.item_row_id
               JOIN applications a ON a.id = i.application_id
               LEFT JOIN notifications n ON n.timeline_seq = t.seq
              WHERE a.resident_id = ?1
              ORDER BY t.seq DESC LIMIT 50",
            resident_id
        )?
        .all()
        .await?
        .results::<InboxRow>()?;
        #[derive(Deserialize)]
        struct Seen {
            inbox_seen_seq: i64,
        }
        let seen = query!(
            &self.db,
            "SELECT inbox_seen_seq FROM residents WHERE id = ?1",
            resident_id
        )?
        .first::<Seen>(None)
        .await?
        .map(|s| s.inbox_seen_seq)
        .unwrap_or(0);
        Ok((rows, seen))
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
