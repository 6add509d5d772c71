//! The resident's own actions on an item: a withdrawal (at once when no
//! department can have the item, else confirmed by the department first)
//! and a corrected resubmission.

use super::*;

impl Store {
    /// Withdraw an item no relay attempt was ever made for (no department
    /// can have it): from `from`, with its timeline entry and text. False if
    /// an attempt was made meanwhile, or the item moved on.
    pub async fn withdraw_unsent(
        &self,
        item_row_id: &str,
        from: ItemStatus,
        at: i64,
        entry: &Entry,
    ) -> EdgeResult<bool> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE application_items SET status = 'withdrawn', updated_at = ?3
                      WHERE id = ?1 AND status = ?2 AND relay_attempts = 0 AND withdraw_state IS NULL",
                    item_row_id,
                    from.as_str(),
                    at
                )?,
                self.timeline_entry_if_changed(item_row_id, ItemStatus::Withdrawn, at, entry)?,
                self.sms_if_changed(item_row_id, entry, at)?,
                self.agent_copy(item_row_id, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    /// Start a withdrawal the department must confirm: from here no relay of
    /// the item is sent. False if one is already on its way or the item moved on.
    pub async fn begin_withdrawal(
        &self,
        item_row_id: &str,
        from: ItemStatus,
        now: i64,
    ) -> EdgeResult<bool> {
        let r = query!(
            &self.db,
            "UPDATE application_items
                SET withdraw_state = 'pending', withdraw_attempts = 0, withdraw_next_at = NULL, updated_at = ?3
              WHERE id = ?1 AND status = ?2 AND withdraw_state IS NULL",
            item_row_id,
            from.as_str(),
            now
        )?
        .run()
        .await?;
        Ok(changes(&r) == 1)
    }

    /// The department confirmed the withdrawal: the item is 已撤回 now.
    pub async fn finish_withdrawal(
        &self,
        item_row_id: &str,
        at: i64,
        entry: &Entry,
    ) -> EdgeResult<bool> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE application_items SET status = 'withdrawn', withdraw_state = 'done', updated_at = ?2
                      WHERE id = ?1 AND withdraw_state = 'pending'
                        AND status IN ('submitted', 'correction_required')",
                    item_row_id,
                    at
                )?,
                self.timeline_entry_if_changed(item_row_id, ItemStatus::Withdrawn, at, entry)?,
                self.sms_if_changed(item_row_id, entry, at)?,
                self.agent_copy(item_row_id, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    /// The department had accepted already: the withdrawal is off, the
    /// relay carries on, and the resident is told why (a notice, the status
    /// stays). False if no withdrawal was pending.
    pub async fn abandon_withdrawal(
        &self,
        item_row_id: &str,
        status: ItemStatus,
        at: i64,
        notice: &Entry,
    ) -> EdgeResult<bool> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE application_items SET withdraw_state = NULL, relay_next_at = NULL, updated_at = ?2
                      WHERE id = ?1 AND withdraw_state = 'pending'",
                    item_row_id,
                    at
                )?,
                query!(
                    &self.db,
                    "INSERT INTO item_timeline (item_row_id, status, at, title_zh, title_en, body_zh, body_en, kind)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'notice' WHERE changes() = 1",
                    item_row_id,
                    status.as_str(),
                    at,
                    &notice.title.zh,
                    &notice.title.en,
                    &notice.body.zh,
                    &notice.body.en
                )?,
                self.sms_if_changed(item_row_id, notice, at)?,
                self.agent_copy(item_row_id, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    /// A withdrawal try that got no confirmation: try again at `next_at`,
    /// or (`state` following up) never again.
    pub async fn set_withdrawal(
        &self,
        item_row_id: &str,
        state: &str,
        attempts: i64,
        next_at: Option<i64>,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE application_items SET withdraw_state = ?2, withdraw_attempts = ?3, withdraw_next_at = ?4, updated_at = ?5
              WHERE id = ?1 AND withdraw_state = 'pending'",
            item_row_id,
            state,
            attempts,
            next_at,
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    /// The attempts made at a pending withdrawal, if one is pending.
    pub async fn withdrawal_attempts(&self, item_row_id: &str) -> EdgeResult<Option<i64>> {
        #[derive(Deserialize)]
        struct A {
            withdraw_attempts: i64,
        }
        Ok(query!(
            &self.db,
            "SELECT withdraw_attempts FROM application_items WHERE id = ?1 AND withdraw_state = 'pending'",
            item_row_id
        )?
        .first::<A>(None)
        .await?
        .map(|a| a.withdraw_attempts))
    }

    /// Pending withdrawals whose queue job may have been lost, leased.
    pub async fn stalled_withdrawals(
        &self,
        older_than: i64,
        lease_until: i64,
    ) -> EdgeResult<Vec<String>> {
        ids(query!(
            &self.db,
            "UPDATE application_items SET withdraw_next_at = ?2
              WHERE id IN (
                SELECT id FROM application_items
                 WHERE withdraw_state = 'pending' AND COALESCE(withdraw_next_at, updated_at) < ?1
                 LIMIT 200)
             RETURNING id",
            older_than,
            lease_until
        )?)
        .await
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
        statements.push(self.agent_copy(item_row_id, at)?);
        let results = self.db.batch(statements).await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }
}
