//! `POST /api/applications/{id}/rating`: 好差评 for a finished event, once.

use banshi_core::actions::ItemActionError;
use banshi_core::catalog::Catalog;
use banshi_core::rating::{RateApplication, Rating};
use worker::{Env, Request, Response};

use super::{own_application, view};
use crate::error::{EdgeError, EdgeResult};
use crate::http::{json, now, random_token, read_json};
use crate::store::{NewRating, Store};
use banshi_core::delegation::audit::AuditAction;
use banshi_core::delegation::Action;

/// The same rating sent again (a double tap, a retry) is answered as before.
pub async fn rate(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let (acting, row, authority) =
        own_application(req, env, store, catalog, id, Action::Rate).await?;
    let session = &acting.session;
    let input: RateApplication = read_json(req).await?;
    let rating = Rating::parse(&input).map_err(EdgeError::Invalid)?;
    if let Some(existing) = store.rating(&row.id).await? {
        if existing.score == i64::from(rating.score) && existing.comment == rating.comment {
            return Ok(json(&view(store, catalog, &row).await?, 200));
        }
        return Err(ItemActionError::AlreadyRated.into());
    }
    if !view(store, catalog, &row).await?.can_rate {
        return Err(ItemActionError::NotFinished.into());
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
        acting
            .audit(
                store,
                &authority,
                AuditAction::Rated,
                catalog.event(&row.event_id),
                Some(&row.id),
            )
            .await?;
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
