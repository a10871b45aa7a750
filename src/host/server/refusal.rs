//! The servers' refusals and failed steps, declared once and rendering
//! themselves.
//!
//! A step that fails answers with its [`Error`] as [`Error::to_json`], with
//! the HTTP status of its code ([`status_for`]). A server also refuses
//! requests before any step runs: it is full, the bearer token is missing,
//! it stopped while the request was in flight, or a webhook delivery is not
//! one it takes. Those answers have codes of their own (`unavailable` is not
//! a Thrive answer), but hosts read them with the same code: every one is
//! `{"error": {"code", "message", "retryable", "delivery", "attempts"}}`,
//! the keys of a failed step without Thrive's `status` and `details`.
//! [`Refusal`] is both kinds of answer: it writes the body and the headers
//! that go with it (`Retry-After`, `WWW-Authenticate`), so no server writes
//! the JSON by hand.

use crate::error::{Delivery, Error, ErrorCode};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::borrow::Cow;

/// What the block and MCP servers say to a request without their token.
pub const TOKEN_REQUIRED: &str =
    "this server requires Authorization: Bearer <token> with the server's token";

/// A request the server refuses itself, or a step that failed; see the
/// [module docs](self).
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    body: Body,
    retry_after: Option<u64>,
    /// Whether to answer `WWW-Authenticate: Bearer` (the servers' token,
    /// not a webhook's signature).
    bearer_challenge: bool,
}

/// What a [`Refusal`] says.
#[derive(Debug)]
enum Body {
    /// The server's own refusal, with a code of its own.
    Own {
        code: &'static str,
        message: Cow<'static, str>,
        retryable: bool,
        delivery: Delivery,
        attempts: u32,
    },
    /// A step's error (or one the server words as a step's), as
    /// [`Error::to_json`].
    Failed(Box<Error>),
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
            body: Body::Own {
                code,
                message: message.into(),
                retryable: false,
                delivery: Delivery::NotSent,
                attempts: 0,
            },
            retry_after: None,
            bearer_challenge: false,
        }
    }

    /// A failed step: `error` with the status of its code ([`status_for`]).
    pub fn failed(error: Error) -> Self {
        Self::failed_with_status(status_for(error.code()), error)
    }

    /// `error` answered with `status`. Only the server's own token check
    /// answers 401 this way (Thrive's 401 is a 502), so a 401 carries the
    /// Bearer challenge.
    pub fn failed_with_status(status: StatusCode, error: Error) -> Self {
        Self {
            status,
            body: Body::Failed(Box::new(error)),
            retry_after: None,
            bearer_challenge: status == StatusCode::UNAUTHORIZED,
        }
    }

    /// Returns the refusal answering `Retry-After: secs` when `secs` is given.
    pub fn with_retry_after(mut self, secs: Option<u64>) -> Self {
        if secs.is_some() {
            self.retry_after = secs;
        }
        self
    }

    /// `503 unavailable` for a server at one of its limits: retryable, with
    /// `Retry-After: 1`. `what` says which limit.
    pub fn busy(what: &str) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!("{what}; try again shortly"),
        )
        .retryable()
        .with_retry_after(Some(1))
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
            let mut refusal = Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the server stopped before this step finished; it may have sent its request \
                 to Thrive, so check before sending a write again",
            );
            if let Body::Own {
                delivery, attempts, ..
            } = &mut refusal.body
            {
                *delivery = Delivery::SentNoAnswer;
                *attempts = 1;
            }
            refusal
        } else {
            Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the server stopped before this request finished; nothing was sent to Thrive",
            )
            .retryable()
        }
    }

    /// Marks the server's own refusal as worth retrying as it is (a failed
    /// step's error says itself whether it is).
    pub fn retryable(mut self) -> Self {
        if let Body::Own { retryable, .. } = &mut self.body {
            *retryable = true;
        }
        self
    }

    /// The body: `{"error": {"code", "message", "retryable", "delivery",
    /// "attempts"}}`, or a failed step's [`Error::to_json`].
    pub fn to_json(&self) -> serde_json::Value {
        match &self.body {
            Body::Own {
                code,
                message,
                retryable,
                delivery,
                attempts,
            } => json!({"error": {
                "code": code,
                "message": message,
                "retryable": retryable,
                "delivery": delivery.as_str(),
                "attempts": attempts,
            }}),
            Body::Failed(error) => error.to_json(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.to_json())).into_response();
        let headers = response.headers_mut();
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.bearer_challenge {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The HTTP status a failed step answers with (see the
/// [block server's docs](crate::host::http)).
pub fn status_for(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::UnknownTool => StatusCode::NOT_FOUND,
        ErrorCode::HostNotAllowed => StatusCode::FORBIDDEN,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Timeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorCode::BadRequest
        | ErrorCode::Unauthorized
        | ErrorCode::Forbidden
        | ErrorCode::NotFound
        | ErrorCode::Conflict
        | ErrorCode::Unprocessable
        | ErrorCode::Upstream
        | ErrorCode::Transport
        | ErrorCode::InvalidResponse
        | ErrorCode::AuthFailed => StatusCode::BAD_GATEWAY,
    }
}

#[cfg(test)]
mod tests {
    use super::{Refusal, TOKEN_REQUIRED, status_for};
    use crate::error::{Error, ErrorCode};
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    use serde_json::json;

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
        let step = Error::new(ErrorCode::Unauthorized, TOKEN_REQUIRED).to_json();
        assert_eq!(Refusal::token_required().to_json(), step);
    }

    #[test]
    fn every_code_has_the_documented_status() {
        assert_eq!(status_for(ErrorCode::InvalidInput), 422);
        assert_eq!(status_for(ErrorCode::UnknownTool), 404);
        assert_eq!(status_for(ErrorCode::HostNotAllowed), 403);
        assert_eq!(status_for(ErrorCode::RateLimited), 429);
        assert_eq!(status_for(ErrorCode::Timeout), 504);
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::Unprocessable,
            ErrorCode::Upstream,
            ErrorCode::Transport,
            ErrorCode::InvalidResponse,
            ErrorCode::AuthFailed,
        ] {
            assert_eq!(status_for(code), 502, "{code}");
        }
    }

    #[tokio::test]
    async fn a_failed_step_answers_its_error_with_the_status_of_its_code() {
        let error = Error::new(ErrorCode::RateLimited, "slow down");
        let (status, headers, body) =
            parts(Refusal::failed(error.clone()).with_retry_after(Some(7))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(headers[header::RETRY_AFTER], "7");
        assert!(headers.get(header::WWW_AUTHENTICATE).is_none());
        assert_eq!(body, error.to_json());
        let token = Error::new(ErrorCode::Unauthorized, TOKEN_REQUIRED);
        let (status, headers, _) =
            parts(Refusal::failed_with_status(StatusCode::UNAUTHORIZED, token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    }
}
