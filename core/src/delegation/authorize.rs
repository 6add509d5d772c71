//! The one decision: may this actor do this for this principal, now?

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Delegation, DelegationState, Relationship, Validity, Way};
use crate::catalog::{Audience, Event, Text};
use crate::message::china_time;
use crate::platform::{HouseholdMember, Relation};

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Submit,
    /// 补正, or a deferred material provided later.
    Correct,
    Withdraw,
    Rate,
    ReadAttachments,
    ReleaseCertificates,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Submit => "submit",
            Action::Correct => "correct",
            Action::Withdraw => "withdraw",
            Action::Rate => "rate",
            Action::ReadAttachments => "read_attachments",
            Action::ReleaseCertificates => "release_certificates",
        }
    }
}

/// One stored application of the principal.
#[derive(Debug, Clone, Copy)]
pub struct ApplicationRef<'a> {
    pub id: &'a str,
    pub event: &'a Event,
    /// The delegation an agent made it under, if any.
    pub made_under: Option<&'a str>,
}

/// What the action is on.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The principal's lists (applications, messages, uploads) and new
    /// uploads: any standing reaches them; each entry is then asked about
    /// on its own.
    Lists,
    /// The principal's own data: their identity for prefill, their household.
    Person,
    /// A new application (or certificates released) for this event.
    Event(&'a Event),
    /// One stored application.
    Application(ApplicationRef<'a>),
}

impl Target<'_> {
    /// The event the action is about, if it is about one.
    pub fn event(&self) -> Option<&Event> {
        match self {
            Target::Event(e) => Some(e),
            Target::Application(a) => Some(a.event),
            _ => None,
        }
    }
}

/// What the edge knows about the actor and the principal.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standing<'a> {
    /// Delegations between the two, in any state (others are ignored).
    pub delegations: &'a [Delegation],
    /// The principal as the actor's household register lists them
    /// (relation seen from the actor), if it does.
    pub household: Option<&'a HouseholdMember>,
    /// The principal is a business's legal representative.
    pub principal_is_legal_representative: bool,
}

/// On what grounds the actor may act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Authority {
    /// The actor is the principal.
    Own,
    /// A parent for a minor child, up to and including `until` (the day
    /// before the 18th birthday).
    Guardian { until: NaiveDate },
    /// A delegation; `pending`: a paper mandate not yet verified.
    Delegated {
        delegation: String,
        relationship: Relationship,
        way: Way,
        #[serde(default)]
        pending: bool,
    },
}

impl Authority {
    /// What the actor is to the principal, when it is someone else.
    pub fn relationship(&self) -> Option<Relationship> {
        match self {
            Authority::Own => None,
            Authority::Guardian { .. } => Some(Relationship::Parent),
            Authority::Delegated { relationship, .. } => Some(*relationship),
        }
    }

    pub fn delegation(&self) -> Option<&str> {
        match self {
            Authority::Delegated { delegation, .. } => Some(delegation),
            _ => None,
        }
    }

    pub fn is_own(&self) -> bool {
        matches!(self, Authority::Own)
    }
}

/// Why the actor may not: each with words for them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no delegation and no guardianship")]
    NoStanding,
    #[error("the principal has not approved yet")]
    NotYetApproved,
    #[error("the delegation was revoked")]
    Revoked,
    #[error("the delegation expired on {on}")]
    Expired { on: NaiveDate },
    #[error("the child came of age on {on}")]
    GuardianshipEnded { on: NaiveDate },
    #[error("the delegation does not cover this event")]
    OutOfScope { event: Text },
    #[error("a business event needs the legal representative's authorisation")]
    BusinessEvent { event: Text },
    #[error("the paper mandate is not verified yet")]
    MandatePending,
    #[error("the one-application delegation was used already")]
    Used,
    #[error("the delegation is for another application")]
    NotThisApplication,
}

impl Refusal {
    /// Stable, for the app to act on (`delegation_revoked`: keep the draft, say why).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoStanding => "no_delegation",
            Refusal::NotYetApproved => "delegation_requested",
            Refusal::Revoked => "delegation_revoked",
            Refusal::Expired { .. } => "delegation_expired",
            Refusal::GuardianshipEnded { .. } => "guardianship_ended",
            Refusal::OutOfScope { .. } => "out_of_scope",
            Refusal::BusinessEvent { .. } => "business_event",
            Refusal::MandatePending => "mandate_pending",
            Refusal::Used => "delegation_used",
            Refusal::NotThisApplication => "not_this_application",
        }
    }

    /// The refusal is about the resource, not the person: a stored
    /// application the actor may not see at all (the edge answers 404, as
    /// for one that does not exist).
    pub fn hides_resource(&self) -> bool {
        matches!(
            self,
            Refusal::OutOfScope { .. }
                | Refusal::BusinessEvent { .. }
                | Refusal::NotThisApplication
        )
    }

    pub fn message(&self) -> Text {
        let day = |d: &NaiveDate| {
            (
                d.format("%Y年%-m月%-d日").to_string(),
                d.format("%-d %B %Y").to_string(),
            )
        };
        match self {
            Refusal::NoStanding => Text::new(
                "您没有得到这位家人的授权，不能替他（她）办理。请先请对方授权。",
                "You have no authorisation from this person, so you cannot act for them. Ask them to authorise you first.",
            ),
            Refusal::NotYetApproved => Text::new(
                "对方还没有同意您的授权申请。请对方在自己的账号里同意，或把短信里的6位验证码告诉您。",
                "They have not approved your request yet. Ask them to approve it in their own account, or to read you the 6-digit code from their text message.",
            ),
            Refusal::Revoked => Text::new(
                "对方已经撤销了给您的授权，您不能再替他（她）办理。您填写的内容还保存在手机上。",
                "They have revoked your authorisation, so you can no longer act for them. What you entered is still saved on this phone.",
            ),
            Refusal::Expired { on } => {
                let (zh, en) = day(on);
                Text::new(
                    format!("给您的授权已经在{zh}到期，不能再替对方办理。如需继续，请重新请对方授权。您填写的内容还保存在手机上。"),
                    format!("Your authorisation ended on {en}, so you can no longer act for them. Ask them to authorise you again. What you entered is still saved on this phone."),
                )
            }
            Refusal::GuardianshipEnded { on } => {
                let (zh, en) = day(on);
                Text::new(
                    format!("孩子已在{zh}年满18周岁，父母不能再以监护人身份替他（她）办理。请孩子本人办理，或请他（她）给您授权。"),
                    format!("Your child turned 18 on {en}, so parents can no longer act for them as guardians. They can apply themselves, or authorise you."),
                )
            }
            Refusal::OutOfScope { event } => Text::new(
                format!("对方给您的授权里没有「{}」这件事。如需办理，请对方增加授权。", event.zh),
                format!("Your authorisation does not include \u{201c}{}\u{201d}. Ask them to authorise it too.", event.en),
            ),
            Refusal::BusinessEvent { event } => Text::new(
                format!("「{}」是企业办的事，家人不能代办；要由企业的法定代表人授权，而且这件事要允许代办。", event.zh),
                format!("\u{201c}{}\u{201d} is a business matter that family members cannot do for someone; it needs the business's legal representative's authorisation, where the matter allows it.", event.en),
            ),
            Refusal::MandatePending => Text::new(
                "纸质授权委托书还在等部门核验。核验通过前，只能提交第一件申请并查看它的进度。",
                "The paper power of attorney is still being checked by the department. Until it is, you can only submit the first application and follow it.",
            ),
            Refusal::Used => Text::new(
                "这份授权只能办一次申请，已经用过了。如需再办，请对方重新授权。",
                "This authorisation was for one application, and it has been used. Ask them to authorise you again.",
            ),
            Refusal::NotThisApplication => Text::new(
                "这份授权只用于另一件申请。",
                "This authorisation is for another application.",
            ),
        }
    }

    /// How telling the refusal is, when several bases refuse: one about
    /// the target from a live basis beats one about the person.
    fn rank(&self) -> u8 {
        match self {
            Refusal::NoStanding => 0,
            Refusal::NotYetApproved => 1,
            Refusal::Revoked | Refusal::Expired { .. } => 2,
            Refusal::GuardianshipEnded { .. } => 3,
            _ => 4,
        }
    }
}

/// Parents act for their children until this age.
pub const GUARDIANSHIP_ENDS_AT_YEARS: u32 = 18;

/// The day a child born on `birth` turns 18 (a 29 February birthday is
/// reached on 1 March in a common year, as `years_since` counts): from that
/// day on, parents no longer act for them as guardians.
pub fn guardianship_ends(birth: NaiveDate) -> NaiveDate {
    let year = birth.year() + GUARDIANSHIP_ENDS_AT_YEARS as i32;
    birth
        .with_year(year)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 3, 1).expect("1 March exists every year"))
}

fn note(best: &mut Option<Refusal>, r: Refusal) {
    if best.as_ref().is_none_or(|b| r.rank() > b.rank()) {
        *best = Some(r);
    }
}

/// May a basis that covers `covers` reach `event`? A business event only
/// when the basis names it, the event accepts an agent and the principal is
/// a legal representative.
fn reach(event: &Event, named: bool, covers: bool, standing: &Standing) -> Result<(), Refusal> {
    if event.audience == Audience::Business {
        if named && event.accepts_agent && standing.principal_is_legal_representative {
            Ok(())
        } else {
            Err(Refusal::BusinessEvent {
                event: event.name.clone(),
            })
        }
    } else if covers {
        Ok(())
    } else {
        Err(Refusal::OutOfScope {
            event: event.name.clone(),
        })
    }
}

/// An active delegation, or a paper mandate not yet verified (`pending`).
fn delegation_allows(
    d: &Delegation,
    pending: bool,
    action: Action,
    target: &Target,
    standing: &Standing,
) -> Result<(), Refusal> {
    if let Some(event) = target.event() {
        let named =
            matches!(&d.scope, super::Scope::Events { events } if events.contains(&event.id));
        reach(event, named, d.scope.covers(event), standing)?;
    }
    // Only one application for a one-application delegation; only the
    // first (the one that carries it to the department) for a pending mandate.
    let single = pending || d.validity == Validity::OneApplication;
    let used = d.used_for.as_ref();
    match target {
        Target::Lists => Ok(()),
        Target::Person if pending => Err(Refusal::MandatePending),
        Target::Person => Ok(()),
        Target::Event(_) if pending && action != Action::Submit => Err(Refusal::MandatePending),
        Target::Event(e) => match used {
            Some(_) if single && action == Action::Submit => Err(if pending {
                Refusal::MandatePending
            } else {
                Refusal::Used
            }),
            // Certificates again for the same application's event (a correction).
            Some(u) if single && u.event != e.id => Err(Refusal::Used),
            _ => Ok(()),
        },
        Target::Application(a) => {
            let this =
                a.made_under == Some(d.id.as_str()) || used.is_some_and(|u| u.application == a.id);
            if single && !this {
                Err(Refusal::NotThisApplication)
            } else if pending && action != Action::Read {
                Err(Refusal::MandatePending)
            } else {
                Ok(())
            }
        }
    }
}

/// The one decision. `actor` and `principal` are identity provider
/// subjects; `now` decides expiry and the 18th birthday (by the date in China).
pub fn authorize(
    actor: &str,
    principal: &str,
    action: Action,
    target: &Target,
    standing: &Standing,
    now: DateTime<Utc>,
) -> Result<Authority, Refusal> {
    if actor == principal {
        return Ok(Authority::Own);
    }
    let today = china_time(now).date_naive();
    let mut best = None;
    if let Some(m) = standing
        .household
        .filter(|m| m.relation == Relation::Child && m.sub == principal)
    {
        let ends = guardianship_ends(m.birth_date);
        if today < ends {
            let reached = match target.event() {
                Some(event) => reach(event, false, true, standing),
                None => Ok(()),
            };
            match reached {
                Ok(()) => {
                    return Ok(Authority::Guardian {
                        until: ends.pred_opt().unwrap_or(ends),
                    })
                }
                Err(r) => note(&mut best, r),
            }
        } else {
            note(&mut best, Refusal::GuardianshipEnded { on: ends });
        }
    }
    let mut mine: Vec<&Delegation> = standing
        .delegations
        .iter()
        .filter(|d| d.principal == principal && d.agent == actor)
        .collect();
    // The newest first: its refusal is the one to tell among equals.
    mine.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    for d in mine {
        let pending = match d.state_at(now) {
            DelegationState::Revoked => {
                note(&mut best, Refusal::Revoked);
                continue;
            }
            // Its one application is done: used, rather than out of time.
            DelegationState::Expired if d.is_spent() => {
                note(&mut best, Refusal::Used);
                continue;
            }
            DelegationState::Expired => {
                note(&mut best, Refusal::Expired { on: d.expiry_day() });
                continue;
            }
            DelegationState::Requested if d.way != Way::Paper => {
                note(&mut best, Refusal::NotYetApproved);
                continue;
            }
            DelegationState::Requested => true,
            DelegationState::Active => false,
        };
        match delegation_allows(d, pending, action, target, standing) {
            Ok(()) => {
                return Ok(Authority::Delegated {
                    delegation: d.id.clone(),
                    relationship: d.relationship,
                    way: d.way,
                    pending,
                })
            }
            Err(r) => note(&mut best, r),
        }
    }
    Err(best.unwrap_or(Refusal::NoStanding))
}
