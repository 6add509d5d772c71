//! `POST /api/ops/cron?time={ms}`: run the minute's cron now. For local
//! development and tests only: wrangler dev never fires crons by itself, and
//! its scheduled-test endpoint cannot reach a workers-rs class entrypoint
//! (the ScheduledController does not cross its RPC boundary). Answers 404
//! unless the `CRON_TRIGGER_TOKEN` secret is set, and 401 without it. A
//! `time=` override ("run as if it were three days later") is honoured only
//! in local development (`LOCAL_DEVELOPMENT = "1"`, set by `cargo xtask`).

use banshi_core::signature::constant_time_eq;
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::http::{header, json, now};

/// The operator's token, or 404 when none is set (the routes do not exist
/// then) and 401 when the request does not carry it.
fn operator(req: &Request, env: &Env) -> EdgeResult<()> {
    let Ok(token) = env.secret("CRON_TRIGGER_TOKEN").map(|s| s.to_string()) else {
        return Err(EdgeError::NoRoute);
    };
    let expected = format!("Bearer {token}");
    let given = header(req, "authorization").unwrap_or_default();
    if token.is_empty() || !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(EdgeError::Unauthenticated);
    }
    Ok(())
}

/// `GET /api/ops/outbox`: every outbox's rows by state, and each row an
/// operator must follow up (refused for good, given up).
pub async fn outbox(req: &Request, env: &Env) -> EdgeResult<Response> {
    operator(req, env)?;
    let (counts, stuck) = crate::store::Store::new(env)?.outbox_report().await?;
    Ok(json(
        &serde_json::json!({ "counts": counts, "follow_up": stuck }),
        200,
    ))
}

pub async fn cron(req: &Request, env: &Env) -> EdgeResult<Response> {
    operator(req, env)?;
    let time = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "time")
        .map(|(_, v)| v.into_owned());
    let local = env
        .var("LOCAL_DEVELOPMENT")
        .map(|v| v.to_string() == "1")
        .unwrap_or(false);
    let at = run_time(time.as_deref(), local, now().timestamp_millis())
        .map_err(|e| EdgeError::BadQuery(vec![e]))?;
    crate::cron::run(env, at).await;
    Ok(json(&serde_json::json!({ "ran": true, "at": at }), 200))
}

/// When the run is "for": now, or the `time` asked for — in local development only.
fn run_time(time: Option<&str>, local: bool, now: i64) -> Result<i64, FieldError> {
    let err = |zh: &str, en: &str| FieldError {
        field: "time".into(),
        message: Text::new(zh, en),
    };
    match time {
        None => Ok(now),
        Some(_) if !local => Err(err(
            "只有本地开发时才能指定运行时间",
            "A run time can be given in local development only",
        )),
        Some(t) => t.parse::<i64>().map_err(|_| {
            err(
                "时间应为毫秒数",
                "The time must be milliseconds since the epoch",
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::run_time;

    #[test]
    fn a_run_time_override_is_refused_outside_local_development() {
        assert_eq!(run_time(None, false, 7), Ok(7));
        assert_eq!(run_time(Some("1000"), true, 7), Ok(1000));
        assert_eq!(run_time(Some("1000"), false, 7).unwrap_err().field, "time");
        assert!(run_time(Some("soon"), true, 7).is_err());
    }
}
