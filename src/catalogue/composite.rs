//! Composite tools: a tool block that runs *several* calls of other tools.
//!
//! Every [`Tool`](crate::Tool) is one pure request → response mapping. Some
//! jobs need several calls whose later inputs depend on earlier answers: a
//! bulk sync reads every page of an audience's members, computes the
//! difference with a target list, then adds and removes in chunks. A
//! [`CompositeTool`] is that shape:
//!
//! - it has the same static facts as a tool (id, title, description,
//!   hints, version), typed parameters with a JSON Schema and its own checks,
//!   so the [`Catalogue`] lists it, validates it, exports its manifest and
//!   draws its form exactly like any other tool;
//! - its [`CompositeTool::run`] gets the catalogue and runs the *existing*
//!   tools through [`Catalogue::execute`] (or [`Catalogue::pager`]), so auth,
//!   host checks, retries, the 429 gate and chunking stay in one place.
//!
//! Register one with [`register_composite!`](crate::register_composite). The catalogue stores it through
//! the ordinary [`DynTool`] form ([`ErasedComposite`] implements it: the
//! "request" a dry run shows is the composite's first call) and routes
//! [`Catalogue::execute`] to [`DynComposite::execute`].
//!
//! Engines with durable steps (Restate, Temporal) should not call `run` as one
//! opaque step: a composite that is worth journaling step by step exposes
//! its steps as plain functions as well (see [`crate::sync`]).

use super::Catalogue;
use crate::Context;
use crate::api::{ApiRequest, ApiResponse, CallMeta};
use crate::error::{Error, ErrorCode, Result, Violation};
use crate::params::Connection;
use crate::tool::{Batching, DynTool, Hints, Paging};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A tool block made of several calls of other tools. Implementations are
/// unit structs; everything is associated, as for [`crate::Tool`].
#[async_trait::async_trait]
pub trait CompositeTool: Send + Sync + 'static {
    /// The composite's own inputs (connection inputs are added by the catalogue).
    type Params: DeserializeOwned + JsonSchema + Send + Sync;
    /// The typed output.
    type Output: Serialize + JsonSchema + Send;

    /// The stable tool id, e.g. `thrive_sync_audience_members`.
    const ID: &'static str;
    /// A short title for a palette.
    const TITLE: &'static str;
    /// A one-line description.
    const DESCRIPTION: &'static str;
    /// The endpoints it calls, for documentation.
    const ENDPOINT: &'static str;
    /// The tool's version; bumped when its input or output changes shape.
    const VERSION: &'static str = "1.0.0";
    /// Read-only / destructive / idempotent hints of the whole composite.
    const HINTS: Hints;
    /// How the composite splits long lists (for documentation and manifests).
    const BATCHING: Batching = Batching::None;
    /// Rules between inputs, stated in every schema flavour (see
    /// [`crate::rules`]); `validate` checks them with a worded message.
    const RULES: &'static [crate::rules::Rule] = &[];

    /// Checks the JSON Schema cannot express. Push every problem.
    fn validate(_params: &Self::Params, _out: &mut Vec<Violation>) {}

    /// The first call the composite makes, shown by [`Catalogue::dry_run`].
    /// Pure: no I/O.
    fn first_request(params: &Self::Params) -> Result<ApiRequest>;

    /// Runs the composite. `connection` holds the caller's connection inputs
    /// (`tenantId`, `apiKey`, `host`, ...) to pass on to every inner tool.
    async fn run(
        catalogue: &Catalogue,
        connection: &Map<String, Value>,
        params: Self::Params,
        ctx: &Context,
    ) -> Result<Self::Output>;
}

/// The object-safe form of a [`CompositeTool`]: validated JSON in, JSON out.
#[async_trait::async_trait]
pub trait DynComposite: Send + Sync {
    /// The tool id.
    fn id(&self) -> &'static str;
    /// Validates `input` through the catalogue (schema, connection and the
    /// composite's own checks: every problem at once) and runs it.
    async fn execute(&self, catalogue: &Catalogue, input: Value, ctx: &Context) -> Result<Value>;
}

/// Adapts a [`CompositeTool`] to [`DynTool`] (so the catalogue can describe
/// and validate it) and to [`DynComposite`] (so it can run it).
pub struct ErasedComposite<T>(std::marker::PhantomData<fn() -> T>);

impl<T> ErasedComposite<T> {
    /// The adapter value (zero-sized).
    pub const NEW: Self = Self(std::marker::PhantomData);
}

impl<T: CompositeTool> DynTool for ErasedComposite<T> {
    crate::tool::dyn_tool_common!(T, paging: Paging::None, request: T::first_request);

    /// A composite makes several calls, so no single response is its output;
    /// [`Catalogue::execute`] runs it through [`DynComposite::execute`].
    fn output(&self, _response: ApiResponse) -> Result<Value> {
        Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{} makes several calls; run it with Catalogue::execute",
                T::ID
            ),
        ))
    }

    fn recover(&self, error: Error, _meta: &CallMeta) -> Result<Value> {
        Err(error)
    }
}

#[async_trait::async_trait]
impl<T: CompositeTool> DynComposite for ErasedComposite<T> {
    fn id(&self) -> &'static str {
        T::ID
    }

    async fn execute(&self, catalogue: &Catalogue, input: Value, ctx: &Context) -> Result<Value> {
        // The catalogue's checks: schema, connection, the composite's own.
        let tool = catalogue.get(T::ID)?;
        tool.prepare(input.clone())?;
        let mut input = input;
        crate::schema::normalise(tool.input_schema(), &mut input);
        let params: T::Params = serde_json::from_value(input.clone())
            .map_err(|e| Error::field("", format!("input could not be read: {e}")))?;
        let connection = connection_inputs(&input);
        let output = T::run(catalogue, &connection, params, ctx).await?;
        serde_json::to_value(output).map_err(|e| {
            Error::new(
                ErrorCode::InvalidResponse,
                format!("output could not be serialised: {e}"),
            )
        })
    }
}

/// The connection inputs (`tenantId`, `apiKey`, `host`, `clientId`, `scope`)
/// of a tool input, to pass on to the tools a composite calls.
pub fn connection_inputs(input: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(map) = input.as_object() {
        for field in Connection::FIELDS {
            if let Some(v) = map.get(field).filter(|v| !v.is_null()) {
                out.insert(field.to_owned(), v.clone());
            }
        }
    }
    out
}

/// An `inventory` registration of one composite tool: the same value seen
/// as a [`DynTool`] (described and validated by the catalogue) and as a
/// [`DynComposite`] (run by it).
pub struct CompositeEntry {
    /// The description and validation side.
    pub tool: &'static dyn DynTool,
    /// The execution side.
    pub composite: &'static dyn DynComposite,
    /// The module that registered it (`module_path!()`), for its resource group.
    pub module: &'static str,
}

impl CompositeEntry {
    /// The resource group of the composite: the folder under `thrive/` it
    /// lives in (`members`, ...), or `other`, as for ordinary tools.
    pub fn resource(&self) -> &'static str {
        let mut parts = self.module.split("::");
        while let Some(part) = parts.next() {
            if part == "thrive" {
                return parts.next().unwrap_or("other");
            }
        }
        "other"
    }
}

inventory::collect!(CompositeEntry);

/// The registered composite with `id`, if any (looked up in the
/// process-wide catalogue's map, not by searching the registrations).
pub fn find(id: &str) -> Option<&'static dyn DynComposite> {
    Catalogue::global().get(id).ok()?.composite
}

/// Registers a [`CompositeTool`] with the catalogue:
/// `register_composite!(SyncAudienceMembers);`
#[macro_export]
macro_rules! register_composite {
    ($tool:ty) => {
        ::inventory::submit! {
            $crate::catalogue::composite::CompositeEntry {
                tool: &$crate::catalogue::composite::ErasedComposite::<$tool>::NEW,
                composite: &$crate::catalogue::composite::ErasedComposite::<$tool>::NEW,
                module: module_path!(),
            }
        }
    };
}
