//! One rule, stated once, checked in both places: for every tool and
//! trigger, what the form flavour refuses the catalogue refuses too, naming
//! the same field, and what the form lets a person produce by un-picking or
//! leaving a row alone is either refused by both or accepted by both.

use super::flavours::{connection, example, form_validator};
use serde_json::{Map, Value, json};
use thrive_blocks::Catalogue;
use thrive_blocks::flavours::Flavour;

const NOT_AN_ID: &str =
    "must be a Thrive id: 24 characters, digits 0-9 and letters a-f, like 507f1f77bcf86cd799439011";

/// A value of the tool's form with every required input filled in that
/// both the form and the catalogue accept.
fn base(id: &str, form: &Value) -> Map<String, Value> {
    let mut value = example(form, true);
    if id == "thrive_create_user" {
        value["email"] = json!("jane@example.com");
    }
    value.as_object().cloned().unwrap_or_default()
}

/// The pointers the catalogue faults in `value` (connection added).
fn refused(id: &str, value: &Map<String, Value>) -> Vec<String> {
    let mut input = connection();
    input.extend(value.clone());
    match Catalogue::global().validate(id, Value::Object(input)) {
        Ok(()) => Vec::new(),
        Err(e) => e.violations().into_iter().map(|v| v.pointer).collect(),
    }
}

/// The pointers the form flavour faults in `value`.
fn form_refuses(form: &Value, value: &Map<String, Value>) -> Vec<String> {
    form_validator(form)
        .iter_errors(&Value::Object(value.clone()))
        .map(|e| e.instance_path().to_string())
        .collect()
}

#[test]
fn every_required_text_input_refuses_blank_in_the_form_and_in_the_tool() {
    let cat = Catalogue::global();
    let mut checked = 0;
    for tool in cat.tools() {
        let id = tool.meta().id;
        let form = tool.schema(Flavour::Form);
        let required: Vec<&str> = form["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for field in required {
            let prop = &form["properties"][field];
            if prop["type"] != "string" || prop.get("oneOf").is_some() {
                continue;
            }
            // A date's format or layout pattern refuses blank text by itself.
            assert!(
                prop["minLength"].as_u64().is_some_and(|n| n >= 1) && prop["pattern"].is_string()
                    || prop["format"].is_string()
                    || prop["pattern"]
                        .as_str()
                        .is_some_and(|p| p.starts_with("^\\d")),
                "{id}.{field}: the form states no minLength and pattern: {prop}"
            );
            let mut value = base(id, &form);
            assert_eq!(refused(id, &value), Vec::<String>::new(), "{id} base value");
            value.insert(field.into(), json!("   "));
            let pointer = format!("/{field}");
            assert!(
                form_refuses(&form, &value).contains(&pointer),
                "{id}: the form accepts a blank {field}"
            );
            assert!(
                refused(id, &value).contains(&pointer),
                "{id}: the tool accepts a blank {field}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} required text inputs checked");
}

#[test]
fn the_connection_form_refuses_a_blank_tenant_id_and_api_key() {
    let tool = Catalogue::global().get("thrive_get_user_by_ref").unwrap();
    let conn = tool.schema(Flavour::Connection);
    let validator = form_validator(&conn);
    for field in ["tenantId", "apiKey"] {
        let mut value = connection();
        value.insert(field.into(), json!("  "));
        let faulted: Vec<String> = validator
            .iter_errors(&Value::Object(value))
            .map(|e| e.instance_path().to_string())
            .collect();
        assert_eq!(faulted, vec![format!("/{field}")], "{field}");
        let mut input = connection();
        input.insert("ref".into(), json!("EMP-00001"));
        input.insert(field.into(), json!("  "));
        let err = Catalogue::global()
            .validate("thrive_get_user_by_ref", Value::Object(input))
            .unwrap_err();
        let got: Vec<(String, String)> = err
            .violations()
            .into_iter()
            .map(|v| (v.pointer, v.message))
            .collect();
        assert_eq!(
            got,
            vec![(format!("/{field}"), format!("{field} is required"))]
        );
    }
}

/// The comma-list filters a form draws as multi-selects or rows: a person
/// who picks a value and un-picks it sends `[]`, which both the form and the
/// tool take as the filter not given.
#[test]
fn an_empty_list_filter_is_a_filter_not_given_in_the_form_and_in_the_tool() {
    let cat = Catalogue::global();
    let fields = [
        ("thrive_search_users", "statuses"),
        ("thrive_search_users", "omitStatuses"),
        ("thrive_query_activities", "actions"),
        ("thrive_query_activities", "omitActions"),
        ("thrive_query_activities", "contentIds"),
        ("thrive_query_content", "types"),
        ("thrive_query_content", "omitTypes"),
        ("thrive_query_cpd_user_summaries", "userIds"),
    ];
    let mut found = Vec::new();
    for tool in cat.tools() {
        for (name, prop) in tool.input_schema()["properties"].as_object().unwrap() {
            if prop.get("x-thrive-list").is_some() {
                found.push((tool.meta().id, name.clone()));
            }
        }
    }
    let mut expected: Vec<(&str, String)> =
        fields.iter().map(|(t, f)| (*t, f.to_string())).collect();
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "the list filters");
    for (id, field) in fields {
        let tool = cat.get(id).unwrap();
        let form = tool.schema(Flavour::Form);
        assert_eq!(
            form["properties"][field].get("minItems"),
            None,
            "{id}.{field}"
        );
        let mut value = base(id, &form);
        value.insert(field.into(), json!([]));
        assert_eq!(
            form_refuses(&form, &value),
            Vec::<String>::new(),
            "{id}.{field}: form"
        );
        assert_eq!(
            refused(id, &value),
            Vec::<String>::new(),
            "{id}.{field}: tool"
        );
        let mut input = connection();
        input.extend(value);
        let plan = cat
            .dry_run(id, Value::Object(input), &thrive_blocks::Context::default())
            .unwrap();
        assert!(
            !plan.url.contains(&format!("{field}=")),
            "{id}: an empty {field} is sent: {}",
            plan.url
        );
    }
}

#[test]
fn documented_hex_ids_carry_their_pattern_and_the_tool_refuses_anything_else() {
    let cat = Catalogue::global();
    let mut hex = Vec::new();
    for tool in cat.tools() {
        let id = tool.meta().id;
        let form = tool.schema(Flavour::Form);
        for (name, prop) in tool.input_schema()["properties"].as_object().unwrap() {
            let list_item = prop.pointer("/x-thrive-list/items");
            let marked = |p: &Value| p.get("x-thrive-text") == Some(&json!("hex-id"));
            if !marked(prop) && !list_item.is_some_and(marked) {
                continue;
            }
            hex.push(format!("{id}.{name}"));
            let in_form = &form["properties"][name];
            let pattern = in_form
                .get("pattern")
                .or_else(|| in_form.pointer("/items/pattern"));
            assert_eq!(pattern, Some(&json!("^[0-9a-fA-F]{24}$")), "{id}.{name}");
            let mut value = base(id, &form);
            let (bad, pointer) = if list_item.is_some() {
                (json!(["abc"]), format!("/{name}/0"))
            } else {
                (json!("abc"), format!("/{name}"))
            };
            value.insert(name.clone(), bad.clone());
            assert!(
                form_refuses(&form, &value).contains(&pointer),
                "{id}: form takes {name} {bad}"
            );
            let mut input = connection();
            input.extend(value);
            let err = cat.validate(id, Value::Object(input)).unwrap_err();
            let label = pointer.trim_start_matches('/').replace("/0", "[0]");
            assert!(
                err.violations()
                    .iter()
                    .any(|v| v.pointer == pointer && v.message == format!("{label} {NOT_AN_ID}")),
                "{id}: {:?}",
                err.violations()
            );
        }
    }
    hex.sort();
    assert_eq!(
        hex,
        [
            "thrive_get_activity.id",
            "thrive_get_content.id",
            "thrive_get_cpd_category.categoryId",
            "thrive_get_cpd_entry.logEntryId",
            "thrive_get_cpd_requirement.audienceRequirementId",
            "thrive_query_activities.contentIds",
            "thrive_query_cpd_user_summaries.userIds",
        ]
    );
}

/// A date of the layout `prop` states, on day `day` of January 2024.
fn date_for(prop: &Value, day: u32) -> Value {
    match prop["x-thrive-format"].as_str() {
        Some("date-space-time") => json!(format!("2024-01-{day:02} 09:00:00")),
        Some("local-date-time") => json!(format!("2024-01-{day:02}T09:00:00")),
        _ => json!(format!("2024-01-{day:02}")),
    }
}

#[test]
fn every_range_refuses_an_end_before_its_start_and_says_so_in_its_schema() {
    let cat = Catalogue::global();
    let mut ranges = Vec::new();
    for tool in cat.tools() {
        let id = tool.meta().id;
        let input = tool.input_schema();
        for rule in input["x-rules"].as_array().into_iter().flatten() {
            if rule["rule"] != "notBefore" {
                continue;
            }
            let (end, start) = (
                rule["field"].as_str().unwrap(),
                rule["other"].as_str().unwrap(),
            );
            ranges.push(format!("{id}: {start}..{end}"));
            let form = tool.schema(Flavour::Form);
            let help = form["properties"][end]["description"]
                .as_str()
                .unwrap_or_default();
            assert!(help.contains("must not be before"), "{id}.{end}: {help}");
            let mut value = base(id, &form);
            value.insert(start.into(), date_for(&input["properties"][start], 20));
            value.insert(end.into(), date_for(&input["properties"][end], 10));
            let mut all = connection();
            all.extend(value.clone());
            let err = cat.validate(id, Value::Object(all)).unwrap_err();
            let got: Vec<(String, String)> = err
                .violations()
                .into_iter()
                .map(|v| (v.pointer, v.message))
                .collect();
            assert_eq!(
                got,
                vec![(
                    format!("/{end}"),
                    format!("{end} must not be before {start}")
                )],
                "{id}"
            );
            // The same day is allowed (inclusivity is not documented).
            value.insert(end.into(), date_for(&input["properties"][end], 20));
            assert_eq!(
                refused(id, &value),
                Vec::<String>::new(),
                "{id}: equal ends"
            );
        }
    }
    ranges.sort();
    assert_eq!(
        ranges,
        [
            "thrive_create_user: startDate..endDate",
            "thrive_list_completions: completedDateRangeStart..completedDateRangeEnd",
            "thrive_list_enrolments: updatedAtFrom..updatedAtTo",
            "thrive_query_activities: timestampFrom..timestampTo",
            "thrive_query_cpd_entries: entryDateFrom..entryDateTo",
            "thrive_query_cpd_user_summaries: entryDateFrom..entryDateTo",
            "thrive_update_user: startDate..endDate",
        ]
    );
}

#[test]
fn a_trigger_filter_offers_exactly_its_own_event_types() {
    let cat = Catalogue::global();
    let mut checked = 0;
    for trigger in cat.triggers() {
        let meta = trigger.meta();
        let form = trigger.schema(Flavour::Form).unwrap();
        let Some(prop) = form["properties"].get("eventTypes") else {
            continue;
        };
        let offered: Vec<&str> = prop["items"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o["const"].as_str())
            .collect();
        for event in &offered {
            assert!(
                meta.event_types
                    .iter()
                    .any(|p| thrive_blocks::triggers::event_type_matches(p, event)),
                "{}: offers {event}",
                meta.id
            );
        }
        let help = prop["description"].as_str().unwrap();
        assert!(
            offered.iter().any(|e| help.contains(&format!("e.g. {e}."))),
            "{}: the example in {help:?} is not one of {offered:?}",
            meta.id
        );
        let foreign = if meta.id == "thrive_on_user_changed" {
            "content.passed"
        } else {
            "user.created"
        };
        let err = trigger
            .validate(&json!({"eventTypes": [offered[0], foreign]}))
            .unwrap_err();
        let got: Vec<String> = err.violations().into_iter().map(|v| v.pointer).collect();
        assert_eq!(got, vec!["/eventTypes/1"], "{}", meta.id);
        assert!(
            err.message().contains("eventTypes[1] must be one of"),
            "{}",
            err.message()
        );
        trigger
            .validate(&json!({"eventTypes": [offered[0]]}))
            .unwrap();
        checked += 1;
    }
    assert!(checked >= 5, "{checked} triggers with an event filter");
}

/// Custom fields are drawn as rows of a name and a value, so a form cannot
/// produce RJSF's unnamed `{"newKey": "New Value"}`; a host that sends one
/// as an object anyway is refused by the tool.
#[test]
fn custom_fields_are_named_rows_and_an_untouched_row_is_refused() {
    let cat = Catalogue::global();
    for id in ["thrive_create_user", "thrive_update_user"] {
        let tool = cat.get(id).unwrap();
        let form = tool.schema(Flavour::Form);
        let field = &form["properties"]["additionalFields"];
        assert_eq!(field["type"], "array", "{id}");
        assert_eq!(field["items"]["required"], json!(["name", "value"]), "{id}");
        let mut value = base(id, &form);
        value.insert(
            "additionalFields".into(),
            json!([{"name": "department", "value": "Sales"}]),
        );
        assert_eq!(form_refuses(&form, &value), Vec::<String>::new(), "{id}");
        assert_eq!(refused(id, &value), Vec::<String>::new(), "{id}");
        let mut input = connection();
        input.extend(value.clone());
        let plan = cat
            .dry_run(id, Value::Object(input), &thrive_blocks::Context::default())
            .unwrap();
        assert_eq!(
            plan.request
                .body
                .as_ref()
                .map(|b| b["additionalFields"].clone()),
            Some(json!({"department": "Sales"})),
            "{id}"
        );
        value.insert(
            "additionalFields".into(),
            json!([{"name": "  ", "value": "Sales"}]),
        );
        assert!(
            form_refuses(&form, &value).contains(&"/additionalFields/0/name".to_owned()),
            "{id}: the form takes a blank name"
        );
        assert_eq!(
            refused(id, &value),
            vec!["/additionalFields".to_owned()],
            "{id}"
        );
        for (row, pointer) in [
            (json!({"newKey": "New Value"}), "/additionalFields/newKey"),
            (
                json!({"department": "Sales", "newKey-1": "New Value"}),
                "/additionalFields/newKey-1",
            ),
        ] {
            value.insert("additionalFields".into(), row.clone());
            assert_eq!(refused(id, &value), vec![pointer.to_owned()], "{id}: {row}");
        }
    }
}

/// The scopes of every control in a JSON Forms layout, with the scope of
/// the list control each `detail` layout belongs to before its own.
fn scopes(layout: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Some(scope) = layout["scope"].as_str() {
        let full = format!("{prefix}{}", scope.trim_start_matches('#'));
        out.push(full.clone());
        if let Some(detail) = layout.pointer("/options/detail") {
            scopes(detail, &format!("{full}/items"), out);
        }
    }
    for element in layout["elements"].as_array().into_iter().flatten() {
        scopes(element, prefix, out);
    }
}

/// Every input, down to a manager's permissions, has a JSON Forms control:
/// a field of its own, a column of a flat list's table, or a control in the
/// `detail` layout of a list of nested objects.
#[test]
fn json_forms_has_a_control_for_every_input() {
    let cat = Catalogue::global();
    fn leaves(schema: &Value, at: &str, out: &mut Vec<String>) {
        for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
            let here = format!("{at}/properties/{name}");
            if prop.get("properties").is_some() {
                leaves(prop, &here, out);
                continue;
            }
            out.push(here.clone());
            let nested = prop["items"]["properties"]
                .as_object()
                .is_some_and(|p| p.values().any(|f| f.get("properties").is_some()));
            if nested {
                leaves(&prop["items"], &format!("{here}/items"), out);
            }
        }
    }
    for tool in cat.tools() {
        let id = tool.meta().id;
        let form = tool.schema(Flavour::Form);
        let mut wanted = Vec::new();
        leaves(&form, "", &mut wanted);
        let mut drawn = Vec::new();
        scopes(&tool.schema(Flavour::JsonFormsUi), "", &mut drawn);
        let missing: Vec<&String> = wanted.iter().filter(|w| !drawn.contains(w)).collect();
        assert!(
            missing.is_empty(),
            "{id}: no JSON Forms control for {missing:?}"
        );
        for name in form["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap();
            if form["properties"][name]["type"] == "array" {
                let layout = tool.schema(Flavour::JsonFormsUi);
                let control = layout["elements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["scope"] == format!("#/properties/{name}"))
                    .unwrap();
                assert_eq!(
                    control["label"],
                    json!(format!(
                        "{}*",
                        form["properties"][name]["title"].as_str().unwrap()
                    )),
                    "{id}.{name}: the required mark"
                );
            }
        }
    }
    let managers = cat.get("thrive_add_audience_managers").unwrap();
    let mut drawn = Vec::new();
    scopes(&managers.schema(Flavour::JsonFormsUi), "", &mut drawn);
    assert!(drawn.contains(
        &"/properties/managers/items/properties/permissions/properties/audienceManager/properties/assignments".to_owned()
    ));
}
