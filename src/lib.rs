//! # thrive-blocks
//!
//! Every documented operation of the [Thrive Learning](https://thrivelearning.com)
//! REST API as a *tool block*: a typed, schema-described step that a workflow
//! engine can list, draw a form for, validate and run.
//!
//! ```no_run
//! use thrive_blocks::{Catalogue, Context};
//! use serde_json::json;
//!
//! # async fn demo() -> Result<(), thrive_blocks::Error> {
//! let catalogue = Catalogue::global();
//! let ctx = Context::from_env(); // shared HTTP client, retries, THRIVE_ALLOWED_HOSTS
//!
//! // Draw a form from the schema...
//! let tool = catalogue.get("thrive_add_audience_members")?;
//! let _form = tool.input_schema();
//!
//! // ...validate what the user typed (every problem at once, nothing sent)...
//! let input = json!({
//!     "tenantId": "eu-west-2_AbcdEfghI",
//!     "apiKey": "...",
//!     "audienceId": "struct-tech",
//!     "users": "[\"jane@example.com\", \"EMP-00042\"]"
//! });
//! catalogue.validate("thrive_add_audience_members", input.clone())?;
//!
//! // ...and run the step.
//! let output = catalogue.execute("thrive_add_audience_members", input, &ctx).await?;
//! if output["partial"] == true {
//!     // some users were not added: output["result"]["failure"] says why
//! }
//! # Ok(()) }
//! ```
//!
//! Each operation is a [`Tool`]: a pure mapping from typed parameters to an
//! [`api::ApiRequest`] and from an [`api::ApiResponse`] to a typed output.
//! The runtime in [`api`] does all I/O: host checks, Basic or OAuth 2.0 auth,
//! timeouts, retries with backoff, rate-limit gates, auto-pagination and
//! batching of long lists.

#![warn(missing_docs)]

pub mod api;
pub mod block;
pub mod call;
pub mod catalogue;
pub mod clock;
pub mod composite;

pub mod error;
pub mod flavours;
pub mod options;
pub mod params;
pub mod rules;
pub mod schema;
pub mod suggest;
pub use thrive::members::sync;
pub mod thrive;
pub mod tool;
pub mod triggers;
pub mod wire;

#[cfg(any(feature = "cli", feature = "server", feature = "mcp"))]
pub mod host;

pub use api::{Context, ContextBuilder, HostPolicy, RetryPolicy};
pub use block::Block;
pub use call::DynTool;
pub use catalogue::{Catalogue, CatalogueTool};
pub use error::{Delivery, Details, Error, ErrorCode, Result, Violation};
pub use tool::{Hints, Tool, ToolMeta};
