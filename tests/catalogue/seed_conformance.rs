//! Every tool's inputs and outputs against seed 004, the document that lists
//! the 47 operations: input names, JSON types and required flags exactly,
//! and the output's top-level keys and types. `tests/data/seed004.json` is
//! seed 004's tables as data (the seed's tool order mapped to ids as in the
//! operations table).

use serde_json::Value;
use std::collections::BTreeSet;
use thrive_blocks::Catalogue;

/// Inputs the runtime adds beyond seed 004: OAuth, and paging for paginated tools.
const RUNTIME_INPUTS: [&str; 2] = ["clientId", "scope"];
const PAGING_INPUTS: [&str; 2] = ["returnAll", "maxResults"];

fn seed() -> Vec<Value> {
    crate::common::seed_operations()
}

/// The JSON types of a property, in seed 004's words: its "number" inputs
/// are whole numbers, which the schemas state as `integer`.
fn types_of(schema: &Value) -> BTreeSet<String> {
    match &schema["type"] {
        Value::String(t) if t == "integer" => ["number".to_owned()].into(),
        Value::String(t) => [t.clone()].into(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        _ => BTreeSet::new(),
    }
}

#[test]
fn seed_lists_the_47_operations() {
    assert_eq!(seed().len(), 47);
}

#[test]
fn inputs_match_seed_004_exactly() {
    for op in seed() {
        let id = op["id"].as_str().unwrap();
        let tool = Catalogue::global().get(id).unwrap();
        let schema = tool.input_schema();
        let props = schema["properties"].as_object().unwrap();
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut expected_names = BTreeSet::new();
        for input in op["inputs"].as_array().unwrap() {
            let name = input["name"].as_str().unwrap();
            expected_names.insert(name);
            let prop = props
                .get(name)
                .unwrap_or_else(|| panic!("{id} lacks input {name}"));
            assert_eq!(
                types_of(prop),
                [input["type"].as_str().unwrap().to_owned()].into(),
                "{id}.{name} type"
            );
            assert_eq!(
                required.contains(name),
                input["required"] == true,
                "{id}.{name} required flag"
            );
        }
        let extra: Vec<&str> = props
            .keys()
            .map(String::as_str)
            .filter(|k| !expected_names.contains(k))
            .filter(|k| !RUNTIME_INPUTS.contains(k))
            .filter(|k| !(tool.meta().paging.is_paginated() && PAGING_INPUTS.contains(k)))
            .collect();
        assert!(
            extra.is_empty(),
            "{id} has inputs seed 004 does not list: {extra:?}"
        );
    }
}

#[test]
fn outputs_have_seed_004_top_level_keys() {
    for op in seed() {
        let id = op["id"].as_str().unwrap();
        let schema = Catalogue::global().get(id).unwrap().output_schema();
        let props = schema["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{id} output has no properties"));
        let mut names = BTreeSet::new();
        for out in op["outputs"].as_array().unwrap() {
            let name = out["name"].as_str().unwrap();
            names.insert(name);
            let prop = props
                .get(name)
                .unwrap_or_else(|| panic!("{id} output lacks {name}"));
            let seed_type = out["type"].as_str().unwrap();
            if seed_type != "json" {
                assert!(
                    types_of(prop).contains(seed_type),
                    "{id}.{name}: {seed_type} vs {prop}"
                );
            }
        }
        // `partial` is the one documented addition: a 207 partial success.
        let extra: Vec<&str> = props
            .keys()
            .map(String::as_str)
            .filter(|k| !names.contains(k) && *k != "partial")
            .collect();
        assert!(
            extra.is_empty(),
            "{id} output has keys seed 004 does not list: {extra:?}"
        );
    }
}
