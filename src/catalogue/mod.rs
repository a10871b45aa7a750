//! The catalogue of tools: discover, describe, validate, execute, export.

use crate::api::{ApiRequest, Context, Prepared, exchange};
use crate::error::{Error, ErrorCode, Result, Violation};
use crate::flavours::{self, Flavour};
use crate::params::{Connection, PagingOptions};
use crate::schema;
use crate::tool::{DynTool, ToolEntry, ToolMeta};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

mod collect;
pub mod composite;
mod registry;
pub use registry::*;

/// One tool in the catalogue, with its schemas generated once.
pub struct CatalogueTool {
    tool: &'static dyn DynTool,
    meta: ToolMeta,
    resource: &'static str,
    input_schema: Value,
    output_schema: Value,
    /// The inputs whose schema states a documented layout (a date, an
    /// email, a comma list), found once so a call checks only those.
    layout_fields: Vec<String>,
    flavours: OnceLock<flavours::Derived>,
    validator: OnceLock<std::result::Result<Arc<jsonschema::Validator>, String>>,
}

impl CatalogueTool {
    fn new(tool: &'static dyn DynTool, resource: &'static str) -> Self {
        let meta = tool.meta();
        let input_schema = schema::full_input_schema(
            &tool.params_schema(),
            meta.paging.is_paginated(),
            meta.rules,
        );
        let layout_fields = input_schema
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
            tool,
            meta,
            resource,
            input_schema,
            layout_fields,
            output_schema: tool.output_schema(),
            flavours: OnceLock::new(),
            validator: OnceLock::new(),
        }
    }

    /// The resource group (`users`, `audiences`, `members`, ...), for
    /// palettes that group tools.
    pub fn resource(&self) -> &'static str {
        self.resource
    }

    fn flavours(&self) -> &flavours::Derived {
        self.flavours.get_or_init(|| {
            flavours::Derived::of(
                &self.input_schema,
                &self.output_schema,
                self.meta.title,
                self.meta.description,
            )
        })
    }

    /// The tool's schema in one flavour (see [`Flavour`]).
    pub fn schema(&self, flavour: Flavour) -> Value {
        match flavour {
            Flavour::Input => self.input_schema.clone(),
            Flavour::Output => self.output_schema.clone(),
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
        &self.input_schema
    }

    /// The output JSON Schema.
    pub fn output_schema(&self) -> &Value {
        &self.output_schema
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
                jsonschema::validator_for(&schema::checking_schema(&self.input_schema))
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
    pub fn prepare(&self, mut input: Value) -> Result<Prepared> {
        if !input.is_object() {
            return Err(Error::field(
                "",
                format!(
                    "input must be a JSON object, got {}",
                    crate::params::json_kind(&input)
                ),
            ));
        }
        schema::normalise(&self.input_schema, &mut input);
        let mut problems =
            schema::schema_violations(self.validator()?.as_ref(), &self.input_schema, &input);
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
            match self.tool.build(&input) {
                Ok(request) if layout.is_empty() => {
                    let (Ok(connection), Ok(paging)) = (connection, paging) else {
                        return Err(Error::field("", "connection inputs could not be read"));
                    };
                    return Ok(Prepared {
                        tool: self.meta,
                        connection,
                        paging,
                        request,
                    });
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
        } else if let Err(more) = self.tool.build(&self.repaired(&input, &problems)) {
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
        crate::suggest::unknown_fields(&self.input_schema, &mut problems);
        Err(Error::invalid_input(problems))
    }

    /// Checks every input whose schema states a documented layout (a date,
    /// an email, a comma list), so the rule in the schema is the rule
    /// applied. (`prepare` sorts the problems by field afterwards.)
    fn check_layouts(&self, input: &Value, problems: &mut Vec<Violation>) {
        if self.layout_fields.is_empty() {
            return;
        }
        let (Some(props), Some(values)) = (
            self.input_schema
                .get("properties")
                .and_then(Value::as_object),
            input.as_object(),
        ) else {
            return;
        };
        for name in &self.layout_fields {
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
        let props = self
            .input_schema
            .get("properties")
            .and_then(Value::as_object);
        let required = self.input_schema.get("required").and_then(Value::as_array);
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

    /// Turns a 2xx response into this tool's output.
    pub fn output(&self, response: crate::api::ApiResponse) -> Result<Value> {
        self.tool.output(response)
    }

    /// Turns a single call's unparsed 2xx answer into this tool's output,
    /// reading the body straight from its bytes where the output type can.
    /// Gives what [`CatalogueTool::output`] gives for the parsed body.
    pub fn output_raw(&self, raw: crate::wire::RawResponse) -> Result<Value> {
        self.tool.output_raw(raw)
    }
}
