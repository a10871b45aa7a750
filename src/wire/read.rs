//! How a typed output is read from a 2xx response.
//!
//! An output type says once how it is read ([`FromResponse`]); every tool
//! whose output is that type gets the reader through [`crate::Tool::output`]'s
//! default, so the operation files do not repeat it. The readers for the
//! shapes Thrive answers with (a page of `T`, a bulk result, a success flag,
//! a message, one entity or a bare array of them) live next to those types
//! in `crate::thrive::common`. An output that wraps one field read from the
//! whole body implements [`FromResponse`] with [`object`] or [`bare_array`]
//! and their twins in [`raw`]:
//!
//! ```ignore
//! impl FromResponse for TagOutput {
//!     fn from_response(response: ApiResponse) -> Result<Self> {
//!         read::object(response).map(|tag| Self { tag })
//!     }
//!
//!     fn from_raw(raw: RawResponse) -> Result<Self> {
//!         read::raw::object(raw).map(|tag| Self { tag })
//!     }
//! }
//! ```

use super::request::{ApiResponse, CallMeta};
use crate::error::Result;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A 2xx answer as it came off the wire: the body still as bytes.
///
/// A single call's answer reaches the tool's output as this, so an output
/// type can read itself straight from the bytes ([`FromResponse::from_raw`])
/// instead of through a [`Value`] it would only take apart again.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResponse {
    /// The HTTP status (200, 201, 204, 207, ...).
    pub status: u16,
    /// The body, unparsed.
    pub bytes: bytes::Bytes,
    /// How the call went: attempts, time taken, where it went.
    pub meta: CallMeta,
}

impl RawResponse {
    /// Whether the body is empty (or only white space): Thrive's 204s and
    /// some 200s.
    pub fn is_blank(&self) -> bool {
        self.bytes.iter().all(u8::is_ascii_whitespace)
    }

    /// The body parsed into [`ApiResponse`] the way every tool expects
    /// ([`ApiResponse::from_bytes`]), with the call's metadata.
    pub fn parse(self) -> ApiResponse {
        let mut response = ApiResponse::from_bytes(self.status, &self.bytes);
        response.meta = self.meta;
        response
    }

    /// Reads the body straight into `T`, falling back to the parsed path
    /// ([`RawResponse::parse`], then `slow`) whenever the direct read fails.
    ///
    /// The fallback keeps one meaning for every answer: a body the direct
    /// read refuses (text that is not JSON, a repeated key, a field of
    /// another type) gets exactly the output or the error the [`Value`]
    /// path gives; a body it accepts reads to the same fields either way.
    pub fn read_or<T: DeserializeOwned, O>(
        self,
        fast: impl FnOnce(T) -> O,
        slow: impl FnOnce(ApiResponse) -> Result<O>,
    ) -> Result<O> {
        match serde_json::from_slice::<T>(&self.bytes) {
            Ok(value) => Ok(fast(value)),
            Err(_) => slow(self.parse()),
        }
    }
}

/// An output that knows how to read itself from a 2xx response. Pure: no I/O.
///
/// Implement it for a tool's `Output` type; a tool with an unusual answer
/// can still override [`crate::Tool::output`].
pub trait FromResponse: Sized {
    /// Reads the output from `response`.
    fn from_response(response: ApiResponse) -> Result<Self>;

    /// Reads the output from a single call's unparsed answer. Default: parse
    /// the body, then [`FromResponse::from_response`]. Output types on the
    /// hot path (a page of `T`, one entity) read the bytes directly; they
    /// must give the same output as `from_response` for every body
    /// ([`RawResponse::read_or`] keeps that promise).
    fn from_raw(raw: RawResponse) -> Result<Self> {
        Self::from_response(raw.parse())
    }
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

/// The readers above, straight from a single call's bytes (same names: an
/// output that wraps one field reads it with `read::object` in
/// [`FromResponse::from_response`] and `read::raw::object` in
/// [`FromResponse::from_raw`]).
pub mod raw {
    use super::RawResponse;
    use crate::error::Result;
    use serde::de::DeserializeOwned;

    /// [`super::object`] from the bytes: an empty body is `None`.
    pub fn object<T: DeserializeOwned>(raw: RawResponse) -> Result<Option<T>> {
        if raw.is_blank() {
            return Ok(None);
        }
        raw.read_or(Some, super::object)
    }

    /// [`super::bare_array`] from the bytes: a body that is not an array
    /// (`{}`, empty) reads as `[]` through the parsed path.
    pub fn bare_array<T: DeserializeOwned>(raw: RawResponse) -> Result<Vec<T>> {
        raw.read_or(|items| items, super::bare_array)
    }
}
