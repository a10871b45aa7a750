//! The block server described as an OpenAPI 3.1 document (`GET
//! /openapi.json`), generated from the catalogue: every route, each tool's
//! input schema as the request body of its `validate`, `dry-run` and `run`
//! paths, its output schema as the `run` response, and the error object.
//!
//! OpenAPI 3.1 schema objects are JSON Schema 2020-12, the dialect of the
//! manifests, so the tools' schemas are used as they are (without the
//! top-level `$schema`, which the document states once in
//! `jsonSchemaDialect`).

use crate::catalogue::Catalogue;
use crate::params::Connection;
use serde_json::{Map, Value, json};

/// What the document depends on besides the catalogue.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenApiOptions {
    /// The server fills in a default connection, so the connection inputs
    /// are optional in request bodies.
    pub default_connection: bool,
    /// The server requires `Authorization: Bearer <token>`.
    pub token: bool,
}

/// The statuses a failed tool call may answer with (see the block server's
/// documentation), each with the error object as body.
const TOOL_ERROR_STATUSES: [(&str, &str); 9] = [
    ("400", "The body is not a JSON object."),
    (
        "401",
        "The server's bearer token is missing or wrong (only when the server requires one).",
    ),
    (
        "403",
        "The host is not a Thrive region host nor allowed by the operator.",
    ),
    (
        "408",
        "The request body did not arrive within the body timeout; nothing was run.",
    ),
    ("413", "The body is larger than 1 MiB."),
    (
        "422",
        "The input is invalid; every violation is in error.details. Nothing was sent.",
    ),
    (
        "429",
        "Thrive rate-limited the tenant and retries ran out; Retry-After may say when to retry.",
    ),
    (
        "502",
        "Thrive refused the call (its status is in error.status) or could not be reached.",
    ),
    ("504", "The call to Thrive timed out."),
];

/// The error object every failure answers with.
pub fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "retryable", "attempts"],
                "properties": {
                    "code": {"type": "string", "description": "A stable code, e.g. invalid_input, not_found, rate_limited."},
                    "message": {"type": "string", "description": "What went wrong, for people."},
                    "status": {"type": "integer", "description": "Thrive's own HTTP status, when Thrive answered."},
                    "details": {"description": "For invalid_input: the violations, [{pointer, message}]; otherwise Thrive's structured message."},
                    "retryable": {"type": "boolean"},
                    "delivery": {"type": "string", "enum": ["not_sent", "sent_no_answer", "answered"], "description": "Whether the request reached Thrive: not_sent (safe to repeat), sent_no_answer (a write may or may not have happened), answered (Thrive answered with status)."},
                    "attempts": {"type": "integer", "minimum": 0}
                }
            }
        }
    })
}

fn json_content(schema: Value) -> Value {
    json!({"application/json": {"schema": schema}})
}

fn error_ref() -> Value {
    json!({"$ref": "#/components/schemas/Error"})
}

/// The error responses for `statuses`.
fn errors(statuses: &[&str]) -> Map<String, Value> {
    TOOL_ERROR_STATUSES
        .iter()
        .filter(|(s, _)| statuses.contains(s))
        .map(|(status, why)| {
            (
                (*status).to_owned(),
                json!({"description": why, "content": json_content(error_ref())}),
            )
        })
        .collect()
}

/// A response map with a 200 of `schema` plus the error responses.
fn responses(ok: &str, schema: Value, error_statuses: &[&str]) -> Value {
    let mut map = Map::new();
    map.insert(
        "200".into(),
        json!({"description": ok, "content": json_content(schema)}),
    );
    map.extend(errors(error_statuses));
    Value::Object(map)
}

/// A tool's input schema as a request body: without `$schema`, and with the
/// connection inputs optional when the server has a default connection.
fn request_schema(input: &Value, default_connection: bool) -> Value {
    let mut schema = input.clone();
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
        if let (true, Some(Value::Array(required))) = (default_connection, map.get_mut("required"))
        {
            required.retain(|r| {
                r.as_str()
                    .is_none_or(|name| !Connection::FIELDS.contains(&name))
            });
        }
    }
    schema
}

/// The schema of a dry run's answer.
fn dry_run_schema() -> Value {
    json!({
        "type": "object",
        "required": ["method", "url", "headers"],
        "properties": {
            "method": {"type": "string"},
            "url": {"type": "string"},
            "headers": {"type": "object", "additionalProperties": {"type": "string"},
                        "description": "The request headers; Authorization is masked."},
            "body": {"description": "The JSON body that would be sent, if any."}
        }
    })
}

/// The OpenAPI 3.1 document of a block server serving `catalogue`.
pub fn document(catalogue: &Catalogue, options: OpenApiOptions) -> Value {
    let all_errors = [
        "400", "401", "403", "408", "413", "422", "429", "502", "504",
    ];
    let local_errors = ["400", "401", "403", "408", "413", "422"];
    let ids: Vec<&str> = catalogue.tools().map(|t| t.meta().id).collect();
    let mut paths = Map::new();
    paths.insert(
        "/healthz".into(),
        json!({"get": {
            "operationId": "healthz",
            "summary": "Liveness: the number of tools (never needs the token).",
            "security": [],
            "responses": {"200": {"description": "The server is up.", "content": json_content(json!({
                "type": "object", "required": ["status", "tools"],
                "properties": {"status": {"const": "ok"}, "tools": {"type": "integer", "minimum": 0}}
            }))}}
        }}),
    );
    paths.insert(
        "/tools".into(),
        json!({"get": {
            "operationId": "listTools",
            "summary": "Every tool: id, title, description, version and hints.",
            "responses": responses("The tools.", json!({"type": "array", "items": {
                "type": "object", "required": ["id", "title", "description", "version", "hints"],
                "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"},
                    "description": {"type": "string"}, "version": {"type": "string"},
                    "hints": {"type": "object"}
                }
            }}), &["401"])
        }}),
    );
    let id_param = json!({"name": "id", "in": "path", "required": true,
                          "schema": {"type": "string", "enum": ids}});
    let mut manifest_responses = responses(
        "The tool's manifest: schemas, hints, paging, batching.",
        json!({"type": "object", "required": ["id", "inputSchema", "outputSchema"]}),
        &["401"],
    );
    if let Value::Object(map) = &mut manifest_responses {
        map.insert(
            "404".into(),
            json!({"description": "No tool has this id.", "content": json_content(error_ref())}),
        );
    }
    paths.insert(
        "/tools/{id}".into(),
        json!({"get": {
            "operationId": "getTool",
            "summary": "A tool's manifest.",
            "parameters": [id_param],
            "responses": manifest_responses
        }}),
    );
    for tool in catalogue.tools() {
        let meta = tool.meta();
        let id = meta.id;
        let body = json!({"required": true, "content": json_content(request_schema(tool.input_schema(), options.default_connection))});
        let mut output = tool.output_schema().clone();
        if let Value::Object(map) = &mut output {
            map.remove("$schema");
        }
        paths.insert(
            format!("/tools/{id}/validate"),
            json!({"post": {
                "operationId": format!("validate_{id}"),
                "summary": format!("Validate the input of \"{}\" without sending anything.", meta.title),
                "tags": [id],
                "requestBody": body,
                "responses": responses("The input is valid.", json!({
                    "type": "object", "required": ["valid"], "properties": {"valid": {"const": true}}
                }), &local_errors)
            }}),
        );
        paths.insert(
            format!("/tools/{id}/dry-run"),
            json!({"post": {
                "operationId": format!("dryRun_{id}"),
                "summary": format!("The request \"{}\" would send, credentials masked.", meta.title),
                "tags": [id],
                "requestBody": body,
                "responses": responses("The request that would be sent.", dry_run_schema(), &local_errors)
            }}),
        );
        paths.insert(
            format!("/tools/{id}/run"),
            json!({"post": {
                "operationId": format!("run_{id}"),
                "summary": meta.title,
                "description": meta.description,
                "tags": [id],
                "requestBody": body,
                "responses": responses(
                    "The tool's output (a Thrive 207 is a 200 with \"partial\": true).",
                    output,
                    &all_errors,
                )
            }}),
        );
    }
    let field_param =
        json!({"name": "field", "in": "path", "required": true, "schema": {"type": "string"}});
    let options_schema = json!({
        "type": "object", "required": ["options", "page", "hasMore"],
        "properties": {
            "options": {"type": "array", "items": {
                "type": "object", "required": ["value", "label"],
                "properties": {"value": {"type": "string"}, "label": {"type": "string"}}
            }},
            "page": {"type": "integer", "minimum": 1},
            "hasMore": {"type": "boolean"}
        }
    });
    let mut options_responses = responses(
        "The options of the field's dropdown.",
        options_schema,
        &all_errors,
    );
    if let Value::Object(map) = &mut options_responses {
        map.insert(
            "404".into(),
            json!({"description": "No such tool, or the field has no dropdown source.", "content": json_content(error_ref())}),
        );
    }
    let mut connection_props = Map::new();
    for field in Connection::FIELDS {
        connection_props.insert(field.into(), json!({"type": "string"}));
    }
    connection_props.insert("q".into(), json!({"type": "string"}));
    connection_props.insert(
        "page".into(),
        json!({"type": "integer", "minimum": 1, "maximum": 100000}),
    );
    paths.insert(
        "/tools/{id}/options/{field}".into(),
        json!({
            "get": {
                "operationId": "fieldOptions",
                "summary": "A dropdown's options, fetched with the server's default connection.",
                "description": "Runs a read with the server's default connection, so it answers only the server's own pages (Sec-Fetch-Site same-origin or none, or a same-origin Origin or Referer) or a caller with the bearer token; anyone else gets 403.",
                "parameters": [
                    id_param, field_param,
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}}
                ],
                "responses": options_responses
            },
            "post": {
                "operationId": "fieldOptionsWithConnection",
                "summary": "A dropdown's options, fetched with the connection in the body (or the default one).",
                "parameters": [id_param, field_param],
                "requestBody": {"required": true, "content": json_content(json!({
                    "type": "object", "properties": connection_props, "additionalProperties": false
                }))},
                "responses": options_responses
            }
        }),
    );
    paths.insert(
        "/playground/config".into(),
        json!({"get": {
            "operationId": "playgroundConfig",
            "summary": "Whether the server has a default connection (its tenant id, never its key).",
            "responses": responses("The playground's settings.", json!({
                "type": "object", "required": ["defaultConnection"],
                "properties": {"defaultConnection": {"type": "boolean"}, "tenantId": {"type": "string"}}
            }), &["401"])
        }}),
    );
    paths.insert(
        "/openapi.json".into(),
        json!({"get": {
            "operationId": "openapi",
            "summary": "This document.",
            "responses": responses("The OpenAPI document.", json!({"type": "object"}), &["401"])
        }}),
    );
    paths.insert(
        "/ui".into(),
        json!({"get": {
            "operationId": "playground",
            "summary": "The block playground: every tool's form in a browser (never needs the token).",
            "security": [],
            "responses": {"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}}}
        }}),
    );
    let mut doc = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "thrive-blocks block server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Every documented Thrive Learning API operation as a tool block: list, describe, validate, dry-run and run tools with plain JSON."
        },
        "paths": paths,
        "components": {"schemas": {"Error": error_schema()}}
    });
    if options.token {
        doc["components"]["securitySchemes"] =
            json!({"bearer": {"type": "http", "scheme": "bearer"}});
        doc["security"] = json!([{"bearer": []}]);
    }
    doc
}
