//! Schema flavours: every manifest carries each flavour, each flavour keeps
//! its host's rules, a value the form produces is what the catalogue
//! accepts, and each documented rule is refused by the form flavour, the
//! validation flavour and the catalogue alike, with the field named.

use serde_json::{Map, Value, json};
use thrive_blocks::Catalogue;
use thrive_blocks::flavours::Flavour;

pub(crate) fn connection() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("tenantId".into(), "eu-west-2_Test".into());
    map.insert("apiKey".into(), "test-key".into());
    map
}

/// Walks every subschema of `schema`, calling `f` with its path.
fn walk(schema: &Value, path: &str, f: &mut dyn FnMut(&str, &Map<String, Value>)) {
    let Value::Object(map) = schema else { return };
    f(path, map);
    for (key, value) in map {
        match (key.as_str(), value) {
            ("properties", Value::Object(props)) => {
                for (name, sub) in props {
                    walk(sub, &format!("{path}/properties/{name}"), f);
                }
            }
            ("items" | "additionalProperties" | "not" | "if" | "then" | "else", sub) => {
                walk(sub, &format!("{path}/{key}"), f)
            }
            ("oneOf" | "anyOf" | "allOf", Value::Array(subs)) => {
                for (i, sub) in subs.iter().enumerate() {
                    walk(sub, &format!("{path}/{key}/{i}"), f);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_manifest_carries_every_flavour() {
    for tool in Catalogue::global().tools() {
        let manifest = tool.manifest();
        for flavour in Flavour::ALL {
            assert!(
                manifest.get(flavour.key()).is_some_and(Value::is_object),
                "{}: {}",
                tool.meta().id,
                flavour.key()
            );
        }
        assert!(manifest["resource"].as_str().is_some_and(|r| !r.is_empty()));
    }
}

#[test]
fn no_rust_number_formats_and_no_multiple_of_anywhere() {
    for tool in Catalogue::global().tools() {
        for flavour in Flavour::ALL {
            let text = tool.schema(flavour).to_string();
            for bad in ["uint32", "uint64", "\"int64\"", "\"double\"", "multipleOf"] {
                assert!(
                    !text.contains(bad),
                    "{} {}: {bad}",
                    tool.meta().id,
                    flavour.key()
                );
            }
        }
    }
}

#[test]
fn form_flavour_is_plain_draft_07_with_titles() {
    for tool in Catalogue::global().tools() {
        let id = tool.meta().id;
        let form = tool.schema(Flavour::Form);
        assert_eq!(form["$schema"], "http://json-schema.org/draft-07/schema#");
        for name in ["tenantId", "apiKey", "host", "clientId", "scope"] {
            assert!(form["properties"].get(name).is_none(), "{id}: {name}");
        }
        walk(&form, "", &mut |path, map| {
            for key in map.keys() {
                assert!(!key.starts_with("x-"), "{id}{path}: {key}");
                assert!(
                    !matches!(key.as_str(), "$ref" | "contentMediaType" | "contentSchema"),
                    "{id}{path}: {key}"
                );
            }
            assert!(!map.get("type").is_some_and(Value::is_array), "{id}{path}");
            if let Some(Value::String(d)) = map.get("description") {
                assert!(!d.contains('`'), "{id}{path}: {d}");
            }
            // Fields have titles; the conditions of cross-field rules are not fields.
            if let Some(Value::Object(props)) = map.get("properties")
                && !path.contains("/allOf/")
            {
                for (name, prop) in props {
                    assert!(
                        prop["title"].as_str().is_some_and(|t| !t.is_empty()),
                        "{id}{path}/{name} has no title"
                    );
                }
            }
            assert!(map.get("enum").is_none(), "{id}{path}: enum, not oneOf");
        });
    }
}

#[test]
fn form_fields_read_as_people_expect() {
    let cat = Catalogue::global();
    let form = cat.get("thrive_create_user").unwrap().schema(Flavour::Form);
    assert_eq!(form["properties"]["firstName"]["title"], "First name");
    assert_eq!(form["properties"]["startDate"]["format"], "date");
    assert_eq!(form["properties"]["email"]["format"], "email");
    // Custom fields: rows of a name and a value, which both form libraries draw.
    assert_eq!(form["properties"]["additionalFields"]["type"], "array");
    assert_eq!(
        form["properties"]["additionalFields"]["items"]["required"],
        json!(["name", "value"])
    );
    assert_eq!(
        form["properties"]["role"]["oneOf"][1],
        json!({"const": "learneradmin", "title": "Learner admin", "description": "Learning Admin in the UI."})
    );
    let form = cat
        .get("thrive_add_audience_members")
        .unwrap()
        .schema(Flavour::Form);
    assert_eq!(form["properties"]["audienceId"]["title"], "Audience");
    // A blank row is refused by the form as by the tool (`ListItem for String`).
    assert_eq!(
        form["properties"]["users"]["items"],
        json!({"type": "string", "minLength": 1, "pattern": "\\S"})
    );
    assert_eq!(form["properties"]["users"]["minItems"], 1);
    // A blank optional input is "not given" to the tool, so the form's
    // layout pattern lets it through too; a required one stays refused.
    let form = cat
        .get("thrive_query_cpd_entries")
        .unwrap()
        .schema(Flavour::Form);
    assert_eq!(
        form["properties"]["entryDateFrom"]["pattern"],
        r"^\s*$|^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$"
    );
    let checked = cat.validate(
        "thrive_query_cpd_entries",
        json!({"tenantId": "t", "apiKey": "k", "entryDateFrom": "   "}),
    );
    assert!(checked.is_ok(), "{checked:?}");
    let form = cat
        .get("thrive_replace_audience_members")
        .unwrap()
        .schema(Flavour::Form);
    assert_eq!(form["properties"]["users"]["maxItems"], 100);
    let form = cat
        .get("thrive_update_user_skills")
        .unwrap()
        .schema(Flavour::Form);
    let item = &form["properties"]["skills"]["items"];
    assert_eq!(item["type"], "object");
    assert_eq!(item["additionalProperties"], false);
    assert_eq!(item["required"], json!(["tagName"]));
    assert_eq!(item["properties"]["tagName"]["title"], "Tag name");
    let form = cat
        .get("thrive_search_users")
        .unwrap()
        .schema(Flavour::Form);
    assert_eq!(form["properties"]["statuses"]["type"], "array");
    assert_eq!(
        form["properties"]["statuses"]["items"]["oneOf"][0],
        json!({"const": "active", "title": "Active"})
    );
    assert_eq!(form["properties"]["perPage"]["type"], "integer");
}

#[test]
fn ui_schema_orders_groups_and_points_at_dropdown_sources() {
    let cat = Catalogue::global();
    let ui = cat
        .get("thrive_list_audience_members")
        .unwrap()
        .schema(Flavour::Ui);
    assert_eq!(
        ui["ui:order"],
        json!([
            "audienceId",
            "page",
            "perPage",
            "returnAll",
            "maxResults",
            "*"
        ])
    );
    assert_eq!(
        ui["ui:options"]["groups"][0],
        json!({"title": "Advanced", "fields": ["page", "perPage", "returnAll", "maxResults"]})
    );
    assert_eq!(
        ui["audienceId"]["ui:options"]["x-options"],
        json!({"tool": "thrive_list_audiences", "value": "id", "label": "name"})
    );
    let input = cat
        .get("thrive_list_audience_members")
        .unwrap()
        .schema(Flavour::Input);
    assert_eq!(
        input["properties"]["audienceId"]["x-options"]["tool"],
        "thrive_list_audiences"
    );
    // The tags list offers tag names for each item.
    let ui = cat.get("thrive_add_user_tags").unwrap().schema(Flavour::Ui);
    assert_eq!(
        ui["tags"]["items"]["ui:options"]["x-options"],
        json!({"tool": "thrive_list_tags", "value": "tag", "label": "tag"})
    );
    let layout = cat
        .get("thrive_list_audience_members")
        .unwrap()
        .schema(Flavour::JsonFormsUi);
    assert_eq!(
        layout["elements"][0],
        json!({"type": "Control", "scope": "#/properties/audienceId"})
    );
    assert_eq!(layout["elements"][1]["type"], "Group");
    assert_eq!(layout["elements"][1]["label"], "Advanced");
}

#[test]
fn connection_schema_is_apart_with_a_password_and_a_region_dropdown() {
    let tool = Catalogue::global().get("thrive_get_user_by_ref").unwrap();
    let conn = tool.schema(Flavour::Connection);
    assert_eq!(conn["required"], json!(["tenantId", "apiKey"]));
    assert_eq!(conn["properties"]["apiKey"]["writeOnly"], true);
    let hosts: Vec<&str> = conn["properties"]["host"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["const"].as_str())
        .collect();
    assert_eq!(
        hosts,
        [
            "public.api.learn.link",
            "public.api.mea.learn.tech",
            "public.api.learnstaging.link",
            "public.api.meastaging.learn.tech"
        ]
    );
    assert_eq!(
        tool.schema(Flavour::ConnectionUi)["apiKey"]["ui:widget"],
        "password"
    );
}

#[test]
fn portable_flavour_keeps_to_the_common_subset() {
    for tool in Catalogue::global().tools() {
        let id = tool.meta().id;
        for flavour in [Flavour::Portable, Flavour::PortableOutput] {
            let schema = tool.schema(flavour);
            walk(&schema, "", &mut |path, map| {
                for key in map.keys() {
                    assert!(
                        !key.starts_with("x-")
                            && !matches!(
                                key.as_str(),
                                "$schema"
                                    | "additionalProperties"
                                    | "format"
                                    | "pattern"
                                    | "oneOf"
                                    | "allOf"
                                    | "if"
                                    | "const"
                                    | "contentSchema"
                                    | "contentMediaType"
                            ),
                        "{id} {}{path}: {key}",
                        flavour.key()
                    );
                }
                assert!(
                    map.get("type").is_none_or(Value::is_string),
                    "{id}{path}: type"
                );
            });
        }
    }
}

#[test]
fn strict_flavour_requires_every_property_and_closes_every_object() {
    for tool in Catalogue::global().tools() {
        let id = tool.meta().id;
        let strict = tool.schema(Flavour::Strict);
        walk(&strict, "", &mut |path, map| {
            if let Some(Value::Object(props)) = map.get("properties") {
                let mut required: Vec<&str> = map["required"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                required.sort_unstable();
                let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
                names.sort_unstable();
                assert_eq!(required, names, "{id}{path}");
                assert_eq!(map["additionalProperties"], false, "{id}{path}");
            }
        });
    }
    let strict = Catalogue::global()
        .get("thrive_create_user")
        .unwrap()
        .schema(Flavour::Strict);
    assert_eq!(strict["properties"]["ref"]["type"], "string");
    assert_eq!(
        strict["properties"]["email"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        strict["properties"]["role"]["enum"],
        json!(["administrator", "learneradmin", "learner", null])
    );
}

/// A value of `schema` that a person could have entered in the form.
pub(crate) fn example(schema: &Value, required_only: bool) -> Value {
    if let Some(first) = schema
        .get("oneOf")
        .and_then(Value::as_array)
        .and_then(|o| o.first())
    {
        return first["const"].clone();
    }
    match schema["type"].as_str() {
        Some("integer" | "number") => schema.get("minimum").cloned().unwrap_or(json!(1)),
        Some("boolean") => json!(false),
        Some("array") => {
            let n = schema["minItems"].as_u64().unwrap_or(1).max(1);
            let items: Vec<Value> = (0..n)
                .map(|i| {
                    let v = example(&schema["items"], required_only);
                    match v {
                        // A 24-hex id stays one: its last two digits count.
                        Value::String(s)
                            if s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit()) =>
                        {
                            json!(format!("{}{i:02x}", &s[..22]))
                        }
                        Value::String(s) if schema["items"].get("oneOf").is_none() => {
                            json!(format!("{s}{i}"))
                        }
                        other => other,
                    }
                })
                .collect();
            Value::Array(items)
        }
        Some("object") => {
            let Some(props) = schema["properties"].as_object() else {
                return json!({"department": "Sales"});
            };
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut out = Map::new();
            for (name, prop) in props {
                if !required_only || required.contains(&name.as_str()) {
                    out.insert(name.clone(), example(prop, required_only));
                }
            }
            Value::Object(out)
        }
        _ => match schema["format"].as_str() {
            Some("date") => json!("2024-04-02"),
            Some("date-time") => json!("2024-04-02T13:45:00Z"),
            Some("email") => json!("jane@example.com"),
            _ => match schema["pattern"].as_str() {
                Some("\\S") => json!("value"),
                Some(p) if p.contains("[0-9a-fA-F]{24}") => json!("507f1f77bcf86cd799439011"),
                Some(p) if p.contains("T\\d{2}") => json!("2020-11-17T09:50:00"),
                Some(_) => json!("2020-09-25 00:00:00"),
                None => json!("value"),
            },
        },
    }
}

/// The form flavour compiled as form libraries compile it: draft-07 with
/// formats checked.
pub(crate) fn form_validator(form: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(form)
        .expect("form flavour compiles")
}

#[test]
fn what_the_form_produces_the_catalogue_accepts() {
    let cat = Catalogue::global();
    for tool in cat.tools() {
        let id = tool.meta().id;
        let form = tool.schema(Flavour::Form);
        let validator = form_validator(&form);
        for required_only in [true, false] {
            let mut value = example(&form, required_only);
            // Rules that need an input the form marks optional.
            if id == "thrive_create_user" {
                value["email"] = json!("jane@example.com");
            }
            if id == "thrive_create_audience" && !required_only {
                value["category"] = json!("audience");
            }
            if id == "thrive_update_audience" && !required_only {
                value.as_object_mut().unwrap().remove("parentId");
            }
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{id} form refuses {value}: {errors:?}");
            let mut input = connection();
            input.extend(value.as_object().unwrap().clone());
            if let Err(e) = cat.validate(id, Value::Object(input.clone())) {
                panic!("{id}: the catalogue refuses the form's value {input:?}: {e}");
            }
        }
    }
}

/// One documented rule broken: the tool, the form value, the field named.
struct Broken {
    tool: &'static str,
    value: Value,
    field: &'static str,
}

fn broken_rules() -> Vec<Broken> {
    let hundred_and_one: Vec<String> = (0..101).map(|i| format!("user{i}@example.com")).collect();
    vec![
        Broken {
            tool: "thrive_create_user",
            value: json!({"ref": "E1", "firstName": "A", "lastName": "B", "email": "a@example.com", "startDate": "yesterday"}),
            field: "startDate",
        },
        Broken {
            tool: "thrive_create_user",
            value: json!({"ref": "E1", "firstName": "A", "lastName": "B", "email": "not-an-email"}),
            field: "email",
        },
        Broken {
            tool: "thrive_create_user",
            value: json!({"ref": "E1", "firstName": "A", "lastName": "B"}),
            field: "email",
        },
        Broken {
            tool: "thrive_create_user",
            value: json!({"ref": "E1", "firstName": "A", "lastName": "B", "email": "a@example.com", "additionalFields": "{oops"}),
            field: "additionalFields",
        },
        Broken {
            tool: "thrive_search_users",
            value: json!({"statuses": ["actve"]}),
            field: "statuses",
        },
        Broken {
            tool: "thrive_search_users",
            value: json!({"perPage": 2.5}),
            field: "perPage",
        },
        Broken {
            tool: "thrive_search_users",
            value: json!({"perPage": 5000}),
            field: "perPage",
        },
        Broken {
            tool: "thrive_update_user_skills",
            value: json!({"userId": "u1", "skills": [{"name": "leadership"}]}),
            field: "skills",
        },
        Broken {
            tool: "thrive_replace_audience_members",
            value: json!({"audienceId": "a1", "users": hundred_and_one}),
            field: "users",
        },
        Broken {
            tool: "thrive_add_audience_members",
            value: json!({"audienceId": "a1", "users": "jane@example.com, bob@example.com"}),
            field: "users",
        },
        Broken {
            tool: "thrive_query_cpd_entries",
            value: json!({"entryDateFrom": "2020-09-25T00:00:00"}),
            field: "entryDateFrom",
        },
        Broken {
            tool: "thrive_create_audience",
            value: json!({"name": "Sales", "category": "audience"}),
            field: "parentId",
        },
        Broken {
            tool: "thrive_list_enrolments",
            value: json!({"assignmentId": "as1", "updatedAtTo": "2024-04-02T00:00:00Z"}),
            field: "updatedAtFrom",
        },
    ]
}

#[test]
fn each_rule_is_refused_by_the_form_the_validation_flavour_and_the_catalogue() {
    let cat = Catalogue::global();
    for case in broken_rules() {
        let tool = cat.get(case.tool).unwrap();
        let form = tool.schema(Flavour::Form);
        assert!(
            !form_validator(&form).is_valid(&case.value),
            "{}: the form accepts {}",
            case.tool,
            case.value
        );
        let mut input = connection();
        input.extend(case.value.as_object().unwrap().clone());
        let input = Value::Object(input);
        let err = cat
            .validate(case.tool, input.clone())
            .expect_err(&format!("{}: the catalogue accepts {input}", case.tool));
        let pointers: Vec<String> = err.violations().iter().map(|v| v.pointer.clone()).collect();
        assert!(
            pointers
                .iter()
                .any(|p| p == &format!("/{}", case.field)
                    || p.starts_with(&format!("/{}/", case.field))),
            "{}: {} not named in {pointers:?}",
            case.tool,
            case.field
        );
        // The validation flavour states the rule too (JSON text aside: a
        // validator does not decode it, the catalogue does).
        let json_text = tool.schema(Flavour::Input)["properties"][case.field]
            .get("contentSchema")
            .is_some();
        if !json_text {
            let validation = jsonschema::options()
                .should_validate_formats(true)
                .build(&tool.schema(Flavour::Input))
                .unwrap();
            let mut normalised = input.clone();
            if let Some(Value::Array(items)) = normalised.get(case.field).cloned()
                && items.iter().all(Value::is_string)
                && tool.schema(Flavour::Input)["properties"][case.field]
                    .get("x-thrive-list")
                    .is_some()
            {
                let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                normalised[case.field] = json!(joined.join(","));
            }
            assert!(
                !validation.is_valid(&normalised),
                "{}: the validation flavour accepts {normalised}",
                case.tool
            );
        }
    }
}

#[test]
fn schema_flavour_on_the_command_line() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thrive-blocks"))
        .args(["schema", "thrive_create_user", "--flavour", "form"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        printed,
        Catalogue::global()
            .get("thrive_create_user")
            .unwrap()
            .schema(Flavour::Form)
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thrive-blocks"))
        .args(["schema", "thrive_create_user", "--flavour", "fancy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not one of input, output, form"));
}

#[test]
fn validate_refuses_every_host_that_run_refuses_as_malformed() {
    let cat = Catalogue::global();
    let ctx = thrive_blocks::Context::builder().build();
    for host in [
        "a b",
        "x:99999",
        "ftp://x",
        "[::1",
        "a..b",
        "https://x/path",
        "x:0",
    ] {
        let mut input = connection();
        input.insert("ref".into(), "E1".into());
        input.insert("host".into(), host.into());
        let input = Value::Object(input);
        let validated = cat
            .validate("thrive_get_user_by_ref", input.clone())
            .expect_err(host);
        assert!(
            validated.violations().iter().any(|v| v.pointer == "/host"),
            "{host}: {validated}"
        );
        let dry = cat
            .dry_run("thrive_get_user_by_ref", input, &ctx)
            .expect_err(host);
        assert_eq!(dry.code(), validated.code(), "{host}");
    }
    // A well-formed host outside the allow-list passes validation (shape
    // only) and is refused by the dry run (policy).
    let mut input = connection();
    input.insert("ref".into(), "E1".into());
    input.insert("host".into(), "api.example.com".into());
    let input = Value::Object(input);
    assert!(
        cat.validate("thrive_get_user_by_ref", input.clone())
            .is_ok()
    );
    let refused = cat
        .dry_run("thrive_get_user_by_ref", input, &ctx)
        .expect_err("not allowed");
    assert_eq!(refused.code(), thrive_blocks::ErrorCode::HostNotAllowed);
}
