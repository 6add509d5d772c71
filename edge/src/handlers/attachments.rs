//! `POST /api/attachments` (a photo or PDF of a material), `GET
//! /api/attachments`, `GET /api/attachments/{id}`. The type is decided by the
//! bytes (core's `attachment::sniff`), never by the name or the claimed
//! type; the bytes live in R2 under the owner's id, and only the owner can
//! read them (anyone else gets 404, as for applications).

use banshi_core::actions::IdempotencyKey;
use banshi_core::api::{AttachmentList, AttachmentView};
use banshi_core::attachment::{self, AttachmentError, Kind, MAX_BYTES};
use banshi_core::delegation::{Action, Target};
use banshi_core::Text;
use chrono::DateTime;
use worker::{Env, Headers, HttpMetadata, Request, Response};

use crate::acting::{self, Acting};
use crate::config::ATTACHMENTS;
use crate::error::{EdgeError, EdgeResult};
use crate::handlers::auth;
use crate::http::{header, json, now, paged, random_token, read_body_limited, sha256_hex, Page};
use crate::store::{AttachmentRow, Store};

pub fn object_key(resident_id: &str, id: &str) -> String {
    format!("{resident_id}/{id}")
}

fn view(row: &AttachmentRow) -> EdgeResult<AttachmentView> {
    Ok(AttachmentView {
        id: row.id.clone(),
        name: row.name.clone(),
        content_type: row.content_type,
        size: row.size as u64,
        sha256: row.sha256.clone(),
        uploaded_at: DateTime::from_timestamp_millis(row.uploaded_at).unwrap_or_default(),
    })
}

/// An optional `Idempotency-Key`: the phone's outbox resends a photo with
/// the key it first sent it with.
fn idempotency_key(req: &Request) -> EdgeResult<Option<String>> {
    match header(req, "idempotency-key") {
        None => Ok(None),
        Some(key) => Ok(Some(IdempotencyKey::parse(&key)?.as_ref().to_owned())),
    }
}

/// The same key from the same resident answers the stored upload (200)
/// instead of keeping a second copy; the same key with other bytes is a 409.
fn replayed(row: &AttachmentRow, sha256: &str) -> EdgeResult<Response> {
    if row.sha256 != sha256 {
        return Err(EdgeError::Conflict(
            "idempotency_key_reused",
            Text::new(
                "这个上传编号已经用于另一张照片，请重新选择照片上传",
                "This key was already used for another file; choose the photo again",
            ),
        ));
    }
    let resp = json(&view(row)?, 200);
    resp.headers().set("idempotent-replayed", "true")?;
    Ok(resp)
}

/// Someone acting for the principal sees the pages they uploaded, never
/// the principal's others.
fn visible(acting: &Acting, a: &AttachmentRow) -> bool {
    acting.is_own() || a.uploaded_by.as_deref() == Some(acting.actor.resident_id.as_str())
}

/// `POST /api/attachments?name=身份证.jpg`, the raw bytes as the body.
pub async fn upload(req: &mut Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    auth::require_csrf(req, &acting.session)?;
    // Someone acting for the principal uploads into the principal's uploads.
    acting
        .allow(env, store, Action::Submit, &Target::Lists)
        .await?;
    let session = &acting.session;
    let key = idempotency_key(req)?;
    let name = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let bytes = read_body_limited(req, MAX_BYTES).await?;
    let kind = attachment::sniff(&bytes).map_err(|e| match e {
        AttachmentError::TooLarge => EdgeError::PayloadTooLarge(MAX_BYTES),
        AttachmentError::Empty => EdgeError::Unprocessable("empty_attachment", e.message()),
        AttachmentError::UnsupportedType => {
            EdgeError::Unsupported("unsupported_attachment", e.message())
        }
    })?;
    let sha256 = sha256_hex(&bytes);
    if let Some(key) = &key {
        if let Some(stored) = store.attachment_by_key(&session.resident_id, key).await? {
            return replayed(&stored, &sha256);
        }
    }
    let (count, used) = store.attachment_usage(&session.resident_id).await?;
    if count >= attachment::MAX_PER_RESIDENT
        || used + bytes.len() as u64 > attachment::MAX_BYTES_PER_RESIDENT
    {
        return Err(EdgeError::Conflict(
            "attachment_quota_reached",
            attachment::quota_message(),
        ));
    }
    let row = AttachmentRow {
        id: format!("F{}", random_token(12)?),
        resident_id: session.resident_id.clone(),
        name: attachment::clean_name(&name),
        content_type: kind,
        size: bytes.len() as i64,
        sha256,
        uploaded_at: now().timestamp_millis(),
        uploaded_by: (!acting.is_own()).then(|| acting.actor.resident_id.clone()),
    };
    // Bytes first: a row never points at a missing object. An object whose
    // row failed is an orphan under the owner's prefix, never shown to anyone.
    env.bucket(ATTACHMENTS)?
        .put(object_key(&row.resident_id, &row.id), bytes)
        .http_metadata(HttpMetadata {
            content_type: Some(kind.mime().to_owned()),
            ..Default::default()
        })
        .execute()
        .await?;
    let bucket = env.bucket(ATTACHMENTS)?;
    if !store.record_attachment(&row, key.as_deref()).await? {
        // Another request with this key won the race: keep only its copy.
        bucket.delete(object_key(&row.resident_id, &row.id)).await?;
        let stored = store
            .attachment_by_key(&session.resident_id, key.as_deref().unwrap_or_default())
            .await?
            .ok_or_else(|| EdgeError::Internal("keyed upload vanished".into()))?;
        return replayed(&stored, &row.sha256);
    }
    Ok(json(&view(&row)?, 201))
}

pub async fn list(req: &Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    acting
        .allow(env, store, Action::ReadAttachments, &Target::Lists)
        .await?;
    let page = Page::from(req)?;
    let rows = store
        .attachments(acting.principal(), page.time_id()?, page.limit + 1)
        .await?;
    // The cursor follows the principal's whole list; an agent's page holds
    // only what core lets them see, so it may come back short.
    let (rows, next_cursor) = paged(rows, page.limit, |a| format!("{}.{}", a.uploaded_at, a.id));
    let attachments = rows
        .iter()
        .filter(|a| visible(&acting, a))
        .map(view)
        .collect::<EdgeResult<_>>()?;
    Ok(json(
        &AttachmentList {
            attachments,
            next_cursor,
        },
        200,
    ))
}

/// A photo is shown in the page; anything else (a PDF) is downloaded, never
/// opened in our origin. The name is percent-encoded (RFC 6266/8187).
pub fn disposition(kind: Kind, name: &str) -> String {
    let how = match kind {
        Kind::Jpeg | Kind::Png | Kind::Webp => "inline",
        Kind::Pdf => "attachment",
    };
    let encoded: String = worker::url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("{how}; filename*=UTF-8''{encoded}")
}

/// The bytes, for their owner only, served so a browser never runs them:
/// the sniffed type, `nosniff`, and a sandboxing CSP.
pub async fn get(req: &Request, env: &Env, store: &Store, id: &str) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    acting
        .allow(env, store, Action::ReadAttachments, &Target::Lists)
        .await?;
    let row = store
        .attachment(acting.principal(), id)
        .await?
        .filter(|a| visible(&acting, a))
        .ok_or(EdgeError::NotFound)?;
    let object = env
        .bucket(ATTACHMENTS)?
        .get(object_key(&row.resident_id, &row.id))
        .execute()
        .await?
        .ok_or(EdgeError::NotFound)?;
    let bytes = object.body().ok_or(EdgeError::NotFound)?.bytes().await?;
    let kind = row.content_type;
    let headers = Headers::new();
    headers.set("content-type", kind.mime())?;
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("content-security-policy", "sandbox; default-src 'none'")?;
    headers.set("cache-control", "private, no-store")?;
    headers.set("etag", &format!("\"{}\"", row.sha256))?;
    headers.set("content-disposition", &disposition(kind, &row.name))?;
    Ok(Response::from_bytes(bytes)?.with_headers(headers))
}
