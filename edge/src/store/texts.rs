//! Text messages that are not one timeline entry to its applicant (those
//! are `sms`): consent requests, grants, and an agent's copy of the
//! messages about an application they made. Claimed before sending, with a
//! per-row attempt count, backoff and a terminal state.

use super::*;

/// A text to queue.
pub struct NewText<'a> {
    /// The gateway's idempotency key: one text per reference, ever.
    pub reference: &'a str,
    pub resident_id: Option<&'a str>,
    pub phone: &'a str,
    pub text: &'a str,
    /// An agent's copy: sent only while they may still read it.
    pub application_id: Option<&'a str>,
    pub now: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TextRow {
    pub reference: String,
    /// Whom it is to, when they have an account.
    pub resident_id: Option<String>,
    pub phone: String,
    pub text: String,
    /// For an agent's copy: the application it is about.
    pub application_id: Option<String>,
    pub attempts: i64,
}

impl Store {
    pub(super) fn text_statement(
        &self,
        t: &NewText<'_>,
    ) -> EdgeResult<worker::D1PreparedStatement> {
        Ok(query!(
            &self.db,
            "INSERT INTO texts (reference, resident_id, phone, text, application_id, state, next_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?6, ?6) ON CONFLICT (reference) DO NOTHING",
            t.reference,
            t.resident_id,
            t.phone,
            t.text,
            t.application_id,
            t.now
        )?)
    }

    /// Take up to `limit` texts that are due, marking them `sending`; a
    /// claim older than `stale_before` was lost and is taken again.
    pub async fn claim_texts(
        &self,
        limit: i64,
        now: i64,
        stale_before: i64,
    ) -> EdgeResult<Vec<TextRow>> {
        Ok(query!(
            &self.db,
            "UPDATE texts SET state = 'sending', updated_at = ?2
              WHERE reference IN (
                SELECT reference FROM texts
                 WHERE (state = 'pending' AND next_at <= ?2) OR (state = 'sending' AND updated_at < ?3)
                 -- A consent code lives ten minutes: requests and grants go
                 -- before agents' copies of application messages.
                 ORDER BY application_id IS NOT NULL, created_at LIMIT ?1)
             RETURNING reference, resident_id, phone, text, application_id, attempts",
            limit,
            now,
            stale_before
        )?
        .all()
        .await?
        .results::<TextRow>()?)
    }

    pub async fn set_text(
        &self,
        reference: &str,
        state: &str,
        provider_id: Option<&str>,
        attempts: i64,
        next_at: i64,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE texts SET state = ?2, provider_id = COALESCE(?3, provider_id), attempts = ?4,
                              next_at = ?5, updated_at = ?6
              WHERE reference = ?1",
            reference,
            state,
            provider_id,
            attempts,
            next_at,
            now
        )?
        .run()
        .await?;
        Ok(())
    }
}
