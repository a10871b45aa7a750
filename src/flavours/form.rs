//! The form flavour: the validation schema turned into what form libraries draw.

use super::*;

/// The form flavour: the tool's own inputs (no connection) as a draft-07
/// schema that form libraries draw and validate without extensions.
pub fn form(input: &Value, title: &str, description: &str) -> Value {
    let mut properties = Map::new();
    if let Some(props) = input.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            if Connection::FIELDS.contains(&name.as_str()) {
                continue;
            }
            properties.insert(name.clone(), form_field(name, prop));
        }
    }
    // Each rule is also said in words under the field it is about, where a
    // form shows it (no form library reads `allOf` descriptions).
    for rule in input
        .get(crate::rules::RULES_KEYWORD)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(field) = rule.get("field").and_then(Value::as_str) else {
            continue;
        };
        let Some(words) = rule_words(rule) else {
            continue;
        };
        let words = words.as_str();
        if let Some(Value::Object(prop)) = properties.get_mut(field) {
            let text = prop
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !text.contains(words) {
                let joined = format!("{text} {words}").trim().to_owned();
                prop.insert("description".into(), joined.into());
            }
        }
    }
    let required: Vec<Value> = own_required(input);
    // The catalogue reads a blank optional input as not given (see
    // `schema::normalise`), so the form must not refuse one either: an
    // optional input with a layout also accepts text that is only spaces.
    for (name, prop) in properties.iter_mut() {
        if required.iter().any(|r| r.as_str() == Some(name)) {
            continue;
        }
        if let Some(Value::String(pattern)) = prop.get_mut("pattern") {
            *pattern = format!("{BLANK_PATTERN}|{pattern}");
        }
    }
    let mut schema = Map::new();
    schema.insert("$schema".into(), DRAFT_07.into());
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), plain(description).into());
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("additionalProperties".into(), false.into());
    if let Some(rules) = input.get("allOf") {
        schema.insert("allOf".into(), rules.clone());
    }
    if let Some(deps) = input.get("dependentRequired").and_then(Value::as_object) {
        let own: Map<String, Value> = deps
            .iter()
            .filter(|(k, _)| !Connection::FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !own.is_empty() {
            schema.insert("dependencies".into(), Value::Object(own));
        }
    }
    Value::Object(schema)
}

/// What a blank optional input matches, in front of its layout's pattern.
const BLANK_PATTERN: &str = r"^\s*$";

/// The required inputs that are the tool's own (not the connection's).
pub(super) fn own_required(input: &Value) -> Vec<Value> {
    input
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter(|n| n.as_str().is_some_and(|n| !Connection::FIELDS.contains(&n)))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// One input in the form flavour, with its title.
pub(super) fn form_field(name: &str, prop: &Value) -> Value {
    let mut field = form_schema(prop);
    if let Value::Object(map) = &mut field {
        map.insert("title".into(), field_title(name).into());
        // Title first, for people reading the JSON.
        let title = map.shift_remove("title");
        let mut ordered = Map::new();
        if let Some(t) = title {
            ordered.insert("title".into(), t);
        }
        ordered.extend(std::mem::take(map));
        *map = ordered;
    }
    field
}

/// Any (sub)schema in the form flavour: JSON text drawn as its decoded
/// value, comma lists as arrays, enums as titled options, date layouts as
/// formats, and no custom keywords.
pub(super) fn form_schema(prop: &Value) -> Value {
    let Value::Object(src) = prop else {
        return prop.clone();
    };
    let description = src.get("description").and_then(Value::as_str).map(plain);
    // JSON text: draw the decoded value.
    if let Some(content) = src.get("contentSchema") {
        let mut decoded = form_schema(content);
        if let (Value::Object(map), Some(d)) = (&mut decoded, &description) {
            map.insert("description".into(), d.clone().into());
        }
        if decoded.get("type") == Some(&Value::from("object"))
            && decoded.get("properties").is_none()
        {
            // A free object (custom fields): rows of a name and a value,
            // which every form library draws and which cannot hold a row
            // nobody named (the catalogue reads rows as the object).
            return custom_field_rows(description);
        }
        return decoded;
    }
    // A comma list: an array of its items.
    if let Some(list) = src.get(LIST_KEYWORD) {
        let items = list
            .get("items")
            .map(form_schema)
            .unwrap_or_else(|| json!({"type": "string"}));
        let mut out = Map::new();
        out.insert("type".into(), "array".into());
        out.insert("items".into(), items);
        out.insert("uniqueItems".into(), true.into());
        if let Some(d) = description {
            out.insert("description".into(), d.into());
        }
        return Value::Object(out);
    }
    let mut out = Map::new();
    let date = src.get(DATE_KEYWORD).and_then(Value::as_str);
    for (key, value) in src {
        if key.starts_with("x-") || key == "contentMediaType" {
            continue;
        }
        match key.as_str() {
            "description" => {
                out.insert(
                    key.clone(),
                    plain(value.as_str().unwrap_or_default()).into(),
                );
            }
            "pattern" if matches!(date, Some("date" | "date-time" | "timestamp")) => {}
            "enum" => {
                let descriptions = src.get("x-enumDescriptions").and_then(Value::as_array);
                let options: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, v)| {
                        let mut option = Map::new();
                        option.insert("const".into(), v.clone());
                        option.insert(
                            "title".into(),
                            v.as_str()
                                .map(value_label)
                                .unwrap_or_else(|| v.to_string())
                                .into(),
                        );
                        if let Some(Value::String(d)) = descriptions.and_then(|d| d.get(i)) {
                            option.insert("description".into(), plain(d).into());
                        }
                        Value::Object(option)
                    })
                    .collect();
                out.insert("oneOf".into(), Value::Array(options));
            }
            "properties" => {
                let props: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), form_field(k, v)))
                    .collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                out.insert(key.clone(), form_schema(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    match date {
        Some("date") => {
            out.insert("format".into(), "date".into());
        }
        Some("date-time" | "timestamp") => {
            out.insert("format".into(), "date-time".into());
        }
        _ => {}
    }
    Value::Object(out)
}

/// One `x-rules` entry in words for a person filling in the form: inputs by
/// their titles, values by their labels ("End date must not be before Start
/// date.").
pub(super) fn rule_words(rule: &Value) -> Option<String> {
    let text = |key: &str| rule.get(key).and_then(Value::as_str);
    let field = field_title(text("field")?);
    let other = field_title(text("other")?);
    let value = text("value").map(value_label);
    Some(match (text("rule")?, value) {
        ("requiredUnless", Some(v)) => format!("{field} is required unless {other} is \"{v}\"."),
        ("requiredWhen", Some(v)) => format!("{field} is required when {other} is \"{v}\"."),
        ("absentWhen", Some(v)) => format!("Leave {field} empty when {other} is \"{v}\"."),
        ("notBefore", _) => format!("{field} must not be before {other}."),
        ("requires", _) => format!("{field} can only be given together with {other}."),
        _ => return None,
    })
}

/// A free object (custom fields) as a form draws it: a list of rows, each a
/// name and a text value. The catalogue reads such rows as the object
/// ([`crate::params::JsonObject`]).
fn custom_field_rows(description: Option<String>) -> Value {
    let non_blank = <crate::params::NonBlank as crate::params::TextKind>::PATTERN;
    let mut rows = json!({
        "type": "array",
        "items": {
            "title": "Custom field",
            "type": "object",
            "properties": {
                "name": {
                    "title": "Field name",
                    "type": "string",
                    "minLength": 1,
                    "pattern": non_blank,
                    "description": "The custom field's name as set up in Thrive, e.g. department."
                },
                "value": {
                    "title": "Value",
                    "type": "string",
                    "description": "What to store in it, e.g. Sales."
                }
            },
            "required": ["name", "value"],
            "additionalProperties": false
        }
    });
    if let (Value::Object(map), Some(d)) = (&mut rows, description) {
        map.insert("description".into(), d.into());
    }
    rows
}
