//! [`Connection`]: where Thrive is and who calls it, one typed value from
//! the host to the call.
//!
//! A host builds its connection once (from its operator's environment with
//! [`Connection::from_env`], from the embedded sandbox, or from a request)
//! and merges it into a tool input with [`Connection::fill`], which never
//! mixes it with connection inputs the caller gave. Whether an input gives
//! a connection field is [`Connection::is_given`].

use super::{Required, Secret};
use crate::error::Violation;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;

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
    pub fn from_input(input: &Value) -> crate::Result<Self> {
        let connection = Self::deserialize(input).map_err(|e| {
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

    /// The operator's connection from the environment: [`TENANT_ID_ENV`] and
    /// [`API_KEY_ENV`] (required), [`HOST_ENV`], [`CLIENT_ID_ENV`] and
    /// [`SCOPE_ENV`] (optional). A variable set to blank counts as unset.
    /// Fails with the names of the required variables that are not set.
    pub fn from_env() -> Result<Self, Vec<&'static str>> {
        let (tenant_id, api_key) = match (env_value(TENANT_ID_ENV), env_value(API_KEY_ENV)) {
            (Some(tenant_id), Some(api_key)) => (tenant_id, api_key),
            (tenant_id, api_key) => {
                return Err([(TENANT_ID_ENV, tenant_id), (API_KEY_ENV, api_key)]
                    .into_iter()
                    .filter(|(_, value)| value.is_none())
                    .map(|(var, _)| var)
                    .collect());
            }
        };
        Ok(Self {
            tenant_id,
            api_key: Secret::new(api_key),
            host: env_value(HOST_ENV),
            client_id: env_value(CLIENT_ID_ENV),
            scope: env_value(SCOPE_ENV),
        })
    }

    /// Whether `input` gives connection input `field`: present, not null
    /// and, for a string, not blank.
    pub fn is_given(input: &Map<String, Value>, field: &str) -> bool {
        input
            .get(field)
            .is_some_and(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
    }

    /// Each connection input with its value, `None` for one not set.
    fn values(&self) -> [(&'static str, Option<&str>); 5] {
        [
            ("tenantId", Some(self.tenant_id.as_str())),
            ("apiKey", Some(self.api_key.expose())),
            ("host", self.host.as_deref()),
            ("clientId", self.client_id.as_deref()),
            ("scope", self.scope.as_deref()),
        ]
    }

    /// Merges this connection into a tool input: when `input` gives none of
    /// the connection inputs ([`Connection::is_given`]), they are all set
    /// from this connection (null or blank ones replaced) and `true` is
    /// returned. An input that gives any connection input keeps its own
    /// connection as it is (`false`): this connection's key is never
    /// combined with a tenant or host the caller chose.
    pub fn fill(&self, input: &mut Map<String, Value>) -> bool {
        if Self::FIELDS.iter().any(|f| Self::is_given(input, f)) {
            return false;
        }
        for field in Self::FIELDS {
            input.remove(field);
        }
        for (field, value) in self.values() {
            if let Some(value) = value {
                input.insert(field.to_owned(), Value::String(value.to_owned()));
            }
        }
        true
    }

    /// Replaces every connection input of `input` with this connection and
    /// returns the names of those `input` had (e.g. to say they were not
    /// used).
    pub fn replace(&self, input: &mut Map<String, Value>) -> Vec<&'static str> {
        let had: Vec<&'static str> = Self::FIELDS
            .into_iter()
            .filter(|f| input.remove(*f).is_some())
            .collect();
        self.fill(input);
        had
    }

    /// The connection as tool inputs (`tenantId`, `apiKey`, and the others
    /// that are set), for a caller that takes them as JSON.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        self.fill(&mut map);
        map
    }

    /// The connection a tool input gives, when it gives a whole one
    /// (`tenantId` and `apiKey` at least); other inputs are ignored.
    pub fn of_input(input: &Value) -> Option<Self> {
        Self::deserialize(input).ok()
    }

    /// Fills the connection inputs that `input` lacks ([`Connection::is_given`])
    /// from the environment variables in [`Connection::ENV`] that are set,
    /// one by one, so a key can come from the environment instead of a
    /// command line or a workflow definition while the tenant is given in
    /// the input. Inputs the caller gave always win. For the caller's own
    /// partial connection; an operator's whole connection is merged with
    /// [`Connection::fill`], which never mixes.
    pub fn fill_from_env(input: &mut Map<String, Value>) {
        for (field, var) in Self::ENV {
            if Self::is_given(input, field) {
                continue;
            }
            if let Some(value) = env_value(var) {
                input.insert(field.to_owned(), Value::String(value));
            }
        }
    }
}

/// The trimmed value of environment variable `var`, `None` when it is
/// unset or blank.
fn env_value(var: &str) -> Option<String> {
    std::env::var(var)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::Connection;
    use serde_json::{Map, Value, json};

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn a_field_is_given_when_present_not_null_and_not_blank() {
        let input = map(json!({"tenantId": "t", "apiKey": " ", "host": null, "scope": 3}));
        assert!(Connection::is_given(&input, "tenantId"));
        assert!(!Connection::is_given(&input, "apiKey"));
        assert!(!Connection::is_given(&input, "host"));
        assert!(!Connection::is_given(&input, "clientId"));
        assert!(
            Connection::is_given(&input, "scope"),
            "a non-string is given"
        );
    }

    #[test]
    fn fill_sets_the_whole_connection_only_into_an_input_without_one() {
        let oauth = Connection::basic("t-default", "k-default")
            .with_host("http://127.0.0.1:9")
            .with_client_id("client");
        let mut bare = map(json!({"userId": "u", "tenantId": " ", "apiKey": null}));
        assert!(oauth.fill(&mut bare));
        assert_eq!(
            Value::Object(bare),
            json!({"userId": "u", "tenantId": "t-default", "apiKey": "k-default",
                   "host": "http://127.0.0.1:9", "clientId": "client"})
        );
        let mut host_only = map(json!({"userId": "u", "host": "elsewhere.example"}));
        assert!(
            !oauth.fill(&mut host_only),
            "never mixed with the caller's host"
        );
        assert_eq!(
            Value::Object(host_only),
            json!({"userId": "u", "host": "elsewhere.example"})
        );
    }

    #[test]
    fn replace_drops_every_given_connection_input_and_names_them() {
        let sandbox = Connection::basic("t-sandbox", "k-sandbox").with_host("http://127.0.0.1:9");
        let mut input = map(json!({"userId": "u", "tenantId": "mine", "scope": "api/read"}));
        assert_eq!(sandbox.replace(&mut input), vec!["tenantId", "scope"]);
        assert_eq!(
            Value::Object(input),
            json!({"userId": "u", "tenantId": "t-sandbox", "apiKey": "k-sandbox",
                   "host": "http://127.0.0.1:9"})
        );
    }

    #[test]
    fn the_connection_goes_to_json_and_back_unchanged() {
        let c = Connection::basic("t", "k").with_client_id("c");
        let json = c.to_map();
        assert_eq!(
            Value::Object(json.clone()),
            json!({"tenantId": "t", "apiKey": "k", "clientId": "c"})
        );
        let mut input = json;
        input.insert("userId".into(), "u".into());
        let back = Connection::of_input(&Value::Object(input)).expect("a whole connection");
        assert_eq!(back.tenant_id, "t");
        assert_eq!(back.api_key.expose(), "k");
        assert_eq!(back.client_id.as_deref(), Some("c"));
        assert_eq!(back.host, None);
        assert!(Connection::of_input(&json!({"tenantId": "t"})).is_none());
    }
}
