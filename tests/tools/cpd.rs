//! Request, output and error shapes of the CPD tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::ErrorCode;

fn s(v: &str) -> String {
    v.to_owned()
}

fn entry_record() -> Value {
    json!({
        "logEntryId": "60d5ec49b60b4b3a2c8f9a10",
        "userId": "60d5ec49b60b4b3a2c8f9a11",
        "activity": { "type": "file", "name": "International Space Station after undocking of STS 132", "futureField": 1 },
        "category": { "categoryId": "64b6f4a8c2e4a1b9d3f2c4a0", "name": "TECHNOLOGY" },
        "entryDate": "2020-09-25T19:34:23.133Z",
        "durationMinutes": 15,
        "description": null,
        "isVerified": true,
        "futureField": 1
    })
}

fn entry_output() -> Value {
    let mut out = entry_record();
    out["durationMinutes"] = json!(15);
    out
}

fn requirement_record() -> Value {
    json!({
        "audienceRequirementId": "60d5ec49b60b4b3a2c8f9a10", "audienceId": "60d5ec49b60b4b3a2c8f9a11",
        "requiredMinutes": 660, "createdAt": "2020-05-27T10:44:05.687Z",
        "updatedAt": "2020-08-05T09:37:47.824Z", "futureField": 1
    })
}

fn requirement_output() -> Value {
    let mut out = requirement_record();
    out["requiredMinutes"] = json!(660);
    out
}

/// Runs a get tool whose id is in `field` against a 404 and checks the error.
async fn not_found(tool: &str, field: &str, message: &str) {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": message}),
    );
    let err = srv
        .run(tool, json!({ field: "507f1f77bcf86cd799439012" }))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), message)
    );
}

/// The path-id rules every get tool shares: its id is required, not
/// blank, text, and a 24-hex id as Thrive documents CPD ids (so `..` or a
/// path cannot be given).
fn path_id_validation(tool: &str, field: &str) {
    assert_eq!(
        violations(tool, json!({})),
        vec![(format!("/{field}"), format!("{field} is required"))]
    );
    assert_eq!(
        violations(tool, json!({ field: "   " })),
        vec![(format!("/{field}"), format!("{field} is required"))]
    );
    let not_an_id = format!(
        "{field} must be a Thrive id: 24 characters, digits 0-9 and letters a-f, like 507f1f77bcf86cd799439011"
    );
    for bad in [
        "..",
        "abc",
        "507f1f77bcf86cd79943901g",
        "507f1f77bcf86cd7994390111",
    ] {
        assert_eq!(
            violations(tool, json!({ field: bad })),
            vec![(format!("/{field}"), not_an_id.clone())],
            "{bad}"
        );
    }
    assert_eq!(
        violations(tool, json!({ field: 12 })),
        vec![(
            format!("/{field}"),
            format!("{field} must be of type string")
        )]
    );
}

/// A get tool sends its id, given in upper case, as the one path segment.
async fn encodes_id(tool: &str, field: &str, prefix: &str) {
    let srv = CaptureServer::start().await;
    srv.reply(200, json!({}));
    srv.run(tool, json!({ field: "507F1F77BCF86CD799439011" }))
        .await
        .unwrap();
    assert_eq!(
        srv.single().line(),
        format!("GET {prefix}/507F1F77BCF86CD799439011")
    );
}

/// `returnAll` over two envelope pages: both pages' items, page=1 then page=2.
async fn return_all(tool: &str, path: &str, params: Value, a: Value, b: Value) -> Value {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"results": [a], "pagination": {"totalResults": 2, "totalPages": 2, "page": 1, "perPage": 1}}),
    );
    srv.reply(
        200,
        json!({"results": [b], "pagination": {"totalResults": 2, "totalPages": 2, "page": 2, "perPage": 1}}),
    );
    let mut input = params;
    input["returnAll"] = json!(true);
    input["page"] = json!(1);
    input["perPage"] = json!(1);
    let out = srv.run(tool, input).await.unwrap();
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    for (i, req) in reqs.iter().enumerate() {
        assert_eq!(req.path, path);
        let q = req.query.clone().unwrap_or_default();
        assert!(
            q.contains(&format!("page={}&perPage=1", i + 1)),
            "request {i}: {q}"
        );
    }
    assert_eq!(
        out["pagination"],
        json!({"totalResults": 2, "totalPages": 1, "page": 1, "perPage": 2})
    );
    out["results"].clone()
}

// ------------------------------------------------------------------ categories

#[tokio::test]
async fn get_cpd_category_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"categoryId": "507f1f77bcf86cd799439012", "name": "ANIMALS", "futureField": 1}),
    );
    let out = srv
        .run(
            "thrive_get_cpd_category",
            json!({"categoryId": "507f1f77bcf86cd799439012"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/cpdCategories/507f1f77bcf86cd799439012"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"category": {"categoryId": "507f1f77bcf86cd799439012", "name": "ANIMALS", "futureField": 1}})
    );
    encodes_id(
        "thrive_get_cpd_category",
        "categoryId",
        "/rest/v1/cpdCategories",
    )
    .await;
    not_found(
        "thrive_get_cpd_category",
        "categoryId",
        "CPD category not found",
    )
    .await;
}

#[test]
fn get_cpd_category_validation() {
    path_id_validation("thrive_get_cpd_category", "categoryId");
}

#[test]
fn query_cpd_categories_requests_and_output() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 100}}));
    srv.run(
        "thrive_query_cpd_categories",
        json!({"updatedSince": "", "page": " "}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/cpdCategories");
    assert_eq!(req.body, Value::Null);

    let srv = Offline::new();
    srv.reply(
        200,
        json!({
            "pagination": { "totalResults": 27, "totalPages": 2, "page": 1, "perPage": 20 },
            "results": [
                { "categoryId": "60d5ec49b60b4b3a2c8f9a10", "name": "ANIMALS", "futureField": 1 },
                { "categoryId": "60d5ec49b60b4b3a2c8f9a11", "name": "BOOKS" }
            ]
        }),
    );
    let out = srv
        .run(
            "thrive_query_cpd_categories",
            json!({"page": "1", "perPage": "20", "updatedSince": "2024-01-01"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/cpdCategories?page=1&perPage=20&updatedSince=2024-01-01"
    );
    assert_eq!(
        out,
        json!({
            "results": [
                { "categoryId": "60d5ec49b60b4b3a2c8f9a10", "name": "ANIMALS", "futureField": 1 },
                { "categoryId": "60d5ec49b60b4b3a2c8f9a11", "name": "BOOKS" }
            ],
            "pagination": { "totalResults": 27, "totalPages": 2, "page": 1, "perPage": 20 }
        })
    );
}

#[tokio::test]
async fn query_cpd_categories_return_all_and_error() {
    let results = return_all(
        "thrive_query_cpd_categories",
        "/rest/v1/cpdCategories",
        json!({}),
        json!({"categoryId": "c1", "name": "A"}),
        json!({"categoryId": "c2", "name": "B"}),
    )
    .await;
    assert_eq!(
        results,
        json!([{"categoryId": "c1", "name": "A"}, {"categoryId": "c2", "name": "B"}])
    );

    let srv = CaptureServer::start().await;
    srv.reply(
        401,
        json!({"status": 401, "error": "Unauthorized", "message": "Unauthorized"}),
    );
    let err = srv
        .run("thrive_query_cpd_categories", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Unauthorized, Some(401), "Unauthorized")
    );
}

#[test]
fn query_cpd_categories_validation() {
    assert_eq!(
        violations(
            "thrive_query_cpd_categories",
            json!({"updatedSince": "last week"})
        ),
        vec![(
            s("/updatedSince"),
            s(
                "updatedSince must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"last week\""
            )
        )]
    );
    assert_eq!(
        violated_pointers(
            "thrive_query_cpd_categories",
            json!({"page": 0, "perPage": 1001})
        ),
        vec!["/page", "/perPage"]
    );
    assert_eq!(
        violations("thrive_query_cpd_categories", json!({"page": "first"})),
        vec![(s("/page"), s("page must be a whole number"))]
    );
}

// --------------------------------------------------------------------- entries

#[tokio::test]
async fn get_cpd_entry_request_and_output() {
    let srv = Offline::new();
    srv.reply(200, entry_record());
    let out = srv
        .run(
            "thrive_get_cpd_entry",
            json!({"logEntryId": "5f9d88d6e1b2a34c56d78902"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/cpdEntries/5f9d88d6e1b2a34c56d78902"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"entry": entry_output()}));
    encodes_id("thrive_get_cpd_entry", "logEntryId", "/rest/v1/cpdEntries").await;
    not_found("thrive_get_cpd_entry", "logEntryId", "CPD entry not found").await;
}

#[test]
fn get_cpd_entry_empty_body() {
    let srv = Offline::new();
    srv.reply(200, Value::Null);
    let out = srv
        .run(
            "thrive_get_cpd_entry",
            json!({"logEntryId": "507f1f77bcf86cd799439011"}),
        )
        .unwrap();
    assert_eq!(out, json!({"entry": null}));
}

#[test]
fn get_cpd_entry_validation() {
    path_id_validation("thrive_get_cpd_entry", "logEntryId");
}

#[test]
fn query_cpd_entries_requests_and_output() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": []}));
    let out = srv
        .run(
            "thrive_query_cpd_entries",
            json!({"entryDateFrom": "", "entryDateTo": null}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/cpdEntries");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"results": [], "pagination": null}));

    let srv = Offline::new();
    srv.reply(
        200,
        json!({
            "pagination": { "totalResults": 48, "totalPages": 3, "page": 1, "perPage": 20 },
            "results": [entry_record()]
        }),
    );
    let out = srv
        .run(
            "thrive_query_cpd_entries",
            json!({"page": "1", "perPage": "20", "entryDateFrom": "2020-09-25 00:00:00", "entryDateTo": "2020-11-01"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/cpdEntries?page=1&perPage=20&entryDateFrom=2020-09-25%2000%3A00%3A00&entryDateTo=2020-11-01"
    );
    assert_eq!(
        out,
        json!({
            "results": [entry_output()],
            "pagination": { "totalResults": 48, "totalPages": 3, "page": 1, "perPage": 20 }
        })
    );
}

#[tokio::test]
async fn query_cpd_entries_return_all_and_error() {
    let results = return_all(
        "thrive_query_cpd_entries",
        "/rest/v1/cpdEntries",
        json!({"entryDateFrom": "2020-09-25"}),
        json!({"logEntryId": "e1"}),
        json!({"logEntryId": "e2"}),
    )
    .await;
    let ids: Vec<&Value> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["logEntryId"])
        .collect();
    assert_eq!(ids, [&json!("e1"), &json!("e2")]);

    let srv = CaptureServer::start().await;
    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content", "message": {"entryDateTo": "must be after entryDateFrom"}}),
    );
    let err = srv
        .run(
            "thrive_query_cpd_entries",
            json!({"entryDateTo": "2020-01-01"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Unprocessable,
            Some(422),
            "entryDateTo: must be after entryDateFrom"
        )
    );
}

#[test]
fn query_cpd_entries_validation() {
    assert_eq!(
        violations(
            "thrive_query_cpd_entries",
            json!({"entryDateFrom": "2020-09-25T00:00:00Z", "entryDateTo": "2020-02-30", "perPage": 0})
        ),
        vec![
            (
                s("/entryDateFrom"),
                s(
                    "entryDateFrom must be a date-time in the form YYYY-MM-DD hh:mm:ss, got \"2020-09-25T00:00:00Z\""
                )
            ),
            (
                s("/entryDateTo"),
                s(
                    "entryDateTo must be a date-time in the form YYYY-MM-DD hh:mm:ss, got \"2020-02-30\""
                )
            ),
            (
                s("/perPage"),
                s("perPage: value is less than the minimum of 1")
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_query_cpd_entries",
            json!({"entryDateFrom": "2020-11-01", "entryDateTo": "2020-09-25 23:59:59"})
        ),
        vec![(
            s("/entryDateTo"),
            s("entryDateTo must not be before entryDateFrom")
        )]
    );
    assert!(
        violations(
            "thrive_query_cpd_entries",
            json!({"entryDateTo": "2020-09-25 23:59:59"})
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------- requirements

#[tokio::test]
async fn get_cpd_requirement_request_and_output() {
    let srv = Offline::new();
    srv.reply(200, requirement_record());
    let out = srv
        .run(
            "thrive_get_cpd_requirement",
            json!({"audienceRequirementId": "60d5ec49b60b4b3a2c8f9a10"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/cpdRequirementSummaries/60d5ec49b60b4b3a2c8f9a10"
    );
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"requirement": requirement_output()}));
    encodes_id(
        "thrive_get_cpd_requirement",
        "audienceRequirementId",
        "/rest/v1/cpdRequirementSummaries",
    )
    .await;
    not_found(
        "thrive_get_cpd_requirement",
        "audienceRequirementId",
        "CPD requirement not found",
    )
    .await;
}

#[test]
fn get_cpd_requirement_validation() {
    path_id_validation("thrive_get_cpd_requirement", "audienceRequirementId");
}

#[test]
fn query_cpd_requirements_requests_and_output() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": []}));
    srv.run("thrive_query_cpd_requirements", json!({"perPage": ""}))
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/cpdRequirementSummaries");
    assert_eq!(req.body, Value::Null);

    let srv = Offline::new();
    srv.reply(
        200,
        json!({
            "pagination": { "totalResults": 2, "totalPages": 1, "page": 1, "perPage": 20 },
            "results": [
                requirement_record(),
                { "audienceRequirementId": "64b6f4a8c2e4a1b9d3f2c4a0", "audienceId": "64b6f4a8c2e4a1b9d3f2c4a1",
                  "requiredMinutes": 1200, "createdAt": "2020-06-11T21:03:55.798Z", "updatedAt": null }
            ]
        }),
    );
    let out = srv
        .run(
            "thrive_query_cpd_requirements",
            json!({"page": 1, "perPage": "20", "updatedSince": "2020-05-01T00:00:00.000Z"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/cpdRequirementSummaries?page=1&perPage=20&updatedSince=2020-05-01T00%3A00%3A00.000Z"
    );
    assert_eq!(
        out,
        json!({
            "results": [
                requirement_output(),
                { "audienceRequirementId": "64b6f4a8c2e4a1b9d3f2c4a0", "audienceId": "64b6f4a8c2e4a1b9d3f2c4a1",
                  "requiredMinutes": 1200, "createdAt": "2020-06-11T21:03:55.798Z", "updatedAt": null }
            ],
            "pagination": { "totalResults": 2, "totalPages": 1, "page": 1, "perPage": 20 }
        })
    );
}

#[tokio::test]
async fn query_cpd_requirements_return_all_and_error() {
    let results = return_all(
        "thrive_query_cpd_requirements",
        "/rest/v1/cpdRequirementSummaries",
        json!({"updatedSince": "2020-01-01"}),
        json!({"audienceRequirementId": "r1", "requiredMinutes": 60}),
        json!({"audienceRequirementId": "r2", "requiredMinutes": 90}),
    )
    .await;
    let minutes: Vec<&Value> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["requiredMinutes"])
        .collect();
    assert_eq!(minutes, [&json!(60), &json!(90)]);

    let srv = CaptureServer::start().await;
    srv.reply(
        403,
        json!({"status": 403, "error": "Forbidden", "message": "Forbidden"}),
    );
    let err = srv
        .run("thrive_query_cpd_requirements", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Forbidden, Some(403), "Forbidden")
    );
}

#[test]
fn query_cpd_requirements_validation() {
    assert_eq!(
        violated_pointers(
            "thrive_query_cpd_requirements",
            json!({"updatedSince": "2020-13-01", "perPage": 5000, "page": 1.5})
        ),
        vec!["/page", "/perPage", "/updatedSince"]
    );
}

// ------------------------------------------------------------- user summaries

#[test]
fn query_cpd_user_summaries_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 100}}));
    srv.run(
        "thrive_query_cpd_user_summaries",
        json!({"entryDateFrom": "2020-11-17T09:50:00", "entryDateTo": "2021-11-17T09:51:00", "userIds": ""}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/cpdUserLogSummaries?entryDateFrom=2020-11-17T09%3A50%3A00&entryDateTo=2021-11-17T09%3A51%3A00"
    );
    assert_eq!(req.body, Value::Null);
}

#[test]
fn query_cpd_user_summaries_full_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({
            "pagination": { "totalResults": 2, "totalPages": 1, "page": 1, "perPage": 100 },
            "results": [
                { "userId": "5c9de5c64a6b1c37a58e393c", "durationMinutes": 360, "futureField": 1 },
                { "userId": "5cadda57f4a0f40010af03de", "durationMinutes": 620 }
            ]
        }),
    );
    let out = srv
        .run(
            "thrive_query_cpd_user_summaries",
            json!({
                "perPage": "100", "page": "1", "userIds": "5c9de5c64a6b1c37a58e393c, 5cadda57f4a0f40010af03de",
                "entryDateTo": "2021-11-17T09:51:00", "entryDateFrom": "2020-11-17T09:50:00"
            }),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/cpdUserLogSummaries?entryDateFrom=2020-11-17T09%3A50%3A00&entryDateTo=2021-11-17T09%3A51%3A00\
         &userIds=5c9de5c64a6b1c37a58e393c%2C5cadda57f4a0f40010af03de&page=1&perPage=100"
    );
    assert_eq!(
        out,
        json!({
            "results": [
                { "userId": "5c9de5c64a6b1c37a58e393c", "durationMinutes": 360, "futureField": 1 },
                { "userId": "5cadda57f4a0f40010af03de", "durationMinutes": 620 }
            ],
            "pagination": { "totalResults": 2, "totalPages": 1, "page": 1, "perPage": 100 }
        })
    );
}

#[tokio::test]
async fn query_cpd_user_summaries_return_all_and_error() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"results": [{"userId": "u1", "durationMinutes": 1}], "pagination": {"totalResults": 2, "totalPages": 2, "page": 1, "perPage": 1}}),
    );
    srv.reply(
        200,
        json!({"results": [{"userId": "u2", "durationMinutes": 2}], "pagination": {"totalResults": 2, "totalPages": 2, "page": 2, "perPage": 1}}),
    );
    let out = srv
        .run(
            "thrive_query_cpd_user_summaries",
            json!({"entryDateFrom": "2020-01-01T00:00:00", "entryDateTo": "2020-12-31T23:59:59",
                   "page": 1, "perPage": 1, "returnAll": true}),
        )
        .await
        .unwrap();
    assert_eq!(
        out,
        json!({
            "results": [{"userId": "u1", "durationMinutes": 1}, {"userId": "u2", "durationMinutes": 2}],
            "pagination": {"totalResults": 2, "totalPages": 1, "page": 1, "perPage": 2}
        })
    );
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "GET /rest/v1/cpdUserLogSummaries?entryDateFrom=2020-01-01T00%3A00%3A00&entryDateTo=2020-12-31T23%3A59%3A59&page=1&perPage=1",
            "GET /rest/v1/cpdUserLogSummaries?entryDateFrom=2020-01-01T00%3A00%3A00&entryDateTo=2020-12-31T23%3A59%3A59&page=2&perPage=1"
        ]
    );

    let srv = CaptureServer::start().await;
    srv.reply(
        400,
        json!({"status": 400, "error": "Bad Request", "message": "entryDateFrom is required"}),
    );
    let err = srv
        .run(
            "thrive_query_cpd_user_summaries",
            json!({"entryDateFrom": "2020-01-01T00:00:00", "entryDateTo": "2020-12-31T23:59:59"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::BadRequest,
            Some(400),
            "entryDateFrom is required"
        )
    );
}

#[test]
fn query_cpd_user_summaries_validation() {
    assert_eq!(
        violations(
            "thrive_query_cpd_user_summaries",
            json!({"userIds": "5c9de5c64a6b1c37a58e393c,,EMP-1", "perPage": 0})
        ),
        vec![
            (s("/entryDateFrom"), s("entryDateFrom is required")),
            (s("/entryDateTo"), s("entryDateTo is required")),
            (
                s("/perPage"),
                s("perPage: value is less than the minimum of 1")
            ),
            (
                s("/userIds"),
                s(
                    "userIds has an empty value between commas; give the values separated by commas, e.g. a,b"
                )
            ),
            (
                s("/userIds/2"),
                s(
                    "userIds[2] must be a Thrive id: 24 characters, digits 0-9 and letters a-f, like 507f1f77bcf86cd799439011"
                )
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_query_cpd_user_summaries",
            json!({"entryDateFrom": "2020-11-17 09:50:00", "entryDateTo": "2021-11-17"})
        ),
        vec![
            (
                s("/entryDateFrom"),
                s(
                    "entryDateFrom must be a date-time in the form YYYY-MM-DDThh:mm:ss, got \"2020-11-17 09:50:00\""
                )
            ),
            (
                s("/entryDateTo"),
                s(
                    "entryDateTo must be a date-time in the form YYYY-MM-DDThh:mm:ss, got \"2021-11-17\""
                )
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_query_cpd_user_summaries",
            json!({"entryDateFrom": "2021-11-17T09:50:00", "entryDateTo": "2020-11-17T09:50:00"})
        ),
        vec![(
            s("/entryDateTo"),
            s("entryDateTo must not be before entryDateFrom")
        )]
    );
    assert_eq!(
        violations(
            "thrive_query_cpd_user_summaries",
            json!({"entryDateFrom": 20201117, "entryDateTo": "2021-11-17T09:50:00"})
        ),
        vec![(
            s("/entryDateFrom"),
            s("entryDateFrom must be of type string")
        )]
    );
}
