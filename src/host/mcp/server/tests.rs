use super::McpServer;
use crate::api::Context;
use crate::catalogue::Catalogue;
use crate::host::mcp::tools::{mcp_tool, model_input_schema, object_subschemas, scrub};
use crate::params::Connection;
use rmcp::model::JsonObject;
use serde_json::{Value, json};

#[test]
fn model_schema_drops_the_connection_inputs() {
    let full = json!({
        "type": "object",
        "properties": {
            "tenantId": {"type": "string", "x-thrive-credential": true},
            "apiKey": {"type": "string", "writeOnly": true, "x-thrive-credential": true},
            "host": {"type": "string", "x-thrive-credential": true},
            "audienceId": {"type": "string"}
        },
        "required": ["tenantId", "apiKey", "audienceId"],
        "additionalProperties": false
    });
    assert_eq!(
        Value::Object(model_input_schema(&full)),
        json!({
            "type": "object",
            "properties": {"audienceId": {"type": "string"}},
            "required": ["audienceId"],
            "additionalProperties": false
        })
    );
}

#[test]
fn every_catalogue_tool_hides_its_credentials() {
    for tool in Catalogue::global().tools() {
        let mcp = mcp_tool(tool);
        let props = mcp.input_schema["properties"].as_object();
        let props = props.map(|p| p.keys().cloned().collect::<Vec<_>>());
        for name in Connection::FIELDS {
            assert!(
                !props.iter().flatten().any(|p| p == name),
                "{}: {name}",
                mcp.name
            );
        }
        assert_eq!(mcp.input_schema["type"], "object");
    }
}

#[test]
fn scrub_replaces_the_secret_in_strings_and_keys() {
    let mut v = json!({"a": "x-s3cr3t-value-y", "s3cr3t-value": [1, "s3cr3t-value"]});
    scrub(&mut v, "s3cr3t-value");
    assert_eq!(v, json!({"a": "x-***-y", "***": [1, "***"]}));
}

#[test]
fn credentials_in_arguments_are_refused_by_name() {
    let server = McpServer::new(
        Catalogue::global(),
        Context::builder().build(),
        Connection::basic("eu-west-2_Abc", "s3cr3t-value"),
    );
    let mut args = JsonObject::new();
    args.insert("host".into(), "evil.example.com".into());
    args.insert("apiKey".into(), Value::Null);
    let e = server.input_for(Some(args)).err();
    let pointers: Vec<String> = e
        .map(|e| e.violations().into_iter().map(|v| v.pointer).collect())
        .unwrap_or_default();
    assert_eq!(pointers, ["/apiKey", "/host"]);

    let input = server.input_for(None).ok();
    assert_eq!(
        input,
        Some(json!({"tenantId": "eu-west-2_Abc", "apiKey": "s3cr3t-value"}))
    );
    let dbg = format!("{server:?}");
    assert!(!dbg.contains("s3cr3t"), "{dbg}");
}

#[test]
fn output_subschemas_that_are_true_become_empty_objects_and_nothing_else_changes() {
    let mut schema = json!({
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": true},
            "flag": {"type": "boolean", "const": true, "default": true, "enum": [true]},
            "extra": {"type": "object", "additionalProperties": true},
            "either": {"anyOf": [true, {"type": "null"}]},
            "deep": {"type": "array", "items": {"type": "object", "properties": {"x": true}}}
        },
        "$defs": {"any": true}
    });
    object_subschemas(&mut schema);
    assert_eq!(
        schema,
        json!({
            "type": "object",
            "properties": {
                "tags": {"type": "array", "items": {}},
                "flag": {"type": "boolean", "const": true, "default": true, "enum": [true]},
                "extra": {"type": "object", "additionalProperties": true},
                "either": {"anyOf": [{}, {"type": "null"}]},
                "deep": {"type": "array", "items": {"type": "object", "properties": {"x": {}}}}
            },
            "$defs": {"any": {}}
        })
    );
}

#[test]
fn no_listed_output_schema_has_a_bare_true_subschema() {
    fn walk(value: &Value, path: &str, id: &str) {
        match value {
            Value::Object(map) => {
                for (key, sub) in map {
                    if matches!(key.as_str(), "items" | "anyOf" | "oneOf" | "allOf")
                        || path.ends_with("/properties")
                    {
                        assert_ne!(sub, &Value::Bool(true), "{id}{path}/{key}");
                    }
                    walk(sub, &format!("{path}/{key}"), id);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, path, id)),
            _ => {}
        }
    }
    let mut rewritten = Vec::new();
    for tool in Catalogue::global().tools() {
        let mcp = mcp_tool(tool);
        let listed = Value::Object((*mcp.output_schema.unwrap()).clone());
        walk(&listed, "", tool.meta().id);
        if &listed != tool.output_schema() {
            rewritten.push(tool.meta().id);
        }
    }
    // The outputs with lists of items Thrive does not describe.
    assert_eq!(
        rewritten,
        [
            "thrive_get_tag",
            "thrive_get_user_by_id",
            "thrive_list_tags",
            "thrive_search_users"
        ]
    );
}
