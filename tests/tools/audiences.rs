//! Request, output and error shapes of the audience tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::ErrorCode;

fn s(pointer: &str, message: &str) -> (String, String) {
    (pointer.to_owned(), message.to_owned())
}

const ISO: &str = "must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got";

/// The structure of examples.md 4.1, with an unmodelled field.
fn structure() -> Value {
    json!({
        "id": "673db100e5c0503ac23b0e2b", "name": "Tech Department", "reference": "struct-tech",
        "apiControlled": true, "category": "structure", "type": "manual", "parent": null,
        "createdAt": "2024-11-20T09:00:00.000Z", "updatedAt": "2024-11-20T09:00:00.000Z",
        "futureField": 1
    })
}

/// The child audience of examples.md 4.1, with unmodelled fields.
fn child(id: &str) -> Value {
    json!({
        "id": id, "name": "Tech Team", "reference": "audience123", "apiControlled": true,
        "category": "audience", "type": "manual",
        "parent": {"name": "Tech Department", "reference": "struct-tech",
            "id": "673db100e5c0503ac23b0e2b", "futureField": 2},
        "createdAt": "2024-11-20T09:01:00.000Z", "updatedAt": "2024-11-20T09:01:00.000Z",
        "futureField": 1
    })
}

fn page_of(items: Vec<Value>, page: u64, total_pages: u64, total: u64, per_page: u64) -> Value {
    json!({"results": items,
        "pagination": {"totalResults": total, "totalPages": total_pages, "page": page, "perPage": per_page}})
}

// ---------------------------------------------------------------- list

#[test]
fn list_audiences_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, page_of(vec![], 1, 0, 0, 100));
    let out = srv.run("thrive_list_audiences", json!({})).unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/audiences");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, page_of(vec![], 1, 0, 0, 100));
}

#[test]
fn list_audiences_full_request_and_lossless_output() {
    let srv = Offline::new();
    let mut body = page_of(
        vec![child("63f8c5361b9c80d3274be7ca"), structure()],
        1,
        1,
        2,
        50,
    );
    body["pagination"]["futureField"] = json!("p");
    srv.reply(200, body.clone());
    let out = srv
        .run(
            "thrive_list_audiences",
            json!({"apiControlled": "true", "updatedSince": "2024-01-01T00:00:00Z", "page": "1", "perPage": "50"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/audiences?apiControlled=true&updatedSince=2024-01-01T00%3A00%3A00Z&page=1&perPage=50"
    );
    assert_eq!(out, body);
    assert_eq!(out["results"][0]["parent"]["futureField"], 2);
    assert_eq!(out["results"][1]["parent"], Value::Null);
}

#[test]
fn list_audiences_false_filter_and_blank_inputs() {
    let srv = Offline::new();
    srv.reply(200, page_of(vec![], 1, 0, 0, 100));
    srv.run(
        "thrive_list_audiences",
        json!({"apiControlled": false, "updatedSince": "", "page": " ", "perPage": ""}),
    )
    .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/audiences?apiControlled=false"
    );
}

#[tokio::test]
async fn list_audiences_return_all_follows_pages() {
    let srv = CaptureServer::start().await;
    srv.reply(200, page_of(vec![structure(), child("a1")], 1, 2, 3, 2));
    srv.reply(200, page_of(vec![child("a2")], 2, 2, 3, 2));
    let out = srv
        .run(
            "thrive_list_audiences",
            json!({"apiControlled": true, "perPage": 2, "returnAll": true}),
        )
        .await
        .unwrap();
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    // The runtime adds `page` after the tool's own query parameters.
    assert_eq!(
        lines,
        [
            "GET /rest/v1/audiences?apiControlled=true&page=1&perPage=2",
            "GET /rest/v1/audiences?apiControlled=true&page=2&perPage=2",
        ]
    );
    assert_eq!(
        out,
        json!({
            "results": [structure(), child("a1"), child("a2")],
            "pagination": {"totalResults": 3, "totalPages": 1, "page": 1, "perPage": 3}
        })
    );
}

#[tokio::test]
async fn list_audiences_error() {
    let srv = CaptureServer::start().await;
    srv.reply(
        400,
        json!({"status": 400, "error": "Bad Request", "message": "perPage must not be greater than 1000"}),
    );
    let err = srv
        .run("thrive_list_audiences", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::BadRequest,
            Some(400),
            "perPage must not be greater than 1000"
        )
    );
}

#[test]
fn list_audiences_validation() {
    assert_eq!(
        violations(
            "thrive_list_audiences",
            json!({"apiControlled": "maybe", "updatedSince": "2024-13-01", "page": 0, "perPage": 1001})
        ),
        vec![
            s("/apiControlled", "apiControlled must be of type boolean"),
            s("/page", "page: value is less than the minimum of 1"),
            s(
                "/perPage",
                "perPage: value is greater than the maximum of 1000"
            ),
            s(
                "/updatedSince",
                &format!("updatedSince {ISO} \"2024-13-01\"")
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_list_audiences",
            json!({"perPage": "fifty", "page": 1.5})
        ),
        vec![
            s("/page", "page must be a whole number"),
            s("/perPage", "perPage must be a whole number"),
        ]
    );
    assert!(violations("thrive_list_audiences", json!({"perPage": 1000, "page": 3})).is_empty());
}

// ---------------------------------------------------------------- create

#[test]
fn create_audience_minimal_request_creates_a_structure() {
    let srv = Offline::new();
    srv.reply(201, structure());
    let out = srv
        .run(
            "thrive_create_audience",
            json!({"name": "Tech Department", "reference": "struct-tech", "category": "structure", "parentId": " "}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "POST /rest/v1/audiences");
    assert_eq!(
        req.body,
        json!({"name": "Tech Department", "reference": "struct-tech", "category": "structure"})
    );
    assert_eq!(out, json!({"audience": structure()}));
}

#[test]
fn create_audience_with_nothing_sends_an_empty_object() {
    let srv = Offline::new();
    srv.reply(201, structure());
    srv.run("thrive_create_audience", json!({"name": ""}))
        .unwrap();
    assert_eq!(srv.single().body, json!({}));
}

#[test]
fn create_audience_full_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(201, child("63f8c5361b9c80d3274be7ca"));
    let out = srv
        .run(
            "thrive_create_audience",
            json!({"name": "Tech Team", "reference": "audience123", "parentId": "struct-tech", "category": "audience"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "POST /rest/v1/audiences");
    assert_eq!(
        req.body,
        json!({"name": "Tech Team", "reference": "audience123", "parentId": "struct-tech", "category": "audience"})
    );
    assert_eq!(out, json!({"audience": child("63f8c5361b9c80d3274be7ca")}));
    assert_eq!(out["audience"]["futureField"], 1);
}

#[tokio::test]
async fn create_audience_conflict() {
    let srv = CaptureServer::start().await;
    srv.reply(
        409,
        json!({"status": 409, "error": "Conflict", "message": "Audience with reference audience123 already exists"}),
    );
    let err = srv
        .run(
            "thrive_create_audience",
            json!({"name": "Tech Team", "reference": "audience123", "parentId": "struct-tech", "category": "audience"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Conflict,
            Some(409),
            "Audience with reference audience123 already exists"
        )
    );
}

#[test]
fn create_audience_validation() {
    let long = "x".repeat(101);
    assert_eq!(
        violations(
            "thrive_create_audience",
            json!({"name": long, "reference": long, "category": "structure", "parentId": "p"})
        ),
        vec![
            s("/name", "name: value is longer than 100 characters"),
            s(
                "/parentId",
                "parentId must be left blank when category is 'structure': a structure is a top-level audience"
            ),
            s(
                "/reference",
                "reference: value is longer than 100 characters"
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_create_audience",
            json!({"name": "Tech Team", "category": "audience"})
        ),
        vec![s(
            "/parentId",
            "parentId is required when category is 'audience': a child audience must belong to a structure"
        )]
    );
    assert_eq!(
        violations(
            "thrive_create_audience",
            json!({"category": "team", "parentId": "p", "name": 5})
        ),
        vec![
            s(
                "/category",
                "category must be one of 'audience', 'structure'"
            ),
            s("/name", "name must be of type string"),
        ]
    );
    // 100 characters (not bytes) are fine.
    let hundred = "é".repeat(100);
    assert!(
        violations(
            "thrive_create_audience",
            json!({"name": hundred, "category": "structure"})
        )
        .is_empty()
    );
    // Without a category the docs give no rule.
    assert!(violations("thrive_create_audience", json!({"name": "n"})).is_empty());
}

// ---------------------------------------------------------------- get

#[test]
fn get_audience_request_and_output() {
    let srv = Offline::new();
    srv.reply(200, child("63f8c5361b9c80d3274be7ca"));
    let out = srv
        .run(
            "thrive_get_audience",
            json!({"audienceId": " audience123 "}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/audiences/audience123");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"audience": child("63f8c5361b9c80d3274be7ca")}));
}

#[tokio::test]
async fn get_audience_encodes_and_reports_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
    );
    let err = srv
        .run("thrive_get_audience", json!({"audienceId": "a/b?c#d%e"}))
        .await
        .unwrap_err();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/audiences/a%2Fb%3Fc%23d%25e"
    );
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Audience not found")
    );
}

#[test]
fn get_audience_validation() {
    assert_eq!(
        violations("thrive_get_audience", json!({})),
        vec![s("/audienceId", "audienceId is required")]
    );
    assert_eq!(
        violations("thrive_get_audience", json!({"audienceId": ".."})),
        vec![s("/audienceId", "audienceId must not be '.' or '..'")]
    );
    assert_eq!(
        violations("thrive_get_audience", json!({"audienceId": ["a"]})),
        vec![s("/audienceId", "audienceId must be of type string")]
    );
}

// ---------------------------------------------------------------- update

#[test]
fn update_audience_minimal_rename_is_not_partial() {
    let srv = Offline::new();
    let mut renamed = child("63f8c5361b9c80d3274be7ca");
    renamed["name"] = json!("Tech Team 2");
    renamed["memberOperations"] = Value::Null;
    srv.reply(200, renamed.clone());
    let out = srv
        .run(
            "thrive_update_audience",
            json!({"audienceId": "audience123", "name": "Tech Team 2", "reference": "", "parentId": "  "}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v1/audiences/audience123");
    assert_eq!(req.body, json!({"name": "Tech Team 2"}));
    assert_eq!(out, json!({"audience": renamed, "partial": false}));
}

#[test]
fn update_audience_full_move_with_partial_success() {
    let srv = Offline::new();
    let moved = json!({
        "id": "63f8c5361b9c80d3274be7ca", "name": "Tech Team", "reference": "audience123",
        "apiControlled": true, "category": "audience", "type": "manual",
        "parent": {"name": "Ops Department", "reference": "struct-ops", "id": "64b6f4a8c2e4a1b9d3f2c4a0"},
        "createdAt": "2024-11-20T09:01:00.000Z", "updatedAt": "2024-11-21T10:00:00.000Z",
        "memberOperations": {
            "success": {"count": 2, "entities": [{"reference": "TestUser1"}, {"reference": "TestUser2"}]},
            "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]}
        },
        "futureField": 1
    });
    srv.reply(207, moved);
    let out = srv
        .run(
            "thrive_update_audience",
            json!({"audienceId": "a/b?c#d%e", "name": "Tech Team", "reference": "audience123",
                "parentId": "64b6f4a8c2e4a1b9d3f2c4a0"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v1/audiences/a%2Fb%3Fc%23d%25e");
    assert_eq!(
        req.body,
        json!({"name": "Tech Team", "reference": "audience123", "parentId": "64b6f4a8c2e4a1b9d3f2c4a0"})
    );
    assert_eq!(
        out,
        json!({
            "audience": {
                "id": "63f8c5361b9c80d3274be7ca", "name": "Tech Team", "reference": "audience123",
                "apiControlled": true, "category": "audience", "type": "manual",
                "parent": {"name": "Ops Department", "reference": "struct-ops", "id": "64b6f4a8c2e4a1b9d3f2c4a0"},
                "createdAt": "2024-11-20T09:01:00.000Z", "updatedAt": "2024-11-21T10:00:00.000Z",
                "memberOperations": {
                    "success": {"count": 2, "entities": [{"reference": "TestUser1"}, {"reference": "TestUser2"}]},
                    "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]}
                },
                "futureField": 1
            },
            "partial": true
        })
    );
}

#[test]
fn update_audience_move_with_full_success_is_not_partial() {
    let srv = Offline::new();
    let mut moved = child("63f8c5361b9c80d3274be7ca");
    moved["memberOperations"] =
        json!({"success": {"count": 1, "entities": [{"reference": "TestUser1"}]}});
    srv.reply(200, moved);
    let out = srv
        .run(
            "thrive_update_audience",
            json!({"audienceId": "audience123", "parentId": "64b6f4a8c2e4a1b9d3f2c4a0"}),
        )
        .unwrap();
    assert_eq!(out["partial"], false);
    assert_eq!(
        out["audience"]["memberOperations"],
        json!({"success": {"count": 1, "entities": [{"reference": "TestUser1"}]}})
    );
    assert!(out["audience"]["memberOperations"].get("failure").is_none());
}

#[tokio::test]
async fn update_audience_refused_move() {
    let srv = CaptureServer::start().await;
    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content",
            "message": {"parentId": "cannot move audience to this parent"}}),
    );
    let err = srv
        .run(
            "thrive_update_audience",
            json!({"audienceId": "audience123", "parentId": "64b6f4a8c2e4a1b9d3f2c4a0"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Unprocessable,
            Some(422),
            "parentId: cannot move audience to this parent"
        )
    );
    assert_eq!(
        err.details(),
        Some(&json!({"parentId": "cannot move audience to this parent"}))
    );
}

#[test]
fn update_audience_validation() {
    let long = "y".repeat(101);
    assert_eq!(
        violations(
            "thrive_update_audience",
            json!({"name": long, "reference": long, "parentId": 1})
        ),
        vec![
            s("/audienceId", "audienceId is required"),
            s("/name", "name: value is longer than 100 characters"),
            s("/parentId", "parentId must be of type string"),
            s(
                "/reference",
                "reference: value is longer than 100 characters"
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_update_audience",
            json!({"audienceId": "..", "name": "n"})
        ),
        vec![s("/audienceId", "audienceId must not be '.' or '..'")]
    );
    assert_eq!(
        violations(
            "thrive_update_audience",
            json!({"audienceId": "a", "category": "structure"})
        ),
        vec![s(
            "/category",
            "category is not an input of this tool; its inputs: audienceId, name, reference, parentId (connection: tenantId, apiKey, host, clientId, scope)"
        )]
    );
}

// ---------------------------------------------------------------- delete

#[test]
fn delete_audience_request_and_empty_body_means_success() {
    let srv = Offline::new();
    srv.reply(204, Value::Null);
    let out = srv
        .run(
            "thrive_delete_audience",
            json!({"audienceId": "audience123"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "DELETE /rest/v1/audiences/audience123");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"success": true}));
}

#[test]
fn delete_audience_reads_success_from_the_body() {
    let srv = Offline::new();
    srv.reply(200, json!({"success": true, "futureField": 1}));
    let out = srv
        .run("thrive_delete_audience", json!({"audienceId": "a/b?c#d%e"}))
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "DELETE /rest/v1/audiences/a%2Fb%3Fc%23d%25e"
    );
    assert_eq!(out, json!({"success": true, "futureField": 1}));
}

#[tokio::test]
async fn delete_audience_with_children_is_refused() {
    let srv = CaptureServer::start().await;
    srv.reply(
        409,
        json!({"status": 409, "error": "Conflict", "message": "Audience has child audiences"}),
    );
    let err = srv
        .run(
            "thrive_delete_audience",
            json!({"audienceId": "struct-tech"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Conflict,
            Some(409),
            "Audience has child audiences"
        )
    );
}

#[test]
fn delete_audience_validation() {
    assert_eq!(
        violations("thrive_delete_audience", json!({"audienceId": " "})),
        vec![s("/audienceId", "audienceId is required")]
    );
    assert_eq!(
        violations("thrive_delete_audience", json!({"audienceId": ".."})),
        vec![s("/audienceId", "audienceId must not be '.' or '..'")]
    );
}
