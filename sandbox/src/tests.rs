//! The router driven end to end without a socket: signatures, status codes
//! and JSON bodies as the edge would see them. Pure rules are tested in
//! their own modules; these catch a handler or route that drifts from them.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::{app, new_state, AppState, Config};

fn state() -> AppState {
    new_state(
        Config {
            // Nothing listens here: the tests use departments without webhooks.
            edge_url: "http://127.0.0.1:9".into(),
            client_id: "banshi".into(),
            client_secret: "idp-secret".into(),
            department_keys: banshi_core::Catalog::embedded()
                .departments()
                .iter()
                .map(|d| (d.id.clone(), "dept-key".to_owned()))
                .collect(),
            sms_key: "sms-key".into(),
            evaluation_key: "eval-key".into(),
            ecert_key: "ecert-key".into(),
            step_ms: 777,
        },
        1,
    )
}

/// Who a request to `uri` is signed as: the department in its path, or the platform.
fn party_of(uri: &str) -> &str {
    let mut parts = uri.trim_start_matches('/').split('/');
    match parts.next() {
        Some("departments") => parts.next().unwrap_or(""),
        Some("sms") => banshi_core::platform::SMS,
        Some("evaluation") => banshi_core::platform::EVALUATION,
        Some("ecerts") => banshi_core::platform::ECERTS,
        Some("households") => banshi_core::platform::IDP,
        _ => "",
    }
}

async fn call(
    state: &AppState,
    method: Method,
    uri: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let mut req = Request::builder()
        .method(method.clone())
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(key) = key {
        for (name, value) in crate::wire::sign(key, party_of(uri), method.as_str(), uri, &bytes) {
            req = req.header(name, value);
        }
    }
    let res = app(state.clone())
        .oneshot(req.body(Body::from(bytes)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let json = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| panic!("{uri}: not JSON: {}", String::from_utf8_lossy(&body)))
    };
    (status, json)
}

fn submission(external_id: &str, revision: u32) -> Value {
    json!({
        "external_id": external_id,
        "event_id": "newborn",
        "item_id": "birth-registration",
        "item_name": "出生登记",
        "applicant": {"name": "张伟", "id_number": "110101198503074516", "phone": "13800138000"},
        "fields": {},
        "submitted_at": "2026-11-22T08:00:00Z",
        "revision": revision,
    })
}

/// Poll until `done` holds for the received entry, for at most two seconds.
async fn wait_for(state: &AppState, dept: &str, external_id: &str, done: impl Fn(usize) -> bool) {
    for _ in 0..200 {
        let n = {
            let inner = state.inner.lock().unwrap();
            inner.departments[dept].received[external_id].updates.len()
        };
        if done(n) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("{external_id} did not get there in time");
}

#[tokio::test]
async fn a_department_without_webhooks_still_walks_and_is_polled() {
    let s = state();
    let (st, _) = call(
        &s,
        Method::PUT,
        "/_sandbox/departments/police/scenario",
        None,
        Some(json!({"no_webhook": true, "step_ms": 1,
            "script": ["accepted", "correction_required", "approved"]})),
    )
    .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let relay = "/departments/police/applications";
    let (st, _) = call(
        &s,
        Method::POST,
        relay,
        Some("dept-key"),
        Some(submission("x1", 0)),
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED);
    // The walk stops at the correction request.
    wait_for(&s, "police", "x1", |n| n >= 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;

    let poll = "/departments/police/applications/x1/updates";
    let (st, log) = call(&s, Method::GET, poll, Some("dept-key"), None).await;
    assert_eq!(st, StatusCode::OK);
    let ids: Vec<&str> = log["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["update_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["police-x1-r0-0", "police-x1-r0-1"]);
    assert_eq!(log["updates"][1]["status"], "correction_required");
    assert!(!log["updates"][1]["corrections"]
        .as_array()
        .unwrap()
        .is_empty());

    // Accepted is accepted, even though no webhook ever told the edge.
    let (st, _) = call(
        &s,
        Method::POST,
        "/departments/police/applications/x1/withdraw",
        Some("dept-key"),
        Some(json!({})),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT);

    // The corrected resubmission resumes the walk under the new revision.
    call(
        &s,
        Method::POST,
        relay,
        Some("dept-key"),
        Some(submission("x1", 1)),
    )
    .await;
    wait_for(&s, "police", "x1", |n| n == 3).await;
    let (_, log) = call(&s, Method::GET, poll, Some("dept-key"), None).await;
    assert_eq!(log["updates"][2]["update_id"], "police-x1-r1-0");
    assert_eq!(log["updates"][2]["status"], "approved");

    let (_, received) = call(
        &s,
        Method::GET,
        "/_sandbox/departments/police/received",
        None,
        None,
    )
    .await;
    assert_eq!(received[0]["updates"].as_array().unwrap().len(), 3);
    assert_eq!(received[0]["sent"], json!([]), "no webhook was called");

    let (st, _) = call(&s, Method::GET, poll, None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = call(&s, Method::GET, poll, Some("sms-key"), None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let unknown = "/departments/police/applications/nope/updates";
    let (st, e) = call(&s, Method::GET, unknown, Some("dept-key"), None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(e["error"].is_string());
}

#[tokio::test]
async fn an_announced_window_is_served_and_holds_relays_while_it_lasts() {
    let s = state();
    let now = chrono::Utc::now();
    let window = json!({
        "starts_at": now - chrono::Duration::minutes(5),
        "ends_at": now + chrono::Duration::hours(1),
        "notice": {"zh": "系统升级", "en": "Upgrade"},
    });
    call(
        &s,
        Method::PUT,
        "/_sandbox/departments/hrss/scenario",
        None,
        Some(json!({"maintenance_windows": [window]})),
    )
    .await;
    let (st, a) = call(
        &s,
        Method::GET,
        "/departments/hrss/maintenance",
        Some("dept-key"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(a["windows"][0]["notice"]["zh"], "系统升级");
    let (st, e) = call(
        &s,
        Method::POST,
        "/departments/hrss/applications",
        Some("dept-key"),
        Some(submission("m1", 0)),
    )
    .await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(e["notice"]["zh"], "系统升级");
    assert!(s.inner.lock().unwrap().departments["hrss"]
        .received
        .is_empty());

    let (st, _) = call(
        &s,
        Method::GET,
        "/departments/nowhere/maintenance",
        Some("dept-key"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = call(&s, Method::GET, "/departments/hrss/maintenance", None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sms_is_idempotent_on_reference_over_http() {
    let s = state();
    let msg = json!({"to": "13800138000", "text": "您的申请已受理", "reference": "ref-1"});
    let (st, first) = call(
        &s,
        Method::POST,
        "/sms/messages",
        Some("sms-key"),
        Some(msg.clone()),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(first["status"], "delivered");
    let (_, again) = call(
        &s,
        Method::POST,
        "/sms/messages",
        Some("sms-key"),
        Some(msg.clone()),
    )
    .await;
    assert_eq!(first, again);
    let (st, _) = call(
        &s,
        Method::POST,
        "/sms/messages",
        Some("dept-key"),
        Some(msg),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let bad = json!({"to": "12345", "text": "x", "reference": "ref-2"});
    let (st, _) = call(
        &s,
        Method::POST,
        "/sms/messages",
        Some("sms-key"),
        Some(bad),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, e) = call(
        &s,
        Method::POST,
        "/sms/messages",
        Some("sms-key"),
        Some(json!({"to": 1})),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e["error"].is_string());

    let (st, _) = call(
        &s,
        Method::PUT,
        "/_sandbox/sms/scenario",
        None,
        Some(json!({"down": true})),
    )
    .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let other = json!({"to": "13900139000", "text": "x", "reference": "ref-3"});
    let (st, _) = call(
        &s,
        Method::POST,
        "/sms/messages",
        Some("sms-key"),
        Some(other),
    )
    .await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE);
    let (st, _) = call(
        &s,
        Method::PUT,
        "/_sandbox/sms/scenario",
        None,
        Some(json!({"dwon": true})),
    )
    .await;
    assert!(st.is_client_error());

    let (_, all) = call(
        &s,
        Method::GET,
        "/_sandbox/sms/messages?to=13800138000",
        None,
        None,
    )
    .await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["reference"], "ref-1");
    let (_, none) = call(
        &s,
        Method::GET,
        "/_sandbox/sms/messages?to=13900139000",
        None,
        None,
    )
    .await;
    assert_eq!(none, json!([]));
}

#[tokio::test]
async fn ratings_are_checked_and_kept_once() {
    let s = state();
    let mut rating = json!({
        "rating_id": "rt-1", "application_id": "a-1", "event_id": "newborn",
        "event_name": "新生儿出生", "departments": ["police"], "score": 5,
        "comment": "", "rated_at": "2026-11-22T08:00:00Z",
    });
    for _ in 0..2 {
        let (st, r) = call(
            &s,
            Method::POST,
            "/evaluation/ratings",
            Some("eval-key"),
            Some(rating.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(r, json!({"rating_id": "rt-1", "accepted": true}));
    }
    rating["rating_id"] = "rt-2".into();
    rating["score"] = 0.into();
    let (st, _) = call(
        &s,
        Method::POST,
        "/evaluation/ratings",
        Some("eval-key"),
        Some(rating),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, all) = call(&s, Method::GET, "/_sandbox/evaluation/ratings", None, None).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn certificates_are_released_for_a_named_purpose_only() {
    let s = state();
    let uri = "/ecerts/r-zhang-wei/certificates?purpose=newborn";
    let (st, list) = call(&s, Method::GET, uri, Some("ecert-key"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["certificates"].as_array().unwrap().len(), 4);

    let (st, e) = call(
        &s,
        Method::GET,
        "/ecerts/r-zhang-wei/certificates",
        Some("ecert-key"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("purpose"));
    let odd = "/ecerts/r-zhang-wei/certificates?purpose=shopping";
    let (st, e) = call(&s, Method::GET, odd, Some("ecert-key"), None).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("purpose"));
    let (st, _) = call(
        &s,
        Method::GET,
        "/ecerts/r-nobody/certificates?purpose=newborn",
        Some("ecert-key"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // A signature for one purpose does not open another.
    let mut req = Request::get("/ecerts/r-zhang-wei/certificates?purpose=retirement");
    for (name, value) in crate::wire::sign("ecert-key", "ecerts", "GET", uri, b"") {
        req = req.header(name, value);
    }
    let req = req.body(Body::empty()).unwrap();
    let res = app(s.clone()).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let (_, log) = call(&s, Method::GET, "/_sandbox/ecerts/access", None, None).await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 1, "only the release is logged");
    assert_eq!(log[0]["sub"], "r-zhang-wei");
    assert_eq!(log[0]["purpose"], "newborn");
}

#[tokio::test]
async fn households_are_signed_with_the_client_secret() {
    let s = state();
    let (st, h) = call(
        &s,
        Method::GET,
        "/households/r-li-na",
        Some("idp-secret"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h["household_id"], "h-zhang-dongcheng");
    assert_eq!(h["members"][0]["relation"], "self");
    let (st, _) = call(
        &s,
        Method::GET,
        "/households/r-li-na",
        Some("dept-key"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = call(
        &s,
        Method::GET,
        "/households/r-nobody",
        Some("idp-secret"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn reset_clears_faults_but_keeps_what_was_received() {
    let s = state();
    let msg = json!({"to": "13800138000", "text": "x", "reference": "kept"});
    call(
        &s,
        Method::POST,
        "/sms/messages",
        Some("sms-key"),
        Some(msg),
    )
    .await;
    call(
        &s,
        Method::PUT,
        "/_sandbox/departments/cdc/scenario",
        None,
        Some(json!({"down": true, "step_ms": 5})),
    )
    .await;
    call(
        &s,
        Method::PUT,
        "/_sandbox/sms/scenario",
        None,
        Some(json!({"down": true})),
    )
    .await;
    call(
        &s,
        Method::PUT,
        "/_sandbox/evaluation/scenario",
        None,
        Some(json!({"down": true})),
    )
    .await;

    let (st, _) = call(&s, Method::POST, "/_sandbox/reset", None, None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let inner = s.inner.lock().unwrap();
    let cdc = &inner.departments["cdc"].scenario;
    assert!(!cdc.down);
    assert_eq!(cdc.step_ms, 777, "the --step-ms pace, not the default");
    assert!(inner
        .departments
        .values()
        .all(|d| d.scenario.step_ms == 777));
    assert!(!inner.sms.scenario.down);
    assert!(!inner.evaluation.scenario.down);
    assert_eq!(inner.sms.messages.len(), 1);
}
