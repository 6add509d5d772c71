//! Every call from the app to the edge, and the one error type pages show.
//! A non-2xx answer decodes into the edge's `ApiError`; no network becomes
//! one too, with status 0, so the outbox can tell "try again later" (no
//! network, 5xx) from "the edge said no" (4xx). Requests made for a page are
//! aborted when the page goes away (an `AbortController` tied to cleanup).

use std::future::Future;

use banshi_core::api::{
    ApiError, ApplicationList, ApplicationView, AttachmentView, AuditList, DelegationList,
    DelegationView, EnterCode, EventBundle, EventList, GrantDelegation, Inbox, InboxSeen,
    PaperMandate, RequestDelegation, ResubmitItem, SessionView, SubmitApplication,
    ACTING_FOR_HEADER,
};
use banshi_core::calendar::Due;
use banshi_core::platform::CertificateList;
use banshi_core::rating::RateApplication;
use banshi_core::Text;
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::on_cleanup;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A failed call: the HTTP status (0 when the edge could not be reached)
/// and the error to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub status: u16,
    pub error: ApiError,
}

impl Failure {
    /// Worth trying again later, unchanged: no network, a timeout, a 5xx.
    pub fn transient(&self) -> bool {
        matches!(self.status, 0 | 408 | 429 | 500..=599)
    }

    pub fn code(&self) -> &str {
        &self.error.error.code
    }

    pub fn message(&self) -> &Text {
        &self.error.error.message
    }

    pub fn unauthenticated(&self) -> bool {
        self.status == 401
    }

    /// A failure found on the phone itself (a draft not on this device,
    /// storage that would not open), shown like any other.
    pub fn local(code: &str, message: Text) -> Self {
        Failure {
            status: 404,
            error: ApiError::new(code, message),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Failure {}

pub type ApiResult<T> = Result<T, Failure>;

fn offline() -> Failure {
    Failure {
        status: 0,
        error: ApiError::new(
            "network",
            Text::new(
                "现在连不上网络。您填写的内容已保存在这部手机上，联网后再试。",
                "No network connection. What you entered is saved on this phone; try again when you are back online.",
            ),
        ),
    }
}

async fn decode<T: DeserializeOwned>(resp: Response) -> ApiResult<T> {
    let status = resp.status();
    if resp.ok() {
        return resp.json::<T>().await.map_err(|_| offline());
    }
    let error = resp.json::<ApiError>().await.unwrap_or_else(|_| {
        ApiError::new(
            "http",
            Text::new(
                format!("系统暂时无法处理（{status}），请稍后再试"),
                format!("The service could not handle this ({status}); please try again later"),
            ),
        )
    });
    Err(Failure { status, error })
}

/// Every request made for someone else says whom for (家人代办); the edge
/// (core) decides whether it may.
fn for_principal(b: RequestBuilder, principal: Option<&str>) -> RequestBuilder {
    match principal {
        Some(p) => b.header(ACTING_FOR_HEADER, p),
        None => b,
    }
}

fn acting(b: RequestBuilder) -> RequestBuilder {
    for_principal(b, crate::session::acting_now().as_deref())
}

async fn send<T: DeserializeOwned>(req: Result<Request, gloo_net::Error>) -> ApiResult<T> {
    let resp = req
        .map_err(|_| offline())?
        .send()
        .await
        .map_err(|_| offline())?;
    decode(resp).await
}

/// A GET for the page being shown: aborted if the page is left first.
fn get<T: DeserializeOwned + 'static>(url: String) -> impl Future<Output = ApiResult<T>> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    if let Some(c) = controller {
        on_cleanup(move || c.abort());
    }
    async move {
        send(
            acting(Request::get(&url))
                .abort_signal(signal.as_ref())
                .build(),
        )
        .await
    }
}

fn post(url: &str, csrf: &str) -> RequestBuilder {
    acting(Request::post(url).header("x-csrf-token", csrf))
}

/// A request that is always the resident's own (their delegations).
fn own_post(url: &str, csrf: &str) -> RequestBuilder {
    Request::post(url).header("x-csrf-token", csrf)
}

async fn post_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    csrf: &str,
    body: &B,
) -> ApiResult<T> {
    send(post(url, csrf).json(body)).await
}

pub fn events() -> impl Future<Output = ApiResult<EventList>> {
    get("/api/events".into())
}

/// The search index (core's `SearchIndex`, built by the edge from the catalog).
pub async fn search_index() -> ApiResult<banshi_core::search::SearchIndex> {
    send(Request::get("/api/search-index").build()).await
}

pub fn event_bundle(id: &str) -> impl Future<Output = ApiResult<EventBundle>> {
    get(format!("/api/events/{}", encode(id)))
}

pub async fn session() -> ApiResult<SessionView> {
    send(Request::get("/api/session").build()).await
}

pub fn application(id: &str) -> impl Future<Output = ApiResult<ApplicationView>> {
    get(format!("/api/applications/{}", encode(id)))
}

/// Not tied to a page: the tracking page polls it from a timer.
pub async fn application_now(id: &str) -> ApiResult<ApplicationView> {
    send(acting(Request::get(&format!("/api/applications/{}", encode(id)))).build()).await
}

pub fn applications() -> impl Future<Output = ApiResult<ApplicationList>> {
    get("/api/applications".into())
}

pub fn inbox() -> impl Future<Output = ApiResult<Inbox>> {
    get("/api/inbox".into())
}

pub async fn inbox_seen(up_to: i64, csrf: &str) -> ApiResult<serde_json::Value> {
    post_json("/api/inbox/seen", csrf, &InboxSeen { up_to }).await
}

/// When a time limit counted from `from` ends, by the official calendar.
pub fn due(from: chrono::NaiveDate, working_days: u32) -> impl Future<Output = ApiResult<Due>> {
    get(format!(
        "/api/calendar/due?from={}&working_days={working_days}",
        from.format("%Y-%m-%d")
    ))
}

/// Submit once: the same `idempotency_key` on a retry returns the same application.
pub async fn submit(
    body: &SubmitApplication,
    csrf: &str,
    idempotency_key: &str,
    principal: Option<&str>,
) -> ApiResult<ApplicationView> {
    send(
        for_principal(own_post("/api/applications", csrf), principal)
            .header("idempotency-key", idempotency_key)
            .json(body),
    )
    .await
}

/// One page of a material, sent once whatever happens to the network: the
/// page's own id is the idempotency key.
pub async fn upload(
    blob: &web_sys::Blob,
    name: &str,
    key: &str,
    csrf: &str,
) -> ApiResult<AttachmentView> {
    upload_for(
        blob,
        name,
        key,
        csrf,
        crate::session::acting_now().as_deref(),
    )
    .await
}

/// `upload` for a draft's principal (the outbox sends for the draft's owner).
pub async fn upload_for(
    blob: &web_sys::Blob,
    name: &str,
    key: &str,
    csrf: &str,
    principal: Option<&str>,
) -> ApiResult<AttachmentView> {
    send(
        for_principal(
            own_post(&format!("/api/attachments?name={}", encode(name)), csrf),
            principal,
        )
        .header("idempotency-key", key)
        .header("content-type", &blob.type_())
        .body(wasm_bindgen::JsValue::from(blob.clone())),
    )
    .await
}

/// Release e-certificates for `purpose` (an event id): the resident has
/// just agreed, on the consent page, to exactly these.
pub async fn release_certificates(
    purpose: &str,
    ecerts: &[String],
    csrf: &str,
) -> ApiResult<CertificateList> {
    let body = serde_json::json!({ "purpose": purpose, "ecerts": ecerts });
    post_json("/api/me/certificates", csrf, &body).await
}

/// 免申即享: what the signed-in resident may be owed.
pub fn offers() -> impl Future<Output = ApiResult<banshi_core::api::OfferList>> {
    get("/api/me/offers".into())
}

/// 不再提示: never show this offer again.
pub async fn dismiss_offer(id: &str, csrf: &str) -> ApiResult<serde_json::Value> {
    let url = format!("/api/me/offers/{}/dismiss", encode(id));
    send(post(&url, csrf).build()).await
}

/// The signed-in resident's own settings, even while acting for someone
/// (the edge keeps them per account, not per principal).
pub async fn settings() -> ApiResult<banshi_core::api::ResidentSettings> {
    send(Request::get("/api/me/settings").build()).await
}

/// Change only what `change` names; the answer is all that is kept.
pub async fn put_settings(
    change: &banshi_core::api::SettingsChange,
    csrf: &str,
) -> ApiResult<banshi_core::api::ResidentSettings> {
    send(
        Request::put("/api/me/settings")
            .header("x-csrf-token", csrf)
            .json(change),
    )
    .await
}

pub async fn resubmit(
    app: &str,
    item: &str,
    body: &ResubmitItem,
    csrf: &str,
) -> ApiResult<ApplicationView> {
    let url = format!(
        "/api/applications/{}/items/{}/resubmit",
        encode(app),
        encode(item)
    );
    post_json(&url, csrf, body).await
}

pub async fn withdraw(app: &str, item: &str, csrf: &str) -> ApiResult<ApplicationView> {
    let url = format!(
        "/api/applications/{}/items/{}/withdraw",
        encode(app),
        encode(item)
    );
    send(post(&url, csrf).build()).await
}

/// A deferred material (容缺), provided after the application.
pub async fn provide_material(
    app: &str,
    item: &str,
    material: &str,
    attachments: &[String],
    csrf: &str,
) -> ApiResult<ApplicationView> {
    let url = format!(
        "/api/applications/{}/items/{}/materials/{}",
        encode(app),
        encode(item),
        encode(material)
    );
    post_json(
        &url,
        csrf,
        &serde_json::json!({ "attachments": attachments }),
    )
    .await
}

pub async fn rate(app: &str, rating: &RateApplication, csrf: &str) -> ApiResult<ApplicationView> {
    let url = format!("/api/applications/{}/rating", encode(app));
    post_json(&url, csrf, rating).await
}

pub async fn logout(csrf: &str) -> ApiResult<serde_json::Value> {
    send(own_post("/api/auth/logout", csrf).build()).await
}

/// 谁可以替我办理 / 我可以替谁办理 (always one's own).
pub fn delegations() -> impl Future<Output = ApiResult<DelegationList>> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    if let Some(c) = controller {
        on_cleanup(move || c.abort());
    }
    async move {
        send(
            Request::get("/api/delegations")
                .abort_signal(signal.as_ref())
                .build(),
        )
        .await
    }
}

pub async fn delegation_audit() -> ApiResult<AuditList> {
    send(Request::get("/api/delegations/audit").build()).await
}

/// Ask someone for permission to act for them; they are texted a code.
pub async fn request_delegation(body: &RequestDelegation, csrf: &str) -> ApiResult<DelegationView> {
    send(own_post("/api/delegations/requests", csrf).json(body)).await
}

/// The principal lets a family member act for them, named by phone or ID number.
pub async fn grant_delegation(body: &GrantDelegation, csrf: &str) -> ApiResult<DelegationView> {
    send(own_post("/api/delegations", csrf).json(body)).await
}

/// A signed 授权委托书 and the principal's ID card (the agent's own uploads).
pub async fn paper_mandate(body: &PaperMandate, csrf: &str) -> ApiResult<DelegationView> {
    send(own_post("/api/delegations/paper", csrf).json(body)).await
}

/// The code the principal read out.
pub async fn enter_code(id: &str, code: &str, csrf: &str) -> ApiResult<DelegationView> {
    let url = format!("/api/delegations/{}/code", encode(id));
    send(own_post(&url, csrf).json(&EnterCode { code: code.into() })).await
}

/// `approve`, `decline` or `revoke` (撤销) one delegation.
pub async fn answer_delegation(id: &str, answer: &str, csrf: &str) -> ApiResult<DelegationView> {
    let url = format!("/api/delegations/{}/{}", encode(id), encode(answer));
    send(own_post(&url, csrf).build()).await
}

/// Sign in through the identity provider and come back to `return_to`
/// (a path of this app, query included).
pub fn login_url(return_to: &str) -> String {
    format!("/api/auth/login?return_to={}", encode(return_to))
}

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}
