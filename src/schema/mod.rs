//! JSON Schema generation for tool inputs and outputs, and the normalisation
//! of what form-based hosts send before it is validated.

use crate::error::Violation;
use crate::params::{Connection, PagingOptions};
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};
use std::sync::OnceLock;

mod violations;
pub use violations::*;

/// Removes `"null"` from `type` arrays: in a tool input, null and `""` both
/// mean "absent", and form builders draw a plain field for a plain type.
#[derive(Clone)]
struct DropNullType;

impl Transform for DropNullType {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::Array(types)) = schema.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                schema.insert("type".into(), only);
            }
        }
        // `Option<Enum>` becomes `anyOf: [{enum...}, {type: null}]`.
        if let Some(Value::Array(any)) = schema.get_mut("anyOf") {
            any.retain(|s| s.get("type") != Some(&Value::from("null")));
            if any.len() == 1 {
                let only = any.remove(0);
                schema.remove("anyOf");
                if let Value::Object(map) = only {
                    for (k, v) in map {
                        if schema.get(&k).is_none() {
                            schema.insert(k, v);
                        }
                    }
                }
            }
        }
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
        if schema.get("default") == Some(&Value::Null) {
            schema.remove("default");
        }
        // A documented enum becomes `oneOf: [{const, description}...]`; forms
        // and messages want a plain `enum`, with the descriptions kept aside.
        let consts = schema
            .get("oneOf")
            .and_then(Value::as_array)
            .and_then(|variants| {
                variants
                    .iter()
                    .map(|v| {
                        v.get("const")
                            .cloned()
                            .map(|c| (c, v.get("description").cloned()))
                    })
                    .collect::<Option<Vec<_>>>()
            });
        if let Some(consts) = consts {
            schema.remove("oneOf");
            let descriptions: Vec<Value> = consts
                .iter()
                .map(|(_, d)| d.clone().unwrap_or(Value::Null))
                .collect();
            schema.insert("type".into(), "string".into());
            schema.insert("enum".into(), consts.into_iter().map(|(c, _)| c).collect());
            schema.insert("x-enumDescriptions".into(), descriptions.into());
        }
        transform_content(self, schema);
        transform_subschemas(self, schema);
    }
}

/// Removes the `format`s schemars gives Rust integer and float types
/// (`uint32`, `int64`, `double`, ...): no form library or AI host knows them,
/// and `minimum`/`maximum` say what matters.
#[derive(Clone)]
struct DropNumberFormats;

impl Transform for DropNumberFormats {
    fn transform(&mut self, schema: &mut Schema) {
        let numeric = schema
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(|f| {
                matches!(
                    f,
                    "uint"
                        | "uint8"
                        | "uint16"
                        | "uint32"
                        | "uint64"
                        | "uint128"
                        | "int"
                        | "int8"
                        | "int16"
                        | "int32"
                        | "int64"
                        | "int128"
                        | "float"
                        | "double"
                )
            });
        if numeric {
            schema.remove("format");
            // An unsigned type's implicit lower bound stays; its upper bound
            // (u32::MAX, ...) says nothing to a person.
            if let Some(Value::Number(max)) = schema.get("maximum")
                && max.as_u64().is_some_and(|m| m >= u64::from(u32::MAX))
            {
                schema.remove("maximum");
            }
        }
        transform_content(self, schema);
        transform_subschemas(self, schema);
    }
}

/// Applies `transform` inside `contentSchema` too (the decoded value of a
/// JSON-text input), which schemars does not know as a subschema.
fn transform_content<T: Transform>(transform: &mut T, schema: &mut Schema) {
    if let Some(content) = schema.get_mut("contentSchema")
        && content.is_object()
    {
        let taken = std::mem::take(content);
        if let Ok(mut sub) = Schema::try_from(taken) {
            transform.transform(&mut sub);
            *content = sub.to_value();
        }
    }
}

fn settings() -> SchemaSettings {
    let mut s = SchemaSettings::draft2020_12();
    s.inline_subschemas = true;
    s.meta_schema = None;
    s
}

/// Doc comments wrap lines; a form wants one paragraph per blank line.
#[derive(Clone)]
struct ReflowDescriptions;

impl Transform for ReflowDescriptions {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::String(d)) = schema.get_mut("description") {
            *d = reflow(d);
        }
        if let Some(Value::Array(items)) = schema.get_mut("x-enumDescriptions") {
            for item in items {
                if let Value::String(d) = item {
                    *d = reflow(d);
                }
            }
        }
        transform_content(self, schema);
        transform_subschemas(self, schema);
    }
}

/// Joins wrapped lines; keeps blank-line paragraph breaks.
fn reflow(text: &str) -> String {
    text.split("\n\n")
        .map(|para| {
            para.split('\n')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The schema of an input type, inlined, without null types.
pub fn input_schema_for<T: JsonSchema>() -> Value {
    let mut generator = settings()
        .for_deserialize()
        .with_transform(DropNullType)
        .with_transform(DropNumberFormats)
        .with_transform(ReflowDescriptions)
        .into_generator();
    untitled_root::<T>(&mut generator)
}

/// The schema of an output type, inlined.
pub fn output_schema_for<T: JsonSchema>() -> Value {
    let mut generator = settings()
        .for_serialize()
        .with_transform(DropNumberFormats)
        .with_transform(ReflowDescriptions)
        .into_generator();
    untitled_root::<T>(&mut generator)
}

/// The root schema of `T` from `generator`, without its `title` (a type
/// name, no help to a form).
fn untitled_root<T: JsonSchema>(generator: &mut schemars::SchemaGenerator) -> Value {
    let mut schema = generator.root_schema_for::<T>().to_value();
    if let Value::Object(map) = &mut schema {
        map.remove("title");
    }
    schema
}

/// The whole input schema of a tool: the connection inputs, the tool's own
/// parameters and, for paginated tools, `returnAll`/`maxResults`, as one
/// flat object that refuses unknown properties.
pub fn full_input_schema(params: &Value, paginated: bool, rules: &[crate::rules::Rule]) -> Value {
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    // The shared pieces are generated once, not once per tool.
    static CONNECTION: OnceLock<Value> = OnceLock::new();
    static PAGING: OnceLock<Value> = OnceLock::new();
    let mut parts = vec![
        CONNECTION.get_or_init(input_schema_for::<Connection>),
        params,
    ];
    if paginated {
        parts.push(PAGING.get_or_init(input_schema_for::<PagingOptions>));
    }
    for part in parts {
        if let Some(Value::Object(props)) = part.get("properties") {
            for (k, v) in props {
                properties.insert(k.clone(), v.clone());
            }
        }
        if let Some(Value::Array(req)) = part.get("required") {
            required.extend(req.iter().cloned());
        }
    }
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("additionalProperties".into(), false.into());
    let mut all_rules = vec![crate::rules::Rule::Requires {
        field: "scope",
        needs: "clientId",
        message: "scope is only used with clientId (OAuth); remove it or give clientId",
    }];
    all_rules.extend_from_slice(rules);
    crate::rules::add_to_schema(&mut schema, &all_rules);
    Value::Object(schema)
}

/// The schema the catalogue compiles for its own check: the validation
/// flavour without the cross-field rules, which the tools check themselves
/// with messages worded for people (the tests hold both to the same rules).
pub fn checking_schema(input_schema: &Value) -> Value {
    let mut schema = input_schema.clone();
    if let Value::Object(map) = &mut schema {
        map.remove("allOf");
        map.remove("dependentRequired");
    }
    schema
}

/// Prepares what a host sent for validation, in place:
/// - properties that are `null` or blank strings are removed (absent), and
///   so are empty lists given for a comma-list filter (nothing picked);
/// - a real array or object given for a string-encoded JSON field is turned
///   into its JSON text;
/// - a string holding a number or boolean is converted for number, integer
///   and boolean fields (forms often send every value as text).
pub fn normalise(schema: &Value, input: &mut Value) {
    let Value::Object(map) = input else { return };
    let props = schema.get("properties").and_then(Value::as_object);
    let is_list = |name: &str| {
        props
            .and_then(|p| p.get(name))
            .is_some_and(|p| p.get(crate::params::LIST_KEYWORD).is_some())
    };
    map.retain(|name, v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        // A list filter with nothing picked (a form's `[]` after un-picking
        // every value) is a filter not given.
        Value::Array(items) => !(items.is_empty() && is_list(name)),
        _ => true,
    });
    let Some(props) = props else { return };
    for (name, value) in map.iter_mut() {
        let Some(prop) = props.get(name) else {
            continue;
        };
        // Only what the value's kind needs is looked up: most inputs are
        // text, which needs only the type.
        match value {
            Value::Array(items)
                if items.iter().all(Value::is_string)
                    && prop.get(crate::params::LIST_KEYWORD).is_some() =>
            {
                let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                *value = Value::String(joined.join(","));
            }
            Value::Array(_) | Value::Object(_)
                if prop.get("contentMediaType").and_then(Value::as_str)
                    == Some("application/json") =>
            {
                *value = Value::String(value.to_string());
            }
            Value::String(s) => {
                let t = s.trim();
                match prop.get("type").and_then(Value::as_str) {
                    Some("integer") => {
                        if let Ok(n) = t.parse::<i64>() {
                            *value = n.into();
                        }
                    }
                    Some("number") => {
                        if let Ok(n) = t.parse::<i64>() {
                            *value = n.into();
                        } else if let Some(n) =
                            t.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
                        {
                            *value = Value::Number(n);
                        }
                    }
                    Some("boolean") => match t {
                        "true" => *value = true.into(),
                        "false" => *value = false.into(),
                        _ => {}
                    },
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blank_values_are_absent_and_json_fields_stringified() {
        let schema = json!({"properties": {
            "users": {"type": "string", "contentMediaType": "application/json"},
            "page": {"type": "integer"},
            "isRPL": {"type": "boolean"},
            "name": {"type": "string"}
        }});
        let mut input = json!({"users": ["a", "b"], "page": " 2 ", "isRPL": "false",
            "name": "   ", "host": "", "other": null});
        normalise(&schema, &mut input);
        assert_eq!(
            input,
            json!({"users": "[\"a\",\"b\"]", "page": 2, "isRPL": false})
        );
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;
    use serde::Deserialize;

    /// Dummy.
    #[derive(Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct P {
        /// Page number for pagination (default 1).
        #[schemars(range(min = 1))]
        page: Option<u32>,
        /// Per page.
        #[schemars(range(min = 1, max = 1000))]
        per_page: Option<u32>,
    }

    #[test]
    fn whole_numbers_are_integers_without_rust_formats() {
        let s = input_schema_for::<P>();
        assert_eq!(
            s["properties"]["perPage"],
            serde_json::json!({"type": "integer", "minimum": 1, "maximum": 1000,
                "description": "Per page."})
        );
        assert_eq!(
            s["properties"]["page"],
            serde_json::json!({"type": "integer", "minimum": 1,
                "description": "Page number for pagination (default 1)."})
        );
    }
}
