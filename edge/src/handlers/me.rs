//! `GET /api/me/household` and `GET /api/me/certificates?purpose={event}`:
//! the signed-in resident's household (from the identity provider) and
//! electronic certificates (from the certificate platform, released only for
//! a named life event — the purpose the resident agreed to). Always the
//! resident's own: the platform is asked about the session's subject only.

use banshi_core::catalog::Catalog;
use banshi_core::platform::{CertificateList, Household};
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::handlers::auth;
use crate::http::{json, now};
use crate::platform;
use crate::store::Store;

pub async fn household(req: &Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let session = auth::require(req, store).await?;
    let platforms = Platforms::from_env(env)?;
    let answer = platform::get(
        &platforms.base_url,
        &platforms.household_path(&session.resident_id),
        &platforms.idp_client_secret,
        platform::TIMEOUT,
        now().timestamp_millis(),
    )
    .await?;
    let household: Household = answer
        .parse()
        .ok_or_else(|| EdgeError::Upstream(format!("household: {}", answer.status)))?;
    Ok(json(&household, 200))
}

pub async fn certificates(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let session = auth::require(req, store).await?;
    let purpose = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "purpose")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if catalog.event(&purpose).is_none() {
        return Err(EdgeError::BadQuery(vec![FieldError {
            field: "purpose".into(),
            message: Text::new(
                "请说明用电子证照办哪件事（purpose 为事项编号）",
                "Say which life event the certificates are for (purpose = an event id)",
            ),
        }]));
    }
    let platforms = Platforms::from_env(env)?;
    let answer = platform::get(
        &platforms.base_url,
        &platforms.certificates_path(&session.resident_id, &purpose),
        &platforms.ecert_key,
        platform::TIMEOUT,
        now().timestamp_millis(),
    )
    .await?;
    let list: CertificateList = answer
        .parse()
        .ok_or_else(|| EdgeError::Upstream(format!("certificates: {}", answer.status)))?;
    Ok(json(&list, 200))
}
