//! The stable codes of an error and what became of its request.

use serde::Serialize;
use std::fmt;

/// The stable code of an [`Error`](super::Error). Serialised in `snake_case`
/// (`invalid_input`, `rate_limited`, ...); these strings never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The input failed validation; nothing was sent.
    InvalidInput,
    /// No tool has the requested id.
    UnknownTool,
    /// The `host` is not one of the region hosts nor listed in `THRIVE_ALLOWED_HOSTS`.
    HostNotAllowed,
    /// Thrive answered 400.
    BadRequest,
    /// Thrive answered 401: the credentials are missing, wrong or expired.
    Unauthorized,
    /// Thrive answered 403: the credentials lack a permission or scope.
    Forbidden,
    /// Thrive answered 404.
    NotFound,
    /// Thrive answered 409.
    Conflict,
    /// Thrive answered 422.
    Unprocessable,
    /// Thrive answered 429 and retries were exhausted.
    RateLimited,
    /// Thrive answered with a 5xx or another unexpected status.
    Upstream,
    /// The connection failed or broke before a response arrived.
    Transport,
    /// The call did not complete within its time budget.
    Timeout,
    /// Thrive answered 2xx with a body this tool cannot read.
    InvalidResponse,
    /// The OAuth token endpoint refused the client credentials.
    AuthFailed,
}

impl ErrorCode {
    /// The code as its stable string, e.g. `"invalid_input"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::UnknownTool => "unknown_tool",
            Self::HostNotAllowed => "host_not_allowed",
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::Unprocessable => "unprocessable",
            Self::RateLimited => "rate_limited",
            Self::Upstream => "upstream",
            Self::Transport => "transport",
            Self::Timeout => "timeout",
            Self::InvalidResponse => "invalid_response",
            Self::AuthFailed => "auth_failed",
        }
    }

    /// The code for a non-2xx HTTP status from Thrive.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            422 => Self::Unprocessable,
            429 => Self::RateLimited,
            _ => Self::Upstream,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What became of a failed step's request, so an engine can reconcile.
///
/// Serialised in `snake_case` as the `delivery` field of the error object.
/// With [`Delivery::SentNoAnswer`] the request may or may not have taken
/// effect in Thrive: for a create, a read by reference tells which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Nothing reached Thrive: the input was refused, the connection could
    /// not be opened, or the certificate was not trusted.
    NotSent,
    /// The request was (or may have been) sent, but no answer came: a
    /// timeout or a connection lost after sending.
    SentNoAnswer,
    /// Thrive answered with an HTTP status.
    Answered,
}

impl Delivery {
    /// The `snake_case` name used in the error object.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::SentNoAnswer => "sent_no_answer",
            Self::Answered => "answered",
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
