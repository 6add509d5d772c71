//! `POST /api/webhooks/departments/{department}`: a department reports a
//! status change. Signed with that department's own key over method, path,
//! department, timestamp and body; a bad signature or a stale timestamp is
//! refused before the body is even parsed. An applied
//! update's text message is sent after the answer (`wait_until`).

use banshi_core::api::DepartmentUpdate;
use banshi_core::catalog::Catalog;
use banshi_core::signature::{self, Signed, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use banshi_core::Text;
use worker::{Context, Env, Request, Response};

use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::http::{header, json, now, read_body};
use crate::store::Store;
use crate::{intake, notify};

pub async fn department(
    req: &mut Request,
    env: &Env,
    ctx: &Context,
    store: &Store,
    catalog: &Catalog,
    dept: &str,
) -> EdgeResult<Response> {
    if catalog.department(dept).is_none() {
        return Err(EdgeError::NotFound);
    }
    let link = Platforms::from_env(env)?.department(env, dept)?;
    let body = read_body(req).await?;
    let at = now();
    let path = req.url()?.path().to_owned();
    signature::verify(
        link.key.as_bytes(),
        header(req, TIMESTAMP_HEADER).as_deref(),
        header(req, SIGNATURE_HEADER).as_deref(),
        &Signed {
            method: "POST",
            path: &path,
            party: dept,
            body: &body,
        },
        at.timestamp(),
    )
    .map_err(|e| EdgeError::BadSignature(e.to_string()))?;
    let update: DepartmentUpdate = serde_json::from_slice(&body).map_err(|e| {
        EdgeError::BadRequest(
            "malformed_update",
            Text::new("状态通知格式不对", format!("Malformed update: {e}")),
        )
    })?;
    let raw = String::from_utf8_lossy(&body);
    let result =
        intake::receive(store, catalog, dept, &update, &raw, at.timestamp_millis()).await?;
    if result == intake::Intake::Applied {
        // Text the resident after answering the department, not before.
        let env = env.clone();
        ctx.wait_until(async move {
            if let Ok(store) = Store::new(&env) {
                if let Err(e) = notify::flush(&env, &store, now().timestamp_millis(), 5).await {
                    worker::console_warn!("sms after webhook: {e:?}");
                }
                // The agent's copy of the same message (家人代办).
                if let Err(e) = notify::flush_texts(&env, &store, now().timestamp_millis(), 5).await
                {
                    worker::console_warn!("texts after webhook: {e:?}");
                }
            }
        });
    }
    Ok(json(&serde_json::json!({ "result": result }), 200))
}
