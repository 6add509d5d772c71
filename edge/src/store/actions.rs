//! The resident's own actions on an item: withdrawal and a corrected resubmission.

use super::*;

impl Store {
    /// The resident's own action (withdrawal): move `from` → `to` only if the
    /// item is still in `from`, with its timeline entry. False if it moved on.
    pub async fn resident_transition(
        &self,
        item_row_id: &str,
        from: ItemStatus,
        to: ItemStatus,
        at: i64,
        entry: &[String; 4],
    ) -> EdgeResult<bool> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE application_items SET status = ?2, updated_at = ?4 WHERE id = ?1 AND status = ?3",
                    item_row_id,
                    to.as_str(),
                    from.as_str(),
                    at
                )?,
                self.timeline_entry_if_changed(item_row_id, to, at, entry)?,
                self.sms_if_changed(item_row_id, entry, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    /// A corrected resubmission: only from 需补正, the item goes back to
    /// 已提交 as a new revision, queued for relay; the application's form
    /// values become `fields_json`. False if the item was not awaiting a correction.
    pub async fn resubmit(
        &self,
        application_id: &str,
        item_row_id: &str,
        fields_json: &str,
        at: i64,
        entry: &[String; 4],
    ) -> EdgeResult<bool> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE application_items
                        SET status = 'submitted', relay_state = 'queued', relay_attempts = 0, relay_next_at = NULL,
                            revision = revision + 1, updated_at = ?2
                      WHERE id = ?1 AND status = 'correction_required'",
                    item_row_id,
                    at
                )?,
                query!(
                    &self.db,
                    "UPDATE applications SET fields = ?2 WHERE id = ?1 AND changes() = 1",
                    application_id,
                    fields_json
                )?,
                self.timeline_entry_if_changed(item_row_id, ItemStatus::Submitted, at, entry)?,
                self.sms_if_changed(item_row_id, entry, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }
}
