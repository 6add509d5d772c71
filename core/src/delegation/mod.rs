//! 家人代办: acting for someone else. A delegation is a principal's
//! permission for an agent to do some of their life events for a while;
//! guardianship is a parent's standing for a minor child, from the household
//! register, with no grant at all.
//!
//! [`authorize`] is the one function that decides whether an actor may do
//! an action for a principal on a target at a given time. Every edge
//! endpoint on a resident's path asks it (acting for oneself included), and
//! so does every app screen: nothing else decides. A refusal is a typed
//! [`Refusal`] with words for the resident.
//!
//! A business event is reached only for a principal who is a business's
//! legal representative; [`for_represented_business`] then holds the form
//! to a business they lead.
//!
//! [`Terms::check`] decides whether a new delegation may be made as asked;
//! [`consent`] holds the rules of the 6-digit consent code, [`audit`] the
//! entries both accounts see ("张伟（儿子）代您提交了 退休一件事").

pub mod api;
pub mod audit;
mod authorize;
mod business;
pub mod consent;
mod terms;

pub use authorize::{
    authorize, guardianship_ends, Action, ApplicationRef, Authority, Refusal, Standing, Target,
    GUARDIANSHIP_ENDS_AT_YEARS,
};
pub use business::for_represented_business;
pub use terms::{Terms, TermsError};

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::{Audience, Event, Text};
use crate::message::china_time;

/// What the agent is to the principal: "张伟 is 王秀英's 子女".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// 子女: the agent is the principal's son or daughter.
    Child,
    /// 配偶
    Spouse,
    /// 父母: the agent is the principal's father or mother.
    Parent,
    /// 兄弟姐妹
    Sibling,
    /// 其他亲属
    OtherRelative,
}

impl Relationship {
    pub const ALL: [Relationship; 5] = [
        Relationship::Child,
        Relationship::Spouse,
        Relationship::Parent,
        Relationship::Sibling,
        Relationship::OtherRelative,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Child => "child",
            Relationship::Spouse => "spouse",
            Relationship::Parent => "parent",
            Relationship::Sibling => "sibling",
            Relationship::OtherRelative => "other_relative",
        }
    }

    pub fn parse(s: &str) -> Option<Relationship> {
        Relationship::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The same pair seen from the other side: a child's parent.
    pub fn inverse(self) -> Relationship {
        match self {
            Relationship::Child => Relationship::Parent,
            Relationship::Parent => Relationship::Child,
            r => r,
        }
    }

    /// The word for someone who is this to the other ("儿子" for a male
    /// child); `male` unknown gives the word for either ("子女").
    pub fn word(self, male: Option<bool>) -> Text {
        use Relationship::*;
        let (zh, en) = match (self, male) {
            (Child, Some(true)) => ("儿子", "son"),
            (Child, Some(false)) => ("女儿", "daughter"),
            (Child, None) => ("子女", "child"),
            (Spouse, Some(true)) => ("丈夫", "husband"),
            (Spouse, Some(false)) => ("妻子", "wife"),
            (Spouse, None) => ("配偶", "spouse"),
            (Parent, Some(true)) => ("父亲", "father"),
            (Parent, Some(false)) => ("母亲", "mother"),
            (Parent, None) => ("父母", "parent"),
            (Sibling, Some(true)) => ("兄弟", "brother"),
            (Sibling, Some(false)) => ("姐妹", "sister"),
            (Sibling, None) => ("兄弟姐妹", "sibling"),
            (OtherRelative, _) => ("亲属", "relative"),
        };
        Text::new(zh, en)
    }

    /// The name of the relationship in a list to choose from ("其他亲属").
    pub fn label(self) -> Text {
        match self {
            Relationship::OtherRelative => Text::new("其他亲属", "Other relative"),
            r => {
                let w = r.word(None);
                let mut en = w.en;
                en[..1].make_ascii_uppercase();
                Text::new(w.zh, en)
            }
        }
    }
}

/// Which life events a delegation covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// These events only, by catalog id.
    Events { events: Vec<String> },
    /// Every personal event (never a business one).
    AllPersonal,
}

impl Scope {
    /// Does the scope name this event? A business event is never covered
    /// by `AllPersonal`; whether it may be delegated at all is
    /// [`authorize`]'s question.
    pub fn covers(&self, event: &Event) -> bool {
        match self {
            Scope::Events { events } => events.contains(&event.id),
            Scope::AllPersonal => event.audience == Audience::Personal,
        }
    }
}

/// How long a delegation lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Validity {
    /// Up to and including this day (China time), at most a year ahead.
    Until { until: NaiveDate },
    /// One application, until it is finished (and at most a year).
    OneApplication,
}

/// The longest a delegation may last.
pub const MAX_VALIDITY_MONTHS: u32 = 12;

/// A request the principal has not answered expires after this long (the
/// 6-digit code, read out in person, much sooner: [`consent::CODE_TTL`]).
pub const REQUEST_TTL: Duration = Duration::hours(24);

/// Where a delegation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationState {
    /// Asked for, not yet approved (a paper mandate: not yet verified).
    Requested,
    Active,
    Revoked,
    Expired,
}

impl DelegationState {
    pub fn as_str(self) -> &'static str {
        match self {
            DelegationState::Requested => "requested",
            DelegationState::Active => "active",
            DelegationState::Revoked => "revoked",
            DelegationState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<DelegationState> {
        [
            DelegationState::Requested,
            DelegationState::Active,
            DelegationState::Revoked,
            DelegationState::Expired,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }

    pub fn label(self) -> Text {
        match self {
            DelegationState::Requested => Text::new("等待同意", "Waiting for approval"),
            DelegationState::Active => Text::new("有效", "Active"),
            DelegationState::Revoked => Text::new("已撤销", "Revoked"),
            DelegationState::Expired => Text::new("已到期", "Expired"),
        }
    }
}

/// How the delegation came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    /// The agent asked; the principal approved in their own account or read
    /// the 6-digit code out to the agent.
    Consent,
    /// The principal granted it from their own account.
    Grant,
    /// A signed 授权委托书 uploaded by the agent; active once the department
    /// has verified it with the first application.
    Paper,
}

impl Way {
    pub fn as_str(self) -> &'static str {
        match self {
            Way::Consent => "consent",
            Way::Grant => "grant",
            Way::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Way> {
        [Way::Consent, Way::Grant, Way::Paper]
            .into_iter()
            .find(|w| w.as_str() == s)
    }
}

/// The application a one-application delegation (or a paper mandate's
/// first application) was used for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedFor {
    pub application: String,
    /// Its event's id.
    pub event: String,
    /// Every item of it finished: a one-application delegation ends.
    pub finished: bool,
}

/// One delegation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    pub id: String,
    /// Identity provider subjects.
    pub principal: String,
    pub agent: String,
    pub relationship: Relationship,
    pub scope: Scope,
    pub validity: Validity,
    /// As stored; [`Delegation::state_at`] is what counts.
    pub state: DelegationState,
    pub way: Way,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_for: Option<UsedFor>,
}

/// The end of `day` in China (the next midnight, UTC+8), as a UTC instant.
pub fn end_of_china_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    next.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        - Duration::hours(8)
}

impl Delegation {
    /// The last moment it can be used, if it has a fixed one.
    pub fn ends_at(&self) -> DateTime<Utc> {
        match &self.validity {
            Validity::Until { until } => end_of_china_day(*until),
            Validity::OneApplication => self
                .created_at
                .checked_add_months(Months::new(MAX_VALIDITY_MONTHS))
                .unwrap_or(self.created_at),
        }
    }

    /// Its state at `now`, whatever the stored state says: a period that
    /// ran out, a one-application delegation whose application is finished
    /// and a request nobody answered are expired from that moment on, even
    /// before anything writes it down.
    pub fn state_at(&self, now: DateTime<Utc>) -> DelegationState {
        match self.state {
            DelegationState::Revoked | DelegationState::Expired => self.state,
            _ if now >= self.ends_at() => DelegationState::Expired,
            DelegationState::Active
                if self.validity == Validity::OneApplication
                    && self.used_for.as_ref().is_some_and(|u| u.finished) =>
            {
                DelegationState::Expired
            }
            // A paper mandate waits for the department, however long it takes.
            DelegationState::Requested
                if self.way != Way::Paper && now >= self.created_at + REQUEST_TTL =>
            {
                DelegationState::Expired
            }
            s => s,
        }
    }

    /// The last day it is valid, for "有效期至 2027年1月1日" (`None` for one application).
    pub fn valid_until(&self) -> Option<NaiveDate> {
        match &self.validity {
            Validity::Until { until } => Some(*until),
            Validity::OneApplication => None,
        }
    }

    /// The day it expired or will expire, in China (a request nobody
    /// answered: the day it lapsed).
    pub fn expiry_day(&self) -> NaiveDate {
        let end = match self.state {
            DelegationState::Requested if self.way != Way::Paper => {
                self.ends_at().min(self.created_at + REQUEST_TTL)
            }
            _ => self.ends_at(),
        };
        china_time(end - Duration::seconds(1)).date_naive()
    }

    /// A one-application delegation whose application is finished.
    pub fn is_spent(&self) -> bool {
        self.validity == Validity::OneApplication
            && self.used_for.as_ref().is_some_and(|u| u.finished)
    }
}

#[cfg(test)]
mod tests;
