//! What comes back from Thrive: a 2xx answer parsed into JSON
//! ([`ApiResponse`]) and how it was obtained ([`CallMeta`]).

use crate::error::{Error, Result};
use serde_json::Value;

/// A 2xx response from Thrive: its status and parsed JSON body.
///
/// An empty body is [`Value::Null`]; a body that is not JSON is kept as
/// `{"raw": "<text>"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    /// The HTTP status (200, 201, 204, 207, ...).
    pub status: u16,
    /// The parsed body.
    pub body: Value,
    /// How the call went: attempts, time taken, where it went.
    pub meta: CallMeta,
}

/// Facts about how a response was obtained, filled in by the runtime.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallMeta {
    /// HTTP attempts made (including retries; 0 for synthesised responses).
    pub attempts: u32,
    /// Time from the first attempt to the answer.
    pub elapsed: std::time::Duration,
    /// The origin the call went to, e.g. `https://public.api.learn.link`.
    pub origin: String,
    /// `basic` or `oauth2`.
    pub auth: &'static str,
}

impl ApiResponse {
    /// A response with `status` and `body`.
    pub fn new(status: u16, body: Value) -> Self {
        Self {
            status,
            body,
            meta: CallMeta::default(),
        }
    }

    /// Parses raw body bytes the way every tool expects.
    pub fn from_bytes(status: u16, bytes: &[u8]) -> Self {
        let body = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(bytes)
                .unwrap_or_else(|_| serde_json::json!({ "raw": String::from_utf8_lossy(bytes) }))
        };
        Self::new(status, body)
    }

    /// Whether Thrive reported a partial success (HTTP 207).
    pub fn is_partial(&self) -> bool {
        self.status == 207
    }

    /// Deserialises the whole body into `T`, or `invalid_response`.
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        let status = self.status;
        serde_json::from_value(self.body).map_err(|e| {
            Error::new(
                crate::ErrorCode::InvalidResponse,
                format!("Thrive's response could not be read: {e}"),
            )
            .with_status(status)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_non_json_bodies() {
        assert_eq!(ApiResponse::from_bytes(204, b"").body, Value::Null);
        assert_eq!(
            ApiResponse::from_bytes(200, b"ok").body,
            serde_json::json!({"raw": "ok"})
        );
    }
}
