//! One tool in the catalogue: its schemas, flavours and validator, made on
//! first use, and the checks of an input (`prepare`).

use crate::api::{ApiRequest, Prepared};
use crate::block::DynBlock;
use crate::call::DynTool;
use crate::composite::DynComposite;
use crate::error::{Error, ErrorCode, Result, Violation};
use crate::flavours::{self, Flavour};
use crate::params::{Connection, PagingOptions};
use crate::schema;
use crate::wire::ToolMeta;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};

use super::problems::{field_of, placeholder};

/// How a catalogue entry that takes an input runs.
#[derive(Clone, Copy)]
pub(super) enum Runner {
    /// One call.
    Tool(&'static dyn DynTool),
    /// Several calls of other tools.
    Composite(&'static dyn DynComposite),
}

impl Runner {
    fn block(self) -> &'static dyn DynBlock {
        match self {
            Self::Tool(t) => t,
            Self::Composite(c) => c,
        }
    }

    fn build(self, input: &Value) -> std::result::Result<ApiRequest, Vec<Violation>> {
        match self {
            Self::Tool(t) => t.build(input),
            Self::Composite(c) => c.build(input),
        }
    }
}

/// One tool in the catalogue. Only its static facts are read when the
/// catalogue is built; each schema, the flavours and the compiled validator
/// are made the first time something asks for them, then kept. Listing the
/// catalogue builds no schema; running one tool builds that tool's input
/// schema and validator only.
pub struct CatalogueTool {
    pub(super) runner: Runner,
    meta: ToolMeta,
    resource: &'static str,
    input: OnceLock<InputSchema>,
    output_schema: OnceLock<Value>,
    flavours: OnceLock<flavours::Derived>,
    validator: OnceLock<std::result::Result<Arc<jsonschema::Validator>, String>>,
}

/// A tool's full input schema and what a call reads from it.
pub(super) struct InputSchema {
    pub(super) schema: Value,
    /// The inputs whose schema states a documented layout (a date, an
    /// email, a comma list), found once so a call checks only those.
    layout_fields: Vec<String>,
}

impl InputSchema {
    pub(super) fn of(tool: &dyn DynBlock, meta: &ToolMeta) -> Self {
        let schema = schema::full_input_schema(
            &tool.params_schema(),
            meta.paging.is_paginated(),
            meta.rules,
        );
        let layout_fields = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .filter(|(_, prop)| crate::params::has_layout(prop))
                    .map(|(name, _)| name.clone())
                    .collect()
            })
            .unwrap_or_default();
        Self {
            schema,
            layout_fields,
        }
    }
}

impl CatalogueTool {
    pub(super) fn new(runner: Runner, resource: &'static str) -> Self {
        Self {
            runner,
            meta: runner.block().meta(),
            resource,
            input: OnceLock::new(),
            output_schema: OnceLock::new(),
            flavours: OnceLock::new(),
            validator: OnceLock::new(),
        }
    }

    fn input(&self) -> &InputSchema {
        self.input
            .get_or_init(|| InputSchema::of(self.runner.block(), &self.meta))
    }

    /// The resource group (`users`, `audiences`, `members`, ...), for
    /// palettes that group tools.
    pub fn resource(&self) -> &'static str {
        self.resource
    }

    fn flavours(&self) -> &flavours::Derived {
        self.flavours.get_or_init(|| {
            flavours::Derived::of(
                self.input_schema(),
                self.output_schema(),
                self.meta.title,
                self.meta.description,
            )
        })
    }

    /// The tool's schema in one flavour (see [`Flavour`]).
    pub fn schema(&self, flavour: Flavour) -> Value {
        match flavour {
            Flavour::Input => self.input_schema().clone(),
            Flavour::Output => self.output_schema().clone(),
            Flavour::Form => self.flavours().form.clone(),
            Flavour::Ui => self.flavours().ui.clone(),
            Flavour::JsonFormsUi => self.flavours().jsonforms_ui.clone(),
            Flavour::Connection => flavours::connection(),
            Flavour::ConnectionUi => flavours::connection_ui(),
            Flavour::Portable => self.flavours().portable.clone(),
            Flavour::Strict => self.flavours().strict.clone(),
            Flavour::PortableOutput => self.flavours().portable_output.clone(),
        }
    }

    /// Static facts: id, title, description, version, endpoint, hints.
    pub fn meta(&self) -> &ToolMeta {
        &self.meta
    }

    /// The full input JSON Schema (connection inputs included).
    pub fn input_schema(&self) -> &Value {
        &self.input().schema
    }

    /// The output JSON Schema.
    pub fn output_schema(&self) -> &Value {
        self.output_schema
            .get_or_init(|| self.runner.block().output_schema())
    }

    /// The input names that are credentials (connection inputs).
    pub fn credential_inputs(&self) -> Vec<&'static str> {
        Connection::FIELDS.to_vec()
    }

    /// The manifest a UI generates its form from: metadata and every schema
    /// flavour.
    pub fn manifest(&self) -> Value {
        let m = &self.meta;
        let mut manifest = json!({
            "id": m.id,
            "title": m.title,
            "description": m.description,
            "version": m.version,
            "endpoint": m.endpoint,
            "hints": {
                "readOnly": m.hints.read_only,
                "destructive": m.hints.destructive,
                "idempotent": m.hints.idempotent,
                "paginated": m.paging.is_paginated(),
            },
            "paging": m.paging,
            "batching": m.batching,
            "resource": self.resource,
            "credentials": self.credential_inputs(),
        });
        if let Value::Object(map) = &mut manifest {
            for flavour in Flavour::ALL {
                map.insert(flavour.key().into(), self.schema(flavour));
            }
        }
        manifest
    }

    fn validator(&self) -> Result<Arc<jsonschema::Validator>> {
        self.validator
            .get_or_init(|| {
                jsonschema::validator_for(&schema::checking_schema(self.input_schema()))
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|e| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("the schema of {} does not compile: {e}", self.meta.id),
                )
            })
    }

    /// Normalises and checks `input`; returns every problem at once, or the
    /// connection, paging options and request to send.
    pub fn prepare(&self, input: Value) -> Result<Prepared> {
        self.checked(input).map(|(_, prepared)| prepared)
    }

    /// [`CatalogueTool::prepare`], also giving back the normalised input
    /// (for a composite, which reads its params from it).
    pub(super) fn checked(&self, mut input: Value) -> Result<(Value, Prepared)> {
        if !input.is_object() {
            return Err(Error::field(
                "",
                format!(
                    "input must be a JSON object, got {}",
                    crate::params::json_kind(&input)
                ),
            ));
        }
        let input_schema = self.input_schema();
        schema::normalise(input_schema, &mut input);
        let mut problems =
            schema::schema_violations(self.validator()?.as_ref(), input_schema, &input);
        // Documented layouts (dates, comma lists) are checked like the
        // tool's own rules: they do not keep the tool from checking the
        // other fields.
        let mut layout = Vec::new();
        self.check_layouts(&input, &mut layout);
        // Read straight from the input value: no copy of the input per call.
        let connection = Connection::deserialize(&input);
        let paging = PagingOptions::deserialize(&input);
        if let Ok(connection) = &connection {
            connection.check(&mut problems);
        }
        if problems.is_empty() {
            // The schema passed, so the tool's own types can read the input.
            match self.runner.build(&input) {
                Ok(request) if layout.is_empty() => {
                    let (Ok(connection), Ok(paging)) = (connection, paging) else {
                        return Err(Error::field("", "connection inputs could not be read"));
                    };
                    let prepared = Prepared {
                        tool: self.meta,
                        connection,
                        paging,
                        request,
                    };
                    return Ok((input, prepared));
                }
                Ok(_) => {}
                Err(more) => {
                    // A field whose layout is wrong (an id that is not an
                    // id) is reported by that check alone.
                    let faulted: Vec<String> =
                        layout.iter().map(|p| field_of(&p.pointer)).collect();
                    problems.extend(
                        more.into_iter()
                            .filter(|v| !faulted.contains(&field_of(&v.pointer))),
                    );
                }
            }
        } else if let Err(more) = self.runner.build(&self.repaired(&input, &problems)) {
            // Report the tool's own checks on the other fields too, so every
            // problem is listed at once.
            // A field the schema already faulted is not reported twice.
            let faulted: Vec<String> = problems.iter().map(|p| field_of(&p.pointer)).collect();
            for v in more {
                if !v.pointer.is_empty() && !faulted.contains(&field_of(&v.pointer)) {
                    problems.push(v);
                }
            }
        }
        problems.extend(layout);
        problems.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        // The same rule can be reported by the schema's layout check and by
        // the tool's own check: keep the first of each.
        let mut seen = std::collections::HashSet::new();
        problems.retain(|v| seen.insert((v.pointer.clone(), v.message.clone())));
        crate::suggest::unknown_fields(input_schema, &mut problems);
        Err(Error::invalid_input(problems))
    }

    /// Checks every input whose schema states a documented layout (a date,
    /// an email, a comma list), so the rule in the schema is the rule
    /// applied. (`prepare` sorts the problems by field afterwards.)
    fn check_layouts(&self, input: &Value, problems: &mut Vec<Violation>) {
        let InputSchema {
            schema,
            layout_fields,
        } = self.input();
        if layout_fields.is_empty() {
            return;
        }
        let (Some(props), Some(values)) = (
            schema.get("properties").and_then(Value::as_object),
            input.as_object(),
        ) else {
            return;
        };
        for name in layout_fields {
            if let (Some(value), Some(prop)) = (values.get(name), props.get(name)) {
                crate::params::check_by_schema(prop, name, value, problems);
            }
        }
    }

    /// A copy of `input` without the top-level fields that have a schema
    /// violation, so the tool's own checks can run on the remaining fields.
    /// A faulted *required* field holds a harmless placeholder of its type
    /// instead (the tool's parameters cannot be read without it); an
    /// optional one is removed, so it cannot trigger rules of its own.
    fn repaired(&self, input: &Value, problems: &[Violation]) -> Value {
        let mut repaired = input.clone();
        let input_schema = self.input_schema();
        let props = input_schema.get("properties").and_then(Value::as_object);
        let required = input_schema.get("required").and_then(Value::as_array);
        let (Some(map), Some(props)) = (repaired.as_object_mut(), props) else {
            return repaired;
        };
        for v in problems {
            let name = field_of(&v.pointer);
            let is_required = required.is_some_and(|r| r.iter().any(|n| n == name.as_str()));
            match props.get(&name) {
                Some(prop) if is_required => {
                    map.insert(name, placeholder(prop));
                }
                _ => {
                    map.remove(&name);
                }
            }
        }
        repaired
    }

    /// The tool's JSON side, or `None` for a composite (several calls).
    pub fn dyn_tool(&self) -> Option<&'static dyn DynTool> {
        match self.runner {
            Runner::Tool(t) => Some(t),
            Runner::Composite(_) => None,
        }
    }

    /// Turns a 2xx response into this tool's output.
    pub fn output(&self, response: crate::api::ApiResponse) -> Result<Value> {
        self.single_call()?.output(response)
    }

    /// Turns a single call's unparsed 2xx answer into this tool's output,
    /// reading the body straight from its bytes where the output type can.
    /// Gives what [`CatalogueTool::output`] gives for the parsed body.
    pub fn output_raw(&self, raw: crate::wire::RawResponse) -> Result<Value> {
        self.single_call()?.output_raw(raw)
    }

    fn single_call(&self) -> Result<&'static dyn DynTool> {
        self.dyn_tool().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} makes several calls; run it with Catalogue::execute",
                    self.meta.id
                ),
            )
        })
    }
}

/// Which of the tool's schemas, flavours and validator were made yet (for
/// tests of the catalogue's laziness): input, output, flavours, validator.
#[cfg(test)]
impl CatalogueTool {
    pub(super) fn built(&self) -> [bool; 4] {
        [
            self.input.get().is_some(),
            self.output_schema.get().is_some(),
            self.flavours.get().is_some(),
            self.validator.get().is_some(),
        ]
    }
}
