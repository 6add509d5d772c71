//! The resident's draft of one event (answers and form values), kept in the
//! browser's storage on every change, so a closed tab or a dropped network
//! loses nothing. The idempotency key is made once per draft and kept, so a
//! retried submit can never create a second application.

use banshi_core::guide::{Answers, FieldValues};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub answers: Answers,
    pub values: FieldValues,
    pub idempotency_key: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn key(event_id: &str) -> String {
    format!("banshi.draft.{event_id}")
}

pub fn load(event_id: &str) -> Draft {
    storage()
        .and_then(|s| s.get_item(&key(event_id)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save(event_id: &str, draft: &Draft) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(&key(event_id), &json);
    }
}

pub fn clear(event_id: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(event_id));
    }
}

/// 128 random bits as hex, from the browser's CSPRNG.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    banshi_core::hex::encode(&bytes)
}
