//! What every platform endpoint shares on the wire: the signature check
//! (a POST signs its body, a GET its path and query) and JSON error bodies,
//! so each handler states its key once and cannot forget a case.

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use banshi_core::platform::signed_get_payload;
use banshi_core::signature::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde::de::DeserializeOwned;

/// `{"error": message}` with `status`: the one error shape of the sandbox.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// A refused request, kept small until it becomes its JSON error response.
#[derive(Debug)]
pub struct Refused(pub StatusCode, pub String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        error(self.0, self.1)
    }
}

/// Verify a request signed with `key` over `payload`; the error is the 401
/// to answer with, naming what was wrong (missing, stale, mismatch).
pub fn verify(key: &str, headers: &HeaderMap, payload: &[u8]) -> Result<(), Refused> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    signature::verify(
        key.as_bytes(),
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
        payload,
        chrono::Utc::now().timestamp(),
    )
    .map(|_| ())
    .map_err(|e| Refused(StatusCode::UNAUTHORIZED, e.to_string()))
}

/// What a GET to `uri` signs: its path and query exactly as received, so a
/// signature for one resource (or one purpose) does not open another.
pub fn get_payload(uri: &Uri) -> &[u8] {
    signed_get_payload(uri.path_and_query().map_or(uri.path(), |pq| pq.as_str()))
}

/// Verify a signed GET with `key`.
pub fn verify_get(key: &str, headers: &HeaderMap, uri: &Uri) -> Result<(), Refused> {
    verify(key, headers, get_payload(uri))
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

    fn signed(key: &str, payload: &[u8]) -> HeaderMap {
        let ts = chrono::Utc::now().timestamp();
        let mut h = HeaderMap::new();
        h.insert(TIMESTAMP_HEADER, HeaderValue::from(ts));
        h.insert(
            SIGNATURE_HEADER,
            HeaderValue::from_str(&signature::sign(key.as_bytes(), ts, payload)).unwrap(),
        );
        h
    }

    #[test]
    fn a_get_signature_covers_its_path_and_query_only() {
        let uri: Uri = "/ecerts/r-zhang-wei/certificates?purpose=newborn"
            .parse()
            .unwrap();
        let headers = signed("k", get_payload(&uri));
        assert!(verify_get("k", &headers, &uri).is_ok());
        for other in [
            "/ecerts/r-li-na/certificates?purpose=newborn",
            "/ecerts/r-zhang-wei/certificates?purpose=retirement",
            "/ecerts/r-zhang-wei/certificates",
        ] {
            let other: Uri = other.parse().unwrap();
            let refused = verify_get("k", &headers, &other).unwrap_err();
            assert_eq!(refused.0, StatusCode::UNAUTHORIZED, "{other}");
        }
        assert!(verify_get("another-key", &headers, &uri).is_err());
    }

    #[test]
    fn missing_headers_are_a_401_not_a_panic() {
        let uri: Uri = "/households/r-zhang-wei".parse().unwrap();
        let refused = verify_get("k", &HeaderMap::new(), &uri).unwrap_err();
        assert_eq!(refused.0, StatusCode::UNAUTHORIZED);
    }
}
