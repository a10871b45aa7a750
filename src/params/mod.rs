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
mod connection;
pub use connection::{API_KEY_ENV, CLIENT_ID_ENV, Connection, HOST_ENV, SCOPE_ENV, TENANT_ID_ENV};

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
