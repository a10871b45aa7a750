//! Inbound provisioning: an HR system's user events pushed to Thrive's
//! `POST /webhooks` on the **user** API hosts (`user.api.learn.link`, ...;
//! webhooks.md §2). Not among the 47 seed operations.
//!
//! Every tool sends the documented envelope
//! `{"id", "timestamp", "eventType", "content": {"user": {...}}}`. `id` is
//! the caller's unique id for the event; when not given a UUID v4 is
//! generated once per step, so a retried send carries the same id and
//! Thrive can recognise it. `timestamp` defaults to now.
//!
//! Auth is Basic (tenant id and secret) or OAuth client credentials from
//! the user API host with the scope `api/webhooks` (or `api/all`). The
//! `host` input may be a user API host or its public twin
//! (`public.api.learn.link` is sent to `user.api.learn.link`); when absent
//! it is `user.api.learn.link`. Thrive documents no response codes or body
//! for this endpoint, so the output passes the answer through.

/// Writes a provisioning tool's `impl Tool` and its registration from the
/// facts that differ between the four: the event it sends, its hints, id,
/// title and description, and the checks beyond the envelope's. Every one
/// posts the envelope to `POST /webhooks` on the user API host with the
/// params (less the envelope) as the user object.
macro_rules! provisioning_tool {
    (
        $tool:ident($params:ty) sends $event:literal as $hints:ident;
        $id:literal, $title:literal, $description:literal;
        checks |$p:ident, $out:ident| $checks:block
    ) => {
        impl crate::block::Block for $tool {
            type Params = $params;
            type Output = super::ProvisioningOutput;

            const ID: &'static str = $id;
            const TITLE: &'static str = $title;
            const DESCRIPTION: &'static str = $description;
            const ENDPOINT: &'static str = "POST /webhooks (user API host)";
            const HINTS: crate::tool::Hints = crate::tool::Hints::$hints;

            fn validate($p: &Self::Params, $out: &mut Vec<crate::error::Violation>) {
                super::check_envelope(&$p.envelope, $out);
                $checks
            }
        }

        impl crate::tool::Tool for $tool {
            fn request(p: &Self::Params) -> crate::error::Result<crate::api::ApiRequest> {
                let user = crate::wire::object_fields(p)?;
                Ok(super::request(&p.envelope, $event, user))
            }
        }

        crate::register_tool!($tool);
    };
}

pub mod user_deleted;
pub mod user_joined;
pub mod user_suspended;
pub mod user_updated;

use crate::api::{ApiRequest, ApiResponse, ApiVersion, Method};
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The envelope inputs every provisioning tool shares.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// Your unique id for this event, so Thrive can recognise a resend.
    /// Generated (a UUID) when left blank.
    pub id: Option<String>,
    /// When the event happened (ISO 8601); default: now.
    pub timestamp: Option<crate::params::DateText<crate::params::Instant>>,
}

/// What a provisioning tool returns: Thrive's answer, passed through.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisioningOutput {
    /// Thrive accepted the event (a 2xx answer).
    pub accepted: bool,
    /// The HTTP status Thrive answered with.
    pub status: u16,
    /// Thrive's answer body (not documented), as sent; null when empty.
    pub response: Value,
}

pub(crate) fn check_envelope(e: &Envelope, out: &mut Vec<Violation>) {
    check_date_input("timestamp", e.timestamp.as_ref(), out);
    if e.id.as_deref().is_some_and(|i| i.len() > 200) {
        out.push(Violation::new("/id", "id must be at most 200 characters"));
    }
}

/// The `POST /webhooks` request for `event_type` with `user`.
pub(crate) fn request(
    envelope: &Envelope,
    event_type: &str,
    user: Map<String, Value>,
) -> ApiRequest {
    let id = envelope
        .id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let timestamp = envelope
        .timestamp
        .as_deref()
        .map(str::to_owned)
        .unwrap_or_else(crate::clock::now_iso);
    ApiRequest::new(Method::Post, ApiVersion::UserApi, &["webhooks"]).body(json!({
        "id": id,
        "timestamp": timestamp,
        "eventType": event_type,
        "content": {"user": user},
    }))
}

impl crate::wire::FromResponse for ProvisioningOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        Ok(Self {
            accepted: (200..300).contains(&response.status),
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
    pub start_date: Option<crate::params::DateText<crate::params::Day>>,
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
