//! Wire types shared by app, edge and sandbox: the edge's JSON API and the
//! platform protocol (relay, webhooks, identity). Domain types are converted to
//! these explicitly; changing a field here is an API change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Due;
use crate::catalog::{Audience, Text};
use crate::guide::{Answers, FieldValues};
use crate::status::{ItemStatus, Overall};
use crate::validate::FieldError;

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
}

impl From<&crate::catalog::Event> for EventSummary {
    fn from(e: &crate::catalog::Event) -> Self {
        EventSummary {
            id: e.id.clone(),
            audience: e.audience,
            name: e.name.clone(),
            summary: e.summary.clone(),
            item_count: e.items.len(),
        }
    }
}

/// `GET /api/events`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventList {
    pub version: String,
    pub events: Vec<EventSummary>,
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
    pub name_masked: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    /// Prefill sources for the merged form, keyed like `Field::prefill`
    /// (`identity.phone`…). The resident's own data, shown only to them.
    pub prefill: BTreeMap<String, String>,
}

/// `POST /api/applications` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitApplication {
    pub event_id: String,
    #[serde(default)]
    pub answers: Answers,
    #[serde(default)]
    pub fields: FieldValues,
}

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
}

/// `GET /api/applications/{id}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: String,
    pub event_id: String,
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: String,
    pub event_id: String,
    pub event_name: Text,
    pub submitted_at: DateTime<Utc>,
    pub overall: Overall,
}

/// `GET /api/applications`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationList {
    pub applications: Vec<ApplicationSummary>,
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
}

/// `POST /api/applications/{id}/items/{item}/resubmit`: the corrected values
/// for one item after a correction request. Other items are not touched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResubmitItem {
    pub fields: FieldValues,
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
}

/// One thing to fix in a correction (补正): which material or field, why, how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionPoint {
    pub target: String,
    pub reason: Text,
    pub fix: Text,
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
    pub unread: usize,
    pub messages: Vec<InboxMessage>,
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
}

/// `GET /api/calendar/due`
pub type DueView = Due;
