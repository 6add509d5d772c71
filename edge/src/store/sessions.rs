//! Residents, sessions (only a hash of the token is kept) and OAuth sign-in requests in flight.

use super::*;

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

impl Store {
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
}
