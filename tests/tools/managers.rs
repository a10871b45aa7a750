//! Request, output and error shapes of the audience manager tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::ErrorCode;

const AUDIENCE: &str = "63f57d805d8ecbf46f5b5278";

/// The docs' full input example (seed 004, examples.md §6.2) plus the
/// `userId`/`email` the docs' request examples also carry.
fn full_manager() -> Value {
    json!({
        "reference": "test.user@thrivelearning.com",
        "userId": "63f8c5361b9c80d3274be7ca",
        "email": "test.user@thrivelearning.com",
        "permissions": {
            "audienceManager": {"manageContent": true, "assignments": true},
            "peopleManager": {"canViewLearnPage": true, "insights": false, "manage": false},
            "administrator": {"canAddAudienceManagers": false}
        }
    })
}

// ------------------------------------------------------------------ list --

#[test]
fn list_managers_request_and_child_audience_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!([{
            "userId": "63f8c5361b9c80d3274be7ca",
            "reference": "user123",
            "email": "test@thrivelearning.com",
            "permissions": {
                "audienceManager": {"manageMembers": false, "manageContent": true, "assignments": true},
                "peopleManager": {"canViewLearnPage": true, "insights": true, "manage": true}
            },
            "futureField": 1
        }]),
    );
    let out = srv
        .run(
            "thrive_list_audience_managers",
            json!({"audienceId": AUDIENCE}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/audiences/63f57d805d8ecbf46f5b5278/managers"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"managers": [{
            "userId": "63f8c5361b9c80d3274be7ca",
            "reference": "user123",
            "email": "test@thrivelearning.com",
            "permissions": {
                "audienceManager": {"manageMembers": false, "manageContent": true, "assignments": true},
                "peopleManager": {"canViewLearnPage": true, "insights": true, "manage": true},
                "administrator": null
            },
            "futureField": 1
        }]})
    );
}

#[test]
fn list_managers_structure_output_keeps_unmodelled_permissions() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!([
            {
                "userId": "63f8c5361b9c80d3274be7ca",
                "reference": "user123",
                "email": "test@thrivelearning.com",
                "permissions": {
                    "administrator": {"canManageAudiences": false, "canAddAudienceManagers": true, "futureAdmin": true},
                    "audienceManager": {"manageMembers": false, "manageContent": true, "assignments": true, "futureFlag": 2},
                    "peopleManager": {"canViewLearnPage": true, "insights": true, "manage": true},
                    "reportingManager": {"exports": true}
                }
            },
            {"reference": "bare"}
        ]),
    );
    let out = srv
        .run(
            "thrive_list_audience_managers",
            json!({"audienceId": "struct-tech"}),
        )
        .unwrap();
    assert_eq!(
        out,
        json!({"managers": [
            {
                "userId": "63f8c5361b9c80d3274be7ca",
                "reference": "user123",
                "email": "test@thrivelearning.com",
                "permissions": {
                    "administrator": {"canManageAudiences": false, "canAddAudienceManagers": true, "futureAdmin": true},
                    "audienceManager": {"manageMembers": false, "manageContent": true, "assignments": true, "futureFlag": 2},
                    "peopleManager": {"canViewLearnPage": true, "insights": true, "manage": true},
                    "reportingManager": {"exports": true}
                }
            },
            {"userId": null, "reference": "bare", "email": null, "permissions": null}
        ]})
    );
}

#[test]
fn list_managers_non_array_body_is_empty() {
    let srv = Offline::new();
    srv.reply(200, json!({}));
    srv.reply(200, Value::Null);
    for _ in 0..2 {
        let out = srv
            .run("thrive_list_audience_managers", json!({"audienceId": "a1"}))
            .unwrap();
        assert_eq!(out, json!({"managers": []}));
    }
}

#[tokio::test]
async fn list_managers_encodes_the_audience_and_reports_errors() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
    );
    let err = srv
        .run(
            "thrive_list_audience_managers",
            json!({"audienceId": "a/b?c#d%e"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/audiences/a%2Fb%3Fc%23d%25e/managers"
    );
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Audience not found")
    );
}

#[test]
fn list_managers_validation() {
    assert_eq!(
        violations("thrive_list_audience_managers", json!({})),
        vec![(
            "/audienceId".to_owned(),
            "audienceId is required".to_owned()
        )]
    );
    assert_eq!(
        violations("thrive_list_audience_managers", json!({"audienceId": ".."})),
        vec![(
            "/audienceId".to_owned(),
            "audienceId must not be '.' or '..'".to_owned()
        )]
    );
    // Not paginated: no paging inputs.
    assert_eq!(
        violated_pointers(
            "thrive_list_audience_managers",
            json!({"audienceId": "a", "page": 1, "returnAll": true})
        ),
        vec!["/page", "/returnAll"]
    );
}

// ------------------------------------------------------------------- add --

#[test]
fn add_managers_minimal_request_invents_no_permissions() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"success": {"count": 1, "entities": [{"reference": "test.user@thrivelearning.com"}]}}),
    );
    let out = srv
        .run(
            "thrive_add_audience_managers",
            json!({
                "audienceId": AUDIENCE,
                "managers": "[{\"reference\": \" test.user@thrivelearning.com \"}]"
            }),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "POST /rest/v1/audiences/63f57d805d8ecbf46f5b5278/managers"
    );
    assert_eq!(
        req.body,
        json!([{"reference": "test.user@thrivelearning.com"}])
    );
    assert_eq!(
        out,
        json!({
            "result": {"success": {"count": 1, "entities": [{"reference": "test.user@thrivelearning.com"}]}},
            "partial": false
        })
    );
}

#[test]
fn add_managers_full_request_and_partial_output() {
    let srv = Offline::new();
    srv.reply(
        207,
        json!({
            "success": {"count": 1, "entities": [{"reference": "test.user@thrivelearning.com", "futureField": 1}]},
            "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "ghost@x.io"}]}
        }),
    );
    let managers = json!([
        full_manager(),
        {"reference": "ghost@x.io", "permissions": {"peopleManager": {"insights": true}}}
    ]);
    let out = srv
        .run(
            "thrive_add_audience_managers",
            json!({"audienceId": AUDIENCE, "managers": managers.to_string()}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "POST /rest/v1/audiences/63f57d805d8ecbf46f5b5278/managers"
    );
    // Exactly what was given: no false values filled in.
    assert_eq!(req.body, managers);
    assert_eq!(
        out,
        json!({
            "result": {
                "success": {"count": 1, "entities": [{"reference": "test.user@thrivelearning.com", "futureField": 1}]},
                "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "ghost@x.io"}]}
            },
            "partial": true
        })
    );
}

#[test]
fn add_managers_accepts_a_real_array_and_null_sets() {
    let srv = Offline::new();
    srv.run(
        "thrive_add_audience_managers",
        json!({
            "audienceId": "a1",
            "managers": [{"reference": "EMP-1", "permissions": {"administrator": null, "audienceManager": {}}}]
        }),
    )
    .unwrap();
    assert_eq!(
        srv.single().body,
        json!([{"reference": "EMP-1", "permissions": {"audienceManager": {}}}])
    );
}

#[tokio::test]
async fn add_150_managers_sends_two_chunks_and_merges() {
    let srv = CaptureServer::start().await;
    let managers: Vec<Value> = (0..150)
        .map(|i| json!({"reference": format!("m{i}"), "permissions": {"peopleManager": {"manage": true}}}))
        .collect();
    let ok = |range: std::ops::Range<usize>| -> Vec<Value> {
        range
            .map(|i| json!({"reference": format!("m{i}")}))
            .collect()
    };
    srv.reply(
        200,
        json!({"success": {"count": 100, "entities": ok(0..100)}}),
    );
    srv.reply(
        207,
        json!({"success": {"count": 49, "entities": ok(100..149)},
               "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "m149"}]}}),
    );
    let out = srv
        .run(
            "thrive_add_audience_managers",
            json!({"audienceId": "a1", "managers": managers}),
        )
        .await
        .unwrap();
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.line(), "POST /rest/v1/audiences/a1/managers");
    }
    assert_eq!(reqs[0].body, json!(managers[..100]));
    assert_eq!(reqs[1].body, json!(managers[100..]));
    assert_eq!(out["partial"], true);
    assert_eq!(out["result"]["success"]["count"], 149);
    assert_eq!(out["result"]["success"]["entities"], json!(ok(0..149)));
    assert_eq!(
        out["result"]["failure"],
        json!({"count": 1, "entities": [{"reason": "User does not exist.", "reference": "m149"}]})
    );
}

#[tokio::test]
async fn add_managers_error_with_object_message() {
    let srv = CaptureServer::start().await;
    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content",
               "message": {"administrator": "only allowed on structures"}}),
    );
    let err = srv
        .run(
            "thrive_add_audience_managers",
            json!({"audienceId": "child", "managers": [full_manager()]}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Unprocessable,
            Some(422),
            "administrator: only allowed on structures"
        )
    );
}

#[test]
fn add_managers_validation() {
    assert_eq!(
        violations("thrive_add_audience_managers", json!({})),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId is required".to_owned()
            ),
            ("/managers".to_owned(), "managers is required".to_owned()),
        ]
    );
    // Output-only keys and typos are named with the item's index.
    assert_eq!(
        violations(
            "thrive_add_audience_managers",
            json!({"audienceId": "a", "managers": [
                {"reference": "ok", "permissions": {"audienceManager": {"manageMembers": true}}},
                {"reference": "ok2"},
                {"reference": "s", "permissions": {"administrator": {"canManageAudiences": true}}}
            ]})
        ),
        vec![
            (
                "/managers/0".to_owned(),
                "managers[0]: unknown field `manageMembers`, expected `manageContent` or `assignments`".to_owned()
            ),
            (
                "/managers/2".to_owned(),
                "managers[2]: unknown field `canManageAudiences`, expected `canAddAudienceManagers`".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_add_audience_managers",
            json!({"audienceId": "a", "managers": [
                {"permissions": {}},
                {"reference": "x", "permissions": {"peopleManager": {"insights": "yes"}}},
                {"reference": "x", "permission": {}},
                {"reference": "x", "permissions": {"peopleManagers": {}}},
                "jane@example.com"
            ]})
        ),
        vec![
            ("/managers/0".to_owned(), "managers[0]: missing field `reference`".to_owned()),
            ("/managers/1".to_owned(), "managers[1]: invalid type: string \"yes\", expected a boolean".to_owned()),
            ("/managers/2".to_owned(), "managers[2]: unknown field `permission`, expected one of `reference`, `userId`, `email`, `permissions`".to_owned()),
            ("/managers/3".to_owned(), "managers[3]: unknown field `peopleManagers`, expected one of `audienceManager`, `peopleManager`, `administrator`".to_owned()),
            ("/managers/4".to_owned(), "managers[4]: invalid type: string \"jane@example.com\", expected struct ManagerInput".to_owned()),
        ]
    );
    assert_eq!(
        violations(
            "thrive_add_audience_managers",
            json!({"audienceId": "..", "managers": "[{\"reference\": \"  \"}]"})
        ),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId must not be '.' or '..'".to_owned()
            ),
            (
                "/managers/0/reference".to_owned(),
                "managers[0].reference must not be empty".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_add_audience_managers",
            json!({"audienceId": "a", "managers": "[{\"reference\": "})
        ),
        vec![(
            "/managers".to_owned(),
            "managers: is not valid JSON (EOF while parsing a value at line 1 column 15); expected a JSON array such as [\"a\", \"b\"]".to_owned()
        )]
    );
    assert_eq!(
        violations(
            "thrive_add_audience_managers",
            json!({"audienceId": "a", "managers": "[]"})
        ),
        vec![(
            "/managers".to_owned(),
            "managers must not be an empty list (at least 1 item(s))".to_owned()
        )]
    );
    // A single object is taken as a one-item list; more than 100 are chunked.
    assert!(
        violations(
            "thrive_add_audience_managers",
            json!({"audienceId": "a", "managers": "{\"reference\": \"solo\"}"})
        )
        .is_empty()
    );
    let many: Vec<Value> = (0..250)
        .map(|i| json!({"reference": format!("m{i}")}))
        .collect();
    assert!(
        violations(
            "thrive_add_audience_managers",
            json!({"audienceId": "a", "managers": many})
        )
        .is_empty()
    );
}

// --------------------------------------------------------------- replace --

#[test]
fn replace_managers_minimal_request() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"success": {"count": 1, "entities": [{"reference": "user123"}]}}),
    );
    let out = srv
        .run(
            "thrive_replace_audience_managers",
            json!({"audienceId": AUDIENCE, "managers": "[{\"reference\":\"user123\"}]"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "PATCH /rest/v1/audiences/63f57d805d8ecbf46f5b5278/managers"
    );
    assert_eq!(req.body, json!([{"reference": "user123"}]));
    assert_eq!(
        out,
        json!({"result": {"success": {"count": 1, "entities": [{"reference": "user123"}]}}, "partial": false})
    );
}

#[test]
fn replace_managers_full_request_and_partial_output() {
    let srv = Offline::new();
    srv.reply(
        207,
        json!({
            "success": {"count": 1, "entities": [{"reference": "test.user@thrivelearning.com"}]},
            "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "ghost"}]},
            "futureField": 1
        }),
    );
    let managers = json!([
        full_manager(),
        {"reference": "ghost", "permissions": {"audienceManager": {"assignments": false}}}
    ]);
    let out = srv
        .run(
            "thrive_replace_audience_managers",
            json!({"audienceId": "struct-tech", "managers": managers.to_string()}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v1/audiences/struct-tech/managers");
    assert_eq!(req.body, managers);
    assert_eq!(
        out,
        json!({
            "result": {
                "success": {"count": 1, "entities": [{"reference": "test.user@thrivelearning.com"}]},
                "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "ghost"}]},
                "futureField": 1
            },
            "partial": true
        })
    );
}

#[test]
fn replace_managers_sends_100_in_one_call_and_refuses_101() {
    let srv = Offline::new();
    let hundred: Vec<Value> = (0..100)
        .map(|i| json!({"reference": format!("m{i}")}))
        .collect();
    srv.run(
        "thrive_replace_audience_managers",
        json!({"audienceId": "a1", "managers": hundred}),
    )
    .unwrap();
    assert_eq!(srv.single().body, json!(hundred));

    let srv = Offline::new();
    let many: Vec<Value> = (0..101)
        .map(|i| json!({"reference": format!("m{i}")}))
        .collect();
    let err = srv
        .run(
            "thrive_replace_audience_managers",
            json!({"audienceId": "a1", "managers": many}),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(srv.requests().is_empty());
    assert_eq!(
        err.violations()
            .into_iter()
            .map(|v| (v.pointer, v.message))
            .collect::<Vec<_>>(),
        vec![(
            "/managers".to_owned(),
            "managers has 101 items; a replace takes at most 100 and cannot be split into several calls, because each call replaces the whole list".to_owned()
        )]
    );
}

#[tokio::test]
async fn replace_managers_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
    );
    let err = srv
        .run(
            "thrive_replace_audience_managers",
            json!({"audienceId": "gone", "managers": [{"reference": "x"}]}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Audience not found")
    );
}

#[test]
fn replace_managers_validation() {
    assert_eq!(
        violations("thrive_replace_audience_managers", json!({"managers": " "})),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId is required".to_owned()
            ),
            ("/managers".to_owned(), "managers is required".to_owned()),
        ]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_managers",
            json!({"audienceId": "a/b?c#d%e", "managers": "[]"})
        ),
        vec![(
            "/managers".to_owned(),
            "managers must not be an empty list (at least 1 item(s))".to_owned()
        )]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_managers",
            json!({"audienceId": "..", "managers": [
                {"reference": "x", "permissions": {"audienceManager": {"manageMembers": true}}},
                {"reference": ""}
            ]})
        ),
        vec![
            ("/audienceId".to_owned(), "audienceId must not be '.' or '..'".to_owned()),
            (
                "/managers/0".to_owned(),
                "managers[0]: unknown field `manageMembers`, expected `manageContent` or `assignments`".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_managers",
            json!({"audienceId": "a", "managers": [{"reference": "x"}, {"reference": " "}]})
        ),
        vec![(
            "/managers/1/reference".to_owned(),
            "managers[1].reference must not be empty".to_owned()
        )]
    );
    assert_eq!(
        violations(
            "thrive_replace_audience_managers",
            json!({"audienceId": "a", "managers": "not json"})
        ),
        vec![(
            "/managers".to_owned(),
            "managers: is not valid JSON (expected ident at line 1 column 2); expected a JSON array such as [\"a\", \"b\"]".to_owned()
        )]
    );
}

// ---------------------------------------------------------------- remove --

#[test]
fn remove_manager_request_and_empty_body_is_success() {
    let srv = Offline::new();
    srv.reply(204, Value::Null);
    let out = srv
        .run(
            "thrive_remove_audience_manager",
            json!({"audienceId": AUDIENCE, "userId": "63f8c5361b9c80d3274be7ca"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "DELETE /rest/v1/audiences/63f57d805d8ecbf46f5b5278/managers/63f8c5361b9c80d3274be7ca"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"success": true}));
}

#[test]
fn remove_manager_takes_an_email_or_ref_encoded() {
    let srv = Offline::new();
    srv.reply(200, json!({"success": true, "futureField": 1}));
    srv.reply(200, json!({"success": false}));
    let out = srv
        .run(
            "thrive_remove_audience_manager",
            json!({"audienceId": "struct tech", "userId": "test@thrivelearning.com"}),
        )
        .unwrap();
    // SuccessOutput reports only `success` (a shared core type).
    assert_eq!(out, json!({"success": true, "futureField": 1}));
    let out = srv
        .run(
            "thrive_remove_audience_manager",
            json!({"audienceId": "a1", "userId": "a/b?c#d%e"}),
        )
        .unwrap();
    assert_eq!(out, json!({"success": false}));
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "DELETE /rest/v1/audiences/struct%20tech/managers/test%40thrivelearning.com",
            "DELETE /rest/v1/audiences/a1/managers/a%2Fb%3Fc%23d%25e",
        ]
    );
}

#[tokio::test]
async fn remove_manager_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        409,
        json!({"status": 409, "error": "Conflict", "message": "User is not a manager of this audience"}),
    );
    let err = srv
        .run(
            "thrive_remove_audience_manager",
            json!({"audienceId": "a1", "userId": "user123"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Conflict,
            Some(409),
            "User is not a manager of this audience"
        )
    );
}

#[test]
fn remove_manager_validation() {
    assert_eq!(
        violations("thrive_remove_audience_manager", json!({})),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId is required".to_owned()
            ),
            ("/userId".to_owned(), "userId is required".to_owned()),
        ]
    );
    assert_eq!(
        violations(
            "thrive_remove_audience_manager",
            json!({"audienceId": ".", "userId": ".."})
        ),
        vec![
            (
                "/audienceId".to_owned(),
                "audienceId must not be '.' or '..'".to_owned()
            ),
            (
                "/userId".to_owned(),
                "userId must not be '.' or '..'".to_owned()
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_remove_audience_manager",
            json!({"audienceId": "a", "userId": ["x"], "userRef": "x"})
        ),
        vec![
            (
                "/userId".to_owned(),
                "userId must be of type string".to_owned()
            ),
            (
                "/userRef".to_owned(),
                "userRef is not an input of this tool (did you mean `userId`?); its inputs: audienceId, userId (connection: tenantId, apiKey, host, clientId, scope)".to_owned()
            ),
        ]
    );
}
