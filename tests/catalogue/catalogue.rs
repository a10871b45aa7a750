//! The catalogue as a host sees it: every tool present once, schemas that
//! describe the inputs, validation before any request, host policy, and
//! manifests that match the code.

use crate::common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, ErrorCode, RetryPolicy};

const PAGINATED: [&str; 13] = [
    "thrive_search_users",
    "thrive_list_audiences",
    "thrive_list_audience_members",
    "thrive_list_assignments",
    "thrive_list_enrolments",
    "thrive_list_completions",
    "thrive_query_content",
    "thrive_query_activities",
    "thrive_query_cpd_categories",
    "thrive_query_cpd_entries",
    "thrive_query_cpd_requirements",
    "thrive_query_cpd_user_summaries",
    "thrive_list_tags",
];

/// Inbound provisioning (webhooks.md §2), beside the 47 seed operations.
const PROVISIONING: [&str; 4] = [
    "thrive_provision_user_joined",
    "thrive_provision_user_updated",
    "thrive_provision_user_suspended",
    "thrive_provision_user_deleted",
];

#[test]
fn the_catalogue_holds_every_documented_operation_once() {
    let ids: Vec<&str> = Catalogue::global().tools().map(|t| t.meta().id).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in {ids:?}");
    let documented = documented_ids();
    let expected: BTreeSet<&str> = documented
        .iter()
        .map(String::as_str)
        .chain(["thrive_test_connection"])
        .chain(PROVISIONING)
        .chain(["thrive_sync_audience_members"])
        .collect();
    assert_eq!(unique, expected);
}

#[test]
fn hints_match_the_kind_of_operation() {
    let cat = Catalogue::global();
    let documented = documented_ids();
    let read_only = documented
        .iter()
        .filter(|id| cat.get(id).unwrap().meta().hints.read_only)
        .count();
    assert_eq!(read_only, 27, "27 of the 47 operations only read");
    for id in &documented {
        let m = cat.get(id).unwrap().meta();
        let verb = id.trim_start_matches("thrive_").split('_').next().unwrap();
        match verb {
            "get" | "list" | "search" | "query" => {
                assert!(
                    m.hints.read_only && m.hints.idempotent && !m.hints.destructive,
                    "{id}"
                )
            }
            "delete" | "remove" | "replace" => {
                assert!(m.hints.destructive && m.hints.idempotent, "{id}")
            }
            "update" | "suspend" => assert!(
                !m.hints.read_only && m.hints.idempotent && !m.hints.destructive,
                "{id}"
            ),
            "add" => assert!(!m.hints.idempotent && !m.hints.destructive, "{id}"),
            "create" => assert!(!m.hints.read_only && !m.hints.destructive, "{id}"),
            other => panic!("unexpected verb {other} in {id}"),
        }
        assert_eq!(
            m.paging.is_paginated(),
            PAGINATED.contains(&id.as_str()),
            "{id} paging"
        );
    }
}

#[test]
fn every_input_schema_has_the_connection_inputs_and_described_fields() {
    for tool in Catalogue::global().tools() {
        let id = tool.meta().id;
        let schema = tool.input_schema();
        let props = schema["properties"].as_object().unwrap();
        for name in ["tenantId", "apiKey", "host", "clientId", "scope"] {
            assert_eq!(props[name]["x-thrive-credential"], true, "{id}.{name}");
        }
        assert_eq!(props["apiKey"]["writeOnly"], true, "{id}");
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(
            required.contains(&"tenantId")
                && required.contains(&"apiKey")
                && !required.contains(&"host"),
            "{id}"
        );
        assert_eq!(schema["additionalProperties"], false, "{id}");
        for (name, prop) in props {
            let d = prop["description"].as_str().unwrap_or_default();
            assert!(d.len() > 5, "{id}.{name} has no description");
            let ty = prop["type"]
                .as_str()
                .unwrap_or_else(|| panic!("{id}.{name} has no single type"));
            assert!(
                ["string", "number", "integer", "boolean"].contains(&ty),
                "{id}.{name} is {ty}"
            );
        }
        assert_eq!(
            props.contains_key("returnAll"),
            PAGINATED.contains(&id),
            "{id} returnAll"
        );
    }
}

#[test]
fn missing_required_inputs_are_each_reported_by_name() {
    for tool in Catalogue::global().tools() {
        let id = tool.meta().id;
        let required: Vec<String> = tool.input_schema()["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let err = Catalogue::global().validate(id, json!({})).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        let got: BTreeSet<(String, String)> = err
            .violations()
            .into_iter()
            .map(|v| (v.pointer, v.message))
            .collect();
        for name in &required {
            assert!(
                got.contains(&(format!("/{name}"), format!("{name} is required"))),
                "{id}: {name} not reported in {got:?}"
            );
        }
        // Blank strings count as missing, too.
        let blanks: Value = required
            .iter()
            .map(|n| (n.clone(), Value::from("  ")))
            .collect::<serde_json::Map<_, _>>()
            .into();
        let err = Catalogue::global().validate(id, blanks).unwrap_err();
        let pointers: BTreeSet<String> = err.violations().into_iter().map(|v| v.pointer).collect();
        for name in &required {
            assert!(
                pointers.contains(&format!("/{name}")),
                "{id}: blank {name} accepted"
            );
        }
    }
}

#[test]
fn unknown_inputs_and_wrong_types_are_refused() {
    assert_eq!(
        violations(
            "thrive_get_user_by_ref",
            json!({"ref": "U1", "refs": "typo"})
        ),
        vec![(
            "/refs".to_owned(),
            "refs is not an input of this tool (did you mean `ref`?); its inputs: ref (connection: tenantId, apiKey, host, clientId, scope)".to_owned()
        )]
    );
    assert_eq!(
        violations(
            "thrive_list_audiences",
            json!({"perPage": "lots", "apiControlled": "maybe"})
        ),
        vec![
            (
                "/apiControlled".to_owned(),
                "apiControlled must be of type boolean".to_owned()
            ),
            (
                "/perPage".to_owned(),
                "perPage must be a whole number".to_owned()
            ),
        ]
    );
    let e = Catalogue::global()
        .validate("thrive_list_audiences", json!([1, 2]))
        .unwrap_err();
    assert_eq!(
        e.message(),
        "invalid input: input must be a JSON object, got an array"
    );
    let e = Catalogue::global()
        .validate("thrive_nope", json!({}))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::UnknownTool);
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let srv = CaptureServer::start().await;
    let err = srv
        .run(
            "thrive_add_audience_members",
            json!({"audienceId": "a", "users": "[]"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.attempts(), 0);
    assert!(srv.requests().is_empty());
}

#[tokio::test]
async fn hostile_hosts_are_refused_before_anything_is_sent() {
    let srv = CaptureServer::start().await;
    let ctx = srv.context();
    for (host, code) in [
        ("evil.example", ErrorCode::HostNotAllowed),
        ("https://evil.example", ErrorCode::HostNotAllowed),
        ("http://public.api.learn.link", ErrorCode::HostNotAllowed),
        ("public.api.learn.link:8443", ErrorCode::HostNotAllowed),
        ("http://127.0.0.2:1", ErrorCode::HostNotAllowed),
        (
            "public.api.learn.link@evil.example",
            ErrorCode::InvalidInput,
        ),
        ("evil.example/rest/v1", ErrorCode::InvalidInput),
        (
            "https://evil.example?public.api.learn.link",
            ErrorCode::InvalidInput,
        ),
        ("file:///etc/passwd", ErrorCode::InvalidInput),
    ] {
        let input = json!({"tenantId": TENANT, "apiKey": KEY, "host": host, "ref": "U1"});
        let err = Catalogue::global()
            .execute("thrive_get_user_by_ref", input, &ctx)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{host}: {err}");
        assert!(!err.to_string().contains(KEY));
    }
    assert!(srv.requests().is_empty());
    // The allowed loopback origin works.
    srv.reply(200, json!({"id": "1"}));
    assert!(
        srv.run("thrive_get_user_by_ref", json!({"ref": "U1"}))
            .await
            .is_ok()
    );
}

#[test]
fn dry_run_masks_credentials() {
    let ctx = Context::builder()
        .allow_origin(Origin::parse("http://127.0.0.1:18080").unwrap())
        .retry(RetryPolicy::none())
        .build();
    let dry = Catalogue::global()
        .dry_run(
            "thrive_remove_audience_member",
            json!({"tenantId": TENANT, "apiKey": KEY, "host": "http://127.0.0.1:18080",
                   "audienceId": "struct tech", "userRef": "jane@example.com"}),
            &ctx,
        )
        .unwrap();
    let shown = dry.to_json();
    assert_eq!(
        shown,
        json!({
            "method": "DELETE",
            "url": "http://127.0.0.1:18080/rest/v1/audiences/struct%20tech/members/jane%40example.com",
            "headers": {"Authorization": "Basic ***", "Accept": "application/json", "Content-Type": "application/json"},
            "body": null
        })
    );
}

#[test]
fn manifests_carry_metadata_and_no_secrets() {
    let (index, files) = Catalogue::global().manifests();
    assert_eq!(index["tools"].as_array().unwrap().len(), 53);
    assert_eq!(files.len(), 53);
    for (id, m) in &files {
        assert_eq!(m["id"], *id);
        for key in [
            "title",
            "description",
            "version",
            "endpoint",
            "inputSchema",
            "outputSchema",
            "hints",
            "credentials",
        ] {
            assert!(m.get(key).is_some(), "{id} lacks {key}");
        }
        let text = m.to_string();
        assert!(
            !text.contains(KEY) && !text.contains("sandbox-api-key"),
            "{id}"
        );
    }
}

#[test]
fn committed_manifests_match_the_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("manifests");
    let (index, files) = Catalogue::global().manifests();
    let pretty = |v: &Value| format!("{}\n", serde_json::to_string_pretty(v).unwrap());
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    assert!(
        read("index.json") == pretty(&index),
        "manifests/index.json is stale: run `cargo run -- manifests`"
    );
    for (id, m) in files {
        assert!(
            read(&format!("{id}.json")) == pretty(&m),
            "manifests/{id}.json is stale: run `cargo run -- manifests`"
        );
    }
    for (id, m) in Catalogue::global().trigger_manifests() {
        assert!(
            read(&format!("{id}.json")) == pretty(&m),
            "manifests/{id}.json is stale: run `cargo run -- manifests`"
        );
    }
    let on_disk = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        on_disk, 63,
        "manifests/ holds index.json, 53 tools and 9 triggers, nothing else"
    );
}

#[test]
fn oauth_scope_is_checked_with_the_other_inputs() {
    assert_eq!(
        violations("thrive_list_tags", json!({"scope": "api/read api/everything", "perPage": 0})),
        vec![
            ("/perPage".to_owned(), "perPage: value is less than the minimum of 1".to_owned()),
            ("/scope".to_owned(), "scope is only used with clientId (OAuth); remove it or give clientId".to_owned()),
            (
                "/scope".to_owned(),
                "scope has unknown value(s) api/everything; use one or more of api/read, api/write, api/all, api/webhooks, separated by spaces"
                    .to_owned()
            ),
        ]
    );
    assert!(
        violations(
            "thrive_list_tags",
            json!({"clientId": "c", "scope": "api/read api/write"})
        )
        .is_empty()
    );
}
