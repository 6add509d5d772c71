//! The resident's actions on one item of their application: withdraw it
//! before 受理, resubmit it after 需补正 (its own fields and materials only),
//! and provide a deferred material (容缺) later.

use banshi_core::actions::ItemActionError;
use banshi_core::api::{ProvideMaterial, Provision, ProvisionKind, ResubmitItem};
use banshi_core::application::check_resubmission;
use banshi_core::catalog::Catalog;
use banshi_core::delegation::audit::AuditAction;
use banshi_core::delegation::{Action, Authority};
use banshi_core::guide::{FieldValues, Profile};
use banshi_core::status::ItemStatus;
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use super::{check_attachments, own_application, own_item, view};
use crate::acting::Acting;
use crate::error::{EdgeError, EdgeResult};
use crate::http::{json, now, random_token, read_json, today_in_china};
use crate::intake::entry_for;
use crate::relay;
use crate::store::{ApplicationRow, Store};

/// `POST /api/applications/{id}/items/{item}/withdraw`: withdraw one item
/// before the department accepts it. No department can have it (no relay
/// attempt was made): withdrawn at once. Otherwise the department is asked
/// and must confirm first; if it does not answer, the withdrawal is retried
/// like a relay (202, `withdrawing`) and the relay is stopped meanwhile.
/// After 受理 the law's procedure applies and the resident is told whom to ask.
pub async fn withdraw(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
    item_row: &str,
) -> EdgeResult<Response> {
    let (acting, row, item, authority) =
        own_item(req, env, store, catalog, id, item_row, Action::Withdraw).await?;
    let from = item.status;
    from.transition(ItemStatus::Withdrawn)
        .map_err(|_| ItemActionError::CannotWithdraw)?;
    if crate::withdraw::withdrawing(item.withdraw_state) {
        return Err(ItemActionError::WithdrawalPending.into());
    }
    let at = now();
    let entry = entry_for(
        catalog,
        &row.event_id,
        &item.item_id,
        ItemStatus::Withdrawn,
        None,
        at,
        None,
    );
    let ms = at.timestamp_millis();
    if item.relay_attempts == 0 && store.withdraw_unsent(&item.id, from, ms, &entry).await? {
        audit_withdrawal(store, catalog, &acting, &authority, &row).await?;
        return Ok(json(&view(store, catalog, &row).await?, 200));
    }
    // A relay attempt was made (or is being made): the department may have it.
    if !store.begin_withdrawal(&item.id, from, ms).await? {
        return Err(ItemActionError::CannotWithdraw.into());
    }
    let status = match crate::withdraw::attempt(env, store, catalog, &item.id, ms).await? {
        Some(crate::withdraw::Outcome::Confirmed) => 200,
        Some(crate::withdraw::Outcome::TooLate) => {
            return Err(ItemActionError::CannotWithdraw.into())
        }
        Some(crate::withdraw::Outcome::NotYet(secs)) => {
            if let Err(e) =
                relay::enqueue_withdrawals(env, std::slice::from_ref(&item.id), secs).await
            {
                worker::console_warn!("enqueue a withdrawal: {e:?}");
            }
            202
        }
        Some(crate::withdraw::Outcome::FollowingUp) | None => 202,
    };
    audit_withdrawal(store, catalog, &acting, &authority, &row).await?;
    Ok(json(&view(store, catalog, &row).await?, status))
}

/// The agent's withdrawal in the audit, once it is made (at once, or asked
/// of the department and waiting for its answer).
async fn audit_withdrawal(
    store: &Store,
    catalog: &Catalog,
    acting: &Acting,
    authority: &Authority,
    row: &ApplicationRow,
) -> EdgeResult<()> {
    acting
        .audit(
            store,
            authority,
            AuditAction::Withdrew,
            catalog.event(&row.event_id),
            Some(&row.id),
        )
        .await
}

/// `POST /api/applications/{id}/items/{item}/resubmit`: after 需补正, send
/// corrected values and materials for that one item; the other items are
/// not touched, and a field or material of another item is refused.
pub async fn resubmit(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
    item_row: &str,
) -> EdgeResult<Response> {
    let (acting, row, item, authority) =
        own_item(req, env, store, catalog, id, item_row, Action::Correct).await?;
    let session = &acting.session;
    let body: ResubmitItem = read_json(req).await?;
    let not_now = || EdgeError::from(ItemActionError::NoCorrectionRequested);
    if item.status != ItemStatus::CorrectionRequired {
        return Err(not_now());
    }
    let event = catalog.event(&row.event_id).ok_or(EdgeError::NotFound)?;
    let snapshot = row.snapshot(catalog, [item.item_id.as_str()])?;
    let item_materials: Vec<String> = snapshot
        .item(&item.item_id)
        .map(|s| s.materials.iter().map(|m| m.id.clone()).collect())
        .unwrap_or_default();
    let mut profile = Profile::new(today_in_china());
    profile.ecerts = store
        .releases(&session.resident_id, &row.event_id)
        .await?
        .into_iter()
        .map(|r| r.ecert)
        .collect();
    let mut values: FieldValues = row.fields()?;
    let checked = check_resubmission(
        event,
        &item.item_id,
        &values,
        &body,
        &item_materials,
        &profile,
    )?;
    acting
        .hold_to_represented_business(env, event, &checked.fields)
        .await?;
    check_attachments(store, &session.resident_id, &checked.materials).await?;
    values.extend(checked.fields);
    let at = now();
    let entry = entry_for(
        catalog,
        &row.event_id,
        &item.item_id,
        ItemStatus::Submitted,
        None,
        at,
        None,
    );
    let materials: Vec<(String, Provision)> = checked.materials.into_iter().collect();
    if !store
        .resubmit(
            &row.id,
            &item.id,
            item.revision,
            &serde_json::to_string(&values)?,
            &materials,
            at.timestamp_millis(),
            &entry,
        )
        .await?
    {
        return Err(not_now());
    }
    if let Err(e) = relay::enqueue(env, std::slice::from_ref(&item.id), 0).await {
        worker::console_warn!("enqueue after resubmit: {e:?}");
    }
    acting
        .audit(
            store,
            &authority,
            AuditAction::Corrected,
            Some(event),
            Some(&row.id),
        )
        .await?;
    let row = store
        .application(&session.resident_id, id)
        .await?
        .ok_or(EdgeError::NotFound)?;
    Ok(json(&view(store, catalog, &row).await?, 200))
}

/// `POST /api/applications/{id}/items/{item}/materials/{material}`: a
/// material deferred at submission (容缺), provided now. Stored once, then
/// relayed as a supplement to every item of the application that needs it.
pub async fn provide_material(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
    item_row: &str,
    material_id: &str,
) -> EdgeResult<Response> {
    let (acting, row, item, authority) =
        own_item(req, env, store, catalog, id, item_row, Action::Correct).await?;
    let session = &acting.session;
    let body: ProvideMaterial = read_json(req).await?;
    let items = store.items(&row.id).await?;
    let snapshot = row.snapshot(catalog, items.iter().map(|i| i.item_id.as_str()))?;
    let needs = |item_id: &str| {
        snapshot
            .item(item_id)
            .is_some_and(|s| s.materials.iter().any(|m| m.id == material_id))
    };
    if !needs(&item.item_id) {
        return Err(EdgeError::NotFound);
    }
    let stored = store
        .materials(&row.id)
        .await?
        .into_iter()
        .find(|m| m.material_id == material_id)
        .ok_or(EdgeError::NotFound)?;
    if stored.provision()?.kind() != ProvisionKind::Deferred {
        return Err(ItemActionError::NotDeferred.into());
    }
    if item.status.is_terminal() {
        return Err(ItemActionError::ItemClosed.into());
    }
    let provision = Provision::Upload {
        attachments: body.attachments,
    };
    let count = match &provision {
        Provision::Upload { attachments } => attachments.len(),
        _ => 0,
    };
    if !(1..=banshi_core::api::MAX_PAGES_PER_MATERIAL).contains(&count) {
        return Err(EdgeError::Invalid(vec![FieldError {
            field: "attachments".into(),
            message: Text::new(
                format!(
                    "请上传1到{}页照片",
                    banshi_core::api::MAX_PAGES_PER_MATERIAL
                ),
                format!(
                    "Upload 1 to {} pages",
                    banshi_core::api::MAX_PAGES_PER_MATERIAL
                ),
            ),
        }]));
    }
    check_attachments(
        store,
        &session.resident_id,
        &[(material_id.to_owned(), provision.clone())].into(),
    )
    .await?;
    // Every open item that lists the material gets it (one document serves all).
    let supplements: Vec<(String, String)> = items
        .iter()
        .filter(|i| needs(&i.item_id) && !i.status.is_terminal())
        .map(|i| Ok((format!("S{}", random_token(12)?), i.id.clone())))
        .collect::<EdgeResult<_>>()?;
    let at = now().timestamp_millis();
    if !store
        .provide_deferred(&row.id, material_id, &provision, &supplements, at)
        .await?
    {
        return Err(ItemActionError::NotDeferred.into());
    }
    let ids: Vec<String> = supplements.into_iter().map(|(id, _)| id).collect();
    if let Err(e) = relay::enqueue_supplements(env, &ids, 0).await {
        worker::console_warn!("enqueue supplements: {e:?}");
    }
    acting
        .audit(
            store,
            &authority,
            AuditAction::ProvidedMaterial,
            catalog.event(&row.event_id),
            Some(&row.id),
        )
        .await?;
    let (_, row, _) = own_application(req, env, store, catalog, id, Action::Read).await?;
    Ok(json(&view(store, catalog, &row).await?, 200))
}
