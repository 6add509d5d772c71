//! Every call from the app to the edge. Non-2xx answers decode into the
//! edge's `ApiError`; a network failure becomes one too, so pages have one
//! error type to show.

use banshi_core::api::{
    ApiError, ApplicationList, ApplicationView, EventList, SessionView, SubmitApplication,
};
use banshi_core::Text;
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

fn offline() -> ApiError {
    ApiError::new(
        "network",
        Text::new(
            "网络连接不上，您填写的内容已保存在本机，恢复网络后再试",
            "Cannot reach the network; what you entered is saved on this phone. Try again when you are back online",
        ),
    )
}

async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    if resp.ok() {
        resp.json::<T>().await.map_err(|_| offline())
    } else {
        Err(resp.json::<ApiError>().await.unwrap_or_else(|_| {
            ApiError::new(
                "http",
                Text::new(
                    format!("系统暂时无法处理（{}），请稍后再试", resp.status()),
                    format!(
                        "The service could not handle this ({}); please try again",
                        resp.status()
                    ),
                ),
            )
        }))
    }
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let resp = Request::get(url).send().await.map_err(|_| offline())?;
    decode(resp).await
}

pub async fn events() -> Result<EventList, ApiError> {
    get("/api/events").await
}

pub async fn session() -> Result<SessionView, ApiError> {
    get("/api/session").await
}

pub async fn application(id: &str) -> Result<ApplicationView, ApiError> {
    get(&format!("/api/applications/{id}")).await
}

pub async fn applications() -> Result<ApplicationList, ApiError> {
    get("/api/applications").await
}

/// Submit once: the same `idempotency_key` on a retry returns the same application.
pub async fn submit(
    body: &SubmitApplication,
    csrf: &str,
    idempotency_key: &str,
) -> Result<ApplicationView, ApiError> {
    let req = Request::post("/api/applications")
        .header("x-csrf-token", csrf)
        .header("idempotency-key", idempotency_key)
        .json(body)
        .map_err(|_| offline())?;
    let resp = req.send().await.map_err(|_| offline())?;
    decode(resp).await
}

/// After 需补正: corrected values for one item.
pub async fn resubmit(
    application: &str,
    item: &str,
    fields: &banshi_core::guide::FieldValues,
    csrf: &str,
) -> Result<ApplicationView, ApiError> {
    let body = banshi_core::api::ResubmitItem {
        fields: fields.clone(),
        materials: Default::default(),
    };
    let resp = Request::post(&format!(
        "/api/applications/{application}/items/{item}/resubmit"
    ))
    .header("x-csrf-token", csrf)
    .json(&body)
    .map_err(|_| offline())?
    .send()
    .await
    .map_err(|_| offline())?;
    decode(resp).await
}

/// Withdraw one item before the department accepts it.
pub async fn withdraw(
    application: &str,
    item: &str,
    csrf: &str,
) -> Result<ApplicationView, ApiError> {
    let resp = Request::post(&format!(
        "/api/applications/{application}/items/{item}/withdraw"
    ))
    .header("x-csrf-token", csrf)
    .send()
    .await
    .map_err(|_| offline())?;
    decode(resp).await
}

pub async fn logout(csrf: &str) -> Result<serde_json::Value, ApiError> {
    let resp = Request::post("/api/auth/logout")
        .header("x-csrf-token", csrf)
        .send()
        .await
        .map_err(|_| offline())?;
    decode(resp).await
}

pub fn login_url(return_to: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(return_to).into();
    format!("/api/auth/login?return_to={encoded}")
}
