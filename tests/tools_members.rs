//! Request, output and error shapes of the audience member tools.

mod common;

use common::*;
use serde_json::json;
use thrive_blocks::ErrorCode;

#[tokio::test]
async fn add_members_sends_a_bare_array_and_reports_partial_success() {
    let srv = CaptureServer::start().await;
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
        .await
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "POST /rest/v1/audiences/63f57d805d8ecbf46f5b5278/members"
    );
    assert_headers(&req);
    assert_eq!(
        req.body,
        json!(["test.user@thrivelearning.com", "TestUser1"])
    );
    assert_eq!(
        out,
        json!({
            "result": {
                "success": {"count": 1.0, "entities": [{"reference": "TestUser1"}]},
                "failure": {"count": 1.0, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]}
            },
            "partial": true
        })
    );
}

#[tokio::test]
async fn add_members_accepts_a_real_array_and_full_success_has_no_failure() {
    let srv = CaptureServer::start().await;
    srv.reply(200, json!({"success": {"count": 2, "entities": [{"reference": "a@x.io"}, {"reference": "EMP-1"}]}}));
    let out = srv
        .run(
            "thrive_add_audience_members",
            json!({"audienceId": "tech team/../x", "users": ["a@x.io", "EMP-1"]}),
        )
        .await
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
