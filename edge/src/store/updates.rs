//! Department updates: kept by their id, applied in order through guarded transitions, each with its timeline entry and text message.

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct PendingUpdateRow {
    pub update_id: String,
    pub body: String,
}

/// How a department update landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    Duplicate,
    Recorded,
}

impl Store {
    pub async fn item_for_department(
        &self,
        department: &str,
        external_id: &str,
    ) -> EdgeResult<Option<ItemRow>> {
        Ok(query!(
            &self.db,
            concat!(
                "SELECT ",
                item_columns!(),
                " FROM application_items i JOIN applications a ON a.id = i.application_id
                 WHERE i.id = ?1 AND i.department = ?2"
            ),
            external_id,
            department
        )?
        .first::<ItemRow>(None)
        .await?)
    }

    /// Keep the update by (department, its id); a second delivery is a duplicate.
    pub async fn record_update(
        &self,
        department: &str,
        u: &DepartmentUpdate,
        body: &str,
        now: i64,
    ) -> EdgeResult<UpdateOutcome> {
        let r = query!(
            &self.db,
            "INSERT INTO department_updates (update_id, item_row_id, department, status, at, body, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (department, update_id) DO NOTHING",
            &u.update_id,
            &u.external_id,
            department,
            u.status.as_str(),
            u.at.timestamp_millis(),
            body,
            now
        )?
        .run()
        .await?;
        Ok(if changes(&r) == 1 {
            UpdateOutcome::Recorded
        } else {
            UpdateOutcome::Duplicate
        })
    }

    /// Updates for an item not yet applied, oldest first by the department's own time.
    pub async fn pending_updates(&self, item_row_id: &str) -> EdgeResult<Vec<PendingUpdateRow>> {
        Ok(query!(
            &self.db,
            "SELECT update_id, body FROM department_updates WHERE item_row_id = ?1 AND applied = 0 ORDER BY at, received_at",
            item_row_id
        )?
        .all()
        .await?
        .results::<PendingUpdateRow>()?)
    }

    /// Move the item to `status` — only if it is still in `from`, so two
    /// concurrent callbacks cannot both apply — and add the timeline entry.
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_update(
        &self,
        item_row_id: &str,
        department: &str,
        update_id: &str,
        from: ItemStatus,
        to: ItemStatus,
        at: i64,
        accepted: Option<(String, bool)>,
        entry: &Entry,
    ) -> EdgeResult<bool> {
        let (due_date, due_estimated) = match &accepted {
            Some((d, e)) => (Some(d.as_str()), Some(*e as i64)),
            None => (None, None),
        };
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE application_items
                        SET status = ?2, updated_at = ?4,
                            accepted_at = CASE WHEN ?5 IS NULL THEN accepted_at ELSE ?4 END,
                            due_date = COALESCE(?5, due_date), due_estimated = COALESCE(?6, due_estimated),
                            last_polled_at = CASE WHEN ?7 = 1 THEN NULL ELSE last_polled_at END,
                            relay_state = CASE WHEN ?7 = 1 AND relay_state IN ('queued', 'retrying', 'held')
                                               THEN 'delivered' ELSE relay_state END
                      WHERE id = ?1 AND status = ?3",
                    item_row_id,
                    to.as_str(),
                    from.as_str(),
                    at,
                    due_date,
                    due_estimated,
                    // Finished: the department's log is read once more
                    // (`items_to_reconcile`) for steps whose callbacks were
                    // lost. The department that finished the item has it,
                    // even if every answer to our relay was lost: the relay
                    // stops at a finished item, so only this can say
                    // delivered (and let the reconcile, which reads only
                    // delivered items, take it). No newer revision can
                    // follow a finished item, so none is marked unsent.
                    to.is_terminal() as i64
                )?,
                self.timeline_entry_if_changed(item_row_id, to, at, entry)?,
                self.sms_if_changed(item_row_id, entry, at)?,
                query!(
                    &self.db,
                    "UPDATE department_updates SET applied = 1
                      WHERE department = ?1 AND update_id = ?2 AND changes() = 1",
                    department,
                    update_id
                )?,
                self.agent_copy(item_row_id, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    /// A step the department reported after a later one: written into the
    /// timeline as history (once per status, no text message — the resident
    /// was already told of the later step) and the update closed.
    pub async fn record_past_step(
        &self,
        item_row_id: &str,
        department: &str,
        update_id: &str,
        status: ItemStatus,
        at: i64,
        entry: &Entry,
    ) -> EdgeResult<()> {
        self.db
            .batch(vec![
                query!(
                    &self.db,
                    "INSERT INTO item_timeline (item_row_id, status, at, title_zh, title_en, body_zh, body_en)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
                      WHERE NOT EXISTS (SELECT 1 FROM item_timeline
                                         WHERE item_row_id = ?1 AND status = ?2 AND kind = 'status')",
                    item_row_id,
                    status.as_str(),
                    at,
                    &entry.title.zh,
                    &entry.title.en,
                    &entry.body.zh,
                    &entry.body.en
                )?,
                query!(
                    &self.db,
                    "UPDATE department_updates SET applied = 2 WHERE department = ?1 AND update_id = ?2",
                    department,
                    update_id
                )?,
            ])
            .await?;
        Ok(())
    }

    /// An update that can never apply (the item moved past it) is closed.
    pub async fn discard_update(&self, department: &str, update_id: &str) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE department_updates SET applied = 2 WHERE department = ?1 AND update_id = ?2",
            department,
            update_id
        )?
        .run()
        .await?;
        Ok(())
    }

    /// The timeline entry for a status change, written only if the statement
    /// just before it in the batch changed a row (the transition happened).
    pub(super) fn timeline_entry_if_changed(
        &self,
        item_row_id: &str,
        status: ItemStatus,
        at: i64,
        entry: &Entry,
    ) -> EdgeResult<worker::D1PreparedStatement> {
        Ok(query!(
            &self.db,
            "INSERT INTO item_timeline (item_row_id, status, at, title_zh, title_en, body_zh, body_en)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE changes() = 1",
            item_row_id,
            status.as_str(),
            at,
            &entry.title.zh,
            &entry.title.en,
            &entry.body.zh,
            &entry.body.en
        )?)
    }

    /// The text message for the timeline entry just written, queued in the
    /// SMS outbox to the item's resident — only if that entry was written.
    /// A resident with no phone on record (a baby) gets none: the row is
    /// kept as `no_phone`, since the agent's copy is made from it.
    pub(super) fn sms_if_changed(
        &self,
        item_row_id: &str,
        entry: &Entry,
        at: i64,
    ) -> EdgeResult<worker::D1PreparedStatement> {
        let text = sms_text(&entry.title, &entry.body);
        Ok(query!(
            &self.db,
            "INSERT INTO notifications (timeline_seq, resident_id, phone, text, state, updated_at)
             SELECT last_insert_rowid(), a.resident_id, r.phone, ?2,
                    CASE WHEN COALESCE(r.phone, '') = '' THEN 'no_phone' ELSE 'pending' END, ?3
               FROM application_items i
               JOIN applications a ON a.id = i.application_id
               JOIN residents r ON r.id = a.resident_id
              WHERE i.id = ?1 AND changes() = 1",
            item_row_id,
            &text,
            at
        )?)
    }

    /// The agent's copy of the text just queued for the item's latest
    /// timeline entry (made at `at`), when someone applied for the item's
    /// resident (家人代办): to the agent's phone, naming whom it is about.
    /// Last in its batch and keyed by the entry, so it needs no `changes()`
    /// and is made once. Whether the agent may still read the application is
    /// decided when it is sent (`notify::flush_texts`), so a revocation in
    /// between withholds it.
    pub(super) fn agent_copy(
        &self,
        item_row_id: &str,
        at: i64,
    ) -> EdgeResult<worker::D1PreparedStatement> {
        Ok(query!(
            &self.db,
            "INSERT INTO texts (reference, resident_id, phone, text, application_id, state, next_at, created_at, updated_at)
             SELECT 'banshi-tl-' || n.timeline_seq || '-agent', g.id, g.phone,
                    '您为' || p.name || '代办的事项：' || n.text, a.id, 'pending', ?2, ?2, ?2
               FROM notifications n
               JOIN item_timeline t ON t.seq = n.timeline_seq
               JOIN application_items i ON i.id = t.item_row_id
               JOIN applications a ON a.id = i.application_id
               JOIN residents p ON p.id = a.resident_id
               JOIN residents g ON g.id = a.acted_by
              WHERE t.item_row_id = ?1 AND t.at = ?2
                AND t.seq = (SELECT MAX(seq) FROM item_timeline WHERE item_row_id = ?1)
                AND a.acted_by <> a.resident_id AND g.phone IS NOT NULL AND g.phone <> ''
             ON CONFLICT (reference) DO NOTHING",
            item_row_id,
            at
        )?)
    }
}
