//! The pure description of one Thrive HTTP call, and the response it got.
//!
//! Operations build an [`ApiRequest`] from typed parameters and read an
//! [`ApiResponse`]; they never do I/O. That is what makes dry runs, uniform
//! retries, request-shape tests and auto-pagination possible.

use crate::error::{Error, Result};

pub use super::response::{ApiResponse, CallMeta};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The HTTP methods Thrive's API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`: reads.
    Get,
    /// `POST`: creates and adds.
    Post,
    /// `PATCH`: updates, replaces, suspends and JSON-Patch-like edits.
    Patch,
    /// `DELETE`: deletes and removes.
    Delete,
}

impl Method {
    /// The method's name, e.g. `"PATCH"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The API version segment of the path. Only the user lifecycle writes are v2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ApiVersion {
    /// `/rest/v1`
    V1,
    /// `/rest/v2`
    V2,
    /// No prefix, on the user API hosts (`user.api.*`): inbound
    /// provisioning's `POST /webhooks`.
    UserApi,
}

impl ApiVersion {
    fn prefix(self) -> &'static str {
        match self {
            Self::V1 => "/rest/v1",
            Self::V2 => "/rest/v2",
            Self::UserApi => "",
        }
    }
}

/// Everything except RFC 3986 unreserved characters is percent-encoded, so an
/// id can never add a path segment, a query or a fragment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `value` as exactly one path segment.
///
/// `field` names the input the value came from, for the error. Empty values
/// and the dot segments `.` and `..` are refused: URL parsers resolve dot
/// segments (even percent-encoded ones), which would change the endpoint.
pub fn segment(field: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::field(
            format!("/{field}"),
            format!("{field} is required"),
        ));
    }
    if trimmed == "." || trimmed == ".." {
        return Err(Error::field(
            format!("/{field}"),
            format!("{field} must not be '.' or '..'"),
        ));
    }
    Ok(utf8_percent_encode(trimmed, SEGMENT).to_string())
}

/// One HTTP call to Thrive, without host or credentials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiRequest {
    /// The HTTP method.
    pub method: Method,
    /// The API version.
    pub version: ApiVersion,
    /// The path after the version prefix, already encoded, starting with `/`.
    pub path: String,
    /// Query parameters in the order they are sent; values are not yet encoded.
    pub query: Vec<(String, String)>,
    /// The JSON body, if any (a DELETE may carry one).
    pub body: Option<Value>,
}

impl ApiRequest {
    /// A request with `method` to `/rest/{version}` + the joined `segments`.
    ///
    /// Segments are inserted verbatim: encode user-supplied ids with [`segment`].
    pub fn new(method: Method, version: ApiVersion, segments: &[&str]) -> Self {
        let mut path = String::new();
        for s in segments {
            path.push('/');
            path.push_str(s);
        }
        Self {
            method,
            version,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    /// The request an endpoint template describes, e.g.
    /// `"POST /rest/v1/users/{userId}/tags"` (a tool's
    /// [`ENDPOINT`](crate::block::Block::ENDPOINT)), with each `{name}` filled from
    /// `values` in order and encoded with [`segment`] under that name (so a
    /// blank `userId` is reported as `/userId`). Every bad value is reported
    /// at once, each under its own name, so a tool with two path ids needs
    /// no check of its own to name both.
    ///
    /// The method and the API version come from the template: `/rest/v1`
    /// and `/rest/v2` paths are [`ApiVersion::V1`] and [`ApiVersion::V2`];
    /// any other path is sent as it is ([`ApiVersion::UserApi`]). A fixed
    /// query (`?page=1&perPage=1`) is kept; words after the path are a note
    /// for readers and ignored.
    ///
    /// ```
    /// use thrive_blocks::api::{ApiRequest, Method};
    /// let r = ApiRequest::endpoint("DELETE /rest/v1/audiences/{audienceId}/members/{userRef}", &["a1", "jane@x.org"]).unwrap();
    /// assert_eq!(r.method, Method::Delete);
    /// assert_eq!(r.path_and_query(), "/rest/v1/audiences/a1/members/jane%40x.org");
    /// ```
    pub fn endpoint(template: &str, values: &[&str]) -> Result<Self> {
        let bad = |why: &str| {
            Error::new(
                crate::ErrorCode::InvalidInput,
                format!("endpoint template `{template}` {why}"),
            )
        };
        let mut words = template.split_whitespace();
        let method = match words.next() {
            Some("GET") => Method::Get,
            Some("POST") => Method::Post,
            Some("PATCH") => Method::Patch,
            Some("DELETE") => Method::Delete,
            _ => return Err(bad("does not start with a method")),
        };
        let target = words.next().ok_or_else(|| bad("has no path"))?;
        let (path, fixed_query) = target.split_once('?').unwrap_or((target, ""));
        let (version, path) = [("/rest/v1", ApiVersion::V1), ("/rest/v2", ApiVersion::V2)]
            .into_iter()
            .find_map(|(prefix, v)| path.strip_prefix(prefix).map(|rest| (v, rest)))
            .unwrap_or((ApiVersion::UserApi, path));
        let mut values = values.iter();
        let mut filled = String::with_capacity(path.len() + 16);
        let mut problems = Vec::new();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            filled.push('/');
            match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => {
                    let value = values
                        .next()
                        .ok_or_else(|| bad("has more segments than values"))?;
                    match segment(name, value) {
                        Ok(encoded) => filled.push_str(&encoded),
                        Err(e) => problems.extend(e.violations()),
                    }
                }
                None => filled.push_str(part),
            }
        }
        if values.next().is_some() {
            return Err(bad("has fewer segments than values"));
        }
        if !problems.is_empty() {
            return Err(Error::invalid_input(problems));
        }
        let query = fixed_query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        Ok(Self {
            method,
            version,
            path: filled,
            query,
            body: None,
        })
    }

    /// A `GET` on a v1 path.
    pub fn get(segments: &[&str]) -> Self {
        Self::new(Method::Get, ApiVersion::V1, segments)
    }

    /// Adds a query parameter when `value` is present. Numbers and booleans
    /// are written as `2` and `true`/`false`.
    pub fn query(mut self, name: &str, value: Option<impl fmt::Display>) -> Self {
        if let Some(value) = value {
            self.query.push((name.to_owned(), value.to_string()));
        }
        self
    }

    /// Adds the `page` and `perPage` query parameters that are set.
    pub fn paged(self, inputs: &impl PageInputs) -> Self {
        self.query("page", inputs.page())
            .query("perPage", inputs.per_page())
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: impl Into<Value>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The full path including the version prefix, e.g. `/rest/v1/audiences`.
    pub fn full_path(&self) -> String {
        format!("{}{}", self.version.prefix(), self.path)
    }

    /// The full path plus the encoded query string.
    pub fn path_and_query(&self) -> String {
        let mut out = self.full_path();
        let query = self.encoded_query();
        if !query.is_empty() {
            out.push('?');
            out.push_str(&query);
        }
        out
    }

    /// The query string without its `?`, each key and value encoded (spaces
    /// as `%20`); empty when there is no query.
    pub fn encoded_query(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.query.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.extend(utf8_percent_encode(k, SEGMENT));
            out.push('=');
            out.extend(utf8_percent_encode(v, SEGMENT));
        }
        out
    }

    /// The value of query parameter `name`, if set.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets (or replaces) query parameter `name`.
    pub fn set_query(&mut self, name: &str, value: impl fmt::Display) {
        let value = value.to_string();
        match self.query.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.query.push((name.to_owned(), value)),
        }
    }
}

/// The `page` and `perPage` inputs of a paged endpoint, sent by
/// [`ApiRequest::paged`].
pub trait PageInputs {
    /// The page asked for (1-based), if given.
    fn page(&self) -> Option<u32>;
    /// The page size asked for, if given.
    fn per_page(&self) -> Option<u32>;
}

/// Builds a JSON object body field by field; optional fields that are
/// absent are left out, as Thrive's partial updates expect.
///
/// ```
/// use thrive_blocks::api::JsonBody;
/// let body = JsonBody::new()
///     .field("ref", "UID1")
///     .optional("email", None::<&str>)
///     .optional("sso", Some(false));
/// assert_eq!(serde_json::Value::from(body), serde_json::json!({"ref": "UID1", "sso": false}));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonBody(serde_json::Map<String, Value>);

impl JsonBody {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value`.
    pub fn field(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.0.insert(name.to_owned(), value.into());
        self
    }

    /// Sets `name` to `value` when it is present.
    pub fn optional<V: Into<Value>>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(v) => self.field(name, v),
            None => self,
        }
    }
}

impl From<JsonBody> for Value {
    fn from(body: JsonBody) -> Self {
        Value::Object(body.0)
    }
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
