//! Calls to other people's platforms (departments, SMS gateway, evaluation,
//! e-certificates, identity): every one signed (`core::signature`), with a
//! timeout, and answered as a status plus body — 0 when nothing answered in
//! time, so callers decide between "retry" and "refused" without exceptions.

use std::time::Duration;

use banshi_core::signature::{self, Signed, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde::de::DeserializeOwned;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

use crate::error::EdgeResult;

/// What came back from a platform.
pub struct Answer {
    /// The HTTP status, or 0 when the platform did not answer in time.
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as `T`, if the call succeeded and the body parses.
    pub fn parse<T: DeserializeOwned>(&self) -> Option<T> {
        self.ok()
            .then(|| serde_json::from_str(&self.body).ok())
            .flatten()
    }
}

/// Send a request, giving up after `timeout` (status 0 then).
pub async fn send(url: &str, init: &RequestInit, timeout: Duration) -> EdgeResult<Answer> {
    let request = Request::new_with_init(url, init)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    worker::wasm_bindgen_futures::spawn_local(async move {
        Delay::from(timeout).await;
        controller.abort();
    });
    match Fetch::Request(request).send_with_signal(&signal).await {
        Ok(mut resp) => {
            let status = resp.status_code();
            let body = resp.text().await.unwrap_or_default();
            Ok(Answer { status, body })
        }
        Err(e) => {
            worker::console_warn!("platform call {url}: {e}");
            Ok(Answer {
                status: 0,
                body: String::new(),
            })
        }
    }
}

/// Signed with the real clock, whatever time a run is "for" (a cron run
/// asked for a later time still talks to platforms now).
fn signed_headers(key: &str, signed: &Signed) -> EdgeResult<Headers> {
    let ts = crate::http::now().timestamp();
    let headers = Headers::new();
    headers.set(TIMESTAMP_HEADER, &ts.to_string())?;
    headers.set(
        SIGNATURE_HEADER,
        &signature::sign(key.as_bytes(), ts, signed),
    )?;
    Ok(headers)
}

/// The path and query of an absolute URL, as the receiver sees it.
fn path_of(url: &str) -> &str {
    split_url(url).1
}

/// Who a call is with (a department id, or `banshi_core::platform::SMS`…)
/// and the key shared with it.
pub struct Party<'a> {
    pub name: &'a str,
    pub key: &'a str,
}

/// POST a JSON `body`, signed over method, path, party, time and body.
pub async fn post(
    url: &str,
    party: Party<'_>,
    idempotency_key: &str,
    body: String,
    timeout: Duration,
) -> EdgeResult<Answer> {
    let signed = Signed {
        method: "POST",
        path: path_of(url),
        party: party.name,
        body: body.as_bytes(),
    };
    let headers = signed_headers(party.key, &signed)?;
    headers.set("content-type", "application/json")?;
    headers.set("idempotency-key", idempotency_key)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    send(url, &init, timeout).await
}

/// GET `path_and_query` on `origin`, signed over method, path and query and
/// party, so the signature is only good for that one resource.
pub async fn get(
    origin: &str,
    path_and_query: &str,
    party: Party<'_>,
    timeout: Duration,
) -> EdgeResult<Answer> {
    let signed = Signed {
        method: "GET",
        path: path_and_query,
        party: party.name,
        body: b"",
    };
    let headers = signed_headers(party.key, &signed)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    send(&format!("{origin}{path_and_query}"), &init, timeout).await
}

/// Split an absolute URL into origin and path-and-query, for `get`.
pub fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url.split_at(after_scheme + i),
        None => (url, "/"),
    }
}

/// A refusal that retrying cannot change: a 4xx other than a timeout, a
/// conflict or "too many requests".
pub fn is_permanent(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 408 | 409 | 425 | 429)
}

/// The usual platform timeout when no adapter sets one.
pub const TIMEOUT: Duration = Duration::from_secs(10);
