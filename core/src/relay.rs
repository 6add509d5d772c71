//! Retry policy for relaying an item to its department: exponential backoff
//! with "equal jitter" and a cap. There is no final failure: a department that
//! stays down keeps its items "delayed, we keep trying", never "failed".

/// First retry after about this long.
pub const BASE_SECS: u32 = 2;
/// Never wait longer than this between tries.
pub const CAP_SECS: u32 = 300;

/// Seconds to wait before try number `attempt + 1` (attempt 0 = the first
/// retry), with `jitter` (any byte, random in practice) spreading retries of
/// many items so a recovering department is not hit all at once.
pub fn backoff_secs(attempt: u32, jitter: u8) -> u32 {
    let exp = BASE_SECS.saturating_mul(1u32 << attempt.min(16));
    let capped = exp.min(CAP_SECS);
    let half = capped / 2;
    half + (half * u32::from(jitter)) / 255
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_then_stays_under_the_cap() {
        assert_eq!(backoff_secs(0, 255), 2);
        assert_eq!(backoff_secs(1, 255), 4);
        assert_eq!(backoff_secs(4, 255), 32);
        assert_eq!(backoff_secs(20, 255), CAP_SECS);
        assert_eq!(backoff_secs(u32::MAX, 255), CAP_SECS);
        for a in 0..40 {
            for j in [0u8, 1, 128, 255] {
                let s = backoff_secs(a, j);
                assert!((1..=CAP_SECS).contains(&s), "{a} {j} {s}");
            }
        }
    }

    #[test]
    fn jitter_spreads_within_the_upper_half() {
        assert_eq!(backoff_secs(6, 0), 64);
        assert_eq!(backoff_secs(6, 255), 128);
        assert!((64..=128).contains(&backoff_secs(6, 100)));
    }
}
