//! Wire types shared by app, edge and sandbox: the edge's JSON API and the
//! platform protocol (relay, webhooks, identity). Domain types are converted to
//! these explicitly; changing a field here is an API change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Due;
use crate::catalog::{Audience, Department, ECertType, Event, NoticeTemplate, Section, Text};
use crate::guide::{Answers, FieldValues};
use crate::status::{ItemStatus, Overall};
use crate::validate::FieldError;

pub use crate::delegation::api::*;
pub use crate::reference::Reference;
pub use crate::settings::{Language, ResidentSettings, SettingsChange};

/// Every non-2xx answer of the edge: `{"error":{"code","message","fields"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `not_found`, `invalid_fields`, `unauthenticated`.
    pub code: String,
    pub message: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(code: &str, message: Text) -> Self {
        ApiError {
            error: ErrorBody {
                code: code.to_owned(),
                message,
                fields: Vec::new(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error.message.zh)
    }
}

impl std::error::Error for ApiError {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    pub id: String,
    pub audience: Audience,
    pub name: Text,
    pub summary: Text,
    pub item_count: usize,
    /// The State Council list it is from: "2024年第一批".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Text>,
    /// Its items' names, so a search hit can name the item it found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemName>,
    /// An agent may apply for it on a signed paper 授权委托书.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepts_paper_mandate: bool,
    /// A business event a legal representative may let someone else do.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepts_agent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemName {
    pub id: String,
    pub name: Text,
}

impl EventSummary {
    pub fn of(catalog: &crate::catalog::Catalog, e: &crate::catalog::Event) -> Self {
        EventSummary {
            id: e.id.clone(),
            audience: e.audience,
            name: e.name.clone(),
            summary: e.summary.clone(),
            item_count: e.items.len(),
            batch: catalog.event_batch_label(e),
            accepts_paper_mandate: e.accepts_paper_mandate,
            accepts_agent: e.accepts_agent && e.audience == crate::catalog::Audience::Business,
            items: e
                .items
                .iter()
                .map(|i| ItemName {
                    id: i.id.clone(),
                    name: i.name.clone(),
                })
                .collect(),
        }
    }
}

/// `GET /api/events`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventList {
    pub version: String,
    pub events: Vec<EventSummary>,
}

/// `GET /api/events/{id}`: one event with everything the app needs to walk
/// it without an embedded catalog. Cacheable by the catalog's ETag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventBundle {
    /// The catalog version (content hash) this bundle is from.
    pub version: String,
    pub event: Event,
    /// The departments the event's items name.
    pub departments: Vec<Department>,
    /// The e-certificate types its materials and prefills name.
    pub ecerts: Vec<ECertType>,
    /// Form sections in display order (`sections.toml`).
    pub sections: Vec<Section>,
    /// The 告知承诺 text template (`[[notice]] id = "promise"`), rendered
    /// with `message::promise_text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise: Option<NoticeTemplate>,
    /// "办事指南更新于 2026年12月1日（版本 2026.12.1）".
    pub updated: Text,
    /// The State Council list it is from, with its document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Text>,
}

impl EventBundle {
    pub fn of(catalog: &crate::catalog::Catalog, event: &Event) -> EventBundle {
        let mut departments: Vec<Department> = Vec::new();
        for item in &event.items {
            if let Some(d) = catalog.department(&item.department) {
                if !departments.contains(d) {
                    departments.push(d.clone());
                }
            }
        }
        let named = event
            .items
            .iter()
            .flat_map(|i| &i.materials)
            .filter_map(|m| m.waived_by.as_deref())
            .chain(event.fields.iter().filter_map(|f| {
                let p = f.prefill.as_deref()?.strip_prefix("ecert:")?;
                Some(p.split('.').next().unwrap_or(p))
            }));
        let mut ecerts: Vec<ECertType> = Vec::new();
        for id in named {
            if let Some(c) = catalog.ecert(id) {
                if !ecerts.contains(c) {
                    ecerts.push(c.clone());
                }
            }
        }
        EventBundle {
            version: catalog.version().to_owned(),
            event: event.clone(),
            departments,
            ecerts,
            sections: catalog.data().sections.clone(),
            promise: catalog
                .notices()
                .iter()
                .find(|n| n.id == "promise")
                .cloned(),
            updated: catalog.version_info().updated_text(),
            batch: catalog.event_batch_citation(event),
        }
    }
}

/// `GET /api/session`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub resident: Option<ResidentView>,
    /// Sent back as `X-CSRF-Token` on every state-changing request.
    pub csrf_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentView {
    /// An opaque, stable id of the signed-in resident (see [`owner_id`]), so
    /// the app can keep drafts per resident on a shared phone. Not a secret,
    /// not reversible to the identity.
    pub owner: String,
    pub name_masked: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    /// Prefill sources for the merged form, keyed like `Field::prefill`
    /// (`identity.phone`…). The resident's own data, shown only to them.
    pub prefill: BTreeMap<String, String>,
    /// Whom the resident may act for now (为家人办理): send their `owner` as
    /// `X-Acting-For`. Only in `GET /api/session`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub may_act_for: Vec<PrincipalView>,
    /// Requests from others to act for the resident, waiting for an answer.
    #[serde(default)]
    pub requests_waiting: usize,
}

/// `POST /api/applications` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitApplication {
    pub event_id: String,
    #[serde(default)]
    pub answers: Answers,
    #[serde(default)]
    pub fields: FieldValues,
    /// How each required material is provided, keyed by material id. The
    /// id is the event's: one provision serves every item that lists it.
    #[serde(default)]
    pub materials: BTreeMap<String, Provision>,
}

/// `ResidentView::owner` for an identity provider subject: the first 16 hex
/// characters of its SHA-256.
pub fn owner_id(sub: &str) -> String {
    crate::digest::sha256_hex(sub.as_bytes())[..16].to_owned()
}

/// How the resident provides one required material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provision {
    /// 免提交: the e-certificate of this type (an `ecerts.toml` id), released
    /// for this event through `POST /api/me/certificates`.
    Ecert { ecert: String },
    /// Uploaded photos or PDFs (`POST /api/attachments` ids), 1 to 20 pages.
    Upload { attachments: Vec<String> },
    /// 告知承诺: the resident signed the promise text at `signed_at`.
    Promise { signed_at: DateTime<Utc> },
    /// 容缺受理: to follow after acceptance.
    Deferred,
}

impl Provision {
    pub fn kind(&self) -> ProvisionKind {
        match self {
            Provision::Ecert { .. } => ProvisionKind::Ecert,
            Provision::Upload { .. } => ProvisionKind::Upload,
            Provision::Promise { .. } => ProvisionKind::Promise,
            Provision::Deferred => ProvisionKind::Deferred,
        }
    }
}

/// [`Provision`] without its data, for views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionKind {
    Ecert,
    Upload,
    Promise,
    Deferred,
}

/// The most pages one material may have.
pub const MAX_PAGES_PER_MATERIAL: usize = 20;

/// Where the relay to the department stands, separate from the department's own status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelayState {
    /// Waiting in our queue.
    Queued,
    /// The department confirmed receipt.
    Delivered,
    /// The department did not answer; we keep trying ("delayed, not lost").
    Retrying,
    /// The department announced maintenance; held until it ends.
    Held,
    /// The department refused it for good (a permanent error, not an
    /// outage): retrying cannot help, so an operator follows it up. The
    /// resident is told we are following it up, never left in silence.
    FollowingUp,
}

impl RelayState {
    /// The snake_case name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            RelayState::Queued => "queued",
            RelayState::Delivered => "delivered",
            RelayState::Retrying => "retrying",
            RelayState::Held => "held",
            RelayState::FollowingUp => "following_up",
        }
    }
}

/// A timeline entry is a status change, or a notice about the item (the SLA
/// watchdog chasing a late department) that leaves the status as it was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    #[default]
    Status,
    Notice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub status: ItemStatus,
    pub at: DateTime<Utc>,
    pub title: Text,
    pub body: Text,
    #[serde(default)]
    pub kind: EntryKind,
}

/// Something the resident should know now about an item, shown above its
/// timeline (e.g. the department is under announced maintenance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemNotice {
    pub title: Text,
    pub body: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    /// Our id for this department application; also the external id the department sees.
    pub id: String,
    pub item_id: String,
    pub name: Text,
    pub department: Text,
    pub status: ItemStatus,
    pub status_label: Text,
    pub relay: RelayState,
    /// `None`: no sourced limit; shown as "以当地规定为准".
    pub time_limit_working_days: Option<u32>,
    /// Set once the department accepts (受理): the legal clock starts then.
    pub due: Option<Due>,
    pub timeline: Vec<TimelineEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<ItemNotice>,
    /// The state of each material this item needs.
    #[serde(default)]
    pub materials: Vec<MaterialView>,
    /// While a correction (补正) is open: each point the department named,
    /// so the app can lead the resident to that exact field or material.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionPoint>,
    /// A withdrawal was asked for and the department has not confirmed it
    /// yet: the item is not 已撤回 until it does.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawing: bool,
}

/// One material of one item, as tracking shows it: provided how and when,
/// or still to follow (待补交) and by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialView {
    pub material_id: String,
    pub name: Text,
    pub provision: ProvisionKind,
    /// For a deferred material not yet provided: the date by which it must
    /// follow (`defer_working_days` from acceptance). `None` before
    /// acceptance or when the catalog gives no period ("在部门通知的期限内补交").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Due>,
    /// When it was provided; `None` while a deferred material is still to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provided_at: Option<DateTime<Utc>>,
}

/// `GET /api/applications/{id}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: String,
    /// The reference a person reads aloud: `BS-7K4Q-92MX`.
    pub reference: Reference,
    pub event_id: String,
    /// The catalog version (content hash) the application was made under.
    pub catalog_version: String,
    pub event_name: Text,
    pub submitted_at: DateTime<Utc>,
    pub overall: Overall,
    pub items: Vec<ItemView>,
    /// The merged form as stored: the resident's own values, for corrections.
    pub fields: FieldValues,
    /// Every item finished and not rated yet: offer 好差评.
    #[serde(default)]
    pub can_rate: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<crate::rating::RatingView>,
    /// Someone applied for the resident: "由 张伟（儿子）代办".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acted_by: Option<ActedBy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: String,
    pub reference: Reference,
    pub event_id: String,
    pub event_name: Text,
    pub submitted_at: DateTime<Utc>,
    pub overall: Overall,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acted_by: Option<ActedBy>,
}

/// `GET /api/applications`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationList {
    pub applications: Vec<ApplicationSummary>,
    /// More, older ones: ask again with `?cursor=` this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The applicant as the department sees them (from real-name identity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

/// Edge → department: one item of an application. Sent again unchanged on
/// every retry; the department de-duplicates on `external_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentSubmission {
    pub external_id: String,
    pub event_id: String,
    pub item_id: String,
    pub item_name: String,
    pub applicant: Applicant,
    pub fields: FieldValues,
    pub submitted_at: DateTime<Utc>,
    /// 0 for the first submission, +1 for each corrected resubmission (补正).
    #[serde(default)]
    pub revision: u32,
    /// The materials this item needs, as provided. Only this item's: a
    /// department gets only what its item needs.
    #[serde(default)]
    pub materials: Vec<RelayedMaterial>,
    /// Someone applied for the applicant (经办人): who, on what grounds,
    /// and a paper mandate for the department to check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<RelayedAgent>,
}

/// The person who applied for the applicant, as the department is told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelayedAgent {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    /// What they are to the applicant.
    pub relationship: crate::delegation::Relationship,
    pub basis: Basis,
    /// A delegation's way (consent in Banshi, a grant, or paper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub way: Option<crate::delegation::Way>,
    /// A paper mandate not yet verified: the signed 授权委托书 and the
    /// applicant's ID card, to check with this application. The answer
    /// comes back as [`DepartmentUpdate::mandate`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mandate: Vec<RelayedAttachment>,
}

/// A department's finding on a paper mandate relayed with an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MandateVerdict {
    Verified,
    Refused,
}

/// One material as a department receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelayedMaterial {
    pub material_id: String,
    pub name: String,
    #[serde(flatten)]
    pub provision: RelayedProvision,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RelayedProvision {
    /// From the released e-certificate.
    Ecert {
        ecert: String,
        number: String,
        issuer: String,
    },
    Upload {
        attachments: Vec<RelayedAttachment>,
    },
    /// The promise as the resident signed it.
    Promise {
        signed_at: DateTime<Utc>,
        text: Text,
    },
    /// To follow; `due` once the item is accepted and the catalog gives a period.
    Deferred {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<Due>,
    },
}

/// An uploaded page: the department fetches the bytes with a signed GET of
/// `path` on the edge (signed with its own key) and checks `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayedAttachment {
    pub id: String,
    pub sha256: String,
    pub size: u64,
    pub content_type: crate::attachment::Kind,
    /// `/api/departments/{department}/attachments/{id}`
    pub path: String,
}

/// Edge → department, `POST {department}/applications/{external_id}/materials`:
/// a deferred material (容缺) provided later. Idempotent on `supplement_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentSupplement {
    pub supplement_id: String,
    pub external_id: String,
    pub material: RelayedMaterial,
    pub provided_at: DateTime<Utc>,
}

/// `POST /api/applications/{id}/items/{item}/materials/{material}`: a
/// deferred material provided later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvideMaterial {
    pub attachments: Vec<String>,
}

/// `POST /api/applications/{id}/items/{item}/resubmit`: the corrected values
/// for one item after a correction request. Other items are not touched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResubmitItem {
    #[serde(default)]
    pub fields: FieldValues,
    /// New provisions for this item's materials (e.g. a new photo for one
    /// the department could not read); each replaces the stored one.
    #[serde(default)]
    pub materials: BTreeMap<String, Provision>,
}

/// Department → edge webhook: one status change of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentUpdate {
    /// Unique per update: a redelivered update is recognised and ignored.
    pub update_id: String,
    pub external_id: String,
    pub status: ItemStatus,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionPoint>,
    /// The department checked the paper mandate relayed with the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<MandateVerdict>,
}

/// One thing to fix in a correction (补正): which material or field, why, how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionPoint {
    /// What to fix: `field:<key>` (a merged-form field key) or
    /// `material:<id>` (a material id of the event), so the app can link the
    /// fix to that field or material. Anything else is free text (a
    /// department that does not know our ids), shown as it is.
    pub target: String,
    pub reason: Text,
    pub fix: Text,
}

/// [`CorrectionPoint::target`], read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionTarget<'a> {
    Field(&'a str),
    Material(&'a str),
    Other(&'a str),
}

impl CorrectionPoint {
    pub fn target(&self) -> CorrectionTarget<'_> {
        let t = self.target.as_str();
        if let Some(key) = t.strip_prefix("field:") {
            CorrectionTarget::Field(key)
        } else if let Some(id) = t.strip_prefix("material:") {
            CorrectionTarget::Material(id)
        } else {
            CorrectionTarget::Other(t)
        }
    }
}

/// Identity provider token endpoint answer (RFC 6749 §5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
}

/// Identity provider userinfo: the real-name identity of the signed-in resident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub sub: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

/// One message in the resident's inbox: a status change of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub seq: i64,
    pub application_id: String,
    pub event_name: Text,
    pub item_name: Text,
    pub status: ItemStatus,
    pub at: DateTime<Utc>,
    pub title: Text,
    pub body: Text,
    pub unread: bool,
    /// The text message for this entry, if one was due: where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsDelivery>,
    /// In an agent's own inbox, a message about an application they made
    /// for someone else: "为 母亲 王秀英 办理".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_principal: Option<Text>,
}

/// A text message's state in our outbox and at the SMS gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsDelivery {
    /// Not accepted by the gateway yet; we keep trying.
    Pending,
    /// Handed to the carrier.
    Sent,
    /// On the resident's phone.
    Delivered,
    /// The carrier could not deliver it; the inbox still has it.
    Failed,
}

/// `GET /api/inbox`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    /// Unread messages in all, not only on this page.
    pub unread: usize,
    pub messages: Vec<InboxMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /api/inbox/seen`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxSeen {
    pub up_to: i64,
}

/// `POST /api/attachments` answer and `GET /api/attachments` entries. The
/// bytes are at `GET /api/attachments/{id}`, for their owner only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    pub content_type: crate::attachment::Kind,
    pub size: u64,
    /// Hex SHA-256 of the bytes, so a department can check what it fetched.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// `GET /api/attachments`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentList {
    pub attachments: Vec<AttachmentView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /api/me/certificates`: release these e-certificates for this
/// event. The resident consents to each by name; nothing else is released.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseCertificates {
    /// The event id the certificates are for (logged at the platform).
    pub purpose: String,
    /// `ecerts.toml` ids, each consented to.
    pub ecerts: Vec<String>,
}

/// The answer to `POST /api/me/certificates`: the released certificates with
/// their facts, so the app can prefill `ecert:<id>.<fact>` fields. A
/// consented type the resident does not hold is simply absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleasedCertificates {
    pub purpose: String,
    pub released_at: DateTime<Utc>,
    pub certificates: Vec<crate::platform::Certificate>,
}

/// `GET /api/me/offers`: 免申即享 for the signed-in resident, each offer with
/// the facts it rests on and what it fills in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferList {
    /// The resident's setting. Off: `offers` is empty and no platform was asked.
    pub enabled: bool,
    pub offers: Vec<crate::offer::Offer>,
    /// A platform did not answer, so an offer may be missing; what is shown holds.
    #[serde(default)]
    pub incomplete: bool,
}

/// `GET /api/calendar/due`
pub type DueView = Due;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_bundle_carries_its_departments_ecerts_sections_and_the_promise() {
        let catalog = crate::catalog::Catalog::embedded();
        let event = catalog.event("business-change").unwrap();
        let b = EventBundle::of(catalog, event);
        assert_eq!(b.version, catalog.version());
        for item in &event.items {
            assert!(b.departments.iter().any(|d| d.id == item.department));
        }
        // Named only by a prefill (`ecert:business-licence.name`).
        assert!(b.ecerts.iter().any(|c| c.id == "business-licence"));
        assert!(!b.ecerts.iter().any(|c| c.id == "marriage-certificate"));
        assert_eq!(b.sections, catalog.data().sections);
        assert!(b.promise.is_some());
    }

    #[test]
    fn provisions_travel_tagged_by_kind() {
        let m: BTreeMap<String, Provision> = serde_json::from_str(
            r#"{"a":{"kind":"ecert","ecert":"household-register"},
                "b":{"kind":"upload","attachments":["F1","F2"]},
                "c":{"kind":"promise","signed_at":"2026-12-01T08:00:00Z"},
                "d":{"kind":"deferred"}}"#,
        )
        .unwrap();
        assert_eq!(m["a"].kind(), ProvisionKind::Ecert);
        assert_eq!(
            m["b"],
            Provision::Upload {
                attachments: vec!["F1".into(), "F2".into()]
            }
        );
        assert_eq!(m["d"], Provision::Deferred);
        assert_eq!(
            serde_json::to_value(&m["d"]).unwrap(),
            serde_json::json!({"kind": "deferred"})
        );
        assert!(serde_json::from_str::<Provision>(r#"{"kind":"fax"}"#).is_err());
    }

    #[test]
    fn a_submission_without_materials_still_parses() {
        let s: SubmitApplication =
            serde_json::from_str(r#"{"event_id":"newborn","answers":{},"fields":{}}"#).unwrap();
        assert!(s.materials.is_empty());
        let r: ResubmitItem = serde_json::from_str(r#"{"fields":{"a":"b"}}"#).unwrap();
        assert!(r.materials.is_empty());
    }

    #[test]
    fn a_correction_target_names_a_field_a_material_or_is_free_text() {
        let point = |t: &str| CorrectionPoint {
            target: t.into(),
            reason: Text::new("", ""),
            fix: Text::new("", ""),
        };
        assert_eq!(
            point("field:applicant.phone").target(),
            CorrectionTarget::Field("applicant.phone")
        );
        assert_eq!(
            point("material:photo").target(),
            CorrectionTarget::Material("photo")
        );
        assert_eq!(
            point("本人居民身份证").target(),
            CorrectionTarget::Other("本人居民身份证")
        );
    }

    #[test]
    fn the_owner_id_is_stable_opaque_and_short() {
        let a = owner_id("r-zhang-wei");
        assert_eq!(a, owner_id("r-zhang-wei"));
        assert_ne!(a, owner_id("r-li-na"));
        assert_eq!(a.len(), 16);
        assert!(!a.contains("zhang"));
    }

    #[test]
    fn a_relayed_material_is_flat_with_its_kind() {
        let m = RelayedMaterial {
            material_id: "photo".into(),
            name: "照片".into(),
            provision: RelayedProvision::Deferred { due: None },
        };
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"material_id": "photo", "name": "照片", "kind": "deferred"})
        );
        assert_eq!(serde_json::from_value::<RelayedMaterial>(v).unwrap(), m);
    }
}
