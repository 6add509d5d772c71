//! Applications and their items: recorded once per idempotency key, read back only for their resident.

use super::*;

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

impl Store {
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
}
