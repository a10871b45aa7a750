//! The Thrive error body: `{"status": N, "error": "<reason phrase>",
//! "message": <string | object>}` (behaviour.md §5.1).

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The reason phrase Thrive puts in `error` for a status code. 422 is
/// `Unprocessable Content` (the RFC 9110 wording the docs use), not the older
/// `Unprocessable Entity`.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// An error answer in the Thrive shape.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: Value,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// An error with any status and a string or object message.
    pub(crate) fn new(status: StatusCode, message: impl Into<Value>) -> Self {
        ApiError {
            status,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// 400: missing or invalid parameters.
    pub(crate) fn bad_request(message: impl Into<Value>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401 with the documented example message.
    pub(crate) fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    /// 403: the credentials lack the needed scope or permission.
    pub(crate) fn forbidden(message: impl Into<Value>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404: the resource does not exist.
    pub(crate) fn not_found(message: impl Into<Value>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409: conflicting resource state.
    pub(crate) fn conflict(message: impl Into<Value>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 422: well-formed but semantically invalid.
    pub(crate) fn unprocessable(message: impl Into<Value>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 422 whose message is an object `{field: text}`, the documented
    /// "validation details" form.
    pub(crate) fn unprocessable_field(field: &str, text: &str) -> Self {
        Self::unprocessable(json!({ field: text }))
    }

    /// Adds a response header.
    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.status.as_u16();
        let body = json!({
            "status": code,
            "error": reason_phrase(code),
            "message": self.message,
        });
        let mut response = (self.status, Json(body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

/// `401` with a `WWW-Authenticate` challenge for Basic credentials.
pub(crate) fn unauthorized_challenge() -> ApiError {
    ApiError::unauthorized().with_header(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Thrive API\""),
    )
}
