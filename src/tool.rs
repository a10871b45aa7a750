//! The [`Tool`] trait: one Thrive operation as a pure function from typed
//! parameters to an HTTP request description, and from the HTTP response to
//! a typed output. Run one by type with [`crate::call::call`]; its
//! JSON-in/JSON-out form is [`crate::call::DynTool`].

pub use crate::block::{Block, DynBlock};
use crate::error::Result;
use crate::wire::{ApiRequest, ApiResponse, CallMeta};

pub use crate::wire::meta::{Batching, Hints, Paging, ToolMeta};
pub use crate::wire::read::{FromResponse, RawResponse};

/// One Thrive operation: a [`Block`] that is one HTTP call. Implementations
/// are unit structs; the block's facts are in its [`Block`] impl, and this
/// trait adds only what a call needs: the request for the params and the
/// output for the answer. The output reads itself from a response
/// ([`FromResponse`]), so most tools need no [`Tool::output`] of their own.
pub trait Tool: Block<Output: FromResponse> {
    /// The HTTP request for `params`. Pure: no I/O.
    fn request(params: &Self::Params) -> Result<ApiRequest>;

    /// The output for a 2xx response. Pure: no I/O. Default: the output
    /// type's own reader ([`FromResponse`]).
    ///
    /// A tool that overrides this must override [`Tool::output_raw`] too.
    fn output(response: ApiResponse) -> Result<Self::Output> {
        Self::Output::from_response(response)
    }

    /// The output for a single call's 2xx answer, read straight from its
    /// bytes. Pure: no I/O. Default: the output type's own reader
    /// ([`FromResponse::from_raw`]), which gives what [`Tool::output`]
    /// gives for the parsed body. A tool that overrides `output` overrides
    /// this as `Self::output(raw.parse())`.
    fn output_raw(raw: RawResponse) -> Result<Self::Output> {
        Self::Output::from_raw(raw)
    }

    /// Turns a failed call into an output instead of an error, for tools
    /// whose job is to report failure (a connection test). `meta` tells
    /// where the call went and how long it took. Default: the error stands.
    fn recover(error: crate::Error, meta: &CallMeta) -> Result<Self::Output> {
        let _ = meta;
        Err(error)
    }
}
