//! Request and response plumbing shared by the handlers: bounded JSON bodies,
//! cookies, random tokens, "now".

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response};

use crate::error::{EdgeError, EdgeResult};
use banshi_core::Text;

/// The largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

pub fn json<T: Serialize>(value: &T, status: u16) -> Response {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let headers = Headers::new();
    let _ = headers.set("content-type", "application/json; charset=utf-8");
    let _ = headers.set("cache-control", "no-store");
    Response::ok(body)
        .map(|r| r.with_status(status).with_headers(headers))
        .unwrap_or_else(|_| {
            Response::empty()
                .expect("an empty response")
                .with_status(500)
        })
}

pub fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// Read a request body, refusing anything over `MAX_JSON_BYTES`.
pub async fn read_body(req: &mut Request) -> EdgeResult<Vec<u8>> {
    read_body_limited(req, MAX_JSON_BYTES).await
}

/// Read a request body, refusing anything over `limit` (checked against
/// Content-Length first, then against what actually arrived).
pub async fn read_body_limited(req: &mut Request, limit: usize) -> EdgeResult<Vec<u8>> {
    if let Some(len) = header(req, "content-length").and_then(|l| l.parse::<usize>().ok()) {
        if len > limit {
            return Err(EdgeError::PayloadTooLarge(limit));
        }
    }
    let bytes = req.bytes().await.map_err(|_| {
        EdgeError::BadRequest(
            "unreadable_body",
            Text::new("请求内容无法读取", "The request body could not be read"),
        )
    })?;
    if bytes.len() > limit {
        return Err(EdgeError::PayloadTooLarge(limit));
    }
    Ok(bytes)
}

/// Read a JSON body: must say it is JSON, must fit the limit, must parse into `T`.
/// Each failure is a 4xx that says which.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> EdgeResult<T> {
    let ct = header(req, "content-type").unwrap_or_default();
    if !ct.to_ascii_lowercase().starts_with("application/json") {
        return Err(EdgeError::UnsupportedMediaType);
    }
    let bytes = read_body(req).await?;
    let value = serde_json::from_slice(&bytes).map_err(|e| {
        let (zh, en) = if e.is_syntax() || e.is_eof() {
            (
                "请求内容不是有效的 JSON",
                format!("The body is not valid JSON: {e}"),
            )
        } else {
            (
                "请求内容的格式不对",
                format!("The body has the wrong shape: {e}"),
            )
        };
        EdgeError::BadRequest("malformed_json", Text::new(zh, en))
    })?;
    Ok(value)
}

pub fn cookie(req: &Request, name: &str) -> Option<String> {
    let raw = header(req, "cookie")?;
    raw.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// A cookie the page's scripts cannot read; `Secure` everywhere but plain-http localhost.
pub fn set_cookie(req: &Request, name: &str, value: &str, path: &str, max_age: i64) -> String {
    let secure = req.url().map(|u| u.scheme() == "https").unwrap_or(true);
    format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn random_token(bytes: usize) -> EdgeResult<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).map_err(|e| EdgeError::Internal(format!("random: {e}")))?;
    Ok(banshi_core::hex::encode(&buf))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    banshi_core::digest::sha256_hex(bytes)
}

pub fn now() -> DateTime<Utc> {
    let ms = worker::Date::now().as_millis() as i64;
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub fn beijing(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    banshi_core::message::china_time(at)
}

/// Today's date in China, for ages, "not in the future" and due dates.
pub fn today_in_china() -> NaiveDate {
    beijing(now()).date_naive()
}

pub fn redirect(location: &str) -> EdgeResult<Response> {
    let headers = Headers::new();
    headers.set("location", location)?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::empty()?.with_status(302).with_headers(headers))
}
