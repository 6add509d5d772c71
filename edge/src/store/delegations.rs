//! Delegations (家人代办) and their consent codes: made, matched to an
//! agent who signs in later, approved, revoked, expired, used for an
//! application — each change written with its audit entry in one batch.

use banshi_core::delegation::consent::PendingCode;
use banshi_core::delegation::{
    Delegation, DelegationState, Relationship, Scope, UsedFor, Validity, Way,
};

use super::audit::NewAudit;
use super::texts::NewText;
use super::*;

const DELEGATION_COLUMNS: &str =
    "d.id, d.principal_id, d.agent_id, d.agent_name, d.agent_phone, d.agent_id_number,
    d.relationship, d.scope, d.validity, d.state, d.way, d.mandate, d.used_for, d.created_at,
    p.name AS principal_name, p.id_number AS principal_id_number,
    a.name AS agent_real_name, a.id_number AS agent_real_id_number,
    u.event_id AS used_event";

const DELEGATION_FROM: &str = "FROM delegations d
    JOIN residents p ON p.id = d.principal_id
    LEFT JOIN residents a ON a.id = d.agent_id
    LEFT JOIN applications u ON u.id = d.used_for";

#[derive(Debug, Clone, Deserialize)]
pub struct DelegationRow {
    pub id: String,
    pub principal_id: String,
    pub agent_id: Option<String>,
    /// As the principal (or the agent, asking) gave it.
    pub agent_name: String,
    pub agent_id_number: Option<String>,
    relationship: String,
    scope: String,
    validity: String,
    state: String,
    way: String,
    pub used_for: Option<String>,
    /// A paper mandate's pages (JSON [`MandatePages`]).
    mandate: Option<String>,
    pub created_at: i64,
    pub principal_name: String,
    pub principal_id_number: String,
    pub agent_real_name: Option<String>,
    pub agent_real_id_number: Option<String>,
    used_event: Option<String>,
}

/// The pages of a paper mandate (the agent's own uploads).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MandatePages {
    pub mandate: Vec<String>,
    pub id_card: Vec<String>,
}

impl DelegationRow {
    /// A paper mandate's pages and the principal's ID card photos, to be
    /// checked by the department with the first application.
    pub fn mandate_pages(&self) -> Vec<String> {
        let pages: MandatePages = self
            .mandate
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok())
            .unwrap_or_default();
        pages.mandate.into_iter().chain(pages.id_card).collect()
    }

    pub fn relationship(&self) -> EdgeResult<Relationship> {
        Relationship::parse(&self.relationship).ok_or_else(|| {
            EdgeError::Internal(format!("corrupt delegations.relationship {}", self.id))
        })
    }

    pub fn scope(&self) -> EdgeResult<Scope> {
        corrupt("delegations.scope", serde_json::from_str(&self.scope))
    }

    pub fn validity(&self) -> EdgeResult<Validity> {
        corrupt("delegations.validity", serde_json::from_str(&self.validity))
    }

    pub fn state(&self) -> EdgeResult<DelegationState> {
        DelegationState::parse(&self.state)
            .ok_or_else(|| EdgeError::Internal(format!("corrupt delegations.state {}", self.id)))
    }

    pub fn way(&self) -> EdgeResult<Way> {
        Way::parse(&self.way)
            .ok_or_else(|| EdgeError::Internal(format!("corrupt delegations.way {}", self.id)))
    }

    /// The agent's name: from their real-name identity once they are known.
    pub fn agent_display_name(&self) -> &str {
        self.agent_real_name.as_deref().unwrap_or(&self.agent_name)
    }

    /// Core's delegation; `finished`: whether the application it was used
    /// for is finished (asked by the caller, who can read items).
    pub fn delegation(&self, finished: bool) -> EdgeResult<Delegation> {
        Ok(Delegation {
            id: self.id.clone(),
            principal: self.principal_id.clone(),
            agent: self.agent_id.clone().unwrap_or_default(),
            relationship: self.relationship()?,
            scope: self.scope()?,
            validity: self.validity()?,
            state: self.state()?,
            way: self.way()?,
            created_at: millis(self.created_at),
            used_for: self.used_for.as_ref().map(|application| UsedFor {
                application: application.clone(),
                event: self.used_event.clone().unwrap_or_default(),
                finished,
            }),
        })
    }
}

/// A new delegation as it will be stored.
pub struct NewDelegation<'a> {
    pub id: &'a str,
    pub principal_id: &'a str,
    pub agent_id: Option<&'a str>,
    pub agent_name: &'a str,
    pub agent_phone: Option<&'a str>,
    pub agent_id_number: Option<&'a str>,
    pub relationship: Relationship,
    pub scope: &'a Scope,
    pub validity: &'a Validity,
    pub state: DelegationState,
    pub way: Way,
    pub mandate: Option<&'a MandatePages>,
    pub now: i64,
}

impl Store {
    fn select_delegations(&self, filter: &str) -> String {
        format!("SELECT {DELEGATION_COLUMNS} {DELEGATION_FROM} WHERE {filter}")
    }

    /// Store a new delegation with its audit entry, its consent code (hashed)
    /// and its text message, in one transaction.
    pub async fn create_delegation(
        &self,
        d: &NewDelegation<'_>,
        code: Option<&PendingCode>,
        audit: &NewAudit<'_>,
        text: Option<&NewText<'_>>,
    ) -> EdgeResult<()> {
        let mandate = d.mandate.map(serde_json::to_string).transpose()?;
        let mut statements = vec![query!(
            &self.db,
            "INSERT INTO delegations (id, principal_id, agent_id, agent_name, agent_phone, agent_id_number,
                                      relationship, scope, validity, state, way, mandate, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            d.id,
            d.principal_id,
            d.agent_id,
            d.agent_name,
            d.agent_phone,
            d.agent_id_number,
            d.relationship.as_str(),
            serde_json::to_string(d.scope)?,
            serde_json::to_string(d.validity)?,
            d.state.as_str(),
            d.way.as_str(),
            mandate,
            d.now
        )?];
        if let Some(c) = code {
            statements.push(query!(
                &self.db,
                "INSERT INTO consent_codes (delegation_id, code_hash, expires_at, attempts) VALUES (?1, ?2, ?3, 0)",
                d.id,
                &c.hash,
                c.expires_at.timestamp_millis()
            )?);
        }
        statements.push(self.audit_statement(audit)?);
        if let Some(t) = text {
            statements.push(self.text_statement(t)?);
        }
        self.db.batch(statements).await?;
        Ok(())
    }

    /// The delegation an item's application was made under, if any.
    pub async fn delegation_of_item(&self, item_row_id: &str) -> EdgeResult<Option<DelegationRow>> {
        #[derive(Deserialize)]
        struct Made {
            delegation_id: Option<String>,
        }
        let made = query!(
            &self.db,
            "SELECT a.delegation_id FROM application_items i JOIN applications a ON a.id = i.application_id
              WHERE i.id = ?1",
            item_row_id
        )?
        .first::<Made>(None)
        .await?;
        match made.and_then(|m| m.delegation_id) {
            Some(id) => self.delegation(&id).await,
            None => Ok(None),
        }
    }

    pub async fn delegation(&self, id: &str) -> EdgeResult<Option<DelegationRow>> {
        Ok(self
            .db
            .prepare(self.select_delegations("d.id = ?1"))
            .bind(&[id.into()])?
            .first::<DelegationRow>(None)
            .await?)
    }

    /// Where the resident is the principal, newest first.
    pub async fn delegations_granted(&self, principal_id: &str) -> EdgeResult<Vec<DelegationRow>> {
        Ok(self
            .db
            .prepare(
                self.select_delegations("d.principal_id = ?1 ORDER BY d.created_at DESC LIMIT 100"),
            )
            .bind(&[principal_id.into()])?
            .all()
            .await?
            .results::<DelegationRow>()?)
    }

    /// Where the resident is the agent, newest first.
    pub async fn delegations_received(&self, agent_id: &str) -> EdgeResult<Vec<DelegationRow>> {
        Ok(self
            .db
            .prepare(
                self.select_delegations("d.agent_id = ?1 ORDER BY d.created_at DESC LIMIT 100"),
            )
            .bind(&[agent_id.into()])?
            .all()
            .await?
            .results::<DelegationRow>()?)
    }

    /// Every delegation from `principal_id` to `agent_id`, in any state.
    pub async fn delegations_between(
        &self,
        principal_id: &str,
        agent_id: &str,
    ) -> EdgeResult<Vec<DelegationRow>> {
        Ok(self
            .db
            .prepare(self.select_delegations("d.principal_id = ?1 AND d.agent_id = ?2"))
            .bind(&[principal_id.into(), agent_id.into()])?
            .all()
            .await?
            .results::<DelegationRow>()?)
    }

    /// Grants made to this resident's phone or ID number (and name) before
    /// they signed in become theirs.
    pub async fn match_grants(
        &self,
        agent_id: &str,
        name: &str,
        phone: &str,
        id_number: &str,
        now: i64,
    ) -> EdgeResult<()> {
        let batch = vec![
            query!(
                &self.db,
                "UPDATE delegation_audit SET agent_id = ?1
                  WHERE agent_id IS NULL AND delegation_id IN (
                    SELECT id FROM delegations WHERE agent_id IS NULL AND agent_name = ?2
                       AND (agent_phone = ?3 OR agent_id_number = ?4) AND principal_id <> ?1)",
                agent_id,
                name,
                phone,
                id_number
            )?,
            query!(
                &self.db,
                "UPDATE delegations SET agent_id = ?1, updated_at = ?5
                  WHERE agent_id IS NULL AND agent_name = ?2
                    AND (agent_phone = ?3 OR agent_id_number = ?4) AND principal_id <> ?1",
                agent_id,
                name,
                phone,
                id_number,
                now
            )?,
        ];
        self.db.batch(batch).await?;
        Ok(())
    }

    /// Move a delegation from one of `from` to `to`, with its audit entry —
    /// only if it is still in one of `from`. False if it was not.
    pub async fn set_delegation_state(
        &self,
        id: &str,
        from: &[DelegationState],
        to: DelegationState,
        now: i64,
        audit: &NewAudit<'_>,
    ) -> EdgeResult<bool> {
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        let ended =
            matches!(to, DelegationState::Revoked | DelegationState::Expired).then_some(now);
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE delegations SET state = ?2, updated_at = ?3, ended_at = COALESCE(?4, ended_at)
                      WHERE id = ?1 AND state IN (SELECT value FROM json_each(?5))",
                    id,
                    to.as_str(),
                    now,
                    ended,
                    serde_json::to_string(&from)?
                )?,
                self.audit_if_changed(audit)?,
                query!(
                    &self.db,
                    "DELETE FROM consent_codes WHERE delegation_id = ?1 AND ?2 <> 'requested'",
                    id,
                    to.as_str()
                )?,
            ])
            .await?;
        Ok(results.first().map(changes).unwrap_or(0) == 1)
    }

    /// Claim a single-use delegation (one application, or a paper mandate's
    /// first) for `application_id` before it is recorded: false if another
    /// application claimed it first.
    pub async fn claim_delegation(
        &self,
        id: &str,
        application_id: &str,
        now: i64,
    ) -> EdgeResult<bool> {
        let r = query!(
            &self.db,
            "UPDATE delegations SET used_for = ?2, updated_at = ?3 WHERE id = ?1 AND used_for IS NULL",
            id,
            application_id,
            now
        )?
        .run()
        .await?;
        Ok(changes(&r) == 1)
    }

    /// Give a claim back (the submission it was for was not recorded).
    pub async fn release_claim(&self, id: &str, application_id: &str) -> EdgeResult<()> {
        query!(
            &self.db,
            "UPDATE delegations SET used_for = NULL WHERE id = ?1 AND used_for = ?2",
            id,
            application_id
        )?
        .run()
        .await?;
        Ok(())
    }

    pub async fn consent_code(&self, delegation_id: &str) -> EdgeResult<Option<PendingCode>> {
        #[derive(Deserialize)]
        struct Row {
            code_hash: String,
            expires_at: i64,
            attempts: i64,
        }
        Ok(query!(
            &self.db,
            "SELECT code_hash, expires_at, attempts FROM consent_codes WHERE delegation_id = ?1",
            delegation_id
        )?
        .first::<Row>(None)
        .await?
        .map(|r| PendingCode {
            hash: r.code_hash,
            expires_at: millis(r.expires_at),
            attempts: r.attempts.max(0) as u32,
        }))
    }

    /// Count a wrong code: against the request (its attempts) and the agent (the day limit).
    pub async fn record_wrong_code(
        &self,
        delegation_id: &str,
        agent_id: &str,
        now: i64,
    ) -> EdgeResult<()> {
        self.db
            .batch(vec![
                query!(
                    &self.db,
                    "UPDATE consent_codes SET attempts = attempts + 1 WHERE delegation_id = ?1",
                    delegation_id
                )?,
                query!(
                    &self.db,
                    "INSERT INTO consent_wrong_codes (agent_id, delegation_id, at) VALUES (?1, ?2, ?3)",
                    agent_id,
                    delegation_id,
                    now
                )?,
            ])
            .await?;
        Ok(())
    }

    /// Wrong codes the agent entered since `since`.
    pub async fn wrong_codes_since(&self, agent_id: &str, since: i64) -> EdgeResult<usize> {
        count(query!(
            &self.db,
            "SELECT COUNT(*) AS n FROM consent_wrong_codes WHERE agent_id = ?1 AND at >= ?2",
            agent_id,
            since
        )?)
        .await
    }

    /// Consent requests the agent made since `since`.
    pub async fn requests_by_agent_since(&self, agent_id: &str, since: i64) -> EdgeResult<usize> {
        count(query!(
            &self.db,
            "SELECT COUNT(*) AS n FROM delegations WHERE agent_id = ?1 AND way = 'consent' AND created_at >= ?2",
            agent_id,
            since
        )?)
        .await
    }

    /// Consent requests made to the principal since `since`, by anyone.
    pub async fn requests_for_principal_since(
        &self,
        principal_id: &str,
        since: i64,
    ) -> EdgeResult<usize> {
        count(query!(
            &self.db,
            "SELECT COUNT(*) AS n FROM delegations WHERE principal_id = ?1 AND way = 'consent' AND created_at >= ?2",
            principal_id,
            since
        )?)
        .await
    }

    /// Requests waiting for the principal's answer (shown as a count in the session).
    pub async fn requests_waiting(&self, principal_id: &str, since: i64) -> EdgeResult<usize> {
        count(query!(
            &self.db,
            "SELECT COUNT(*) AS n FROM delegations WHERE principal_id = ?1 AND way = 'consent'
                AND state = 'requested' AND created_at >= ?2",
            principal_id,
            since
        )?)
        .await
    }
}

/// The `n` of a `SELECT COUNT(*) AS n`.
pub(crate) async fn count(statement: worker::D1PreparedStatement) -> EdgeResult<usize> {
    #[derive(Deserialize)]
    struct N {
        n: i64,
    }
    Ok(statement
        .first::<N>(None)
        .await?
        .map_or(0, |r| r.n.max(0) as usize))
}
