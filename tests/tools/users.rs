//! Request, output and error shapes of the user tools.

use crate::common::*;
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

#[test]
fn create_user_minimal_request() {
    let srv = Offline::new();
    srv.reply(201, lifecycle_user());
    srv.run(
        "thrive_create_user",
        json!({
            "ref": "UID30084022", "firstName": "Thomas", "lastName": "Jefferson",
            "email": "user@thrivelearning.com", "jobTitle": "", "role": "  "
        }),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "POST /rest/v2/users");
    assert_eq!(
        req.body,
        json!({"ref": "UID30084022", "firstName": "Thomas", "lastName": "Jefferson",
        "email": "user@thrivelearning.com"})
    );
}

#[test]
fn create_user_full_request_and_lossless_output() {
    let srv = Offline::new();
    srv.reply(201, lifecycle_user());
    let out = srv.run("thrive_create_user", json!({
        "ref": "UID30084022", "firstName": "Thomas", "lastName": "Jefferson",
        "email": "user@thrivelearning.com", "loginMethod": "email", "role": "learner",
        "jobTitle": "Director", "managerRef": "UID0034234555", "startDate": "2021-08-19T18:00:00.000Z",
        "endDate": "2025-01-01", "timeZone": "Europe/London", "languageCode": "en-gb", "sso": false,
        "domain": "example.com", "additionalFields": "{\"department\":\"Sales\"}"
    })).unwrap();
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
            json!({"role": "boss", "additionalFields": "7", "startDate": "soon"})
        ),
        vec![
            ("/additionalFields".to_owned(), "additionalFields must hold custom fields such as {\"department\":\"Sales\"}, got a number".to_owned()),
            ("/email".to_owned(), "email is required unless the user signs in with their reference (loginMethod \"ref\")".to_owned()),
            ("/firstName".to_owned(), "firstName is required".to_owned()),
            ("/lastName".to_owned(), "lastName is required".to_owned()),
            ("/ref".to_owned(), "ref is required".to_owned()),
            ("/role".to_owned(), "role must be one of 'administrator', 'learneradmin', 'learner'".to_owned()),
            ("/startDate".to_owned(), "startDate must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"soon\"".to_owned()),
        ]
    );
    assert_eq!(
        violations("thrive_create_user", json!({"ref": "x", "firstName": "A", "lastName": "B",
            "additionalFields": "7", "startDate": "soon"})),
        vec![
            ("/additionalFields".to_owned(), "additionalFields must hold custom fields such as {\"department\":\"Sales\"}, got a number".to_owned()),
            ("/email".to_owned(), "email is required unless the user signs in with their reference (loginMethod \"ref\")".to_owned()),
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

fn s(pointer: &str, message: &str) -> (String, String) {
    (pointer.to_owned(), message.to_owned())
}

const ISO: &str = "must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got";

// ---------------------------------------------------------------- update

#[test]
fn update_user_minimal_request_sends_only_given_fields() {
    let srv = Offline::new();
    srv.reply(200, lifecycle_user());
    srv.run(
        "thrive_update_user",
        json!({"ref": "UID30084022", "jobTitle": "Head of Sales", "firstName": "", "managerRef": "  ", "sso": null}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v2/users/ref/UID30084022");
    assert_eq!(req.body, json!({"jobTitle": "Head of Sales"}));
}

#[test]
fn update_user_with_only_ref_sends_an_empty_object() {
    let srv = Offline::new();
    srv.reply(200, lifecycle_user());
    srv.run("thrive_update_user", json!({"ref": "UID30084022"}))
        .unwrap();
    assert_eq!(srv.single().body, json!({}));
}

#[test]
fn update_user_full_request_and_lossless_output() {
    let srv = Offline::new();
    let mut updated = lifecycle_user();
    updated["jobTitle"] = json!("Head of Sales");
    srv.reply(200, updated.clone());
    let out = srv
        .run(
            "thrive_update_user",
            json!({
                "ref": "UID30084022", "firstName": "Tom", "lastName": "Jefferson",
                "email": "tom@thrivelearning.com", "loginMethod": "ref", "role": "learneradmin",
                "jobTitle": "Head of Sales", "managerRef": "UID0034234555",
                "startDate": "2021-08-19T18:00:00.000Z", "endDate": "2025-01-01",
                "timeZone": "Europe/Paris", "languageCode": "fr-fr", "sso": "true",
                "domain": "example.com", "additionalFields": {"department": "Sales", "floor": 3}
            }),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v2/users/ref/UID30084022");
    assert_eq!(
        req.body,
        json!({
            "firstName": "Tom", "lastName": "Jefferson", "email": "tom@thrivelearning.com",
            "loginMethod": "ref", "role": "learneradmin", "jobTitle": "Head of Sales",
            "managerRef": "UID0034234555", "startDate": "2021-08-19T18:00:00.000Z",
            "endDate": "2025-01-01", "timeZone": "Europe/Paris", "languageCode": "fr-fr",
            "sso": true, "domain": "example.com",
            "additionalFields": {"department": "Sales", "floor": 3}
        })
    );
    assert_eq!(out, json!({"user": updated}));
    assert_eq!(out["user"]["futureField"], 7);
}

#[test]
fn update_user_encodes_the_ref_as_one_segment() {
    let srv = Offline::new();
    srv.reply(200, lifecycle_user());
    srv.run(
        "thrive_update_user",
        json!({"ref": "a/b?c#d%e", "jobTitle": "X"}),
    )
    .unwrap();
    assert_eq!(
        srv.single().line(),
        "PATCH /rest/v2/users/ref/a%2Fb%3Fc%23d%25e"
    );
}

#[tokio::test]
async fn update_user_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "User not found"}),
    );
    let err = srv
        .run(
            "thrive_update_user",
            json!({"ref": "nobody", "jobTitle": "X"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "User not found")
    );
}

#[test]
fn update_user_validation_reports_everything() {
    assert_eq!(
        violations(
            "thrive_update_user",
            json!({"sso": "maybe", "role": "boss", "loginMethod": "sms",
                "additionalFields": "{bad", "startDate": "2024-02-30", "endDate": "soon"})
        ),
        vec![
            s(
                "/additionalFields",
                "additionalFields is not valid JSON (key must be a string at line 1 column 2); expected an object such as {\"department\":\"Sales\"}"
            ),
            s("/endDate", &format!("endDate {ISO} \"soon\"")),
            s("/loginMethod", "loginMethod must be one of 'email', 'ref'"),
            s("/ref", "ref is required"),
            s(
                "/role",
                "role must be one of 'administrator', 'learneradmin', 'learner'"
            ),
            s("/sso", "sso must be of type boolean"),
            s("/startDate", &format!("startDate {ISO} \"2024-02-30\"")),
        ]
    );
    assert_eq!(
        violations(
            "thrive_update_user",
            json!({"ref": "..", "additionalFields": "7"})
        ),
        vec![
            s(
                "/additionalFields",
                "additionalFields must hold custom fields such as {\"department\":\"Sales\"}, got a number"
            ),
            s("/ref", "ref must not be '.' or '..'"),
        ]
    );
    assert_eq!(
        violated_pointers("thrive_update_user", json!({"ref": "u", "firstName": 5})),
        vec!["/firstName"]
    );
    assert!(violations("thrive_update_user", json!({"ref": "u", "email": "a@b.c"})).is_empty());
}

// ---------------------------------------------------------------- delete

#[test]
fn delete_user_request_and_empty_body_means_success() {
    let srv = Offline::new();
    srv.reply(200, Value::Null);
    let out = srv
        .run("thrive_delete_user", json!({"ref": " UID30084022 "}))
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "DELETE /rest/v2/users/ref/UID30084022");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"success": true}));
}

#[test]
fn delete_user_reads_success_from_the_body() {
    let srv = Offline::new();
    srv.reply(200, json!({"success": false, "futureField": 1}));
    srv.reply(204, Value::Null);
    let out = srv
        .run("thrive_delete_user", json!({"ref": "a/b?c#d%e"}))
        .unwrap();
    assert_eq!(out, json!({"success": false, "futureField": 1}));
    let out = srv
        .run("thrive_delete_user", json!({"ref": "UID1"}))
        .unwrap();
    assert_eq!(out, json!({"success": true}));
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "DELETE /rest/v2/users/ref/a%2Fb%3Fc%23d%25e",
            "DELETE /rest/v2/users/ref/UID1"
        ]
    );
}

#[tokio::test]
async fn delete_user_error() {
    let srv = CaptureServer::start().await;
    srv.reply(
        400,
        json!({"status": 400, "error": "Bad Request", "message": {"ref": "ref is required"}}),
    );
    let err = srv
        .run("thrive_delete_user", json!({"ref": "UID1"}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::BadRequest, Some(400), "ref: ref is required")
    );
    assert_eq!(err.details(), Some(&json!({"ref": "ref is required"})));
}

#[test]
fn delete_user_validation() {
    assert_eq!(
        violations("thrive_delete_user", json!({})),
        vec![s("/ref", "ref is required")]
    );
    assert_eq!(
        violations("thrive_delete_user", json!({"ref": ".."})),
        vec![s("/ref", "ref must not be '.' or '..'")]
    );
    assert_eq!(
        violations("thrive_delete_user", json!({"ref": 7})),
        vec![s("/ref", "ref must be of type string")]
    );
}

// ---------------------------------------------------------------- suspend

#[test]
fn suspend_user_minimal_request_sends_an_empty_object() {
    let srv = Offline::new();
    srv.reply(200, lifecycle_user());
    srv.run(
        "thrive_suspend_user",
        json!({"ref": "UID30084022", "endDate": " "}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v2/users/ref/UID30084022/suspend");
    assert_eq!(req.body, json!({}));
}

#[test]
fn suspend_user_full_request_and_output() {
    let srv = Offline::new();
    let mut suspended = lifecycle_user();
    suspended["active"] = json!(false);
    suspended["endDate"] = json!("2024-06-30T00:00:00.000Z");
    srv.reply(200, suspended.clone());
    let out = srv
        .run(
            "thrive_suspend_user",
            json!({"ref": "a/b?c#d%e", "endDate": "2024-06-30T00:00:00.000Z"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "PATCH /rest/v2/users/ref/a%2Fb%3Fc%23d%25e/suspend"
    );
    assert_eq!(req.body, json!({"endDate": "2024-06-30T00:00:00.000Z"}));
    assert_eq!(out, json!({"user": suspended}));
    assert_eq!(out["user"]["futureField"], 7);
}

#[tokio::test]
async fn suspend_user_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "User not found"}),
    );
    let err = srv
        .run("thrive_suspend_user", json!({"ref": "nobody"}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "User not found")
    );
}

#[test]
fn suspend_user_validation() {
    assert_eq!(
        violations("thrive_suspend_user", json!({"endDate": "30/06/2024"})),
        vec![
            s("/endDate", &format!("endDate {ISO} \"30/06/2024\"")),
            s("/ref", "ref is required"),
        ]
    );
    assert_eq!(
        violated_pointers("thrive_suspend_user", json!({"ref": ".."})),
        vec!["/ref"]
    );
    assert!(
        violations(
            "thrive_suspend_user",
            json!({"ref": "u", "endDate": "2024-06-30"})
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------- v1 reads

fn position() -> Value {
    json!({
        "id": "646767d82535201223349e09", "manager": {"id": "646767d82535201223349e10"},
        "ouId": "646767d825", "isActive": true, "startDate": "2021-01-01T09:00:00Z",
        "endDate": null, "createdAt": "2021-01-01T09:00:00Z", "updatedAt": "2021-01-01T09:00:00Z",
        "title": "Engineer"
    })
}

/// A full v1 User as Thrive sends it (examples.md 3.5), with an unmodelled field.
fn full_user(id: &str) -> Value {
    json!({
        "id": id, "ref": "xyzabc", "firstName": "John", "lastName": "Doe",
        "email": "sample@thrivelearning.com", "role": "learner", "status": "active",
        "positions": [position()],
        "additionalFields": {"location": "London"}, "languageCode": "en-gb", "deleted": false,
        "compliance": 0, "level": 2, "firstLogin": "2021-01-01T09:00:00Z",
        "lastLogin": "2024-03-01T08:12:44Z", "tags": {"skills": ["leadership"]},
        "usersFollowing": [], "tagsFollowing": [], "createdAt": "2021-01-01T09:00:00Z",
        "updatedAt": "2024-03-01T08:12:44Z", "hasPicture": false, "timeZone": "Europe/London",
        "summary": null, "relevancy": 0.5, "rank": {"currentCategory": 0, "currentLevel": 0},
        "agreedTerms": "2021-01-01", "onboarded": true, "audiences": [{"id": "63f8c546a05716c51210ac81"}],
        "singleSignOn": false, "futureField": 1
    })
}

/// What the tool outputs for [`full_user`]: the same object; the numbers
/// Thrive documents as "number" come back as JSON floats.
fn full_user_out(id: &str) -> Value {
    let mut u = full_user(id);
    u["compliance"] = json!(0);
    u["level"] = json!(2);
    u
}

fn page_of(users: Vec<Value>, page: u64, total_pages: u64, total: u64) -> Value {
    json!({"results": users,
        "pagination": {"totalResults": total, "totalPages": total_pages, "page": page, "perPage": 2}})
}

#[test]
fn search_users_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, page_of(vec![], 1, 0, 0));
    let out = srv.run("thrive_search_users", json!({})).unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/users");
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 2}})
    );
}

#[test]
fn search_users_full_request_and_lossless_output() {
    let srv = Offline::new();
    let mut body = page_of(vec![full_user("646767d82535201223349e09")], 2, 2, 3);
    body["pagination"]["futureField"] = json!("p");
    srv.reply(200, body);
    let out = srv
        .run(
            "thrive_search_users",
            json!({
                "page": "2", "perPage": "50", "updatedSince": "2024-01-01T00:00:00Z",
                "statuses": "active, new", "omitStatuses": "expired", "status": "active"
            }),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(
        req.line(),
        "GET /rest/v1/users?page=2&perPage=50&updatedSince=2024-01-01T00%3A00%3A00Z&statuses=active%2Cnew&omitStatuses=expired&status=active"
    );
    assert_eq!(
        out,
        json!({
            "results": [full_user_out("646767d82535201223349e09")],
            "pagination": {"totalResults": 3, "totalPages": 2, "page": 2, "perPage": 2, "futureField": "p"}
        })
    );
    assert_eq!(out["results"][0]["positions"][0]["title"], "Engineer");
}

#[test]
fn search_users_blank_inputs_are_not_sent() {
    let srv = Offline::new();
    srv.reply(200, page_of(vec![], 1, 0, 0));
    srv.run(
        "thrive_search_users",
        json!({"page": "", "perPage": " ", "updatedSince": "", "statuses": "", "omitStatuses": " ", "status": ""}),
    )
    .unwrap();
    assert_eq!(srv.single().line(), "GET /rest/v1/users");
}

#[tokio::test]
async fn search_users_return_all_follows_pages() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        page_of(vec![full_user("u1"), full_user("u2")], 1, 2, 3),
    );
    srv.reply(200, page_of(vec![full_user("u3")], 2, 2, 3));
    let out = srv
        .run(
            "thrive_search_users",
            json!({"perPage": 2, "statuses": "active", "returnAll": true}),
        )
        .await
        .unwrap();
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    // The runtime adds `page` after the tool's own query parameters.
    assert_eq!(
        lines,
        [
            "GET /rest/v1/users?page=1&perPage=2&statuses=active",
            "GET /rest/v1/users?page=2&perPage=2&statuses=active",
        ]
    );
    assert_eq!(
        out,
        json!({
            "results": [full_user_out("u1"), full_user_out("u2"), full_user_out("u3")],
            "pagination": {"totalResults": 3, "totalPages": 1, "page": 1, "perPage": 3}
        })
    );
}

#[tokio::test]
async fn search_users_error() {
    let srv = CaptureServer::start().await;
    srv.reply(
        401,
        json!({"status": 401, "error": "Unauthorized", "message": "Unauthorized"}),
    );
    let err = srv.run("thrive_search_users", json!({})).await.unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Unauthorized, Some(401), "Unauthorized")
    );
    assert!(!err.to_string().contains(KEY));
}

#[test]
fn search_users_validation() {
    assert_eq!(
        violations(
            "thrive_search_users",
            json!({"page": 0, "perPage": 1001, "status": "gone", "statuses": "active,,bogus",
                "omitStatuses": "New", "updatedSince": "yesterday"})
        ),
        vec![
            s(
                "/omitStatuses",
                "omitStatuses has unknown value(s) 'New'; allowed values: active, inactive, expired, new"
            ),
            s("/page", "page: value is less than the minimum of 1"),
            s(
                "/perPage",
                "perPage: value is greater than the maximum of 1000"
            ),
            s(
                "/status",
                "status must be one of 'active', 'inactive', 'expired', 'new'"
            ),
            s(
                "/statuses",
                "statuses has an empty value between commas; give the values separated by commas, e.g. a,b"
            ),
            s(
                "/statuses",
                "statuses has unknown value(s) 'bogus'; allowed values: active, inactive, expired, new"
            ),
            s(
                "/updatedSince",
                &format!("updatedSince {ISO} \"yesterday\"")
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_search_users",
            json!({"page": 2.5, "perPage": "many"})
        ),
        vec![
            s("/page", "page must be a whole number"),
            s("/perPage", "perPage must be a whole number"),
        ]
    );
    assert_eq!(
        violated_pointers(
            "thrive_search_users",
            json!({"perPage": 0, "returnAll": "yes"})
        ),
        vec!["/perPage", "/returnAll"]
    );
    assert!(
        violations(
            "thrive_search_users",
            json!({"perPage": 1000, "statuses": "active,inactive,expired,new", "updatedSince": "2024-01-01"})
        )
        .is_empty()
    );
}

#[test]
fn get_user_by_id_uses_the_singular_path() {
    let srv = Offline::new();
    srv.reply(200, full_user("646767d82535201223349e09"));
    let out = srv
        .run(
            "thrive_get_user_by_id",
            json!({"id": "646767d82535201223349e09"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/user/646767d82535201223349e09");
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"user": full_user_out("646767d82535201223349e09")})
    );
    assert_eq!(out["user"]["futureField"], 1);
    assert_eq!(
        out["user"]["audiences"],
        json!([{"id": "63f8c546a05716c51210ac81"}])
    );
}

#[tokio::test]
async fn get_user_by_id_encodes_and_reports_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "User not found"}),
    );
    let err = srv
        .run("thrive_get_user_by_id", json!({"id": "a/b?c#d%e"}))
        .await
        .unwrap_err();
    assert_eq!(srv.single().line(), "GET /rest/v1/user/a%2Fb%3Fc%23d%25e");
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "User not found")
    );
}

#[test]
fn get_user_by_id_validation() {
    assert_eq!(
        violations("thrive_get_user_by_id", json!({})),
        vec![s("/id", "id is required")]
    );
    assert_eq!(
        violations("thrive_get_user_by_id", json!({"id": ".."})),
        vec![s("/id", "id must not be '.' or '..'")]
    );
    assert_eq!(
        violations("thrive_get_user_by_id", json!({"id": "u", "ref": "x"})),
        vec![s(
            "/ref",
            "ref is not an input of this tool; its inputs: id (connection: tenantId, apiKey, host, clientId, scope)"
        )]
    );
}

fn basic_user() -> Value {
    json!({
        "id": "646767d82535201223349e09", "ref": "xyzabc", "firstName": "John", "lastName": "Doe",
        "email": "sample@thrivelearning.com", "role": "learner", "status": "active",
        "positions": [position()],
        "additionalFields": {"location": "London"}, "languageCode": "en-gb", "futureField": 1
    })
}

#[test]
fn get_user_by_ref_request_and_basic_output() {
    let srv = Offline::new();
    srv.reply(200, basic_user());
    let out = srv
        .run("thrive_get_user_by_ref", json!({"ref": "xyzabc"}))
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/users/ref/xyzabc");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"user": basic_user()}));
}

#[tokio::test]
async fn get_user_by_ref_encodes_and_reports_not_found() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "User not found"}),
    );
    let err = srv
        .run("thrive_get_user_by_ref", json!({"ref": "a/b?c#d%e"}))
        .await
        .unwrap_err();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/users/ref/a%2Fb%3Fc%23d%25e"
    );
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "User not found")
    );
}

#[test]
fn get_user_by_ref_validation() {
    assert_eq!(
        violations("thrive_get_user_by_ref", json!({"ref": "   "})),
        vec![s("/ref", "ref is required")]
    );
    assert_eq!(
        violations("thrive_get_user_by_ref", json!({"ref": ".."})),
        vec![s("/ref", "ref must not be '.' or '..'")]
    );
}
