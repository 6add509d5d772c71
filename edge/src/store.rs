//! The edge's storage, in the domain's words ("record a submission", "apply a
//! department update", "list my applications"). All SQL lives here, so moving
//! from one D1 to per-resident Durable Objects is a change in this file only.
//! Every read on a resident's path is filtered by `resident_id`.

use banshi_core::api::{DepartmentUpdate, RelayState, UserInfo};
use banshi_core::status::ItemStatus;
use serde::Deserialize;
use worker::{query, D1Database, Env};

use crate::config;
use crate::error::{EdgeError, EdgeResult};

pub struct Store {
    db: D1Database,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SessionRow {
    pub resident_id: String,
    pub csrf_token: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthRequestRow {
    pub verifier: String,
    pub return_to: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApplicationRow {
    pub id: String,
    pub event_id: String,
    pub request_hash: String,
    pub fields: String,
    pub submitted_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ItemRow {
    pub id: String,
    pub event_id: String,
    pub item_id: String,
    pub department: String,
    pub status: String,
    pub relay_state: String,
    pub due_date: Option<String>,
    pub due_estimated: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimelineRow {
    pub item_row_id: String,
    pub status: String,
    pub at: i64,
    pub title_zh: String,
    pub title_en: String,
    pub body_zh: String,
    pub body_en: String,
}

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
}

#[derive(Debug, Clone, Deserialize)]
pub struct PendingUpdateRow {
    pub update_id: String,
    pub body: String,
}

/// A new application as it will be stored: one row, one item row per applicable item.
pub struct NewApplication<'a> {
    pub id: &'a str,
    pub resident_id: &'a str,
    pub event_id: &'a str,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub answers_json: &'a str,
    pub fields_json: &'a str,
    pub submitted_at: i64,
    /// (row id = external id, catalog item id, department)
    pub items: Vec<(String, &'a str, &'a str)>,
    /// The first timeline entry of every item (title, body), zh/en.
    pub first_entry: Vec<[String; 4]>,
}

/// How a department update landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    Duplicate,
    Recorded,
}

fn changes(r: &worker::D1Result) -> usize {
    r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}

impl Store {
    pub fn new(env: &Env) -> EdgeResult<Store> {
        Ok(Store {
            db: env.d1(config::DB)?,
        })
    }

    // ---- residents and sessions ------------------------------------------------

    pub async fn upsert_resident(&self, u: &UserInfo, now: i64) -> EdgeResult<()> {
        query!(
            &self.db,
            "INSERT INTO residents (id, name, id_number, phone, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET name = ?2, id_number = ?3, phone = ?4, updated_at = ?5",
            &u.sub,
            &u.name,
            &u.id_number,
            &u.phone,
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        resident_id: &str,
        csrf: &str,
        now: i64,
        expires: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "INSERT INTO sessions (token_hash, resident_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            token_hash,
            resident_id,
            csrf,
            now,
            expires
        )?
        .run()
        .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str, now: i64) -> EdgeResult<Option<SessionRow>> {
        Ok(query!(
            &self.db,
            "SELECT s.resident_id, s.csrf_token, r.name, r.id_number, r.phone
               FROM sessions s JOIN residents r ON r.id = s.resident_id
              WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            token_hash,
            now
        )?
        .first::<SessionRow>(None)
        .await?)
    }

    pub async fn delete_session(&self, token_hash: &str) -> EdgeResult<()> {
        query!(
            &self.db,
            "DELETE FROM sessions WHERE token_hash = ?1",
            token_hash
        )?
        .run()
        .await?;
        Ok(())
    }

    pub async fn save_auth_request(
        &self,
        state: &str,
        verifier: &str,
        return_to: &str,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "INSERT INTO auth_requests (state, verifier, return_to, created_at) VALUES (?1, ?2, ?3, ?4)",
            state,
            verifier,
            return_to,
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    /// Single use: the row is deleted as it is read.
    pub async fn take_auth_request(&self, state: &str) -> EdgeResult<Option<AuthRequestRow>> {
        Ok(query!(
            &self.db,
            "DELETE FROM auth_requests WHERE state = ?1 RETURNING verifier, return_to, created_at",
            state
        )?
        .first::<AuthRequestRow>(None)
        .await?)
    }

    // ---- applications ---------------------------------------------------------

    /// Record a submission exactly once per (resident, idempotency key). The
    /// application and all its items are written in one transaction, and only
    /// if no application with that key exists; racing duplicates find the winner.
    /// Returns the stored application and whether this call created it.
    pub async fn record_submission(
        &self,
        new: &NewApplication<'_>,
    ) -> EdgeResult<(ApplicationRow, bool)> {
        let mut statements = vec![query!(
            &self.db,
            "INSERT INTO applications (id, resident_id, event_id, idempotency_key, request_hash, answers, fields, submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (resident_id, idempotency_key) DO NOTHING",
            new.id,
            new.resident_id,
            new.event_id,
            new.idempotency_key,
            new.request_hash,
            new.answers_json,
            new.fields_json,
            new.submitted_at
        )?];
        for (position, ((row_id, item_id, department), entry)) in
            new.items.iter().zip(&new.first_entry).enumerate()
        {
            // Guarded by the application row: if the insert above lost the race, nothing here runs.
            statements.push(query!(
                &self.db,
                "INSERT INTO application_items (id, application_id, position, item_id, department, status, relay_state, updated_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, 'submitted', 'queued', ?6
                  WHERE EXISTS (SELECT 1 FROM applications WHERE id = ?2)",
                row_id,
                new.id,
                position as i64,
                item_id,
                department,
                new.submitted_at
            )?);
            statements.push(query!(
                &self.db,
                "INSERT INTO item_timeline (item_row_id, status, at, title_zh, title_en, body_zh, body_en)
                 SELECT ?1, 'submitted', ?2, ?3, ?4, ?5, ?6
                  WHERE EXISTS (SELECT 1 FROM application_items WHERE id = ?1)",
                row_id,
                new.submitted_at,
                &entry[0],
                &entry[1],
                &entry[2],
                &entry[3]
            )?);
        }
        let results = self.db.batch(statements).await?;
        let created = results.first().map(changes).unwrap_or(0) == 1;
        let row = query!(
            &self.db,
            "SELECT id, event_id, request_hash, fields, submitted_at FROM applications
              WHERE resident_id = ?1 AND idempotency_key = ?2",
            new.resident_id,
            new.idempotency_key
        )?
        .first::<ApplicationRow>(None)
        .await?
        .ok_or_else(|| EdgeError::Internal("submission vanished after insert".into()))?;
        Ok((row, created))
    }

    /// The resident's own application, or `None` (also when it is someone else's).
    pub async fn application(
        &self,
        resident_id: &str,
        id: &str,
    ) -> EdgeResult<Option<ApplicationRow>> {
        Ok(query!(
            &self.db,
            "SELECT id, event_id, request_hash, fields, submitted_at FROM applications
              WHERE id = ?1 AND resident_id = ?2",
            id,
            resident_id
        )?
        .first::<ApplicationRow>(None)
        .await?)
    }

    pub async fn applications(&self, resident_id: &str) -> EdgeResult<Vec<ApplicationRow>> {
        Ok(query!(
            &self.db,
            "SELECT id, event_id, request_hash, fields, submitted_at FROM applications
              WHERE resident_id = ?1 ORDER BY submitted_at DESC LIMIT 100",
            resident_id
        )?
        .all()
        .await?
        .results::<ApplicationRow>()?)
    }

    pub async fn items(&self, application_id: &str) -> EdgeResult<Vec<ItemRow>> {
        Ok(query!(
            &self.db,
            "SELECT i.id, a.event_id, i.item_id, i.department, i.status, i.relay_state, i.due_date, i.due_estimated
               FROM application_items i JOIN applications a ON a.id = i.application_id
              WHERE i.application_id = ?1 ORDER BY i.position",
            application_id
        )?
        .all()
        .await?
        .results::<ItemRow>()?)
    }

    pub async fn timeline(&self, application_id: &str) -> EdgeResult<Vec<TimelineRow>> {
        Ok(query!(
            &self.db,
            "SELECT t.item_row_id, t.status, t.at, t.title_zh, t.title_en, t.body_zh, t.body_en
               FROM item_timeline t JOIN application_items i ON i.id = t.item_row_id
              WHERE i.application_id = ?1 ORDER BY t.seq",
            application_id
        )?
        .all()
        .await?
        .results::<TimelineRow>()?)
    }

    // ---- relay ----------------------------------------------------------------

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
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        Ok(query!(
            &self.db,
            "SELECT id FROM application_items
              WHERE relay_state IN ('queued', 'retrying', 'held') AND COALESCE(relay_next_at, updated_at) < ?1 LIMIT 200",
            older_than
        )?
        .all()
        .await?
        .results::<Id>()?
        .into_iter()
        .map(|r| r.id)
        .collect())
    }

    // ---- department updates ---------------------------------------------------

    pub async fn item_for_department(
        &self,
        department: &str,
        external_id: &str,
    ) -> EdgeResult<Option<ItemRow>> {
        Ok(query!(
            &self.db,
            "SELECT i.id, a.event_id, i.item_id, i.department, i.status, i.relay_state, i.due_date, i.due_estimated
               FROM application_items i JOIN applications a ON a.id = i.application_id
              WHERE i.id = ?1 AND i.department = ?2",
            external_id,
            department
        )?
        .first::<ItemRow>(None)
        .await?)
    }

    /// Keep the update by its id; a second delivery of the same id is a duplicate.
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
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (update_id) DO NOTHING",
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
        update_id: &str,
        from: ItemStatus,
        to: ItemStatus,
        at: i64,
        accepted: Option<(String, bool)>,
        entry: &[String; 4],
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
                            due_date = COALESCE(?5, due_date), due_estimated = COALESCE(?6, due_estimated)
                      WHERE id = ?1 AND status = ?3",
                    item_row_id,
                    to.as_str(),
                    from.as_str(),
                    at,
                    due_date,
                    due_estimated
                )?,
                self.timeline_entry_if_changed(item_row_id, to, at, entry)?,
                query!(
                    &self.db,
                    "UPDATE department_updates SET applied = 1 WHERE update_id = ?1 AND changes() = 1",
                    update_id
                )?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    /// The timeline entry for a status change, written only if the statement
    /// just before it in the batch changed a row (the transition happened).
    fn timeline_entry_if_changed(
        &self,
        item_row_id: &str,
        status: ItemStatus,
        at: i64,
        entry: &[String; 4],
    ) -> EdgeResult<worker::D1PreparedStatement> {
        Ok(query!(
            &self.db,
            "INSERT INTO item_timeline (item_row_id, status, at, title_zh, title_en, body_zh, body_en)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE changes() = 1",
            item_row_id,
            status.as_str(),
            at,
            &entry[0],
            &entry[1],
            &entry[2],
            &entry[3]
        )?)
    }

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
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    // ---- inbox ----------------------------------------------------------------

    /// The newest messages across the resident's applications.
    pub async fn inbox(&self, resident_id: &str) -> EdgeResult<(Vec<InboxRow>, i64)> {
        let rows = query!(
            &self.db,
            "SELECT t.seq, a.id AS application_id, a.event_id, i.item_id, t.status, t.at,
                    t.title_zh, t.title_en, t.body_zh, t.body_en
               FROM item_timeline t
               JOIN application_items i ON i.id = t.item_row_id
               JOIN applications a ON a.id = i.application_id
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

    /// An update that can never apply (the item moved past it) is closed.
    pub async fn discard_update(&self, update_id: &str) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE department_updates SET applied = 2 WHERE update_id = ?1",
            update_id
        )?
        .run()
        .await?;
        Ok(())
    }
}
