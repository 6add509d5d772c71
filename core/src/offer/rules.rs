//! What `catalog/policies.toml` may say: 免申即享 rules as data. Each rule
//! names the event it offers, the facts that trigger it, what a claim of it
//! looks like, the words of the offer and what it can fill in.
//!
//! This file is also compiled into `build.rs` (via `#[path]`), so the build
//! fails on a malformed rule; keep it free of anything but serde and the
//! catalog model.

use serde::{Deserialize, Serialize};

use crate::catalog::model::{Scalar, Source, Text};

/// `catalog/policies.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRules {
    /// Cited by index from rules and retirement-age lines.
    pub sources: Vec<Source>,
    pub policy: Vec<PolicyRule>,
    #[serde(default)]
    pub retirement_age: Vec<RetirementAgeLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    pub id: String,
    /// The event offered (an event id of the catalog).
    pub event: String,
    pub when: When,
    /// Applications of these events count as a claim of this offer; empty
    /// means the offered event itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claimed_by: Vec<String>,
    /// The application field that names the person a claim is for (e.g.
    /// `child.name`): a claim for another child is not this claim. Without
    /// it, any application of `claimed_by` is a claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_field: Option<String>,
    /// What the resident reads first; `{placeholders}` as in `based_on`.
    pub headline: Text,
    /// Which facts the offer rests on. Placeholders: `{name}`,
    /// `{birth_date}`, and for retirement `{date}`, `{line}`, `{age}`.
    pub based_on: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefill: Vec<PrefillRule>,
    /// Indexes into `PolicyRules::sources`.
    pub sources: Vec<usize>,
}

/// The facts that trigger a rule. Each yields one offer per person it finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum When {
    /// A member of the resident's registered household (the resident too,
    /// unless `relations` leaves `self` out).
    Member(MemberCondition),
    /// An application of `event` whose items are all finished; the person is
    /// read from its form (`name_field`, `birth_date_field`).
    FinishedApplication {
        event: String,
        name_field: String,
        birth_date_field: String,
        /// Only while that person is younger than this, in full years.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        under_age_years: Option<u32>,
    },
    /// The resident reaches the statutory retirement age (see
    /// `retirement_age`) within this many months from today.
    RetirementAge { within_months: u32 },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberCondition {
    /// How the member is related to the resident (`self`, `child`, … as on
    /// the wire); empty: anyone in the household.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<String>,
    /// Younger than this, in full years, on the day the rules run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under_age_years: Option<u32>,
    /// Holds this e-certificate type (an id from `ecerts.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holds: Option<String>,
    /// Further e-certificate types read of each member found (e.g. the
    /// 户口簿 for a child's ID number), released with the offered event as
    /// the purpose. Nothing else is asked of the platform.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<String>,
}

/// One value the offer fills in: a form field or a question's answer, from
/// a fact (`from`) or as a constant (`value`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefillRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// `person.name`, `person.birth_date`, `person.id_number` (from the
    /// person's certificates), or `application.<field key>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Scalar>,
}

/// One line of the statutory retirement age: the age before 2025 and its
/// gradual raise by birth month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetirementAgeLine {
    pub id: String,
    /// `male` or `female`, as read from the ID number.
    pub sex: String,
    /// Who the line is for, in the offer's words ("男职工").
    pub label: Text,
    /// The statutory age before the raise, in years.
    pub original_years: u32,
    /// The first birth month (`YYYY-MM`) whose retirement is delayed: those
    /// who reach the original age from 2025-01 on.
    pub raise_from_birth: String,
    /// Birth months per month of delay.
    pub months_per_step: u32,
    pub max_delay_months: u32,
    /// Indexes into `PolicyRules::sources`.
    pub sources: Vec<usize>,
}
