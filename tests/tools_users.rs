//! Request, output and error shapes of the user tools.

mod common;

use common::*;
use serde_json::{Value, json};
use thrive_blocks::ErrorCode;

fn lifecycle_user() -> Value {
    json!({
        "id": "646767d82535201223349e09", "loginMethod": "email", "ref": "UID30084022",
        "email": "user@thrivelearning.com", "firstName": "Thomas", "lastName": "Jefferson",
        "role": "learner", "jobTitle": "Director", "managerRef": "UID0034234555",
        "startDate": "2021-08-19T18:00:00.000Z", "endDate": null, "timeZone": "Europe/London",
        "languageCode": "en-gb", "active": true, "createdAt": "2024-03-15T10:30:00.000Z",
        "updatedAt": "2024-03-15T10:30:00.000Z", "sso": false, "domain": null,
        "additionalFields": {"department": "Sales"}, "futureField": 7
    })
}

#[tokio::test]
async fn create_user_minimal_request() {
    let srv = CaptureServer::start().await;
    srv.reply(201, lifecycle_user());
    srv.run(
        "thrive_create_user",
        json!({
            "ref": "UID30084022", "firstName": "Thomas", "lastName": "Jefferson",
            "email": "user@thrivelearning.com", "jobTitle": "", "role": "  "
        }),
    )
    .await
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "POST /rest/v2/users");
    assert_headers(&req);
    assert_eq!(
        req.body,
        json!({"ref": "UID30084022", "firstName": "Thomas", "lastName": "Jefferson",
        "email": "user@thrivelearning.com"})
    );
}

#[tokio::test]
async fn create_user_full_request_and_lossless_output() {
    let srv = CaptureServer::start().await;
    srv.reply(201, lifecycle_user());
    let out = srv.run("thrive_create_user", json!({
        "ref": "UID30084022", "firstName": "Thomas", "lastName": "Jefferson",
        "email": "user@thrivelearning.com", "loginMethod": "email", "role": "learner",
        "jobTitle": "Director", "managerRef": "UID0034234555", "startDate": "2021-08-19T18:00:00.000Z",
        "endDate": "2025-01-01", "timeZone": "Europe/London", "languageCode": "en-gb", "sso": false,
        "domain": "example.com", "additionalFields": "{\"department\":\"Sales\"}"
    })).await.unwrap();
    let req = srv.single();
    assert_eq!(
        req.body,
        json!({
            "ref": "UID30084022", "firstName": "Thomas", "lastName": "Jefferson",
            "email": "user@thrivelearning.com", "loginMethod": "email", "role": "learner",
            "jobTitle": "Director", "managerRef": "UID0034234555", "startDate": "2021-08-19T18:00:00.000Z",
            "endDate": "2025-01-01", "timeZone": "Europe/London", "languageCode": "en-gb", "sso": false,
            "domain": "example.com", "additionalFields": {"department": "Sales"}
        })
    );
    assert_eq!(out, json!({"user": lifecycle_user()}));
}

#[tokio::test]
async fn create_user_conflict_error() {
    let srv = CaptureServer::start().await;
    srv.reply(
        409,
        json!({"status": 409, "error": "Conflict", "message": "User with ref UID1 already exists"}),
    );
    let err = srv
        .run(
            "thrive_create_user",
            json!({"ref": "UID1", "firstName": "A", "lastName": "B", "email": "a@b.c"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.message(), "User with ref UID1 already exists");
    assert!(!err.to_string().contains(KEY));
}

#[test]
fn create_user_validation_reports_everything() {
    assert_eq!(
        violations(
            "thrive_create_user",
            json!({"role": "boss", "additionalFields": "[1]", "startDate": "soon"})
        ),
        vec![
            ("/additionalFields".to_owned(), "additionalFields must hold a JSON object such as {\"department\":\"Sales\"}, got an array".to_owned()),
            ("/email".to_owned(), "email is required unless loginMethod is 'ref'".to_owned()),
            ("/firstName".to_owned(), "firstName is required".to_owned()),
            ("/lastName".to_owned(), "lastName is required".to_owned()),
            ("/ref".to_owned(), "ref is required".to_owned()),
            ("/role".to_owned(), "role must be one of 'administrator', 'learneradmin', 'learner'".to_owned()),
            ("/startDate".to_owned(), "startDate must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"soon\"".to_owned()),
        ]
    );
    assert_eq!(
        violations("thrive_create_user", json!({"ref": "x", "firstName": "A", "lastName": "B",
            "additionalFields": "[1]", "startDate": "soon"})),
        vec![
            ("/additionalFields".to_owned(), "additionalFields must hold a JSON object such as {\"department\":\"Sales\"}, got an array".to_owned()),
            ("/email".to_owned(), "email is required unless loginMethod is 'ref'".to_owned()),
            ("/startDate".to_owned(), "startDate must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"soon\"".to_owned()),
        ]
    );
    assert!(
        violations(
            "thrive_create_user",
            json!({"ref": "x", "firstName": "A", "lastName": "B", "loginMethod": "ref"})
        )
        .is_empty()
    );
}
