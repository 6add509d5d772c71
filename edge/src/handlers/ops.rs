//! `POST /api/ops/cron?time={ms}`: run the minute's cron now. For local
//! development and tests only: wrangler dev never fires crons by itself, and
//! its scheduled-test endpoint cannot reach a workers-rs class entrypoint
//! (the ScheduledController does not cross its RPC boundary). Answers 404
//! unless the `CRON_TRIGGER_TOKEN` secret is set, and 401 without it.

use worker::{Env, Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::http::{header, json, now};

pub async fn cron(req: &Request, env: &Env) -> EdgeResult<Response> {
    let Ok(token) = env.secret("CRON_TRIGGER_TOKEN").map(|s| s.to_string()) else {
        return Err(EdgeError::NoRoute);
    };
    let expected = format!("Bearer {token}");
    if token.is_empty() || header(req, "authorization").as_deref() != Some(expected.as_str()) {
        return Err(EdgeError::Unauthenticated);
    }
    let at = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "time")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .unwrap_or_else(|| now().timestamp_millis());
    crate::cron::run(env, at).await;
    Ok(json(&serde_json::json!({ "ran": true, "at": at }), 200))
}
