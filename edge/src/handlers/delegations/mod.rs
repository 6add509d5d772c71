//! 家人代办: the delegations between residents — the lists (谁可以替我办理 /
//! 我可以替谁办理), the audit both sides see, and the principal's answers
//! (approve, decline, revoke). Asking, codes, grants and paper mandates are
//! in `ask`. These are always the signed-in resident's own: no one manages
//! delegations for someone else, so `X-Acting-For` is refused here.

mod ask;

pub use ask::{enter_code, grant, paper, request};

use banshi_core::api::{
    owner_id, AuditList, AuditView, CodeView, DelegationList, DelegationView, PersonView,
};
use banshi_core::catalog::Catalog;
use banshi_core::delegation::api::scope_text;
use banshi_core::delegation::audit::{render, AuditAction, Party, Viewer};
use banshi_core::delegation::consent::MAX_ATTEMPTS;
use banshi_core::delegation::{DelegationState, Way};
use banshi_core::{mask, Text};
use chrono::{DateTime, Utc};
use worker::{Env, Request, Response};

use crate::acting::{person, request_now, require_own as own};
use crate::error::{EdgeError, EdgeResult};
use crate::http::json;
use crate::store::{DelegationRow, NewAudit, SessionRow, Store};

/// One delegation as `viewer` sees it, as of `now`.
pub(crate) async fn view(
    store: &Store,
    catalog: &Catalog,
    row: &DelegationRow,
    viewer: Viewer,
    now: DateTime<Utc>,
) -> EdgeResult<DelegationView> {
    let d = row.delegation(false)?;
    let relationship = row.relationship()?;
    let agent_id_number = row
        .agent_real_id_number
        .as_deref()
        .or(row.agent_id_number.as_deref())
        .unwrap_or_default();
    let agent = person(row.agent_display_name(), agent_id_number);
    let principal = person(&row.principal_name, &row.principal_id_number);
    let state = d.state_at(now);
    let code = match (viewer, d.way, state) {
        (Viewer::Agent, Way::Consent, DelegationState::Requested) => {
            store.consent_code(&row.id).await?.map(|c| CodeView {
                expires_at: c.expires_at,
                attempts_left: MAX_ATTEMPTS.saturating_sub(c.attempts),
            })
        }
        _ => None,
    };
    Ok(DelegationView {
        id: row.id.clone(),
        role: viewer,
        principal: PersonView {
            owner: Some(owner_id(&row.principal_id)),
            name: row.principal_name.clone(),
            name_masked: mask::name(&row.principal_name),
        },
        agent: PersonView {
            owner: row.agent_id.as_deref().map(owner_id),
            name: row.agent_display_name().to_owned(),
            name_masked: mask::name(row.agent_display_name()),
        },
        relationship,
        agent_is: relationship.word(agent.male),
        principal_is: relationship.inverse().word(principal.male),
        scope_text: scope_text(catalog, &d.scope),
        scope: d.scope.clone(),
        validity: d.validity.clone(),
        valid_until: d.valid_until().unwrap_or_else(|| d.expiry_day()),
        state,
        state_label: state.label(),
        way: d.way,
        created_at: d.created_at,
        code,
        pending_verification: d.way == Way::Paper && state == DelegationState::Requested,
    })
}

/// `GET /api/delegations`
pub async fn list(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let me = own(req, store, false).await?;
    let now = request_now(req, env);
    expire_due(store, &me.resident_id, now).await?;
    let mut granted = Vec::new();
    for row in store.delegations_granted(&me.resident_id).await? {
        granted.push(view(store, catalog, &row, Viewer::Principal, now).await?);
    }
    let mut received = Vec::new();
    for row in store.delegations_received(&me.resident_id).await? {
        received.push(view(store, catalog, &row, Viewer::Agent, now).await?);
    }
    Ok(json(&DelegationList { granted, received }, 200))
}

/// Record, with an audit entry on both sides, the expiry of every active
/// delegation of the resident's (either side) whose period has run out by
/// `now`. Core already treats them as ended; this makes the record say so.
pub(crate) async fn expire_due(
    store: &Store,
    resident: &str,
    now: DateTime<Utc>,
) -> EdgeResult<()> {
    let mut rows = store.delegations_granted(resident).await?;
    rows.extend(store.delegations_received(resident).await?);
    for row in rows {
        if row.state()? == DelegationState::Active
            && row.delegation(false)?.state_at(now) == DelegationState::Expired
        {
            change_state(
                store,
                &row,
                &[DelegationState::Active],
                DelegationState::Expired,
                AuditAction::Expired,
                Party::System,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// `GET /api/delegations/audit`: both sides, newest first.
pub async fn audit(req: &Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let me = own(req, store, false).await?;
    expire_due(store, &me.resident_id, request_now(req, env)).await?;
    let entries = store
        .audit_of(&me.resident_id)
        .await?
        .into_iter()
        .filter_map(|row| {
            let role = if row.principal_id == me.resident_id {
                Viewer::Principal
            } else {
                Viewer::Agent
            };
            let Some(entry) = row.entry() else {
                worker::console_warn!("audit: unreadable row for {}", me.resident_id);
                return None;
            };
            Some(AuditView {
                at: entry.at,
                action: entry.action,
                role,
                text: render(&entry, role),
                event_id: row.event_id.clone(),
                application_id: row.application_id.clone(),
            })
        })
        .collect();
    Ok(json(&AuditList { entries }, 200))
}

/// The delegation `id` if the resident is on the `side` that may answer;
/// 404 otherwise (someone else's is not shown to exist).
async fn delegation_for(
    store: &Store,
    me: &SessionRow,
    id: &str,
    principal: bool,
    agent: bool,
) -> EdgeResult<DelegationRow> {
    let row = store.delegation(id).await?.ok_or(EdgeError::NotFound)?;
    let is_principal = principal && row.principal_id == me.resident_id;
    let is_agent = agent && row.agent_id.as_deref() == Some(me.resident_id.as_str());
    if is_principal || is_agent {
        Ok(row)
    } else {
        Err(EdgeError::NotFound)
    }
}

fn not_waiting() -> EdgeError {
    EdgeError::Conflict(
        "delegation_not_waiting",
        Text::new(
            "这份授权申请已经处理过了，或者已经过期。",
            "This request has already been answered, or it has lapsed.",
        ),
    )
}

/// Move `row` to `to` (from one of `from`, as of `now`) with its audit entry by `by`.
pub(crate) async fn change_state(
    store: &Store,
    row: &DelegationRow,
    from: &[DelegationState],
    to: DelegationState,
    action: AuditAction,
    by: Party,
    now: DateTime<Utc>,
) -> EdgeResult<bool> {
    let d = row.delegation(false)?;
    // Recording an expiry moves the stored state the clock already ended;
    // anything else must still be in `from` as of now.
    let current = match to {
        DelegationState::Expired => row.state()?,
        _ => d.state_at(now),
    };
    if !from.contains(&current) {
        return Ok(false);
    }
    let agent_id_number = row
        .agent_real_id_number
        .as_deref()
        .or(row.agent_id_number.as_deref())
        .unwrap_or_default();
    let principal = person(&row.principal_name, &row.principal_id_number);
    let agent = person(row.agent_display_name(), agent_id_number);
    store
        .set_delegation_state(
            &row.id,
            from,
            to,
            now.timestamp_millis(),
            &NewAudit {
                delegation_id: Some(&row.id),
                principal_id: &row.principal_id,
                agent_id: row.agent_id.as_deref(),
                principal: &principal,
                agent: &agent,
                relationship: row.relationship()?,
                action,
                by,
                event_id: None,
                application_id: None,
                what: None,
                at: now.timestamp_millis(),
            },
        )
        .await
}

/// `POST /api/delegations/{id}/approve`: the principal agrees in their own account.
pub async fn approve(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let me = own(req, store, true).await?;
    let now = request_now(req, env);
    let row = delegation_for(store, &me, id, true, false).await?;
    if row.way()? != Way::Consent
        || !change_state(
            store,
            &row,
            &[DelegationState::Requested],
            DelegationState::Active,
            AuditAction::Approved,
            Party::Principal,
            now,
        )
        .await?
    {
        return Err(not_waiting());
    }
    changed(store, catalog, id, Viewer::Principal, now).await
}

/// `POST /api/delegations/{id}/decline`: the principal says no to a request.
pub async fn decline(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let me = own(req, store, true).await?;
    let now = request_now(req, env);
    let row = delegation_for(store, &me, id, true, false).await?;
    if !change_state(
        store,
        &row,
        &[DelegationState::Requested],
        DelegationState::Revoked,
        AuditAction::Declined,
        Party::Principal,
        now,
    )
    .await?
    {
        return Err(not_waiting());
    }
    changed(store, catalog, id, Viewer::Principal, now).await
}

/// `POST /api/delegations/{id}/revoke` (撤销): the principal ends it, or the
/// agent gives it up. It takes effect on the very next request.
pub async fn revoke(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let me = own(req, store, true).await?;
    let now = request_now(req, env);
    let row = delegation_for(store, &me, id, true, true).await?;
    let (by, viewer) = if row.principal_id == me.resident_id {
        (Party::Principal, Viewer::Principal)
    } else {
        (Party::Agent, Viewer::Agent)
    };
    if !change_state(
        store,
        &row,
        &[DelegationState::Requested, DelegationState::Active],
        DelegationState::Revoked,
        AuditAction::Revoked,
        by,
        now,
    )
    .await?
    {
        return Err(EdgeError::Conflict(
            "delegation_ended",
            Text::new(
                "这份授权已经结束了，不用再撤销。",
                "This authorisation has already ended; there is nothing to revoke.",
            ),
        ));
    }
    changed(store, catalog, id, viewer, now).await
}

/// The answer to a change of a delegation: how it stands now, as `viewer` sees it.
pub(crate) async fn changed(
    store: &Store,
    catalog: &Catalog,
    id: &str,
    viewer: Viewer,
    now: DateTime<Utc>,
) -> EdgeResult<Response> {
    let row = store.delegation(id).await?.ok_or(EdgeError::NotFound)?;
    Ok(json(&view(store, catalog, &row, viewer, now).await?, 200))
}
