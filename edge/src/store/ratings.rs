//! 好差评: one rating per application and its relay to the evaluation platform.

use super::*;

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

impl Store {
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
}
