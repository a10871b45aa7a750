//! One error type for every failure a tool step can have, with a stable,
//! machine-readable [`ErrorCode`] so a host engine can route a failed step.
//!
//! Errors never carry secrets: messages are built from field names, HTTP
//! statuses and Thrive's own error text, never from credential values.

use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The stable code of an [`Error`]. Serialised in `snake_case`
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

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer to the field in the input (`/users`, `/users/3/reference`);
    /// empty for the input as a whole.
    pub pointer: String,
    /// What is wrong, in words that name the field.
    pub message: String,
}

impl Violation {
    /// A violation at `pointer` with `message`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    /// `pointer: message`, or the message alone when it already starts with
    /// the field's name (`users[0]: …` at `/users/0`), so a name is never
    /// said twice.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.pointer.split('/').nth(1).unwrap_or_default();
        if self.pointer.is_empty() || (!field.is_empty() && self.message.starts_with(field)) {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

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
    details: Option<Value>,
    attempts: u32,
    delivery: Delivery,
    retryable: bool,
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
        let details = serde_json::to_value(&violations).ok();
        Self {
            details,
            ..Self::new(ErrorCode::InvalidInput, message)
        }
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
            Some(obj @ Value::Object(_)) => Some(obj.clone()),
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
        self.details.as_ref()
    }

    /// How many HTTP attempts were made before giving up (0: nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The violations of an `invalid_input` error (empty for other codes).
    pub fn violations(&self) -> Vec<Violation> {
        if self.code != ErrorCode::InvalidInput {
            return Vec::new();
        }
        self.details
            .as_ref()
            .and_then(|d| d.as_array())
            .map(|items| {
                items
                    .iter()
                    .map(|v| {
                        Violation::new(
                            v.get("pointer").and_then(Value::as_str).unwrap_or_default(),
                            v.get("message").and_then(Value::as_str).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
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
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
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
        if let Some(details) = &self.details {
            inner.insert("details".into(), details.clone());
        }
        inner.insert("retryable".into(), Value::from(self.is_retryable()));
        inner.insert("delivery".into(), Value::from(self.delivery.as_str()));
        inner.insert("attempts".into(), Value::from(self.attempts));
        serde_json::json!({ "error": inner })
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
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn thrive_error_body_becomes_code_status_and_message() {
        let e = Error::from_response(
            404,
            &json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
        );
        assert_eq!(e.code(), ErrorCode::NotFound);
        assert_eq!(e.status(), Some(404));
        assert_eq!(e.message(), "Audience not found");
        assert!(!e.is_retryable());
    }

    #[test]
    fn object_message_is_summarised_and_kept() {
        let body = json!({"status": 422, "error": "Unprocessable Content",
            "message": {"parentId": "cannot move audience to this parent"}});
        let e = Error::from_response(422, &body);
        assert_eq!(e.code(), ErrorCode::Unprocessable);
        assert_eq!(e.message(), "parentId: cannot move audience to this parent");
        assert_eq!(
            e.details(),
            Some(&json!({"parentId": "cannot move audience to this parent"}))
        );
    }

    #[test]
    fn missing_message_falls_back_to_reason_then_status() {
        assert_eq!(
            Error::from_response(500, &json!({"error": "Internal Server Error"})).message(),
            "Internal Server Error"
        );
        let e = Error::from_response(502, &Value::Null);
        assert_eq!(e.message(), "Thrive answered HTTP 502");
        assert!(e.is_retryable());
    }

    #[test]
    fn invalid_input_lists_every_violation() {
        let e = Error::invalid_input(vec![
            Violation::new("/ref", "is required"),
            Violation::new("/users", "must hold a JSON array"),
        ]);
        assert_eq!(
            e.to_string(),
            "invalid_input: invalid input (2 problems): /ref: is required; /users: must hold a JSON array"
        );
        assert_eq!(e.violations().len(), 2);
        assert_eq!(e.to_json()["error"]["details"][1]["pointer"], "/users");
        // A message that names its field is not prefixed with the pointer.
        let e = Error::invalid_input(vec![
            Violation::new("/perPage", "perPage must be a whole number"),
            Violation::new("/users/0", "users[0]: must be a string"),
        ]);
        assert_eq!(
            e.to_string(),
            "invalid_input: invalid input (2 problems): perPage must be a whole number; users[0]: must be a string"
        );
    }
}
