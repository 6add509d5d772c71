//! The audit list both accounts see: who did what for whom, when. Entries
//! are stored structured (actor, principal, action, event, time) and
//! rendered here for whichever side reads them, in both languages:
//! "2026年12月1日 14:03 张伟（儿子）代您提交了 退休一件事" for the principal,
//! "2026年12月1日 14:03 您代 王秀英（母亲）提交了 退休一件事" for the agent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Relationship;
use crate::catalog::Text;
use crate::message::china_time;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// The agent asked (`what`: the scope).
    Requested,
    /// The principal approved in their account (`by` principal), or the
    /// agent entered the code the principal read out (`by` agent).
    Approved,
    /// The principal granted from their account (`what`: the scope).
    Granted,
    Declined,
    Revoked,
    Expired,
    /// The agent uploaded a signed 授权委托书.
    MandateUploaded,
    MandateVerified,
    MandateRefused,
    Submitted,
    Corrected,
    Withdrew,
    Rated,
    ProvidedMaterial,
    ReleasedCertificates,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        use AuditAction::*;
        match self {
            Requested => "requested",
            Approved => "approved",
            Granted => "granted",
            Declined => "declined",
            Revoked => "revoked",
            Expired => "expired",
            MandateUploaded => "mandate_uploaded",
            MandateVerified => "mandate_verified",
            MandateRefused => "mandate_refused",
            Submitted => "submitted",
            Corrected => "corrected",
            Withdrew => "withdrew",
            Rated => "rated",
            ProvidedMaterial => "provided_material",
            ReleasedCertificates => "released_certificates",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        use AuditAction::*;
        [
            Requested,
            Approved,
            Granted,
            Declined,
            Revoked,
            Expired,
            MandateUploaded,
            MandateVerified,
            MandateRefused,
            Submitted,
            Corrected,
            Withdrew,
            Rated,
            ProvidedMaterial,
            ReleasedCertificates,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Principal,
    Agent,
    /// The department (verifying a paper mandate).
    Department,
    /// Banshi itself (an expiry).
    System,
}

impl Party {
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Principal => "principal",
            Party::Agent => "agent",
            Party::Department => "department",
            Party::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Party> {
        [
            Party::Principal,
            Party::Agent,
            Party::Department,
            Party::System,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// Someone named in an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// From the ID number; `None` when unknown.
    pub male: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    pub by: Party,
    pub agent: Person,
    pub principal: Person,
    /// What the agent is to the principal.
    pub relationship: Relationship,
    /// The event's name, or for a request or grant the scope ("退休").
    pub what: Option<Text>,
}

/// Whose list the entry is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Viewer {
    Principal,
    Agent,
}

/// "2026年12月1日 14:03", "1 Dec 2026 14:03", in China time.
pub fn when(at: DateTime<Utc>) -> Text {
    let t = china_time(at);
    Text::new(
        t.format("%Y年%-m月%-d日 %H:%M").to_string(),
        t.format("%-d %b %Y %H:%M").to_string(),
    )
}

/// The one line of the entry as `viewer` reads it.
pub fn render(e: &AuditEntry, viewer: Viewer) -> Text {
    use AuditAction::*;
    let time = when(e.at);
    // 张伟（儿子） as the principal knows the agent; 王秀英（母亲） as the agent knows the principal.
    let agent_word = e.relationship.word(e.agent.male);
    let principal_word = e.relationship.inverse().word(e.principal.male);
    let agent = Text::new(
        format!("{}（{}）", e.agent.name, agent_word.zh),
        format!("{} ({})", e.agent.name, agent_word.en),
    );
    let principal = Text::new(
        format!("{}（{}）", e.principal.name, principal_word.zh),
        format!("{} ({})", e.principal.name, principal_word.en),
    );
    let what = e.what.clone().unwrap_or_else(|| Text::new("", ""));
    // An application's event reads "退休一件事"; a scope ("退休、社会保障卡居民服务") as it is.
    let scope_action = matches!(e.action, Requested | Granted | MandateVerified);
    let thing = Text::new(
        if scope_action || what.zh.is_empty() || what.zh.ends_with("一件事") {
            what.zh.clone()
        } else {
            format!("{}一件事", what.zh)
        },
        what.en.clone(),
    );
    let (zh, en) = match (viewer, e.action, e.by) {
        (Viewer::Principal, Requested, _) => (
            format!("{}申请替您办理 {}", agent.zh, thing.zh),
            format!("{} asked to act for you: {}", agent.en, thing.en),
        ),
        (Viewer::Agent, Requested, _) => (
            format!("您申请替 {} 办理 {}", principal.zh, thing.zh),
            format!("You asked to act for {}: {}", principal.en, thing.en),
        ),
        (Viewer::Principal, Approved, Party::Agent) => (
            format!("{}输入了您告诉他（她）的验证码，授权生效", agent.zh),
            format!(
                "{} entered the code you read out; the authorisation is active",
                agent.en
            ),
        ),
        (Viewer::Principal, Approved, _) => (
            format!("您同意了{}替您办理", agent.zh),
            format!("You approved {} to act for you", agent.en),
        ),
        (Viewer::Agent, Approved, Party::Agent) => (
            format!("您输入了 {} 告诉您的验证码，授权生效", principal.zh),
            format!(
                "You entered the code {} read out; the authorisation is active",
                principal.en
            ),
        ),
        (Viewer::Agent, Approved, _) => (
            format!("{}同意了您的授权申请", principal.zh),
            format!("{} approved your request", principal.en),
        ),
        (Viewer::Principal, Granted, _) => (
            format!("您授权{}替您办理 {}", agent.zh, thing.zh),
            format!("You authorised {} to act for you: {}", agent.en, thing.en),
        ),
        (Viewer::Agent, Granted, _) => (
            format!("{}授权您替他（她）办理 {}", principal.zh, thing.zh),
            format!(
                "{} authorised you to act for them: {}",
                principal.en, thing.en
            ),
        ),
        (Viewer::Principal, Declined, _) => (
            format!("您拒绝了{}的授权申请", agent.zh),
            format!("You declined {}'s request", agent.en),
        ),
        (Viewer::Agent, Declined, _) => (
            format!("{}拒绝了您的授权申请", principal.zh),
            format!("{} declined your request", principal.en),
        ),
        (Viewer::Principal, Revoked, Party::Agent) => (
            format!("{}不再替您办理，授权已结束", agent.zh),
            format!(
                "{} stopped acting for you; the authorisation has ended",
                agent.en
            ),
        ),
        (Viewer::Principal, Revoked, _) => (
            format!("您撤销了{}的授权", agent.zh),
            format!("You revoked {}'s authorisation", agent.en),
        ),
        (Viewer::Agent, Revoked, Party::Agent) => (
            format!("您不再替 {} 办理，授权已结束", principal.zh),
            format!(
                "You stopped acting for {}; the authorisation has ended",
                principal.en
            ),
        ),
        (Viewer::Agent, Revoked, _) => (
            format!("{}撤销了给您的授权", principal.zh),
            format!("{} revoked your authorisation", principal.en),
        ),
        (Viewer::Principal, Expired, _) => (
            format!("{}的授权已到期", agent.zh),
            format!("{}'s authorisation has ended", agent.en),
        ),
        (Viewer::Agent, Expired, _) => (
            format!("您替 {} 办理的授权已到期", principal.zh),
            format!("Your authorisation for {} has ended", principal.en),
        ),
        (Viewer::Principal, MandateUploaded, _) => (
            format!("{}提交了您签的授权委托书，等部门核验", agent.zh),
            format!(
                "{} handed in the power of attorney you signed; the department will check it",
                agent.en
            ),
        ),
        (Viewer::Agent, MandateUploaded, _) => (
            format!("您提交了 {} 签的授权委托书，等部门核验", principal.zh),
            format!(
                "You handed in the power of attorney {} signed; the department will check it",
                principal.en
            ),
        ),
        (Viewer::Principal, MandateVerified, _) => (
            format!(
                "部门核验了授权委托书，{}可以替您办理 {}",
                agent.zh, thing.zh
            ),
            format!(
                "The department checked the power of attorney: {} may act for you: {}",
                agent.en, thing.en
            ),
        ),
        (Viewer::Agent, MandateVerified, _) => (
            format!(
                "部门核验了授权委托书，您可以替 {} 办理 {}",
                principal.zh, thing.zh
            ),
            format!(
                "The department checked the power of attorney: you may act for {}: {}",
                principal.en, thing.en
            ),
        ),
        (Viewer::Principal, MandateRefused, _) => (
            format!("部门没有通过授权委托书，{}不能替您办理", agent.zh),
            format!(
                "The department did not accept the power of attorney: {} may not act for you",
                agent.en
            ),
        ),
        (Viewer::Agent, MandateRefused, _) => (
            format!("部门没有通过授权委托书，您不能替 {} 办理", principal.zh),
            format!(
                "The department did not accept the power of attorney: you may not act for {}",
                principal.en
            ),
        ),
        (viewer, action, _) => {
            let (verb_zh, verb_en) = match action {
                Submitted => ("提交了", "submitted"),
                Corrected => ("补正了", "corrected"),
                Withdrew => ("撤回了", "withdrew part of"),
                Rated => ("评价了", "rated"),
                ProvidedMaterial => ("补交了材料：", "provided a material for"),
                _ => ("调取了电子证照，用于", "released e-certificates for"),
            };
            match viewer {
                Viewer::Principal => (
                    format!("{}代您{} {}", agent.zh, verb_zh, thing.zh),
                    format!("{} {} {} for you", agent.en, verb_en, thing.en),
                ),
                Viewer::Agent => (
                    format!("您代 {}{} {}", principal.zh, verb_zh, thing.zh),
                    format!("You {} {} for {}", verb_en, thing.en, principal.en),
                ),
            }
        }
    };
    Text::new(format!("{} {zh}", time.zh), format!("{} {en}", time.en))
}
