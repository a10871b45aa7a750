//! Query strings and JSON bodies produced by serde: a tool's parameters
//! serialised in field order, absent values left out, instead of one
//! `.query(..)` or `.optional(..)` call per field.

use super::request::ApiRequest;
use crate::error::{Error, ErrorCode, Result};
use serde::Serialize;
use serde_json::{Map, Value};

impl ApiRequest {
    /// Adds every field of `fields` that is set as a query parameter, in
    /// the order the fields are declared (a `#[serde(flatten)]` part, such
    /// as the paging inputs, in its place). Each field goes out under its
    /// serialised name; strings as they are, numbers and booleans as `2`
    /// and `true`/`false`. An absent `Option` (`null`) is left out, and a
    /// field the query must not carry (a path value) is marked
    /// `#[serde(skip_serializing_if = "crate::wire::sent_apart")]` (plain
    /// `skip_serializing` would mark the input write-only in its schema).
    ///
    /// ```
    /// use thrive_blocks::api::ApiRequest;
    /// #[derive(serde::Serialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Filter { updated_since: Option<&'static str>, api_controlled: Option<bool>, page: Option<u32> }
    /// let f = Filter { updated_since: None, api_controlled: Some(true), page: Some(2) };
    /// let r = ApiRequest::endpoint("GET /rest/v1/audiences", &[]).unwrap().query_fields(&f).unwrap();
    /// assert_eq!(r.path_and_query(), "/rest/v1/audiences?apiControlled=true&page=2");
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid_input` when `fields` is not a struct of plain values (a
    /// nested object or list has no query form).
    pub fn query_fields(mut self, fields: &impl Serialize) -> Result<Self> {
        let not_a_query = |why: String| Error::new(ErrorCode::InvalidInput, why);
        let value = serde_json::to_value(fields)
            .map_err(|e| not_a_query(format!("the query could not be written: {e}")))?;
        let Value::Object(map) = value else {
            return Err(not_a_query("the query is not a set of named fields".into()));
        };
        for (name, value) in map {
            let text = match value {
                Value::Null => continue,
                Value::String(s) => s,
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(not_a_query(format!(
                        "query parameter `{name}` is not a single value"
                    )));
                }
            };
            self.query.push((name, text));
        }
        Ok(self)
    }

    /// Sets the body to `fields` as a JSON object, in field order, with
    /// every absent `Option` (`null`) left out, as Thrive's creates and
    /// partial updates expect. A path value is marked as for
    /// [`query_fields`](Self::query_fields).
    ///
    /// ```
    /// use thrive_blocks::api::ApiRequest;
    /// #[derive(serde::Serialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Change { first_name: Option<&'static str>, sso: Option<bool> }
    /// let r = ApiRequest::endpoint("PATCH /rest/v2/users/ref/{ref}", &["U1"]).unwrap()
    ///     .body_fields(&Change { first_name: None, sso: Some(false) }).unwrap();
    /// assert_eq!(r.body, Some(serde_json::json!({"sso": false})));
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid_input` when `fields` is not a struct.
    pub fn body_fields(mut self, fields: &impl Serialize) -> Result<Self> {
        self.body = Some(Value::Object(object_fields(fields)?));
        Ok(self)
    }
}

/// For `#[serde(skip_serializing_if = ..)]` on a params field that is sent
/// apart from the other fields (a path segment, an envelope): always true,
/// so [`ApiRequest::query_fields`], [`ApiRequest::body_fields`] and
/// [`object_fields`] leave it out, while the field's schema stays as it is.
pub fn sent_apart<T: ?Sized>(_: &T) -> bool {
    true
}

/// `fields` as a JSON object, in field order, with every absent `Option`
/// (`null`) left out: the body [`ApiRequest::body_fields`] sends, for a
/// body that wraps it.
///
/// # Errors
///
/// `invalid_input` when `fields` is not a struct.
pub fn object_fields(fields: &impl Serialize) -> Result<Map<String, Value>> {
    let value = serde_json::to_value(fields).map_err(|e| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("the body could not be written: {e}"),
        )
    })?;
    let Value::Object(mut map) = value else {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "the body is not a set of named fields",
        ));
    };
    map.retain(|_, v| !v.is_null());
    Ok(map)
}
