//! Request, output and error shapes of the learning completion tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::{Catalogue, ErrorCode};

const USER_ID: &str = "646767d82535201223349e09";
const CONTENT_ID: &str = "507f1f77bcf86cd799439011";

/// The completion record of examples.md §9.2, plus a field the tool does not model.
fn completion() -> Value {
    json!({
        "id": "65a0c1d2e3f4a5b6c7d8e9f0",
        "userId": USER_ID,
        "contentId": CONTENT_ID,
        "contentVersion": 1,
        "skills": ["leadership"],
        "completionType": "completed",
        "hadDueDate": true,
        "isRPL": false,
        "completedAt": "2024-04-02T13:45:00.000Z",
        "activeUntil": "2025-04-02T13:45:00.000Z",
        "futureField": 1
    })
}

/// The record as the tools output it: numbers typed `number` are floats.
fn completion_out() -> Value {
    let mut c = completion();
    c["contentVersion"] = json!(1);
    c
}

fn v(pointer: &str, message: &str) -> (String, String) {
    (pointer.to_owned(), message.to_owned())
}

fn lines(srv: &CaptureServer) -> Vec<String> {
    srv.requests().iter().map(|r| r.line()).collect()
}

// ---------------------------------------------------------------- list completions

#[test]
fn list_completions_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!([]));
    let out = srv
        .run(
            "thrive_list_completions",
            json!({"contentId": "", "isRPL": "", "userId": " ", "completedDateRangeStart": null,
                "completedDateRangeEnd": "", "page": "", "perPage": ""}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/learning/completions");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"completions": []}));
}

#[test]
fn list_completions_full_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!([completion(), {"id": "c2", "skills": [], "isRPL": true}]),
    );
    let out = srv
        .run(
            "thrive_list_completions",
            json!({"contentId": CONTENT_ID, "isRPL": "false", "userId": USER_ID,
                "completedDateRangeStart": "2024-04-01", "completedDateRangeEnd": "2024-04-30T23:59:59Z",
                "page": "3", "perPage": "500"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        format!(
            "GET /rest/v1/learning/completions?contentId={CONTENT_ID}&isRPL=false&userId={USER_ID}\
             &completedDateRangeStart=2024-04-01&completedDateRangeEnd=2024-04-30T23%3A59%3A59Z&page=3&perPage=500"
        )
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"completions": [completion_out(), {
            "id": "c2", "userId": null, "contentId": null, "contentVersion": null, "skills": [],
            "completionType": null, "hadDueDate": null, "isRPL": true, "completedAt": null,
            "activeUntil": null
        }]})
    );
}

#[test]
fn list_completions_sends_is_rpl_true() {
    let srv = Offline::new();
    srv.reply(200, json!({"not": "an array"}));
    let out = srv
        .run(
            "thrive_list_completions",
            json!({"isRPL": true, "perPage": 1000}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/learning/completions?isRPL=true&perPage=1000"
    );
    assert_eq!(out, json!({"completions": []}));
}

#[tokio::test]
async fn list_completions_return_all_follows_bare_array_pages() {
    let srv = CaptureServer::start().await;
    let full: Vec<Value> = (0..1000).map(|i| json!({"id": format!("c{i}")})).collect();
    srv.reply(200, Value::Array(full))
        .reply(200, json!([{"id": "c1000"}, {"id": "c1001"}]));
    let out = srv
        .run(
            "thrive_list_completions",
            json!({"userId": USER_ID, "returnAll": true}),
        )
        .await
        .unwrap();
    let items = out["completions"].as_array().unwrap();
    assert_eq!(items.len(), 1002);
    assert_eq!(items[1001]["id"], "c1001");
    assert_eq!(
        lines(&srv),
        [
            format!("GET /rest/v1/learning/completions?userId={USER_ID}&page=1&perPage=1000"),
            format!("GET /rest/v1/learning/completions?userId={USER_ID}&page=2&perPage=1000"),
        ]
    );

    // maxResults stops early; a chosen page and perPage are kept.
    let srv = CaptureServer::start().await;
    srv.reply(200, json!([{"id": "a"}, {"id": "b"}]))
        .reply(200, json!([{"id": "c"}, {"id": "d"}]))
        .reply(200, json!([]));
    let out = srv
        .run(
            "thrive_list_completions",
            json!({"page": 1, "perPage": 2, "returnAll": true, "maxResults": 3}),
        )
        .await
        .unwrap();
    let ids: Vec<&str> = out["completions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        lines(&srv),
        [
            "GET /rest/v1/learning/completions?page=1&perPage=2",
            "GET /rest/v1/learning/completions?page=2&perPage=2"
        ]
    );
}

#[tokio::test]
async fn list_completions_error_body() {
    let srv = CaptureServer::start().await;
    srv.reply(
        400,
        json!({"status": 400, "error": "Bad Request", "message": "perPage must not be greater than 1000"}),
    );
    let err = srv
        .run("thrive_list_completions", json!({"perPage": 1000}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadRequest);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.message(), "perPage must not be greater than 1000");
}

#[test]
fn list_completions_validation() {
    assert_eq!(
        violations(
            "thrive_list_completions",
            json!({"isRPL": "yes", "perPage": 1001, "page": 0,
                "completedDateRangeStart": "01/04/2024", "completedDateRangeEnd": "2024-04-31"})
        ),
        vec![
            v(
                "/completedDateRangeEnd",
                "completedDateRangeEnd must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"2024-04-31\""
            ),
            v(
                "/completedDateRangeStart",
                "completedDateRangeStart must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"01/04/2024\""
            ),
            v("/isRPL", "isRPL must be of type boolean"),
            v("/page", "page: value is less than the minimum of 1"),
            v(
                "/perPage",
                "perPage: value is greater than the maximum of 1000"
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_list_completions",
            json!({"userId": ["u1"], "contentId": 5, "isrpl": true})
        ),
        vec![
            v("/contentId", "contentId must be of type string"),
            v(
                "/isrpl",
                "isrpl is not an input of this tool (did you mean `isRPL`?); its inputs: contentId, isRPL, userId, completedDateRangeStart, completedDateRangeEnd, page, perPage, returnAll, maxResults (connection: tenantId, apiKey, host, clientId, scope)"
            ),
            v("/userId", "userId must be of type string"),
        ]
    );
    assert!(
        violations(
            "thrive_list_completions",
            json!({"completedDateRangeStart": "2024-04-02", "completedDateRangeEnd": "2024-04-02T13:45:00+01:00"})
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------- get completion

#[test]
fn get_completion_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(200, completion());
    let out = srv
        .run(
            "thrive_get_completion",
            json!({"id": "65a0c1d2e3f4a5b6c7d8e9f0"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/learning/completions/65a0c1d2e3f4a5b6c7d8e9f0"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"completion": completion_out()}));
}

#[test]
fn get_completion_encodes_the_id_and_tolerates_an_empty_body() {
    let srv = Offline::new();
    srv.reply(200, Value::Null);
    let out = srv
        .run("thrive_get_completion", json!({"id": "a/b?c#d%e"}))
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/learning/completions/a%2Fb%3Fc%23d%25e"
    );
    assert_eq!(out, json!({"completion": null}));
}

#[tokio::test]
async fn get_completion_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Completion not found"}),
    );
    let err = srv
        .run("thrive_get_completion", json!({"id": "nope"}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Completion not found")
    );
}

#[test]
fn get_completion_validation() {
    assert_eq!(
        violations("thrive_get_completion", json!({"id": ""})),
        vec![v("/id", "id is required")]
    );
    assert_eq!(
        violations("thrive_get_completion", json!({"id": ".."})),
        vec![v("/id", "id must not be '.' or '..'")]
    );
    assert_eq!(
        violations("thrive_get_completion", json!({"id": true})),
        vec![v("/id", "id must be of type string")]
    );
}

// ---------------------------------------------------------------- create completion

#[test]
fn create_completion_sends_all_three_fields() {
    let srv = Offline::new();
    srv.reply(
        201,
        json!({"statementId": "0f7c2b1e-4d4a-4b7e-9a51-2d7e5c9b8a11", "futureField": 1}),
    );
    let out = srv
        .run(
            "thrive_create_completion",
            json!({"userId": USER_ID, "contentId": CONTENT_ID, "completedAt": "2024-04-02T13:45:00.000Z"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "POST /rest/v1/learning/completions");
    assert_eq!(
        req.body,
        json!({"userId": USER_ID, "contentId": CONTENT_ID, "completedAt": "2024-04-02T13:45:00.000Z"})
    );
    assert_eq!(
        out,
        json!({"statementId": "0f7c2b1e-4d4a-4b7e-9a51-2d7e5c9b8a11"})
    );
}

#[test]
fn create_completion_existing_record_returns_its_stub() {
    // The docs show the same stub for "already exists" (likely 200) and
    // "created" (likely 201); both are successes.
    let srv = Offline::new();
    srv.reply(200, json!({"statementId": "existing-1"}))
        .reply(201, json!({}))
        .reply(200, json!({"statementId": 42}));
    let input = json!({"userId": USER_ID, "contentId": CONTENT_ID, "completedAt": "2024-04-02T13:45:00+01:00"});
    let first = srv.run("thrive_create_completion", input.clone()).unwrap();
    let second = srv.run("thrive_create_completion", input.clone()).unwrap();
    let third = srv.run("thrive_create_completion", input).unwrap();
    assert_eq!(first, json!({"statementId": "existing-1"}));
    assert_eq!(second, json!({"statementId": null}));
    assert_eq!(third, json!({"statementId": "42"}));
    assert_eq!(srv.requests().len(), 3);
}

#[tokio::test]
async fn create_completion_error_with_object_message() {
    let srv = CaptureServer::start().await;
    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content", "message": {"contentId": "content not found"}}),
    );
    let err = srv
        .run(
            "thrive_create_completion",
            json!({"userId": USER_ID, "contentId": "missing", "completedAt": "2024-04-02T13:45:00Z"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unprocessable);
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.message(), "contentId: content not found");
    assert!(!err.to_string().contains(KEY));
}

#[test]
fn create_completion_validation() {
    assert_eq!(
        violations("thrive_create_completion", json!({"userId": "  "})),
        vec![
            v("/completedAt", "completedAt is required"),
            v("/contentId", "contentId is required"),
            v("/userId", "userId is required"),
        ]
    );
    assert_eq!(
        violations(
            "thrive_create_completion",
            json!({"userId": 7, "contentId": "c", "completedAt": "2024-04-02"})
        ),
        vec![
            v(
                "/completedAt",
                "completedAt must be an ISO 8601 date-time such as 2024-04-02T13:45:00Z, got \"2024-04-02\""
            ),
            v("/userId", "userId must be of type string"),
        ]
    );
    assert_eq!(
        violations(
            "thrive_create_completion",
            json!({"userId": "u", "contentId": "c", "completedAt": "2024-04-02T25:00:00Z"})
        ),
        vec![v(
            "/completedAt",
            "completedAt must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"2024-04-02T25:00:00Z\""
        )]
    );
    assert_eq!(
        violated_pointers(
            "thrive_create_completion",
            json!({"userId": "u", "contentId": "c", "completedAt": "yesterday", "statementId": "s"})
        ),
        vec!["/completedAt", "/statementId"]
    );
}

// ---------------------------------------------------------------- manifests

#[test]
fn manifests_describe_hints_and_paging() {
    let cat = Catalogue::global();
    let m = |id: &str| cat.get(id).unwrap().manifest();

    // Create completion is idempotent: an existing completion returns its stub.
    assert_eq!(
        m("thrive_create_completion")["hints"],
        json!({"readOnly": false, "destructive": false, "idempotent": true, "paginated": false})
    );
    let list = m("thrive_list_completions");
    assert_eq!(
        list["paging"],
        json!({"kind": "bareArray", "maxPerPage": 1000, "defaultPerPage": 1000})
    );
    assert_eq!(list["hints"]["readOnly"], true);
    let props = &list["inputSchema"]["properties"];
    assert_eq!(props["perPage"]["maximum"], 1000);
    assert_eq!(props["perPage"]["type"], "integer");
    assert_eq!(props["isRPL"]["type"], "boolean");
    assert_eq!(
        m("thrive_get_completion")["inputSchema"]["required"],
        json!(["tenantId", "apiKey", "id"])
    );
    let out = &m("thrive_create_completion")["outputSchema"];
    assert!(out["properties"]["statementId"].is_object());
}
