//! The edge's storage, in the domain's words ("record a submission", "apply a
//! department update", "list my applications"). All SQL lives here, so moving
//! from one D1 to per-resident Durable Objects is a change in this file only.
//! Every read on a resident's path is filtered by `resident_id`.

use banshi_core::api::{DepartmentUpdate, RelayState, UserInfo};
use banshi_core::message::sms_text;
use banshi_core::platform::MaintenanceWindow;
use banshi_core::sla::Lateness;
use banshi_core::status::ItemStatus;
use banshi_core::Text;
use serde::Deserialize;
use worker::{query, D1Database, Env};

use crate::config;
use crate::error::{EdgeError, EdgeResult};

pub struct Store {
    db: D1Database,
}

/// Statements used by more than one method (a single read and a batch).
const ITEMS_OF_APPLICATION: &str =
    "SELECT i.id, a.event_id, i.item_id, i.department, i.status, i.relay_state, i.due_date, i.due_estimated
       FROM application_items i JOIN applications a ON a.id = i.application_id
      WHERE i.application_id = ?1 ORDER BY i.position";
const RATING_OF_APPLICATION: &str =
    "SELECT application_id, id, score, comment, rated_at, relayed_at, attempts
       FROM ratings WHERE application_id = ?1";

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
    pub kind: String,
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
    pub sms_state: Option<String>,
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

/// The `id` column of every row a statement returns.
async fn ids(statement: worker::D1PreparedStatement) -> EdgeResult<Vec<String>> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Ok(statement
        .all()
        .await?
        .results::<Id>()?
        .into_iter()
        .map(|r| r.id)
        .collect())
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
        Ok(query!(&self.db, ITEMS_OF_APPLICATION, application_id)?
            .all()
            .await?
            .results::<ItemRow>()?)
    }

    /// Everything the tracking view shows about one application — items,
    /// timelines, rating — in one round trip to the database.
    pub async fn application_details(
        &self,
        application_id: &str,
    ) -> EdgeResult<(Vec<ItemRow>, Vec<TimelineRow>, Option<RatingRow>)> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    ITEMS_OF_APPLICATION,
                    application_id
                )?,
                query!(
                    &self.db,
                    "SELECT t.item_row_id, t.status, t.kind, t.at, t.title_zh, t.title_en, t.body_zh, t.body_en
                       FROM item_timeline t JOIN application_items i ON i.id = t.item_row_id
                      WHERE i.application_id = ?1 ORDER BY t.seq",
                    application_id
                )?,
                query!(
                    &self.db,
                    RATING_OF_APPLICATION,
                    application_id
                )?,
            ])
            .await?;
        let [items, timeline, rating] = <[worker::D1Result; 3]>::try_from(results)
            .map_err(|_| EdgeError::Internal("batch answered the wrong count".into()))?;
        Ok((
            items.results::<ItemRow>()?,
            timeline.results::<TimelineRow>()?,
            rating.results::<RatingRow>()?.into_iter().next(),
        ))
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
        ids(query!(
            &self.db,
            "SELECT id FROM application_items
              WHERE relay_state IN ('queued', 'retrying', 'held') AND COALESCE(relay_next_at, updated_at) < ?1 LIMIT 200",
            older_than
        )?)
        .await
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
                self.sms_if_changed(item_row_id, entry, at)?,
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

    /// The text message for the timeline entry just written, queued in the
    /// SMS outbox to the item's resident — only if that entry was written.
    fn sms_if_changed(
        &self,
        item_row_id: &str,
        entry: &[String; 4],
        at: i64,
    ) -> EdgeResult<worker::D1PreparedStatement> {
        let text = sms_text(
            &Text::new(&entry[0], &entry[1]),
            &Text::new(&entry[2], &entry[3]),
        );
        Ok(query!(
            &self.db,
            "INSERT INTO notifications (timeline_seq, resident_id, phone, text, state, updated_at)
             SELECT last_insert_rowid(), a.resident_id, r.phone, ?2, 'pending', ?3
               FROM application_items i
               JOIN applications a ON a.id = i.application_id
               JOIN residents r ON r.id = a.resident_id
              WHERE i.id = ?1 AND changes() = 1",
            item_row_id,
            &text,
            at
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

    // ---- inbox ----------------------------------------------------------------

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

    // ---- maintenance windows ----------------------------------------------------

    pub async fn maintenance_fetched_at(&self, department: &str) -> EdgeResult<Option<i64>> {
        #[derive(Deserialize)]
        struct At {
            fetched_at: i64,
        }
        Ok(query!(
            &self.db,
            "SELECT fetched_at FROM maintenance_fetches WHERE department = ?1",
            department
        )?
        .first::<At>(None)
        .await?
        .map(|a| a.fetched_at))
    }

    /// Replace our copy of a department's announcement, in one transaction.
    pub async fn replace_maintenance_windows(
        &self,
        department: &str,
        windows: &[MaintenanceWindow],
        now: i64,
    ) -> EdgeResult<()> {
        let mut statements = vec![query!(
            &self.db,
            "DELETE FROM maintenance_windows WHERE department = ?1",
            department
        )?];
        for w in windows {
            statements.push(query!(
                &self.db,
                "INSERT OR REPLACE INTO maintenance_windows (department, starts_at, ends_at, notice_zh, notice_en)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                department,
                w.starts_at.timestamp_millis(),
                w.ends_at.timestamp_millis(),
                &w.notice.zh,
                &w.notice.en
            )?);
        }
        statements.push(query!(
            &self.db,
            "INSERT INTO maintenance_fetches (department, fetched_at) VALUES (?1, ?2)
             ON CONFLICT (department) DO UPDATE SET fetched_at = excluded.fetched_at",
            department,
            now
        )?);
        self.db.batch(statements).await?;
        Ok(())
    }

    pub async fn maintenance_window_at(
        &self,
        department: &str,
        at: i64,
    ) -> EdgeResult<Option<MaintenanceWindow>> {
        #[derive(Deserialize)]
        struct Row {
            starts_at: i64,
            ends_at: i64,
            notice_zh: String,
            notice_en: String,
        }
        Ok(query!(
            &self.db,
            "SELECT starts_at, ends_at, notice_zh, notice_en FROM maintenance_windows
              WHERE department = ?1 AND starts_at <= ?2 AND ?2 < ends_at
              ORDER BY ends_at DESC LIMIT 1",
            department,
            at
        )?
        .first::<Row>(None)
        .await?
        .map(|r| MaintenanceWindow {
            starts_at: millis(r.starts_at),
            ends_at: millis(r.ends_at),
            notice: Text::new(r.notice_zh, r.notice_en),
        }))
    }

    // ---- SMS outbox -------------------------------------------------------------

    /// Take up to `limit` messages to send, marking them `sending` so two
    /// flushes (a webhook's and the cron's) never send the same one at once.
    /// A claim older than `stale_before` was lost mid-send and is taken again
    /// (the gateway de-duplicates on our reference).
    pub async fn claim_notifications(
        &self,
        limit: i64,
        now: i64,
        stale_before: i64,
    ) -> EdgeResult<Vec<NotificationRow>> {
        Ok(query!(
            &self.db,
            "UPDATE notifications SET state = 'sending', updated_at = ?2
              WHERE timeline_seq IN (
                SELECT timeline_seq FROM notifications
                 WHERE state = 'pending' OR (state = 'sending' AND updated_at < ?3)
                 ORDER BY timeline_seq LIMIT ?1)
             RETURNING timeline_seq, phone, text, attempts",
            limit,
            now,
            stale_before
        )?
        .all()
        .await?
        .results::<NotificationRow>()?)
    }

    pub async fn set_notification(
        &self,
        seq: i64,
        state: &str,
        provider_id: Option<&str>,
        attempts: i64,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE notifications SET state = ?2, provider_id = COALESCE(?3, provider_id), attempts = ?4, updated_at = ?5
              WHERE timeline_seq = ?1",
            seq,
            state,
            provider_id,
            attempts,
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    // ---- polling and the SLA watchdog -------------------------------------------

    /// Delivered, unfinished items at a department, least recently touched first.
    pub async fn items_to_poll(&self, department: &str, limit: i64) -> EdgeResult<Vec<String>> {
        ids(query!(
            &self.db,
            "SELECT id FROM application_items
              WHERE department = ?1 AND relay_state = 'delivered'
                AND status NOT IN ('delivered', 'rejected', 'withdrawn')
              ORDER BY updated_at LIMIT ?2",
            department,
            limit
        )?)
        .await
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
        entry: &[String; 4],
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
                    &entry[0],
                    &entry[1],
                    &entry[2],
                    &entry[3]
                )?,
                self.sms_if_changed(item_row_id, entry, at)?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    // ---- 好差评 -----------------------------------------------------------------

    /// Keep the resident's rating; false if the application was rated already.
    pub async fn record_rating(&self, r: &NewRating<'_>) -> EdgeResult<bool> {
        let result = query!(
            &self.db,
            "INSERT INTO ratings (application_id, id, resident_id, score, comment, rated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (application_id) DO NOTHING",
            r.application_id,
            r.id,
            r.resident_id,
            r.score,
            r.comment,
            r.rated_at
        )?
        .run()
        .await?;
        Ok(changes(&result) == 1)
    }

    pub async fn rating(&self, application_id: &str) -> EdgeResult<Option<RatingRow>> {
        Ok(query!(&self.db, RATING_OF_APPLICATION, application_id)?
            .first::<RatingRow>(None)
            .await?)
    }

    pub async fn unrelayed_ratings(&self, limit: i64) -> EdgeResult<Vec<RatingRow>> {
        Ok(query!(
            &self.db,
            "SELECT application_id, id, score, comment, rated_at, relayed_at, attempts
               FROM ratings WHERE relayed_at IS NULL ORDER BY rated_at LIMIT ?1",
            limit
        )?
        .all()
        .await?
        .results::<RatingRow>()?)
    }

    pub async fn set_rating_relayed(
        &self,
        application_id: &str,
        relayed_at: Option<i64>,
        attempts: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE ratings SET relayed_at = ?2, attempts = ?3 WHERE application_id = ?1",
            application_id,
            relayed_at,
            attempts
        )?
        .run()
        .await?;
        Ok(())
    }

    // ---- attachments ------------------------------------------------------------

    pub async fn record_attachment(&self, a: &AttachmentRow) -> EdgeResult<()> {
        query!(
            &self.db,
            "INSERT INTO attachments (id, resident_id, name, content_type, size, sha256, uploaded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &a.id,
            &a.resident_id,
            &a.name,
            &a.content_type,
            a.size,
            &a.sha256,
            a.uploaded_at
        )?
        .run()
        .await?;
        Ok(())
    }

    /// The resident's own attachment, or `None` (also when it is someone else's).
    pub async fn attachment(
        &self,
        resident_id: &str,
        id: &str,
    ) -> EdgeResult<Option<AttachmentRow>> {
        Ok(query!(
            &self.db,
            "SELECT id, resident_id, name, content_type, size, sha256, uploaded_at
               FROM attachments WHERE id = ?1 AND resident_id = ?2",
            id,
            resident_id
        )?
        .first::<AttachmentRow>(None)
        .await?)
    }

    pub async fn attachments(&self, resident_id: &str) -> EdgeResult<Vec<AttachmentRow>> {
        Ok(query!(
            &self.db,
            "SELECT id, resident_id, name, content_type, size, sha256, uploaded_at
               FROM attachments WHERE resident_id = ?1 ORDER BY uploaded_at DESC LIMIT 100",
            resident_id
        )?
        .all()
        .await?
        .results::<AttachmentRow>()?)
    }
}

fn millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[derive(Debug, Clone, Deserialize)]
pub struct NotificationRow {
    pub timeline_seq: i64,
    pub phone: String,
    pub text: String,
    pub attempts: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WatchRow {
    pub id: String,
    pub event_id: String,
    pub item_id: String,
    pub department: String,
    pub status: String,
    pub due_date: Option<String>,
    pub submitted_at: Option<i64>,
}

pub struct NewRating<'a> {
    pub application_id: &'a str,
    pub id: &'a str,
    pub resident_id: &'a str,
    pub score: i64,
    pub comment: &'a str,
    pub rated_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RatingRow {
    pub application_id: String,
    pub id: String,
    pub score: i64,
    pub comment: String,
    pub rated_at: i64,
    pub relayed_at: Option<i64>,
    pub attempts: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AttachmentRow {
    pub id: String,
    pub resident_id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: i64,
}
