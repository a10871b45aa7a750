//! Tools as MCP describes them, and the connection from the environment.

use crate::catalogue::CatalogueTool;
use crate::error::{Error, ErrorCode};
use crate::params::{
    API_KEY_ENV, CLIENT_ID_ENV, CREDENTIAL_MARKER, Connection, HOST_ENV, SCOPE_ENV, TENANT_ID_ENV,
};
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Map, Value};
use std::sync::Arc;

/// The MCP tool for a catalogue tool: its id as the name, title,
/// description with the endpoint, the input schema without the connection
/// inputs, the output schema (every subschema an object, see
/// [`object_subschemas`]) and the hints as annotations (`openWorldHint`
/// true: every tool calls Thrive).
pub fn mcp_tool(tool: &CatalogueTool) -> Tool {
    let meta = tool.meta();
    let description = format!("{} Thrive endpoint: {}.", meta.description, meta.endpoint);
    let mut mcp = Tool::new(
        meta.id,
        description,
        // The portable flavour: what every AI host's schema subset accepts.
        Arc::new(model_input_schema(
            &tool.schema(crate::flavours::Flavour::Portable),
        )),
    )
    .with_title(meta.title)
    .with_annotations(
        ToolAnnotations::with_title(meta.title)
            .read_only(meta.hints.read_only)
            .destructive(meta.hints.destructive)
            .idempotent(meta.hints.idempotent)
            .open_world(true),
    );
    if let Value::Object(schema) = tool.output_schema() {
        let mut schema = Value::Object(schema.clone());
        object_subschemas(&mut schema);
        if let Value::Object(schema) = schema {
            mcp = mcp.with_raw_output_schema(Arc::new(schema));
        }
    }
    mcp
}

/// Writes every subschema that is the boolean `true` (any value) as `{}`,
/// which means the same: MCP clients that check tool schemas for
/// portability (the MCP Inspector's `--strict`) refuse a bare `true` where
/// they expect a schema object. Only subschema places are changed, never a
/// `const`, `default` or `enum` value, nor `additionalProperties: true`.
pub fn object_subschemas(schema: &mut Value) {
    const ONE: [&str; 8] = [
        "items",
        "contains",
        "not",
        "if",
        "then",
        "else",
        "propertyNames",
        "unevaluatedItems",
    ];
    const LISTS: [&str; 4] = ["anyOf", "oneOf", "allOf", "prefixItems"];
    const MAPS: [&str; 5] = [
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
    ];
    fn visit(sub: &mut Value) {
        if *sub == Value::Bool(true) {
            *sub = Value::Object(Map::new());
        }
        object_subschemas(sub);
    }
    let Value::Object(map) = schema else {
        return;
    };
    for (key, value) in map.iter_mut() {
        let key = key.as_str();
        if ONE.contains(&key) {
            visit(value);
        } else if LISTS.contains(&key) {
            value.as_array_mut().into_iter().flatten().for_each(visit);
        } else if MAPS.contains(&key) {
            value
                .as_object_mut()
                .into_iter()
                .flatten()
                .for_each(|(_, v)| visit(v));
        } else if key == "additionalProperties" {
            object_subschemas(value);
        }
    }
}

/// `schema` without the properties marked [`CREDENTIAL_MARKER`] (and
/// without them in `required`): the input a model may give.
pub(super) fn model_input_schema(schema: &Value) -> JsonObject {
    let mut schema = match schema {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    let mut removed: Vec<String> = Vec::new();
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        props.retain(|name, prop| {
            let credential = prop.get(CREDENTIAL_MARKER) == Some(&Value::Bool(true))
                || Connection::FIELDS.contains(&name.as_str());
            if credential {
                removed.push(name.clone());
            }
            !credential
        });
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        required.retain(|name| {
            name.as_str()
                .is_none_or(|name| !removed.iter().any(|r| r == name))
        });
    }
    schema.insert("type".into(), "object".into());
    schema
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    schema
}

/// Replaces every occurrence of `secret` in the strings and keys of `value`.
pub(super) fn scrub(value: &mut Value, secret: &str) {
    match value {
        Value::String(s) if s.contains(secret) => *s = s.replace(secret, "***"),
        Value::Array(items) => items.iter_mut().for_each(|v| scrub(v, secret)),
        Value::Object(map) => {
            if map.keys().any(|k| k.contains(secret)) {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (k.replace(secret, "***"), v))
                    .collect();
            }
            map.values_mut().for_each(|v| scrub(v, secret));
        }
        _ => {}
    }
}

/// The operator's connection from the environment ([`Connection::from_env`]:
/// [`TENANT_ID_ENV`] and [`API_KEY_ENV`] required, [`HOST_ENV`],
/// [`CLIENT_ID_ENV`] and [`SCOPE_ENV`] optional; a variable set to blank
/// counts as unset). Fails with `invalid_input` naming every required
/// variable that is missing.
pub fn connection_from_env() -> Result<Connection, Error> {
    Connection::from_env().map_err(|missing| {
        Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{} not set: the MCP server calls Thrive with the operator's connection, \
                 read from {TENANT_ID_ENV}, {API_KEY_ENV} and optionally {HOST_ENV}, \
                 {CLIENT_ID_ENV} and {SCOPE_ENV}",
                match missing.as_slice() {
                    [one] => format!("{one} is"),
                    many => format!("{} are", many.join(" and ")),
                }
            ),
        )
    })
}
