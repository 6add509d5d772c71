//! `/_sandbox/*` for departments, and the reset of every platform's
//! scenario: what tests use to set scenarios and read what the platforms
//! received. Not part of any real platform's API. The SMS, evaluation and
//! e-certificate controls live with their platforms.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::departments::{Received, Scenario};
use crate::AppState;

pub async fn health() -> &'static str {
    "ok"
}

/// `PUT /_sandbox/departments/{dept}/scenario`
pub async fn set_scenario(
    State(state): State<AppState>,
    Path(dept): Path<String>,
    Json(s): Json<Scenario>,
) -> Response {
    let mut inner = state.inner.lock().expect("sandbox state");
    inner.departments.entry(dept).or_default().scenario = s;
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /_sandbox/departments/{dept}/received`
pub async fn received(
    State(state): State<AppState>,
    Path(dept): Path<String>,
) -> Json<Vec<Received>> {
    let inner = state.inner.lock().expect("sandbox state");
    Json(
        inner
            .departments
            .get(&dept)
            .map(|d| d.received.values().cloned().collect())
            .unwrap_or_default(),
    )
}

/// `POST /_sandbox/reset`: every platform back to no faults, departments at
/// the pace the sandbox was started with. What was received stays: tests
/// find their own records by id, and another test's may still be arriving.
pub async fn reset(State(state): State<AppState>) -> Response {
    let step_ms = state.config.step_ms;
    let mut inner = state.inner.lock().expect("sandbox state");
    for d in banshi_core::Catalog::embedded().departments() {
        inner.departments.entry(d.id.clone()).or_default();
    }
    for d in inner.departments.values_mut() {
        d.scenario = Scenario::with_step_ms(step_ms);
    }
    inner.sms.scenario = Default::default();
    inner.idp = Default::default();
    inner.evaluation.scenario = Default::default();
    StatusCode::NO_CONTENT.into_response()
}
