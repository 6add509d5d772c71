//! The 好差评 evaluation platform: takes residents' signed ratings of finished
//! events, once per `rating_id`. Tests take it down and read what it holds
//! through `/_sandbox`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use banshi_core::platform::{RatingReceipt, RatingRecord};
use serde::{Deserialize, Serialize};

use crate::{wire, AppState};

/// How the platform behaves; `PUT /_sandbox/evaluation/scenario`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvaluationScenario {
    /// Answer every rating with 503.
    pub down: bool,
    /// Refuse (422) any rating whose comment contains this: the platform's
    /// own content rules, a refusal no retry changes.
    pub refuse_comments_with: Option<String>,
}

#[derive(Debug, Default)]
pub struct Platform {
    pub scenario: EvaluationScenario,
    /// In the order received; never cleared, so tests can find theirs by id.
    pub ratings: Vec<RatingRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatingError {
    Invalid(&'static str),
    Down,
}

impl Platform {
    /// Take one rating. A `rating_id` already taken is acknowledged again
    /// without a second record, so a sender may retry freely.
    pub fn rate(&mut self, record: RatingRecord) -> Result<RatingReceipt, RatingError> {
        if !(1..=5).contains(&record.score) {
            return Err(RatingError::Invalid("score must be 1 to 5"));
        }
        if record.rating_id.trim().is_empty() {
            return Err(RatingError::Invalid("rating_id must not be empty"));
        }
        if self.scenario.down {
            return Err(RatingError::Down);
        }
        if let Some(word) = &self.scenario.refuse_comments_with {
            if !word.is_empty() && record.comment.contains(word.as_str()) {
                return Err(RatingError::Invalid(
                    "the comment breaks the platform's rules",
                ));
            }
        }
        if !self.ratings.iter().any(|r| r.rating_id == record.rating_id) {
            self.ratings.push(record.clone());
        }
        Ok(RatingReceipt {
            rating_id: record.rating_id,
            accepted: true,
        })
    }
}

/// `POST /evaluation/ratings`, signed with the evaluation key.
pub async fn rate(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = wire::verify(
        &state.config.evaluation_key,
        banshi_core::platform::EVALUATION,
        &Method::POST,
        &uri,
        &headers,
        &body,
    ) {
        return refused.into_response();
    }
    let record: RatingRecord = match wire::parse(&body) {
        Ok(r) => r,
        Err(refused) => return refused.into_response(),
    };
    let mut inner = state.inner.lock().expect("sandbox state");
    match inner.evaluation.rate(record) {
        Ok(receipt) => Json(receipt).into_response(),
        Err(RatingError::Invalid(why)) => wire::error(StatusCode::UNPROCESSABLE_ENTITY, why),
        Err(RatingError::Down) => {
            wire::error(StatusCode::SERVICE_UNAVAILABLE, "evaluation platform down")
        }
    }
}

/// `PUT /_sandbox/evaluation/scenario`
pub async fn set_scenario(State(state): State<AppState>, body: Bytes) -> Response {
    let scenario: EvaluationScenario = match wire::parse(&body) {
        Ok(s) => s,
        Err(refused) => return refused.into_response(),
    };
    state
        .inner
        .lock()
        .expect("sandbox state")
        .evaluation
        .scenario = scenario;
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /_sandbox/evaluation/ratings`
pub async fn ratings(State(state): State<AppState>) -> Json<Vec<RatingRecord>> {
    Json(
        state
            .inner
            .lock()
            .expect("sandbox state")
            .evaluation
            .ratings
            .clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(rating_id: &str, score: u8) -> RatingRecord {
        RatingRecord {
            rating_id: rating_id.into(),
            application_id: "app-1".into(),
            event_id: "newborn".into(),
            event_name: "新生儿出生".into(),
            departments: vec!["police".into()],
            score,
            comment: "很方便".into(),
            rated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_rating_is_stored_once_and_scores_stay_in_range() {
        let mut p = Platform::default();
        for bad in [0, 6, 255] {
            assert!(matches!(
                p.rate(record("x", bad)),
                Err(RatingError::Invalid(_))
            ));
        }
        for score in 1..=5 {
            assert!(
                p.rate(record(&format!("r{score}"), score))
                    .unwrap()
                    .accepted
            );
        }
        assert!(p.rate(record("r1", 1)).unwrap().accepted);
        assert_eq!(p.ratings.len(), 5);
    }

    #[test]
    fn down_refuses_and_keeps_nothing() {
        let mut p = Platform::default();
        p.scenario.down = true;
        assert_eq!(p.rate(record("r", 5)), Err(RatingError::Down));
        assert!(p.ratings.is_empty());
    }
}
