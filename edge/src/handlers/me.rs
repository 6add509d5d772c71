//! `GET /api/me/household` and `POST /api/me/certificates`: the signed-in
//! resident's household (from the identity provider) and electronic
//! certificates (from the certificate platform, released only for a named
//! life event — the purpose — and only the types the resident consented to).
//! Always the resident's own: the platform is asked about the session's
//! subject only.

use std::collections::BTreeSet;

use banshi_core::api::{EventBundle, ReleaseCertificates, ReleasedCertificates};
use banshi_core::catalog::Catalog;
use banshi_core::platform::{CertificateList, Household};
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use banshi_core::delegation::audit::AuditAction;
use banshi_core::delegation::{Action, Target};

use crate::acting;
use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::handlers::auth;
use crate::http::{json, now, read_json};
use crate::platform;
use crate::store::{ReleaseRow, Store};

pub async fn household(req: &Request, env: &Env, store: &Store) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    // Acting for someone: the principal's household, if core allows it.
    acting
        .allow(env, store, Action::Read, &Target::Person)
        .await?;
    let session = &acting.session;
    let platforms = Platforms::from_env(env)?;
    let answer = platform::get(
        &platforms.base_url,
        &platforms.household_path(&session.resident_id),
        platform::Party {
            name: banshi_core::platform::IDP,
            key: &platforms.idp_client_secret,
        },
        platform::TIMEOUT,
    )
    .await?;
    let household: Household = answer
        .parse()
        .ok_or_else(|| EdgeError::Upstream(format!("household: {}", answer.status)))?;
    Ok(json(&household, 200))
}

/// `POST /api/me/certificates` (CSRF): release the e-certificates the
/// resident consented to, each by name, for one event. The platform logs the
/// purpose; we record each release, which an `ecert` provision then needs.
pub async fn certificates(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let acting = acting::require(req, env, store).await?;
    auth::require_csrf(req, &acting.session)?;
    let session = &acting.session;
    let ask: ReleaseCertificates = read_json(req).await?;
    let Some(event) = catalog.event(&ask.purpose) else {
        return Err(EdgeError::Invalid(vec![FieldError {
            field: "purpose".into(),
            message: Text::new(
                "请说明用电子证照办哪件事（purpose 为事项编号）",
                "Say which life event the certificates are for (purpose = an event id)",
            ),
        }]));
    };
    let authority = acting
        .allow_event(env, store, Action::ReleaseCertificates, event)
        .await?;
    let named = EventBundle::of(catalog, event).ecerts;
    let wanted: BTreeSet<&str> = ask.ecerts.iter().map(String::as_str).collect();
    if wanted.is_empty() || wanted.len() > named.len() || wanted.len() != ask.ecerts.len() {
        return Err(EdgeError::Invalid(vec![FieldError {
            field: "ecerts".into(),
            message: Text::new(
                "请选择要调取的电子证照，每种一次",
                "Choose the e-certificates to release, each once",
            ),
        }]));
    }
    if let Some(bad) = wanted.iter().find(|w| !named.iter().any(|c| c.id == **w)) {
        return Err(EdgeError::Invalid(vec![FieldError {
            field: "ecerts".into(),
            message: Text::new(
                format!("办这件事用不到这种电子证照：{bad}"),
                format!("This life event does not use that e-certificate: {bad}"),
            ),
        }]));
    }
    let kinds = wanted.iter().copied().collect::<Vec<_>>().join(",");
    let platforms = Platforms::from_env(env)?;
    let at = now();
    let answer = platform::get(
        &platforms.base_url,
        &platforms.certificates_path(&session.resident_id, &event.id, &kinds),
        platform::Party {
            name: banshi_core::platform::ECERTS,
            key: &platforms.ecert_key,
        },
        platform::TIMEOUT,
    )
    .await?;
    let list: CertificateList = answer
        .parse()
        .ok_or_else(|| EdgeError::Upstream(format!("certificates: {}", answer.status)))?;
    // Only what was consented to, whatever the platform sent.
    let certificates: Vec<_> = list
        .certificates
        .into_iter()
        .filter(|c| wanted.contains(c.kind.as_str()))
        .collect();
    let released: Vec<ReleaseRow> = certificates
        .iter()
        .map(|c| ReleaseRow {
            ecert: c.kind.clone(),
            number: c.number.clone(),
            issuer: c.issuer.clone(),
        })
        .collect();
    store
        .record_releases(
            &session.resident_id,
            &event.id,
            &released,
            at.timestamp_millis(),
        )
        .await?;
    acting
        .audit(
            store,
            &authority,
            AuditAction::ReleasedCertificates,
            Some(event),
            None,
        )
        .await?;
    Ok(json(
        &ReleasedCertificates {
            purpose: event.id.clone(),
            released_at: at,
            certificates,
        },
        200,
    ))
}
