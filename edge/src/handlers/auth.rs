//! Sign-in with the identity provider (OAuth 2.0 authorization code + PKCE),
//! the session cookie, and the CSRF token. Tokens never reach the page: the
//! browser holds only an HttpOnly session cookie.

use std::collections::BTreeMap;

use banshi_core::api::{owner_id, ResidentView, SessionView, TokenResponse, UserInfo};
use banshi_core::signature::constant_time_eq;
use banshi_core::{mask, pkce, Text};
use worker::url::form_urlencoded;
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::http::{cookie, header, json, now, random_token, redirect, set_cookie, sha256_hex};
use crate::store::{SessionRow, Store};

pub const SESSION_COOKIE: &str = "banshi_session";
const AUTH_COOKIE: &str = "banshi_auth";
const SESSION_SECS: i64 = 8 * 3600;
const AUTH_REQUEST_SECS: i64 = 600;

/// Only paths on our own origin, as the browser will read them; anything
/// else goes home (core's `return_to` rule).
fn safe_return_to(s: Option<String>) -> String {
    s.as_deref()
        .and_then(banshi_core::return_to::safe_return_to)
        .unwrap_or("/")
        .to_owned()
}

fn origin(req: &Request) -> EdgeResult<String> {
    let url = req.url()?;
    Ok(url.origin().ascii_serialization())
}

fn query(req: &Request, key: &str) -> EdgeResult<Option<String>> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned()))
}

/// `GET /api/auth/login?return_to=/path`: start the authorization code flow.
pub async fn login(req: &Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let platforms = Platforms::from_env(env)?;
    let state = random_token(16)?;
    let verifier = random_token(32)?; // 64 hex chars: a valid RFC 7636 verifier
    let return_to = safe_return_to(query(req, "return_to")?);
    store
        .save_auth_request(&state, &verifier, &return_to, now().timestamp_millis())
        .await?;
    let redirect_uri = format!("{}/api/auth/callback", origin(req)?);
    let params = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &platforms.idp_client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("scope", "openid profile phone")
        .append_pair("state", &state)
        .append_pair("code_challenge", &pkce::challenge_s256(&verifier))
        .append_pair("code_challenge_method", "S256")
        .finish();
    let resp = redirect(&format!(
        "{}/oauth/authorize?{params}",
        platforms.idp_public_url
    ))?;
    resp.headers().append(
        "set-cookie",
        &set_cookie(req, AUTH_COOKIE, &state, "/api/auth", AUTH_REQUEST_SECS),
    )?;
    Ok(resp)
}

/// The identity provider's token endpoint, with a timeout like every platform call.
async fn post_form(url: &str, form: String) -> EdgeResult<crate::platform::Answer> {
    let headers = Headers::new();
    headers.set("content-type", "application/x-www-form-urlencoded")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(form.into()));
    crate::platform::send(url, &init, IDP_TIMEOUT).await
}

/// A person waits on the sign-in: the identity provider gets less time
/// than a department's relay does.
const IDP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// `GET /api/auth/callback?code&state`: finish sign-in, set the session cookie.
pub async fn callback(req: &Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let platforms = Platforms::from_env(env)?;
    let failed = || {
        EdgeError::Forbidden(Text::new(
            "登录没有完成，请重新登录",
            "Sign-in did not complete; please sign in again",
        ))
    };
    if query(req, "error")?.is_some() {
        return redirect("/?signin=cancelled");
    }
    let (Some(code), Some(state)) = (query(req, "code")?, query(req, "state")?) else {
        return Err(failed());
    };
    // The state must be the one this browser started with (login CSRF).
    if cookie(req, AUTH_COOKIE).as_deref() != Some(state.as_str()) {
        return Err(failed());
    }
    let pending = store.take_auth_request(&state).await?.ok_or_else(failed)?;
    let started = now().timestamp_millis();
    if started - pending.created_at > AUTH_REQUEST_SECS * 1000 {
        return Err(failed());
    }
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", &code)
        .append_pair(
            "redirect_uri",
            &format!("{}/api/auth/callback", origin(req)?),
        )
        .append_pair("client_id", &platforms.idp_client_id)
        .append_pair("client_secret", &platforms.idp_client_secret)
        .append_pair("code_verifier", &pending.verifier)
        .finish();
    let answer = post_form(&format!("{}/oauth/token", platforms.base_url), form).await?;
    match answer.status {
        200 => {}
        0 => {
            return Err(EdgeError::Upstream(
                "token endpoint: no answer in time".into(),
            ))
        }
        _ => return Err(failed()),
    }
    let token: TokenResponse = serde_json::from_str(&answer.body).map_err(|e| {
        EdgeError::Upstream(format!("token body: {}", crate::store::json_error(&e)))
    })?;
    let headers = Headers::new();
    headers.set("authorization", &format!("Bearer {}", token.access_token))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let info = crate::platform::send(
        &format!("{}/oauth/userinfo", platforms.base_url),
        &init,
        IDP_TIMEOUT,
    )
    .await?;
    match info.status {
        200 => {}
        0 => return Err(EdgeError::Upstream("userinfo: no answer in time".into())),
        _ => return Err(failed()),
    }
    let user: UserInfo = serde_json::from_str(&info.body).map_err(|e| {
        EdgeError::Upstream(format!("userinfo body: {}", crate::store::json_error(&e)))
    })?;
    let at = now().timestamp_millis();
    store.upsert_resident(&user, at).await?;
    // Grants made to this phone or ID number before they signed in.
    store
        .match_grants(&user.sub, &user.name, &user.phone, &user.id_number, at)
        .await?;
    let token = random_token(32)?;
    store
        .create_session(
            &sha256_hex(token.as_bytes()),
            &user.sub,
            &random_token(16)?,
            at,
            at + SESSION_SECS * 1000,
        )
        .await?;
    let resp = redirect(&pending.return_to)?;
    resp.headers().append(
        "set-cookie",
        &set_cookie(req, SESSION_COOKIE, &token, "/", SESSION_SECS),
    )?;
    resp.headers().append(
        "set-cookie",
        &set_cookie(req, AUTH_COOKIE, "", "/api/auth", 0),
    )?;
    Ok(resp)
}

/// The signed-in resident, or `None`.
pub async fn current(req: &Request, store: &Store) -> EdgeResult<Option<SessionRow>> {
    match cookie(req, SESSION_COOKIE) {
        Some(token) if !token.is_empty() => {
            store
                .session(&sha256_hex(token.as_bytes()), now().timestamp_millis())
                .await
        }
        _ => Ok(None),
    }
}

/// The signed-in resident, or 401.
pub async fn require(req: &Request, store: &Store) -> EdgeResult<SessionRow> {
    current(req, store).await?.ok_or(EdgeError::Unauthenticated)
}

/// State-changing requests must echo the session's CSRF token in a header,
/// which a cross-site form or image cannot do.
pub fn require_csrf(req: &Request, session: &SessionRow) -> EdgeResult<()> {
    match header(req, "x-csrf-token") {
        Some(t) if constant_time_eq(t.as_bytes(), session.csrf_token.as_bytes()) => Ok(()),
        _ => Err(EdgeError::Forbidden(Text::new(
            "页面已过期，请刷新后再试",
            "This page has expired; please reload and try again",
        ))),
    }
}

/// `GET /api/session`
pub async fn session(req: &Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let current = current(req, store).await?;
    let at = crate::acting::request_now(req, env);
    let (may_act_for, requests_waiting) = match &current {
        Some(s) => (
            crate::acting::may_act_for(env, store, s, at).await?,
            store
                .requests_waiting(
                    &s.resident_id,
                    (at - banshi_core::delegation::REQUEST_TTL).timestamp_millis(),
                )
                .await?,
        ),
        None => (Vec::new(), 0),
    };
    let view = match current {
        None => SessionView {
            resident: None,
            csrf_token: None,
        },
        Some(s) => SessionView {
            resident: Some(ResidentView {
                owner: owner_id(&s.resident_id),
                name_masked: mask::name(&s.name),
                id_number_masked: mask::id_number(&s.id_number),
                phone_masked: mask::phone(&s.phone),
                prefill: BTreeMap::from([
                    ("identity.name".to_owned(), s.name.clone()),
                    ("identity.id_number".to_owned(), s.id_number.clone()),
                    ("identity.phone".to_owned(), s.phone.clone()),
                ]),
                may_act_for,
                requests_waiting,
            }),
            csrf_token: Some(s.csrf_token),
        },
    };
    Ok(json(&view, 200))
}

/// `POST /api/auth/logout`
pub async fn logout(req: &Request, store: &Store) -> EdgeResult<Response> {
    if let Some(s) = current(req, store).await? {
        require_csrf(req, &s)?;
        if let Some(token) = cookie(req, SESSION_COOKIE) {
            store.delete_session(&sha256_hex(token.as_bytes())).await?;
        }
    }
    let resp = json(&serde_json::json!({"signed_out": true}), 200);
    resp.headers()
        .append("set-cookie", &set_cookie(req, SESSION_COOKIE, "", "/", 0))?;
    Ok(resp)
}
