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
    pub gave_up_at: Option<i64>,
}

/// The outcome of one try of an outbox row.
pub struct Attempt {
    pub attempts: i64,
    pub status: i64,
    pub done_at: Option<i64>,
    pub next_at: Option<i64>,
    pub gave_up_at: Option<i64>,
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

    /// Ratings the platform does not have yet and that are due a try:
    /// not given up on, past their backoff.
    pub async fn unrelayed_ratings(&self, now: i64, limit: i64) -> EdgeResult<Vec<RatingRow>> {
        Ok(query!(
            &self.db,
            "SELECT application_id, id, score, comment, rated_at, relayed_at, attempts, gave_up_at
               FROM ratings
              WHERE relayed_at IS NULL AND gave_up_at IS NULL AND COALESCE(next_at, 0) <= ?1
              ORDER BY rated_at LIMIT ?2",
            now,
            limit
        )?
        .all()
        .await?
        .results::<RatingRow>()?)
    }

    /// The outcome of one try: relayed, to try again at `next_at`, or
    /// given up on (`gave_up_at`, terminal: an operator follows it up).
    pub async fn set_rating_attempt(&self, application_id: &str, a: &Attempt) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE ratings SET relayed_at = ?2, attempts = ?3, next_at = ?4, last_status = ?5, gave_up_at = ?6
              WHERE application_id = ?1",
            application_id,
            a.done_at,
            a.attempts,
            a.next_at,
            a.status,
            a.gave_up_at
        )?
        .run()
        .await?;
        Ok(())
    }
}
