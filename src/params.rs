//! Parameter pieces shared by many tools: the connection fields, secrets,
//! string-encoded JSON arrays and objects, and date checks.

use crate::error::Violation;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

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
        json_schema!({ "type": "string", "writeOnly": true, "minLength": 1 })
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
    #[schemars(extend("x-thrive-credential" = true), length(min = 1))]
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
            && let Err(e) = crate::api::host::Origin::parse(host)
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

/// Runtime options every paginated tool accepts besides its own parameters.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PagingOptions {
    /// Follow every page and return all matching items in one result
    /// (the `pagination` object then describes the whole). Default false.
    #[serde(default)]
    pub return_all: Option<bool>,
    /// With `returnAll`, stop after this many items (at least 1).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_results: Option<u64>,
}

impl PagingOptions {
    /// The input names these options use.
    pub const FIELDS: [&'static str; 2] = ["returnAll", "maxResults"];
}

/// What a string-encoded JSON list holds, after parsing.
#[derive(Clone, PartialEq)]
enum Parsed<T> {
    Items(Vec<T>),
    /// The text was not JSON, or an item had the wrong shape: (pointer suffix, message).
    Invalid(Vec<(String, String)>),
}

/// A list given as a string holding a JSON array (what a form text field
/// holds), or as a real JSON array. The schema says `"type": "string"` with
/// `contentMediaType: application/json`; the runtime turns a real array into
/// its JSON text before validating.
///
/// `MIN` and `MAX` are the item-count bounds checked by [`JsonList::check`]
/// (`MAX = 0` means no upper bound). As Sim does, a single JSON value that is
/// not an array is taken as a one-item list.
#[derive(Clone, PartialEq)]
pub struct JsonList<T, const MIN: usize, const MAX: usize> {
    parsed: Parsed<T>,
}

impl<T, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
    /// A list of already-typed items.
    pub fn from_items(items: Vec<T>) -> Self {
        Self {
            parsed: Parsed::Items(items),
        }
    }

    /// The items, or an empty slice when the text was invalid (validation
    /// reports that before any request is built).
    pub fn items(&self) -> &[T] {
        match &self.parsed {
            Parsed::Items(items) => items,
            Parsed::Invalid(_) => &[],
        }
    }

    /// Reports every problem with this list as violations under `/{field}`.
    pub fn check(&self, field: &str, out: &mut Vec<Violation>) {
        match &self.parsed {
            Parsed::Invalid(problems) => {
                for (suffix, message) in problems {
                    out.push(Violation::new(
                        format!("/{field}{suffix}"),
                        format!("{field}{}: {message}", pointer_label(suffix)),
                    ));
                }
            }
            Parsed::Items(items) => {
                let n = items.len();
                if n < MIN {
                    out.push(Violation::new(
                        format!("/{field}"),
                        if n == 0 {
                            format!("{field} must not be an empty list (at least {MIN} item(s))")
                        } else {
                            format!("{field} must have at least {MIN} items, got {n}")
                        },
                    ));
                }
                if MAX > 0 && n > MAX {
                    out.push(Violation::new(
                        format!("/{field}"),
                        format!("{field} must have at most {MAX} items, got {n}"),
                    ));
                }
            }
        }
    }
}

/// The most items one replace call takes: Thrive's per-call limit, which a
/// replace cannot get around by chunking.
pub const REPLACE_LIMIT: usize = 100;

/// A field transform for replace lists: states [`REPLACE_LIMIT`] as the
/// decoded array's `maxItems`, the limit [`JsonList::check_replace_limit`]
/// enforces: `#[schemars(transform = crate::params::replace_limit)]`.
pub fn replace_limit(schema: &mut Schema) {
    if let Some(Value::Object(content)) = schema.get_mut("contentSchema") {
        content.insert("maxItems".into(), REPLACE_LIMIT.into());
    }
}

impl<T, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
    /// Refuses more than `max` items for a replace: Thrive takes at most
    /// `max` per call, and a replace cannot be sent in chunks because each
    /// call replaces the whole list.
    pub fn check_replace_limit(&self, field: &str, max: usize, out: &mut Vec<Violation>) {
        let n = self.items().len();
        if n > max {
            out.push(Violation::new(
                format!("/{field}"),
                format!(
                    "{field} has {n} items; a replace takes at most {max} and cannot be split into several calls, because each call replaces the whole list"
                ),
            ));
        }
    }
}

/// `/3/reference` becomes `[3].reference` for messages.
fn pointer_label(suffix: &str) -> String {
    suffix
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.chars().all(|c| c.is_ascii_digit()) {
                format!("[{s}]")
            } else {
                format!(".{s}")
            }
        })
        .collect()
}

impl<T: fmt::Debug, const MIN: usize, const MAX: usize> fmt::Debug for JsonList<T, MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.parsed {
            Parsed::Items(items) => f.debug_list().entries(items).finish(),
            Parsed::Invalid(p) => f.debug_tuple("Invalid").field(p).finish(),
        }
    }
}

impl<T: DeserializeOwned, const MIN: usize, const MAX: usize> JsonList<T, MIN, MAX> {
    fn parse_value(value: Value) -> Self {
        let values = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        let mut items = Vec::with_capacity(values.len());
        let mut problems = Vec::new();
        for (i, v) in values.into_iter().enumerate() {
            match serde_json::from_value::<T>(v) {
                Ok(item) => items.push(item),
                Err(e) => problems.push((format!("/{i}"), e.to_string())),
            }
        }
        let parsed = if problems.is_empty() {
            Parsed::Items(items)
        } else {
            Parsed::Invalid(problems)
        };
        Self { parsed }
    }

    /// Parses the text of a form field.
    pub fn parse_str(text: &str) -> Self {
        if text.trim().is_empty() {
            return Self::from_items(Vec::new());
        }
        match serde_json::from_str::<Value>(text) {
            Ok(value) => Self::parse_value(value),
            Err(e) => Self {
                parsed: Parsed::Invalid(vec![(
                    String::new(),
                    format!(
                        "is not valid JSON ({e}); expected a JSON array such as [\"a\", \"b\"]"
                    ),
                )]),
            },
        }
    }
}

impl<'de, T: DeserializeOwned, const MIN: usize, const MAX: usize> Deserialize<'de>
    for JsonList<T, MIN, MAX>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(text) => Self::parse_str(&text),
            other => Self::parse_value(other),
        })
    }
}

impl<T: Serialize, const MIN: usize, const MAX: usize> Serialize for JsonList<T, MIN, MAX> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items().serialize(s)
    }
}

impl<T: JsonSchema, const MIN: usize, const MAX: usize> JsonSchema for JsonList<T, MIN, MAX> {
    fn schema_name() -> Cow<'static, str> {
        "JsonList".into()
    }

    fn inline_schema() -> bool {
        true
    }

    /// JSON text whose decoded value is described by `contentSchema`: an
    /// array of `T` with the documented item counts. The form flavour draws
    /// the decoded array itself.
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut content = Map::new();
        content.insert("type".into(), "array".into());
        content.insert("items".into(), generator.subschema_for::<T>().to_value());
        content.insert("minItems".into(), MIN.into());
        if MAX > 0 {
            content.insert("maxItems".into(), MAX.into());
        }
        json_schema!({
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": Value::Object(content),
        })
    }
}

/// A JSON object given as a string (or as a real object), e.g.
/// `additionalFields` = `{"department":"Sales"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonObject {
    parsed: Result<Map<String, Value>, String>,
}

impl JsonObject {
    /// The object, or an empty map when invalid (validation reports it).
    pub fn map(&self) -> Map<String, Value> {
        self.parsed.clone().unwrap_or_default()
    }

    /// Reports a problem with this object as a violation under `/{field}`.
    pub fn check(&self, field: &str, out: &mut Vec<Violation>) {
        if let Err(message) = &self.parsed {
            out.push(Violation::new(
                format!("/{field}"),
                format!("{field} {message}"),
            ));
        }
    }

    fn from_value(value: Value) -> Self {
        let parsed = match value {
            Value::Object(map) => Ok(map),
            other => Err(format!(
                "must hold a JSON object such as {{\"department\":\"Sales\"}}, got {}",
                json_kind(&other)
            )),
        };
        Self { parsed }
    }
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(text) => match serde_json::from_str::<Value>(&text) {
                Ok(v) => Self::from_value(v),
                Err(e) => Self {
                    parsed: Err(format!(
                        "is not valid JSON ({e}); expected an object such as {{\"department\":\"Sales\"}}"
                    )),
                },
            },
            other => Self::from_value(other),
        })
    }
}

impl JsonSchema for JsonObject {
    fn schema_name() -> Cow<'static, str> {
        "JsonObject".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {"type": "object"},
        })
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

/// Date and time formats that Thrive's endpoints document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// ISO 8601: a date (`2024-04-02`) or a date-time with optional
    /// fraction and zone (`2021-08-19T18:00:00.000Z`).
    Iso8601,
    /// `YYYY-MM-DD hh:mm:ss` (activities and CPD entries); a bare date is accepted too.
    SpaceSeparated,
    /// `YYYY-MM-DDThh:mm:ss` with no zone (CPD user summaries).
    LocalDateTime,
}

/// Checks an optional date input; a violation names the field and the format.
pub fn check_date(field: &str, value: Option<&str>, format: DateFormat, out: &mut Vec<Violation>) {
    let Some(value) = value else { return };
    let ok = match format {
        DateFormat::Iso8601 => is_iso8601(value),
        DateFormat::SpaceSeparated => {
            is_date(value)
                || value
                    .split_once(' ')
                    .is_some_and(|(d, t)| is_date(d) && is_hms(t))
        }
        DateFormat::LocalDateTime => value
            .split_once('T')
            .is_some_and(|(d, t)| is_date(d) && is_hms(t)),
    };
    if !ok {
        let expected = match format {
            DateFormat::Iso8601 => "an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z",
            DateFormat::SpaceSeparated => "a date-time in the form YYYY-MM-DD hh:mm:ss",
            DateFormat::LocalDateTime => "a date-time in the form YYYY-MM-DDThh:mm:ss",
        };
        out.push(Violation::new(
            format!("/{field}"),
            format!("{field} must be {expected}, got {value:?}"),
        ));
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn is_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn is_hms(s: &str) -> bool {
    let mut parts = s.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!((digits(h, 2), digits(m, 2), digits(sec, 2)), (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 61)
}

fn is_iso8601(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return is_date(s);
    };
    if !is_date(date) {
        return false;
    }
    // Split off the zone: Z, +hh:mm or -hh:mm.
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], Some(&time[i + 1..]))
    } else {
        (time, None)
    };
    if let Some(zone) = zone {
        let ok = match zone.split_once(':') {
            Some((h, m)) => {
                digits(h, 2).is_some_and(|h| h < 24) && digits(m, 2).is_some_and(|m| m < 60)
            }
            None => digits(zone, 4).is_some() || digits(zone, 2).is_some(),
        };
        if !ok {
            return false;
        }
    }
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    is_hms(hms) || (fraction.is_none() && hms.len() == 5 && is_hms(&format!("{hms}:00")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type Users = JsonList<String, 1, 100>;

    fn problems<T: DeserializeOwned, const A: usize, const B: usize>(
        field: &str,
        v: Value,
    ) -> Vec<Violation> {
        let list: JsonList<T, A, B> = serde_json::from_value(v).unwrap();
        let mut out = Vec::new();
        list.check(field, &mut out);
        out
    }

    #[test]
    fn string_and_real_arrays_parse_alike() {
        let a: Users = serde_json::from_value(json!("[\"a\",\"b\"]")).unwrap();
        let b: Users = serde_json::from_value(json!(["a", "b"])).unwrap();
        assert_eq!(a.items(), ["a", "b"]);
        assert_eq!(a, b);
        let single: Users = serde_json::from_value(json!("\"solo\"")).unwrap();
        assert_eq!(single.items(), ["solo"]);
    }

    #[test]
    fn malformed_shapes_and_counts_are_named() {
        let p = problems::<String, 1, 100>("users", json!("[\"a\","));
        assert_eq!(p[0].pointer, "/users");
        assert!(
            p[0].message.starts_with("users: is not valid JSON"),
            "{}",
            p[0].message
        );

        let p = problems::<String, 1, 100>("users", json!("[\"a\", 7]"));
        assert_eq!(p[0].pointer, "/users/1");
        assert!(
            p[0].message
                .starts_with("users[1]: invalid type: integer `7`"),
            "{}",
            p[0].message
        );

        let p = problems::<String, 1, 100>("users", json!("[]"));
        assert_eq!(
            p[0].message,
            "users must not be an empty list (at least 1 item(s))"
        );

        let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
        let p = problems::<String, 1, 100>("users", json!(many));
        assert_eq!(p[0].message, "users must have at most 100 items, got 101");
        assert!(problems::<String, 1, 0>("users", json!(many)).is_empty());
    }

    #[test]
    fn json_object_must_be_an_object() {
        let o: JsonObject = serde_json::from_value(json!("{\"department\":\"Sales\"}")).unwrap();
        assert_eq!(o.map()["department"], "Sales");
        let bad: JsonObject = serde_json::from_value(json!("[1]")).unwrap();
        let mut out = Vec::new();
        bad.check("additionalFields", &mut out);
        assert_eq!(
            out[0].message,
            "additionalFields must hold a JSON object such as {\"department\":\"Sales\"}, got an array"
        );
    }

    #[test]
    fn dates() {
        let ok = |v: &str, f| {
            let mut out = Vec::new();
            check_date("d", Some(v), f, &mut out);
            out.is_empty()
        };
        assert!(ok("2024-04-02", DateFormat::Iso8601));
        assert!(ok("2021-08-19T18:00:00.000Z", DateFormat::Iso8601));
        assert!(ok("2021-08-19T18:00:00+01:00", DateFormat::Iso8601));
        assert!(ok("2024-02-29T00:00:00Z", DateFormat::Iso8601));
        assert!(!ok("2023-02-29", DateFormat::Iso8601));
        assert!(!ok("yesterday", DateFormat::Iso8601));
        assert!(!ok("2024-13-01", DateFormat::Iso8601));
        assert!(ok("2020-01-01 00:00:00", DateFormat::SpaceSeparated));
        assert!(ok("2020-09-25", DateFormat::SpaceSeparated));
        assert!(!ok("2020-01-01T00:00:00", DateFormat::SpaceSeparated));
        assert!(ok("2020-11-17T09:50:00", DateFormat::LocalDateTime));
        assert!(!ok("2020-11-17 09:50:00", DateFormat::LocalDateTime));
    }

    #[test]
    fn secrets_do_not_debug() {
        let c = Connection::basic("eu-west-2_Abc", "s3cr3t-value");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("s3cr3t"), "{dbg}");
        assert!(dbg.contains("eu-west-2_Abc"));
    }
}

/// The schema keyword naming the layout of a date input in the validation
/// flavour (`date`, `date-time`, `timestamp`, `date-space-time`,
/// `local-date-time`). The catalogue checks every input that carries it, and
/// the form flavour turns it into `format: date`/`date-time` or a pattern.
pub const DATE_KEYWORD: &str = "x-thrive-format";
/// The schema keyword marking a comma-separated list input
/// (`"x-thrive-list": {"separator": ",", "items": {...}}`); the form flavour
/// turns it into a real array and the catalogue joins a real array back.
pub const LIST_KEYWORD: &str = "x-thrive-list";

/// A layout of date input that Thrive documents: its schema and its check.
pub trait DateKind: Send + Sync + 'static {
    /// The value of [`DATE_KEYWORD`].
    const NAME: &'static str;
    /// The pattern every accepted value matches (checked by the schema).
    const PATTERN: &'static str;
    /// Checks a value beyond the pattern (calendar dates, clock ranges).
    fn check(field: &str, value: &str, out: &mut Vec<Violation>);
}

/// A date or date-time, ISO 8601, that a form shows as a date picker
/// (`startDate`, `endDate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {}
/// A date or date-time, ISO 8601, that a form shows as a date-time picker
/// (`updatedSince`, `updatedAtFrom`, ...). A bare date is accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instant {}
/// An ISO 8601 date-time that must carry a time (`completedAt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {}
/// `YYYY-MM-DD hh:mm:ss` or a bare date (activities and CPD entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceDateTime {}
/// `YYYY-MM-DDThh:mm:ss` with no zone (CPD user summaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalDateTime {}

const ISO_PATTERN: &str =
    r"^\d{4}-\d{2}-\d{2}([Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$";

impl DateKind for Day {
    const NAME: &'static str = "date";
    const PATTERN: &'static str = ISO_PATTERN;
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::Iso8601, out);
    }
}

impl DateKind for Instant {
    const NAME: &'static str = "date-time";
    const PATTERN: &'static str = ISO_PATTERN;
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::Iso8601, out);
    }
}

impl DateKind for Timestamp {
    const NAME: &'static str = "timestamp";
    const PATTERN: &'static str =
        r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$";
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        if value.contains(['T', 't']) {
            check_date(field, Some(value), DateFormat::Iso8601, out);
        } else {
            out.push(Violation::new(
                format!("/{field}"),
                format!(
                    "{field} must be an ISO 8601 date-time such as 2024-04-02T13:45:00Z, got {value:?}"
                ),
            ));
        }
    }
}

impl DateKind for SpaceDateTime {
    const NAME: &'static str = "date-space-time";
    const PATTERN: &'static str = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$";
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::SpaceSeparated, out);
    }
}

impl DateKind for LocalDateTime {
    const NAME: &'static str = "local-date-time";
    const PATTERN: &'static str = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$";
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::LocalDateTime, out);
    }
}

/// A date input in one of Thrive's documented layouts. Its schema states the
/// layout (pattern + [`DATE_KEYWORD`]) and [`check_by_schema`] applies the
/// matching check, so the form and the tool cannot disagree. Reads as `&str`.
pub struct DateText<K: DateKind> {
    text: String,
    kind: std::marker::PhantomData<fn() -> K>,
}

impl<K: DateKind> DateText<K> {
    /// Wraps a value (unchecked: the catalogue checks inputs before a tool sees them).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            kind: std::marker::PhantomData,
        }
    }
}

impl<K: DateKind> Clone for DateText<K> {
    fn clone(&self) -> Self {
        Self::new(self.text.clone())
    }
}

impl<K: DateKind> PartialEq for DateText<K> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<K: DateKind> std::ops::Deref for DateText<K> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl<K: DateKind> fmt::Debug for DateText<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<K: DateKind> fmt::Display for DateText<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de, K: DateKind> Deserialize<'de> for DateText<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

impl<K: DateKind> Serialize for DateText<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<K: DateKind> JsonSchema for DateText<K> {
    fn schema_name() -> Cow<'static, str> {
        format!("DateText_{}", K::NAME).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": K::PATTERN,
            DATE_KEYWORD: K::NAME,
        })
    }
}

/// The set of values a comma-separated list may hold.
pub trait ValueSet: Send + Sync + 'static {
    /// The allowed values, or `None` for free text items (ids).
    const VALUES: Option<&'static [&'static str]>;
}

/// Any non-empty items (lists of ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyItems {}

impl ValueSet for AnyItems {
    const VALUES: Option<&'static [&'static str]> = None;
}

/// A comma-separated list input (`active,new`), as Thrive's query strings
/// take it. A form may send a real array instead; the catalogue joins it.
/// The schema states the allowed items; [`check_by_schema`] checks them.
pub struct CommaList<V: ValueSet> {
    text: String,
    set: std::marker::PhantomData<fn() -> V>,
}

impl<V: ValueSet> CommaList<V> {
    /// Wraps a value (unchecked).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            set: std::marker::PhantomData,
        }
    }

    /// The items as sent: trimmed, joined with `,`.
    pub fn joined(&self) -> String {
        self.text
            .split(',')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl<V: ValueSet> Clone for CommaList<V> {
    fn clone(&self) -> Self {
        Self::new(self.text.clone())
    }
}

impl<V: ValueSet> std::ops::Deref for CommaList<V> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl<V: ValueSet> fmt::Debug for CommaList<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<'de, V: ValueSet> Deserialize<'de> for CommaList<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

impl<V: ValueSet> JsonSchema for CommaList<V> {
    fn schema_name() -> Cow<'static, str> {
        "CommaList".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let (item, item_pattern) = match V::VALUES {
            Some(values) => (
                serde_json::json!({"type": "string", "enum": values}),
                format!("(?:{})", values.join("|")),
            ),
            None => (
                serde_json::json!({"type": "string", "minLength": 1}),
                "[^,\\s](?:[^,]*[^,\\s])?".to_owned(),
            ),
        };
        json_schema!({
            "type": "string",
            "pattern": format!("^\\s*{item_pattern}\\s*(?:,\\s*{item_pattern}\\s*)*$"),
            LIST_KEYWORD: {"separator": ",", "items": item},
        })
    }
}

/// Checks one input value against the documented rules its schema carries
/// ([`DATE_KEYWORD`], [`LIST_KEYWORD`]); the catalogue calls it for every
/// input, so a rule stated in the schema is always checked, with a message
/// that names the field and the expected form.
pub fn check_by_schema(prop: &Value, field: &str, value: &Value, out: &mut Vec<Violation>) {
    let Some(text) = value.as_str() else { return };
    if let Some(kind) = prop.get(DATE_KEYWORD).and_then(Value::as_str) {
        match kind {
            Day::NAME => Day::check(field, text, out),
            Instant::NAME => Instant::check(field, text, out),
            Timestamp::NAME => Timestamp::check(field, text, out),
            SpaceDateTime::NAME => SpaceDateTime::check(field, text, out),
            LocalDateTime::NAME => LocalDateTime::check(field, text, out),
            _ => {}
        }
    }
    if prop.get("format").and_then(Value::as_str) == Some("email") && !is_email(text) {
        out.push(Violation::new(
            format!("/{field}"),
            format!("{field} must be an email address such as jane@example.com"),
        ));
    }
    if let Some(list) = prop.get(LIST_KEYWORD) {
        let allowed: Option<Vec<&str>> = list
            .pointer("/items/enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().filter_map(Value::as_str).collect());
        check_comma_list(field, Some(text), allowed.as_deref(), out);
    }
}

/// An address of the form `local@domain.tld`: no spaces, one `@`, a dot in
/// the domain. What Thrive accepts beyond that is not documented; this
/// catches the typing mistakes a form can make.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// Checks a comma-separated list input (`video,file`): no empty items and,
/// when `allowed` is given, only those values. Items are compared after
/// trimming, and exactly (Thrive's values are lower case).
pub fn check_comma_list(
    field: &str,
    value: Option<&str>,
    allowed: Option<&[&str]>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    let items: Vec<&str> = value.split(',').map(str::trim).collect();
    if items.iter().any(|i| i.is_empty()) {
        out.push(Violation::new(
            format!("/{field}"),
            format!(
                "{field} has an empty item; give the values separated by single commas, e.g. a,b"
            ),
        ));
    }
    let Some(allowed) = allowed else { return };
    let unknown: Vec<String> = items
        .iter()
        .filter(|i| !i.is_empty() && !allowed.contains(i))
        .map(|i| format!("'{i}'"))
        .collect();
    if !unknown.is_empty() {
        out.push(Violation::new(
            format!("/{field}"),
            format!(
                "{field} has unknown value(s) {}; allowed values: {}",
                unknown.join(", "),
                allowed.join(", ")
            ),
        ));
    }
}
