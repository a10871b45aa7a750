//! `thrive-blocks describe <id>` and `run <id> --help`: a tool's own inputs
//! as a table a person can read, its output's top-level fields, and an
//! example `run` line.
//!
//! The text is made from the tool's input and output JSON Schemas, so it is
//! never out of step with what `validate` and `run` accept.

use crate::catalogue::CatalogueTool;
use serde_json::{Value, json};
use std::fmt::Write as _;
use tables::{
    SEEDED_REF, description_of, enum_values, example_of, first_sentence, kind_of, stated_default,
    write_table,
};

mod tables;

/// One input as described to a person.
#[derive(Debug, Clone, PartialEq)]
pub struct InputRow {
    /// The input's name (`audienceId`).
    pub name: String,
    /// Whether it must be given.
    pub required: bool,
    /// The JSON type, with `JSON text` for list inputs given as JSON.
    pub kind: String,
    /// The allowed values of an enum, empty otherwise.
    pub allowed: Vec<String>,
    /// The default, when the schema or the description states one.
    pub default: Option<String>,
    /// The first sentence of the description.
    pub summary: String,
    /// An example value as JSON.
    pub example: Value,
}

/// The tool's own inputs (connection inputs left out), in schema order.
pub fn inputs(tool: &CatalogueTool) -> Vec<InputRow> {
    // The sandbox's demo users are EMP-00001..EMP-00300: a create's example
    // takes a free reference so it runs there as printed.
    inputs_of(
        tool.input_schema(),
        tool.meta().id.starts_with("thrive_create_"),
    )
}

/// The inputs of `schema` (connection inputs left out), in schema order;
/// `creates` gives reference examples that are free in the sandbox.
fn inputs_of(schema: &Value, creates: bool) -> Vec<InputRow> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    props
        .iter()
        .filter(|(_, p)| p.get("x-thrive-credential") != Some(&Value::Bool(true)))
        .map(|(name, prop)| {
            let description = description_of(prop);
            let allowed = enum_values(prop);
            let kind = kind_of(prop);
            let mut example = example_of(name, prop, &kind, &allowed, description);
            if creates && example == SEEDED_REF {
                example = Value::String(NEW_REF.to_owned());
            }
            InputRow {
                name: name.clone(),
                required: required.contains(&name.as_str()),
                example,
                kind,
                allowed,
                default: prop
                    .get("default")
                    .map(Value::to_string)
                    .or_else(|| stated_default(description)),
                summary: first_sentence(description),
            }
        })
        .collect()
}

/// The output's top-level fields: name, type, first sentence.
pub fn outputs(tool: &CatalogueTool) -> Vec<(String, String, String)> {
    let Some(props) = tool
        .output_schema()
        .get("properties")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, prop)| {
            let description = description_of(prop);
            (name.clone(), kind_of(prop), first_sentence(description))
        })
        .collect()
}

/// An example input holding every required input (or the first input when
/// none is required), with example values.
pub fn example_params(tool: &CatalogueTool) -> Value {
    let rows = inputs(tool);
    let mut map = serde_json::Map::new();
    // `email` is required unless another input says otherwise (a rule the
    // schema cannot state), so the example gives it too.
    for row in rows.iter().filter(|r| r.required || r.name == "email") {
        map.insert(row.name.clone(), row.example.clone());
    }
    if map.is_empty()
        && let Some(first) = rows.iter().find(|r| r.name != "page")
    {
        map.insert(first.name.clone(), first.example.clone());
    }
    Value::Object(map)
}

/// The reference used in examples of create tools (free in the sandbox).
const NEW_REF: &str = "EMP-09001";

/// The example `run` line, quoted for a POSIX shell.
pub fn example_run(tool: &CatalogueTool) -> String {
    let params = example_params(tool).to_string().replace('\'', "'\\''");
    format!(
        "thrive-blocks run {} --sandbox --params '{params}'",
        tool.meta().id
    )
}

/// The whole description as text: title, what it does, the inputs table,
/// the output fields and the example line.
pub fn text(tool: &CatalogueTool) -> String {
    let meta = tool.meta();
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", meta.id, meta.title);
    let _ = writeln!(out, "{}", meta.description);
    let _ = writeln!(
        out,
        "{}  ({})",
        meta.endpoint,
        if meta.hints.read_only {
            "read-only"
        } else if meta.hints.idempotent {
            "write, idempotent"
        } else {
            "write, not idempotent: not retried once it may have reached Thrive"
        }
    );
    let rows = inputs(tool);
    let _ = writeln!(out, "\nInputs:");
    if rows.is_empty() {
        let _ = writeln!(out, "  (none besides the connection)");
    } else {
        write_inputs(&mut out, &rows);
    }
    let _ = writeln!(
        out,
        "Connection inputs (every tool): tenantId, apiKey, host, clientId, scope;\n\
         taken from THRIVE_TENANT_ID, THRIVE_API_KEY, THRIVE_HOST, THRIVE_CLIENT_ID,\n\
         THRIVE_SCOPE when left out, or from the sandbox with --sandbox."
    );
    let fields = outputs(tool);
    let _ = writeln!(out, "\nOutput (top-level fields):");
    if fields.is_empty() {
        let _ = writeln!(out, "  (see `thrive-blocks schema {}`)", meta.id);
    } else {
        let table: Vec<[String; 3]> = fields.into_iter().map(|(n, k, s)| [n, k, s]).collect();
        write_table(
            &mut out,
            &["name", "type", "description"].map(str::to_owned),
            &table,
        );
    }
    let _ = writeln!(out, "\nExample:\n  {}", example_run(tool));
    out
}

/// The inputs table: name, required, type, allowed values, default,
/// description and example.
fn write_inputs(out: &mut String, rows: &[InputRow]) {
    let table: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.name.clone(),
                if r.required { "yes" } else { "no" }.to_owned(),
                r.kind.clone(),
                r.allowed.join("|"),
                r.default.clone().unwrap_or_default(),
                r.summary.clone(),
                r.example.to_string(),
            ]
        })
        .collect();
    let header = [
        "name",
        "required",
        "type",
        "allowed values",
        "default",
        "description",
        "example",
    ]
    .map(str::to_owned);
    write_table(out, &header, &table);
}

/// A trigger described as a tool is: what starts it, the filters a user
/// may set (a table) and the payload's top-level fields.
pub fn trigger_text(trigger: &crate::catalogue::CatalogueTrigger) -> String {
    let meta = trigger.meta();
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", meta.id, meta.title);
    let _ = writeln!(out, "{}", meta.description);
    let _ = writeln!(out, "Starts on: {}", meta.event_types.join(", "));
    let rows = inputs_of(trigger.filters_schema(), false);
    let _ = writeln!(out, "\nFilters:");
    if rows.is_empty() {
        let _ = writeln!(out, "  (none)");
    } else {
        write_inputs(&mut out, &rows);
    }
    let fields: Vec<[String; 3]> = trigger
        .payload_schema()
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, prop)| {
            [
                name.clone(),
                kind_of(prop),
                first_sentence(description_of(prop)),
            ]
        })
        .collect();
    let _ = writeln!(out, "\nPayload (top-level fields):");
    write_table(
        &mut out,
        &["name", "type", "description"].map(str::to_owned),
        &fields,
    );
    let _ = writeln!(out, "\nAll schemas: thrive-blocks schema {}", meta.id);
    out
}

/// A trigger's description as JSON (`describe --json` for a trigger id).
pub fn trigger_json(trigger: &crate::catalogue::CatalogueTrigger) -> Value {
    let meta = trigger.meta();
    json!({
        "id": meta.id,
        "title": meta.title,
        "description": meta.description,
        "eventTypes": meta.event_types,
        "filters": inputs_of(trigger.filters_schema(), false).iter().map(input_json).collect::<Vec<_>>(),
    })
}

/// One input (or trigger filter) row as `describe --json` writes it.
fn input_json(r: &InputRow) -> Value {
    json!({
        "name": r.name,
        "required": r.required,
        "type": r.kind,
        "allowed": r.allowed,
        "default": r.default,
        "description": r.summary,
        "example": r.example,
    })
}

/// The description as JSON (`describe --json`).
pub fn to_json(tool: &CatalogueTool) -> Value {
    let meta = tool.meta();
    json!({
        "id": meta.id,
        "title": meta.title,
        "description": meta.description,
        "endpoint": meta.endpoint,
        "inputs": inputs(tool).iter().map(input_json).collect::<Vec<_>>(),
        "outputs": outputs(tool).into_iter().map(|(name, kind, summary)| json!({
            "name": name, "type": kind, "description": summary,
        })).collect::<Vec<_>>(),
        "example": example_run(tool),
    })
}

#[cfg(test)]
mod tests;
