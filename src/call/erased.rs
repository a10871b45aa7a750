//! The JSON door's side of a tool: [`DynTool`], the object-safe form the
//! catalogue stores, and [`Erased`], which gives every [`Tool`] one. It
//! reads the params once from the checked input, builds the request, and
//! runs the step through the typed path ([`super::send`]), serialising the
//! typed output once.

use crate::api::{Context, Prepared};
use crate::block::DynBlock;
use crate::error::{Result, Violation};
use crate::rules::Rule;
use crate::tool::Tool;
use crate::wire::{ApiRequest, ApiResponse, CallMeta, RawResponse, ToolMeta};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// A boxed future, as object-safe traits return them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The object-safe, JSON-in/JSON-out form of a [`Tool`]. Every `Tool` gets
/// one through [`Erased`]; the catalogue stores these.
pub trait DynTool: DynBlock {
    /// Reads the parameters from the (already schema-checked) input, applies
    /// the rules only a tool can check (`check_rules`), runs
    /// [`Block::validate`](crate::block::Block::validate) and builds the request. All problems are
    /// returned together.
    fn build(&self, input: &Value) -> std::result::Result<ApiRequest, Vec<Violation>>;
    /// Sends a prepared step through the typed path ([`super::send`]) and
    /// gives the typed output as JSON.
    fn send<'a>(&'a self, ctx: &'a Context, prepared: &'a Prepared)
    -> BoxFuture<'a, Result<Value>>;
    /// [`DynTool::send`], writing the typed output straight to JSON text
    /// (no `Value` built on the way).
    fn send_text<'a>(
        &'a self,
        ctx: &'a Context,
        prepared: &'a Prepared,
    ) -> BoxFuture<'a, Result<String>>;
    /// Turns a 2xx response into the output JSON.
    fn output(&self, response: ApiResponse) -> Result<Value>;
    /// Turns a single call's unparsed 2xx answer into the output JSON
    /// (what [`DynTool::output`] gives for the parsed body).
    fn output_raw(&self, raw: RawResponse) -> Result<Value>;
    /// Turns a failed call into output JSON where the tool reports failures
    /// as data ([`Tool::recover`]); otherwise returns the error.
    fn recover(&self, error: crate::Error, meta: &CallMeta) -> Result<Value>;
}

/// Adapts a [`Tool`] to [`DynTool`].
pub struct Erased<T>(std::marker::PhantomData<fn() -> T>);

impl<T> Erased<T> {
    /// The adapter value (zero-sized).
    pub const NEW: Self = Self(std::marker::PhantomData);
}

impl<T: Tool> DynBlock for Erased<T> {
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

impl<T: Tool> DynTool for Erased<T> {
    fn build(&self, input: &Value) -> std::result::Result<ApiRequest, Vec<Violation>> {
        let params = read_params::<T::Params>(input)?;
        let mut problems = Vec::new();
        check_rules(T::RULES, input, &mut problems);
        super::checked_request::<T>(&params, problems)
    }

    fn send<'a>(
        &'a self,
        ctx: &'a Context,
        prepared: &'a Prepared,
    ) -> BoxFuture<'a, Result<Value>> {
        Box::pin(async move { to_json(super::send::<T>(ctx, prepared).await?) })
    }

    fn send_text<'a>(
        &'a self,
        ctx: &'a Context,
        prepared: &'a Prepared,
    ) -> BoxFuture<'a, Result<String>> {
        Box::pin(async move { to_text(&super::send::<T>(ctx, prepared).await?) })
    }

    fn output(&self, response: ApiResponse) -> Result<Value> {
        to_json(T::output(response)?)
    }

    fn output_raw(&self, raw: RawResponse) -> Result<Value> {
        to_json(T::output_raw(raw)?)
    }

    fn recover(&self, error: crate::Error, meta: &CallMeta) -> Result<Value> {
        to_json(T::recover(error, meta)?)
    }
}

/// Reads typed params straight from the borrowed, schema-checked input (no
/// copy of it).
pub(crate) fn read_params<P: DeserializeOwned>(
    input: &Value,
) -> std::result::Result<P, Vec<Violation>> {
    P::deserialize(input)
        .map_err(|e| vec![Violation::new("", format!("input could not be read: {e}"))])
}

/// Checks a tool's declared rules ([`Block::RULES`](crate::block::Block::RULES))
/// on an input that passed its schema, each with its own message: the one
/// check of a declared rule (no tool checks one again in `validate`).
///
/// A value counts as given when it is present and not `null` (blank form
/// fields were normalised away before). A date range ([`Rule::NotBefore`])
/// is compared only when both ends are dates in a layout Thrive documents (a
/// malformed date is reported by its own check); a bare date counts as its
/// midnight, and equal ends are allowed (whether Thrive's bounds are
/// inclusive is not documented).
pub(crate) fn check_rules(rules: &[Rule], input: &Value, out: &mut Vec<Violation>) {
    let given = |name: &str| input.get(name).is_some_and(|v| !v.is_null());
    let is = |name: &str, value: &str| input.get(name).and_then(Value::as_str) == Some(value);
    for rule in rules {
        match *rule {
            Rule::RequiredUnless {
                field,
                other,
                value,
                message,
            } => {
                if !given(field) && !is(other, value) {
                    out.push(Violation::new(format!("/{field}"), message));
                }
            }
            Rule::RequiredWhen {
                field,
                other,
                value,
                message,
            } => {
                if !given(field) && is(other, value) {
                    out.push(Violation::new(format!("/{field}"), message));
                }
            }
            Rule::AbsentWhen {
                field,
                other,
                value,
                message,
            } => {
                if given(field) && is(other, value) {
                    out.push(Violation::new(format!("/{field}"), message));
                }
            }
            Rule::Requires {
                field,
                needs,
                message,
            } => {
                if given(field) && !given(needs) {
                    out.push(Violation::new(format!("/{needs}"), message));
                }
            }
            Rule::NotBefore { field, start } => check_not_before(input, field, start, out),
        }
    }
}

fn check_not_before(input: &Value, field: &str, start: &str, out: &mut Vec<Violation>) {
    let end_value = input.get(field).and_then(Value::as_str);
    let start_value = input.get(start).and_then(Value::as_str);
    let (Some(end_value), Some(start_value)) = (end_value, start_value) else {
        return;
    };
    if !crate::params::is_date_text(end_value) || !crate::params::is_date_text(start_value) {
        return;
    }
    let key = |s: &str| {
        let s = s.trim();
        let date = s.get(..10).unwrap_or(s).to_owned();
        let clock = s.get(11..).unwrap_or("00:00:00").to_owned();
        (date, clock)
    };
    if key(end_value) < key(start_value) {
        out.push(Violation::new(
            format!("/{field}"),
            format!("{field} must not be before {start}"),
        ));
    }
}

/// Serialises a typed output once, for the JSON door.
pub(crate) fn to_json<O: Serialize>(out: O) -> Result<Value> {
    serde_json::to_value(out).map_err(unserialisable)
}

/// Writes a typed output once as JSON text, for the JSON door.
fn to_text<O: Serialize>(out: &O) -> Result<String> {
    serde_json::to_string(out).map_err(unserialisable)
}

fn unserialisable(e: serde_json::Error) -> crate::Error {
    crate::Error::new(
        crate::ErrorCode::InvalidResponse,
        format!("output could not be serialised: {e}"),
    )
}
