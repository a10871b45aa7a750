//! Inbound provisioning: an HR system's user events pushed to Thrive's
//! `POST /webhooks` on the **user** API hosts (`user.api.learn.link`, ...;
//! webhooks.md §2). Not among the 47 seed operations.
//!
//! Every tool sends the documented envelope
//! `{"id", "timestamp", "eventType", "content": {"user": {...}}}`, built
//! from the inputs alone, so a dry run shows exactly the body a run sends:
//!
//! - `timestamp` is when the event happened, and it is **required**. It is
//!   part of the event (a resend of the same event carries the same time),
//!   and "now" is not a fact about the event: a default taken while the
//!   request is built would differ between a dry run and the run, and
//!   between two sends of one event.
//! - `id` is the caller's unique id for the event. When left blank it is
//!   derived from the event itself ([`event_id`]: SHA-256 of the event type,
//!   the timestamp and the user fields as sent, shaped as a UUID v8), so the
//!   same event always carries the same id and Thrive can recognise a
//!   resend, while a later event with the same fields (someone who joins
//!   again) differs by its time and so by its id.
//!
//! Auth is Basic (tenant id and secret) or OAuth client credentials from
//! the user API host with the scope `api/webhooks` (or `api/all`). The
//! `host` input may be a user API host or its public twin
//! (`public.api.learn.link` is sent to `user.api.learn.link`); when absent
//! it is `user.api.learn.link`. Thrive documents no response codes or body
//! for this endpoint, so the output passes the answer through.

pub mod user_deleted;
pub mod user_joined;
pub mod user_suspended;
pub mod user_updated;

use crate::api::{ApiRequest, ApiResponse, ApiVersion, Method};
use crate::error::{Result, Violation};
use crate::params::{DateText, Day, Instant, check_date_input};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The envelope inputs every provisioning tool shares.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// Your unique id for this event, so Thrive can recognise a resend.
    /// When left blank it is derived from the event (its type, timestamp
    /// and user fields), so the same event always carries the same id.
    pub id: Option<String>,
    /// When the event happened (ISO 8601). Part of the event: a resend
    /// carries the same time (and so the same id).
    pub timestamp: DateText<Instant>,
}

/// What a provisioning tool returns: Thrive's answer, passed through. (A
/// non-2xx answer is an error, never an output.)
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisioningOutput {
    /// The HTTP status Thrive answered with (a 2xx).
    pub status: u16,
    /// Thrive's answer body (not documented), as sent; null when empty.
    pub response: Value,
}

/// Reports what the envelope's schema cannot: a timestamp that is not a
/// date, an id longer than 200 characters.
pub(crate) fn check_envelope(e: &Envelope, out: &mut Vec<Violation>) {
    check_date_input("timestamp", Some(&e.timestamp), out);
    if e.id.as_deref().is_some_and(|i| i.len() > 200) {
        out.push(Violation::new("/id", "id must be at most 200 characters"));
    }
}

/// The `POST /webhooks` request for `event_type`, the envelope and the
/// params (less the envelope) as the user object. Pure: the same params
/// always give the same request.
pub(crate) fn request(
    envelope: &Envelope,
    event_type: &str,
    user: &impl Serialize,
) -> Result<ApiRequest> {
    let user = crate::wire::object_fields(user)?;
    Ok(
        ApiRequest::new(Method::Post, ApiVersion::UserApi, &["webhooks"])
            .body(envelope_body(envelope, event_type, user)),
    )
}

/// The envelope as sent: the given id, or the one [`event_id`] derives.
fn envelope_body(envelope: &Envelope, event_type: &str, user: Map<String, Value>) -> Value {
    let timestamp: &str = &envelope.timestamp;
    let content = json!({"user": user});
    let id = match envelope.id.as_deref() {
        Some(id) => id.to_owned(),
        None => event_id(event_type, timestamp, &content),
    };
    json!({
        "id": id,
        "timestamp": timestamp,
        "eventType": event_type,
        "content": content,
    })
}

/// The id of an event nobody gave one: the SHA-256 of its type, its
/// timestamp and its content as sent (each field in the params' order),
/// written as a UUID (version 8, RFC 9562's custom layout, which its
/// appendix illustrates with a SHA-256 name-based id). The same event
/// gives the same id on every build of the request; a change to any sent
/// field gives another.
pub fn event_id(event_type: &str, timestamp: &str, content: &Value) -> String {
    let mut hash = Sha256::new();
    // Each part is length-prefixed, so no two events share the hashed bytes.
    for part in [event_type, timestamp, &content.to_string()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

impl crate::wire::FromResponse for ProvisioningOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        Ok(Self {
            status: response.status,
            response: response.body,
        })
    }
}

/// The optional profile fields `user_joined` and `user_updated` share.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileFields {
    /// Job title.
    pub job_title: Option<String>,
    /// The ref of the user's manager.
    pub manager_ref: Option<String>,
    /// Start date (ISO 8601), e.g. 2026-04-01.
    pub start_date: Option<DateText<Day>>,
    /// IANA time zone, e.g. Europe/London.
    pub time_zone: Option<String>,
    /// Language code, e.g. en-GB.
    pub language_code: Option<String>,
}

impl ProfileFields {
    pub(crate) fn check(&self, out: &mut Vec<Violation>) {
        check_date_input("startDate", self.start_date.as_ref(), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derivation is part of the contract: a resend made by a later
    /// version must carry the id an earlier one sent, so it is pinned.
    #[test]
    fn the_derived_id_is_a_stable_uuid_v8_of_the_event() {
        let content = json!({"user": {"ref": "HR-1"}});
        let id = event_id("user_deleted", "2026-04-01T09:00:00Z", &content);
        assert_eq!(id, "8d4b2e39-2ed1-8399-a618-1f40d349af2d");
        assert_eq!(&id[14..15], "8", "version 8: {id}");
        assert!(
            matches!(&id[19..20], "8" | "9" | "a" | "b"),
            "variant: {id}"
        );
        assert_ne!(
            event_id("user_suspended", "2026-04-01T09:00:00Z", &content),
            id
        );
        assert_ne!(
            event_id("user_deleted", "2026-04-01T09:00:01Z", &content),
            id
        );
    }
}
