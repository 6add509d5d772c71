//! The device clock, read in one place: core never reads a clock, so pages
//! pass "now" and "today in China" in.

use chrono::{DateTime, NaiveDate, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Today in China (UTC+8), whatever the phone's time zone.
pub fn today() -> NaiveDate {
    banshi_core::message::china_time(now()).date_naive()
}

/// 128 random bits as hex, from the browser's CSPRNG: ids and idempotency keys.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    banshi_core::hex::encode(&bytes)
}
