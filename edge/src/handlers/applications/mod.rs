//! `POST /api/applications` (idempotent), `GET /api/applications`,
//! `GET /api/applications/{id}`; the resident's actions on one item are in
//! `items`, 好差评 in `rating`. Every read is scoped to the signed-in
//! resident: someone else's application is a 404, not a 403.

mod items;
mod rating;

pub use items::{provide_material, resubmit, withdraw};
pub use rating::rate;

use std::collections::BTreeSet;

use banshi_core::actions::IdempotencyKey;
use banshi_core::api::{
    ActedBy, ApplicationList, ApplicationSummary, ApplicationView, Basis, ItemNotice, Provision,
    Reference, RelayState, SubmitApplication,
};
use banshi_core::application::check_submission;
use banshi_core::catalog::Catalog;
use banshi_core::delegation::audit::AuditAction;
use banshi_core::delegation::{Action, Authority, Target, Validity};
use banshi_core::guide::Profile;
use banshi_core::message::{render_notice, Notice};
use banshi_core::rating::RatingView;
use banshi_core::status::ItemStatus;
use banshi_core::tracking::{self, StoredApplication, StoredItem, StoredMaterial};
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use crate::acting::{self, person, Acting};
use crate::error::{EdgeError, EdgeResult};
use crate::handlers::auth;
use crate::http::{
    header, json, now, paged, random_token, read_json, sha256_hex, today_in_china, Page,
};
use crate::intake::entry_for;
use crate::relay;
use crate::store::{ApplicationRow, ItemRow, NewApplication, NewMaterial, Recorded, Store};

fn idempotency_key(req: &Request) -> EdgeResult<String> {
    let key = header(req, "idempotency-key").unwrap_or_default();
    Ok(IdempotencyKey::parse(&key)?.as_ref().to_owned())
}

fn key_reused() -> EdgeError {
    EdgeError::Conflict(
        "idempotency_key_reused",
        Text::new(
            "这次提交与之前的提交内容不同，请刷新页面后重新提交",
            "This key was already used for a different submission; reload the page and submit again",
        ),
    )
}

/// A fresh reference from the runtime's randomness.
fn new_reference() -> EdgeResult<Reference> {
    let mut random = [0u8; 8];
    getrandom::getrandom(&mut random).map_err(|e| EdgeError::Internal(format!("random: {e}")))?;
    Ok(Reference::generate(random))
}

/// Every uploaded page named by a provision must be the resident's own.
async fn check_attachments(
    store: &Store,
    resident_id: &str,
    materials: &std::collections::BTreeMap<String, Provision>,
) -> EdgeResult<()> {
    let wanted: Vec<String> = materials
        .values()
        .filter_map(|p| match p {
            Provision::Upload { attachments } => Some(attachments.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let found: BTreeSet<String> = store
        .own_attachments(resident_id, &wanted)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let missing: Vec<FieldError> = materials
        .iter()
        .filter(|(_, p)| match p {
            Provision::Upload { attachments } => attachments.iter().any(|a| !found.contains(a)),
            _ => false,
        })
        .map(|(id, _)| FieldError {
            field: format!("materials.{id}"),
            message: Text::new(
                "找不到上传的照片，请重新上传",
                "An uploaded photo could not be found; please upload it again",
            ),
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(EdgeError::Invalid(missing))
    }
}

pub async fn submit(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    auth::require_csrf(req, &acting.session)?;
    let session = &acting.session;
    let key = idempotency_key(req)?;
    let submission: SubmitApplication = read_json(req).await?;
    // The fingerprint of what was asked, canonical (maps are ordered), so a
    // replay with the same key but a different body is caught.
    let request_hash = sha256_hex(serde_json::to_string(&submission)?.as_bytes());
    // A replay is answered with what was stored, before any check: a retry
    // after midnight or after a catalog change must not become a 422. Who
    // acts for the principal must still be allowed to read it.
    if let Some(row) = store.submission(&session.resident_id, &key).await? {
        acting
            .allow_application(env, store, catalog, Action::Read, &row)
            .await?;
        return replayed(store, catalog, &row, &request_hash).await;
    }
    let event = catalog.event(&submission.event_id).ok_or_else(|| {
        EdgeError::from(banshi_core::application::SubmitError::UnknownEvent(
            submission.event_id.clone(),
        ))
    })?;
    let authority = acting
        .allow_event(env, store, Action::Submit, event)
        .await?;
    let releases = store
        .releases(&session.resident_id, &submission.event_id)
        .await?;
    let mut profile = Profile::new(today_in_china());
    profile.ecerts = releases.iter().map(|r| r.ecert.clone()).collect();
    let valid = check_submission(catalog, &submission, &profile)?;
    acting
        .hold_to_represented_business(env, event, &valid.fields)
        .await?;
    check_attachments(store, &session.resident_id, &valid.materials).await?;

    let submitted_at = now();
    let app_id = format!("A{}", random_token(12)?);
    let items: Vec<(String, &str, &str)> = valid
        .items
        .iter()
        .map(|i| {
            Ok((
                format!("I{}", random_token(12)?),
                i.id.as_str(),
                i.department.as_str(),
            ))
        })
        .collect::<EdgeResult<_>>()?;
    let first_entry = valid
        .items
        .iter()
        .map(|i| {
            entry_for(
                catalog,
                &valid.event.id,
                &i.id,
                ItemStatus::Submitted,
                None,
                submitted_at,
                None,
            )
        })
        .collect();
    let materials = valid
        .materials
        .iter()
        .map(|(id, p)| NewMaterial {
            material_id: id.clone(),
            provision: p.clone(),
            ecert: match p {
                Provision::Ecert { ecert } => releases
                    .iter()
                    .find(|r| &r.ecert == ecert)
                    .map(|r| (r.number.clone(), r.issuer.clone())),
                _ => None,
            },
        })
        .collect();
    let answers_json = serde_json::to_string(&valid.answers)?;
    let fields_json = serde_json::to_string(&valid.fields)?;
    let snapshot = valid.snapshot(catalog);
    let mut new = NewApplication {
        id: &app_id,
        reference: new_reference()?,
        resident_id: &session.resident_id,
        event_id: &valid.event.id,
        idempotency_key: &key,
        request_hash: &request_hash,
        answers_json: &answers_json,
        fields_json: &fields_json,
        snapshot: &snapshot,
        submitted_at: submitted_at.timestamp_millis(),
        items,
        first_entry,
        materials,
        acted_by: (!acting.is_own()).then_some(acting.actor.resident_id.as_str()),
        authority: (!acting.is_own())
            .then(|| serde_json::to_string(&authority))
            .transpose()?,
        delegation_id: authority.delegation(),
    };
    // A delegation for one application (or a paper mandate's first) is
    // claimed before the application is recorded: a second is refused.
    let claimed = match claim_single_use(store, &authority, &app_id, acting.now).await? {
        Some(claimed) => claimed,
        None => return Err(acting::refused(banshi_core::delegation::Refusal::Used)),
    };
    // 30^8 references: a collision is rare, and answered by drawing again.
    let mut tries = 0;
    let row = loop {
        match store.record_submission(&new).await? {
            Recorded::Created(row) => break row,
            Recorded::Replayed(row) => {
                if let Some(d) = &claimed {
                    store.release_claim(d, &app_id).await?;
                }
                return replayed(store, catalog, &row, &request_hash).await;
            }
            Recorded::ReferenceTaken if tries < 5 => {
                tries += 1;
                new.reference = new_reference()?;
            }
            Recorded::ReferenceTaken => {
                return Err(EdgeError::Internal("no free reference in 5 draws".into()))
            }
        }
    };
    acting
        .audit(
            store,
            &authority,
            AuditAction::Submitted,
            Some(valid.event),
            Some(&row.id),
        )
        .await?;
    let ids: Vec<String> = new.items.iter().map(|(id, _, _)| id.clone()).collect();
    // If the queue is briefly unavailable the items stay "queued" and the
    // sweeper (cron) enqueues them: the submission is already safe in D1.
    if let Err(e) = relay::enqueue(env, &ids, 0).await {
        worker::console_warn!("enqueue after submit: {e:?}");
    }
    Ok(json(&view(store, catalog, &row).await?, 201))
}

/// Claim the delegation `authority` names for `application_id` when it is
/// good for one application (or is a paper mandate not yet verified):
/// `Some(None)` when nothing needs claiming, `None` when another
/// application has it.
async fn claim_single_use(
    store: &Store,
    authority: &Authority,
    application_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> EdgeResult<Option<Option<String>>> {
    let Authority::Delegated {
        delegation,
        pending,
        ..
    } = authority
    else {
        return Ok(Some(None));
    };
    let Some(row) = store.delegation(delegation).await? else {
        return Ok(Some(None));
    };
    if !*pending && row.validity()? != Validity::OneApplication {
        return Ok(Some(None));
    }
    if store
        .claim_delegation(delegation, application_id, now.timestamp_millis())
        .await?
    {
        Ok(Some(Some(delegation.clone())))
    } else {
        Ok(None)
    }
}

/// The answer to a submission whose key was used before.
async fn replayed(
    store: &Store,
    catalog: &Catalog,
    row: &ApplicationRow,
    request_hash: &str,
) -> EdgeResult<Response> {
    if row.request_hash != request_hash {
        return Err(key_reused());
    }
    let resp = json(&view(store, catalog, row).await?, 200);
    resp.headers().set("idempotent-replayed", "true")?;
    Ok(resp)
}

pub async fn list(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    acting
        .allow(env, store, Action::Read, &Target::Lists)
        .await?;
    let page = Page::from(req)?;
    let rows = store
        .applications(acting.principal(), page.time_id()?, page.limit + 1)
        .await?;
    // The cursor follows the principal's whole list, so an agent's page
    // (only what core lets them read) may come back short.
    let (rows, next_cursor) = paged(rows, page.limit, ApplicationRow::cursor);
    let mut applications = Vec::new();
    for row in rows {
        // Someone acting for the principal sees only what core lets them read.
        if !acting.is_own()
            && acting
                .allow_application(env, store, catalog, Action::Read, &row)
                .await
                .is_err()
        {
            continue;
        }
        let v = view(store, catalog, &row).await?;
        applications.push(ApplicationSummary {
            id: v.id,
            reference: v.reference,
            event_id: v.event_id,
            event_name: v.event_name,
            submitted_at: v.submitted_at,
            overall: v.overall,
            acted_by: v.acted_by,
        });
    }
    Ok(json(
        &ApplicationList {
            applications,
            next_cursor,
        },
        200,
    ))
}

pub async fn get(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let (_, row, _) = own_application(req, env, store, catalog, id, Action::Read).await?;
    Ok(json(&view(store, catalog, &row).await?, 200))
}

/// The request's resident (or the principal they act for) and the
/// principal's application `id` — 404 when it is not the principal's (as
/// when it does not exist: no hint that it does) — once core allows
/// `action` on it. A change also checks the CSRF token.
async fn own_application(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
    action: Action,
) -> EdgeResult<(Acting, ApplicationRow, Authority)> {
    let acting = acting::require(req, env, store).await?;
    if action != Action::Read {
        auth::require_csrf(req, &acting.session)?;
    }
    let row = store
        .application(acting.principal(), id)
        .await?
        .ok_or(EdgeError::NotFound)?;
    let authority = acting
        .allow_application(env, store, catalog, action, &row)
        .await?;
    Ok((acting, row, authority))
}

/// For an action on one item: as `own_application`, and the item in it
/// (404 when it is not in it).
async fn own_item(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
    item_row: &str,
    action: Action,
) -> EdgeResult<(Acting, ApplicationRow, ItemRow, Authority)> {
    let (acting, row, authority) = own_application(req, env, store, catalog, id, action).await?;
    let item = store
        .items(&row.id)
        .await?
        .into_iter()
        .find(|i| i.id == item_row)
        .ok_or(EdgeError::NotFound)?;
    Ok((acting, row, item, authority))
}

/// "由 张伟（儿子）代办", when someone else made the application.
async fn acted_by(store: &Store, row: &ApplicationRow) -> EdgeResult<Option<ActedBy>> {
    let (Some(authority), Some(agent_id)) = (row.authority()?, row.acted_by.as_deref()) else {
        return Ok(None);
    };
    let (Some(agent), Some(principal)) = (
        store.resident(agent_id).await?,
        store.resident(&row.resident_id).await?,
    ) else {
        return Ok(None);
    };
    let basis = match authority {
        Authority::Guardian { .. } => Basis::Guardian,
        _ => Basis::Delegation,
    };
    Ok(Some(ActedBy::new(
        &agent.name,
        person(&agent.name, &agent.id_number).male,
        &principal.name,
        person(&principal.name, &principal.id_number).male,
        acting::relationship_of(&authority),
        basis,
    )))
}

/// The tracking view of one stored application (core builds it from the
/// application's own snapshot of the catalog).
async fn view(
    store: &Store,
    catalog: &Catalog,
    row: &ApplicationRow,
) -> EdgeResult<ApplicationView> {
    let d = store.application_details(&row.id).await?;
    let snapshot = row.snapshot(catalog, d.items.iter().map(|i| i.item_id.as_str()))?;
    let at = now().timestamp_millis();
    let mut items = Vec::with_capacity(d.items.len());
    for i in &d.items {
        // A held relay says why and until when, from the department's announcement.
        let mut notice = None;
        if i.relay_state == RelayState::Held {
            if let (Some(window), Some(snap)) = (
                store.maintenance_window_at(&i.department, at).await?,
                snapshot.item(&i.item_id),
            ) {
                notice = render_notice(
                    catalog.notices(),
                    &Notice::RelayHeld {
                        until: window.ends_at,
                        notice: window.notice.clone(),
                    },
                    &snap.name,
                    &snap.department_name,
                    None,
                )
                .map(|(title, body)| ItemNotice { title, body });
            }
        }
        items.push(StoredItem {
            id: i.id.clone(),
            item_id: i.item_id.clone(),
            status: i.status,
            relay: i.relay_state,
            due: i.due(),
            accepted_on: i.accepted_on(),
            timeline: d
                .timeline
                .iter()
                .filter(|t| t.item_row_id == i.id)
                .map(|t| t.entry())
                .collect(),
            notice,
            corrections: match d.corrections.iter().rfind(|c| c.item_row_id == i.id) {
                Some(c) => c.points()?,
                None => Vec::new(),
            },
            withdrawing: crate::withdraw::withdrawing(i.withdraw_state),
        });
    }
    let materials = d
        .materials
        .iter()
        .map(|m| {
            Ok(StoredMaterial {
                material_id: m.material_id.clone(),
                provision: m.provision()?,
                provided_at: m.provided_at(),
            })
        })
        .collect::<EdgeResult<_>>()?;
    let stored = StoredApplication {
        id: row.id.clone(),
        reference: row.reference(),
        event_id: row.event_id.clone(),
        submitted_at: row.submitted_at(),
        snapshot,
        fields: row.fields()?,
        items,
        materials,
        rating: d.rating.map(|r| RatingView {
            score: r.score.clamp(1, 5) as u8,
            comment: r.comment,
            relayed: r.relayed_at.is_some(),
            following_up: r.gave_up_at.is_some(),
        }),
        acted_by: acted_by(store, row).await?,
    };
    Ok(tracking::view(stored, catalog.calendar()))
}
