//! `/_sandbox/*`: what tests use to set scenarios and read what the platforms
//! received. Not part of any real platform's API.

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
