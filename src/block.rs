//! [`Block`]: what every entry of the palette states, whatever it does.
//!
//! A workflow builder's palette holds three kinds of block: a
//! [`Tool`](crate::Tool) (one Thrive call), a
//! [`Composite`](crate::composite::Composite) (several calls of
//! other tools, e.g. the audience-member sync) and a
//! [`Trigger`](crate::triggers::Trigger) (Thrive's events starting a
//! workflow). Each is a unit struct that implements `Block` (its id, its
//! words, its input and output types) and then its own kind's trait with
//! what only that kind does. One `inventory` collection ([`BlockEntry`](crate::catalogue::BlockEntry))
//! registers all three, and the [`Catalogue`](crate::Catalogue) reads it
//! once into a map.
//!
//! ```ignore
//! pub struct GetTag;
//!
//! impl Block for GetTag {
//!     type Params = GetTagParams;
//!     type Output = TagOutput;
//!     const ID: &'static str = "thrive_get_tag";
//!     const TITLE: &'static str = "Get tag";
//!     const DESCRIPTION: &'static str = "Get a single tag in Thrive by its ID.";
//!     const ENDPOINT: &'static str = "GET /rest/v1/tags/{tagId}";
//!     const HINTS: Hints = Hints::READ;
//! }
//!
//! impl Tool for GetTag {
//!     fn request(p: &GetTagParams) -> Result<ApiRequest> {
//!         ApiRequest::endpoint(Self::ENDPOINT, &[&p.tag_id])
//!     }
//! }
//!
//! register_tool!(GetTag);
//! ```

use crate::error::Violation;
use crate::wire::meta::{Batching, Hints, Paging, ToolMeta};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What every block states: its identity, its words, what it takes and
/// what it gives. Implementations are unit structs; everything is
/// associated, so a block is pure and needs no instance state.
pub trait Block: Send + Sync + 'static {
    /// What the block's form asks for (connection inputs are added by the
    /// catalogue; a trigger's are its filters).
    type Params: DeserializeOwned + JsonSchema + Send + Sync;
    /// What the block gives: a tool's output, a trigger's event payload.
    /// Keep unmodelled response fields (flatten a map).
    type Output: Serialize + JsonSchema + Send;

    /// The stable id, e.g. `thrive_add_audience_members`.
    const ID: &'static str;
    /// A short title for a palette.
    const TITLE: &'static str;
    /// A one-line description.
    const DESCRIPTION: &'static str;
    /// `METHOD /rest/vN/path/{param}`: the endpoint a tool calls (and the
    /// template [`ApiRequest::endpoint`](crate::api::ApiRequest::endpoint)
    /// fills), the endpoints a composite calls, or where a trigger's events
    /// come from.
    const ENDPOINT: &'static str;
    /// The block's version; bumped when its input or output changes shape.
    const VERSION: &'static str = "1.0.0";
    /// Read-only / destructive / idempotent hints.
    const HINTS: Hints;
    /// How the endpoint pages (tools only).
    const PAGING: Paging = Paging::None;
    /// How long item lists are split into several calls.
    const BATCHING: Batching = Batching::None;
    /// Rules between inputs (one requires or excludes another), stated in
    /// every schema flavour and checked by the catalogue with a worded
    /// message. A rule stated here is not checked again in
    /// [`Block::validate`].
    const RULES: &'static [crate::rules::Rule] = &[];

    /// Checks that neither the JSON Schema nor [`Block::RULES`] can express
    /// (string-encoded JSON, cross-field conditions). Push every problem; do
    /// not stop at the first.
    fn validate(_params: &Self::Params, _out: &mut Vec<Violation>) {}
}

/// The static facts of block `B`, as the catalogue lists them.
pub fn meta_of<B: Block>() -> ToolMeta {
    ToolMeta {
        id: B::ID,
        title: B::TITLE,
        description: B::DESCRIPTION,
        version: B::VERSION,
        endpoint: B::ENDPOINT,
        hints: B::HINTS,
        paging: B::PAGING,
        batching: B::BATCHING,
        rules: B::RULES,
    }
}

/// The object-safe form every kind of block shares: facts and schemas.
pub trait DynBlock: Send + Sync {
    /// Static facts.
    fn meta(&self) -> ToolMeta;
    /// The JSON Schema of the block's own parameters (without connection inputs).
    fn params_schema(&self) -> Value;
    /// The JSON Schema of the output (a trigger's payload).
    fn output_schema(&self) -> Value;
}

/// The [`DynBlock`] part every kind's adapter gives the same way.
pub(crate) fn params_schema_of<B: Block>() -> Value {
    crate::schema::input_schema_for::<B::Params>()
}

/// The output schema of block `B`.
pub(crate) fn output_schema_of<B: Block>() -> Value {
    crate::schema::output_schema_for::<B::Output>()
}
