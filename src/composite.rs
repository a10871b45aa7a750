//! Composite tools: a block that runs *several* calls of other tools.
//!
//! Every [`Tool`](crate::Tool) is one pure request → response mapping. Some
//! jobs need several calls whose later inputs depend on earlier answers: a
//! bulk sync reads every page of an audience's members, computes the
//! difference with a target list, then adds and removes in chunks. A
//! [`Composite`] is that shape:
//!
//! - it is a [`Block`] like any tool (id, words, hints, typed params with a
//!   JSON Schema and its own checks), so the catalogue lists it, validates
//!   it, exports its manifest and draws its form exactly like a tool;
//! - its [`Composite::run`] calls the tools it is made of by type, through
//!   the typed path ([`crate::call`]), so auth, host checks, retries, the
//!   429 gate and chunking stay in one place.
//!
//! Register one with [`register_composite!`](crate::register_composite).
//! Engines with durable steps (Restate, Temporal) should not call `run` as
//! one opaque step: a composite worth journaling step by step exposes its
//! steps as plain functions as well (see [`crate::sync`]).

use crate::api::{ApiRequest, Context};
use crate::block::{Block, DynBlock};
use crate::call::BoxFuture;
use crate::error::{Result, Violation};
use crate::params::Connection;
use crate::wire::ToolMeta;
use serde_json::Value;

/// A block made of several calls of other tools. Implementations are unit
/// structs; the facts are in the [`Block`] impl.
#[async_trait::async_trait]
pub trait Composite: Block {
    /// The first call the composite makes, shown by a dry run. Pure: no I/O.
    fn first_request(params: &Self::Params) -> Result<ApiRequest>;

    /// Runs the composite for `connection`.
    async fn run(
        ctx: &Context,
        connection: &Connection,
        params: Self::Params,
    ) -> Result<Self::Output>;
}

/// The object-safe form of a [`Composite`]: checked JSON in, JSON out.
pub trait DynComposite: DynBlock {
    /// Reads the params from the (already schema-checked) input, runs the
    /// composite's checks and builds its first request (what a dry run
    /// shows): every problem at once.
    fn build(&self, input: &Value) -> std::result::Result<ApiRequest, Vec<Violation>>;
    /// Reads the params from the checked input once and runs the composite.
    fn execute<'a>(
        &'a self,
        ctx: &'a Context,
        connection: &'a Connection,
        input: &'a Value,
    ) -> BoxFuture<'a, Result<Value>>;
}

/// Adapts a [`Composite`] to [`DynComposite`].
pub struct ErasedComposite<T>(std::marker::PhantomData<fn() -> T>);

impl<T> ErasedComposite<T> {
    /// The adapter value (zero-sized).
    pub const NEW: Self = Self(std::marker::PhantomData);
}

impl<T: Composite> DynBlock for ErasedComposite<T> {
    fn meta(&self) -> ToolMeta {
        crate::block::meta_of::<T>()
    }

    fn params_schema(&self) -> Value {
        crate::block::params_schema_of::<T>()
    }

    fn output_schema(&self) -> Value {
        crate::block::output_schema_of::<T>()
    }
}

impl<T: Composite> DynComposite for ErasedComposite<T> {
    fn build(&self, input: &Value) -> std::result::Result<ApiRequest, Vec<Violation>> {
        let params = crate::call::read_params::<T::Params>(input)?;
        let mut problems = Vec::new();
        crate::call::check_rules(T::RULES, input, &mut problems);
        T::validate(&params, &mut problems);
        crate::call::with_problems(T::first_request(&params), problems)
    }

    fn execute<'a>(
        &'a self,
        ctx: &'a Context,
        connection: &'a Connection,
        input: &'a Value,
    ) -> BoxFuture<'a, Result<Value>> {
        Box::pin(async move {
            let params = crate::call::read_params::<T::Params>(input)
                .map_err(crate::Error::invalid_input)?;
            crate::call::to_json(T::run(ctx, connection, params).await?)
        })
    }
}
