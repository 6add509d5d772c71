//! How each material of an application is provided; e-certificates
//! released with the resident's consent; which attachments each department
//! may fetch; and deferred materials that follow later (supplements),
//! relayed like items.

use banshi_core::api::Provision;
use chrono::{DateTime, Utc};

use super::*;

pub(crate) const MATERIALS_OF_APPLICATION: &str =
    "SELECT material_id, provision, ecert_number, ecert_issuer, provided_at
       FROM application_materials WHERE application_id = ?1 ORDER BY material_id";

#[derive(Debug, Clone, Deserialize)]
pub struct MaterialRow {
    pub material_id: String,
    provision: String,
    pub ecert_number: Option<String>,
    pub ecert_issuer: Option<String>,
    provided_at: Option<i64>,
}

impl MaterialRow {
    pub fn provision(&self) -> EdgeResult<Provision> {
        corrupt(
            "application_materials.provision",
            serde_json::from_str(&self.provision),
        )
    }

    pub fn provided_at(&self) -> Option<DateTime<Utc>> {
        self.provided_at.map(millis)
    }
}

/// One e-certificate released for an event.
#[derive(Debug, Clone, Deserialize)]
pub struct ReleaseRow {
    pub ecert: String,
    pub number: String,
    pub issuer: String,
}

/// A supplement to relay: the deferred material provided later, for one item.
#[derive(Debug, Clone, Deserialize)]
pub struct SupplementRow {
    pub id: String,
    pub item_row_id: String,
    pub material_id: String,
    pub relay_state: RelayState,
    pub attempts: i64,
    created_at: i64,
}

impl SupplementRow {
    pub fn created_at(&self) -> DateTime<Utc> {
        millis(self.created_at)
    }
}

/// An attachment a department may fetch, with where its bytes are.
#[derive(Debug, Clone, Deserialize)]
pub struct RelayedAttachmentRow {
    pub id: String,
    pub resident_id: String,
    pub content_type: banshi_core::attachment::Kind,
    pub sha256: String,
}

impl Store {
    pub async fn materials(&self, application_id: &str) -> EdgeResult<Vec<MaterialRow>> {
        Ok(query!(&self.db, MATERIALS_OF_APPLICATION, application_id)?
            .all()
            .await?
            .results::<MaterialRow>()?)
    }

    /// Record (or renew) the release of e-certificates for an event.
    pub async fn record_releases(
        &self,
        resident_id: &str,
        event_id: &str,
        released: &[ReleaseRow],
        at: i64,
    ) -> EdgeResult<()> {
        if released.is_empty() {
            return Ok(());
        }
        let statements = released
            .iter()
            .map(|r| {
                query!(
                    &self.db,
                    "INSERT INTO certificate_releases (resident_id, event_id, ecert, number, issuer, released_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (resident_id, event_id, ecert)
                     DO UPDATE SET number = ?4, issuer = ?5, released_at = ?6",
                    resident_id,
                    event_id,
                    &r.ecert,
                    &r.number,
                    &r.issuer,
                    at
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.db.batch(statements).await?;
        Ok(())
    }

    /// The e-certificates the resident released for `event_id`.
    pub async fn releases(&self, resident_id: &str, event_id: &str) -> EdgeResult<Vec<ReleaseRow>> {
        Ok(query!(
            &self.db,
            "SELECT ecert, number, issuer FROM certificate_releases
              WHERE resident_id = ?1 AND event_id = ?2 ORDER BY ecert",
            resident_id,
            event_id
        )?
        .all()
        .await?
        .results::<ReleaseRow>()?)
    }

    /// Let `department` fetch these attachments: they go to it with `item_row_id`.
    pub async fn allow_department_fetch(
        &self,
        department: &str,
        item_row_id: &str,
        attachment_ids: &[String],
        at: i64,
    ) -> EdgeResult<()> {
        if attachment_ids.is_empty() {
            return Ok(());
        }
        let statements = attachment_ids
            .iter()
            .map(|a| {
                query!(
                    &self.db,
                    "INSERT INTO relayed_attachments (attachment_id, department, item_row_id, relayed_at)
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                    a,
                    department,
                    item_row_id,
                    at
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.db.batch(statements).await?;
        Ok(())
    }

    /// The attachment `id` if it was relayed to `department`, else `None`.
    pub async fn attachment_for_department(
        &self,
        department: &str,
        id: &str,
    ) -> EdgeResult<Option<RelayedAttachmentRow>> {
        Ok(query!(
            &self.db,
            "SELECT a.id, a.resident_id, a.content_type, a.sha256 FROM attachments a
              WHERE a.id = ?1 AND EXISTS (
                SELECT 1 FROM relayed_attachments r WHERE r.attachment_id = a.id AND r.department = ?2)",
            id,
            department
        )?
        .first::<RelayedAttachmentRow>(None)
        .await?)
    }

    /// A deferred material provided later: the provision becomes the upload
    /// — only if it is still deferred, so two taps store it once — and one
    /// supplement per item row is queued. False if it was not waiting.
    pub async fn provide_deferred(
        &self,
        application_id: &str,
        material_id: &str,
        provision: &Provision,
        supplements: &[(String, String)],
        at: i64,
    ) -> EdgeResult<bool> {
        let mut statements = vec![query!(
            &self.db,
            "UPDATE application_materials SET provision = ?3, provided_at = ?4, updated_at = ?4
              WHERE application_id = ?1 AND material_id = ?2 AND provided_at IS NULL",
            application_id,
            material_id,
            serde_json::to_string(provision)?,
            at
        )?];
        for (id, item_row_id) in supplements {
            statements.push(query!(
                &self.db,
                "INSERT INTO supplements (id, item_row_id, material_id, relay_state, created_at, updated_at)
                 SELECT ?1, ?2, ?3, 'queued', ?4, ?4
                  WHERE (SELECT provided_at FROM application_materials
                          WHERE application_id = ?5 AND material_id = ?3) = ?4",
                id,
                item_row_id,
                material_id,
                at,
                application_id
            )?);
        }
        let results = self.db.batch(statements).await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    pub async fn supplement(&self, id: &str) -> EdgeResult<Option<SupplementRow>> {
        Ok(query!(
            &self.db,
            "SELECT id, item_row_id, material_id, relay_state, attempts, created_at FROM supplements WHERE id = ?1",
            id
        )?
        .first::<SupplementRow>(None)
        .await?)
    }

    pub async fn set_supplement_relay(
        &self,
        id: &str,
        state: RelayState,
        attempts: i64,
        next_at: Option<i64>,
        status: Option<u16>,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE supplements SET relay_state = ?2, attempts = ?3, next_at = ?4, updated_at = ?5,
                    last_status = COALESCE(?6, last_status)
              WHERE id = ?1",
            id,
            state.as_str(),
            attempts,
            next_at,
            now,
            status.map(i64::from)
        )?
        .run()
        .await?;
        Ok(())
    }

    /// Supplements whose queue job may have been lost, for the sweeper,
    /// leased like stalled relays.
    pub async fn stalled_supplements(
        &self,
        older_than: i64,
        lease_until: i64,
    ) -> EdgeResult<Vec<String>> {
        ids(query!(
            &self.db,
            "UPDATE supplements SET next_at = ?2
              WHERE id IN (
                SELECT id FROM supplements
                 WHERE relay_state IN ('queued', 'retrying', 'held') AND COALESCE(next_at, updated_at) < ?1
                 LIMIT 200)
             RETURNING id",
            older_than,
            lease_until
        )?)
        .await
    }
}
