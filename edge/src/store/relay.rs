//! Relay state of each item: what the queue consumer and the sweeper read and write.

use super::*;

/// What a relay job needs: the item, its application and the applicant.
#[derive(Debug, Clone, Deserialize)]
pub struct RelayRow {
    pub id: String,
    pub item_id: String,
    pub department: String,
    pub status: String,
    pub relay_state: String,
    pub relay_attempts: i64,
    pub revision: i64,
    pub event_id: String,
    pub fields: String,
    pub submitted_at: i64,
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

impl Store {
    pub async fn relay_row(&self, item_row_id: &str) -> EdgeResult<Option<RelayRow>> {
        Ok(query!(
            &self.db,
            "SELECT i.id, i.item_id, i.department, i.status, i.relay_state, i.relay_attempts, i.revision,
                    a.event_id, a.fields, a.submitted_at, r.name, r.id_number, r.phone
               FROM application_items i
               JOIN applications a ON a.id = i.application_id
               JOIN residents r ON r.id = a.resident_id
              WHERE i.id = ?1",
            item_row_id
        )?
        .first::<RelayRow>(None)
        .await?)
    }

    pub async fn set_relay(
        &self,
        item_row_id: &str,
        state: RelayState,
        attempts: i64,
        next_at: Option<i64>,
        now: i64,
    ) -> EdgeResult<()> {
        let state = serde_json::to_value(state)?;
        query!(
            &self.db,
            "UPDATE application_items SET relay_state = ?2, relay_attempts = ?3, relay_next_at = ?4, updated_at = ?5 WHERE id = ?1",
            item_row_id,
            state.as_str().unwrap_or("queued"),
            attempts,
            next_at,
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    /// Items whose relay job may have been lost (queued but never delivered),
    /// for the sweeper to enqueue again. Safe: departments de-duplicate.
    pub async fn stalled_relays(&self, older_than: i64) -> EdgeResult<Vec<String>> {
        ids(query!(
            &self.db,
            "SELECT id FROM application_items
              WHERE relay_state IN ('queued', 'retrying', 'held') AND COALESCE(relay_next_at, updated_at) < ?1 LIMIT 200",
            older_than
        )?)
        .await
    }
}
