//! Applications and their items: recorded once per idempotency key (the
//! application, its items, its materials and each item's first timeline
//! entry in one transaction), read back only for their resident.

use banshi_core::api::{EntryKind, Provision, Reference};
use banshi_core::application::Snapshot;
use banshi_core::calendar::Due;
use banshi_core::catalog::Catalog;
use banshi_core::guide::FieldValues;
use chrono::{DateTime, NaiveDate, Utc};

use super::*;

const APPLICATION_COLUMNS: &str =
    "id, resident_id, event_id, request_hash, fields, submitted_at, reference,
     catalog_version, snapshot, acted_by, authority, delegation_id";

#[derive(Debug, Clone, Deserialize)]
pub struct ApplicationRow {
    pub id: String,
    /// The applicant (the principal, when someone acted for them).
    pub resident_id: String,
    pub event_id: String,
    pub request_hash: String,
    fields: String,
    submitted_at: i64,
    reference: Option<String>,
    snapshot: Option<String>,
    /// Who made it, when not the applicant.
    pub acted_by: Option<String>,
    authority: Option<String>,
    /// The delegation it was made under.
    pub delegation_id: Option<String>,
}

impl ApplicationRow {
    /// The issued reference; an application from before references were
    /// issued shows one derived from its id (stable, not indexed).
    pub fn reference(&self) -> Reference {
        self.reference
            .as_deref()
            .and_then(|r| Reference::parse(r).ok())
            .unwrap_or_else(|| {
                let digest = banshi_core::digest::sha256_hex(self.id.as_bytes());
                let mut bytes = [0u8; 8];
                for (i, b) in bytes.iter_mut().enumerate() {
                    *b = u8::from_str_radix(&digest[2 * i..2 * i + 2], 16).unwrap_or(0);
                }
                Reference::generate(bytes)
            })
    }

    pub fn fields(&self) -> EdgeResult<FieldValues> {
        corrupt("applications.fields", serde_json::from_str(&self.fields))
    }

    pub fn submitted_at(&self) -> DateTime<Utc> {
        millis(self.submitted_at)
    }

    /// On what grounds someone else made it; `None` for the applicant's own.
    pub fn authority(&self) -> EdgeResult<Option<banshi_core::delegation::Authority>> {
        match (&self.acted_by, &self.authority) {
            (Some(by), Some(a)) if *by != self.resident_id => {
                corrupt("applications.authority", serde_json::from_str(a)).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Where the next page of a list starts after this one.
    pub fn cursor(&self) -> String {
        format!("{}.{}", self.submitted_at, self.id)
    }

    /// The catalog as it was when the application was made; for one from
    /// before snapshots, what the current catalog says of `item_ids`.
    pub fn snapshot<'a>(
        &self,
        catalog: &Catalog,
        item_ids: impl IntoIterator<Item = &'a str>,
    ) -> EdgeResult<Snapshot> {
        match &self.snapshot {
            Some(s) => corrupt("applications.snapshot", serde_json::from_str(s)),
            None => Ok(Snapshot::from_catalog(catalog, &self.event_id, item_ids)),
        }
    }
}

/// A stored JSON column that does not parse is a corrupt row: one error
/// path (500, logged with the column), never a silent default. The log
/// names where it broke, never the value (it may be a personal number).
pub(crate) fn corrupt<T>(column: &str, r: Result<T, serde_json::Error>) -> EdgeResult<T> {
    r.map_err(|e| EdgeError::Internal(format!("corrupt {column}: {}", json_error(&e))))
}

/// A JSON error without the input it quotes: its kind and position only.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {} column {}",
        e.classify(),
        e.line(),
        e.column()
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct ItemRow {
    pub id: String,
    pub event_id: String,
    pub item_id: String,
    pub department: String,
    pub status: ItemStatus,
    pub relay_state: RelayState,
    pub revision: i64,
    due_date: Option<NaiveDate>,
    due_estimated: Option<i64>,
    accepted_at: Option<i64>,
    /// Relay attempts made (counted before each is sent).
    pub relay_attempts: i64,
    pub withdraw_state: Option<WithdrawState>,
}

/// Where a withdrawal the department must confirm stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawState {
    /// Asked; the department has not confirmed yet (retried like a relay).
    Pending,
    Done,
    /// The department refused for good (not "already accepted"): an operator follows it up.
    FollowingUp,
}

impl ItemRow {
    pub fn due(&self) -> Option<Due> {
        Some(Due {
            due: self.due_date?,
            estimated: self.due_estimated.unwrap_or(0) != 0,
        })
    }

    /// The day in China the department accepted the item.
    pub fn accepted_on(&self) -> Option<NaiveDate> {
        self.accepted_at
            .map(|ms| banshi_core::message::china_time(millis(ms)).date_naive())
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimelineRow {
    pub item_row_id: String,
    pub status: ItemStatus,
    pub kind: EntryKind,
    at: i64,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
}

impl TimelineRow {
    pub fn entry(&self) -> banshi_core::api::TimelineEntry {
        banshi_core::api::TimelineEntry {
            status: self.status,
            at: millis(self.at),
            title: Text::new(&self.title_zh, &self.title_en),
            body: Text::new(&self.body_zh, &self.body_en),
            kind: self.kind,
        }
    }
}

/// A timeline entry's words, as rendered from the catalog's templates.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub title: Text,
    pub body: Text,
}

/// One material of a new application, as it will be stored.
pub struct NewMaterial {
    pub material_id: String,
    pub provision: Provision,
    /// For an e-certificate: its number and issuer from the release.
    pub ecert: Option<(String, String)>,
}

/// A new application as it will be stored: one row, one item row per applicable item.
pub struct NewApplication<'a> {
    pub id: &'a str,
    pub reference: Reference,
    pub resident_id: &'a str,
    pub event_id: &'a str,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub answers_json: &'a str,
    pub fields_json: &'a str,
    pub snapshot: &'a Snapshot,
    pub submitted_at: i64,
    /// (row id = external id, catalog item id, department)
    pub items: Vec<(String, &'a str, &'a str)>,
    /// The first timeline entry of every item.
    pub first_entry: Vec<Entry>,
    pub materials: Vec<NewMaterial>,
    /// Someone acting for the applicant: who, on what authority (JSON
    /// `core::delegation::Authority`), under which delegation.
    pub acted_by: Option<&'a str>,
    pub authority: Option<String>,
    pub delegation_id: Option<&'a str>,
}

/// How recording a submission went.
pub enum Recorded {
    Created(ApplicationRow),
    /// The key was used before: the application stored then.
    Replayed(ApplicationRow),
    /// The reference drawn is taken: draw another and try again.
    ReferenceTaken,
}

impl Store {
    /// The application stored under (resident, idempotency key), if any.
    pub async fn submission(
        &self,
        resident_id: &str,
        idempotency_key: &str,
    ) -> EdgeResult<Option<ApplicationRow>> {
        Ok(self
            .db
            .prepare(format!(
                "SELECT {APPLICATION_COLUMNS} FROM applications
                  WHERE resident_id = ?1 AND idempotency_key = ?2"
            ))
            .bind(&[resident_id.into(), idempotency_key.into()])?
            .first::<ApplicationRow>(None)
            .await?)
    }

    /// Record a submission exactly once per (resident, idempotency key). The
    /// application and all its items are written in one transaction, and only
    /// if no application with that key exists; racing duplicates find the winner.
    pub async fn record_submission(&self, new: &NewApplication<'_>) -> EdgeResult<Recorded> {
        let snapshot = serde_json::to_string(new.snapshot)?;
        let mut statements = vec![query!(
            &self.db,
            "INSERT INTO applications (id, resident_id, event_id, idempotency_key, request_hash, answers, fields,
                                       submitted_at, reference, catalog_version, snapshot,
                                       acted_by, authority, delegation_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (resident_id, idempotency_key) DO NOTHING",
            new.id,
            new.resident_id,
            new.event_id,
            new.idempotency_key,
            new.request_hash,
            new.answers_json,
            new.fields_json,
            new.submitted_at,
            new.reference.to_string(),
            &new.snapshot.catalog_version,
            snapshot,
            new.acted_by,
            new.authority.as_deref(),
            new.delegation_id
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
                &entry.title.zh,
                &entry.title.en,
                &entry.body.zh,
                &entry.body.en
            )?);
        }
        for m in &new.materials {
            let deferred = matches!(m.provision, Provision::Deferred);
            let (number, issuer) = match &m.ecert {
                Some((n, i)) => (Some(n.as_str()), Some(i.as_str())),
                None => (None, None),
            };
            statements.push(query!(
                &self.db,
                "INSERT INTO application_materials
                        (application_id, material_id, provision, ecert_number, ecert_issuer, deferred, provided_at, updated_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?6 = 1 THEN NULL ELSE ?7 END, ?7
                  WHERE EXISTS (SELECT 1 FROM applications WHERE id = ?1)",
                new.id,
                &m.material_id,
                serde_json::to_string(&m.provision)?,
                number,
                issuer,
                deferred as i64,
                new.submitted_at
            )?);
        }
        match self.db.batch(statements).await {
            Ok(results) => {
                let created = results.first().map(changes).unwrap_or(0) == 1;
                let row = self
                    .submission(new.resident_id, new.idempotency_key)
                    .await?
                    .ok_or_else(|| {
                        EdgeError::Internal("submission vanished after insert".into())
                    })?;
                Ok(if created {
                    Recorded::Created(row)
                } else {
                    Recorded::Replayed(row)
                })
            }
            Err(e) if e.to_string().contains("applications.reference") => {
                Ok(Recorded::ReferenceTaken)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The resident's own application, or `None` (also when it is someone else's).
    pub async fn application(
        &self,
        resident_id: &str,
        id: &str,
    ) -> EdgeResult<Option<ApplicationRow>> {
        Ok(self
            .db
            .prepare(format!(
                "SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = ?1 AND resident_id = ?2"
            ))
            .bind(&[id.into(), resident_id.into()])?
            .first::<ApplicationRow>(None)
            .await?)
    }

    /// The resident's applications, newest first, `limit` after the
    /// (submitted_at, id) `after` (keyset paging).
    pub async fn applications(
        &self,
        resident_id: &str,
        after: Option<(i64, String)>,
        limit: usize,
    ) -> EdgeResult<Vec<ApplicationRow>> {
        let (ms, id) = after.unwrap_or((i64::MAX, String::new()));
        Ok(self
            .db
            .prepare(format!(
                "SELECT {APPLICATION_COLUMNS} FROM applications
                  WHERE resident_id = ?1 AND (submitted_at < ?2 OR (submitted_at = ?2 AND id < ?3))
                  ORDER BY submitted_at DESC, id DESC LIMIT ?4"
            ))
            .bind(&[
                resident_id.into(),
                (ms as f64).into(),
                if id.is_empty() {
                    "\u{10FFFF}".into()
                } else {
                    id.into()
                },
                (limit as f64).into(),
            ])?
            .all()
            .await?
            .results::<ApplicationRow>()?)
    }

    /// One application by id, whoever it belongs to: for checks that then
    /// ask `authorize` (the audit, an agent's text), never shown as such.
    pub async fn application_by_id(&self, id: &str) -> EdgeResult<Option<ApplicationRow>> {
        Ok(self
            .db
            .prepare(format!(
                "SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = ?1"
            ))
            .bind(&[id.into()])?
            .first::<ApplicationRow>(None)
            .await?)
    }

    /// Every item finished from the resident's point of view (by its snapshot).
    pub async fn application_finished(
        &self,
        catalog: &Catalog,
        row: &ApplicationRow,
    ) -> EdgeResult<bool> {
        let items = self.items(&row.id).await?;
        let snapshot = row.snapshot(catalog, items.iter().map(|i| i.item_id.as_str()))?;
        Ok(!items.is_empty()
            && items.iter().all(|i| {
                snapshot
                    .item(&i.item_id)
                    .is_some_and(|s| s.is_finished(i.status))
            }))
    }

    pub async fn items(&self, application_id: &str) -> EdgeResult<Vec<ItemRow>> {
        Ok(query!(&self.db, ITEMS_OF_APPLICATION, application_id)?
            .all()
            .await?
            .results::<ItemRow>()?)
    }

    /// Everything the tracking view shows about one application — items,
    /// timelines (in the order things happened, so a step reported late sits
    /// where it took place), materials, rating — in one round trip.
    pub async fn application_details(&self, application_id: &str) -> EdgeResult<Details> {
        let results = self
            .db
            .batch(vec![
                query!(&self.db, ITEMS_OF_APPLICATION, application_id)?,
                query!(
                    &self.db,
                    "SELECT t.item_row_id, t.status, t.kind, t.at, t.title_zh, t.title_en, t.body_zh, t.body_en
                       FROM item_timeline t JOIN application_items i ON i.id = t.item_row_id
                      WHERE i.application_id = ?1 ORDER BY t.at, t.seq",
                    application_id
                )?,
                query!(&self.db, MATERIALS_OF_APPLICATION, application_id)?,
                query!(&self.db, RATING_OF_APPLICATION, application_id)?,
                query!(
                    &self.db,
                    "SELECT u.item_row_id, u.body FROM department_updates u
                       JOIN application_items i ON i.id = u.item_row_id
                      WHERE i.application_id = ?1 AND i.status = 'correction_required'
                        AND u.status = 'correction_required' AND u.applied = 1
                      ORDER BY u.at",
                    application_id
                )?,
            ])
            .await?;
        let [items, timeline, materials, rating, corrections] =
            <[worker::D1Result; 5]>::try_from(results)
                .map_err(|_| EdgeError::Internal("batch answered the wrong count".into()))?;
        Ok(Details {
            items: items.results::<ItemRow>()?,
            timeline: timeline.results::<TimelineRow>()?,
            materials: materials.results::<MaterialRow>()?,
            rating: rating.results::<RatingRow>()?.into_iter().next(),
            corrections: corrections.results::<CorrectionRow>()?,
        })
    }
}

/// [`Store::application_details`]
pub struct Details {
    pub items: Vec<ItemRow>,
    pub timeline: Vec<TimelineRow>,
    pub materials: Vec<MaterialRow>,
    pub rating: Option<RatingRow>,
    /// The correction requests of items awaiting a correction, oldest first.
    pub corrections: Vec<CorrectionRow>,
}

/// A correction request (补正) as the department sent it.
#[derive(Debug, Clone, Deserialize)]
pub struct CorrectionRow {
    pub item_row_id: String,
    body: String,
}

impl CorrectionRow {
    pub fn points(&self) -> EdgeResult<Vec<banshi_core::api::CorrectionPoint>> {
        Ok(corrupt(
            "department_updates.body",
            serde_json::from_str::<DepartmentUpdate>(&self.body),
        )?
        .corrections)
    }
}
