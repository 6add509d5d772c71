//! Uploaded materials: their rows (the bytes are in R2), readable only by their owner.

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
}

impl Store {
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
