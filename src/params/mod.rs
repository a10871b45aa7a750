//! Parameter pieces shared by many tools: the connection fields, secrets,
//! string-encoded JSON arrays and objects, and date checks.

use crate::error::Violation;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

mod lists;
pub use lists::*;
mod json_object;
pub use json_object::*;
mod dates;
pub use dates::*;
mod date_text;
pub use date_text::*;
mod comma;
pub use comma::*;
mod text;
pub use text::*;

/// The schema extension that marks an input as part of the connection
/// credentials, so a host can group them, store them apart or hide them.
pub const CREDENTIAL_MARKER: &str = "x-thrive-credential";

/// A secret string (API key or client secret). Its `Debug` and `Display`
/// never show the value; read it with [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. Call only where it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl JsonSchema for Secret {
    fn schema_name() -> Cow<'static, str> {
        "Secret".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "writeOnly": true, "minLength": 1, "pattern": NonBlank::PATTERN })
    }
}

/// The connection inputs every tool takes: where Thrive is and who calls it.
///
/// They are flattened into every tool's input and marked with
/// `x-thrive-credential`; the API key (or client secret) is also `writeOnly`.
#[derive(Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// Thrive Tenant ID (used as the Basic auth username), e.g. `eu-west-2_AbcdEfghI`.
    #[schemars(extend("x-thrive-credential" = true), with = "Required")]
    pub tenant_id: String,
    /// Thrive API key (used as the Basic auth password). When `clientId` is
    /// given, this is the OAuth 2.0 client secret instead.
    #[schemars(extend("x-thrive-credential" = true))]
    pub api_key: Secret,
    /// Region-specific API host: `public.api.learn.link` (default),
    /// `public.api.mea.learn.tech`, `public.api.learnstaging.link` or
    /// `public.api.meastaging.learn.tech`. Other hosts must be allowed by the
    /// operator in THRIVE_ALLOWED_HOSTS.
    #[serde(default)]
    #[schemars(extend("x-thrive-credential" = true))]
    pub host: Option<String>,
    /// OAuth 2.0 client ID. When set, the call uses a client-credentials
    /// bearer token and `apiKey` is the client secret; otherwise Basic auth.
    #[serde(default)]
    #[schemars(extend("x-thrive-credential" = true))]
    pub client_id: Option<String>,
    /// OAuth 2.0 scopes to request, space-separated (`api/read`, `api/write`,
    /// `api/all`). Only used with `clientId`; default `api/all`.
    #[serde(default)]
    #[schemars(extend("x-thrive-credential" = true))]
    pub scope: Option<String>,
}

impl Connection {
    /// Basic-auth credentials for `tenant_id` and the default host.
    pub fn basic(tenant_id: impl Into<String>, api_key: impl Into<String>) -> Self {
        Self {
            tenant_id: tenant_id.into(),
            api_key: Secret::new(api_key),
            host: None,
            client_id: None,
            scope: None,
        }
    }

    /// Returns the connection pointed at `host`.
    pub fn with_host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Returns the connection using OAuth 2.0 with `client_id` (the API key
    /// becomes the client secret).
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Reads the connection inputs of a tool input (its other fields are
    /// ignored), checked as a run checks them: every problem at once.
    pub fn from_map(input: serde_json::Map<String, serde_json::Value>) -> crate::Result<Self> {
        let connection = Self::deserialize(serde_json::Value::Object(input)).map_err(|e| {
            crate::Error::field("", format!("connection inputs could not be read: {e}"))
        })?;
        let mut problems = Vec::new();
        connection.check(&mut problems);
        if problems.is_empty() {
            Ok(connection)
        } else {
            Err(crate::Error::invalid_input(problems))
        }
    }

    /// The input names that belong to the connection.
    pub const FIELDS: [&'static str; 5] = ["tenantId", "apiKey", "host", "clientId", "scope"];

    /// The OAuth scopes Thrive documents for its API.
    pub const SCOPES: [&'static str; 4] = ["api/read", "api/write", "api/all", "api/webhooks"];

    /// Reports what the schema cannot: a `scope` without `clientId`, and
    /// scopes Thrive does not document for the API.
    ///
    /// A `host` is parsed exactly as a run parses it, so `validate` refuses
    /// every malformed host that `run` would; whether a well-formed host is
    /// *allowed* depends on the operator's allow-list, which `dry-run` and
    /// `run` check against their context.
    pub fn check(&self, out: &mut Vec<Violation>) {
        if let Some(host) = self.host.as_deref()
            && let Err(e) = crate::wire::Origin::parse(host)
        {
            let found = e.violations();
            if found.is_empty() {
                out.push(Violation::new("/host", e.message().to_owned()));
            } else {
                out.extend(found);
            }
        }
        let Some(scope) = self.scope.as_deref() else {
            return;
        };
        if self.client_id.is_none() {
            out.push(Violation::new(
                "/scope",
                "scope is only used with clientId (OAuth); remove it or give clientId",
            ));
        }
        let unknown: Vec<&str> = scope
            .split_whitespace()
            .filter(|s| !Self::SCOPES.contains(s))
            .collect();
        if !unknown.is_empty() {
            out.push(Violation::new(
                "/scope",
                format!(
                    "scope has unknown value(s) {}; use one or more of {}, separated by spaces",
                    unknown.join(", "),
                    Self::SCOPES.join(", ")
                ),
            ));
        }
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("tenant_id", &self.tenant_id)
            .field("api_key", &self.api_key)
            .field("host", &self.host)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .finish()
    }
}

/// The environment variable holding the tenant id, for hosts that take the
/// connection from their operator rather than from each step's input.
pub const TENANT_ID_ENV: &str = "THRIVE_TENANT_ID";
/// The environment variable holding the API key (or, with a client id, the
/// OAuth client secret).
pub const API_KEY_ENV: &str = "THRIVE_API_KEY";
/// The environment variable holding the host.
pub const HOST_ENV: &str = "THRIVE_HOST";
/// The environment variable holding the OAuth client id.
pub const CLIENT_ID_ENV: &str = "THRIVE_CLIENT_ID";
/// The environment variable holding the OAuth scopes.
pub const SCOPE_ENV: &str = "THRIVE_SCOPE";

impl Connection {
    /// Each connection input with the environment variable that can supply it.
    pub const ENV: [(&'static str, &'static str); 5] = [
        ("tenantId", TENANT_ID_ENV),
        ("apiKey", API_KEY_ENV),
        ("host", HOST_ENV),
        ("clientId", CLIENT_ID_ENV),
        ("scope", SCOPE_ENV),
    ];

    /// Fills the connection inputs that `input` lacks (absent, null or blank)
    /// from the environment variables in [`Connection::ENV`] that are set,
    /// so a key can come from the environment instead of a command line or a
    /// workflow definition. Inputs the caller gave always win.
    pub fn fill_from_env(input: &mut Map<String, Value>) {
        for (field, var) in Self::ENV {
            let given = input
                .get(field)
                .is_some_and(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()));
            if given {
                continue;
            }
            if let Some(value) = std::env::var(var)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
            {
                input.insert(field.to_owned(), Value::String(value));
            }
        }
    }
}

/// The JSON type name of a value, for messages.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
