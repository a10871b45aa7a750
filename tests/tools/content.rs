//! Request, output and error shapes of the content and activity tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::ErrorCode;

fn s(v: &str) -> String {
    v.to_owned()
}

fn content_record() -> Value {
    json!({
        "id": "507f1f77bcf86cd799439011",
        "title": "Thrive Customer Journey",
        "description": "<p>A diagram of the key stages of a customer's journey.</p>",
        "tags": ["customer journey", "faq", "customer success", "lxp"],
        "type": "file",
        "createdAt": "2019-02-18T17:42:11.708Z",
        "updatedAt": "2020-02-20T13:16:22.840Z",
        "author": "5c69be0e3a38412f022b4719",
        "isOfficial": true,
        "duration": { "value": 15, "unit": "minutes" },
        "contentHistory": [
            { "action": "created", "timestamp": "2019-02-18T17:42:11.708Z",
              "performedBy": { "type": "user", "value": "5c69be0e3a38412f022b4719" } }
        ],
        "futureField": 1
    })
}

/// The record as the tool outputs it: numbers modelled as `number` come back as floats.
fn content_output() -> Value {
    let mut out = content_record();
    out["duration"]["value"] = json!(15);
    out
}

fn activity_record() -> Value {
    json!({
        "id": "60d5ec49b60b4b3a2c8f9a10",
        "user": "60d5ec49b60b4b3a2c8f9a11",
        "type": "viewed",
        "name": "Relative Time Dilation - Practical Guide",
        "date": "2020-02-12T14:58:23.621Z",
        "contextId": "64b6f4a8c2e4a1b9d3f2c4a0",
        "contextType": "content",
        "data": { "source": { "source": "feed" }, "duration": "3600" },
        "with": null,
        "futureField": 1
    })
}

// ---------------------------------------------------------------- get content

#[test]
fn get_content_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(200, content_record());
    let out = srv
        .run(
            "thrive_get_content",
            json!({"id": "507f1f77bcf86cd799439011"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/contents/507f1f77bcf86cd799439011");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"content": content_output()}));
}

#[test]
fn get_content_missing_fields_are_null_and_the_id_is_the_path_segment() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"id": "x", "author": null, "duration": null, "contentHistory": []}),
    );
    let out = srv
        .run(
            "thrive_get_content",
            json!({"id": "507F1F77BCF86CD799439011"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/contents/507F1F77BCF86CD799439011"
    );
    assert_eq!(
        out,
        json!({"content": {
            "id": "x", "title": null, "description": null, "tags": null, "type": null,
            "createdAt": null, "updatedAt": null, "author": null, "isOfficial": null,
            "duration": null, "contentHistory": []
        }})
    );
}

#[test]
fn get_content_empty_body_is_null() {
    let srv = Offline::new();
    srv.reply(200, Value::Null);
    let out = srv
        .run(
            "thrive_get_content",
            json!({"id": "507f1f77bcf86cd799439011"}),
        )
        .unwrap();
    assert_eq!(out, json!({"content": null}));
}

#[tokio::test]
async fn get_content_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Content not found"}),
    );
    let err = srv
        .run(
            "thrive_get_content",
            json!({"id": "507f1f77bcf86cd799439011"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Content not found")
    );
}

#[test]
fn get_content_validation() {
    assert_eq!(
        violations("thrive_get_content", json!({})),
        vec![(s("/id"), s("id is required"))]
    );
    assert_eq!(
        violations("thrive_get_content", json!({"id": "  "})),
        vec![(s("/id"), s("id is required"))]
    );
    assert_eq!(
        violations("thrive_get_content", json!({"id": ".."})),
        vec![(s("/id"), s(NOT_AN_ID))]
    );
    assert_eq!(
        violations("thrive_get_content", json!({"id": "abc"})),
        vec![(s("/id"), s(NOT_AN_ID))]
    );
    assert_eq!(
        violations("thrive_get_content", json!({"id": 7})),
        vec![(s("/id"), s("id must be of type string"))]
    );
    assert_eq!(
        violations(
            "thrive_get_content",
            json!({"id": "507f1f77bcf86cd799439011", "page": 1})
        ),
        vec![(
            s("/page"),
            s(
                "page is not an input of this tool; its inputs: id (connection: tenantId, apiKey, host, clientId, scope)"
            )
        )]
    );
}

// -------------------------------------------------------------- query content

#[test]
fn query_content_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 20}}));
    let out = srv
        .run(
            "thrive_query_content",
            json!({"types": "", "omitTypes": "  ", "updatedSince": "", "page": ""}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/contents");
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 20}})
    );
}

#[test]
fn query_content_full_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({
            "results": [content_record()],
            "pagination": {"totalResults": 48, "totalPages": 3, "page": 2, "perPage": 20, "futureField": 1},
            "futureTop": true
        }),
    );
    let out = srv
        .run(
            "thrive_query_content",
            json!({
                "page": "2", "perPage": "20", "types": "video, file", "omitTypes": "event",
                "updatedSince": "2024-01-01T00:00:00Z"
            }),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/contents?page=2&perPage=20&types=video%2Cfile&omitTypes=event&updatedSince=2024-01-01T00%3A00%3A00Z"
    );
    assert_eq!(
        out,
        json!({
            "results": [content_output()],
            "pagination": {"totalResults": 48, "totalPages": 3, "page": 2, "perPage": 20, "futureField": 1}
        })
    );
}

#[test]
fn query_content_missing_envelope_parts() {
    let srv = Offline::new();
    srv.reply(200, json!({}));
    let out = srv.run("thrive_query_content", json!({})).unwrap();
    assert_eq!(out, json!({"results": [], "pagination": null}));
}

#[tokio::test]
async fn query_content_return_all_follows_pages() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"results": [{"id": "c1"}, {"id": "c2"}],
               "pagination": {"totalResults": 3, "totalPages": 2, "page": 1, "perPage": 2}}),
    );
    srv.reply(
        200,
        json!({"results": [{"id": "c3"}],
               "pagination": {"totalResults": 3, "totalPages": 2, "page": 2, "perPage": 2}}),
    );
    let out = srv
        .run(
            "thrive_query_content",
            json!({"returnAll": true, "perPage": 2, "types": "video"}),
        )
        .await
        .unwrap();
    let ids: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    assert_eq!(
        out["pagination"],
        json!({"totalResults": 3, "totalPages": 1, "page": 1, "perPage": 3})
    );
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "GET /rest/v1/contents?page=1&perPage=2&types=video",
            "GET /rest/v1/contents?page=2&perPage=2&types=video"
        ]
    );
}

#[tokio::test]
async fn query_content_error_with_object_message() {
    let srv = CaptureServer::start().await;
    srv.reply(
        422,
        json!({"status": 422, "error": "Unprocessable Content", "message": {"updatedSince": "must be in the past"}}),
    );
    let err = srv
        .run(
            "thrive_query_content",
            json!({"updatedSince": "2999-01-01"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Unprocessable,
            Some(422),
            "updatedSince: must be in the past"
        )
    );
    assert_eq!(
        err.details(),
        Some(&json!({"updatedSince": "must be in the past"}))
    );
}

#[test]
fn query_content_validation() {
    assert_eq!(
        violations(
            "thrive_query_content",
            json!({"types": "video,podcast,Course", "omitTypes": "file,,url", "updatedSince": "yesterday"})
        ),
        vec![
            (
                s("/omitTypes"),
                s(
                    "omitTypes has an empty value between commas; give the values separated by commas, e.g. a,b"
                )
            ),
            (
                s("/types"),
                s(
                    "types has unknown value(s) 'podcast', 'Course'; allowed values: article, assessment, broadcast, cmi5, elearning, event, file, pathway, question, quiz, scorm, url, video, mixed"
                )
            ),
            (
                s("/updatedSince"),
                s(
                    "updatedSince must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"yesterday\""
                )
            ),
        ]
    );
    assert_eq!(
        violated_pointers(
            "thrive_query_content",
            json!({"page": 0, "perPage": 1001, "types": "nope"})
        ),
        vec!["/page", "/perPage", "/types"]
    );
    assert_eq!(
        violations("thrive_query_content", json!({"perPage": "lots"})),
        vec![(s("/perPage"), s("perPage must be a whole number"))]
    );
    assert_eq!(
        violated_pointers("thrive_query_content", json!({"perPage": 2.5, "page": -1})),
        vec!["/page", "/perPage"]
    );
    let all = "article,assessment,broadcast,cmi5,elearning,event,file,pathway,question,quiz,scorm,url,video,mixed";
    assert!(
        violations(
            "thrive_query_content",
            json!({"types": all, "omitTypes": all, "perPage": 1000, "page": 1})
        )
        .is_empty()
    );
}

// -------------------------------------------------------------- get activity

#[test]
fn get_activity_uses_the_singular_path_and_keeps_data() {
    let srv = Offline::new();
    srv.reply(200, activity_record());
    let out = srv
        .run(
            "thrive_get_activity",
            json!({"id": "60d5ec49b60b4b3a2c8f9a10"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/activity/60d5ec49b60b4b3a2c8f9a10");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"activity": activity_record()}));
}

#[test]
fn get_activity_sends_the_id_and_reads_a_with_object() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"id": "x", "type": "found", "data": {"keyword": "rust", "count": 3}, "with": {"id": "u2"}}),
    );
    let out = srv
        .run(
            "thrive_get_activity",
            json!({"id": "507F1F77BCF86CD799439011"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/activity/507F1F77BCF86CD799439011"
    );
    assert_eq!(
        out,
        json!({"activity": {
            "type": "found", "name": null, "id": "x", "user": null, "date": null,
            "contextId": null, "contextType": null,
            "data": {"keyword": "rust", "count": 3}, "with": {"id": "u2"}
        }})
    );
}

#[tokio::test]
async fn get_activity_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Activity not found"}),
    );
    let err = srv
        .run(
            "thrive_get_activity",
            json!({"id": "60d5ec49b60b4b3a2c8f9a10"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Activity not found")
    );
}

#[test]
fn get_activity_validation() {
    assert_eq!(
        violations("thrive_get_activity", json!({})),
        vec![(s("/id"), s("id is required"))]
    );
    assert_eq!(
        violations("thrive_get_activity", json!({"id": ".."})),
        vec![(s("/id"), s(NOT_AN_ID))]
    );
    assert_eq!(
        violations("thrive_get_activity", json!({"id": "abc"})),
        vec![(s("/id"), s(NOT_AN_ID))]
    );
    assert_eq!(
        violations("thrive_get_activity", json!({"id": ["a"]})),
        vec![(s("/id"), s("id must be of type string"))]
    );
}

// ----------------------------------------------------------- query activities

#[test]
fn query_activities_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 20}}));
    srv.run(
        "thrive_query_activities",
        json!({"actions": "", "contentIds": " ", "timestampFrom": "", "perPage": ""}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/activities");
    assert_eq!(req.body, Value::Null);
}

#[test]
fn query_activities_full_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({
            "pagination": { "totalResults": 34223, "totalPages": 1720, "page": 1, "perPage": 20 },
            "results": [activity_record()]
        }),
    );
    let out = srv
        .run(
            "thrive_query_activities",
            json!({
                "page": "1", "perPage": "20", "actions": "viewed,completed",
                "omitActions": "loggedin, loggedout", "contentIds": "5f9d88d6e1b2a34c56d78901,5f9d88d6e1b2a34c56d78902",
                "contentType": "video", "timestampFrom": "2020-01-01 00:00:00",
                "timestampTo": "2020-10-01 00:00:00"
            }),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/activities?page=1&perPage=20&actions=viewed%2Ccompleted&omitActions=loggedin%2Cloggedout\
         &contentIds=5f9d88d6e1b2a34c56d78901%2C5f9d88d6e1b2a34c56d78902&contentType=video\
         &timestampFrom=2020-01-01%2000%3A00%3A00&timestampTo=2020-10-01%2000%3A00%3A00"
    );
    assert_eq!(
        out,
        json!({
            "results": [activity_record()],
            "pagination": { "totalResults": 34223, "totalPages": 1720, "page": 1, "perPage": 20 }
        })
    );
}

#[tokio::test]
async fn query_activities_return_all_follows_pages() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"results": [{"id": "a1"}], "pagination": {"totalResults": 2, "totalPages": 2, "page": 1, "perPage": 1}}),
    );
    srv.reply(
        200,
        json!({"results": [{"id": "a2"}], "pagination": {"totalResults": 2, "totalPages": 2, "page": 2, "perPage": 1}}),
    );
    let out = srv
        .run(
            "thrive_query_activities",
            json!({"returnAll": true, "page": 1, "perPage": 1, "actions": "viewed"}),
        )
        .await
        .unwrap();
    assert_eq!(
        out["results"],
        json!([
            {"type": null, "name": null, "id": "a1", "user": null, "date": null, "contextId": null, "contextType": null, "data": null, "with": null},
            {"type": null, "name": null, "id": "a2", "user": null, "date": null, "contextId": null, "contextType": null, "data": null, "with": null}
        ])
    );
    assert_eq!(
        out["pagination"],
        json!({"totalResults": 2, "totalPages": 1, "page": 1, "perPage": 2})
    );
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "GET /rest/v1/activities?page=1&perPage=1&actions=viewed",
            "GET /rest/v1/activities?page=2&perPage=1&actions=viewed"
        ]
    );
}

#[tokio::test]
async fn query_activities_bad_request() {
    let srv = CaptureServer::start().await;
    srv.reply(
        400,
        json!({"status": 400, "error": "Bad Request", "message": "perPage must not be greater than 1000"}),
    );
    let err = srv
        .run("thrive_query_activities", json!({"perPage": 10}))
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
fn query_activities_validation() {
    assert_eq!(
        violations(
            "thrive_query_activities",
            json!({
                "actions": "viewed,watched", "omitActions": "Liked", "contentIds": "5f9d88d6e1b2a34c56d78901,,abc",
                "timestampFrom": "2020-01-01T00:00:00", "timestampTo": "1 Jan 2020"
            })
        ),
        vec![
            (
                s("/actions"),
                s(
                    "actions has unknown value(s) 'watched'; allowed values: viewed, completed, passed, pinned, unpinned, liked, unliked, commented, commentdeleted, shared, progressed, registered, followed, unfollowed, started, resumed, searched, found, loggedin, loggedout"
                )
            ),
            (
                s("/contentIds"),
                s(
                    "contentIds has an empty value between commas; give the values separated by commas, e.g. a,b"
                )
            ),
            (
                s("/contentIds/2"),
                s(
                    "contentIds[2] must be a Thrive id: 24 characters, digits 0-9 and letters a-f, like 507f1f77bcf86cd799439011"
                )
            ),
            (
                s("/omitActions"),
                s(
                    "omitActions has unknown value(s) 'Liked'; allowed values: viewed, completed, passed, pinned, unpinned, liked, unliked, commented, commentdeleted, shared, progressed, registered, followed, unfollowed, started, resumed, searched, found, loggedin, loggedout"
                )
            ),
            (
                s("/timestampFrom"),
                s(
                    "timestampFrom must be a date-time in the form YYYY-MM-DD hh:mm:ss, got \"2020-01-01T00:00:00\""
                )
            ),
            (
                s("/timestampTo"),
                s(
                    "timestampTo must be a date-time in the form YYYY-MM-DD hh:mm:ss, got \"1 Jan 2020\""
                )
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_query_activities",
            json!({"timestampFrom": "2020-10-01 00:00:00", "timestampTo": "2020-01-01"})
        ),
        vec![(
            s("/timestampTo"),
            s("timestampTo must not be before timestampFrom")
        )]
    );
    assert!(
        violations(
            "thrive_query_activities",
            json!({"timestampFrom": "2020-01-01", "timestampTo": "2020-01-01 00:00:00"})
        )
        .is_empty()
    );
    assert_eq!(
        violated_pointers(
            "thrive_query_activities",
            json!({"page": 0, "perPage": 0, "contentType": 3})
        ),
        vec!["/contentType", "/page", "/perPage"]
    );
}

/// What a content, activity or CPD id that is not one is told.
const NOT_AN_ID: &str = "id must be a Thrive id: 24 characters, digits 0-9 and letters a-f, like 507f1f77bcf86cd799439011";
