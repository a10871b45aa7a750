//! Request, output and error shapes of the assignment and enrolment tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::{Catalogue, ErrorCode};

const ASSIGNMENT_ID: &str = "63f8c5361b9c80d3274be7ca";
const AUDIENCE_ID: &str = "63f8c546a05716c51210ac81";
const CONTENT_ID: &str = "63f8c54a8cb9790c99de077a";
const ALT_CONTENT_ID: &str = "63f8c54f6f68ab3a2d60e5de";

/// The Assignment of examples.md §7.1, plus a field the tool does not model.
fn assignment() -> Value {
    json!({
        "id": ASSIGNMENT_ID,
        "audienceId": AUDIENCE_ID,
        "primaryContentId": CONTENT_ID,
        "alternativeContentIds": [ALT_CONTENT_ID],
        "hideAlternativeContent": false,
        "completionPeriod": 30,
        "recurrence": 365,
        "isActive": true,
        "isDeleted": false,
        "createdAt": "2021-01-01T09:00:00Z",
        "deletedAt": null,
        "updatedAt": "2021-01-01T09:00:00Z",
        "futureField": 1
    })
}

/// The assignment as the tools output it: numbers typed `number` are floats.
fn assignment_out() -> Value {
    let mut a = assignment();
    a["completionPeriod"] = json!(30);
    a
}

/// The Enrolment of examples.md §8, plus fields the tool does not model.
fn enrolment() -> Value {
    json!({
        "id": "63f8c80136c4d82bba43efa0",
        "userId": "63feb359efcdc6f51a621bcd",
        "assignmentId": "63feb35e1124643b940eeeca",
        "audienceId": "63feb36222c0c0685b9d1eb7",
        "primaryContentId": "63feb366c1fcc8d6a4a8abc7",
        "status": "complete",
        "availableDate": "2023-08-23T09:09:16.076Z",
        "dueDate": "2023-09-23T09:09:16.076Z",
        "lastCompletedAt": "2023-09-02T14:11:05.000Z",
        "history": [
            {"type": "created", "completionId": null, "previousStatus": "unassigned", "nextStatus": "open",
             "createdAt": "2023-08-23T09:09:16.076Z", "updatedAt": "2023-08-23T09:09:16.076Z"},
            {"type": "completed", "completionId": "65a0c1d2e3f4a5b6c7d8e9f0", "previousStatus": "open",
             "nextStatus": "complete", "createdAt": "2023-09-02T14:11:05.000Z",
             "updatedAt": "2023-09-02T14:11:05.000Z", "actor": "system"}
        ],
        "updatedAt": "2023-09-02T14:11:05.000Z",
        "futureField": 1
    })
}

fn v(pointer: &str, message: &str) -> (String, String) {
    (pointer.to_owned(), message.to_owned())
}

fn lines(srv: &CaptureServer) -> Vec<String> {
    srv.requests().iter().map(|r| r.line()).collect()
}

// ---------------------------------------------------------------- list assignments

#[test]
fn list_assignments_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!([]));
    let out = srv
        .run(
            "thrive_list_assignments",
            json!({"audienceId": "", "updatedSince": "  ", "page": "", "perPage": null}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/assignments");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"assignments": []}));
}

#[test]
fn list_assignments_full_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(200, json!([assignment(), {"id": "a2", "recurrence": null}]));
    let out = srv
        .run(
            "thrive_list_assignments",
            json!({"audienceId": "tech-team", "updatedSince": "2024-01-01T00:00:00Z",
                "page": "2", "perPage": "50"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/assignments?audienceId=tech-team&updatedSince=2024-01-01T00%3A00%3A00Z&page=2&perPage=50"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"assignments": [assignment_out(), {
            "id": "a2", "audienceId": null, "primaryContentId": null, "alternativeContentIds": null,
            "hideAlternativeContent": null, "completionPeriod": null, "recurrence": null,
            "isActive": null, "isDeleted": null, "createdAt": null, "deletedAt": null, "updatedAt": null
        }]})
    );
}

#[test]
fn list_assignments_non_array_body_is_an_empty_list() {
    let srv = Offline::new();
    srv.reply(200, json!({"unexpected": true}));
    let out = srv.run("thrive_list_assignments", json!({})).unwrap();
    assert_eq!(out, json!({"assignments": []}));
}

#[tokio::test]
async fn list_assignments_return_all_follows_bare_array_pages() {
    let srv = CaptureServer::start().await;
    let full: Vec<Value> = (0..100).map(|i| json!({"id": format!("a{i}")})).collect();
    srv.reply(200, Value::Array(full))
        .reply(200, json!([{"id": "a100"}]));
    let out = srv
        .run(
            "thrive_list_assignments",
            json!({"audienceId": AUDIENCE_ID, "returnAll": true}),
        )
        .await
        .unwrap();
    let items = out["assignments"].as_array().unwrap();
    assert_eq!(items.len(), 101);
    assert_eq!(items[0]["id"], "a0");
    assert_eq!(items[100]["id"], "a100");
    assert_eq!(
        lines(&srv),
        [
            format!("GET /rest/v1/assignments?audienceId={AUDIENCE_ID}&page=1&perPage=100"),
            format!("GET /rest/v1/assignments?audienceId={AUDIENCE_ID}&page=2&perPage=100"),
        ]
    );

    // A chosen perPage is kept; the first short page ends the walk.
    let srv = CaptureServer::start().await;
    srv.reply(200, json!([{"id": "a1"}, {"id": "a2"}]))
        .reply(200, json!([{"id": "a3"}]));
    let out = srv
        .run(
            "thrive_list_assignments",
            json!({"page": 1, "perPage": "2", "returnAll": "true"}),
        )
        .await
        .unwrap();
    assert_eq!(out["assignments"].as_array().unwrap().len(), 3);
    assert_eq!(
        lines(&srv),
        [
            "GET /rest/v1/assignments?page=1&perPage=2",
            "GET /rest/v1/assignments?page=2&perPage=2"
        ]
    );
}

#[tokio::test]
async fn list_assignments_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        400,
        json!({"status": 400, "error": "Bad Request", "message": "updatedSince must be a valid ISO 8601 date"}),
    );
    let err = srv
        .run(
            "thrive_list_assignments",
            json!({"updatedSince": "2024-01-01"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadRequest);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.message(), "updatedSince must be a valid ISO 8601 date");
}

#[test]
fn list_assignments_validation() {
    assert_eq!(
        violations(
            "thrive_list_assignments",
            json!({"page": 0, "perPage": 101, "updatedSince": "last week", "audienceId": 7})
        ),
        vec![
            v("/audienceId", "audienceId must be of type string"),
            v("/page", "page: value is less than the minimum of 1"),
            v(
                "/perPage",
                "perPage: value is greater than the maximum of 100"
            ),
            v(
                "/updatedSince",
                "updatedSince must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"last week\""
            ),
        ]
    );
    assert_eq!(
        violated_pointers(
            "thrive_list_assignments",
            json!({"perPage": "ten", "page": 1.5})
        ),
        vec!["/page", "/perPage"]
    );
    assert!(
        violations(
            "thrive_list_assignments",
            json!({"perPage": 100, "page": 3})
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------- create assignment

#[test]
fn create_assignment_minimal_request() {
    let srv = Offline::new();
    srv.reply(201, assignment());
    srv.run(
        "thrive_create_assignment",
        json!({"audienceId": AUDIENCE_ID, "contentId": CONTENT_ID, "alternativeContentIds": "[]",
            "hideAlternativeContent": "", "completionPeriod": " ", "recurrence": null}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "POST /rest/v1/assignments");
    assert_eq!(
        req.body,
        json!({"audienceId": AUDIENCE_ID, "contentId": CONTENT_ID})
    );
}

#[test]
fn create_assignment_full_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(201, assignment());
    let out = srv
        .run(
            "thrive_create_assignment",
            json!({"audienceId": AUDIENCE_ID, "contentId": CONTENT_ID,
                "alternativeContentIds": format!("[\"{ALT_CONTENT_ID}\", \" c2 \"]"),
                "hideAlternativeContent": "false", "completionPeriod": "30", "recurrence": 365}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.body,
        json!({"audienceId": AUDIENCE_ID, "contentId": CONTENT_ID,
            "alternativeContentIds": [ALT_CONTENT_ID, "c2"], "hideAlternativeContent": false,
            "completionPeriod": 30, "recurrence": 365})
    );
    assert_eq!(out, json!({"assignment": assignment_out()}));

    // A real array and a single JSON string are accepted too.
    let srv = Offline::new();
    srv.reply(201, Value::Null);
    let out = srv
        .run(
            "thrive_create_assignment",
            json!({"audienceId": AUDIENCE_ID, "contentId": CONTENT_ID,
                "alternativeContentIds": [ALT_CONTENT_ID], "hideAlternativeContent": true}),
        )
        .unwrap();
    assert_eq!(
        srv.single().body,
        json!({"audienceId": AUDIENCE_ID, "contentId": CONTENT_ID,
            "alternativeContentIds": [ALT_CONTENT_ID], "hideAlternativeContent": true})
    );
    assert_eq!(out, json!({"assignment": null}));
}

#[tokio::test]
async fn create_assignment_error_with_object_message() {
    let srv = CaptureServer::start().await;
    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content", "message": {"contentId": "content not found"}}),
    );
    let err = srv
        .run(
            "thrive_create_assignment",
            json!({"audienceId": AUDIENCE_ID, "contentId": "missing"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unprocessable);
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.message(), "contentId: content not found");
    assert_eq!(
        err.details(),
        Some(&json!({"contentId": "content not found"}))
    );
}

#[test]
fn create_assignment_validation() {
    assert_eq!(
        violations(
            "thrive_create_assignment",
            json!({"alternativeContentIds": "[\"a\",", "completionPeriod": 0,
                "recurrence": "yearly", "hideAlternativeContent": "maybe"})
        ),
        vec![
            v(
                "/alternativeContentIds",
                "alternativeContentIds: is not valid JSON (EOF while parsing a value at line 1 column 5); expected a JSON array such as [\"a\", \"b\"]"
            ),
            v("/audienceId", "audienceId is required"),
            v(
                "/completionPeriod",
                "completionPeriod: value is less than the minimum of 1"
            ),
            v("/contentId", "contentId is required"),
            v(
                "/hideAlternativeContent",
                "hideAlternativeContent must be of type boolean"
            ),
            v("/recurrence", "recurrence must be a whole number"),
        ]
    );
    assert_eq!(
        violations(
            "thrive_create_assignment",
            json!({"audienceId": "a", "contentId": "c", "alternativeContentIds": "[\"ok\", 7, \" \"]"})
        ),
        vec![v(
            "/alternativeContentIds/1",
            "alternativeContentIds[1]: invalid type: integer `7`, expected a string"
        )]
    );
    assert_eq!(
        violations(
            "thrive_create_assignment",
            json!({"audienceId": "a", "contentId": "c", "alternativeContentIds": "[\"ok\", \" \"]",
                "recurrence": 0.5})
        ),
        vec![
            v(
                "/alternativeContentIds/1",
                "alternativeContentIds[1] must not be empty"
            ),
            v("/recurrence", "recurrence must be a whole number"),
            v(
                "/recurrence",
                "recurrence: value is less than the minimum of 1"
            ),
        ]
    );
}

// ---------------------------------------------------------------- get assignment

#[test]
fn get_assignment_request_and_output() {
    let srv = Offline::new();
    srv.reply(200, assignment());
    let out = srv
        .run(
            "thrive_get_assignment",
            json!({"assignmentId": ASSIGNMENT_ID}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        format!("GET /rest/v1/assignments/{ASSIGNMENT_ID}")
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"assignment": assignment_out()}));
}

#[test]
fn get_assignment_encodes_the_id_as_one_segment() {
    let srv = Offline::new();
    srv.reply(200, Value::Null);
    let out = srv
        .run(
            "thrive_get_assignment",
            json!({"assignmentId": "a/b?c#d%e"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/assignments/a%2Fb%3Fc%23d%25e"
    );
    assert_eq!(out, json!({"assignment": null}));
}

#[tokio::test]
async fn get_assignment_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Assignment not found"}),
    );
    let err = srv
        .run("thrive_get_assignment", json!({"assignmentId": "nope"}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Assignment not found")
    );
}

#[test]
fn get_assignment_validation() {
    assert_eq!(
        violations("thrive_get_assignment", json!({})),
        vec![v("/assignmentId", "assignmentId is required")]
    );
    assert_eq!(
        violations("thrive_get_assignment", json!({"assignmentId": ".."})),
        vec![v("/assignmentId", "assignmentId must not be '.' or '..'")]
    );
    assert_eq!(
        violations("thrive_get_assignment", json!({"assignmentId": 12})),
        vec![v("/assignmentId", "assignmentId must be of type string")]
    );
}

// ---------------------------------------------------------------- update assignment

#[test]
fn update_assignment_minimal_request_always_sends_audience() {
    let srv = Offline::new();
    srv.reply(200, assignment());
    srv.run(
        "thrive_update_assignment",
        json!({"assignmentId": ASSIGNMENT_ID, "audienceId": AUDIENCE_ID, "contentId": "",
            "completionPeriod": "", "recurrence": "  ", "alternativeContentIds": ""}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        format!("PATCH /rest/v1/assignments/{ASSIGNMENT_ID}")
    );
    assert_eq!(req.body, json!({"audienceId": AUDIENCE_ID}));
}

#[test]
fn update_assignment_full_request_and_output() {
    let srv = Offline::new();
    let mut updated = assignment();
    updated["completionPeriod"] = json!(14);
    srv.reply(200, updated.clone());
    let out = srv
        .run(
            "thrive_update_assignment",
            json!({"assignmentId": ASSIGNMENT_ID, "audienceId": AUDIENCE_ID, "contentId": CONTENT_ID,
                "completionPeriod": "14", "recurrence": 365,
                "alternativeContentIds": [ALT_CONTENT_ID, "c2"]}),
        )
        .unwrap();
    assert_eq!(
        srv.single().body,
        json!({"audienceId": AUDIENCE_ID, "contentId": CONTENT_ID, "completionPeriod": 14,
            "recurrence": 365, "alternativeContentIds": [ALT_CONTENT_ID, "c2"]})
    );
    updated["completionPeriod"] = json!(14);
    assert_eq!(out, json!({"assignment": updated}));
}

#[test]
fn update_assignment_sends_an_explicit_empty_alternative_list() {
    let srv = Offline::new();
    srv.reply(200, assignment());
    srv.run(
        "thrive_update_assignment",
        json!({"assignmentId": "a/b?c#d%e", "audienceId": AUDIENCE_ID, "alternativeContentIds": "[]"}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v1/assignments/a%2Fb%3Fc%23d%25e");
    assert_eq!(
        req.body,
        json!({"audienceId": AUDIENCE_ID, "alternativeContentIds": []})
    );
}

#[tokio::test]
async fn update_assignment_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Assignment not found"}),
    );
    let err = srv
        .run(
            "thrive_update_assignment",
            json!({"assignmentId": "gone", "audienceId": AUDIENCE_ID}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Assignment not found")
    );
}

#[test]
fn update_assignment_validation() {
    assert_eq!(
        violations(
            "thrive_update_assignment",
            json!({"hideAlternativeContent": true, "completionPeriod": -3,
                "alternativeContentIds": "{\"id\": 1}"})
        ),
        vec![
            v(
                "/alternativeContentIds/0",
                "alternativeContentIds[0]: invalid type: map, expected a string"
            ),
            v("/assignmentId", "assignmentId is required"),
            v("/audienceId", "audienceId is required"),
            v(
                "/completionPeriod",
                "completionPeriod: value is less than the minimum of 1"
            ),
            v(
                "/hideAlternativeContent",
                "hideAlternativeContent is not an input of this tool; its inputs: assignmentId, audienceId, contentId, completionPeriod, recurrence, alternativeContentIds (connection: tenantId, apiKey, host, clientId, scope)"
            ),
        ]
    );
    assert_eq!(
        violated_pointers(
            "thrive_update_assignment",
            json!({"assignmentId": "..", "audienceId": "a", "recurrence": 0})
        ),
        vec!["/assignmentId", "/recurrence"]
    );
}

// ---------------------------------------------------------------- delete assignment

#[test]
fn delete_assignment_sends_the_audience_in_a_delete_body() {
    let srv = Offline::new();
    srv.reply(204, Value::Null);
    let out = srv
        .run(
            "thrive_delete_assignment",
            json!({"assignmentId": ASSIGNMENT_ID, "audienceId": AUDIENCE_ID}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        format!("DELETE /rest/v1/assignments/{ASSIGNMENT_ID}")
    );
    assert_eq!(req.body, json!({"audienceId": AUDIENCE_ID}));
    assert_eq!(out, json!({"success": true}));
}

#[test]
fn delete_assignment_reads_success_when_present() {
    let srv = Offline::new();
    srv.reply(200, json!({"success": false}));
    let out = srv
        .run(
            "thrive_delete_assignment",
            json!({"assignmentId": "a/b?c#d%e", "audienceId": "tech team"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "DELETE /rest/v1/assignments/a%2Fb%3Fc%23d%25e");
    assert_eq!(req.body, json!({"audienceId": "tech team"}));
    assert_eq!(out, json!({"success": false}));

    let srv = Offline::new();
    srv.reply(200, json!({"success": true, "futureField": 1}));
    let out = srv
        .run(
            "thrive_delete_assignment",
            json!({"assignmentId": ASSIGNMENT_ID, "audienceId": AUDIENCE_ID}),
        )
        .unwrap();
    assert_eq!(out, json!({"success": true, "futureField": 1}));
}

#[tokio::test]
async fn delete_assignment_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        403,
        json!({"status": 403, "error": "Forbidden", "message": "Forbidden"}),
    );
    let err = srv
        .run(
            "thrive_delete_assignment",
            json!({"assignmentId": ASSIGNMENT_ID, "audienceId": AUDIENCE_ID}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Forbidden, Some(403), "Forbidden")
    );
}

#[test]
fn delete_assignment_validation() {
    assert_eq!(
        violations("thrive_delete_assignment", json!({"audienceId": " "})),
        vec![
            v("/assignmentId", "assignmentId is required"),
            v("/audienceId", "audienceId is required"),
        ]
    );
    assert_eq!(
        violations(
            "thrive_delete_assignment",
            json!({"assignmentId": "..", "audienceId": AUDIENCE_ID})
        ),
        vec![v("/assignmentId", "assignmentId must not be '.' or '..'")]
    );
}

// ---------------------------------------------------------------- list enrolments

#[test]
fn list_enrolments_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!([]));
    let out = srv
        .run(
            "thrive_list_enrolments",
            json!({"assignmentId": "63feb35e1124643b940eeeca", "status": "", "updatedAtFrom": " ",
                "updatedAtTo": "", "perPage": ""}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/assignments/63feb35e1124643b940eeeca/enrolments"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"enrolments": []}));
}

#[test]
fn list_enrolments_full_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(200, json!([enrolment()]));
    let out = srv
        .run(
            "thrive_list_enrolments",
            json!({"assignmentId": "63feb35e1124643b940eeeca", "updatedAtFrom": "2023-09-01T00:00:00Z",
                "updatedAtTo": "2023-10-01", "status": "overdue", "page": "1", "perPage": "50"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/assignments/63feb35e1124643b940eeeca/enrolments?updatedAtFrom=2023-09-01T00%3A00%3A00Z&updatedAtTo=2023-10-01&status=overdue&page=1&perPage=50"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"enrolments": [enrolment()]}));
}

#[test]
fn list_enrolments_encodes_the_assignment_id() {
    let srv = Offline::new();
    srv.reply(200, json!([]));
    srv.run(
        "thrive_list_enrolments",
        json!({"assignmentId": "a/b?c#d%e"}),
    )
    .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/assignments/a%2Fb%3Fc%23d%25e/enrolments"
    );
}

#[tokio::test]
async fn list_enrolments_return_all_follows_pages() {
    let srv = CaptureServer::start().await;
    srv.reply(200, json!([enrolment(), enrolment()]))
        .reply(200, json!([{"id": "last"}]));
    let out = srv
        .run(
            "thrive_list_enrolments",
            json!({"assignmentId": "x1", "status": "open", "perPage": 2, "returnAll": true}),
        )
        .await
        .unwrap();
    let items = out["enrolments"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[2]["id"], "last");
    assert_eq!(items[2]["history"], Value::Null);
    assert_eq!(
        lines(&srv),
        [
            "GET /rest/v1/assignments/x1/enrolments?status=open&page=1&perPage=2",
            "GET /rest/v1/assignments/x1/enrolments?status=open&page=2&perPage=2"
        ]
    );
}

#[tokio::test]
async fn list_enrolments_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content", "message": "updatedAtTo requires updatedAtFrom"}),
    );
    let err = srv
        .run(
            "thrive_list_enrolments",
            json!({"assignmentId": "x1", "updatedAtFrom": "2023-09-01"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Unprocessable,
            Some(422),
            "updatedAtTo requires updatedAtFrom"
        )
    );
}

#[test]
fn list_enrolments_validation() {
    assert_eq!(
        violations(
            "thrive_list_enrolments",
            json!({"updatedAtTo": "2023-02-30", "status": "done", "perPage": 1000})
        ),
        vec![
            v("/assignmentId", "assignmentId is required"),
            v(
                "/perPage",
                "perPage: value is greater than the maximum of 100"
            ),
            v(
                "/status",
                "status must be one of 'archived', 'complete', 'open', 'overdue', 'scheduled', 'unassigned'"
            ),
            v("/updatedAtFrom", "updatedAtTo requires updatedAtFrom"),
            v(
                "/updatedAtTo",
                "updatedAtTo must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"2023-02-30\""
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_list_enrolments",
            json!({"assignmentId": "x1", "updatedAtTo": "2023-10-01"})
        ),
        vec![v("/updatedAtFrom", "updatedAtTo requires updatedAtFrom")]
    );
    assert_eq!(
        violations(
            "thrive_list_enrolments",
            json!({"assignmentId": "..", "updatedAtFrom": "September", "updatedAtTo": "2023-10-01T00:00:00Z"})
        ),
        vec![
            v("/assignmentId", "assignmentId must not be '.' or '..'"),
            v(
                "/updatedAtFrom",
                "updatedAtFrom must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"September\""
            ),
        ]
    );
    for status in [
        "archived",
        "complete",
        "open",
        "overdue",
        "scheduled",
        "unassigned",
    ] {
        assert!(
            violations(
                "thrive_list_enrolments",
                json!({"assignmentId": "x", "status": status})
            )
            .is_empty(),
            "{status}"
        );
    }
}

// ---------------------------------------------------------------- get enrolment

#[test]
fn get_enrolment_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(200, enrolment());
    let out = srv
        .run(
            "thrive_get_enrolment",
            json!({"assignmentId": "63feb35e1124643b940eeeca", "enrolmentId": "63f8c80136c4d82bba43efa0"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/assignments/63feb35e1124643b940eeeca/enrolments/63f8c80136c4d82bba43efa0"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"enrolment": enrolment()}));
}

#[test]
fn get_enrolment_encodes_both_ids() {
    let srv = Offline::new();
    srv.reply(200, Value::Null);
    let out = srv
        .run(
            "thrive_get_enrolment",
            json!({"assignmentId": "a/b?c#d%e", "enrolmentId": "../x"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/assignments/a%2Fb%3Fc%23d%25e/enrolments/..%2Fx"
    );
    assert_eq!(out, json!({"enrolment": null}));
}

#[tokio::test]
async fn get_enrolment_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Enrolment not found"}),
    );
    let err = srv
        .run(
            "thrive_get_enrolment",
            json!({"assignmentId": "a1", "enrolmentId": "e1"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Enrolment not found")
    );
}

#[test]
fn get_enrolment_validation() {
    assert_eq!(
        violations("thrive_get_enrolment", json!({})),
        vec![
            v("/assignmentId", "assignmentId is required"),
            v("/enrolmentId", "enrolmentId is required"),
        ]
    );
    assert_eq!(
        violations(
            "thrive_get_enrolment",
            json!({"assignmentId": "..", "enrolmentId": "."})
        ),
        vec![
            v("/assignmentId", "assignmentId must not be '.' or '..'"),
            v("/enrolmentId", "enrolmentId must not be '.' or '..'"),
        ]
    );
    assert_eq!(
        violations(
            "thrive_get_enrolment",
            json!({"assignmentId": "a1", "enrolmentId": ".."})
        ),
        vec![v("/enrolmentId", "enrolmentId must not be '.' or '..'")]
    );
}

// ---------------------------------------------------------------- manifests

#[test]
fn manifests_describe_hints_paging_and_number_inputs() {
    let cat = Catalogue::global();
    let m = |id: &str| cat.get(id).unwrap().manifest();

    let list = m("thrive_list_assignments");
    assert_eq!(list["endpoint"], "GET /rest/v1/assignments");
    assert_eq!(
        list["paging"],
        json!({"kind": "bareArray", "maxPerPage": 100, "defaultPerPage": 100})
    );
    let per_page = &list["inputSchema"]["properties"]["perPage"];
    assert_eq!(per_page["type"], "integer");
    assert!(per_page.get("multipleOf").is_none());
    assert_eq!(
        (per_page["minimum"].clone(), per_page["maximum"].clone()),
        (json!(1), json!(100))
    );
    assert!(list["inputSchema"]["properties"]["returnAll"].is_object());

    let enrol = m("thrive_list_enrolments");
    assert_eq!(
        enrol["inputSchema"]["properties"]["status"]["enum"],
        json!([
            "archived",
            "complete",
            "open",
            "overdue",
            "scheduled",
            "unassigned"
        ])
    );
    assert_eq!(
        enrol["inputSchema"]["required"],
        json!(["tenantId", "apiKey", "assignmentId"])
    );

    let create = m("thrive_create_assignment");
    assert_eq!(
        create["hints"],
        json!({"readOnly": false, "destructive": false, "idempotent": false, "paginated": false})
    );
    assert_eq!(
        create["inputSchema"]["properties"]["completionPeriod"]["minimum"],
        1
    );
    assert_eq!(
        create["inputSchema"]["properties"]["alternativeContentIds"]["contentMediaType"],
        "application/json"
    );
    assert_eq!(m("thrive_update_assignment")["hints"]["idempotent"], true);
    assert_eq!(m("thrive_delete_assignment")["hints"]["destructive"], true);
    assert_eq!(m("thrive_get_enrolment")["hints"]["readOnly"], true);
    assert_eq!(
        m("thrive_get_assignment")["paging"],
        json!({"kind": "none"})
    );
    for id in [
        "thrive_list_assignments",
        "thrive_create_assignment",
        "thrive_get_assignment",
        "thrive_update_assignment",
        "thrive_delete_assignment",
        "thrive_list_enrolments",
        "thrive_get_enrolment",
    ] {
        assert_eq!(m(id)["version"], "1.0.0", "{id}");
    }
}
