//! Wire types of the other backend platforms the edge talks to, beyond a
//! department's relay and webhook (those are in `api`): maintenance
//! announcements and status polling at departments, the SMS gateway, the
//! 好差评 evaluation platform, the e-certificate platform, and household
//! records and the legal representatives of businesses at the identity
//! provider.
//!
//! Every call is signed like a relay (`signature`): method, path and query,
//! the party, the timestamp and the body, so a captured request cannot be
//! replayed against another resource or platform.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::DepartmentUpdate;
use crate::catalog::Text;

/// The party names of the platforms that are not departments, as signed.
pub const SMS: &str = "sms";
pub const EVALUATION: &str = "evaluation";
pub const ECERTS: &str = "ecerts";
pub const IDP: &str = "idp";

/// One announced maintenance window of a department platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceWindow {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// What the department says about it, shown to the resident.
    pub notice: Text,
}

impl MaintenanceWindow {
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.ends_at
    }
}

/// `GET {department}/maintenance`: the windows the department has announced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceAnnouncement {
    pub windows: Vec<MaintenanceWindow>,
}

/// `GET {department}/applications/{external_id}/updates`: every update so
/// far, oldest first, for departments that do not call webhooks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateLog {
    pub updates: Vec<DepartmentUpdate>,
}

/// `POST /sms/messages`: one text message. `reference` makes it idempotent:
/// the gateway sends a reference at most once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmsRequest {
    pub to: String,
    pub text: String,
    pub reference: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsStatus {
    /// Handed to the carrier; no receipt yet.
    Sent,
    /// The carrier confirmed delivery to the handset.
    Delivered,
    /// The carrier gave up (number off, blocked).
    Failed,
}

/// The gateway's answer to an `SmsRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmsReceipt {
    pub message_id: String,
    pub status: SmsStatus,
}

/// `POST /evaluation/ratings`: a resident's 好差评 of one finished event.
/// Idempotent on `rating_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingRecord {
    pub rating_id: String,
    /// The application as Banshi knows it (the 办件 the rating is about).
    pub application_id: String,
    pub event_id: String,
    pub event_name: String,
    /// The departments that handled its items.
    pub departments: Vec<String>,
    pub score: u8,
    pub comment: String,
    pub rated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingReceipt {
    pub rating_id: String,
    pub accepted: bool,
}

/// One electronic certificate (电子证照) as the certificate platform holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// An ecert id from the catalog (`ecerts.toml`).
    pub kind: String,
    pub number: String,
    pub holder_name: String,
    pub holder_id_number: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    /// What the certificate states, by form field id where one exists
    /// (e.g. `spouse_name` on a marriage certificate).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// `GET /ecerts/{sub}/certificates?purpose={event_id}`: a resident's
/// certificates, released only for a stated purpose the resident agreed to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CertificateList {
    pub certificates: Vec<Certificate>,
}

/// How a household member is related to the resident asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    #[serde(rename = "self")]
    Myself,
    Spouse,
    Child,
    Parent,
    Grandparent,
    Grandchild,
    Sibling,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub sub: String,
    pub name: String,
    pub relation: Relation,
    pub birth_date: NaiveDate,
    /// Holds a disability certificate: proxy journeys may need a guardian.
    #[serde(default)]
    pub disabled: bool,
    /// Their ID number as the register holds it: what a guardian's
    /// application for a child is prefilled from. The edge keeps it and
    /// never passes it on to the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

/// `POST /identity/verify` at the identity provider (实名核验): is there a
/// resident with this name and ID number? Signed with the IdP client
/// secret; a POST, so the numbers stay out of URLs and logs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityQuery {
    pub name: String,
    pub id_number: String,
}

/// The answer to an [`IdentityQuery`] that matched (no match is a 404):
/// enough to text the resident and to know them when they sign in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityMatch {
    pub sub: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

/// `GET /households/{sub}` at the identity provider: the resident's
/// registered household (户), relations seen from that resident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    pub household_id: String,
    pub members: Vec<HouseholdMember>,
}

/// One business in the market-regulation register (市场主体登记).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    /// 统一社会信用代码
    pub credit_code: String,
    pub name: String,
}

/// `GET /enterprises/{sub}` at the identity provider: the businesses the
/// register lists the resident as legal representative (法定代表人) of,
/// none for most people. Only they may let someone else act for a business.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representation {
    pub enterprises: Vec<Enterprise>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_window_covers_its_start_but_not_its_end() {
        let w = MaintenanceWindow {
            starts_at: Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 11, 22, 4, 0, 0).unwrap(),
            notice: Text::new("系统升级", "Upgrade"),
        };
        assert!(w.covers(w.starts_at));
        assert!(!w.covers(w.ends_at));
        assert!(!w.covers(Utc.with_ymd_and_hms(2026, 11, 22, 1, 59, 59).unwrap()));
    }

    #[test]
    fn relation_self_is_spelled_self_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&Relation::Myself).unwrap(),
            "\"self\""
        );
    }
}
