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
        entry: &Entry,
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

    /// A corrected resubmission: only from 需补正 at `revision`, the item goes
    /// back to 已提交 as revision + 1, queued for relay; the application's
    /// form values become `fields_json` and the corrected materials' provisions
    /// are replaced. All or nothing; false if the item was not awaiting a correction.
    #[allow(clippy::too_many_arguments)]
    pub async fn resubmit(
        &self,
        application_id: &str,
        item_row_id: &str,
        revision: i64,
        fields_json: &str,
        materials: &[(String, banshi_core::api::Provision)],
        at: i64,
        entry: &Entry,
    ) -> EdgeResult<bool> {
        let mut statements = vec![query!(
            &self.db,
            "UPDATE application_items
                SET status = 'submitted', relay_state = 'queued', relay_attempts = 0, relay_next_at = NULL,
                    revision = revision + 1, updated_at = ?2
              WHERE id = ?1 AND status = 'correction_required' AND revision = ?3",
            item_row_id,
            at,
            revision
        )?];
        // Each later statement runs only if that move happened.
        for (id, p) in materials {
            statements.push(query!(
                &self.db,
                "UPDATE application_materials SET provision = ?3, provided_at = ?4, updated_at = ?4
                  WHERE application_id = ?1 AND material_id = ?2
                    AND EXISTS (SELECT 1 FROM application_items WHERE id = ?5 AND revision = ?6 AND updated_at = ?4)",
                application_id,
                id,
                serde_json::to_string(p)?,
                at,
                item_row_id,
                revision + 1
            )?);
        }
        statements.push(query!(
            &self.db,
            "UPDATE applications SET fields = ?2
              WHERE id = ?1 AND EXISTS (SELECT 1 FROM application_items WHERE id = ?3 AND revision = ?4 AND updated_at = ?5)",
            application_id,
            fields_json,
            item_row_id,
            revision + 1,
            at
        )?);
        statements.push(self.timeline_entry_if_changed(
            item_row_id,
            ItemStatus::Submitted,
            at,
            entry,
        )?);
        statements.push(self.sms_if_changed(item_row_id, entry, at)?);
        let results = self.db.batch(statements).await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }
}
