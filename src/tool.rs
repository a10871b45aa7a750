//! The [`Tool`] trait: one Thrive operation as a pure function from typed
//! parameters to an HTTP request description, and from the HTTP response to
//! a typed output. Plus its object-safe, JSON-in/JSON-out form ([`DynTool`])
//! and registration with `inventory`.

use crate::api::{ApiRequest, ApiResponse};
use crate::error::{Result, Violation};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Behaviour hints every host asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hints {
    /// The tool only reads.
    pub read_only: bool,
    /// The tool deletes, replaces or otherwise destroys data.
    pub destructive: bool,
    /// Running the tool twice with the same input has the same effect as once.
    pub idempotent: bool,
}

impl Hints {
    /// A read: read-only, not destructive, idempotent.
    pub const READ: Self = Self {
        read_only: true,
        destructive: false,
        idempotent: true,
    };
    /// A create or add: not idempotent.
    pub const CREATE: Self = Self {
        read_only: false,
        destructive: false,
        idempotent: false,
    };
    /// An update or suspend: idempotent, not destructive.
    pub const UPDATE: Self = Self {
        read_only: false,
        destructive: false,
        idempotent: true,
    };
    /// A delete, remove or replace: destructive and idempotent.
    pub const DESTROY: Self = Self {
        read_only: false,
        destructive: true,
        idempotent: true,
    };
}

/// How a tool's list endpoint pages, so the runtime can follow pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Paging {
    /// Not paginated.
    None,
    /// `{results, pagination}` envelope with `totalPages`.
    #[serde(rename_all = "camelCase")]
    Envelope {
        /// The largest `perPage` the endpoint accepts.
        max_per_page: u32,
    },
    /// A bare JSON array; the last page is the first one shorter than `perPage`.
    #[serde(rename_all = "camelCase")]
    BareArray {
        /// The largest `perPage` the endpoint accepts.
        max_per_page: u32,
        /// The `perPage` the endpoint uses when none is sent.
        default_per_page: u32,
    },
}

impl Paging {
    /// Whether the tool pages at all.
    pub fn is_paginated(self) -> bool {
        !matches!(self, Self::None)
    }
}

/// How a request with a long item list is split into several calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Batching {
    /// One call, whatever the input.
    None,
    /// The array at `pointer` in the body (`""`: the body itself) is sent in
    /// chunks of at most `size` items, in order, and the answers merged.
    #[serde(rename_all = "camelCase")]
    Chunked {
        /// JSON pointer of the array within the body.
        pointer: &'static str,
        /// Items per call.
        size: usize,
    },
}

/// One Thrive operation. Implementations are unit structs; everything is
/// associated, so a tool is pure and needs no instance state.
pub trait Tool: Send + Sync + 'static {
    /// The operation's own inputs (connection inputs are added by the runtime).
    type Params: DeserializeOwned + JsonSchema + Send + Sync;
    /// The typed output. Keep unmodelled response fields (flatten a map).
    type Output: Serialize + JsonSchema + Send;

    /// The stable tool id, e.g. `thrive_add_audience_members`.
    const ID: &'static str;
    /// A short title for a palette.
    const TITLE: &'static str;
    /// A one-line description.
    const DESCRIPTION: &'static str;
    /// `METHOD /rest/vN/path/{param}`: the endpoint, for documentation.
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

    /// The output for a 2xx response. Pure: no I/O.
    fn output(response: ApiResponse) -> Result<Self::Output>;

    /// Turns a failed call into an output instead of an error, for tools
    /// whose job is to report failure (a connection test). `meta` tells
    /// where the call went and how long it took. Default: the error stands.
    fn recover(error: crate::Error, meta: &crate::api::CallMeta) -> Result<Self::Output> {
        let _ = meta;
        Err(error)
    }
}

/// Static, serialisable facts about a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolMeta {
    /// See [`Tool::ID`].
    pub id: &'static str,
    /// See [`Tool::TITLE`].
    pub title: &'static str,
    /// See [`Tool::DESCRIPTION`].
    pub description: &'static str,
    /// See [`Tool::VERSION`].
    pub version: &'static str,
    /// See [`Tool::ENDPOINT`].
    pub endpoint: &'static str,
    /// See [`Tool::HINTS`].
    pub hints: Hints,
    /// See [`Tool::PAGING`].
    pub paging: Paging,
    /// See [`Tool::BATCHING`].
    pub batching: Batching,
    /// See [`Tool::RULES`].
    #[serde(skip)]
    pub rules: &'static [crate::rules::Rule],
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
    /// Turns a failed call into output JSON where the tool reports failures
    /// as data ([`Tool::recover`]); otherwise returns the error.
    fn recover(&self, error: crate::Error, meta: &crate::api::CallMeta) -> Result<Value>;
}

/// Adapts a [`Tool`] to [`DynTool`].
pub struct Erased<T>(std::marker::PhantomData<fn() -> T>);

impl<T> Erased<T> {
    /// The adapter value (zero-sized).
    pub const NEW: Self = Self(std::marker::PhantomData);
}

impl<T: Tool> DynTool for Erased<T> {
    fn meta(&self) -> ToolMeta {
        ToolMeta {
            id: T::ID,
            title: T::TITLE,
            description: T::DESCRIPTION,
            version: T::VERSION,
            endpoint: T::ENDPOINT,
            hints: T::HINTS,
            paging: T::PAGING,
            batching: T::BATCHING,
            rules: T::RULES,
        }
    }

    fn params_schema(&self) -> Value {
        crate::schema::input_schema_for::<T::Params>()
    }

    fn output_schema(&self) -> Value {
        crate::schema::output_schema_for::<T::Output>()
    }

    fn build(&self, input: &Value) -> std::result::Result<ApiRequest, Vec<Violation>> {
        let params: T::Params = serde_json::from_value(input.clone())
            .map_err(|e| vec![Violation::new("", format!("input could not be read: {e}"))])?;
        let mut problems = Vec::new();
        T::validate(&params, &mut problems);
        match T::request(&params) {
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

    fn output(&self, response: ApiResponse) -> Result<Value> {
        let out = T::output(response)?;
        to_json(out)
    }

    fn recover(&self, error: crate::Error, meta: &crate::api::CallMeta) -> Result<Value> {
        to_json(T::recover(error, meta)?)
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

/// Registers a [`Tool`] with the catalogue: `register_tool!(CreateUser);`
#[macro_export]
macro_rules! register_tool {
    ($tool:ty) => {
        ::inventory::submit! {
            $crate::tool::ToolEntry(&$crate::tool::Erased::<$tool>::NEW, module_path!())
        }
    };
}
