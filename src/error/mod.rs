//! One error type for every failure a tool step can have, with a stable,
//! machine-readable [`ErrorCode`] so a host engine can route a failed step.
//!
//! Errors never carry secrets: messages are built from field names, HTTP
//! statuses and Thrive's own error text, never from credential values.

use serde_json::Value;
use std::sync::OnceLock;

mod code;
mod details;
pub use code::{Delivery, ErrorCode};
pub use details::{Details, Violation};

/// A failed tool step.
///
/// `Display` gives a one-line message; [`Error::to_json`] gives the
/// `{"error": {...}}` object that the CLI and servers print.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Error {
    code: ErrorCode,
    message: String,
    status: Option<u16>,
    /// Boxed: most errors have none, and a small `Error` keeps every
    /// `Result` in the crate small.
    details: Option<Box<DetailsCell>>,
    attempts: u32,
    delivery: Delivery,
    retryable: bool,
    /// Thrive's `Retry-After` on the last answer, in milliseconds.
    retry_after_ms: Option<u32>,
}

impl Error {
    /// A new error with a code and message and nothing else. Nothing was
    /// sent ([`Delivery::NotSent`]); it is retryable when its code is one of
    /// the transient ones (`rate_limited`, `transport`, `timeout`, `upstream`).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            status: None,
            details: None,
            attempts: 0,
            delivery: Delivery::NotSent,
            retryable: matches!(
                code,
                ErrorCode::RateLimited
                    | ErrorCode::Transport
                    | ErrorCode::Timeout
                    | ErrorCode::Upstream
            ),
            retry_after_ms: None,
        }
    }

    /// An `invalid_input` error listing every violation.
    pub fn invalid_input(violations: Vec<Violation>) -> Self {
        let message = match violations.as_slice() {
            [one] => format!("invalid input: {one}"),
            many => format!(
                "invalid input ({} problems): {}",
                many.len(),
                many.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        Self::new(ErrorCode::InvalidInput, message)
            .with_typed_details(Details::Violations(violations))
    }

    /// An `invalid_input` error for a single field.
    pub fn field(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::invalid_input(vec![Violation::new(pointer, message)])
    }

    /// The error for a non-2xx response from Thrive, reading Thrive's
    /// `{status, error, message}` body when there is one. `message` may be a
    /// string or an object; an object is kept in `details` and summarised.
    pub fn from_response(status: u16, body: &Value) -> Self {
        let code = ErrorCode::from_status(status);
        let thrive_message = match body.get("message") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(obj @ Value::Object(_)) => Some(summarise_object(obj)),
            _ => None,
        };
        let message = thrive_message
            .or_else(|| body.get("error").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_else(|| format!("Thrive answered HTTP {status}"));
        let details = match body.get("message") {
            Some(obj @ Value::Object(_)) => Some(DetailsCell::new(Details::Thrive(obj.clone()))),
            _ => None,
        };
        Self {
            code,
            message,
            status: Some(status),
            details,
            attempts: 0,
            delivery: Delivery::Answered,
            // Thrive refused without processing (429) or failed on its side:
            // the same request could succeed later. Whether it is safe to
            // send again depends on the method too, which the runtime knows
            // and records with `with_retry`.
            retryable: matches!(status, 429 | 500 | 502..=504),
            retry_after_ms: None,
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message (never contains secrets).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status Thrive answered with, when the error came from a response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Structured details: the violations of an `invalid_input` error, or
    /// Thrive's object-valued `message`.
    pub fn details(&self) -> Option<&Value> {
        self.details
            .as_ref()
            .map(|cell| cell.json.get_or_init(|| cell.typed.to_json()))
    }

    /// The structured details as types (see [`Details`]).
    pub fn typed_details(&self) -> Option<&Details> {
        self.details.as_deref().map(|cell| &cell.typed)
    }

    /// Returns the error with typed details attached.
    pub fn with_typed_details(mut self, details: Details) -> Self {
        self.details = Some(DetailsCell::new(details));
        self
    }

    /// Returns the error marked as a chunked step that failed after
    /// `items_applied` of `items_total` items took effect. Sending the same
    /// step again would apply those twice, so it is no longer retryable.
    pub fn with_partial_progress(self, items_applied: u64, items_total: u64) -> Self {
        let delivery = self.delivery;
        self.with_typed_details(Details::Partial {
            items_applied,
            items_total,
        })
        .with_retry(delivery, false)
    }

    /// How many HTTP attempts were made before giving up (0: nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The violations of an `invalid_input` error (empty for other codes).
    pub fn violations(&self) -> Vec<Violation> {
        match (self.typed_details(), self.code) {
            (Some(Details::Violations(list)), ErrorCode::InvalidInput) => list.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether the same step is **safe to send again as is**, and could then
    /// succeed: the failure was transient, and sending the request again
    /// cannot apply a write twice.
    ///
    /// False for anything Thrive refused for good (4xx other than 429), for
    /// bad input, for an untrusted TLS certificate, and for a write that is
    /// not idempotent and may have reached Thrive (a timeout or lost
    /// connection after sending, or a 5xx answer): [`Error::delivery`] then
    /// says what happened, so an engine can check before sending it again.
    /// The runtime decides with
    /// [`RetryPolicy::is_retryable`](crate::RetryPolicy::is_retryable), the
    /// same rule it retries by.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// What became of the request: not sent, sent without an answer, or
    /// answered by Thrive.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// How long Thrive asked the caller to wait (`Retry-After` on a 429 or
    /// 503), when it said. An engine that owns the retries (one attempt per
    /// call) waits at least this long before the next attempt.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.retry_after_ms
            .map(|ms| std::time::Duration::from_millis(u64::from(ms)))
    }

    /// The error with Thrive's `Retry-After` (see [`Error::retry_after`]).
    pub fn with_retry_after(mut self, wait: Option<std::time::Duration>) -> Self {
        self.retry_after_ms = wait.map(|w| u32::try_from(w.as_millis()).unwrap_or(u32::MAX));
        self
    }

    /// Returns the error with what became of its request and whether it is
    /// safe to send again as is (see [`Error::is_retryable`]).
    pub fn with_retry(mut self, delivery: Delivery, retryable: bool) -> Self {
        self.delivery = delivery;
        self.retryable = retryable;
        self
    }

    /// Returns the error with another message (everything else kept).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Returns the error with its HTTP status set.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Returns the error with structured details attached.
    pub fn with_details(self, details: Value) -> Self {
        self.with_typed_details(Details::Other(details))
    }

    /// Returns the error with the number of attempts recorded.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The error as `{"error": {"code", "message", "status"?, "details"?,
    /// "retryable", "delivery", "attempts"}}`.
    pub fn to_json(&self) -> Value {
        let mut inner = serde_json::Map::new();
        inner.insert("code".into(), Value::from(self.code.as_str()));
        inner.insert("message".into(), Value::from(self.message.clone()));
        if let Some(status) = self.status {
            inner.insert("status".into(), Value::from(status));
        }
        if let Some(details) = self.details() {
            inner.insert("details".into(), details.clone());
        }
        inner.insert("retryable".into(), Value::from(self.is_retryable()));
        inner.insert("delivery".into(), Value::from(self.delivery.as_str()));
        inner.insert("attempts".into(), Value::from(self.attempts));
        serde_json::json!({ "error": inner })
    }
}

/// Typed details with their JSON form, made once on first ask.
#[derive(Debug, Clone)]
struct DetailsCell {
    typed: Details,
    json: OnceLock<Value>,
}

impl DetailsCell {
    fn new(typed: Details) -> Box<Self> {
        Box::new(Self {
            typed,
            json: OnceLock::new(),
        })
    }
}

/// `{"parentId": "cannot move"}` becomes `parentId: cannot move`.
fn summarise_object(obj: &Value) -> String {
    match obj {
        Value::Object(map) if !map.is_empty() => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests;
