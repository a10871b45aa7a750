//! Property tests over every tool: whatever JSON a host sends, `validate`
//! and `dry_run` give the same verdict (the dry run only adds the request
//! it would send) and neither panics.
//!
//! Two kinds of input are generated: arbitrary JSON (any shape at all), and
//! inputs drawn from each tool's own input schema with some fields swapped
//! for arbitrary JSON, dropped or left out, so that most cases reach the
//! per-field checks, the cross-field rules and the request builders rather
//! than stopping at "must be an object".
//!
//! `host` is left out of the generated inputs: a well-formed host outside
//! the operator's allow-list is accepted by `validate` (shape only) and
//! refused by `dry_run` (policy) on purpose; `tests/catalogue/flavours.rs` holds that
//! difference to a table of hosts.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Number, Value, json};
use thrive_blocks::{Catalogue, Context};

/// Any JSON value, up to three levels deep, with the awkward leaves:
/// huge and negative integers, fractions, empty and blank strings, text
/// that looks like dates, lists and JSON, and non-ASCII text.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e12f64..1.0e12).prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just(String::new()),
            Just("   ".to_owned()),
            Just("2024-04-02".to_owned()),
            Just("2024-02-30T25:61:00Z".to_owned()),
            Just("2020-09-25 00:00:00".to_owned()),
            Just("jane@example.com".to_owned()),
            Just("a, b,,c".to_owned()),
            Just("[\"x\", 1]".to_owned()),
            Just("{oops".to_owned()),
            Just("a/../b?c=d#e".to_owned()),
            "\\PC{0,24}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A value shaped by `schema` (types, enums, formats, list contents),
/// or, one time in five, arbitrary JSON in its place.
fn shaped_by(schema: &Value) -> BoxedStrategy<Value> {
    prop_oneof![4 => fitting(schema), 1 => any_json()].boxed()
}

/// A value that follows `schema`'s type and enumerations, not necessarily
/// its patterns or ranges.
fn fitting(schema: &Value) -> BoxedStrategy<Value> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.is_empty()
    {
        return prop::sample::select(values.clone()).boxed();
    }
    if let Some(options) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        && !options.is_empty()
    {
        let options: Vec<BoxedStrategy<Value>> = options.iter().map(fitting).collect();
        return prop::strategy::Union::new(options).boxed();
    }
    if let Some(constant) = schema.get("const") {
        return Just(constant.clone()).boxed();
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let Some(&first) = types.first() else {
        return any_json();
    };
    let choices: Vec<BoxedStrategy<Value>> = types.iter().map(|t| typed(schema, t)).collect();
    if choices.len() == 1 {
        return typed(schema, first);
    }
    prop::strategy::Union::new(choices).boxed()
}

fn typed(schema: &Value, ty: &str) -> BoxedStrategy<Value> {
    match ty {
        "null" => Just(Value::Null).boxed(),
        "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
        "integer" => {
            let lo = schema["minimum"].as_i64().unwrap_or(-5);
            let hi = schema["maximum"].as_i64().unwrap_or(lo.saturating_add(500));
            // Around the range: its edges and one past each.
            (lo.saturating_sub(1)..=hi.saturating_add(1))
                .prop_map(Value::from)
                .boxed()
        }
        "number" => (-1000.0f64..1000.0)
            .prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number))
            .boxed(),
        "array" => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            prop::collection::vec(shaped_by(&items), 0..4)
                .prop_map(Value::Array)
                .boxed()
        }
        "object" => object(schema),
        _ => string(schema),
    }
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    if let Some(content) = schema.get("contentSchema") {
        // A JSON list typed into a text box: well-formed or not.
        return prop_oneof![
            4 => fitting(content).prop_map(|v| Value::String(v.to_string())),
            1 => "\\PC{0,16}".prop_map(Value::String),
        ]
        .boxed();
    }
    let samples: &[&str] = match (
        schema["format"].as_str(),
        schema["x-thrive-format"].as_str(),
    ) {
        (Some("email"), _) => &["jane@example.com", "jane", "a@b"],
        (_, Some("day")) | (Some("date"), _) => &["2024-04-02", "2024-13-40", "02/04/2024"],
        (_, Some(_)) | (Some("date-time"), _) => &[
            "2024-04-02T13:45:00.000Z",
            "2020-11-17T09:50:00",
            "2020-09-25 00:00:00",
            "1700000000000",
            "yesterday",
        ],
        _ => &["E1", "a1", "Sales", "jane@example.com"],
    };
    let samples: Vec<Value> = samples.iter().map(|s| Value::from(*s)).collect();
    prop_oneof![
        3 => prop::sample::select(samples),
        1 => "\\PC{0,16}".prop_map(Value::String),
    ]
    .boxed()
}

fn object(schema: &Value) -> BoxedStrategy<Value> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return prop::collection::btree_map("[a-z]{1,8}", any_json(), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
            .boxed();
    };
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = props
        .iter()
        .filter(|(name, _)| name.as_str() != "host")
        .map(|(name, prop)| {
            let name = name.clone();
            prop::option::weighted(0.7, shaped_by(prop))
                .prop_map(move |v| v.map(|v| (name.clone(), v)))
                .boxed()
        })
        .collect();
    fields
        .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
        .boxed()
}

/// A tool's input: drawn from its schema, with a well-formed connection
/// most of the time so the tool's own fields are what is tested.
fn input_for(schema: &Value) -> BoxedStrategy<Value> {
    (fitting(schema), prop::bool::weighted(0.8))
        .prop_map(|(mut value, connect)| {
            if connect && let Value::Object(map) = &mut value {
                map.insert("tenantId".into(), "eu-west-2_AbcdEfghI".into());
                map.insert("apiKey".into(), "s3cr3t".into());
                map.remove("clientId");
                map.remove("scope");
            }
            value
        })
        .boxed()
}

/// Both verdicts for one input; a failure message when they differ.
fn same_verdict(
    cat: &Catalogue,
    ctx: &Context,
    id: &str,
    input: &Value,
) -> Result<bool, TestCaseError> {
    let validated = cat.validate(id, input.clone());
    let dry = cat.dry_run(id, input.clone(), ctx);
    match (validated, dry) {
        (Ok(()), Ok(_)) => Ok(true),
        (Err(v), Err(d)) => {
            prop_assert_eq!(v.code(), d.code(), "{} on {}", id, input);
            prop_assert_eq!(v.to_string(), d.to_string(), "{} on {}", id, input);
            prop_assert_eq!(
                format!("{:?}", v.violations()),
                format!("{:?}", d.violations()),
                "{} on {}",
                id,
                input
            );
            Ok(false)
        }
        (Ok(()), Err(d)) => Err(TestCaseError::fail(format!(
            "{id}: validate accepts {input} but dry_run refuses it: {d}"
        ))),
        (Err(v), Ok(_)) => Err(TestCaseError::fail(format!(
            "{id}: dry_run accepts {input} but validate refuses it: {v}"
        ))),
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // No persistence files in the source tree; failures print the
        // minimal input instead.
        failure_persistence: None,
        ..Config::default()
    }
}

#[test]
fn arbitrary_json_gets_one_verdict_from_validate_and_dry_run() {
    let cat = Catalogue::global();
    let ctx = Context::builder().build();
    let ids: Vec<&'static str> = cat.tools().map(|t| t.meta().id).collect();
    let mut runner = TestRunner::new(config(3_000));
    runner
        .run(&(prop::sample::select(ids), any_json()), |(id, input)| {
            same_verdict(cat, &ctx, id, &input).map(|_| ())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn schema_shaped_inputs_get_one_verdict_for_every_tool() {
    let cat = Catalogue::global();
    let ctx = Context::builder().build();
    let mut accepted_somewhere = 0;
    for tool in cat.tools() {
        let id = tool.meta().id;
        let mut runner = TestRunner::new(config(200));
        let accepted = std::cell::Cell::new(0u32);
        runner
            .run(&input_for(tool.input_schema()), |input| {
                if same_verdict(cat, &ctx, id, &input)? {
                    accepted.set(accepted.get() + 1);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        if accepted.get() > 0 {
            accepted_somewhere += 1;
        }
    }
    // The generator reaches past the checks into the request builders for
    // most tools (some need several related fields right at once).
    let tools = cat.tools().count();
    assert!(
        accepted_somewhere * 2 > tools,
        "generated inputs were accepted for only {accepted_somewhere} of {tools} tools"
    );
}

/// `$ref`s to `#/$defs/...` replaced by what they name (a few levels deep),
/// so the generators see the shapes Thrive's answers have.
fn inline_refs(schema: &Value, defs: &Value, depth: u8) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
            {
                return match (&defs[name], depth) {
                    (Value::Null, _) | (_, 0) => json!({}),
                    (def, _) => inline_refs(def, defs, depth - 1),
                };
            }
            Value::Object(
                map.iter()
                    .filter(|(k, _)| k.as_str() != "$defs")
                    .map(|(k, v)| (k.clone(), inline_refs(v, defs, depth)))
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| inline_refs(v, defs, depth)).collect())
        }
        other => other.clone(),
    }
}

/// A response body for `tool`: shaped like its whole output (a page, a bulk
/// result), like one of its fields (the entity a `{user}` output wraps), or
/// arbitrary; written as JSON, with a key repeated, as text that is not
/// JSON, or empty.
fn body_for(output_schema: &Value) -> BoxedStrategy<Vec<u8>> {
    let schema = inline_refs(output_schema, &output_schema["$defs"], 4);
    let mut shapes = vec![fitting(&schema), any_json()];
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        shapes.extend(props.values().map(fitting));
    }
    let value = prop::strategy::Union::new(shapes);
    prop_oneof![
        8 => value.clone().prop_map(|v| v.to_string().into_bytes()),
        1 => value.prop_map(|v| match v {
            // The same key twice: the direct read refuses what the parsed
            // read accepts (the last one wins).
            Value::Object(map) if !map.is_empty() => {
                let text = Value::Object(map.clone()).to_string();
                let (first, value) = map.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap_or_default();
                format!("{{{}:{},{}", Value::String(first), value, &text[1..]).into_bytes()
            }
            other => other.to_string().into_bytes(),
        }),
        1 => prop_oneof![Just(""), Just("  \n"), Just("null"), Just("ok"), Just("{oops")]
            .prop_map(|s| s.as_bytes().to_vec()),
    ]
    .boxed()
}

/// Reading a single call's body straight from its bytes (the hot path)
/// gives exactly what the parsed path gives: the same output, or the same
/// error, for every tool and any body.
#[test]
fn outputs_read_from_bytes_match_outputs_read_from_parsed_bodies() {
    use thrive_blocks::api::ApiResponse;
    use thrive_blocks::wire::RawResponse;
    let cat = Catalogue::global();
    let direct = std::cell::Cell::new(0u32);
    for tool in cat.tools() {
        let id = tool.meta().id;
        let mut runner = TestRunner::new(config(150));
        runner
            .run(
                &(
                    body_for(tool.output_schema()),
                    prop_oneof![Just(200u16), Just(207u16)],
                ),
                |(bytes, status)| {
                    let parsed = tool.output(ApiResponse::from_bytes(status, &bytes));
                    let raw = tool.output_raw(RawResponse {
                        status,
                        bytes: bytes.clone().into(),
                        meta: Default::default(),
                    });
                    let body = String::from_utf8_lossy(&bytes);
                    match (parsed, raw) {
                        (Ok(a), Ok(b)) => {
                            prop_assert_eq!(a, b, "{} on {}", id, body);
                            direct.set(direct.get() + 1);
                        }
                        (Err(a), Err(b)) => {
                            prop_assert_eq!(a.code(), b.code(), "{} on {}", id, body);
                            prop_assert_eq!(a.to_string(), b.to_string(), "{} on {}", id, body);
                        }
                        (a, b) => {
                            return Err(TestCaseError::fail(format!(
                                "{id} on {body}: parsed {a:?}, raw {b:?}"
                            )));
                        }
                    }
                    Ok(())
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // Most generated bodies are readable outputs, so the comparison is not
    // only between two errors.
    let direct = direct.get();
    assert!(direct > 47 * 50, "only {direct} bodies read to an output");
}
