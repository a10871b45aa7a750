//! Request, output and error shapes of the audience member tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::ErrorCode;

#[test]
fn add_members_sends_a_bare_array_and_reports_partial_success() {
    let srv = Offline::new();
    srv.reply(207, json!({
        "success": {"count": 1, "entities": [{"reference": "TestUser1"}]},
        "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]}
    }));
    let out = srv
        .run(
            "thrive_add_audience_members",
            json!({
                "audienceId": "63f57d805d8ecbf46f5b5278",
                "users": "[\"test.user@thrivelearning.com\", \"TestUser1\"]"
            }),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "POST /rest/v1/audiences/63f57d805d8ecbf46f5b5278/members"
    );
    assert_eq!(
        req.body,
        json!(["test.user@thrivelearning.com", "TestUser1"])
    );
    assert_eq!(
        out,
        json!({
            "result": {
                "success": {"count": 1, "entities": [{"reference": "TestUser1"}]},
                "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]}
            },
            "partial": true
        })
    );
}

#[test]
fn add_members_accepts_a_real_array_and_full_success_has_no_failure() {
    let srv = Offline::new();
    srv.reply(200, json!({"success": {"count": 2, "entities": [{"reference": "a@x.io"}, {"reference": "EMP-1"}]}}));
    let out = srv
        .run(
            "thrive_add_audience_members",
            json!({"audienceId": "tech team/../x", "users": ["a@x.io", "EMP-1"]}),
        )
        .unwrap();
    assert_eq!(
        srv.single().path,
        "/rest/v1/audiences/tech%20team%2F..%2Fx/members"
    );
    assert_eq!(out["partial"], false);
    assert!(out["result"].get("failure").is_none());
}

#[tokio::test]
async fn add_members_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        403,
        json!({"status": 403, "error": "Forbidden", "message": "Forbidden"}),
    );
    let err = srv
        .run(
            "thrive_add_audience_members",
            json!({"audienceId": "a1", "users": "[\"x\"]"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Forbidden, Some(403), "Forbidden")
    );
}

#[test]
fn add_members_validation() {
    assert_eq!(
        violations("thrive_add_audience_members", json!({"users": "not json"})),
        vec![
            ("/audienceId".to_owned(), "audienceId is required".to_owned()),
            ("/users".to_owned(), "users: is not valid JSON (expected ident at line 1 column 2); expected a JSON array such as [\"a\", \"b\"]".to_owned()),
        ]
    );
    assert_eq!(
        violated_pointers(
            "thrive_add_audience_members",
            json!({"audienceId": "..", "users": "[]"})
        ),
        vec!["/audienceId", "/users"]
    );
    assert_eq!(
        violations(
            "thrive_add_audience_members",
            json!({"audienceId": "a", "users": "[\"ok\", {\"x\": 1}, \" \"]"})
        ),
        vec![(
            "/users/1".to_owned(),
            "users[1]: invalid type: map, expected a string".to_owned()
        )]
    );
}

// ------------------------------------------------------------------ list --

const AUDIENCE: &str = "63f57d805d8ecbf46f5b5278";

fn member_page(page: u64, total_pages: u64, refs: &[&str]) -> Value {
    let results: Vec<Value> = refs
        .iter()
        .map(|r| json!({"userId": format!("id-{r}"), "reference": r, "email": format!("{r}@x.io")}))
        .collect();
    json!({"results": results, "pagination": {"totalResults": 3, "totalPages": total_pages, "page": page, "perPage": 2}})
}

#[test]
fn list_members_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [], "pagination": null}));
    srv.run(
        "thrive_list_audience_members",
        json!({"audienceId": AUDIENCE, "page": "", "perPage": "  "}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/audiences/63f57d805d8ecbf46f5b5278/members"
    );
    assert_eq!(req.body, Value::Null);
}

#[test]
fn list_members_full_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({
            "results": [
                {"userId": "63f8c5361b9c80d3274be7ca", "reference": "TestUser1",
                 "email": "test.user1@thrivelearning.com", "futureField": 1}
            ],
            "pagination": {"totalResults": 1, "totalPages": 1, "page": 2, "perPage": 50, "cursor": "c1"}
        }),
    );
    let out = srv
        .run(
            "thrive_list_audience_members",
            json!({"audienceId": "tech-team", "page": "2", "perPage": "50"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/audiences/tech-team/members?page=2&perPage=50"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({
            "results": [
                {"userId": "63f8c5361b9c80d3274be7ca", "reference": "TestUser1",
                 "email": "test.user1@thrivelearning.com", "futureField": 1}
            ],
            "pagination": {"totalResults": 1, "totalPages": 1, "page": 2, "perPage": 50, "cursor": "c1"}
        })
    );
}

#[test]
fn list_members_missing_fields_are_null_and_empty_body_is_empty_page() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [{"reference": "R1"}]}));
    srv.reply(200, Value::Null);
    let out = srv
        .run("thrive_list_audience_members", json!({"audienceId": "a1"}))
        .unwrap();
    assert_eq!(
        out,
        json!({"results": [{"userId": null, "reference": "R1", "email": null}], "pagination": null})
    );
    let out = srv
        .run("thrive_list_audience_members", json!({"audienceId": "a1"}))
        .unwrap();
    assert_eq!(out, json!({"results": [], "pagination": null}));
}

#[tokio::test]
async fn list_members_return_all_follows_pages() {
    let srv = CaptureServer::start().await;
    srv.reply(200, member_page(1, 2, &["u1", "u2"]));
    srv.reply(200, member_page(2, 2, &["u3"]));
    let out = srv
        .run(
            "thrive_list_audience_members",
            json!({"audienceId": AUDIENCE, "perPage": 2, "returnAll": true}),
        )
        .await
        .unwrap();
    let refs: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["u1", "u2", "u3"]);
    assert_eq!(
        out["results"][2],
        json!({"userId": "id-u3", "reference": "u3", "email": "u3@x.io"})
    );
    assert_eq!(
        out["pagination"],
        json!({"totalResults": 3, "totalPages": 1, "page": 1, "perPage": 3})
    );
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "GET /rest/v1/audiences/63f57d805d8ecbf46f5b5278/members?page=1&perPage=2",
            "GET /rest/v1/audiences/63f57d805d8ecbf46f5b5278/members?page=2&perPage=2",
        ]
    );
}

#[test]
fn list_members_encodes_the_audience_as_one_segment() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [], "pagination": null}));
    srv.run(
        "thrive_list_audience_members",
        json!({"audienceId": "a/b?c#d%e"}),
    )
    .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/audiences/a%2Fb%3Fc%23d%25e/members"
    );
}

#[tokio::test]
async fn list_members_error_bodies() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
    );
    let err = srv
        .run(
            "thrive_list_audience_members",
            json!({"audienceId": "nope"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Audience not found")
    );

    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content", "message": {"perPage": "must be at most 1000"}}),
    );
    let err = srv
        .run("thrive_list_audience_members", json!({"audienceId": "a1"}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Unprocessable,
            Some(422),
            "perPage: must be at most 1000"
        )
    );
    assert_eq!(
        err.details(),
        Some(&json!({"perPage": "must be at most 1000"}))
    );
}

#[test]
fn list_members_validation() {
    assert_eq!(
        violations(
            "thrive_list_audience_members",
            json!({"page": 0, "perPage": 1001})
        ),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId is required".to_owned()
            ),
            (
                "/page".to_owned(),
                "page: value is less than the minimum of 1".to_owned()
            ),
            (
                "/perPage".to_owned(),
                "perPage: value is greater than the maximum of 1000".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_list_audience_members",
            json!({"audienceId": "a", "page": "two", "perPage": 2.5})
        ),
        vec![
            ("/page".to_owned(), "page must be a whole number".to_owned()),
            (
                "/perPage".to_owned(),
                "perPage must be a whole number".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations("thrive_list_audience_members", json!({"audienceId": ".."})),
        vec![(
            "/audienceId".to_owned(),
            "audienceId must not be '.' or '..'".to_owned()
        )]
    );
    assert_eq!(
        violated_pointers(
            "thrive_list_audience_members",
            json!({"audienceId": "a", "limit": 5, "returnAll": "yes"})
        ),
        vec!["/limit", "/returnAll"]
    );
    assert!(
        violations(
            "thrive_list_audience_members",
            json!({"audienceId": "a", "page": "1", "perPage": "1000", "returnAll": "true", "maxResults": 10})
        )
        .is_empty()
    );
}

// --------------------------------------------------------------- replace --

#[test]
fn replace_members_minimal_request() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"success": {"count": 1, "entities": [{"reference": "TestUser1"}]}}),
    );
    let out = srv
        .run(
            "thrive_replace_audience_members",
            json!({"audienceId": AUDIENCE, "users": "[\"TestUser1\"]"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "PATCH /rest/v1/audiences/63f57d805d8ecbf46f5b5278/members"
    );
    assert_eq!(req.body, json!(["TestUser1"]));
    assert_eq!(
        out,
        json!({
            "result": {"success": {"count": 1, "entities": [{"reference": "TestUser1"}]}},
            "partial": false
        })
    );
}

#[test]
fn replace_members_full_request_and_partial_output() {
    let srv = Offline::new();
    srv.reply(
        207,
        json!({
            "success": {"count": 1, "entities": [{"reference": "TestUser1", "futureField": 1}]},
            "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]},
            "requestId": "r-1"
        }),
    );
    let out = srv
        .run(
            "thrive_replace_audience_members",
            json!({
                "audienceId": " audience123 ",
                "users": [" test.user@thrivelearning.com ", "TestUser1", "646767d82535201223349e09"]
            }),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v1/audiences/audience123/members");
    assert_eq!(
        req.body,
        json!([
            "test.user@thrivelearning.com",
            "TestUser1",
            "646767d82535201223349e09"
        ])
    );
    assert_eq!(
        out,
        json!({
            "result": {
                "success": {"count": 1, "entities": [{"reference": "TestUser1", "futureField": 1}]},
                "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]},
                "requestId": "r-1"
            },
            "partial": true
        })
    );
}

#[test]
fn replace_members_sends_100_in_one_call() {
    let srv = Offline::new();
    let users: Vec<String> = (0..100).map(|i| format!("u{i}")).collect();
    srv.run(
        "thrive_replace_audience_members",
        json!({"audienceId": "a1", "users": users}),
    )
    .unwrap();
    assert_eq!(srv.single().body, json!(users));
}

#[tokio::test]
async fn replace_members_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
    );
    let err = srv
        .run(
            "thrive_replace_audience_members",
            json!({"audienceId": "missing", "users": "[\"x\"]"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Audience not found")
    );
}

#[test]
fn replace_members_refuses_more_than_100_without_sending() {
    let srv = Offline::new();
    let users: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let err = srv
        .run(
            "thrive_replace_audience_members",
            json!({"audienceId": "a1", "users": users}),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(srv.requests().is_empty());
    assert_eq!(
        violations(
            "thrive_replace_audience_members",
            json!({"audienceId": "a1", "users": users})
        ),
        vec![(
            "/users".to_owned(),
            "users has 101 items; a replace takes at most 100 and cannot be split into several calls, because each call replaces the whole list".to_owned()
        )]
    );
}

#[test]
fn replace_members_validation() {
    assert_eq!(
        violations("thrive_replace_audience_members", json!({})),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId is required".to_owned()
            ),
            ("/users".to_owned(), "users is required".to_owned()),
        ]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_members",
            json!({"audienceId": "..", "users": "[]"})
        ),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId must not be '.' or '..'".to_owned()
            ),
            (
                "/users".to_owned(),
                "users must not be an empty list (at least 1 item(s))".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_members",
            json!({"audienceId": "a", "users": "[\"a\","})
        ),
        vec![(
            "/users".to_owned(),
            "users: is not valid JSON (EOF while parsing a value at line 1 column 5); expected a JSON array such as [\"a\", \"b\"]".to_owned()
        )]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_members",
            json!({"audienceId": "a", "users": "[\"ok\", 7]"})
        ),
        vec![(
            "/users/1".to_owned(),
            "users[1]: invalid type: integer `7`, expected a string".to_owned()
        )]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_members",
            json!({"audienceId": "a", "users": "[\"ok\", \"  \"]"})
        ),
        vec![(
            "/users/1".to_owned(),
            "users[1] must not be empty".to_owned()
        )]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_members",
            json!({"audienceId": "a", "users": 5})
        ),
        vec![(
            "/users".to_owned(),
            "users must be of type string".to_owned()
        )]
    );
    // A single JSON string is taken as a one-item list.
    assert!(
        violations(
            "thrive_replace_audience_members",
            json!({"audienceId": "a", "users": "\"solo@x.io\""})
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------- remove --

#[test]
fn remove_member_request_and_empty_body_is_success() {
    let srv = Offline::new();
    srv.reply(204, Value::Null);
    let out = srv
        .run(
            "thrive_remove_audience_member",
            json!({"audienceId": AUDIENCE, "userRef": "TestUser1"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "DELETE /rest/v1/audiences/63f57d805d8ecbf46f5b5278/members/TestUser1"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"success": true}));
}

#[test]
fn remove_member_encodes_ids_and_reads_success() {
    let srv = Offline::new();
    srv.reply(200, json!({"success": true, "futureField": 1}));
    srv.reply(200, json!({"success": false}));
    let out = srv
        .run(
            "thrive_remove_audience_member",
            json!({"audienceId": "a/b?c#d%e", "userRef": "jane.doe+x@example.com"}),
        )
        .unwrap();
    // SuccessOutput reports only `success` (a shared core type).
    assert_eq!(out, json!({"success": true, "futureField": 1}));
    let out = srv
        .run(
            "thrive_remove_audience_member",
            json!({"audienceId": "a1", "userRef": "a/b?c#d%e"}),
        )
        .unwrap();
    assert_eq!(out, json!({"success": false}));
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "DELETE /rest/v1/audiences/a%2Fb%3Fc%23d%25e/members/jane.doe%2Bx%40example.com",
            "DELETE /rest/v1/audiences/a1/members/a%2Fb%3Fc%23d%25e",
        ]
    );
}

#[tokio::test]
async fn remove_member_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Member not found"}),
    );
    let err = srv
        .run(
            "thrive_remove_audience_member",
            json!({"audienceId": "a1", "userRef": "ghost"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Member not found")
    );
}

#[test]
fn remove_member_validation() {
    assert_eq!(
        violations("thrive_remove_audience_member", json!({"userRef": " "})),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId is required".to_owned()
            ),
            ("/userRef".to_owned(), "userRef is required".to_owned()),
        ]
    );
    assert_eq!(
        violations(
            "thrive_remove_audience_member",
            json!({"audienceId": "..", "userRef": "."})
        ),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId must not be '.' or '..'".to_owned()
            ),
            (
                "/userRef".to_owned(),
                "userRef must not be '.' or '..'".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_remove_audience_member",
            json!({"audienceId": "a", "userRef": 42})
        ),
        vec![(
            "/userRef".to_owned(),
            "userRef must be of type string".to_owned()
        )]
    );
}
