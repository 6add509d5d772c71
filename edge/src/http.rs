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

/// Read a request body, refusing anything over `limit`: checked against
/// Content-Length first, then while it arrives, so a chunked body is cut at
/// the limit instead of being read whole first.
pub async fn read_body_limited(req: &mut Request, limit: usize) -> EdgeResult<Vec<u8>> {
    use futures_util::StreamExt;
    if let Some(len) = header(req, "content-length").and_then(|l| l.parse::<usize>().ok()) {
        if len > limit {
            return Err(EdgeError::PayloadTooLarge(limit));
        }
    }
    let unreadable = || {
        EdgeError::BadRequest(
            "unreadable_body",
            Text::new("请求内容无法读取", "The request body could not be read"),
        )
    };
    let mut body = Vec::new();
    // A request without a body has no stream: an empty body.
    let Ok(mut stream) = req.stream() else {
        return Ok(body);
    };
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| unreadable())?;
        if body.len() + chunk.len() > limit {
            // Stop the sender: the rest is not read, and the connection is
            // not left holding an unread body.
            drop(stream);
            if let Some(rest) = req.inner().body() {
                let _ = rest.cancel();
            }
            return Err(EdgeError::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
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

/// One page of a list: `?limit=` (1–100, default 50) and `?cursor=` (opaque,
/// from the previous page's `next_cursor`).
pub struct Page {
    pub limit: usize,
    pub cursor: Option<String>,
}

pub const MAX_PAGE: usize = 100;

impl Page {
    pub fn from(req: &Request) -> EdgeResult<Page> {
        let url = req.url()?;
        let mut page = Page {
            limit: 50,
            cursor: None,
        };
        let mut errors = Vec::new();
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "limit" => match v.parse::<usize>() {
                    Ok(n) if (1..=MAX_PAGE).contains(&n) => page.limit = n,
                    _ => errors.push(banshi_core::validate::FieldError {
                        field: "limit".into(),
                        message: Text::new(
                            format!("每页条数应为1到{MAX_PAGE}"),
                            format!("limit must be between 1 and {MAX_PAGE}"),
                        ),
                    }),
                },
                "cursor" => page.cursor = Some(v.into_owned()),
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(page)
        } else {
            Err(EdgeError::BadQuery(errors))
        }
    }

    /// The cursor as (milliseconds, id), the keyset of lists ordered by time.
    pub fn time_id(&self) -> EdgeResult<Option<(i64, String)>> {
        let Some(c) = &self.cursor else {
            return Ok(None);
        };
        c.split_once('.')
            .and_then(|(ms, id)| Some((ms.parse().ok()?, id.to_owned())))
            .filter(|(_, id)| !id.is_empty())
            .map(Some)
            .ok_or_else(bad_cursor)
    }

    /// The cursor as a sequence number.
    pub fn seq(&self) -> EdgeResult<Option<i64>> {
        match &self.cursor {
            None => Ok(None),
            Some(c) => c.parse().map(Some).map_err(|_| bad_cursor()),
        }
    }
}

fn bad_cursor() -> EdgeError {
    EdgeError::BadQuery(vec![banshi_core::validate::FieldError {
        field: "cursor".into(),
        message: Text::new(
            "翻页标记无效，请从第一页重新开始",
            "The cursor is not valid; start again from the first page",
        ),
    }])
}

/// `rows` fetched with `limit + 1`: the page, and the cursor for the next
/// one if there is more.
pub fn paged<T>(
    mut rows: Vec<T>,
    limit: usize,
    cursor: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more { rows.last().map(cursor) } else { None };
    (rows, next)
}
