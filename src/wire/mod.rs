//! The wire layer: plain descriptions of what goes over HTTP and what a
//! tool tells the runtime about itself.
//!
//! Both [`crate::tool`] (pure operations that build requests and read
//! responses) and [`crate::api`] (which sends them) use these types; neither
//! of those two imports the other. Everything here is data: a request and
//! response description ([`ApiRequest`], [`ApiResponse`]), its method,
//! version and path segment encoding, the metadata of a finished call
//! ([`CallMeta`]), where requests go ([`Origin`]) and how a tool pages and
//! batches ([`Paging`], [`Batching`], [`ToolMeta`]).

pub mod meta;
pub mod origin;
mod query;
pub mod read;
pub mod record;
pub mod request;
pub mod response;

pub use meta::{Batching, Hints, Paging, ToolMeta};
pub use origin::{Origin, Scheme};
pub use query::{object_fields, sent_apart};
pub use read::{FromResponse, RawResponse};
pub use request::{ApiRequest, ApiResponse, ApiVersion, CallMeta, JsonBody, Method, segment};
