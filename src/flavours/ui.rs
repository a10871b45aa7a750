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
            if prop.get("type") == Some(&Value::from("object")) && prop.get("properties").is_none()
            {
                field.insert(
                    "ui:options".into(),
                    json!({"expandable": true, "addButtonText": "Add field"}),
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
/// uiSchema's order, the paging fields in an "Advanced" group.
pub fn jsonforms_ui(form: &Value) -> Value {
    let control = |name: &str| json!({"type": "Control", "scope": format!("#/properties/{name}")});
    // Free-form objects (custom fields) have no JSON Forms vanilla renderer;
    // they are left to the uiSchema-driven forms.
    let free_object = |name: &str| {
        let prop = &form["properties"][name];
        prop["type"] == "object" && prop.get("properties").is_none()
    };
    let order: Vec<String> = field_order(form)
        .into_iter()
        .filter(|n| !free_object(n))
        .collect();
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
