//! The [`Tool`] trait: one Thrive operation as a pure function from typed
//! parameters to an HTTP request description, and from the HTTP response to
//! a typed output. Plus its object-safe, JSON-in/JSON-out form ([`DynTool`])
//! and registration with `inventory`.

use crate::error::{Result, Violation};
use crate::wire::{ApiRequest, ApiResponse, CallMeta};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use crate::wire::meta::{Batching, Hints, Paging, ToolMeta};
pub use crate::wire::read::{FromResponse, RawResponse};

/// One Thrive operation. Implementations are unit structs; everything is
/// associated, so a tool is pure and needs no instance state.
pub trait Tool: Send + Sync + 'static {
    /// The operation's own inputs (connection inputs are added by the runtime).
    type Params: DeserializeOwned + JsonSchema + Send + Sync;
    /// The typed output. Keep unmodelled response fields (flatten a map).
    /// It reads itself from a response ([`FromResponse`]), so most tools
    /// need no [`Tool::output`] of their own.
    type Output: Serialize + JsonSchema + Send + FromResponse;

    /// The stable tool id, e.g. `thrive_add_audience_members`.
    const ID: &'static str;
    /// A short title for a palette.
    const TITLE: &'static str;
    /// A one-line description.
    const DESCRIPTION: &'static str;
    /// `METHOD /rest/vN/path/{param}`: the endpoint. It documents the tool
    /// and is the template [`ApiRequest::endpoint`] fills from the params.
    const ENDPOINT: &'static str;
    /// The tool's version; bumped when its input or output changes shape.
    const VERSION: &'static str = "1.0.0";
    /// Read-only / destructive / idempotent hints.
    const HINTS: Hints;
    /// How the endpoint pages.
    const PAGING: Paging = Paging::None;
    /// How long item lists are split into several calls.
    const BATCHING: Batching = Batching::None;
    /// Rules between inputs (one requires or excludes another), stated in
    /// every schema flavour. `validate` checks them with a worded message.
    const RULES: &'static [crate::rules::Rule] = &[];

    /// Checks that the JSON Schema cannot express (string-encoded JSON,
    /// dates, cross-field rules). Push every problem; do not stop at the first.
    fn validate(_params: &Self::Params, _out: &mut Vec<Violation>) {}

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

/// The object-safe, JSON-in/JSON-out form of a [`Tool`]. Every `Tool` gets
/// one through [`Erased`]; the catalogue stores these.
pub trait DynTool: Send + Sync {
    /// Static facts about the tool.
    fn meta(&self) -> ToolMeta;
    /// The JSON Schema of the tool's own parameters (without connection inputs).
    fn params_schema(&self) -> Value;
    /// The JSON Schema of the output.
    fn output_schema(&self) -> Value;
    /// Deserialises the parameters from the (already schema-checked) input,
    /// runs [`Tool::validate`] and builds the request. All problems are
    /// returned together.
    fn build(&self, input: &Value) -> std::result::Result<ApiRequest, Vec<Violation>>;
    /// Turns a 2xx response into the output JSON.
    fn output(&self, response: ApiResponse) -> Result<Value>;
    /// Turns a single call's unparsed 2xx answer into the output JSON.
    /// Default: parse it, then [`DynTool::output`].
    fn output_raw(&self, raw: RawResponse) -> Result<Value> {
        self.output(raw.parse())
    }
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

/// The [`DynTool`] methods a tool's adapter and a composite tool's adapter
/// (`catalogue::composite::ErasedComposite`) write alike: the metadata from
/// the type's constants, both schemas from its types, and the (first)
/// request through [`build_checked`]. The two traits declare the same
/// constants separately, so this is a macro rather than a generic function.
macro_rules! dyn_tool_common {
    ($t:ident, paging: $paging:expr, request: $request:path) => {
        fn meta(&self) -> $crate::wire::ToolMeta {
            $crate::wire::ToolMeta {
                id: $t::ID,
                title: $t::TITLE,
                description: $t::DESCRIPTION,
                version: $t::VERSION,
                endpoint: $t::ENDPOINT,
                hints: $t::HINTS,
                paging: $paging,
                batching: $t::BATCHING,
                rules: $t::RULES,
            }
        }

        fn params_schema(&self) -> ::serde_json::Value {
            $crate::schema::input_schema_for::<$t::Params>()
        }

        fn output_schema(&self) -> ::serde_json::Value {
            $crate::schema::output_schema_for::<$t::Output>()
        }

        fn build(
            &self,
            input: &::serde_json::Value,
        ) -> ::std::result::Result<$crate::wire::ApiRequest, Vec<$crate::error::Violation>> {
            $crate::tool::build_checked(input, $t::RULES, $t::validate, $request)
        }
    };
}
pub(crate) use dyn_tool_common;

impl<T: Tool> DynTool for Erased<T> {
    dyn_tool_common!(T, paging: T::PAGING, request: T::request);

    fn output(&self, response: ApiResponse) -> Result<Value> {
        let out = T::output(response)?;
        to_json(out)
    }

    fn output_raw(&self, raw: RawResponse) -> Result<Value> {
        to_json(T::output_raw(raw)?)
    }

    fn recover(&self, error: crate::Error, meta: &CallMeta) -> Result<Value> {
        to_json(T::recover(error, meta)?)
    }
}

/// Reads `P` from the (already schema-checked) input, runs `validate` and
/// the rules only a tool can check ([`check_rules`]), and
/// builds the request with `request`: the request, or every problem
/// together (the checks' first, then what building found, each once; a
/// build error that names no field is reported under the empty pointer).
pub(crate) fn build_checked<P: DeserializeOwned>(
    input: &Value,
    rules: &[crate::rules::Rule],
    validate: fn(&P, &mut Vec<Violation>),
    request: fn(&P) -> Result<ApiRequest>,
) -> std::result::Result<ApiRequest, Vec<Violation>> {
    // Read straight from the borrowed input: no copy of it per call.
    let params = P::deserialize(input)
        .map_err(|e| vec![Violation::new("", format!("input could not be read: {e}"))])?;
    let mut problems = Vec::new();
    validate(&params, &mut problems);
    check_rules(rules, input, &mut problems);
    match request(&params) {
        Ok(request) if problems.is_empty() => Ok(request),
        Ok(_) => Err(problems),
        Err(e) => {
            let mut extra = e.violations();
            if extra.is_empty() {
                extra.push(Violation::new("", e.message().to_owned()));
            }
            for v in extra {
                if !problems.contains(&v) {
                    problems.push(v);
                }
            }
            Err(problems)
        }
    }
}

/// Applies the rules that only the tool can check ([`Rule::NotBefore`](crate::rules::Rule::NotBefore)) to
/// an input that passed its schema. A range is compared only when both ends
/// are dates in a layout Thrive documents (a malformed date is reported by
/// its own check); a bare date counts as its midnight, and equal ends are
/// allowed (whether Thrive's bounds are inclusive is not documented).
pub(crate) fn check_rules(rules: &[crate::rules::Rule], input: &Value, out: &mut Vec<Violation>) {
    for rule in rules {
        let crate::rules::Rule::NotBefore { field, start } = *rule else {
            continue;
        };
        let end_value = input.get(field).and_then(Value::as_str);
        let start_value = input.get(start).and_then(Value::as_str);
        let (Some(end_value), Some(start_value)) = (end_value, start_value) else {
            continue;
        };
        if !crate::params::is_date_text(end_value) || !crate::params::is_date_text(start_value) {
            continue;
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
}

fn to_json<O: Serialize>(out: O) -> Result<Value> {
    serde_json::to_value(out).map_err(|e| {
        crate::Error::new(
            crate::ErrorCode::InvalidResponse,
            format!("output could not be serialised: {e}"),
        )
    })
}

/// An `inventory` registration of one tool: the tool and the module path it
/// was registered from (its resource folder names its group).
pub struct ToolEntry(pub &'static dyn DynTool, pub &'static str);

impl ToolEntry {
    /// The resource group of the tool: the folder under `thrive/` it lives
    /// in (`users`, `audiences`, `members`, ...), or `other`.
    pub fn resource(&self) -> &'static str {
        let mut parts = self.1.split("::");
        while let Some(part) = parts.next() {
            if part == "thrive" {
                return parts.next().unwrap_or("other");
            }
        }
        "other"
    }
}

inventory::collect!(ToolEntry);

/// Declares a Thrive operation: the unit struct, documented by its
/// description, its [`Tool`] impl with the facts every tool states (id,
/// title, description, endpoint, hints, params and output types) plus the
/// items given in `impl { .. }` (paging, batching, rules, `validate`,
/// `request`, ...), and its registration. The description is written once:
/// it is both the struct's doc and [`Tool::DESCRIPTION`].
///
/// ```ignore
/// declare_tool! {
///     GetTag {
///         id: "thrive_get_tag",
///         title: "Get tag",
///         description: "Get a tag from Thrive by ID.",
///         endpoint: "GET /rest/v1/tags/{tagId}",
///         hints: READ,
///         params: GetTagParams,
///         output: TagOutput,
///     }
///     impl {
///         fn request(p: &Self::Params) -> Result<ApiRequest> {
///             ApiRequest::endpoint(Self::ENDPOINT, &[&p.tag_id])
///         }
///     }
/// }
/// ```
macro_rules! declare_tool {
    (
        $name:ident {
            id: $id:literal,
            title: $title:literal,
            description: $description:literal,
            endpoint: $endpoint:literal,
            hints: $hints:ident,
            params: $params:ty,
            output: $output:ty $(,)?
        }
        impl { $($item:tt)* }
    ) => {
        #[doc = $description]
        pub struct $name;

        impl $crate::Tool for $name {
            type Params = $params;
            type Output = $output;

            const ID: &'static str = $id;
            const TITLE: &'static str = $title;
            const DESCRIPTION: &'static str = $description;
            const ENDPOINT: &'static str = $endpoint;
            const HINTS: $crate::tool::Hints = $crate::tool::Hints::$hints;

            $($item)*
        }

        $crate::register_tool!($name);
    };
}

pub(crate) use declare_tool;

/// Registers a [`Tool`] with the catalogue: `register_tool!(CreateUser);`
#[macro_export]
macro_rules! register_tool {
    ($tool:ty) => {
        ::inventory::submit! {
            $crate::tool::ToolEntry(&$crate::tool::Erased::<$tool>::NEW, module_path!())
        }
    };
}
