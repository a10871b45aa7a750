//! UI hints for the form flavour (RJSF `uiSchema`, JSON Forms layouts).

use super::*;

/// The RJSF uiSchema for a form flavour: field order (required first, paging
/// last), dropdown sources, placeholders, and an "Advanced" group hint.
pub fn ui(form: &Value, input: &Value) -> Value {
    let mut ui = Map::new();
    let order = field_order(form);
    let mut with_rest: Vec<Value> = order.iter().map(|s| Value::from(s.as_str())).collect();
    with_rest.push("*".into());
    ui.insert("ui:order".into(), Value::Array(with_rest));
    let advanced: Vec<&str> = order
        .iter()
        .map(String::as_str)
        .filter(|f| PAGING_FIELDS.contains(f))
        .collect();
    if !advanced.is_empty() {
        ui.insert(
            "ui:options".into(),
            json!({"groups": [{"title": "Advanced", "fields": advanced}]}),
        );
    }
    let input_props = input.get("properties").and_then(Value::as_object);
    if let Some(props) = form.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let mut field = Map::new();
            let source = input_props
                .and_then(|p| p.get(name))
                .and_then(|p| p.get(options::KEYWORD));
            let is_array = prop.get("type") == Some(&Value::from("array"));
            if let Some(source) = source {
                let hint = json!({"ui:options": {options::KEYWORD: source}});
                if is_array {
                    field.insert("items".into(), hint);
                } else if let Value::Object(h) = hint {
                    field.extend(h);
                }
            }
            if let Some(placeholder) = placeholder(prop) {
                field.insert("ui:placeholder".into(), placeholder.into());
            }
            if is_array && prop.pointer("/items/type") == Some(&Value::from("object")) {
                let noun = prop
                    .pointer("/items/title")
                    .and_then(Value::as_str)
                    .map(str::to_lowercase)
                    .unwrap_or_else(|| "row".to_owned());
                field.insert(
                    "ui:options".into(),
                    json!({"orderable": false, "addButtonText": format!("Add {noun}")}),
                );
            }
            if !field.is_empty() {
                ui.insert(name.clone(), Value::Object(field));
            }
        }
    }
    Value::Object(ui)
}

/// An example a text box can show while empty.
pub(super) fn placeholder(prop: &Value) -> Option<&'static str> {
    if let Some(pattern) = prop.get("pattern").and_then(Value::as_str) {
        if pattern.contains("T\\d{2}") {
            return Some("2020-11-17T09:50:00");
        }
        if pattern.contains("( \\d{2}") {
            return Some("2020-09-25 00:00:00");
        }
    }
    None
}

/// Required fields first (in schema order), then the optional ones, then
/// the paging fields.
pub(super) fn field_order(form: &Value) -> Vec<String> {
    let names: Vec<String> = form
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let required: Vec<&str> = form
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut order: Vec<String> = names
        .iter()
        .filter(|n| required.contains(&n.as_str()))
        .cloned()
        .collect();
    order.extend(
        names
            .iter()
            .filter(|n| !required.contains(&n.as_str()) && !PAGING_FIELDS.contains(&n.as_str()))
            .cloned(),
    );
    order.extend(
        PAGING_FIELDS
            .iter()
            .filter(|p| names.iter().any(|n| n == *p))
            .map(|p| (*p).to_owned()),
    );
    order
}

/// A JSON Forms layout for a form flavour: one control per field in the
/// uiSchema's order, the paging fields in an "Advanced" group. A list of
/// objects gets a `detail` layout with a control for every field of an item,
/// nested objects (a manager's permissions) as groups of their fields, so
/// JSON Forms draws every input; a required list's label carries the
/// required mark JSON Forms' list renderers leave out.
pub fn jsonforms_ui(form: &Value) -> Value {
    let required: Vec<&str> = form
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let control = |name: &str| {
        let prop = &form["properties"][name];
        let mut control = json!({"type": "Control", "scope": format!("#/properties/{name}")});
        if prop["type"] == "array" {
            if required.contains(&name)
                && let Some(title) = prop.get("title").and_then(Value::as_str)
            {
                control["label"] = format!("{title}*").into();
            }
            // JSON Forms draws a list of flat objects as a table; one with
            // nested objects needs the layout of an item.
            let nested = prop
                .pointer("/items/properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.values().any(|f| f.get("properties").is_some()));
            if nested {
                control["options"] = json!({"detail": detail_layout(&prop["items"], "#")});
            }
        }
        control
    };
    let order: Vec<String> = field_order(form);
    let mut elements: Vec<Value> = order
        .iter()
        .filter(|n| !PAGING_FIELDS.contains(&n.as_str()))
        .map(|n| control(n))
        .collect();
    let advanced: Vec<Value> = order
        .iter()
        .filter(|n| PAGING_FIELDS.contains(&n.as_str()))
        .map(|n| control(n))
        .collect();
    if !advanced.is_empty() {
        elements.push(json!({"type": "Group", "label": "Advanced", "elements": advanced}));
    }
    json!({"type": "VerticalLayout", "elements": elements})
}

/// The layout of one object: a control per field, a group per nested object
/// (recursively), scopes relative to `scope` (the object itself).
fn detail_layout(object: &Value, scope: &str) -> Value {
    let mut elements = Vec::new();
    for (name, prop) in object
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let here = format!("{scope}/properties/{name}");
        if prop.get("properties").is_some() {
            let mut group = detail_layout(prop, &here);
            group["type"] = "Group".into();
            group["label"] = prop
                .get("title")
                .cloned()
                .unwrap_or_else(|| Value::from(name.as_str()));
            elements.push(group);
        } else {
            elements.push(json!({"type": "Control", "scope": here}));
        }
    }
    json!({"type": "VerticalLayout", "elements": elements})
}
