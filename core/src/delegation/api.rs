//! Wire types of the edge's delegation API (re-exported by `api`): asking,
//! granting, paper mandates, the lists, the audit, and what the session
//! says about whom the resident may act for.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::audit::{AuditAction, Viewer};
use super::{DelegationState, Relationship, Scope, Validity, Way};
use crate::catalog::{Catalog, Text};

/// The request header naming the principal (their `owner` id) on every
/// request made for them. Without it a request is the resident's own.
pub const ACTING_FOR_HEADER: &str = "x-acting-for";

/// `POST /api/delegations/requests`: the agent asks to act for someone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestDelegation {
    pub principal_name: String,
    pub principal_id_number: String,
    /// What the agent is to the principal.
    pub relationship: Relationship,
    pub scope: Scope,
    pub validity: Validity,
}

/// How the principal names the agent they grant to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentContact {
    Phone(String),
    IdNumber(String),
}

/// `POST /api/delegations`: the principal grants from their own account.
/// The agent is matched when they sign in with that phone or ID number
/// and that name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantDelegation {
    pub agent: AgentContact,
    pub agent_name: String,
    pub relationship: Relationship,
    pub scope: Scope,
    pub validity: Validity,
}

/// `POST /api/delegations/paper`: a signed 授权委托书, photographed, with
/// the principal's ID card; pending until the department checks it with
/// the first application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperMandate {
    pub principal_name: String,
    pub principal_id_number: String,
    pub relationship: Relationship,
    /// Named events, each accepting a paper mandate.
    pub scope: Scope,
    pub validity: Validity,
    /// The signed 授权委托书 (`POST /api/attachments` ids, the agent's own).
    pub mandate: Vec<String>,
    /// The principal's ID card (both sides).
    pub principal_id_card: Vec<String>,
}

/// `POST /api/delegations/{id}/code`: the code the principal read out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterCode {
    pub code: String,
}

/// Someone in a delegation, as the other side is shown them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    /// Their `ResidentView::owner`, once known (an agent granted by phone
    /// who has not signed in yet has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub name: String,
    pub name_masked: String,
}

/// A pending consent code, as the agent sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeView {
    pub expires_at: DateTime<Utc>,
    pub attempts_left: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegationView {
    pub id: String,
    /// Whether the signed-in resident is its principal or its agent.
    pub role: Viewer,
    pub principal: PersonView,
    pub agent: PersonView,
    /// What the agent is to the principal.
    pub relationship: Relationship,
    /// The agent as the principal calls them ("儿子").
    pub agent_is: Text,
    /// The principal as the agent calls them ("母亲").
    pub principal_is: Text,
    pub scope: Scope,
    /// "退休、社会保障卡居民服务" or "所有个人事项".
    pub scope_text: Text,
    pub validity: Validity,
    /// The last day it can be used (a one-application delegation: at the latest).
    pub valid_until: NaiveDate,
    /// As of now (an expired period reads expired even before the cron writes it).
    pub state: DelegationState,
    pub state_label: Text,
    pub way: Way,
    pub created_at: DateTime<Utc>,
    /// For the agent of a consent request still waiting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeView>,
    /// A paper mandate waiting for the department's check.
    #[serde(default)]
    pub pending_verification: bool,
}

/// `GET /api/delegations`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegationList {
    /// 谁可以替我办理: the resident is the principal (requests to answer included).
    pub granted: Vec<DelegationView>,
    /// Whom the resident acts for, or asked to.
    pub received: Vec<DelegationView>,
}

/// One line of `GET /api/delegations/audit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    /// The resident's side in it.
    pub role: Viewer,
    /// "2026年12月1日 14:03 张伟（儿子）代您提交了 退休一件事"
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
}

/// `GET /api/delegations/audit`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditList {
    pub entries: Vec<AuditView>,
}

/// On what grounds the resident may act for a principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A parent for a minor child, from the household register.
    Guardian,
    Delegation,
}

/// In `GET /api/session`: someone the resident may act for now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrincipalView {
    /// Send it as `X-Acting-For` on every request made for them.
    pub owner: String,
    pub name: String,
    pub name_masked: String,
    /// What the resident is to them.
    pub relationship: Relationship,
    /// What they are to the resident ("母亲").
    pub is: Text,
    /// "正在为 母亲 王秀英 办理"
    pub banner: Text,
    pub basis: Basis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<String>,
    pub scope: Scope,
    pub scope_text: Text,
    /// The last day (a guardian: the day before the 18th birthday).
    pub until: NaiveDate,
    /// A paper mandate the department has not checked yet: only the first
    /// application can be made.
    #[serde(default)]
    pub pending_verification: bool,
    /// Their real-name identity for a form's prefill, as `ResidentView::prefill`
    /// (empty where core does not let the resident read their data).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub prefill: std::collections::BTreeMap<String, String>,
}

/// Who acted for the principal on an application: "由 张伟（儿子）代办".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActedBy {
    pub name: String,
    /// What the agent is to the principal.
    pub relationship: Relationship,
    pub basis: Basis,
    /// "由 张伟（儿子）代办"
    pub label: Text,
    /// For the agent's own lists: "为 母亲 王秀英 办理".
    pub for_principal: Text,
}

impl ActedBy {
    pub fn new(
        agent: &str,
        agent_male: Option<bool>,
        principal: &str,
        principal_male: Option<bool>,
        relationship: Relationship,
        basis: Basis,
    ) -> ActedBy {
        let a = relationship.word(agent_male);
        let p = relationship.inverse().word(principal_male);
        ActedBy {
            name: agent.to_owned(),
            relationship,
            basis,
            label: Text::new(
                format!("由 {agent}（{}）代办", a.zh),
                format!("Done for you by {agent} ({})", a.en),
            ),
            for_principal: Text::new(
                format!("为 {} {principal} 办理", p.zh),
                format!("For your {} {principal}", p.en),
            ),
        }
    }
}

/// "正在为 母亲 王秀英 办理" for the resident acting for `name`, who is their `is`.
pub fn banner(is: &Text, name: &str) -> Text {
    Text::new(
        format!("正在为 {} {name} 办理", is.zh),
        format!("Acting for your {} {name}", is.en),
    )
}

/// The events of a scope, named, for lists and texts.
pub fn scope_text(catalog: &Catalog, scope: &Scope) -> Text {
    match scope {
        Scope::AllPersonal => Text::new("所有个人事项", "Every personal matter"),
        Scope::Events { events } => {
            let names: Vec<Text> = events
                .iter()
                .map(|id| {
                    catalog
                        .event(id)
                        .map(|e| e.name.clone())
                        .unwrap_or_else(|| Text::new(id, id))
                })
                .collect();
            Text::new(
                names
                    .iter()
                    .map(|n| n.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                names
                    .iter()
                    .map(|n| n.en.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }
    }
}
