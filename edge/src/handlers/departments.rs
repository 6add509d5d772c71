//! `GET /api/departments/{department}/attachments/{id}`: a department fetches
//! the bytes of a page relayed to it with an item, with a GET signed with
//! its own key over the path. Only attachments relayed to that department
//! are served; anything else is a 404, as if it did not exist.

use banshi_core::catalog::Catalog;
use banshi_core::signature::{self, Signed, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use worker::{Env, Headers, Request, Response};

use crate::config::{Platforms, ATTACHMENTS};
use crate::error::{EdgeError, EdgeResult};
use crate::handlers::attachments::object_key;
use crate::http::{header, now};
use crate::store::Store;

pub async fn attachment(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    department: &str,
    id: &str,
) -> EdgeResult<Response> {
    if catalog.department(department).is_none() {
        return Err(EdgeError::NotFound);
    }
    let link = Platforms::from_env(env)?.department(env, department)?;
    let url = req.url()?;
    let path_and_query = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    signature::verify(
        link.key.as_bytes(),
        header(req, TIMESTAMP_HEADER).as_deref(),
        header(req, SIGNATURE_HEADER).as_deref(),
        &Signed {
            method: "GET",
            path: &path_and_query,
            party: department,
            body: b"",
        },
        now().timestamp(),
    )
    .map_err(|e| EdgeError::BadSignature(e.to_string()))?;
    let row = store
        .attachment_for_department(department, id)
        .await?
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
    headers.set("cache-control", "private, no-store")?;
    headers.set("etag", &format!("\"{}\"", row.sha256))?;
    Ok(Response::from_bytes(bytes)?.with_headers(headers))
}
