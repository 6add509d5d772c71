//! One error type for the edge and the one place it becomes an HTTP answer:
//! `{"error":{"code","message","fields"}}` with a 4xx/5xx status. Internal
//! causes are logged, never sent to the client.

use banshi_core::actions::{IdempotencyKeyError, ItemActionError};
use banshi_core::api::ApiError;
use banshi_core::application::SubmitError;
use banshi_core::validate::FieldError;
use banshi_core::Text;
use worker::Response;

#[derive(Debug)]
pub enum EdgeError {
    BadRequest(&'static str, Text),
    /// 400 naming each bad query parameter.
    BadQuery(Vec<FieldError>),
    Unauthenticated,
    Forbidden(Text),
    /// 403 with a stable code: core refused someone acting for another
    /// (`delegation_revoked`, …), or a consent code was refused.
    Refused(&'static str, Text),
    /// 429 with a stable code: a consent limit was reached.
    TooMany(&'static str, Text),
    /// A platform call whose signature or timestamp does not check out.
    BadSignature(String),
    NotFound,
    /// No route matches the path (as opposed to a missing resource).
    NoRoute,
    MethodNotAllowed,
    Conflict(&'static str, Text),
    PayloadTooLarge(usize),
    UnsupportedMediaType,
    /// 415 with the reason in the resident's words (an upload of the wrong kind).
    Unsupported(&'static str, Text),
    Invalid(Vec<FieldError>),
    Unprocessable(&'static str, Text),
    /// A platform we depend on failed; the resident sees "try again shortly".
    Upstream(String),
    Internal(String),
}

pub type EdgeResult<T> = Result<T, EdgeError>;

impl From<worker::Error> for EdgeError {
    fn from(e: worker::Error) -> Self {
        EdgeError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for EdgeError {
    fn from(e: serde_json::Error) -> Self {
        EdgeError::Internal(format!("json: {}", crate::store::json_error(&e)))
    }
}

impl From<ItemActionError> for EdgeError {
    fn from(e: ItemActionError) -> Self {
        EdgeError::Conflict(e.code(), e.message())
    }
}

impl From<IdempotencyKeyError> for EdgeError {
    fn from(e: IdempotencyKeyError) -> Self {
        EdgeError::BadRequest("idempotency_key_required", e.message())
    }
}

impl From<SubmitError> for EdgeError {
    fn from(e: SubmitError) -> Self {
        match e {
            SubmitError::UnknownEvent(_) => EdgeError::Unprocessable(
                "unknown_event",
                Text::new(
                    "没有这件事，请从首页重新选择",
                    "No such life event; please choose again from the home page",
                ),
            ),
            SubmitError::InvalidAnswer { question, message } => {
                EdgeError::Invalid(vec![FieldError {
                    field: format!("answers.{question}"),
                    message,
                }])
            }
            SubmitError::Incomplete { question, text } => EdgeError::Invalid(vec![FieldError {
                field: format!("answers.{question}"),
                message: Text::new(
                    format!("还需要回答：{}", text.zh),
                    format!("Still to answer: {}", text.en),
                ),
            }]),
            SubmitError::Fields(errors) | SubmitError::Materials(errors) => {
                EdgeError::Invalid(errors)
            }
            SubmitError::NoItems => EdgeError::Unprocessable(
                "no_items",
                Text::new(
                    "根据您的回答，没有需要办理的事项",
                    "Given your answers, there is nothing to apply for",
                ),
            ),
        }
    }
}

impl EdgeError {
    fn parts(self) -> (u16, ApiError) {
        use EdgeError::*;
        let e = |code: &str, zh: &str, en: &str| ApiError::new(code, Text::new(zh, en));
        match self {
            BadRequest(code, message) => (400, ApiError::new(code, message)),
            BadQuery(fields) => {
                let mut body = e("invalid_query", "请求参数不对", "Invalid query parameters");
                body.error.fields = fields;
                (400, body)
            }
            Unauthenticated => (
                401,
                e("unauthenticated", "请先登录", "Please sign in first"),
            ),
            Forbidden(message) => (403, ApiError::new("forbidden", message)),
            Refused(code, message) => (403, ApiError::new(code, message)),
            TooMany(code, message) => (429, ApiError::new(code, message)),
            BadSignature(why) => (
                401,
                ApiError::new(
                    "bad_signature",
                    Text::new(
                        format!("签名校验失败：{why}"),
                        format!("Signature check failed: {why}"),
                    ),
                ),
            ),
            NotFound => (404, e("not_found", "没有找到", "Not found")),
            NoRoute => (404, e("no_such_route", "没有这个接口", "No such API route")),
            MethodNotAllowed => (
                405,
                e(
                    "method_not_allowed",
                    "不支持这种请求方式",
                    "Method not allowed",
                ),
            ),
            Conflict(code, message) => (409, ApiError::new(code, message)),
            PayloadTooLarge(limit) => {
                let (n, unit) = if limit >= 1024 * 1024 {
                    (limit / 1024 / 1024, "MB")
                } else {
                    (limit / 1024, "KB")
                };
                (
                    413,
                    ApiError::new(
                        "payload_too_large",
                        Text::new(
                            format!("内容太大，不能超过{n}{unit}"),
                            format!("The request is too large; the limit is {n} {unit}"),
                        ),
                    ),
                )
            }
            Unsupported(code, message) => (415, ApiError::new(code, message)),
            UnsupportedMediaType => (
                415,
                e(
                    "unsupported_media_type",
                    "请以 JSON 格式提交",
                    "Send the request body as JSON",
                ),
            ),
            Invalid(fields) => {
                let mut body = e(
                    "invalid_fields",
                    "有几处需要修改，请按提示改正后再提交",
                    "Some answers need changing; please fix them and submit again",
                );
                body.error.fields = fields;
                (422, body)
            }
            Unprocessable(code, message) => (422, ApiError::new(code, message)),
            Upstream(cause) => {
                worker::console_error!("upstream: {cause}");
                (
                    502,
                    e(
                        "upstream_unavailable",
                        "相关部门系统暂时没有响应，请稍后再试",
                        "A department system is not answering; please try again shortly",
                    ),
                )
            }
            Internal(cause) => {
                worker::console_error!("internal: {cause}");
                (
                    500,
                    e("internal", "系统出了点问题，您填写的内容没有丢失，请稍后再试", "Something went wrong on our side; nothing you entered is lost. Please try again shortly"),
                )
            }
        }
    }

    pub fn into_response(self) -> Response {
        let (status, body) = self.parts();
        crate::http::json(&body, status)
    }
}
