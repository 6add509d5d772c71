//! Uploaded materials: their rows (the bytes are in R2), readable only by
//! their owner; one copy per (resident, idempotency key).

use banshi_core::attachment::Kind;

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct AttachmentRow {
    pub id: String,
    pub resident_id: String,
    pub name: String,
    pub content_type: Kind,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: i64,
    /// Who uploaded it, when someone acting for its owner did.
    #[serde(default)]
    pub uploaded_by: Option<String>,
}

const ATTACHMENT_COLUMNS: &str =
    "id, resident_id, name, content_type, size, sha256, uploaded_at, uploaded_by";

impl Store {
    /// Keep an upload's row; with a key, only if no upload had that key
    /// (false then: the caller answers with the one stored).
    pub async fn record_attachment(
        &self,
        a: &AttachmentRow,
        key: Option<&str>,
    ) -> EdgeResult<bool> {
        let r = query!(
            &self.db,
            "INSERT INTO attachments (id, resident_id, name, content_type, size, sha256, uploaded_at, idempotency_key,
                                      uploaded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (resident_id, idempotency_key) DO NOTHING",
            &a.id,
            &a.resident_id,
            &a.name,
            a.content_type.mime(),
            a.size,
            &a.sha256,
            a.uploaded_at,
            key,
            a.uploaded_by.as_deref()
        )?
        .run()
        .await?;
        Ok(changes(&r) == 1)
    }

    /// The resident's upload made with `key`, if any.
    pub async fn attachment_by_key(
        &self,
        resident_id: &str,
        key: &str,
    ) -> EdgeResult<Option<AttachmentRow>> {
        Ok(self
            .db
            .prepare(format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE resident_id = ?1 AND idempotency_key = ?2"
            ))
            .bind(&[resident_id.into(), key.into()])?
            .first::<AttachmentRow>(None)
            .await?)
    }

    /// The resident's own attachment, or `None` (also when it is someone else's).
    pub async fn attachment(
        &self,
        resident_id: &str,
        id: &str,
    ) -> EdgeResult<Option<AttachmentRow>> {
        Ok(self
            .db
            .prepare(format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?1 AND resident_id = ?2"
            ))
            .bind(&[id.into(), resident_id.into()])?
            .first::<AttachmentRow>(None)
            .await?)
    }

    /// Those of `ids` that exist and are the resident's own.
    pub async fn own_attachments(
        &self,
        resident_id: &str,
        ids: &[String],
    ) -> EdgeResult<Vec<AttachmentRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids)?;
        Ok(self
            .db
            .prepare(format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments
                  WHERE resident_id = ?1 AND id IN (SELECT value FROM json_each(?2))"
            ))
            .bind(&[resident_id.into(), list.into()])?
            .all()
            .await?
            .results::<AttachmentRow>()?)
    }

    /// The resident's uploads, newest first, `limit` after the
    /// (uploaded_at, id) `after` (keyset paging).
    pub async fn attachments(
        &self,
        resident_id: &str,
        after: Option<(i64, String)>,
        limit: usize,
    ) -> EdgeResult<Vec<AttachmentRow>> {
        let (ms, id) = after.unwrap_or((i64::MAX, "\u{10FFFF}".into()));
        Ok(self
            .db
            .prepare(format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments
                  WHERE resident_id = ?1 AND (uploaded_at < ?2 OR (uploaded_at = ?2 AND id < ?3))
                  ORDER BY uploaded_at DESC, id DESC LIMIT ?4"
            ))
            .bind(&[
                resident_id.into(),
                (ms as f64).into(),
                id.into(),
                (limit as f64).into(),
            ])?
            .all()
            .await?
            .results::<AttachmentRow>()?)
    }

    /// How many uploads the resident keeps, and their bytes in all.
    pub async fn attachment_usage(&self, resident_id: &str) -> EdgeResult<(u64, u64)> {
        #[derive(Deserialize)]
        struct Usage {
            count: i64,
            bytes: Option<i64>,
        }
        let u = query!(
            &self.db,
            "SELECT COUNT(*) AS count, SUM(size) AS bytes FROM attachments WHERE resident_id = ?1",
            resident_id
        )?
        .first::<Usage>(None)
        .await?;
        Ok(u.map_or((0, 0), |u| {
            (u.count.max(0) as u64, u.bytes.unwrap_or(0).max(0) as u64)
        }))
    }
}
