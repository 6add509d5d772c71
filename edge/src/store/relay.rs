//! Relay state of each item: what the queue consumer and the sweeper read
//! and write. Every write names the revision it is about, so a late answer
//! to an older revision never marks a newer one delivered.

use super::*;

/// What a relay job needs: the item, its application and the applicant.
#[derive(Debug, Clone, Deserialize)]
pub struct RelayRow {
    pub id: String,
    pub application_id: String,
    pub resident_id: String,
    pub item_id: String,
    pub department: String,
    pub status: ItemStatus,
    pub relay_state: RelayState,
    pub relay_attempts: i64,
    pub revision: i64,
    pub event_id: String,
    pub fields: String,
    pub snapshot: Option<String>,
    pub submitted_at: i64,
    pub accepted_at: Option<i64>,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    /// Who applied for the applicant (家人代办), and on what authority
    /// (JSON `core::delegation::Authority`).
    pub acted_by: Option<String>,
    pub authority: Option<String>,
    pub agent_name: Option<String>,
    pub agent_id_number: Option<String>,
    pub agent_phone: Option<String>,
}

impl Store {
    pub async fn relay_row(&self, item_row_id: &str) -> EdgeResult<Option<RelayRow>> {
        Ok(query!(
            &self.db,
            "SELECT i.id, i.application_id, a.resident_id, i.item_id, i.department, i.status, i.relay_state, i.relay_attempts,
                    i.revision, i.accepted_at, a.event_id, a.fields, a.snapshot, a.submitted_at,
                    r.name, r.id_number, r.phone, a.acted_by, a.authority,
                    g.name AS agent_name, g.id_number AS agent_id_number, g.phone AS agent_phone
               FROM application_items i
               JOIN applications a ON a.id = i.application_id
               JOIN residents r ON r.id = a.resident_id
               LEFT JOIN residents g ON g.id = a.acted_by AND a.acted_by <> a.resident_id
              WHERE i.id = ?1",
            item_row_id
        )?
        .first::<RelayRow>(None)
        .await?)
    }

    /// Count an attempt at relaying `revision` before it is made, so a
    /// withdrawal knows the department may have it. False (nothing is to be
    /// sent) once the item is closed, being withdrawn, or at another revision.
    pub async fn claim_relay(
        &self,
        item_row_id: &str,
        revision: i64,
        now: i64,
    ) -> EdgeResult<bool> {
        let r = query!(
            &self.db,
            "UPDATE application_items SET relay_attempts = relay_attempts + 1, updated_at = ?3
              WHERE id = ?1 AND revision = ?2 AND withdraw_state IS NULL
                AND status NOT IN ('withdrawn', 'rejected', 'delivered')",
            item_row_id,
            revision,
            now
        )?
        .run()
        .await?;
        Ok(changes(&r) == 1)
    }

    /// Set the relay state of `revision` of the item after an answer
    /// (`status`, 0 for none in time); a no-op once the item has moved on to
    /// another revision, or once this revision is delivered: a second job's
    /// failed attempt (the sweeper's, or one racing a finishing callback)
    /// must not undo a confirmed receipt. False if nothing changed.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_relay(
        &self,
        item_row_id: &str,
        revision: i64,
        state: RelayState,
        attempts: i64,
        next_at: Option<i64>,
        status: Option<u16>,
        now: i64,
    ) -> EdgeResult<bool> {
        let r = query!(
            &self.db,
            "UPDATE application_items
                SET relay_state = ?2, relay_attempts = ?3, relay_next_at = ?4, updated_at = ?5,
                    last_relay_status = COALESCE(?7, last_relay_status)
              WHERE id = ?1 AND revision = ?6 AND relay_state <> 'delivered'",
            item_row_id,
            state.as_str(),
            attempts,
            next_at,
            now,
            revision,
            status.map(i64::from)
        )?
        .run()
        .await?;
        Ok(changes(&r) == 1)
    }

    /// Items whose relay job may have been lost (due, never delivered), for
    /// the sweeper to enqueue again; each is leased until `lease_until`, so
    /// one merely waiting in a queue backlog is not enqueued again and again.
    /// Safe either way: departments de-duplicate.
    pub async fn stalled_relays(
        &self,
        older_than: i64,
        lease_until: i64,
    ) -> EdgeResult<Vec<String>> {
        ids(query!(
            &self.db,
            "UPDATE application_items SET relay_next_at = ?2
              WHERE id IN (
                SELECT id FROM application_items
                 WHERE relay_state IN ('queued', 'retrying', 'held') AND withdraw_state IS NULL
                   AND status NOT IN ('withdrawn', 'rejected', 'delivered')
                   AND COALESCE(relay_next_at, updated_at) < ?1
                 LIMIT 200)
             RETURNING id",
            older_than,
            lease_until
        )?)
        .await
    }
}
