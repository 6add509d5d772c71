//! Acting for someone (家人代办): whom a request is for (the `X-Acting-For`
//! header names the principal by their owner id), and the one place the
//! edge asks core's `authorize` whether the signed-in resident may do an
//! action for them. Handlers never decide: they pass the action and its
//! target here and map the answer to a status (a resource the actor may not
//! see is a 404, a person they may not act for a 403 with a reason).

use std::cell::OnceCell;

use banshi_core::api::{owner_id, Basis, PrincipalView, ACTING_FOR_HEADER};
use banshi_core::catalog::{Audience, Catalog, Event};
use banshi_core::delegation::api::{banner, scope_text};
use banshi_core::delegation::audit::{AuditAction, Party, Person};
use banshi_core::delegation::Scope;
use banshi_core::delegation::{
    authorize, for_represented_business, Action, ApplicationRef, Authority, Delegation, Refusal,
    Relationship, Standing, Target,
};
use banshi_core::guide::FieldValues;
use banshi_core::mask;
use banshi_core::platform::Relation;
use banshi_core::platform::{Household, HouseholdMember, Representation};
use banshi_core::signature::constant_time_eq;
use banshi_core::validate::IdNumber;
use banshi_core::Text;
use chrono::{DateTime, Utc};
use worker::{Env, Request};

use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::handlers::auth;
use crate::http::{header, now};
use crate::platform;
use crate::store::{ApplicationRow, NewAudit, ResidentRow, SessionRow, Store};

/// The household register read from the identity provider is used this long.
const HOUSEHOLD_FRESH_MS: i64 = 10 * 60 * 1000;

/// Local development and tests only: the instant a request is decided at
/// (`x-banshi-test-now`, ms), honoured only in local development
/// (`LOCAL_DEVELOPMENT = "1"`, as for the cron's run time) and with
/// `x-banshi-test-token` equal to the `CRON_TRIGGER_TOKEN` secret.
pub fn request_now(req: &Request, env: &Env) -> DateTime<Utc> {
    let real = now();
    let Some(at) = header(req, "x-banshi-test-now").and_then(|v| v.parse::<i64>().ok()) else {
        return real;
    };
    let local = env
        .var("LOCAL_DEVELOPMENT")
        .map(|v| v.to_string() == "1")
        .unwrap_or(false);
    let Ok(token) = env.secret("CRON_TRIGGER_TOKEN").map(|s| s.to_string()) else {
        return real;
    };
    let given = header(req, "x-banshi-test-token").unwrap_or_default();
    if !local || token.is_empty() || !constant_time_eq(given.as_bytes(), token.as_bytes()) {
        return real;
    }
    DateTime::from_timestamp_millis(at).unwrap_or(real)
}

/// A signed-in request, for the resident themself or for a principal.
pub struct Acting {
    /// Who is signed in and acts.
    pub actor: SessionRow,
    /// Whose data the request is about: the principal's identity with the
    /// actor's CSRF token (the actor's own session when not acting for anyone).
    pub session: SessionRow,
    /// When the request is decided.
    pub now: DateTime<Utc>,
    /// The principal's businesses, once asked in this request: deciding a
    /// business submission and holding its form to them ask only once.
    represents: OnceCell<Representation>,
}

impl Acting {
    pub fn is_own(&self) -> bool {
        self.actor.resident_id == self.session.resident_id
    }

    /// The principal's id (the resident's own when not acting for anyone).
    pub fn principal(&self) -> &str {
        &self.session.resident_id
    }

    /// The principal's businesses (`representation`), asked once per request.
    async fn representation(&self, env: &Env) -> EdgeResult<Representation> {
        if let Some(r) = self.represents.get() {
            return Ok(r.clone());
        }
        let r = representation(env, self.principal()).await?;
        Ok(self.represents.get_or_init(|| r).clone())
    }

    /// An agent's form for a business event must be about a business the
    /// principal leads (core's `for_represented_business`); a 422 on the
    /// credit-code field otherwise. The resident's own forms are not held to it.
    pub async fn hold_to_represented_business(
        &self,
        env: &Env,
        event: &Event,
        fields: &FieldValues,
    ) -> EdgeResult<()> {
        if self.is_own() || event.audience != Audience::Business {
            return Ok(());
        }
        let theirs = self.representation(env).await?;
        for_represented_business(event, fields, &theirs).map_err(|e| EdgeError::Invalid(vec![e]))
    }

    /// Core's decision on `action` for the principal on `target`.
    async fn decide(
        &self,
        env: &Env,
        store: &Store,
        action: Action,
        target: &Target<'_>,
    ) -> EdgeResult<Result<Authority, Refusal>> {
        let (delegations, household) = if self.is_own() {
            (Vec::new(), None)
        } else {
            standing(env, store, &self.actor.resident_id, self.principal()).await?
        };
        let standing = Standing {
            delegations: &delegations,
            household: household.as_ref(),
            principal_is_legal_representative: !self.is_own()
                && match target.event() {
                    Some(e) if e.audience == Audience::Business => {
                        !self.representation(env).await?.enterprises.is_empty()
                    }
                    _ => false,
                },
        };
        Ok(authorize(
            &self.actor.resident_id,
            self.principal(),
            action,
            target,
            &standing,
            self.now,
        ))
    }

    /// Core's decision on `action` for the principal on `target`, with the
    /// refusal as an HTTP answer.
    pub async fn allow(
        &self,
        env: &Env,
        store: &Store,
        action: Action,
        target: &Target<'_>,
    ) -> EdgeResult<Authority> {
        self.decide(env, store, action, target)
            .await?
            .map_err(refused)
    }

    /// `allow` for one stored application of the principal.
    pub async fn allow_application(
        &self,
        env: &Env,
        store: &Store,
        catalog: &Catalog,
        action: Action,
        row: &ApplicationRow,
    ) -> EdgeResult<Authority> {
        let Some(event) = catalog.event(&row.event_id) else {
            // An application for an event since retired is read as it was
            // made (its snapshot) by its applicant; nobody else can be
            // measured against a scope for it, so it stays hidden from them.
            if self.is_own() {
                return self.allow(env, store, action, &Target::Lists).await;
            }
            return Err(EdgeError::NotFound);
        };
        let target = Target::Application(ApplicationRef {
            id: &row.id,
            event,
            made_under: row.delegation_id.as_deref(),
        });
        self.allow(env, store, action, &target).await
    }

    /// `allow` for a new application or certificates for `event`. Events
    /// are public, so every refusal is told with its reason (403).
    pub async fn allow_event(
        &self,
        env: &Env,
        store: &Store,
        action: Action,
        event: &Event,
    ) -> EdgeResult<Authority> {
        self.decide(env, store, action, &Target::Event(event))
            .await?
            .map_err(|r| EdgeError::Refused(r.code(), r.message()))
    }

    /// Write who did what for whom, when someone acted for the principal.
    pub async fn audit(
        &self,
        store: &Store,
        authority: &Authority,
        action: AuditAction,
        event: Option<&Event>,
        application_id: Option<&str>,
    ) -> EdgeResult<()> {
        let Some(relationship) = authority.relationship() else {
            return Ok(());
        };
        let principal = person(&self.session.name, &self.session.id_number);
        let agent = person(&self.actor.name, &self.actor.id_number);
        store
            .record_audit(&NewAudit {
                delegation_id: authority.delegation(),
                principal_id: self.principal(),
                agent_id: Some(&self.actor.resident_id),
                principal: &principal,
                agent: &agent,
                relationship,
                action,
                by: Party::Agent,
                event_id: event.map(|e| e.id.as_str()),
                application_id,
                what: event.map(|e| &e.name),
                at: self.now.timestamp_millis(),
            })
            .await
    }
}

/// Someone as the audit names them; the sex from their ID number, for
/// 儿子/女儿.
pub fn person(name: &str, id_number: &str) -> Person {
    Person {
        name: name.to_owned(),
        male: IdNumber::parse(id_number, chrono::NaiveDate::MAX)
            .ok()
            .map(|n| n.is_male()),
    }
}

/// A refusal as the actor is told it.
pub fn refused(r: Refusal) -> EdgeError {
    if r.hides_resource() {
        EdgeError::NotFound
    } else {
        EdgeError::Refused(r.code(), r.message())
    }
}

/// The signed-in resident, for what only they may do in their own account
/// (their delegations, reminders and settings): a request that acts for
/// someone else is refused with a reason, never answered for the actor
/// under the principal's banner.
pub async fn require_own(req: &Request, store: &Store, change: bool) -> EdgeResult<SessionRow> {
    let session = auth::require(req, store).await?;
    if change {
        auth::require_csrf(req, &session)?;
    }
    match header(req, ACTING_FOR_HEADER) {
        Some(h) if !h.trim().is_empty() && h.trim() != owner_id(&session.resident_id) => {
            Err(principal_only())
        }
        _ => Ok(session),
    }
}

/// The signed-in resident, and whom the request is for.
pub async fn require(req: &Request, env: &Env, store: &Store) -> EdgeResult<Acting> {
    let actor = auth::require(req, store).await?;
    let now = request_now(req, env);
    let wanted = header(req, ACTING_FOR_HEADER)
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty());
    let own = owner_id(&actor.resident_id);
    let Some(wanted) = wanted.filter(|w| *w != own) else {
        return Ok(Acting {
            session: actor.clone(),
            actor,
            now,
            represents: OnceCell::new(),
        });
    };
    let principal = find_principal(env, store, &actor.resident_id, &wanted, now).await?;
    Ok(Acting {
        session: SessionRow {
            resident_id: principal.id,
            csrf_token: actor.csrf_token.clone(),
            name: principal.name,
            id_number: principal.id_number,
            phone: principal.phone,
        },
        actor,
        now,
        represents: OnceCell::new(),
    })
}

/// The person `owner` names among those the actor has any standing with
/// (a delegation in any state, or their household register); anyone else
/// is refused alike, so an owner id reveals nothing.
async fn find_principal(
    env: &Env,
    store: &Store,
    actor: &str,
    owner: &str,
    now: DateTime<Utc>,
) -> EdgeResult<ResidentRow> {
    for d in store.delegations_received(actor).await? {
        if owner_id(&d.principal_id) == owner {
            if let Some(r) = store.resident(&d.principal_id).await? {
                return Ok(r);
            }
        }
    }
    let members = household(env, store, actor).await?;
    if let Some(m) = members.iter().find(|m| owner_id(&m.sub) == owner) {
        let known = store.resident(&m.sub).await?;
        return match known {
            Some(r) => Ok(r),
            None => {
                let r = ResidentRow {
                    id: m.sub.clone(),
                    name: m.name.clone(),
                    id_number: m.id_number.clone().unwrap_or_default(),
                    phone: String::new(),
                };
                store.remember_resident(&r, now.timestamp_millis()).await?;
                Ok(r)
            }
        };
    }
    Err(refused(Refusal::NoStanding))
}

/// The actor's household register: as last read, or read again from the
/// identity provider when it is old.
pub async fn household(env: &Env, store: &Store, actor: &str) -> EdgeResult<Vec<HouseholdMember>> {
    // Read with the real clock: a test's `now` moves decisions, not the cache.
    let real = crate::http::now().timestamp_millis();
    if let Some((members, fetched)) = store.household_members(actor).await? {
        if real - fetched < HOUSEHOLD_FRESH_MS {
            return Ok(members);
        }
    }
    let members = idp_lookup::<Household>(env, "household", |p| p.household_path(actor))
        .await?
        .map(|h| h.members)
        .unwrap_or_default();
    store.replace_household(actor, &members, real).await?;
    Ok(members)
}

/// The businesses the market-regulation register lists `sub` as legal
/// representative of (at the identity provider). Read on every request
/// that needs it, never kept: a change of legal representative takes
/// effect at once.
pub async fn representation(env: &Env, sub: &str) -> EdgeResult<Representation> {
    Ok(idp_lookup(env, "enterprises", |p| p.enterprises_path(sub))
        .await?
        .unwrap_or_default())
}

/// A signed lookup about one resident at the identity provider (household,
/// enterprises): `None` when it knows nothing of them (404).
async fn idp_lookup<T: serde::de::DeserializeOwned>(
    env: &Env,
    what: &str,
    path: impl FnOnce(&Platforms) -> String,
) -> EdgeResult<Option<T>> {
    let platforms = Platforms::from_env(env)?;
    let answer = platform::get(
        &platforms.base_url,
        &path(&platforms),
        platform::Party {
            name: banshi_core::platform::IDP,
            key: &platforms.idp_client_secret,
        },
        platform::TIMEOUT,
    )
    .await?;
    match answer.status {
        404 => Ok(None),
        _ => answer
            .parse::<T>()
            .map(Some)
            .ok_or_else(|| EdgeError::Upstream(format!("{what}: {}", answer.status))),
    }
}

/// Whether the principal leads a business, asked of the register only when
/// the decision turns on it (a business event); `false` otherwise.
async fn leads_a_business_if_asked(
    env: &Env,
    principal: &str,
    event: Option<&Event>,
) -> EdgeResult<bool> {
    match event {
        Some(e) if e.audience == Audience::Business => {
            Ok(!representation(env, principal).await?.enterprises.is_empty())
        }
        _ => Ok(false),
    }
}

/// `leads_a_business_if_asked` for new terms: asked only when the scope
/// names a business event.
pub async fn leads_a_business_for_scope(
    env: &Env,
    catalog: &Catalog,
    principal: &str,
    scope: &Scope,
) -> EdgeResult<bool> {
    let business = match scope {
        Scope::Events { events } => events
            .iter()
            .filter_map(|id| catalog.event(id))
            .find(|e| e.audience == Audience::Business),
        Scope::AllPersonal => None,
    };
    leads_a_business_if_asked(env, principal, business).await
}

/// What core needs to decide: the delegations between the two (each told
/// whether the application it was used for is finished) and the principal
/// as the actor's household register lists them.
async fn standing(
    env: &Env,
    store: &Store,
    actor: &str,
    principal: &str,
) -> EdgeResult<(Vec<Delegation>, Option<HouseholdMember>)> {
    let catalog = Catalog::embedded();
    let mut delegations = Vec::new();
    for row in store.delegations_between(principal, actor).await? {
        let finished = match &row.used_for {
            Some(app) => match store.application_by_id(app).await? {
                Some(a) => store.application_finished(catalog, &a).await?,
                None => false,
            },
            None => false,
        };
        delegations.push(row.delegation(finished)?);
    }
    let member = household(env, store, actor)
        .await?
        .into_iter()
        .find(|m| m.sub == principal);
    Ok((delegations, member))
}

/// Whether `agent` may still read the application `id` at `at`, as core
/// decides (an agent's copy of a message about it is sent only then).
pub async fn agent_may_read(
    env: &Env,
    store: &Store,
    agent: &str,
    id: &str,
    at: DateTime<Utc>,
) -> EdgeResult<bool> {
    let Some(row) = store.application_by_id(id).await? else {
        return Ok(false);
    };
    let Some(event) = Catalog::embedded().event(&row.event_id) else {
        return Ok(false);
    };
    let (delegations, household) = standing(env, store, agent, &row.resident_id).await?;
    let standing = Standing {
        delegations: &delegations,
        household: household.as_ref(),
        principal_is_legal_representative: leads_a_business_if_asked(
            env,
            &row.resident_id,
            Some(event),
        )
        .await?,
    };
    let target = Target::Application(ApplicationRef {
        id: &row.id,
        event,
        made_under: row.delegation_id.as_deref(),
    });
    Ok(authorize(
        agent,
        &row.resident_id,
        Action::Read,
        &target,
        &standing,
        at,
    )
    .is_ok())
}

/// What the resident is to someone, for words: the relationship of the
/// authority, or `Other` for the resident's own.
pub fn relationship_of(a: &Authority) -> Relationship {
    a.relationship().unwrap_or(Relationship::OtherRelative)
}

/// A 403 in the resident's words for an action only the principal may do.
pub fn principal_only() -> EdgeError {
    EdgeError::Refused(
        "principal_only",
        Text::new(
            "这件事只能由本人在自己的账号里办理。",
            "Only the person themself can do this, in their own account.",
        ),
    )
}

/// Whom `actor` may act for at `now` (for the session): every principal of
/// a delegation they hold and every child in their household register, each
/// as core decides on the principal's lists.
pub async fn may_act_for(
    env: &Env,
    store: &Store,
    actor: &SessionRow,
    now: DateTime<Utc>,
) -> EdgeResult<Vec<PrincipalView>> {
    let catalog = Catalog::embedded();
    let mut candidates: Vec<ResidentRow> = Vec::new();
    for d in store.delegations_received(&actor.resident_id).await? {
        if !candidates.iter().any(|c| c.id == d.principal_id) {
            if let Some(r) = store.resident(&d.principal_id).await? {
                candidates.push(r);
            }
        }
    }
    // The register may be unreachable: delegations still count.
    let members = household(env, store, &actor.resident_id)
        .await
        .unwrap_or_default();
    for m in members.iter().filter(|m| m.relation == Relation::Child) {
        if !candidates.iter().any(|c| c.id == m.sub) {
            candidates.push(ResidentRow {
                id: m.sub.clone(),
                name: m.name.clone(),
                id_number: m.id_number.clone().unwrap_or_default(),
                phone: String::new(),
            });
        }
    }
    let mut views = Vec::new();
    for p in candidates {
        if p.id == actor.resident_id {
            continue;
        }
        let acting = Acting {
            actor: actor.clone(),
            session: SessionRow {
                resident_id: p.id.clone(),
                csrf_token: String::new(),
                name: p.name.clone(),
                id_number: p.id_number.clone(),
                phone: p.phone.clone(),
            },
            now,
            represents: OnceCell::new(),
        };
        let Ok(authority) = acting.allow(env, store, Action::Read, &Target::Lists).await else {
            continue;
        };
        let male = person(&p.name, &p.id_number).male;
        let (relationship, basis, delegation, scope, until, pending) = match &authority {
            Authority::Own => continue,
            Authority::Guardian { until } => (
                Relationship::Parent,
                Basis::Guardian,
                None,
                Scope::AllPersonal,
                *until,
                false,
            ),
            Authority::Delegated {
                delegation,
                relationship,
                pending,
                ..
            } => {
                let Some(row) = store.delegation(delegation).await? else {
                    continue;
                };
                let d = row.delegation(false)?;
                (
                    *relationship,
                    Basis::Delegation,
                    Some(delegation.clone()),
                    d.scope.clone(),
                    d.valid_until().unwrap_or_else(|| d.expiry_day()),
                    *pending,
                )
            }
        };
        let is = relationship.inverse().word(male);
        // Prefill is the principal's own data: only where core allows reading it.
        let prefill = match acting
            .allow(env, store, Action::Read, &Target::Person)
            .await
        {
            Ok(_) => [
                ("identity.name", &p.name),
                ("identity.id_number", &p.id_number),
                ("identity.phone", &p.phone),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect(),
            Err(_) => Default::default(),
        };
        views.push(PrincipalView {
            prefill,
            owner: owner_id(&p.id),
            name_masked: mask::name(&p.name),
            banner: banner(&is, &p.name),
            name: p.name,
            relationship,
            is,
            basis,
            delegation,
            scope_text: scope_text(catalog, &scope),
            scope,
            until,
            pending_verification: pending,
        });
    }
    Ok(views)
}
