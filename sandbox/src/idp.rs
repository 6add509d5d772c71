//! The identity provider (统一身份认证), OAuth 2.0 authorization code + PKCE
//! (RFC 6749, RFC 7636). The sign-in page lists the seeded residents; a real
//! provider would check a password or face scan there instead.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use banshi_core::api::{TokenResponse, UserInfo};
use banshi_core::pkce;
use banshi_core::platform::{IdentityMatch, IdentityQuery};
use serde::Deserialize;

use crate::residents;
use crate::{wire, AppState};

const CODE_TTL: Duration = Duration::from_secs(120);
const TOKEN_TTL_SECS: u64 = 600;

pub struct Grant {
    pub sub: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub issued: Instant,
}

#[derive(Debug, Deserialize)]
pub struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    /// Set by the sign-in page's buttons.
    resident: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// An RFC 6749 error, kept small until it becomes a response.
pub struct OAuthError(StatusCode, &'static str, &'static str);

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        oauth_error(self.0, self.1, self.2)
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Local redirect URIs only: the sandbox must not become an open redirector.
fn redirect_allowed(uri: &str) -> bool {
    [
        "http://127.0.0.1:",
        "http://localhost:",
        "http://127.0.0.1/",
        "http://localhost/",
    ]
    .iter()
    .any(|p| uri.starts_with(p))
        && uri.ends_with("/api/auth/callback")
}

fn check(p: &AuthorizeParams, state: &AppState) -> Result<(), OAuthError> {
    let bad = |d: &'static str| Err(OAuthError(StatusCode::BAD_REQUEST, "invalid_request", d));
    if p.response_type.as_deref() != Some("code") {
        return bad("response_type must be code");
    }
    if p.client_id.as_deref() != Some(state.config.client_id.as_str()) {
        return Err(OAuthError(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "unknown client_id",
        ));
    }
    if !p.redirect_uri.as_deref().is_some_and(redirect_allowed) {
        return bad("redirect_uri is not registered");
    }
    if p.code_challenge_method.as_deref() != Some("S256")
        || p.code_challenge.as_deref().unwrap_or("").len() != 43
    {
        return bad("PKCE with S256 is required");
    }
    if p.state.as_deref().unwrap_or("").is_empty() {
        return bad("state is required");
    }
    Ok(())
}

/// `GET /oauth/authorize`: the sign-in page.
pub async fn authorize_page(
    State(state): State<AppState>,
    Query(p): Query<AuthorizeParams>,
) -> Response {
    if let Err(e) = check(&p, &state) {
        return e.into_response();
    }
    let hidden = [
        ("response_type", &p.response_type),
        ("client_id", &p.client_id),
        ("redirect_uri", &p.redirect_uri),
        ("state", &p.state),
        ("code_challenge", &p.code_challenge),
        ("code_challenge_method", &p.code_challenge_method),
    ]
    .iter()
    .map(|(k, v)| {
        format!(
            r#"<input type="hidden" name="{k}" value="{}">"#,
            escape(v.as_deref().unwrap_or(""))
        )
    })
    .collect::<String>();
    let buttons = residents::all()
        .iter()
        .map(|r| {
            format!(
                r#"<button type="submit" name="resident" value="{}"><b>{}</b><span>{}</span></button>"#,
                r.sub,
                escape(r.name),
                escape(r.role)
            )
        })
        .collect::<String>();
    Html(format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>统一身份认证（沙箱）</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0;padding:1rem;background:#f4f6fa;font-size:18px}}
h1{{font-size:1.3rem}}p{{color:#555}}button{{display:block;width:100%;text-align:left;margin:.5rem 0;padding:1rem;font-size:1.1rem;border:1px solid #c8d0e0;border-radius:10px;background:#fff}}
button span{{display:block;color:#666;font-size:.9rem}}</style></head>
<body><h1>统一身份认证（沙箱）</h1><p>这是开发用的模拟登录页。请选择以哪位居民的身份登录。Sandbox sign-in: choose a resident.</p>
<form method="post" action="/oauth/authorize">{hidden}{buttons}</form></body></html>"#
    ))
    .into_response()
}

/// `POST /oauth/authorize`: the resident chose; issue a code and go back.
pub async fn authorize_submit(
    State(state): State<AppState>,
    Form(p): Form<AuthorizeParams>,
) -> Response {
    if let Err(e) = check(&p, &state) {
        return e.into_response();
    }
    let Some(resident) = p.resident.as_deref().and_then(residents::find) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "access_denied",
            "no resident chosen",
        );
    };
    let mut inner = state.inner.lock().expect("sandbox state");
    let code = inner.rng.token();
    inner.grants.insert(
        code.clone(),
        Grant {
            sub: resident.sub.to_owned(),
            client_id: p.client_id.clone().unwrap_or_default(),
            redirect_uri: p.redirect_uri.clone().unwrap_or_default(),
            challenge: p.code_challenge.clone().unwrap_or_default(),
            issued: Instant::now(),
        },
    );
    let redirect_uri = p.redirect_uri.unwrap_or_default();
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let state_param: String = p
        .state
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    Redirect::to(&format!(
        "{redirect_uri}{sep}code={code}&state={state_param}"
    ))
    .into_response()
}

#[derive(Debug, Deserialize)]
pub struct TokenParams {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code_verifier: Option<String>,
}

/// How the identity provider behaves; `PUT /_sandbox/idp/scenario`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdpScenario {
    /// Delay before the token endpoint answers (a slow identity provider).
    pub token_latency_ms: u64,
}

/// `PUT /_sandbox/idp/scenario`
pub async fn set_scenario(
    State(state): State<AppState>,
    axum::Json(s): axum::Json<IdpScenario>,
) -> StatusCode {
    state.inner.lock().expect("sandbox state").idp = s;
    StatusCode::NO_CONTENT
}

/// `POST /oauth/token`: exchange a code (once) for an access token.
pub async fn token(State(state): State<AppState>, Form(p): Form<TokenParams>) -> Response {
    let latency = state
        .inner
        .lock()
        .expect("sandbox state")
        .idp
        .token_latency_ms;
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    if p.grant_type.as_deref() != Some("authorization_code") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "authorization_code only",
        );
    }
    if p.client_id.as_deref() != Some(state.config.client_id.as_str())
        || p.client_secret.as_deref() != Some(state.config.client_secret.as_str())
    {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    }
    let mut inner = state.inner.lock().expect("sandbox state");
    // Single use: the code is removed whether or not the rest checks out.
    let Some(grant) = p.code.as_deref().and_then(|c| inner.grants.remove(c)) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "unknown or used code",
        );
    };
    let verifier = p.code_verifier.unwrap_or_default();
    if grant.issued.elapsed() > CODE_TTL
        || Some(grant.redirect_uri.as_str()) != p.redirect_uri.as_deref()
        || Some(grant.client_id.as_str()) != p.client_id.as_deref()
        || !pkce::verify(&verifier, &grant.challenge)
    {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "code, redirect_uri or code_verifier mismatch",
        );
    }
    let access_token = inner.rng.token();
    inner.tokens.insert(access_token.clone(), grant.sub);
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: TOKEN_TTL_SECS,
        }),
    )
        .into_response()
}

/// `GET /oauth/userinfo` with `Authorization: Bearer …`.
pub async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let inner = state.inner.lock().expect("sandbox state");
    match inner.tokens.get(token).and_then(|sub| residents::find(sub)) {
        Some(r) => Json(UserInfo {
            sub: r.sub.into(),
            name: r.name.into(),
            id_number: r.id_number.into(),
            phone: r.phone.into(),
        })
        .into_response(),
        None => oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "unknown access token",
        ),
    }
}

/// `POST /identity/verify` (实名核验), signed with the client secret: the
/// resident with exactly this name and ID number, or 404. The edge uses it
/// when someone asks to act for a person who may never have signed in.
pub async fn verify_identity(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = wire::verify(
        &state.config.client_secret,
        banshi_core::platform::IDP,
        &Method::POST,
        &uri,
        &headers,
        &body,
    ) {
        return refused.into_response();
    }
    let q: IdentityQuery = match wire::parse(&body) {
        Ok(q) => q,
        Err(refused) => return refused.into_response(),
    };
    let id = q.id_number.trim().to_ascii_uppercase();
    match residents::all()
        .iter()
        .find(|r| r.id_number == id && r.name == q.name.trim())
    {
        Some(r) => Json(IdentityMatch {
            sub: r.sub.into(),
            name: r.name.into(),
            id_number: r.id_number.into(),
            phone: r.phone.into(),
        })
        .into_response(),
        None => wire::error(
            StatusCode::NOT_FOUND,
            "no resident with this name and ID number",
        ),
    }
}
