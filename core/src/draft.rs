//! A draft of one life event as the phone keeps it: the answers, the form
//! values (and where each prefilled one came from), how each material will
//! be provided, and the idempotency key its one submission will carry. The
//! draft is the unit the app stores offline and the outbox sends, and it
//! belongs to exactly one owner: shown to nobody else on a shared phone.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{Provision, SubmitApplication};
use crate::catalog::Text;
use crate::guide::{Answers, FieldValues};
use crate::validate::FieldError;

/// Who a draft belongs to. `resident` is `ResidentView::owner` (`None`:
/// started before sign-in on this device); `principal` is set while the
/// resident acts for someone else (家人代办), whose draft it then is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
}

impl Owner {
    /// Nobody is signed in on this device.
    pub fn anonymous() -> Self {
        Owner::default()
    }

    pub fn resident(owner: impl Into<String>) -> Self {
        Owner {
            resident: Some(owner.into()),
            principal: None,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.resident.is_none()
    }
}

/// Where a prefilled form value came from, shown next to it
/// ("来自电子证照：户口簿"). A value the resident typed has no mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Prefill {
    /// The real-name identity of the signed-in resident.
    Identity,
    /// A released e-certificate of this type.
    Ecert { ecert: String },
    /// A 免申即享 offer, from the facts it was based on (household
    /// register, certificates, a finished application).
    Offer,
}

/// One photo or PDF page of a material. `id` is made on the phone and is
/// also the upload's idempotency key, so a resent upload is stored once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub id: String,
    /// The edge's attachment id once uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
    pub content_type: String,
    pub size: u64,
}

/// How the resident chose to provide one material, as the draft holds it.
/// Unlike [`Provision`], uploads may still be only on the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Choice {
    Ecert { ecert: String },
    Upload { pages: Vec<Page> },
    Promise { signed_at: DateTime<Utc> },
    Deferred,
}

/// The longest a phone waits between two tries of its outbox: the edge's
/// idempotency makes a resend harmless, and the resident is looking at it.
pub const PHONE_CAP_SECS: u32 = 30;

/// A submission waiting to be sent (待发送): queued with its idempotency
/// key, retried with backoff until the edge has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub queued_at: DateTime<Utc>,
    #[serde(default)]
    pub attempts: u32,
    /// Not before this time (backoff); `None`: at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_at: Option<DateTime<Utc>>,
    /// Why the last attempt did not get through (no network, 5xx, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<Text>,
    /// The edge refused it for good (a 4xx): it stays, with the reason,
    /// until the resident changes or discards it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Text>,
    /// With a refusal for bad input: each field or material and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Outbox {
    pub fn new(at: DateTime<Utc>) -> Self {
        Outbox {
            queued_at: at,
            attempts: 0,
            next_at: None,
            last_error: None,
            refused: None,
            errors: Vec::new(),
        }
    }

    /// Is it time to try (again)?
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.refused.is_none() && self.next_at.is_none_or(|t| t <= now)
    }

    /// An attempt did not get through: wait (exponential backoff with
    /// jitter, as the edge's relay does, capped at [`PHONE_CAP_SECS`]) and
    /// keep it.
    pub fn failed(&mut self, why: Text, now: DateTime<Utc>, jitter: u8) {
        // Capped lower than the relay's: one phone, the resident waiting.
        let wait = crate::relay::backoff_secs(self.attempts, jitter).min(PHONE_CAP_SECS);
        self.attempts = self.attempts.saturating_add(1);
        self.next_at = Some(now + chrono::Duration::seconds(i64::from(wait)));
        self.last_error = Some(why);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    pub owner: Owner,
    pub event_id: String,
    #[serde(default)]
    pub answers: Answers,
    #[serde(default)]
    pub values: FieldValues,
    #[serde(default)]
    pub prefilled: BTreeMap<String, Prefill>,
    #[serde(default)]
    pub materials: BTreeMap<String, Choice>,
    pub idempotency_key: String,
    /// The path of the step last shown, to land there again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Outbox>,
}

/// Uploads still to be made before a draft can be submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUploaded(pub Vec<String>);

impl Draft {
    pub fn new(
        id: impl Into<String>,
        owner: Owner,
        event_id: impl Into<String>,
        idempotency_key: impl Into<String>,
        now: DateTime<Utc>,
    ) -> Self {
        Draft {
            id: id.into(),
            owner,
            event_id: event_id.into(),
            answers: Answers::new(),
            values: FieldValues::new(),
            prefilled: BTreeMap::new(),
            materials: BTreeMap::new(),
            idempotency_key: idempotency_key.into(),
            step: None,
            created_at: now,
            updated_at: now,
            outbox: None,
        }
    }

    /// May `viewer` see this draft? Only its own owner, in the same
    /// acting-for context: a resident signed in on a shared phone sees
    /// neither another resident's drafts nor those started signed out
    /// (those are offered to them instead, see [`Draft::offerable_to`]).
    pub fn visible_to(&self, viewer: &Owner) -> bool {
        self.owner == *viewer
    }

    /// A submission the resident made while acting for someone, which the
    /// edge refused for good (the authorisation was revoked or ran out):
    /// kept on their own drafts page, with the reason, even though they can
    /// no longer act for that person — nothing they did disappears unsaid.
    pub fn refused_for_agent(&self, viewer: &Owner) -> bool {
        viewer.principal.is_none()
            && viewer.resident.is_some()
            && self.owner.resident == viewer.resident
            && self.owner.principal.is_some()
            && self.outbox.as_ref().is_some_and(|o| o.refused.is_some())
    }

    /// A draft started before sign-in, which the resident who signs in may
    /// take as theirs.
    pub fn offerable_to(&self, viewer: &Owner) -> bool {
        self.owner.is_anonymous() && !viewer.is_anonymous()
    }

    /// The resident typed `value` into `key`: it is theirs now, whatever
    /// was prefilled.
    pub fn set_value(&mut self, key: &str, value: String) {
        if self.values.get(key) != Some(&value) {
            self.prefilled.remove(key);
        }
        self.values.insert(key.to_owned(), value);
    }

    /// Prefill `key` from `source`, never over something already there.
    /// Returns whether it was filled.
    pub fn prefill(&mut self, key: &str, value: &str, source: Prefill) -> bool {
        if self.values.get(key).is_some_and(|v| !v.trim().is_empty()) || value.is_empty() {
            return false;
        }
        self.values.insert(key.to_owned(), value.to_owned());
        self.prefilled.insert(key.to_owned(), source);
        true
    }

    /// Every page of every material, in material order.
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        self.materials.values().flat_map(|c| match c {
            Choice::Upload { pages } => pages.as_slice(),
            _ => &[],
        })
    }

    /// Record that page `page` is stored at the edge as `attachment`.
    pub fn uploaded(&mut self, page: &str, attachment: &str) {
        for c in self.materials.values_mut() {
            if let Choice::Upload { pages } = c {
                for p in pages.iter_mut().filter(|p| p.id == page) {
                    p.attachment = Some(attachment.to_owned());
                }
            }
        }
    }

    /// The submission this draft makes, once every page is uploaded.
    pub fn submission(&self) -> Result<SubmitApplication, NotUploaded> {
        let missing: Vec<String> = self
            .pages()
            .filter(|p| p.attachment.is_none())
            .map(|p| p.id.clone())
            .collect();
        if !missing.is_empty() {
            return Err(NotUploaded(missing));
        }
        let materials = self
            .materials
            .iter()
            .map(|(id, c)| {
                let p = match c {
                    Choice::Ecert { ecert } => Provision::Ecert {
                        ecert: ecert.clone(),
                    },
                    Choice::Upload { pages } => Provision::Upload {
                        attachments: pages.iter().filter_map(|p| p.attachment.clone()).collect(),
                    },
                    Choice::Promise { signed_at } => Provision::Promise {
                        signed_at: *signed_at,
                    },
                    Choice::Deferred => Provision::Deferred,
                };
                (id.clone(), p)
            })
            .collect();
        Ok(SubmitApplication {
            event_id: self.event_id.clone(),
            answers: self.answers.clone(),
            fields: self.values.clone(),
            materials,
        })
    }

    /// Drop what no longer applies after an answer changed: answers and
    /// values through the guide's prune, material choices for materials
    /// no longer needed. Returns what was dropped: the guide's report and
    /// the material ids whose choices went.
    pub fn prune(
        &mut self,
        event: &crate::catalog::Event,
        profile: &crate::guide::Profile,
    ) -> (crate::guide::Pruned, Vec<String>) {
        let pruned = crate::guide::prune(event, &self.answers, &self.values, profile);
        self.answers = pruned.answers.clone();
        self.values = pruned.values.clone();
        self.prefilled.retain(|k, _| self.values.contains_key(k));
        let outcome = crate::guide::evaluate(event, &self.answers, profile);
        let dropped: Vec<String> = self
            .materials
            .keys()
            .filter(|id| !outcome.materials.iter().any(|m| &&m.material.id == id))
            .cloned()
            .collect();
        for id in &dropped {
            self.materials.remove(id);
        }
        (pruned, dropped)
    }
}

#[cfg(test)]
mod tests;
