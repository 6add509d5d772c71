//! Signed platform-to-platform calls (relays, webhooks, polls, attachment
//! fetches, SMS, ratings, e-certificates, households): HMAC-SHA256, hex, over
//! the method, the path with its query, the party the call is between (a
//! department id, or `sms`, `evaluation`, `ecerts`, `idp`), the timestamp
//! and the body. So a signed request captured for one path, method or
//! department is refused on another, and a freshness window stops a replay
//! later. Each department has its own key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const TIMESTAMP_HEADER: &str = "x-banshi-timestamp";
pub const SIGNATURE_HEADER: &str = "x-banshi-signature";
/// How far a timestamp may be from our clock, either way.
pub const TOLERANCE_SECS: i64 = 300;

/// What a signature covers, besides the timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed<'a> {
    /// `GET`, `POST`, … (upper case).
    pub method: &'a str,
    /// The path and query exactly as sent, e.g. `/departments/hrss/applications`.
    pub path: &'a str,
    /// Who the call is with: a department id, or the platform's name.
    pub party: &'a str,
    pub body: &'a [u8],
}

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

fn mac(key: &[u8], timestamp: i64, s: &Signed) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    // Newlines cannot occur in a method, path or party: the parts cannot run together.
    for part in [
        "banshi-v2",
        s.method,
        s.path,
        s.party,
        &timestamp.to_string(),
    ] {
        mac.update(part.as_bytes());
        mac.update(b"\n");
    }
    mac.update(s.body);
    mac
}

pub fn sign(key: &[u8], timestamp: i64, s: &Signed) -> String {
    crate::hex::encode(&mac(key, timestamp, s).finalize().into_bytes())
}

/// Check a signed request received at `now` (unix seconds). Constant-time compare.
pub fn verify(
    key: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    s: &Signed,
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
    if s.method.contains('\n') || s.path.contains('\n') || s.party.contains('\n') {
        return Err(SignatureError::Mismatch);
    }
    let sig = crate::hex::decode(sig.trim()).ok_or(SignatureError::Mismatch)?;
    mac(key, ts, s)
        .verify_slice(&sig)
        .map_err(|_| SignatureError::Mismatch)?;
    Ok(ts)
}

/// Compare two secrets (a CSRF or cron token) without leaking, by timing,
/// how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: Signed = Signed {
        method: "POST",
        path: "/departments/hrss/applications",
        party: "hrss",
        body: b"{\"a\":1}",
    };

    #[test]
    fn a_signed_request_verifies_and_any_change_breaks_it() {
        let sig = sign(b"k", 1000, &POST);
        assert_eq!(
            verify(b"k", Some("1000"), Some(&sig), &POST, 1100),
            Ok(1000)
        );
        for other in [
            Signed {
                body: b"{\"a\":2}",
                ..POST
            },
            Signed {
                method: "PUT",
                ..POST
            },
            Signed {
                path: "/departments/hrss/applications/x/withdraw",
                ..POST
            },
            Signed {
                path: "/departments/hrss/applications?x=1",
                ..POST
            },
            Signed {
                party: "police",
                ..POST
            },
        ] {
            assert_eq!(
                verify(b"k", Some("1000"), Some(&sig), &other, 1100),
                Err(SignatureError::Mismatch),
                "{other:?}"
            );
        }
        assert_eq!(
            verify(b"other", Some("1000"), Some(&sig), &POST, 1100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"k", Some("1001"), Some(&sig), &POST, 1100),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn parts_cannot_be_shifted_from_one_to_another() {
        let a = Signed {
            method: "GET",
            path: "/a",
            party: "b",
            body: b"",
        };
        let b = Signed {
            method: "GET",
            path: "/a\nb",
            party: "",
            body: b"",
        };
        let sig = sign(b"k", 0, &a);
        assert_eq!(
            verify(b"k", Some("0"), Some(&sig), &b, 0),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn stale_and_future_timestamps_are_refused() {
        let sig = sign(b"k", 1000, &POST);
        assert_eq!(
            verify(b"k", Some("1000"), Some(&sig), &POST, 1301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"k", Some("1000"), Some(&sig), &POST, 699),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn garbage_headers_are_errors_not_panics() {
        assert_eq!(
            verify(b"k", None, Some("ab"), &POST, 0),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(b"k", Some("soon"), Some("ab"), &POST, 0),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify(b"k", Some("0"), Some("zz"), &POST, 0),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"k", Some("0"), Some("abc"), &POST, 0),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn tokens_compare_equal_only_when_equal() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
