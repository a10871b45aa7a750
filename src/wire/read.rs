//! How a typed output is read from a 2xx response.
//!
//! An output type says once how it is read ([`FromResponse`]); every tool
//! whose output is that type gets the reader through [`crate::Tool::output`]'s
//! default, so the operation files do not repeat it. The readers for the
//! shapes Thrive answers with (a page of `T`, a bulk result, a success flag,
//! a message, one entity or a bare array of them) live next to those types
//! in `crate::thrive::common`.

use super::request::ApiResponse;
use crate::error::Result;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An output that knows how to read itself from a 2xx response. Pure: no I/O.
///
/// Implement it for a tool's `Output` type; a tool with an unusual answer
/// can still override [`crate::Tool::output`].
pub trait FromResponse: Sized {
    /// Reads the output from `response`.
    fn from_response(response: ApiResponse) -> Result<Self>;
}

/// Reads a bare JSON array (`[]` when the body is not an array).
pub fn bare_array<T: DeserializeOwned>(response: ApiResponse) -> Result<Vec<T>> {
    match response.body {
        Value::Array(_) => response.json(),
        _ => Ok(Vec::new()),
    }
}

/// Reads a whole-body object, or `None` when the body is empty.
pub fn object<T: DeserializeOwned>(response: ApiResponse) -> Result<Option<T>> {
    if response.body.is_null() {
        return Ok(None);
    }
    response.json().map(Some)
}

/// Implements [`FromResponse`] for outputs that wrap one field read from the
/// whole body, with a reader (`object` for one entity, `bare_array` for a
/// list): `read_field!(TagOutput { tag: object });`.
#[macro_export]
macro_rules! read_field {
    ($($output:ident { $field:ident: $reader:ident });+ $(;)?) => {$(
        impl $crate::wire::FromResponse for $output {
            fn from_response(response: $crate::wire::ApiResponse) -> $crate::Result<Self> {
                Ok(Self { $field: $crate::wire::read::$reader(response)? })
            }
        }
    )+};
}
