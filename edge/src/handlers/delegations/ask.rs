//! How a delegation comes about: the agent asks (the principal is texted a
//! 6-digit code, stored only as its keyed hash), the agent enters the code
//! the principal read out, the principal grants from their own account to a
//! phone or ID number, or the agent uploads a signed paper mandate that
//! waits for the department. Limits, terms and the code check are core's.

use banshi_core::api::{AgentContact, EnterCode, GrantDelegation, PaperMandate, RequestDelegation};
use banshi_core::catalog::Catalog;
use banshi_core::delegation::api::scope_text;
use banshi_core::delegation::audit::{AuditAction, Party, Viewer};
use banshi_core::delegation::consent::{
    check_code, code_hash, grant_sms, may_request, new_code, request_sms, wrong_code_message,
    CodeOutcome, ConsentError, PendingCode, CODE_TTL, LIMIT_WINDOW,
};
use banshi_core::delegation::{DelegationState, Relationship, Terms, Validity, Way};
use banshi_core::platform::{IdentityMatch, IdentityQuery};
use banshi_core::validate::{FieldError, IdNumber};
use banshi_core::Text;
use chrono::{DateTime, Utc};
use worker::{Env, Request, Response};

use super::{change_state, changed, delegation_for, not_waiting, own, view};
use crate::acting::{leads_a_business_for_scope, person, request_now};
use crate::config::Platforms;
use crate::error::{EdgeError, EdgeResult};
use crate::http::{json, random_token, read_json};
use crate::platform;
use crate::store::{
    MandatePages, NewAudit, NewDelegation, NewText, ResidentRow, SessionRow, Store,
};

/// The key consent codes are hashed under: its own secret where set.
fn code_key(env: &Env) -> EdgeResult<Vec<u8>> {
    let key = env
        .secret("CONSENT_CODE_KEY")
        .map(|s| s.to_string())
        .ok()
        .filter(|k| !k.is_empty())
        .map(Ok)
        .unwrap_or_else(|| {
            Platforms::from_env(env).map(|p| format!("consent-code:{}", p.idp_client_secret))
        })?;
    Ok(key.into_bytes())
}

fn consent_error(e: ConsentError) -> EdgeError {
    match e {
        ConsentError::Malformed => EdgeError::Invalid(vec![FieldError {
            field: "code".into(),
            message: e.message(),
        }]),
        ConsentError::TooManyWrongCodes
        | ConsentError::TooManyRequestsByAgent
        | ConsentError::TooManyRequestsForPrincipal => EdgeError::TooMany(e.code(), e.message()),
        ConsentError::Expired | ConsentError::Locked => EdgeError::Refused(e.code(), e.message()),
    }
}

fn terms_errors(
    catalog: &Catalog,
    errors: Vec<banshi_core::delegation::TermsError>,
) -> EdgeResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(EdgeError::Invalid(
            errors.iter().map(|e| e.field_error(catalog)).collect(),
        ))
    }
}

/// The principal the agent names, as the identity provider knows them
/// (实名核验); remembered so they can be texted and shown.
async fn verify_principal(
    env: &Env,
    store: &Store,
    name: &str,
    id_number: &str,
    now: DateTime<Utc>,
) -> EdgeResult<ResidentRow> {
    let field = |message: Text| {
        EdgeError::Invalid(vec![FieldError {
            field: "principal_id_number".into(),
            message,
        }])
    };
    let id = IdNumber::parse(id_number, crate::http::today_in_china()).map_err(field)?;
    let platforms = Platforms::from_env(env)?;
    let query = IdentityQuery {
        name: name.trim().to_owned(),
        id_number: id.as_ref().to_owned(),
    };
    let answer = platform::post(
        &format!("{}/identity/verify", platforms.base_url),
        platform::Party {
            name: banshi_core::platform::IDP,
            key: &platforms.idp_client_secret,
        },
        &random_token(8)?,
        serde_json::to_string(&query)?,
        platform::TIMEOUT,
    )
    .await?;
    if answer.status == 404 {
        return Err(field(Text::new(
            "姓名和身份证号对不上，请核对后再试。",
            "The name and ID number do not match anyone; please check them.",
        )));
    }
    let m: IdentityMatch = answer
        .parse()
        .ok_or_else(|| EdgeError::Upstream(format!("identity: {}", answer.status)))?;
    let r = ResidentRow {
        id: m.sub,
        name: m.name,
        id_number: m.id_number,
        phone: m.phone,
    };
    store.remember_resident(&r, now.timestamp_millis()).await?;
    // A principal who signed in before is as their own sign-in says.
    Ok(store.resident(&r.id).await?.unwrap_or(r))
}

fn until_text(validity: &Validity) -> String {
    match validity {
        Validity::Until { until } => format!("有效期至{}", until.format("%Y年%-m月%-d日")),
        Validity::OneApplication => "办完一件申请为止".into(),
    }
}

/// "张伟（儿子）": the agent as the principal knows them.
fn agent_label(agent: &SessionRow, relationship: Relationship) -> String {
    let w = relationship.word(person(&agent.name, &agent.id_number).male);
    format!("{}（{}）", agent.name, w.zh)
}

/// `POST /api/delegations/requests` (CSRF): the agent asks; the principal is
/// texted the request with its code.
pub async fn request(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let me = own(req, store, true).await?;
    let now = request_now(req, env);
    let ask: RequestDelegation = read_json(req).await?;
    let principal = verify_principal(
        env,
        store,
        &ask.principal_name,
        &ask.principal_id_number,
        now,
    )
    .await?;
    let today = banshi_core::message::china_time(now).date_naive();
    terms_errors(
        catalog,
        Terms {
            principal: &principal.id,
            agent: &me.resident_id,
            relationship: ask.relationship,
            scope: &ask.scope,
            validity: &ask.validity,
            way: Way::Consent,
            principal_is_legal_representative: leads_a_business_for_scope(
                env,
                catalog,
                &principal.id,
                &ask.scope,
            )
            .await?,
        }
        .check(catalog, today),
    )?;
    let since = (now - LIMIT_WINDOW).timestamp_millis();
    may_request(
        store
            .requests_by_agent_since(&me.resident_id, since)
            .await?,
        store
            .requests_for_principal_since(&principal.id, since)
            .await?,
    )
    .map_err(consent_error)?;
    let id = format!("D{}", random_token(12)?);
    let mut random = [0u8; 8];
    getrandom::getrandom(&mut random).map_err(|e| EdgeError::Internal(format!("random: {e}")))?;
    let code = new_code(random);
    let pending = PendingCode {
        hash: code_hash(&code_key(env)?, &id, &code),
        expires_at: now + CODE_TTL,
        attempts: 0,
    };
    let what = scope_text(catalog, &ask.scope);
    let sms = request_sms(&agent_label(&me, ask.relationship), &what.zh, &code);
    let reference = format!("banshi-dl-{id}");
    let principal_person = person(&principal.name, &principal.id_number);
    let agent_person = person(&me.name, &me.id_number);
    store
        .create_delegation(
            &NewDelegation {
                id: &id,
                principal_id: &principal.id,
                agent_id: Some(&me.resident_id),
                agent_name: &me.name,
                agent_phone: Some(&me.phone),
                agent_id_number: Some(&me.id_number),
                relationship: ask.relationship,
                scope: &ask.scope,
                validity: &ask.validity,
                state: DelegationState::Requested,
                way: Way::Consent,
                mandate: None,
                now: now.timestamp_millis(),
            },
            Some(&pending),
            &NewAudit {
                delegation_id: Some(&id),
                principal_id: &principal.id,
                agent_id: Some(&me.resident_id),
                principal: &principal_person,
                agent: &agent_person,
                relationship: ask.relationship,
                action: AuditAction::Requested,
                by: Party::Agent,
                event_id: None,
                application_id: None,
                what: Some(&what),
                at: now.timestamp_millis(),
            },
            (!principal.phone.is_empty())
                .then(|| NewText {
                    reference: &reference,
                    resident_id: Some(&principal.id),
                    phone: &principal.phone,
                    text: &sms,
                    application_id: None,
                    now: now.timestamp_millis(),
                })
                .as_ref(),
        )
        .await?;
    send_now(env, store).await;
    let row = store.delegation(&id).await?.ok_or(EdgeError::NotFound)?;
    Ok(json(
        &view(store, catalog, &row, Viewer::Agent, now).await?,
        201,
    ))
}

/// Texts go out at once (the cron retries what fails).
async fn send_now(env: &Env, store: &Store) {
    let at = crate::http::now().timestamp_millis();
    if let Err(e) = crate::notify::flush_texts(env, store, at, 10).await {
        worker::console_warn!("texts: {e:?}");
    }
}

/// `POST /api/delegations/{id}/code` (CSRF): the agent enters the code the
/// principal read out. Five wrong tries lock it; so does its 10 minutes.
pub async fn enter_code(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
) -> EdgeResult<Response> {
    let me = own(req, store, true).await?;
    let now = request_now(req, env);
    let given: EnterCode = read_json(req).await?;
    let row = delegation_for(store, &me, id, false, true).await?;
    let d = row.delegation(false)?;
    if d.way != Way::Consent || d.state_at(now) != DelegationState::Requested {
        return Err(not_waiting());
    }
    let pending = store.consent_code(id).await?.ok_or_else(not_waiting)?;
    let since = (now - LIMIT_WINDOW).timestamp_millis();
    let wrong = store.wrong_codes_since(&me.resident_id, since).await?;
    match check_code(&code_key(env)?, id, &pending, &given.code, wrong, now)
        .map_err(consent_error)?
    {
        CodeOutcome::Correct => {
            // Read out in person: the principal's consent, entered by the agent.
            if !change_state(
                store,
                &row,
                &[DelegationState::Requested],
                DelegationState::Active,
                AuditAction::Approved,
                Party::Agent,
                now,
            )
            .await?
            {
                return Err(not_waiting());
            }
            changed(store, catalog, id, Viewer::Agent, now).await
        }
        CodeOutcome::Wrong { attempts_left } => {
            store
                .record_wrong_code(id, &me.resident_id, now.timestamp_millis())
                .await?;
            let code = if attempts_left == 0 {
                "code_locked"
            } else {
                "wrong_code"
            };
            Err(EdgeError::Refused(code, wrong_code_message(attempts_left)))
        }
    }
}

/// `POST /api/delegations` (CSRF): the principal grants from their own
/// account; the agent is matched by phone or ID number and name when they
/// sign in (now, if they already have).
pub async fn grant(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let me = own(req, store, true).await?;
    let now = request_now(req, env);
    let g: GrantDelegation = read_json(req).await?;
    let name = g.agent_name.trim();
    let (phone, id_number) = match &g.agent {
        AgentContact::Phone(p) => (Some(p.trim().to_owned()), None),
        AgentContact::IdNumber(n) => {
            let n = IdNumber::parse(n, crate::http::today_in_china()).map_err(|message| {
                EdgeError::Invalid(vec![FieldError {
                    field: "agent".into(),
                    message,
                }])
            })?;
            (None, Some(n.as_ref().to_owned()))
        }
    };
    if name.is_empty()
        || phone
            .as_deref()
            .is_some_and(|p| p.len() != 11 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(EdgeError::Invalid(vec![FieldError {
            field: "agent".into(),
            message: Text::new(
                "请填写对方的姓名，和11位手机号或18位身份证号",
                "Give their name, and an 11-digit mobile number or 18-character ID number",
            ),
        }]));
    }
    let known = store
        .resident_by_contact(name, phone.as_deref(), id_number.as_deref())
        .await?;
    let agent_id = known.as_ref().map(|r| r.id.clone());
    let today = banshi_core::message::china_time(now).date_naive();
    terms_errors(
        catalog,
        Terms {
            principal: &me.resident_id,
            agent: agent_id.as_deref().unwrap_or(""),
            relationship: g.relationship,
            scope: &g.scope,
            validity: &g.validity,
            way: Way::Grant,
            principal_is_legal_representative: leads_a_business_for_scope(
                env,
                catalog,
                &me.resident_id,
                &g.scope,
            )
            .await?,
        }
        .check(catalog, today),
    )?;
    let id = format!("D{}", random_token(12)?);
    let what = scope_text(catalog, &g.scope);
    let agent_phone = known
        .as_ref()
        .map(|r| r.phone.clone())
        .or(phone.clone())
        .unwrap_or_default();
    let sms = grant_sms(&me.name, &what.zh, &until_text(&g.validity));
    let reference = format!("banshi-dl-{id}");
    let principal_person = person(&me.name, &me.id_number);
    let agent_person = person(
        name,
        known
            .as_ref()
            .map(|r| r.id_number.as_str())
            .or(id_number.as_deref())
            .unwrap_or_default(),
    );
    store
        .create_delegation(
            &NewDelegation {
                id: &id,
                principal_id: &me.resident_id,
                agent_id: agent_id.as_deref(),
                agent_name: name,
                agent_phone: phone.as_deref(),
                agent_id_number: id_number.as_deref(),
                relationship: g.relationship,
                scope: &g.scope,
                validity: &g.validity,
                state: DelegationState::Active,
                way: Way::Grant,
                mandate: None,
                now: now.timestamp_millis(),
            },
            None,
            &NewAudit {
                delegation_id: Some(&id),
                principal_id: &me.resident_id,
                agent_id: agent_id.as_deref(),
                principal: &principal_person,
                agent: &agent_person,
                relationship: g.relationship,
                action: AuditAction::Granted,
                by: Party::Principal,
                event_id: None,
                application_id: None,
                what: Some(&what),
                at: now.timestamp_millis(),
            },
            (!agent_phone.is_empty())
                .then(|| NewText {
                    reference: &reference,
                    resident_id: agent_id.as_deref(),
                    phone: &agent_phone,
                    text: &sms,
                    application_id: None,
                    now: now.timestamp_millis(),
                })
                .as_ref(),
        )
        .await?;
    send_now(env, store).await;
    let row = store.delegation(&id).await?.ok_or(EdgeError::NotFound)?;
    Ok(json(
        &view(store, catalog, &row, Viewer::Principal, now).await?,
        201,
    ))
}

/// `POST /api/delegations/paper` (CSRF): a signed 授权委托书 and the
/// principal's ID card, the agent's own uploads; pending until the
/// department checks it with the first application.
pub async fn paper(
    req: &mut Request,
    env: &Env,
    store: &Store,
    catalog: &Catalog,
) -> EdgeResult<Response> {
    let me = own(req, store, true).await?;
    let now = request_now(req, env);
    let p: PaperMandate = read_json(req).await?;
    let mut bad = Vec::new();
    for (field, ids, zh, en) in [
        (
            "mandate",
            &p.mandate,
            "授权委托书",
            "the letter of authorisation",
        ),
        (
            "principal_id_card",
            &p.principal_id_card,
            "对方的身份证",
            "their ID card",
        ),
    ] {
        let found = store.own_attachments(&me.resident_id, ids).await?;
        if ids.is_empty() || ids.len() > 4 || found.len() != ids.len() {
            bad.push(FieldError {
                field: field.into(),
                message: Text::new(
                    format!("请拍照上传{zh}（1到4页），只能用您自己上传的照片"),
                    format!("Upload photos of {en} (1 to 4 pages), your own uploads only"),
                ),
            });
        }
    }
    if !bad.is_empty() {
        return Err(EdgeError::Invalid(bad));
    }
    let principal =
        verify_principal(env, store, &p.principal_name, &p.principal_id_number, now).await?;
    let today = banshi_core::message::china_time(now).date_naive();
    terms_errors(
        catalog,
        Terms {
            principal: &principal.id,
            agent: &me.resident_id,
            relationship: p.relationship,
            scope: &p.scope,
            validity: &p.validity,
            way: Way::Paper,
            principal_is_legal_representative: leads_a_business_for_scope(
                env,
                catalog,
                &principal.id,
                &p.scope,
            )
            .await?,
        }
        .check(catalog, today),
    )?;
    let id = format!("D{}", random_token(12)?);
    let what = scope_text(catalog, &p.scope);
    let pages = MandatePages {
        mandate: p.mandate.clone(),
        id_card: p.principal_id_card.clone(),
    };
    let principal_person = person(&principal.name, &principal.id_number);
    let agent_person = person(&me.name, &me.id_number);
    store
        .create_delegation(
            &NewDelegation {
                id: &id,
                principal_id: &principal.id,
                agent_id: Some(&me.resident_id),
                agent_name: &me.name,
                agent_phone: Some(&me.phone),
                agent_id_number: Some(&me.id_number),
                relationship: p.relationship,
                scope: &p.scope,
                validity: &p.validity,
                state: DelegationState::Requested,
                way: Way::Paper,
                mandate: Some(&pages),
                now: now.timestamp_millis(),
            },
            None,
            &NewAudit {
                delegation_id: Some(&id),
                principal_id: &principal.id,
                agent_id: Some(&me.resident_id),
                principal: &principal_person,
                agent: &agent_person,
                relationship: p.relationship,
                action: AuditAction::MandateUploaded,
                by: Party::Agent,
                event_id: None,
                application_id: None,
                what: Some(&what),
                at: now.timestamp_millis(),
            },
            None,
        )
        .await?;
    let row = store.delegation(&id).await?.ok_or(EdgeError::NotFound)?;
    Ok(json(
        &view(store, catalog, &row, Viewer::Agent, now).await?,
        201,
    ))
}
