//! What every platform endpoint shares on the wire: the signature check
//! (method, path and query, party, timestamp and body) and JSON error
//! bodies, so each handler states its key once and cannot forget a case.

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use banshi_core::signature::{self, Signed, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde::de::DeserializeOwned;

/// `{"error": message}` with `status`: the one error shape of the sandbox.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// An identity-provider lookup about one resident (household, enterprises):
/// a signed GET with the IdP client secret, answered with what is known of
/// them or a 404.
pub fn idp_lookup<T: serde::Serialize>(
    key: &str,
    uri: &Uri,
    headers: &HeaderMap,
    found: impl FnOnce() -> Option<T>,
) -> Response {
    if let Err(refused) = verify(
        key,
        banshi_core::platform::IDP,
        &Method::GET,
        uri,
        headers,
        b"",
    ) {
        return refused.into_response();
    }
    match found() {
        Some(v) => Json(v).into_response(),
        None => error(StatusCode::NOT_FOUND, "unknown resident"),
    }
}

/// A refused request, kept small until it becomes its JSON error response.
#[derive(Debug)]
pub struct Refused(pub StatusCode, pub String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        error(self.0, self.1)
    }
}

/// Verify a request from `party` (a department id, `sms`, …) signed with
/// `key` over its method, path and query, party, timestamp and body; the
/// error is the 401 to answer with, naming what was wrong.
pub fn verify(
    key: &str,
    party: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Refused> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    signature::verify(
        key.as_bytes(),
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
        &Signed {
            method: method.as_str(),
            path: uri.path_and_query().map_or(uri.path(), |pq| pq.as_str()),
            party,
            body,
        },
        chrono::Utc::now().timestamp(),
    )
    .map(|_| ())
    .map_err(|e| Refused(StatusCode::UNAUTHORIZED, e.to_string()))
}

/// The timestamp and signature headers for a call the sandbox makes.
pub fn sign(
    key: &str,
    party: &str,
    method: &str,
    path: &str,
    body: &[u8],
) -> [(String, String); 2] {
    let ts = chrono::Utc::now().timestamp();
    let sig = signature::sign(
        key.as_bytes(),
        ts,
        &Signed {
            method,
            path,
            party,
            body,
        },
    );
    [
        (TIMESTAMP_HEADER.to_owned(), ts.to_string()),
        (SIGNATURE_HEADER.to_owned(), sig),
    ]
}

/// Parse a JSON body; axum's own rejection is plain text, and every sandbox
/// error must be JSON.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Refused> {
    serde_json::from_slice(body)
        .map_err(|e| Refused(StatusCode::BAD_REQUEST, format!("malformed body: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn signed(key: &str, party: &str, method: &str, uri: &str, body: &[u8]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in sign(key, party, method, uri, body) {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(&v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn a_signature_covers_method_path_query_party_and_body() {
        let uri: Uri = "/ecerts/r-zhang-wei/certificates?purpose=newborn"
            .parse()
            .unwrap();
        let headers = signed(
            "k",
            "ecerts",
            "GET",
            uri.path_and_query().unwrap().as_str(),
            b"",
        );
        assert!(verify("k", "ecerts", &Method::GET, &uri, &headers, b"").is_ok());
        for other in [
            "/ecerts/r-li-na/certificates?purpose=newborn",
            "/ecerts/r-zhang-wei/certificates?purpose=retirement",
            "/ecerts/r-zhang-wei/certificates",
        ] {
            let other: Uri = other.parse().unwrap();
            let refused = verify("k", "ecerts", &Method::GET, &other, &headers, b"").unwrap_err();
            assert_eq!(refused.0, StatusCode::UNAUTHORIZED, "{other}");
        }
        assert!(verify("k", "ecerts", &Method::POST, &uri, &headers, b"").is_err());
        assert!(verify("k", "sms", &Method::GET, &uri, &headers, b"").is_err());
        assert!(verify("k", "ecerts", &Method::GET, &uri, &headers, b"x").is_err());
        assert!(verify("another-key", "ecerts", &Method::GET, &uri, &headers, b"").is_err());
    }

    #[test]
    fn missing_headers_are_a_401_not_a_panic() {
        let uri: Uri = "/households/r-zhang-wei".parse().unwrap();
        let refused = verify("k", "idp", &Method::GET, &uri, &HeaderMap::new(), b"").unwrap_err();
        assert_eq!(refused.0, StatusCode::UNAUTHORIZED);
    }
}
