//! `POST /api/applications` (idempotent), `GET /api/applications`,
//! `GET /api/applications/{id}`, and the resident's actions on one item
//! (withdraw, resubmit after 补正). Every read is scoped to the signed-in
//! resident: someone else's application is a 404, not a 403.

use banshi_core::api::{
    ApplicationList, ApplicationSummary, ApplicationView, EntryKind, ItemNotice, ItemView,
    RelayState, ResubmitItem, SubmitApplication, TimelineEntry,
};
use banshi_core::application::{check_resubmission, check_submission};
use banshi_core::calendar::Due;
use banshi_core::catalog::Catalog;
use banshi_core::guide::{FieldValues, Profile};
use banshi_core::message::{render_notice, Notice};
use banshi_core::rating::{can_rate, RateApplication, Rating, RatingView};
use banshi_core::status::{overall, ItemStatus};
use banshi_core::Text;
use chrono::{DateTime, NaiveDate, Utc};
use worker::{Env, Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::handlers::auth;
use crate::http::{header, json, now, random_token, read_json, sha256_hex, today_in_china};
use crate::intake::entry_for;
use crate::relay;
use crate::store::{ApplicationRow, ItemRow, NewApplication, NewRating, SessionRow, Store};

fn idempotency_key(req: &Request) -> EdgeResult<String> {
    let key = header(req, "idempotency-key").unwrap_or_default();
    let ok = (8..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(key)
    } else {
        Err(EdgeError::BadRequest(
            "idempotency_key_required",
            Text::new(
                "缺少或无效的 Idempotency-Key 请求头（8–128个字母、数字、-、_）",
                "An Idempotency-Key header is required: 8–128 letters, digits, - or _",
            ),
        ))
    }
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub async fn submit(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let session = auth::require(req, store).await?;
    auth::require_csrf(req, &session)?;
    let key = idempotency_key(req)?;
    let submission: SubmitApplication = read_json(req).await?;
    let profile = Profile::new(today_in_china());
    let valid = check_submission(catalog, &submission, &profile)?;

    // The fingerprint of what was asked, canonical (maps are ordered), so a
    // replay with the same key but a different body is caught.
    let request_hash = sha256_hex(serde_json::to_string(&submission)?.as_bytes());
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
    let answers_json = serde_json::to_string(&valid.answers)?;
    let fields_json = serde_json::to_string(&valid.fields)?;
    let new = NewApplication {
        id: &app_id,
        resident_id: &session.resident_id,
        event_id: &valid.event.id,
        idempotency_key: &key,
        request_hash: &request_hash,
        answers_json: &answers_json,
        fields_json: &fields_json,
        submitted_at: submitted_at.timestamp_millis(),
        items,
        first_entry,
    };
    let (row, created) = store.record_submission(&new).await?;
    if !created && row.request_hash != request_hash {
        return Err(EdgeError::Conflict(
            "idempotency_key_reused",
            Text::new(
                "这次提交与之前的提交内容不同，请刷新页面后重新提交",
                "This key was already used for a different submission; reload the page and submit again",
            ),
        ));
    }
    if created {
        let ids: Vec<String> = new.items.iter().map(|(id, _, _)| id.clone()).collect();
        // If the queue is briefly unavailable the items stay "queued" and the
        // sweeper (cron) enqueues them: the submission is already safe in D1.
        if let Err(e) = relay::enqueue(env, &ids, 0).await {
            worker::console_warn!("enqueue after submit: {e:?}");
        }
    }
    let view = view(store, catalog, &row).await?;
    let resp = json(&view, if created { 201 } else { 200 });
    if !created {
        resp.headers().set("idempotent-replayed", "true")?;
    }
    Ok(resp)
}

pub async fn list(req: &Request, store: &Store, catalog: &Catalog) -> EdgeResult<Response> {
    let session = auth::require(req, store).await?;
    let mut applications = Vec::new();
    for row in store.applications(&session.resident_id).await? {
        let v = view(store, catalog, &row).await?;
        applications.push(ApplicationSummary {
            id: v.id,
            reference: v.reference,
            event_id: v.event_id,
            event_name: v.event_name,
            submitted_at: v.submitted_at,
            overall: v.overall,
        });
    }
    Ok(json(&ApplicationList { applications }, 200))
}

pub async fn get(
    req: &Request,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let (_, row) = own_application(req, store, id, Access::Read).await?;
    Ok(json(&view(store, catalog, &row).await?, 200))
}

enum Access {
    Read,
    /// A state-changing request: the CSRF token is checked too.
    Change,
}

/// The signed-in resident and their application `id`, or 404 when it is
/// not theirs (as when it does not exist: no hint that it does).
async fn own_application(
    req: &Request,
    store: &Store,
    id: &str,
    access: Access,
) -> EdgeResult<(SessionRow, ApplicationRow)> {
    let session = auth::require(req, store).await?;
    if let Access::Change = access {
        auth::require_csrf(req, &session)?;
    }
    let row = store
        .application(&session.resident_id, id)
        .await?
        .ok_or(EdgeError::NotFound)?;
    Ok((session, row))
}

/// For an action on one item: the signed-in resident (CSRF checked), their
/// application and the item in it, or 404 when either is not theirs.
async fn own_item(
    req: &Request,
    store: &Store,
    id: &str,
    item_row: &str,
) -> EdgeResult<(SessionRow, ApplicationRow, ItemRow)> {
    let (session, row) = own_application(req, store, id, Access::Change).await?;
    let item = store
        .items(&row.id)
        .await?
        .into_iter()
        .find(|i| i.id == item_row)
        .ok_or(EdgeError::NotFound)?;
    Ok((session, row, item))
}

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
    let (_, row, item) = own_item(req, store, id, item_row).await?;
    let too_late = || {
        EdgeError::Conflict(
            "cannot_withdraw",
            Text::new(
                "这一项部门已经受理，不能在网上撤回了。如需撤回，请联系办理部门或拨打12345。",
                "The department has already accepted this item, so it cannot be withdrawn online. Contact the department or call 12345.",
            ),
        )
    };
    let from = ItemStatus::parse(&item.status).unwrap_or(ItemStatus::Submitted);
    from.transition(ItemStatus::Withdrawn)
        .map_err(|_| too_late())?;
    let at = now();
    if item.relay_state == "delivered" {
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
    Ok(json(&view(store, catalog, &row).await?, 200))
}

/// `POST /api/applications/{id}/items/{item}/resubmit`: after 需补正, send
/// corrected values for that one item; the other items are not touched.
pub async fn resubmit(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
    item_row: &str,
) -> EdgeResult<Response> {
    let (session, row, item) = own_item(req, store, id, item_row).await?;
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
    if ItemStatus::parse(&item.status) != Some(ItemStatus::CorrectionRequired) {
        return Err(not_now());
    }
    let event = catalog.event(&row.event_id).ok_or(EdgeError::NotFound)?;
    let mut values: FieldValues = serde_json::from_str(&row.fields)?;
    let checked = check_resubmission(
        event,
        &item.item_id,
        &values,
        &body,
        &[],
        &Profile::new(today_in_china()),
    )?;
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
    if !store
        .resubmit(
            &row.id,
            &item.id,
            &serde_json::to_string(&values)?,
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
    let row = store
        .application(&session.resident_id, id)
        .await?
        .ok_or(EdgeError::NotFound)?;
    Ok(json(&view(store, catalog, &row).await?, 200))
}

/// `POST /api/applications/{id}/rating`: 好差评 for a finished event, once.
/// The same rating sent again (a double tap, a retry) is answered as before.
pub async fn rate(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let (session, row) = own_application(req, store, id, Access::Change).await?;
    let input: RateApplication = read_json(req).await?;
    let rating = Rating::parse(&input).map_err(EdgeError::Invalid)?;
    if let Some(existing) = store.rating(&row.id).await? {
        if existing.score == i64::from(rating.score) && existing.comment == rating.comment {
            return Ok(json(&view(store, catalog, &row).await?, 200));
        }
        return Err(EdgeError::Conflict(
            "already_rated",
            Text::new(
                "这件事您已经评价过了，每件事只能评价一次",
                "You have already rated this; each application can be rated once",
            ),
        ));
    }
    if !view(store, catalog, &row).await?.can_rate {
        return Err(EdgeError::Conflict(
            "not_finished",
            Text::new(
                "这件事还没有全部办完，全部办完后再来评价",
                "Not every item is finished yet; you can rate it once they all are",
            ),
        ));
    }
    let at = now().timestamp_millis();
    let rating_id = format!("R{}", random_token(12)?);
    let created = store
        .record_rating(&NewRating {
            application_id: &row.id,
            id: &rating_id,
            resident_id: &session.resident_id,
            score: i64::from(rating.score),
            comment: &rating.comment,
            rated_at: at,
        })
        .await?;
    if created {
        if let Some(stored) = store.rating(&row.id).await? {
            // If the platform is down the cron relays it later; the rating is kept.
            if let Err(e) = crate::evaluation::relay(env, store, catalog, &stored, at).await {
                worker::console_warn!("rating relay: {e:?}");
            }
        }
    }
    Ok(json(
        &view(store, catalog, &row).await?,
        if created { 201 } else { 200 },
    ))
}

fn relay_state(s: &str) -> RelayState {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or(RelayState::Queued)
}

fn due(item: &ItemRow) -> Option<Due> {
    Some(Due {
        due: NaiveDate::parse_from_str(item.due_date.as_deref()?, "%Y-%m-%d").ok()?,
        estimated: item.due_estimated.unwrap_or(0) != 0,
    })
}

async fn view(
    store: &Store,
    catalog: &Catalog,
    row: &ApplicationRow,
) -> EdgeResult<ApplicationView> {
    let event = catalog.event(&row.event_id);
    let (items, timeline, rating) = store.application_details(&row.id).await?;
    let mut item_views: Vec<ItemView> = items
        .iter()
        .map(|i| {
            let status = ItemStatus::parse(&i.status).unwrap_or(ItemStatus::Submitted);
            let def = event.and_then(|e| e.item(&i.item_id));
            ItemView {
                id: i.id.clone(),
                item_id: i.item_id.clone(),
                name: def
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| Text::new(&i.item_id, &i.item_id)),
                department: catalog
                    .department(&i.department)
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| Text::new(&i.department, &i.department)),
                status,
                status_label: status.label(),
                relay: relay_state(&i.relay_state),
                time_limit_working_days: def.and_then(|d| d.time_limit_working_days),
                due: due(i),
                timeline: timeline
                    .iter()
                    .filter(|t| t.item_row_id == i.id)
                    .map(|t| TimelineEntry {
                        status: ItemStatus::parse(&t.status).unwrap_or(ItemStatus::Submitted),
                        at: millis(t.at),
                        title: Text::new(&t.title_zh, &t.title_en),
                        body: Text::new(&t.body_zh, &t.body_en),
                        kind: if t.kind == "notice" {
                            EntryKind::Notice
                        } else {
                            EntryKind::Status
                        },
                    })
                    .collect(),
                notice: None,
                materials: Vec::new(),
                corrections: Vec::new(),
            }
        })
        .collect();
    // A held relay says why and until when, from the department's announcement.
    let at = now().timestamp_millis();
    for (view, row) in item_views.iter_mut().zip(&items) {
        if view.relay != RelayState::Held {
            continue;
        }
        let Some(window) = store.maintenance_window_at(&row.department, at).await? else {
            continue;
        };
        let def = event.and_then(|e| e.item(&row.item_id));
        if let Some((title, body)) = def.and_then(|def| {
            render_notice(
                catalog.notices(),
                &Notice::RelayHeld {
                    until: window.ends_at,
                    notice: window.notice.clone(),
                },
                def,
                &view.department,
                None,
            )
        }) {
            view.notice = Some(ItemNotice { title, body });
        }
    }
    let overall = overall(
        items
            .iter()
            .zip(&item_views)
            .filter_map(|(i, v)| Some((event?.item(&i.item_id)?, v.status))),
    );
    let rating = rating.map(|r| RatingView {
        score: r.score.clamp(1, 5) as u8,
        comment: r.comment,
        relayed: r.relayed_at.is_some(),
    });
    Ok(ApplicationView {
        can_rate: rating.is_none() && can_rate(&overall),
        rating,
        id: row.id.clone(),
        // Until the edge stores an issued reference (A1): derived from the id.
        reference: banshi_core::api::Reference::generate(sha2_8(&row.id)),
        catalog_version: catalog.version().to_owned(),
        event_id: row.event_id.clone(),
        event_name: event
            .map(|e| e.name.clone())
            .unwrap_or_else(|| Text::new(&row.event_id, &row.event_id)),
        submitted_at: millis(row.submitted_at),
        overall,
        items: item_views,
        fields: serde_json::from_str(&row.fields)?,
    })
}

fn sha2_8(id: &str) -> [u8; 8] {
    let h = sha256_hex(id.as_bytes());
    let mut out = [0u8; 8];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap_or(0);
    }
    out
}
