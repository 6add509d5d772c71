//! 免申即享: benefits the resident is owed and has not claimed, found from
//! facts the platforms already hold (the household register, e-certificates,
//! the resident's ID number) and the resident's own applications.
//!
//! The rules are data (`catalog/policies.toml`, see [`rules`]); [`offers`]
//! evaluates them, pure: the caller passes the facts, the applications and
//! today. An offer names the event, says which facts it rests on and what
//! it can fill in; the resident confirms, nothing is applied for them.

mod lint;
mod reads;
mod retirement;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

pub use lint::lint;
pub use reads::{certificate_reads, CertificateRead};
pub use retirement::{retirement_date, statutory_age, Age};
pub use rules::{MemberCondition, PolicyRule, PolicyRules, PrefillRule, RetirementAgeLine, When};

use crate::catalog::{Scalar, Source, Text};
use crate::guide::{Answer, Answers, FieldValues};
use crate::platform::{Certificate, Household, HouseholdMember, Relation};
use crate::validate::IdNumber;

#[cfg(feature = "embedded")]
const EMBEDDED_RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/policies.json"));

impl PolicyRules {
    /// `catalog/policies.toml` as compiled into this binary.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> &'static PolicyRules {
        static RULES: std::sync::OnceLock<PolicyRules> = std::sync::OnceLock::new();
        RULES.get_or_init(|| {
            serde_json::from_str(EMBEDDED_RULES).expect("build.rs wrote valid policy rules")
        })
    }
}

/// The signed-in resident, from real-name identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentFacts {
    pub sub: String,
    pub name: String,
    pub id_number: String,
}

/// What the platforms say, with the resident's consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub resident: ResidentFacts,
    /// `GET /households/{sub}`; `None` when the register could not be read.
    #[serde(default)]
    pub household: Option<Household>,
    /// Certificates by holder sub (`GET /ecerts/{sub}/certificates`), the
    /// resident's own and household members' where released.
    #[serde(default)]
    pub certificates: BTreeMap<String, Vec<Certificate>>,
}

/// One of the resident's applications, as the edge stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationFact {
    pub event_id: String,
    /// Every item finished (`status::overall`: finished == total).
    pub finished: bool,
    /// Every item withdrawn: it claims nothing.
    #[serde(default)]
    pub withdrawn: bool,
    /// The merged form as submitted.
    #[serde(default)]
    pub fields: FieldValues,
}

/// The resident's choices about offers, stored by the edge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OfferSettings {
    /// Offers turned off entirely: none is computed.
    #[serde(default)]
    pub off: bool,
    /// Offer ids the resident dismissed: never shown again.
    #[serde(default)]
    pub dismissed: BTreeSet<String>,
}

/// What an offer fills in when the resident opens it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prefill {
    /// Situation answers by question id.
    #[serde(default)]
    pub answers: Answers,
    /// Merged-form values by field key.
    #[serde(default)]
    pub fields: FieldValues,
}

/// One benefit the resident may be owed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// Stable for the same event and person: dismiss with it.
    pub id: String,
    pub event_id: String,
    /// The rules that found it, first first.
    pub rules: Vec<String>,
    pub headline: Text,
    /// The facts it rests on, one sentence per rule.
    pub based_on: Vec<Text>,
    pub prefill: Prefill,
    pub sources: Vec<Source>,
}

/// Someone an offer is about.
struct Person<'a> {
    name: String,
    birth_date: NaiveDate,
    id_number: Option<String>,
    application: Option<&'a ApplicationFact>,
    /// For retirement: the line used and the day the age is reached.
    retirement: Option<(&'a RetirementAgeLine, Age, NaiveDate)>,
}

/// Every offer the rules find for the resident today, in rule order: one
/// per event and person (two rules finding the same child make one offer
/// with both reasons). Nothing when offers are off; never a dismissed one
/// or one already claimed.
pub fn offers(
    rules: &PolicyRules,
    facts: &Facts,
    applications: &[ApplicationFact],
    today: NaiveDate,
    settings: &OfferSettings,
) -> Vec<Offer> {
    if settings.off {
        return Vec::new();
    }
    let mut out: Vec<Offer> = Vec::new();
    for rule in &rules.policy {
        for person in people(rules, rule, facts, applications, today) {
            if claimed(rule, &person, applications) {
                continue;
            }
            let id = offer_id(&rule.event, &person);
            if settings.dismissed.contains(&id) {
                continue;
            }
            let offer = make_offer(rules, rule, &person, id);
            match out.iter_mut().find(|o| o.id == offer.id) {
                Some(o) => merge(o, offer),
                None => out.push(offer),
            }
        }
    }
    out
}

fn people<'a>(
    rules: &'a PolicyRules,
    rule: &PolicyRule,
    facts: &'a Facts,
    applications: &'a [ApplicationFact],
    today: NaiveDate,
) -> Vec<Person<'a>> {
    let under = |birth: NaiveDate, limit: Option<u32>| under_age(birth, limit, today);
    match &rule.when {
        When::Member(c) => {
            let Some(household) = &facts.household else {
                return Vec::new();
            };
            household
                .members
                .iter()
                .filter(|m| member_fits(c, m, today))
                .filter(|m| c.holds.as_deref().is_none_or(|kind| holds(facts, m, kind)))
                .map(|m| Person {
                    name: m.name.clone(),
                    birth_date: m.birth_date,
                    id_number: certificates(facts, &m.sub)
                        .first()
                        .map(|c| c.holder_id_number.clone()),
                    application: None,
                    retirement: None,
                })
                .collect()
        }
        When::FinishedApplication {
            event,
            name_field,
            birth_date_field,
            under_age_years,
        } => applications
            .iter()
            .filter(|a| &a.event_id == event && a.finished && !a.withdrawn)
            .filter_map(|a| {
                let name = a.fields.get(name_field)?.trim();
                let birth =
                    NaiveDate::parse_from_str(a.fields.get(birth_date_field)?, "%Y-%m-%d").ok()?;
                (!name.is_empty() && under(birth, *under_age_years)).then(|| Person {
                    name: name.to_string(),
                    birth_date: birth,
                    id_number: None,
                    application: Some(a),
                    retirement: None,
                })
            })
            .collect(),
        When::RetirementAge { within_months } => {
            let r = &facts.resident;
            let Ok(id) = IdNumber::parse(&r.id_number, today) else {
                return Vec::new();
            };
            let sex = if id.is_male() { "male" } else { "female" };
            let Some(until) = today.checked_add_months(Months::new(*within_months)) else {
                return Vec::new();
            };
            let birth = id.birth_date();
            rules
                .retirement_age
                .iter()
                .filter(|line| line.sex == sex)
                .find_map(|line| {
                    let age = statutory_age(line, birth)?;
                    let date = retirement_date(line, birth)?;
                    (today <= date && date <= until).then_some((line, age, date))
                })
                .map(|retirement| Person {
                    name: r.name.clone(),
                    birth_date: birth,
                    id_number: Some(r.id_number.clone()),
                    application: None,
                    retirement: Some(retirement),
                })
                .into_iter()
                .collect()
        }
    }
}

/// The member is related and aged as `c` asks (what they hold aside).
pub(super) fn member_fits(c: &MemberCondition, m: &HouseholdMember, today: NaiveDate) -> bool {
    let related =
        c.relations.is_empty() || c.relations.iter().any(|r| relation(r) == Some(m.relation));
    related && under_age(m.birth_date, c.under_age_years, today)
}

/// Younger than `limit` full years today (born by today); no limit: anyone.
fn under_age(birth: NaiveDate, limit: Option<u32>, today: NaiveDate) -> bool {
    match limit {
        None => true,
        Some(n) => birth <= today && today.years_since(birth).is_some_and(|y| y < n),
    }
}

/// `self`, `child`, … as on the wire.
pub(super) fn relation(s: &str) -> Option<Relation> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

fn certificates<'a>(facts: &'a Facts, sub: &str) -> &'a [Certificate] {
    facts.certificates.get(sub).map_or(&[], Vec::as_slice)
}

/// Holds `kind`: a released certificate says so, or, for the disability
/// certificate, the household register's `disabled` mark (which means
/// holding one).
fn holds(facts: &Facts, member: &HouseholdMember, kind: &str) -> bool {
    certificates(facts, &member.sub)
        .iter()
        .any(|c| c.kind == kind)
        || (kind == "disability-certificate" && member.disabled)
}

fn claimed(rule: &PolicyRule, person: &Person, applications: &[ApplicationFact]) -> bool {
    let events: &[String] = if rule.claimed_by.is_empty() {
        std::slice::from_ref(&rule.event)
    } else {
        &rule.claimed_by
    };
    applications.iter().any(|a| {
        events.contains(&a.event_id)
            && !a.withdrawn
            && rule
                .claim_field
                .as_ref()
                .is_none_or(|f| a.fields.get(f).map(|v| v.trim()) == Some(person.name.as_str()))
    })
}

/// The same for the same event and person, whichever rule found them, and
/// no personal data in the clear.
fn offer_id(event: &str, person: &Person) -> String {
    let digest =
        crate::digest::sha256_hex(format!("{}|{}", person.name, person.birth_date).as_bytes());
    format!("{event}:{}", &digest[..16])
}

/// Shaped like an offer id (`{event}:{16 hex}`): what a dismissal may name.
/// A well-formed id of no current offer is still a valid dismissal (the
/// offer may come back tomorrow, and should stay away).
pub fn is_offer_id(id: &str) -> bool {
    let Some((event, digest)) = id.split_once(':') else {
        return false;
    };
    let event_ok = !event.is_empty()
        && event.len() <= 64
        && event
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let digest_ok = digest.len() == 16
        && digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    event_ok && digest_ok
}

fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn render(t: &Text, person: &Person) -> Text {
    let mut zh =
        t.zh.replace("{name}", &person.name)
            .replace("{birth_date}", &chinese_date(person.birth_date));
    let mut en =
        t.en.replace("{name}", &person.name)
            .replace("{birth_date}", &person.birth_date.to_string());
    if let Some((line, age, date)) = person.retirement {
        let age = age.text();
        zh = zh
            .replace("{date}", &chinese_date(date))
            .replace("{line}", &line.label.zh)
            .replace("{age}", &age.zh);
        en = en
            .replace("{date}", &date.to_string())
            .replace("{line}", &line.label.en)
            .replace("{age}", &age.en);
    }
    Text { zh, en }
}

fn fact(from: &str, person: &Person) -> Option<String> {
    match from {
        "person.name" => Some(person.name.clone()),
        "person.birth_date" => Some(person.birth_date.to_string()),
        "person.id_number" => person.id_number.clone(),
        _ => {
            let key = from.strip_prefix("application.")?;
            person.application?.fields.get(key).cloned()
        }
    }
}

fn make_offer(rules: &PolicyRules, rule: &PolicyRule, person: &Person, id: String) -> Offer {
    let mut prefill = Prefill::default();
    for p in &rule.prefill {
        let value = match (&p.from, &p.value) {
            (Some(from), _) => fact(from, person).map(Scalar::Text),
            (None, Some(v)) => Some(v.clone()),
            (None, None) => None,
        };
        let Some(value) = value else { continue };
        if let Some(field) = &p.field {
            let text = match value {
                Scalar::Text(s) => s,
                Scalar::Bool(b) => b.to_string(),
                Scalar::Number(n) => n.to_string(),
            };
            prefill.fields.insert(field.clone(), text);
        } else if let Some(question) = &p.answer {
            let answer = match value {
                Scalar::Text(s) => Answer::Text(s),
                Scalar::Bool(b) => Answer::Bool(b),
                Scalar::Number(n) => Answer::Number(n),
            };
            prefill.answers.insert(question.clone(), answer);
        }
    }
    Offer {
        id,
        event_id: rule.event.clone(),
        rules: vec![rule.id.clone()],
        headline: render(&rule.headline, person),
        based_on: vec![render(&rule.based_on, person)],
        prefill,
        sources: rule
            .sources
            .iter()
            .filter_map(|i| rules.sources.get(*i).cloned())
            .collect(),
    }
}

/// A second rule found the same offer: keep the first words, add the reason
/// and whatever the first could not fill in.
fn merge(into: &mut Offer, other: Offer) {
    into.rules.extend(other.rules);
    for b in other.based_on {
        if !into.based_on.contains(&b) {
            into.based_on.push(b);
        }
    }
    for (k, v) in other.prefill.answers {
        into.prefill.answers.entry(k).or_insert(v);
    }
    for (k, v) in other.prefill.fields {
        into.prefill.fields.entry(k).or_insert(v);
    }
    for s in other.sources {
        if !into.sources.contains(&s) {
            into.sources.push(s);
        }
    }
}

#[cfg(test)]
mod tests;
