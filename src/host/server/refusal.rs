//! The servers' own refusals, declared once and rendering themselves.
//!
//! A step that fails answers with its [`Error`](crate::Error) as
//! [`Error::to_json`](crate::Error::to_json). A server also refuses requests
//! before any step runs: it is full, the bearer token is missing, it stopped
//! while the request was in flight, or a webhook delivery is not one it
//! takes. Those answers have codes of their own (`unavailable` is not a
//! Thrive answer), but hosts read them with the same code: every one is
//! `{"error": {"code", "message", "retryable", "delivery", "attempts"}}`,
//! the keys of a failed step without Thrive's `status` and `details`.
//! [`Refusal`] writes that body and the headers that go with it
//! (`Retry-After`, `WWW-Authenticate`), so no server writes the JSON by hand.

use crate::error::Delivery;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::borrow::Cow;

/// What the block and MCP servers say to a request without their token.
pub const TOKEN_REQUIRED: &str =
    "this server requires Authorization: Bearer <token> with the server's token";

/// A request the server refuses itself; see the [module docs](self).
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: Cow<'static, str>,
    retryable: bool,
    delivery: Delivery,
    attempts: u32,
    retry_after: Option<u64>,
    /// Whether to answer `WWW-Authenticate: Bearer` (the servers' token,
    /// not a webhook's signature).
    bearer_challenge: bool,
}

impl Refusal {
    /// A refusal with `status`, `code` and `message`: not worth retrying as
    /// it is, and nothing was sent to Thrive.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retryable: false,
            delivery: Delivery::NotSent,
            attempts: 0,
            retry_after: None,
            bearer_challenge: false,
        }
    }

    /// `503 unavailable` for a server at one of its limits: retryable, with
    /// `Retry-After: 1`. `what` says which limit.
    pub fn busy(what: &str) -> Self {
        Self {
            retryable: true,
            retry_after: Some(1),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                format!("{what}; try again shortly"),
            )
        }
    }

    /// `401 unauthorized` for a request without the server's bearer token,
    /// with `WWW-Authenticate: Bearer`.
    pub fn token_required() -> Self {
        Self {
            bearer_challenge: true,
            ..Self::new(StatusCode::UNAUTHORIZED, "unauthorized", TOKEN_REQUIRED)
        }
    }

    /// `503 unavailable` for a request the server stopped serving half-way.
    /// When its step `may_have_sent` a request to Thrive (a run, a
    /// dropdown's options, MCP), a write may or may not have reached Thrive:
    /// `delivery: sent_no_answer` with `attempts: 1` (the step was running),
    /// not retried blindly. Otherwise nothing was sent: `not_sent`,
    /// `attempts: 0`, retryable.
    pub fn stopped(may_have_sent: bool) -> Self {
        if may_have_sent {
            Self {
                delivery: Delivery::SentNoAnswer,
                attempts: 1,
                ..Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the server stopped before this step finished; it may have sent its request \
                     to Thrive, so check before sending a write again",
                )
            }
        } else {
            Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the server stopped before this request finished; nothing was sent to Thrive",
            )
            .retryable()
        }
    }

    /// Marks the refusal as worth retrying as it is.
    pub fn retryable(mut self) -> Self {
        self.retryable = true;
        self
    }

    /// The body: `{"error": {"code", "message", "retryable", "delivery", "attempts"}}`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({"error": {
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
            "delivery": self.delivery.as_str(),
            "attempts": self.attempts,
        }})
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error_answer(
            self.status,
            self.to_json(),
            self.retry_after,
            self.bearer_challenge,
        )
    }
}

/// An `{"error": {...}}` `body` answered with `status`, with
/// `Retry-After: secs` when given and `WWW-Authenticate: Bearer` when
/// `bearer_challenge`: how every server writes an error answer, whether the
/// body is a refusal's or a failed step's ([`Error::to_json`](crate::Error::to_json)).
pub fn error_answer(
    status: StatusCode,
    body: serde_json::Value,
    retry_after: Option<u64>,
    bearer_challenge: bool,
) -> Response {
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    if let Some(secs) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    if bearer_challenge {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parts(refusal: Refusal) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
        let response = refusal.into_response();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("body");
        let body = serde_json::from_slice(&bytes).expect("JSON body");
        (status, headers, body)
    }

    #[tokio::test]
    async fn busy_is_a_retryable_503_with_retry_after() {
        let (status, headers, body) = parts(Refusal::busy("the server is full")).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(headers[header::RETRY_AFTER], "1");
        assert!(headers.get(header::WWW_AUTHENTICATE).is_none());
        assert_eq!(
            body,
            json!({"error": {
                "code": "unavailable",
                "message": "the server is full; try again shortly",
                "retryable": true,
                "delivery": "not_sent",
                "attempts": 0,
            }})
        );
    }

    #[tokio::test]
    async fn a_missing_token_is_a_401_with_a_bearer_challenge() {
        let (status, headers, body) = parts(Refusal::token_required()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
        assert!(headers.get(header::RETRY_AFTER).is_none());
        assert_eq!(
            body,
            json!({"error": {
                "code": "unauthorized",
                "message": TOKEN_REQUIRED,
                "retryable": false,
                "delivery": "not_sent",
                "attempts": 0,
            }})
        );
    }

    #[tokio::test]
    async fn a_stopped_request_may_have_reached_thrive_and_is_not_retried() {
        let (status, headers, body) = parts(Refusal::stopped(true)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(headers.get(header::RETRY_AFTER).is_none());
        assert_eq!(body["error"]["delivery"], "sent_no_answer");
        assert_eq!(
            body["error"]["attempts"], 1,
            "sent_no_answer implies an attempt"
        );
        assert_eq!(body["error"]["retryable"], false);
        assert_eq!(body["error"]["code"], "unavailable");
    }

    #[tokio::test]
    async fn a_stopped_request_that_sends_nothing_says_so() {
        let (status, _, body) = parts(Refusal::stopped(false)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"]["delivery"], "not_sent");
        assert_eq!(body["error"]["attempts"], 0);
        assert_eq!(body["error"]["retryable"], true);
        let message = body["error"]["message"].as_str().unwrap();
        assert!(!message.contains("write"), "{message}");
    }

    #[tokio::test]
    async fn a_refused_signature_is_a_401_without_a_bearer_challenge() {
        let refusal = Refusal::new(StatusCode::UNAUTHORIZED, "unauthorized", "bad signature");
        let (status, headers, body) = parts(refusal).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(headers.get(header::WWW_AUTHENTICATE).is_none());
        assert_eq!(body["error"]["message"], "bad signature");
        assert_eq!(body["error"]["retryable"], false);
    }

    #[test]
    fn its_keys_are_those_of_a_failed_step_without_thrives_status() {
        let step = crate::Error::new(crate::ErrorCode::Unauthorized, TOKEN_REQUIRED).to_json();
        assert_eq!(Refusal::token_required().to_json(), step);
    }
}
