//! Uploaded materials: their rows (the bytes are in R2), readable only by
//! their owner; one copy per (resident, idempotency key).

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct AttachmentRow {
    pub id: String,
    pub resident_id: String,
    pub name: String,
    pub content_type: String,
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
            &a.content_type,
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

    pub async fn attachments(&self, resident_id: &str) -> EdgeResult<Vec<AttachmentRow>> {
        Ok(self
            .db
            .prepare(format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments
                  WHERE resident_id = ?1 ORDER BY uploaded_at DESC LIMIT 100"
            ))
            .bind(&[resident_id.into()])?
            .all()
            .await?
            .results::<AttachmentRow>()?)
    }
}
