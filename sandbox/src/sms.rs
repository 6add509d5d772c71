//! The SMS gateway (短信平台): takes signed text messages for residents'
//! mobiles, once per `reference`, and says whether the carrier delivered
//! them. Tests make it go down or fail chosen numbers through `/_sandbox`.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use banshi_core::platform::{SmsReceipt, SmsRequest, SmsStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{wire, AppState};

/// How the gateway behaves; `PUT /_sandbox/sms/scenario`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsScenario {
    /// Answer every message with 503.
    pub down: bool,
    /// Take messages to these numbers, but report them failed.
    pub fail_numbers: Vec<String>,
}

/// One message as the gateway took it; what `/_sandbox/sms/messages` lists.
#[derive(Debug, Clone, Serialize)]
pub struct SmsMessage {
    pub message_id: String,
    pub to: String,
    pub text: String,
    pub reference: String,
    pub status: SmsStatus,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct Gateway {
    pub scenario: SmsScenario,
    /// In the order received; never cleared, so tests can find theirs by reference.
    pub messages: Vec<SmsMessage>,
}

/// Why the gateway refused a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsError {
    Invalid(&'static str),
    Down,
}

impl SmsError {
    fn into_response(self) -> Response {
        match self {
            SmsError::Invalid(why) => wire::error(StatusCode::UNPROCESSABLE_ENTITY, why),
            SmsError::Down => wire::error(StatusCode::SERVICE_UNAVAILABLE, "SMS gateway down"),
        }
    }
}

/// A mainland mobile number: 11 digits starting with 1.
fn is_mobile(to: &str) -> bool {
    to.len() == 11 && to.starts_with('1') && to.bytes().all(|b| b.is_ascii_digit())
}

impl Gateway {
    /// Take one message at `at`. A reference already taken answers the first
    /// receipt again and stores nothing, so a sender may retry freely.
    pub fn send(&mut self, req: SmsRequest, at: DateTime<Utc>) -> Result<SmsReceipt, SmsError> {
        if !is_mobile(&req.to) {
            return Err(SmsError::Invalid(
                "to must be a mobile number: 11 digits starting with 1",
            ));
        }
        if req.text.trim().is_empty() {
            return Err(SmsError::Invalid("text must not be empty"));
        }
        if req.reference.trim().is_empty() {
            return Err(SmsError::Invalid("reference must not be empty"));
        }
        if self.scenario.down {
            return Err(SmsError::Down);
        }
        if let Some(m) = self.messages.iter().find(|m| m.reference == req.reference) {
            return Ok(SmsReceipt {
                message_id: m.message_id.clone(),
                status: m.status,
            });
        }
        let status = if self.scenario.fail_numbers.contains(&req.to) {
            SmsStatus::Failed
        } else {
            SmsStatus::Delivered
        };
        // Sequential ids: deterministic without drawing on the shared seeded
        // generator, whose sequence the department faults depend on.
        let message_id = format!("sms-{:06}", self.messages.len() + 1);
        self.messages.push(SmsMessage {
            message_id: message_id.clone(),
            to: req.to,
            text: req.text,
            reference: req.reference,
            status,
            at,
        });
        Ok(SmsReceipt { message_id, status })
    }
}

/// `POST /sms/messages`, signed with the SMS key.
pub async fn send(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = wire::verify(
        &state.config.sms_key,
        banshi_core::platform::SMS,
        &Method::POST,
        &uri,
        &headers,
        &body,
    ) {
        return refused.into_response();
    }
    let req: SmsRequest = match wire::parse(&body) {
        Ok(r) => r,
        Err(refused) => return refused.into_response(),
    };
    let mut inner = state.inner.lock().expect("sandbox state");
    match inner.sms.send(req, Utc::now()) {
        Ok(receipt) => Json(receipt).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `PUT /_sandbox/sms/scenario`
pub async fn set_scenario(State(state): State<AppState>, body: Bytes) -> Response {
    let scenario: SmsScenario = match wire::parse(&body) {
        Ok(s) => s,
        Err(refused) => return refused.into_response(),
    };
    state.inner.lock().expect("sandbox state").sms.scenario = scenario;
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Debug, Deserialize)]
pub struct MessagesQuery {
    to: Option<String>,
}

/// `GET /_sandbox/sms/messages[?to=…]`
pub async fn messages(
    State(state): State<AppState>,
    query: Result<Query<MessagesQuery>, QueryRejection>,
) -> Response {
    let to = match query {
        Ok(Query(q)) => q.to,
        Err(e) => return wire::error(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let inner = state.inner.lock().expect("sandbox state");
    let list: Vec<&SmsMessage> = inner
        .sms
        .messages
        .iter()
        .filter(|m| to.as_deref().is_none_or(|t| m.to == t))
        .collect();
    Json(list).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(to: &str, reference: &str) -> SmsRequest {
        SmsRequest {
            to: to.into(),
            text: "【办事】您的申请已受理".into(),
            reference: reference.into(),
        }
    }

    #[test]
    fn a_reference_is_sent_once_and_answers_the_same_id_again() {
        let mut g = Gateway::default();
        let first = g
            .send(req("13800138000", "app-1-accepted"), Utc::now())
            .unwrap();
        let again = g
            .send(req("13800138000", "app-1-accepted"), Utc::now())
            .unwrap();
        assert_eq!(first, again);
        assert_eq!(g.messages.len(), 1);
        let other = g
            .send(req("13800138000", "app-1-approved"), Utc::now())
            .unwrap();
        assert_ne!(other.message_id, first.message_id);
        assert_eq!(g.messages.len(), 2);
    }

    #[test]
    fn bad_numbers_and_empty_text_are_refused_and_not_stored() {
        let mut g = Gateway::default();
        for to in [
            "1380013800",
            "138001380000",
            "23800138000",
            "1380013800x",
            "",
            "１３８００１３８０００",
        ] {
            assert!(
                matches!(g.send(req(to, "r"), Utc::now()), Err(SmsError::Invalid(_))),
                "{to:?}"
            );
        }
        let mut empty = req("13800138000", "r");
        empty.text = "  ".into();
        assert!(matches!(
            g.send(empty, Utc::now()),
            Err(SmsError::Invalid(_))
        ));
        assert!(g.messages.is_empty());
    }

    #[test]
    fn scenario_down_and_failing_numbers() {
        let mut g = Gateway::default();
        g.scenario.down = true;
        assert_eq!(
            g.send(req("13800138000", "a"), Utc::now()),
            Err(SmsError::Down)
        );
        g.scenario = SmsScenario {
            down: false,
            fail_numbers: vec!["13700137000".into()],
        };
        let failed = g.send(req("13700137000", "b"), Utc::now()).unwrap();
        assert_eq!(failed.status, SmsStatus::Failed);
        let ok = g.send(req("13800138000", "c"), Utc::now()).unwrap();
        assert_eq!(ok.status, SmsStatus::Delivered);
        // A failed message is still recorded: the gateway did take it.
        assert_eq!(g.messages.len(), 2);
    }

    #[test]
    fn the_scenario_refuses_unknown_fields() {
        assert!(serde_json::from_str::<SmsScenario>(r#"{"down": true}"#).is_ok());
        assert!(serde_json::from_str::<SmsScenario>(r#"{"dwon": true}"#).is_err());
    }
}
