//! Signed platform-to-platform calls (department webhooks and relays):
//! HMAC-SHA256 over `"{timestamp}.{body}"`, hex-encoded, with a freshness
//! window so a captured request cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const TIMESTAMP_HEADER: &str = "x-banshi-timestamp";
pub const SIGNATURE_HEADER: &str = "x-banshi-signature";
/// How far a timestamp may be from our clock, either way.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature headers are missing")]
    Missing,
    #[error("the timestamp is not a number")]
    BadTimestamp,
    #[error("the timestamp is outside the allowed window")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
}

fn mac(key: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

pub fn sign(key: &[u8], timestamp: i64, body: &[u8]) -> String {
    crate::hex::encode(&mac(key, timestamp, body).finalize().into_bytes())
}

/// Check a signed request received at `now` (unix seconds). Constant-time compare.
pub fn verify(
    key: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<i64, SignatureError> {
    let (Some(ts), Some(sig)) = (timestamp, signature) else {
        return Err(SignatureError::Missing);
    };
    let ts: i64 = ts
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    if (now - ts).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    let sig = crate::hex::decode(sig.trim()).ok_or(SignatureError::Mismatch)?;
    mac(key, ts, body)
        .verify_slice(&sig)
        .map_err(|_| SignatureError::Mismatch)?;
    Ok(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_body_verifies_and_any_change_breaks_it() {
        let sig = sign(b"k", 1000, b"{\"a\":1}");
        assert_eq!(
            verify(b"k", Some("1000"), Some(&sig), b"{\"a\":1}", 1100),
            Ok(1000)
        );
        assert_eq!(
            verify(b"k", Some("1000"), Some(&sig), b"{\"a\":2}", 1100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"other", Some("1000"), Some(&sig), b"{\"a\":1}", 1100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"k", Some("1001"), Some(&sig), b"{\"a\":1}", 1100),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn stale_and_future_timestamps_are_refused() {
        let sig = sign(b"k", 1000, b"x");
        assert_eq!(
            verify(b"k", Some("1000"), Some(&sig), b"x", 1301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"k", Some("1000"), Some(&sig), b"x", 699),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn garbage_headers_are_errors_not_panics() {
        assert_eq!(
            verify(b"k", None, Some("ab"), b"x", 0),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(b"k", Some("soon"), Some("ab"), b"x", 0),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify(b"k", Some("0"), Some("zz"), b"x", 0),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"k", Some("0"), Some("abc"), b"x", 0),
            Err(SignatureError::Mismatch)
        );
    }
}
