//! The route table: every path the edge answers, in one place. The app's
//! static files are served through the assets binding (`lib.rs`); only
//! `/api/*` comes here. `HEAD` is answered on every `GET` route, without a body.

use banshi_core::catalog::Catalog;
use worker::{Context, Env, Method, Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::handlers::{
    applications, attachments, auth, calendar, catalog, delegations, departments, inbox, me,
    offers, ops, webhooks,
};
use crate::store::Store;

pub async fn route(req: Request, env: Env, ctx: Context) -> EdgeResult<Response> {
    if req.method() != Method::Head {
        return dispatch(req, env, ctx).await;
    }
    // HEAD is GET without the body: same status, same headers.
    let resp = dispatch(req, env, ctx)
        .await
        .unwrap_or_else(|e| e.into_response());
    let headers = resp.headers().clone();
    Ok(Response::empty()?
        .with_status(resp.status_code())
        .with_headers(headers))
}

async fn dispatch(mut req: Request, env: Env, ctx: Context) -> EdgeResult<Response> {
    let catalog = Catalog::embedded();
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = match req.method() {
        Method::Head => Method::Get,
        m => m,
    };
    use Method::*;
    match (method, segments.as_slice()) {
        (Get, ["api", "openapi.json"]) => catalog::openapi(),
        (Get, ["api", "events"]) => catalog::list(&req, catalog),
        (Get, ["api", "events", id]) => catalog::get(&req, catalog, id),
        (Get, ["api", "search-index"]) => catalog::search_index(&req, catalog),
        (Get, ["api", "calendar", "due"]) => calendar::due(&req, catalog),
        (Get, ["api", "session"]) => auth::session(&req, &env, &Store::new(&env)?).await,
        (Get, ["api", "auth", "login"]) => auth::login(&req, &env, &Store::new(&env)?).await,
        (Get, ["api", "auth", "callback"]) => auth::callback(&req, &env, &Store::new(&env)?).await,
        (Post, ["api", "auth", "logout"]) => auth::logout(&req, &Store::new(&env)?).await,
        (Post, ["api", "applications"]) => {
            applications::submit(&mut req, &env, &Store::new(&env)?, catalog).await
        }
        (Get, ["api", "applications"]) => {
            applications::list(&req, &env, &Store::new(&env)?, catalog).await
        }
        (Get, ["api", "applications", id]) => {
            let id = id.to_string();
            applications::get(&req, &env, &Store::new(&env)?, catalog, &id).await
        }
        (Post, ["api", "applications", id, "items", item, "withdraw"]) => {
            let (id, item) = (id.to_string(), item.to_string());
            applications::withdraw(&req, &env, &Store::new(&env)?, catalog, &id, &item).await
        }
        (Post, ["api", "applications", id, "items", item, "resubmit"]) => {
            let (id, item) = (id.to_string(), item.to_string());
            applications::resubmit(&mut req, &env, &Store::new(&env)?, catalog, &id, &item).await
        }
        (Post, ["api", "applications", id, "items", item, "materials", material]) => {
            let (id, item, material) = (id.to_string(), item.to_string(), material.to_string());
            applications::provide_material(
                &mut req,
                &env,
                &Store::new(&env)?,
                catalog,
                &id,
                &item,
                &material,
            )
            .await
        }
        (Post, ["api", "applications", id, "rating"]) => {
            let id = id.to_string();
            applications::rate(&mut req, &env, &Store::new(&env)?, catalog, &id).await
        }
        (Post, ["api", "attachments"]) => {
            attachments::upload(&mut req, &env, &Store::new(&env)?).await
        }
        (Get, ["api", "attachments"]) => attachments::list(&req, &env, &Store::new(&env)?).await,
        (Get, ["api", "attachments", id]) => {
            let id = id.to_string();
            attachments::get(&req, &env, &Store::new(&env)?, &id).await
        }
        (Get, ["api", "me", "household"]) => me::household(&req, &env, &Store::new(&env)?).await,
        (Post, ["api", "me", "certificates"]) => {
            me::certificates(&mut req, &env, &Store::new(&env)?, catalog).await
        }
        (Get, ["api", "me", "offers"]) => {
            offers::list(&req, &env, &Store::new(&env)?, catalog).await
        }
        (Post, ["api", "me", "offers", id, "dismiss"]) => {
            let id = id.to_string();
            offers::dismiss(&req, &Store::new(&env)?, &id).await
        }
        (Get, ["api", "me", "settings"]) => offers::settings(&req, &Store::new(&env)?).await,
        (Put, ["api", "me", "settings"]) => {
            offers::put_settings(&mut req, &Store::new(&env)?).await
        }
        (Get, ["api", "departments", dept, "attachments", id]) => {
            let (dept, id) = (dept.to_string(), id.to_string());
            departments::attachment(&req, &env, &Store::new(&env)?, catalog, &dept, &id).await
        }
        (Post, ["api", "ops", "cron"]) => ops::cron(&req, &env).await,
        (Get, ["api", "delegations"]) => {
            delegations::list(&req, &env, &Store::new(&env)?, catalog).await
        }
        (Post, ["api", "delegations"]) => {
            delegations::grant(&mut req, &env, &Store::new(&env)?, catalog).await
        }
        (Post, ["api", "delegations", "requests"]) => {
            delegations::request(&mut req, &env, &Store::new(&env)?, catalog).await
        }
        (Post, ["api", "delegations", "paper"]) => {
            delegations::paper(&mut req, &env, &Store::new(&env)?, catalog).await
        }
        (Get, ["api", "delegations", "audit"]) => {
            delegations::audit(&req, &env, &Store::new(&env)?).await
        }
        (Post, ["api", "delegations", id, "code"]) => {
            let id = id.to_string();
            delegations::enter_code(&mut req, &env, &Store::new(&env)?, catalog, &id).await
        }
        (Post, ["api", "delegations", id, "approve"]) => {
            let id = id.to_string();
            delegations::approve(&req, &env, &Store::new(&env)?, catalog, &id).await
        }
        (Post, ["api", "delegations", id, "decline"]) => {
            let id = id.to_string();
            delegations::decline(&req, &env, &Store::new(&env)?, catalog, &id).await
        }
        (Post, ["api", "delegations", id, "revoke"]) => {
            let id = id.to_string();
            delegations::revoke(&req, &env, &Store::new(&env)?, catalog, &id).await
        }
        (Get, ["api", "ops", "outbox"]) => ops::outbox(&req, &env).await,
        (Get, ["api", "inbox"]) => inbox::list(&req, &env, &Store::new(&env)?, catalog).await,
        (Post, ["api", "inbox", "seen"]) => inbox::seen(&mut req, &env, &Store::new(&env)?).await,
        (Post, ["api", "webhooks", "departments", dept]) => {
            let dept = dept.to_string();
            webhooks::department(&mut req, &env, &ctx, &Store::new(&env)?, catalog, &dept).await
        }
        (
            _,
            ["api", "events"]
            | ["api", "events", _]
            | ["api", "search-index"]
            | ["api", "session"]
            | ["api", "applications"]
            | ["api", "applications", _]
            | ["api", "calendar", "due"]
            | ["api", "auth", _]
            | ["api", "webhooks", "departments", _]
            | ["api", "inbox"]
            | ["api", "inbox", "seen"]
            | ["api", "applications", _, "items", _, "withdraw"]
            | ["api", "applications", _, "items", _, "resubmit"]
            | ["api", "applications", _, "items", _, "materials", _]
            | ["api", "departments", _, "attachments", _]
            | ["api", "applications", _, "rating"]
            | ["api", "attachments"]
            | ["api", "attachments", _]
            | ["api", "me", "household" | "certificates"]
            | ["api", "me", "offers" | "settings"]
            | ["api", "me", "offers", _, "dismiss"]
            | ["api", "ops", "cron" | "outbox"]
            | ["api", "delegations"]
            | ["api", "delegations", "requests" | "paper" | "audit"]
            | ["api", "delegations", _, "code" | "approve" | "decline" | "revoke"],
        ) => Err(EdgeError::MethodNotAllowed),
        _ => Err(EdgeError::NoRoute),
    }
}
