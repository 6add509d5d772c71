//! The delegation audit: structured entries (who, for whom, what, which
//! event, when), written in the same batch as the change they record and
//! rendered by core for whichever side reads them.

use banshi_core::delegation::audit::{AuditAction, AuditEntry, Party, Person};
use banshi_core::delegation::Relationship;

use wasm_bindgen::JsValue;

use super::*;

/// One entry to write.
pub struct NewAudit<'a> {
    pub delegation_id: Option<&'a str>,
    pub principal_id: &'a str,
    pub agent_id: Option<&'a str>,
    pub principal: &'a Person,
    pub agent: &'a Person,
    pub relationship: Relationship,
    pub action: AuditAction,
    pub by: Party,
    pub event_id: Option<&'a str>,
    pub application_id: Option<&'a str>,
    pub what: Option<&'a Text>,
    pub at: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuditRow {
    pub principal_id: String,
    principal_name: String,
    agent_name: String,
    principal_male: Option<i64>,
    agent_male: Option<i64>,
    relationship: String,
    action: String,
    by_party: String,
    pub event_id: Option<String>,
    pub application_id: Option<String>,
    what_zh: Option<String>,
    what_en: Option<String>,
    at: i64,
}

impl AuditRow {
    /// Core's entry; a row it cannot read is skipped by the caller with a log.
    pub fn entry(&self) -> Option<AuditEntry> {
        let male = |m: Option<i64>| m.map(|v| v != 0);
        Some(AuditEntry {
            at: millis(self.at),
            action: AuditAction::parse(&self.action)?,
            by: Party::parse(&self.by_party)?,
            agent: Person {
                name: self.agent_name.clone(),
                male: male(self.agent_male),
            },
            principal: Person {
                name: self.principal_name.clone(),
                male: male(self.principal_male),
            },
            relationship: Relationship::parse(&self.relationship)?,
            what: match (&self.what_zh, &self.what_en) {
                (Some(zh), Some(en)) => Some(Text::new(zh, en)),
                _ => None,
            },
        })
    }
}

macro_rules! audit_insert {
    ($tail:literal) => {
        concat!(
            "INSERT INTO delegation_audit (delegation_id, principal_id, agent_id, principal_name, agent_name,
                principal_male, agent_male, relationship, action, by_party, event_id, application_id,
                what_zh, what_en, at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15 ",
            $tail
        )
    };
}

impl Store {
    fn audit_query(&self, sql: &str, a: &NewAudit<'_>) -> EdgeResult<worker::D1PreparedStatement> {
        let male = |p: &banshi_core::delegation::audit::Person| p.male.map(|m| m as i64);
        // D1 takes null, not undefined, for a missing value.
        let text = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from);
        let number = |v: Option<i64>| v.map_or(JsValue::NULL, |n| JsValue::from(n as f64));
        Ok(self.db.prepare(sql).bind(&[
            text(a.delegation_id),
            a.principal_id.into(),
            text(a.agent_id),
            a.principal.name.as_str().into(),
            a.agent.name.as_str().into(),
            number(male(a.principal)),
            number(male(a.agent)),
            a.relationship.as_str().into(),
            a.action.as_str().into(),
            a.by.as_str().into(),
            text(a.event_id),
            text(a.application_id),
            text(a.what.map(|w| w.zh.as_str())),
            text(a.what.map(|w| w.en.as_str())),
            (a.at as f64).into(),
        ])?)
    }

    /// The entry, unconditionally (for a batch).
    pub(super) fn audit_statement(
        &self,
        a: &NewAudit<'_>,
    ) -> EdgeResult<worker::D1PreparedStatement> {
        self.audit_query(audit_insert!("WHERE true ON CONFLICT DO NOTHING"), a)
    }

    /// The entry, only if the statement just before it in the batch changed a row.
    pub(super) fn audit_if_changed(
        &self,
        a: &NewAudit<'_>,
    ) -> EdgeResult<worker::D1PreparedStatement> {
        self.audit_query(
            audit_insert!("WHERE changes() = 1 ON CONFLICT DO NOTHING"),
            a,
        )
    }

    pub async fn record_audit(&self, a: &NewAudit<'_>) -> EdgeResult<()> {
        self.audit_statement(a)?.run().await?;
        Ok(())
    }

    /// The newest entries where the resident is principal or agent.
    pub async fn audit_of(&self, resident_id: &str) -> EdgeResult<Vec<AuditRow>> {
        Ok(query!(
            &self.db,
            "SELECT principal_id, agent_id, principal_name, agent_name, principal_male, agent_male,
                    relationship, action, by_party, event_id, application_id, what_zh, what_en, at
               FROM delegation_audit
              WHERE principal_id = ?1 OR agent_id = ?1
              ORDER BY seq DESC LIMIT 100",
            resident_id
        )?
        .all()
        .await?
        .results::<AuditRow>()?)
    }
}
