//! The portable and strict flavours, for tools that read only the common core
//! of JSON Schema.

use super::*;

/// The portable flavour, for AI hosts: the subset of JSON Schema that
/// Gemini's function declarations accept (and every other client does):
/// single types, plain `enum`s, no `$schema`, `additionalProperties`,
/// formats, patterns or custom keywords. What those would have said is
/// written into the descriptions instead, and JSON objects without named
/// properties are taken as JSON text.
pub fn portable(form: &Value) -> Value {
    let mut out = portable_schema(form, true);
    if let Value::Object(map) = &mut out {
        // The root is always an object, even for a tool without inputs.
        map.insert("type".into(), "object".into());
        map.entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        map.remove("additionalProperties");
    }
    if let Value::Object(map) = &mut out {
        let rules = rules_text(form);
        if !rules.is_empty() {
            let d = map
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            map.insert("description".into(), format!("{d} {rules}").trim().into());
        }
    }
    out
}

/// `input`: JSON objects without named properties become JSON text (a
/// model cannot be given a free-form object); in outputs they stay objects.
pub(super) fn portable_schema(schema: &Value, input: bool) -> Value {
    let Value::Object(src) = schema else {
        // `true` (any value) as a schema: Gemini needs an object with a type.
        return json!({"type": "string", "description": "Any JSON value, as Thrive sent it."});
    };
    let mut description = src
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut note = |text: String| {
        if !description.is_empty() && !description.ends_with('.') {
            description.push('.');
        }
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&text);
    };
    // (The root, which carries `$schema`, is the tool's parameters: never text.)
    let is_free_object = input
        && src.get("$schema").is_none()
        && src.get("type") == Some(&Value::from("object"))
        && src
            .get("properties")
            .is_none_or(|p| p.as_object().is_some_and(Map::is_empty));
    if is_free_object {
        note("Give a JSON object as text, e.g. {\"department\":\"Sales\"}.".into());
        let mut out = Map::new();
        out.insert("type".into(), "string".into());
        if let Some(t) = src.get("title") {
            out.insert("title".into(), t.clone());
        }
        out.insert("description".into(), description.into());
        return Value::Object(out);
    }
    match src.get("format").and_then(Value::as_str) {
        Some("date") => note("Format: YYYY-MM-DD.".into()),
        Some("date-time") => note("Format: ISO 8601 date-time, e.g. 2024-04-02T13:45:00Z.".into()),
        Some("email") => note("An email address.".into()),
        _ => {}
    }
    if src.get("pattern").and_then(Value::as_str)
        == Some(<crate::params::HexId as crate::params::TextKind>::PATTERN)
    {
        note(format!(
            "Must be {}.",
            <crate::params::HexId as crate::params::TextKind>::EXPECTED
        ));
    }
    if let Some(p) = placeholder(schema) {
        note(format!("Format: as in {p}."));
    }
    let mut out = Map::new();
    for (key, value) in src {
        match key.as_str() {
            "oneOf" => {
                let values: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o.get("const").cloned())
                    .collect();
                out.insert("type".into(), "string".into());
                out.insert("enum".into(), Value::Array(values));
            }
            "properties" => {
                let props: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), portable_schema(v, input)))
                    .collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                out.insert(key.clone(), portable_schema(value, input));
            }
            "type" => {
                // `["string", "null"]` becomes `string` + `nullable`.
                match value {
                    Value::Array(types) => {
                        let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
                        out.insert(
                            "type".into(),
                            non_null
                                .first()
                                .map(|t| (*t).clone())
                                .unwrap_or("string".into()),
                        );
                        if non_null.len() < types.len() {
                            out.insert("nullable".into(), true.into());
                        }
                    }
                    other => {
                        out.entry("type").or_insert_with(|| other.clone());
                    }
                }
            }
            "anyOf" => {
                // `anyOf: [X, {type: null}]` becomes X + `nullable`.
                let variants: Vec<&Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|v| v.get("type") != Some(&Value::from("null")))
                    .collect();
                if let Some(Value::Object(first)) =
                    variants.first().map(|v| portable_schema(v, input))
                {
                    for (k, v) in first {
                        out.entry(k).or_insert(v);
                    }
                    out.insert("nullable".into(), true.into());
                }
            }
            "description" => {}
            k if PORTABLE_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if !description.is_empty() {
        out.insert("description".into(), description.into());
    }
    if out.get("type").is_none() && out.get("properties").is_some() {
        out.insert("type".into(), "object".into());
    }
    if out.get("type").is_none() {
        // Any JSON value (passed through as Thrive sent it): Gemini needs a
        // type, and a string is what a model can read it as.
        out.insert("type".into(), "string".into());
        let d = out
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        out.insert(
            "description".into(),
            format!("{d} Any JSON value, as Thrive sent it.")
                .trim()
                .into(),
        );
    }
    Value::Object(out)
}

/// The cross-field rules of a form flavour, as sentences for a model.
pub(super) fn rules_text(form: &Value) -> String {
    let mut out = Vec::new();
    for rule in form
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(text) = rule.get("description").and_then(Value::as_str) {
            out.push(text.to_owned());
        }
    }
    if let Some(deps) = form.get("dependencies").and_then(Value::as_object) {
        for (field, needs) in deps {
            let needs: Vec<&str> = needs
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            out.push(format!(
                "{field} may only be given with {}.",
                needs.join(", ")
            ));
        }
    }
    out.join(" ")
}

/// The strict flavour for OpenAI's strict function calling: every property
/// listed in `required`, the optional ones nullable (null means absent, as
/// for every host), `additionalProperties: false` on every object, and only
/// the keywords strict mode supports.
pub fn strict(form: &Value) -> Value {
    let portable = portable(form);
    strict_schema(&portable, true)
}

pub(super) fn strict_schema(schema: &Value, required: bool) -> Value {
    let Value::Object(src) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for key in [
        "type",
        "title",
        "description",
        "enum",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
    ] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(items) = src.get("items") {
        out.insert("items".into(), strict_schema(items, true));
    }
    if let Some(Value::Object(props)) = src.get("properties") {
        let required_here: Vec<&str> = src
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let props: Map<String, Value> = props
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    strict_schema(v, required_here.contains(&k.as_str())),
                )
            })
            .collect();
        let all: Vec<Value> = props.keys().map(|k| Value::from(k.as_str())).collect();
        out.insert("properties".into(), Value::Object(props));
        out.insert("required".into(), Value::Array(all));
        out.insert("additionalProperties".into(), false.into());
    }
    let nullable = !required || src.get("nullable") == Some(&Value::Bool(true));
    if nullable && let Some(Value::String(t)) = out.get("type").cloned() {
        out.insert("type".into(), json!([t, "null"]));
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            values.push(Value::Null);
        }
    }
    Value::Object(out)
}

/// The output schema under the portable rules (no type arrays, no formats,
/// no `$schema`): for AI hosts that read output schemas.
pub fn portable_output(output: &Value) -> Value {
    portable_schema(output, false)
}
