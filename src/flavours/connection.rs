//! The connection inputs as a form of their own.

use super::*;

/// The region hosts a connection form offers.
pub const REGION_HOSTS: [&str; 4] = [
    "public.api.learn.link",
    "public.api.mea.learn.tech",
    "public.api.learnstaging.link",
    "public.api.meastaging.learn.tech",
];

/// The pattern of a required text input (see [`crate::params::NonBlank`]).
const NON_BLANK: &str = <crate::params::NonBlank as crate::params::TextKind>::PATTERN;

/// The connection form (draft-07): tenant, key, region, OAuth client and
/// scope. Hosts draw it once and keep its value apart from each step.
pub fn connection() -> Value {
    connection_with_hosts(&[])
}

/// The connection form with extra hosts the operator allows (e.g. a
/// sandbox) offered beside the four regions.
pub fn connection_with_hosts(extra: &[&str]) -> Value {
    let mut hosts: Vec<Value> = REGION_HOSTS
        .iter()
        .map(|h| json!({"const": h, "title": value_label(h)}))
        .collect();
    hosts.extend(
        extra
            .iter()
            .map(|h| json!({"const": h, "title": format!("Allowed by the operator ({h})")})),
    );
    let scopes: Vec<Value> = Connection::SCOPES
        .iter()
        .map(|s| json!({"const": s, "title": value_label(s)}))
        .collect();
    json!({
        "$schema": DRAFT_07,
        "title": "Thrive connection",
        "description": "Where your Thrive tenant is and how to sign in. Basic auth needs the tenant ID and API key; for OAuth 2.0 client credentials give the client ID too (the API key is then the client secret).",
        "type": "object",
        "properties": {
            "tenantId": {
                "title": "Tenant ID",
                "type": "string",
                "minLength": 1,
                "pattern": NON_BLANK,
                "description": "Your Thrive tenant ID, e.g. eu-west-2_AbcdEfghI."
            },
            "apiKey": {
                "title": "API key",
                "type": "string",
                "minLength": 1,
                "pattern": NON_BLANK,
                "writeOnly": true,
                "description": "The tenant's API key (with a client ID: the OAuth client secret). Stored by the host, never shown again."
            },
            "host": {
                "title": "Region",
                "type": "string",
                "default": REGION_HOSTS[0],
                "oneOf": hosts,
                "description": "The Thrive API host of your tenant's region."
            },
            "clientId": {
                "title": "OAuth client ID",
                "type": "string",
                "description": "Leave blank for Basic auth. With a client ID, calls use an OAuth 2.0 client-credentials token."
            },
            "scope": {
                "title": "OAuth scope",
                "type": "string",
                "oneOf": scopes,
                "description": "The scope to request with a client ID (default api/all)."
            }
        },
        "required": ["tenantId", "apiKey"],
        "dependencies": {"scope": ["clientId"]},
        "additionalProperties": false
    })
}

/// RJSF hints for the connection form: the key is a password box.
pub fn connection_ui() -> Value {
    json!({
        "ui:order": ["tenantId", "apiKey", "host", "clientId", "scope"],
        "apiKey": {"ui:widget": "password", "ui:options": {"autocomplete": "off"}},
        "tenantId": {"ui:placeholder": "eu-west-2_AbcdEfghI"}
    })
}

/// Keywords Gemini's function declarations accept (see `portable`).
pub(super) const PORTABLE_KEYWORDS: [&str; 13] = [
    "type",
    "title",
    "description",
    "enum",
    "properties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "minLength",
    "nullable",
];
