//! 免申即享: `GET /api/me/offers`, `POST /api/me/offers/{id}/dismiss` and the
//! resident's settings (`GET`/`PUT /api/me/settings`: offers, and the
//! language and elder mode their phones may follow).
//!
//! Offers are computed on each read by core's rules over the resident's
//! household register (identity provider), the certificates the rules name
//! (`offer::certificate_reads`, each released for the event it would open)
//! and the resident's own applications. With offers off nothing is read
//! from any platform. Nothing is applied for: an offer only opens an event.

use std::collections::BTreeMap;
use std::time::Duration;

use banshi_core::api::{OfferList, SettingsChange};
use banshi_core::catalog::Catalog;
use banshi_core::offer::{self, Facts, PolicyRules, ResidentFacts};
use banshi_core::platform::{CertificateList, Household, ECERTS, IDP};
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::{Env, Request, Response};

use crate::acting::require_own;
use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::http::{json, now, read_json, today_in_china};
use crate::platform;
use crate::store::Store;

/// The home page waits for this at most per platform call: an offer is a
/// nicety, never a reason for a slow page.
const TIMEOUT: Duration = Duration::from_secs(3);

pub async fn list(
    req: &Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let session = require_own(req, store, false).await?;
    let settings = store.offer_settings(&session.resident_id).await?;
    if settings.off {
        return Ok(json(
            &OfferList {
                enabled: false,
                offers: Vec::new(),
                incomplete: false,
            },
            200,
        ));
    }
    let rules = PolicyRules::embedded();
    let today = today_in_china();
    let platforms = Platforms::from_env(env)?;
    let mut incomplete = false;
    let answer = platform::get(
        &platforms.base_url,
        &platforms.household_path(&session.resident_id),
        platform::Party {
            name: IDP,
            key: &platforms.idp_client_secret,
        },
        TIMEOUT,
    )
    .await?;
    let household: Option<Household> = answer.parse();
    incomplete |= household.is_none();
    let mut certificates = BTreeMap::new();
    for read in household
        .as_ref()
        .map(|h| offer::certificate_reads(rules, h, today))
        .unwrap_or_default()
    {
        let answer = platform::get(
            &platforms.base_url,
            &platforms.certificates_path(&read.sub, &read.purpose, &read.kinds.join(",")),
            platform::Party {
                name: ECERTS,
                key: &platforms.ecert_key,
            },
            TIMEOUT,
        )
        .await?;
        let Some(list) = answer.parse::<CertificateList>() else {
            // Down or refusing: the rest would wait as long again.
            incomplete = true;
            break;
        };
        // Only the kinds asked for, whatever the platform sent.
        let entry: &mut Vec<_> = certificates.entry(read.sub.clone()).or_default();
        entry.extend(
            list.certificates
                .into_iter()
                .filter(|c| read.kinds.contains(&c.kind)),
        );
    }
    let applications = store
        .application_facts(&session.resident_id, catalog)
        .await?;
    let facts = Facts {
        resident: ResidentFacts {
            sub: session.resident_id.clone(),
            name: session.name.clone(),
            id_number: session.id_number.clone(),
        },
        household,
        certificates,
    };
    Ok(json(
        &OfferList {
            enabled: true,
            offers: offer::offers(rules, &facts, &applications, today, &settings),
            incomplete,
        },
        200,
    ))
}

/// `POST /api/me/offers/{id}/dismiss` (CSRF): the offer never comes back,
/// whatever the facts say later.
pub async fn dismiss(req: &Request, store: &Store, id: &str) -> EdgeResult<Response> {
    let session = require_own(req, store, true).await?;
    // The path arrives as sent: `:` is `%3A` from a client that encodes it.
    let id = percent_decoded(id).unwrap_or_default();
    let id = id.as_str();
    if !offer::is_offer_id(id) {
        return Err(EdgeError::Invalid(vec![FieldError {
            field: "id".into(),
            message: Text::new("没有这条提醒", "No such offer"),
        }]));
    }
    store
        .dismiss_offer(&session.resident_id, id, now().timestamp_millis())
        .await?;
    Ok(json(&serde_json::json!({ "dismissed": id }), 200))
}

/// `%XX` escapes decoded; `None` when they do not make UTF-8.
fn percent_decoded(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub async fn settings(req: &Request, store: &Store) -> EdgeResult<Response> {
    let session = require_own(req, store, false).await?;
    let s = store.resident_settings(&session.resident_id).await?;
    Ok(json(&s, 200))
}

/// `PUT /api/me/settings` (CSRF): what the body names changes, the rest is
/// kept (the offers switch sends `{offers}` alone); answers all that is kept.
pub async fn put_settings(req: &mut Request, store: &Store) -> EdgeResult<Response> {
    let session = require_own(req, store, true).await?;
    // An object first: serde would read `[]` as a struct with every field absent.
    let body: serde_json::Map<String, serde_json::Value> = read_json(req).await?;
    let change: SettingsChange = serde_json::from_value(body.into()).map_err(|e| {
        EdgeError::BadRequest(
            "malformed_json",
            Text::new(
                "请求内容的格式不对",
                format!("The body has the wrong shape: {e}"),
            ),
        )
    })?;
    let s = store
        .resident_settings(&session.resident_id)
        .await?
        .changed(change)
        .map_err(|e| EdgeError::Invalid(vec![e]))?;
    store
        .put_resident_settings(&session.resident_id, &s, now().timestamp_millis())
        .await?;
    Ok(json(&s, 200))
}

#[cfg(test)]
mod tests {
    use super::percent_decoded;

    #[test]
    fn an_offer_id_in_a_path_is_read_with_or_without_its_colon_escaped() {
        let id = "disability:0123456789abcdef";
        assert_eq!(
            percent_decoded("disability%3A0123456789abcdef").unwrap(),
            id
        );
        assert_eq!(
            percent_decoded("disability%3a0123456789abcdef").unwrap(),
            id
        );
        assert_eq!(percent_decoded(id).unwrap(), id);
        assert_eq!(percent_decoded("bad%3"), None);
        assert_eq!(percent_decoded("bad%zz"), None);
        assert_eq!(percent_decoded("%FF"), None);
    }
}
