//! What a new delegation may say: a scope of real events (a business event
//! only where the principal is its legal representative and the event
//! accepts an agent; a paper mandate only for events that accept one), a
//! period of at most a year, and never oneself.

use chrono::{Months, NaiveDate};

use super::{Relationship, Scope, Validity, Way, MAX_VALIDITY_MONTHS};
use crate::catalog::{Audience, Catalog, Text};
use crate::validate::FieldError;

/// A delegation as asked for, before it is stored.
#[derive(Debug, Clone)]
pub struct Terms<'a> {
    pub principal: &'a str,
    pub agent: &'a str,
    pub relationship: Relationship,
    pub scope: &'a Scope,
    pub validity: &'a Validity,
    pub way: Way,
    /// The principal is a business's legal representative (from the
    /// identity provider): only then may a business event be delegated.
    pub principal_is_legal_representative: bool,
}

/// Why a delegation cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    #[error("an agent cannot act for themself")]
    SelfDelegation,
    #[error("the scope names no event")]
    EmptyScope,
    #[error("unknown event {0}")]
    UnknownEvent(String),
    #[error("event {0} named twice")]
    RepeatedEvent(String),
    #[error("business event {0} cannot be delegated here")]
    BusinessEvent(String),
    #[error("event {0} does not accept a paper mandate")]
    PaperNotAccepted(String),
    #[error("a paper mandate must name its events")]
    PaperNeedsNamedEvents,
    #[error("the period ends in the past")]
    UntilInPast,
    #[error("the period is longer than a year (latest {0})")]
    TooLong(NaiveDate),
}

impl TermsError {
    /// The request field it is about.
    pub fn field(&self) -> &'static str {
        match self {
            TermsError::SelfDelegation => "principal_id_number",
            TermsError::UntilInPast | TermsError::TooLong(_) => "validity",
            _ => "scope",
        }
    }

    pub fn message(&self, catalog: &Catalog) -> Text {
        let name = |id: &str| {
            catalog
                .event(id)
                .map(|e| e.name.clone())
                .unwrap_or_else(|| Text::new(id, id))
        };
        match self {
            TermsError::SelfDelegation => Text::new(
                "不能授权给自己，自己的事直接办就可以",
                "You cannot authorise yourself; just apply in your own name",
            ),
            TermsError::EmptyScope => Text::new(
                "请选择要替对方办的事",
                "Choose what the other person may do for you",
            ),
            TermsError::UnknownEvent(id) => Text::new(
                format!("没有这件事：{id}"),
                format!("No such life event: {id}"),
            ),
            TermsError::RepeatedEvent(id) => {
                let n = name(id);
                Text::new(
                    format!("「{}」选了两次", n.zh),
                    format!("\u{201c}{}\u{201d} is chosen twice", n.en),
                )
            }
            TermsError::BusinessEvent(id) => {
                let n = name(id);
                Text::new(
                    format!("「{}」是企业办的事，只有企业的法定代表人才能授权别人代办，而且要这件事允许代办", n.zh),
                    format!("\u{201c}{}\u{201d} is a business matter: only the business's legal representative can authorise someone, and only where the matter allows it", n.en),
                )
            }
            TermsError::PaperNotAccepted(id) => {
                let n = name(id);
                Text::new(
                    format!("「{}」不接受纸质授权委托书，请让对方在自己的账号里同意授权", n.zh),
                    format!("\u{201c}{}\u{201d} does not accept a paper power of attorney; ask them to approve in their own account", n.en),
                )
            }
            TermsError::PaperNeedsNamedEvents => Text::new(
                "纸质授权委托书要写明办哪件事，请选择具体的事项",
                "A paper power of attorney must name the matters; choose them one by one",
            ),
            TermsError::UntilInPast => {
                Text::new("有效期不能早于今天", "The period cannot end before today")
            }
            TermsError::TooLong(latest) => Text::new(
                format!("授权最长一年，最晚到{}", latest.format("%Y年%-m月%-d日")),
                format!(
                    "An authorisation lasts at most a year: {} at the latest",
                    latest.format("%-d %b %Y")
                ),
            ),
        }
    }

    pub fn field_error(&self, catalog: &Catalog) -> FieldError {
        FieldError {
            field: self.field().to_owned(),
            message: self.message(catalog),
        }
    }
}

/// The last day a delegation starting `today` may run to.
pub fn latest_until(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_months(Months::new(MAX_VALIDITY_MONTHS))
        .unwrap_or(today)
}

impl Terms<'_> {
    /// Every reason the delegation cannot be made as asked (none: it can).
    pub fn check(&self, catalog: &Catalog, today: NaiveDate) -> Vec<TermsError> {
        let mut errors = Vec::new();
        if self.principal == self.agent {
            errors.push(TermsError::SelfDelegation);
        }
        match self.scope {
            Scope::AllPersonal if self.way == Way::Paper => {
                errors.push(TermsError::PaperNeedsNamedEvents)
            }
            Scope::AllPersonal => {}
            Scope::Events { events } if events.is_empty() => errors.push(TermsError::EmptyScope),
            Scope::Events { events } => {
                for (i, id) in events.iter().enumerate() {
                    if events[..i].contains(id) {
                        errors.push(TermsError::RepeatedEvent(id.clone()));
                        continue;
                    }
                    let Some(event) = catalog.event(id) else {
                        errors.push(TermsError::UnknownEvent(id.clone()));
                        continue;
                    };
                    if event.audience == Audience::Business
                        && !(event.accepts_agent && self.principal_is_legal_representative)
                    {
                        errors.push(TermsError::BusinessEvent(id.clone()));
                    }
                    if self.way == Way::Paper && !event.accepts_paper_mandate {
                        errors.push(TermsError::PaperNotAccepted(id.clone()));
                    }
                }
            }
        }
        if let Validity::Until { until } = self.validity {
            if *until < today {
                errors.push(TermsError::UntilInPast);
            } else if *until > latest_until(today) {
                errors.push(TermsError::TooLong(latest_until(today)));
            }
        }
        errors
    }
}
