//! The resident's actions on one item of their application: withdraw it
//! before 受理, resubmit it after 需补正 (its own fields and materials only),
//! and provide a deferred material (容缺) later.

use banshi_core::api::{ProvideMaterial, Provision, ProvisionKind, ResubmitItem};
use banshi_core::application::check_resubmission;
use banshi_core::catalog::Catalog;
use banshi_core::guide::{FieldValues, Profile};
use banshi_core::status::ItemStatus;
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use super::{check_attachments, own_application, own_item, view};
use crate::error::{EdgeError, EdgeResult};
use crate::http::{json, now, random_token, read_json, today_in_china};
use crate::intake::entry_for;
use crate::relay;
use crate::store::Store;
use banshi_core::delegation::audit::AuditAction;
use banshi_core::delegation::Action;

/// `POST /api/applications/{id}/items/{item}/withdraw`: withdraw one item
/// before the department accepts it. After 受理 the law's procedure applies
/// and the resident is told to contact the department instead.
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
    let too_late = || {
        EdgeError::Conflict(
            "cannot_withdraw",
            Text::new(
                "这一项部门已经受理，不能在网上撤回了。如需撤回，请联系办理部门或拨打12345。",
                "The department has already accepted this item, so it cannot be withdrawn online. Contact the department or call 12345.",
            ),
        )
    };
    let from = item.status;
    from.transition(ItemStatus::Withdrawn)
        .map_err(|_| too_late())?;
    let at = now();
    if item.relay_state == banshi_core::api::RelayState::Delivered {
        // The department has it: it must agree that it has not accepted yet.
        let link = crate::config::Platforms::from_env(env)?.department(env, &item.department)?;
        let body = serde_json::json!({ "external_id": item.id }).to_string();
        let key = format!("withdraw-{}", item.id);
        let answer = crate::platform::post(
            &link.adapter.withdraw_url(&item.id),
            &link.key,
            &key,
            body,
            std::time::Duration::from_millis(u64::from(link.adapter.timeout_ms)),
            at.timestamp_millis(),
        )
        .await?;
        match answer.status {
            200..=299 => {}
            409 => return Err(too_late()),
            status => {
                return Err(EdgeError::Upstream(format!(
                    "withdraw at {}: {status}",
                    item.department
                )))
            }
        }
    }
    let entry = entry_for(
        catalog,
        &row.event_id,
        &item.item_id,
        ItemStatus::Withdrawn,
        None,
        at,
        None,
    );
    if !store
        .resident_transition(
            &item.id,
            from,
            ItemStatus::Withdrawn,
            at.timestamp_millis(),
            &entry,
        )
        .await?
    {
        return Err(too_late());
    }
    acting
        .audit(
            store,
            &authority,
            AuditAction::Withdrew,
            catalog.event(&row.event_id),
            Some(&row.id),
        )
        .await?;
    Ok(json(&view(store, catalog, &row).await?, 200))
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
    let not_now = || {
        EdgeError::Conflict(
            "no_correction_requested",
            Text::new(
                "这一项现在不需要补正",
                "This item is not waiting for a correction",
            ),
        )
    };
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
        return Err(EdgeError::Conflict(
            "not_deferred",
            Text::new(
                "这份材料已经提交过了，不用再交",
                "This material has already been provided",
            ),
        ));
    }
    if item.status.is_terminal() {
        return Err(EdgeError::Conflict(
            "item_closed",
            Text::new(
                "这一项已经结束，不需要再补交材料",
                "This item is closed; nothing more is needed for it",
            ),
        ));
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
        return Err(EdgeError::Conflict(
            "not_deferred",
            Text::new(
                "这份材料已经提交过了，不用再交",
                "This material has already been provided",
            ),
        ));
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
