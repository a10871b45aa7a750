//! Request, output and error shapes of the tag and skill tools.

use crate::common::*;
use serde_json::{Value, json};
use thrive_blocks::ErrorCode;

fn s(v: &str) -> String {
    v.to_owned()
}

const USER: &str = "63f57d805d8ecbf46f5b5278";

fn tag_record() -> Value {
    json!({
        "tag": "leadership",
        "id": "64b6f4a8c2e4a1b9d3f2c4b0",
        "contents": ["507f1f77bcf86cd799439011"],
        "campaigns": [],
        "interests": ["646767d82535201223349e09"],
        "skills": ["646767d82535201223349e09"],
        "futureField": 1
    })
}

fn error_reply(srv: &CaptureServer, status: u16, error: &str, message: Value) {
    srv.reply(
        status,
        json!({"status": status, "error": error, "message": message}),
    );
}

// ------------------------------------------------------------------ list tags

#[test]
fn list_tags_minimal_request() {
    let srv = Offline::new();
    srv.reply(200, json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 100}}));
    let out = srv
        .run(
            "thrive_list_tags",
            json!({"updatedSince": "", "perPage": "  "}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/tags");
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 100}})
    );
}

#[test]
fn list_tags_full_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"results": [tag_record()], "pagination": {"totalResults": 1, "totalPages": 1, "page": 2, "perPage": 50}}),
    );
    let out = srv
        .run(
            "thrive_list_tags",
            json!({"page": "2", "perPage": "50", "updatedSince": "2024-01-01T00:00:00Z"}),
        )
        .unwrap();
    assert_eq!(
        srv.single().line(),
        "GET /rest/v1/tags?page=2&perPage=50&updatedSince=2024-01-01T00%3A00%3A00Z"
    );
    assert_eq!(
        out,
        json!({"results": [tag_record()], "pagination": {"totalResults": 1, "totalPages": 1, "page": 2, "perPage": 50}})
    );
}

#[test]
fn list_tags_without_pagination_gives_null() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"results": [tag_record(), {"tag": "communication"}]}),
    );
    let out = srv.run("thrive_list_tags", json!({})).unwrap();
    assert_eq!(
        out,
        json!({
            "results": [
                tag_record(),
                {"tag": "communication", "id": null, "contents": null, "campaigns": null, "interests": null, "skills": null}
            ],
            "pagination": null
        })
    );
}

#[tokio::test]
async fn list_tags_return_all_follows_pages() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"results": [{"tag": "a"}, {"tag": "b"}], "pagination": {"totalResults": 3, "totalPages": 2, "page": 1, "perPage": 2}}),
    );
    srv.reply(
        200,
        json!({"results": [{"tag": "c"}], "pagination": {"totalResults": 3, "totalPages": 2, "page": 2, "perPage": 2}}),
    );
    let out = srv
        .run(
            "thrive_list_tags",
            json!({"returnAll": true, "page": 1, "perPage": 2}),
        )
        .await
        .unwrap();
    let names: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(
        out["pagination"],
        json!({"totalResults": 3, "totalPages": 1, "page": 1, "perPage": 3})
    );
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "GET /rest/v1/tags?page=1&perPage=2",
            "GET /rest/v1/tags?page=2&perPage=2"
        ]
    );
}

#[tokio::test]
async fn list_tags_return_all_without_pagination_stops_at_a_short_page() {
    let srv = CaptureServer::start().await;
    srv.reply(200, json!({"results": [{"tag": "a"}, {"tag": "b"}]}));
    srv.reply(200, json!({"results": [{"tag": "c"}]}));
    let out = srv
        .run(
            "thrive_list_tags",
            json!({"returnAll": true, "page": 1, "perPage": 2}),
        )
        .await
        .unwrap();
    assert_eq!(out["results"].as_array().unwrap().len(), 3);
    assert_eq!(srv.requests().len(), 2);
}

#[tokio::test]
async fn list_tags_error() {
    let srv = CaptureServer::start().await;
    error_reply(&srv, 401, "Unauthorized", json!("Unauthorized"));
    let err = srv.run("thrive_list_tags", json!({})).await.unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Unauthorized, Some(401), "Unauthorized")
    );
}

#[test]
fn list_tags_validation() {
    assert_eq!(
        violations("thrive_list_tags", json!({"updatedSince": "2024-02-30"})),
        vec![(
            s("/updatedSince"),
            s(
                "updatedSince must be an ISO 8601 date or date-time such as 2024-04-02T13:45:00Z, got \"2024-02-30\""
            )
        )]
    );
    assert_eq!(
        violated_pointers("thrive_list_tags", json!({"page": 0, "perPage": 1001})),
        vec!["/page", "/perPage"]
    );
    assert_eq!(
        violations("thrive_list_tags", json!({"perPage": true})),
        vec![(s("/perPage"), s("perPage must be a whole number"))]
    );
}

// -------------------------------------------------------------------- get tag

#[test]
fn get_tag_request_and_output() {
    let srv = Offline::new();
    srv.reply(200, tag_record());
    let out = srv
        .run(
            "thrive_get_tag",
            json!({"tagId": "64b6f4a8c2e4a1b9d3f2c4b0"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/tags/64b6f4a8c2e4a1b9d3f2c4b0");
    assert_eq!(req.body, Value::Null);
    assert_eq!(out, json!({"tag": tag_record()}));
}

#[test]
fn get_tag_encodes_the_id() {
    let srv = Offline::new();
    srv.reply(200, Value::Null);
    let out = srv
        .run("thrive_get_tag", json!({"tagId": "a/b?c#d%e"}))
        .unwrap();
    assert_eq!(srv.single().line(), "GET /rest/v1/tags/a%2Fb%3Fc%23d%25e");
    assert_eq!(out, json!({"tag": null}));
}

#[tokio::test]
async fn get_tag_not_found() {
    let srv = CaptureServer::start().await;
    error_reply(&srv, 404, "Not Found", json!("Tag not found"));
    let err = srv
        .run(
            "thrive_get_tag",
            json!({"tagId": "64b6f4a8c2e4a1b9d3f2c4b0"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "Tag not found")
    );
}

#[test]
fn get_tag_validation() {
    assert_eq!(
        violations("thrive_get_tag", json!({})),
        vec![(s("/tagId"), s("tagId is required"))]
    );
    assert_eq!(
        violations("thrive_get_tag", json!({"tagId": ".."})),
        vec![(s("/tagId"), s("tagId must not be '.' or '..'"))]
    );
    assert_eq!(
        violations("thrive_get_tag", json!({"tagId": {"id": 1}})),
        vec![(s("/tagId"), s("tagId must be of type string"))]
    );
}

// -------------------------------------------------------------- add user tags

#[test]
fn add_user_tags_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"status": 200, "message": "2 tag(s) added successfully to the learner.", "futureField": 1}),
    );
    let out = srv
        .run(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": "[\"leadership\", \" communication \"]"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), format!("POST /rest/v1/users/{USER}/tags"));
    assert_eq!(req.body, json!({"tags": ["leadership", "communication"]}));
    assert_eq!(
        out,
        json!({"status": 200, "message": "2 tag(s) added successfully to the learner.", "futureField": 1})
    );
}

#[test]
fn add_user_tags_accepts_a_real_array_a_single_value_and_encodes_the_user() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"status": 200, "message": "1 tag(s) added successfully to the learner."}),
    );
    srv.reply(200, json!({}));
    srv.run(
        "thrive_add_user_tags",
        json!({"userId": "a/b?c#d%e", "tags": ["leadership"]}),
    )
    .unwrap();
    let out = srv
        .run(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": "\"faq\""}),
        )
        .unwrap();
    let reqs = srv.requests();
    assert_eq!(reqs[0].line(), "POST /rest/v1/users/a%2Fb%3Fc%23d%25e/tags");
    assert_eq!(reqs[0].body, json!({"tags": ["leadership"]}));
    assert_eq!(reqs[1].body, json!({"tags": ["faq"]}));
    assert_eq!(out, json!({"status": null, "message": null}));
}

#[tokio::test]
async fn add_150_user_tags_sends_two_chunks_and_merges_the_counts() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"status": 200, "message": "100 tag(s) added successfully to the learner."}),
    );
    srv.reply(
        200,
        json!({"status": 200, "message": "50 tag(s) added successfully to the learner."}),
    );
    let tags: Vec<String> = (0..150).map(|i| format!("tag{i}")).collect();
    let out = srv
        .run(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": tags}),
        )
        .await
        .unwrap();
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].body, json!({"tags": tags[..100]}));
    assert_eq!(reqs[1].body, json!({"tags": tags[100..]}));
    for req in &reqs {
        assert_eq!(req.line(), format!("POST /rest/v1/users/{USER}/tags"));
    }
    assert_eq!(
        out,
        json!({"status": 200, "message": "150 tag(s) added successfully to the learner."})
    );
}

#[tokio::test]
async fn add_user_tags_errors() {
    let srv = CaptureServer::start().await;
    error_reply(&srv, 404, "Not Found", json!("User not found"));
    let err = srv
        .run(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": "[\"x\"]"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::NotFound, Some(404), "User not found")
    );

    let srv = CaptureServer::start().await;
    error_reply(
        &srv,
        422,
        "Unprocessable Content",
        json!({"tags": "unknown tag 'x'"}),
    );
    let err = srv
        .run(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": "[\"x\"]"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Unprocessable, Some(422), "tags: unknown tag 'x'")
    );
}

#[test]
fn add_user_tags_validation() {
    assert_eq!(
        violations("thrive_add_user_tags", json!({})),
        vec![
            (s("/tags"), s("tags is required")),
            (s("/userId"), s("userId is required")),
        ]
    );
    assert_eq!(
        violations(
            "thrive_add_user_tags",
            json!({"userId": "..", "tags": "[leadership]"})
        ),
        vec![
            (
                s("/tags"),
                s(
                    "tags: is not valid JSON (expected value at line 1 column 2); expected a JSON array such as [\"a\", \"b\"]"
                )
            ),
            (s("/userId"), s("userId must not be '.' or '..'")),
        ]
    );
    assert_eq!(
        violations(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": "[]"})
        ),
        vec![(
            s("/tags"),
            s("tags must not be an empty list (at least 1 item(s))")
        )]
    );
    assert_eq!(
        violations(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": "[\"a\", 3]"})
        ),
        vec![(
            s("/tags/1"),
            s("tags[1]: invalid type: integer `3`, expected a string")
        )]
    );
    assert_eq!(
        violations(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": "[\"a\", \" \"]"})
        ),
        vec![(s("/tags/1"), s("tags[1] must not be empty"))]
    );
    assert_eq!(
        violations("thrive_add_user_tags", json!({"userId": USER, "tags": 5})),
        vec![(s("/tags"), s("tags must be of type string"))]
    );
    let many: Vec<String> = (0..250).map(|i| format!("t{i}")).collect();
    assert!(
        violations(
            "thrive_add_user_tags",
            json!({"userId": USER, "tags": many})
        )
        .is_empty()
    );
}

// ----------------------------------------------------------- remove user tags

#[test]
fn remove_user_tags_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"status": 200, "message": "1 tag(s) removed successfully from the learner."}),
    );
    let out = srv
        .run(
            "thrive_remove_user_tags",
            json!({"userId": USER, "tags": "[\"leadership\"]"}),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), format!("PATCH /rest/v1/users/{USER}/tags"));
    assert_eq!(
        req.body,
        json!({"op": "remove", "path": "tags", "value": ["leadership"]})
    );
    assert_eq!(
        out,
        json!({"status": 200, "message": "1 tag(s) removed successfully from the learner."})
    );
}

#[test]
fn remove_user_tags_real_array_and_encoded_user() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"status": 200, "message": "2 tag(s) removed successfully from the learner."}),
    );
    srv.run(
        "thrive_remove_user_tags",
        json!({"userId": "a/b?c#d%e", "tags": [" faq", "lxp "]}),
    )
    .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "PATCH /rest/v1/users/a%2Fb%3Fc%23d%25e/tags");
    assert_eq!(
        req.body,
        json!({"op": "remove", "path": "tags", "value": ["faq", "lxp"]})
    );
}

#[tokio::test]
async fn remove_150_user_tags_sends_two_chunks_and_merges_the_counts() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"status": 200, "message": "100 tag(s) removed successfully from the learner."}),
    );
    srv.reply(
        200,
        json!({"status": 200, "message": "50 tag(s) removed successfully from the learner."}),
    );
    let tags: Vec<String> = (0..150).map(|i| format!("tag{i}")).collect();
    let out = srv
        .run(
            "thrive_remove_user_tags",
            json!({"userId": USER, "tags": serde_json::to_string(&tags).unwrap()}),
        )
        .await
        .unwrap();
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[0].body,
        json!({"op": "remove", "path": "tags", "value": tags[..100]})
    );
    assert_eq!(
        reqs[1].body,
        json!({"op": "remove", "path": "tags", "value": tags[100..]})
    );
    assert_eq!(
        out,
        json!({"status": 200, "message": "150 tag(s) removed successfully from the learner."})
    );
}

#[tokio::test]
async fn remove_user_tags_error() {
    let srv = CaptureServer::start().await;
    error_reply(&srv, 403, "Forbidden", json!("Forbidden"));
    let err = srv
        .run(
            "thrive_remove_user_tags",
            json!({"userId": USER, "tags": "[\"x\"]"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Forbidden, Some(403), "Forbidden")
    );
}

#[test]
fn remove_user_tags_validation() {
    assert_eq!(
        violations("thrive_remove_user_tags", json!({"tags": ""})),
        vec![
            (s("/tags"), s("tags is required")),
            (s("/userId"), s("userId is required")),
        ]
    );
    assert_eq!(
        violations(
            "thrive_remove_user_tags",
            json!({"userId": USER, "tags": "[{\"tag\": \"a\"}, \"\"]"})
        ),
        vec![(
            s("/tags/0"),
            s("tags[0]: invalid type: map, expected a string")
        )]
    );
    assert_eq!(
        violations(
            "thrive_remove_user_tags",
            json!({"userId": USER, "tags": "[\"a\", \"\"]"})
        ),
        vec![(s("/tags/1"), s("tags[1] must not be empty"))]
    );
    assert_eq!(
        violated_pointers(
            "thrive_remove_user_tags",
            json!({"userId": "..", "tags": "[]"})
        ),
        vec!["/tags", "/userId"]
    );
}

// --------------------------------------------------------- update user skills

#[test]
fn update_user_skills_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"status": 200, "message": "3 skill(s) updated successfully for the learner."}),
    );
    let out = srv
        .run(
            "thrive_update_user_skills",
            json!({
                "userId": USER,
                "skills": "[{\"tagName\": \"leadership\", \"level\": 1, \"targetLevel\": 3}, {\"tagName\": \" communication \"}, {\"tagName\": \"rust\", \"level\": -1, \"targetLevel\": 2.5}]"
            }),
        )
        .unwrap();
    let req = srv.single();
    assert_eq!(req.line(), format!("PATCH /rest/v1/users/{USER}/skills"));
    assert_eq!(
        req.body,
        json!({"op": "update", "path": "skills", "value": [
            {"tagName": "leadership", "level": 1, "targetLevel": 3},
            {"tagName": "communication"},
            {"tagName": "rust", "level": -1, "targetLevel": 2.5}
        ]})
    );
    assert_eq!(
        out,
        json!({"status": 200, "message": "3 skill(s) updated successfully for the learner."})
    );
}

#[test]
fn update_user_skills_single_object_real_array_and_encoded_user() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!({"status": 200, "message": "1 skill(s) updated successfully for the learner."}),
    );
    srv.reply(
        200,
        json!({"status": 200, "message": "1 skill(s) updated successfully for the learner."}),
    );
    srv.run(
        "thrive_update_user_skills",
        json!({"userId": "a/b?c#d%e", "skills": "{\"tagName\": \"leadership\", \"level\": 1024}"}),
    )
    .unwrap();
    srv.run(
        "thrive_update_user_skills",
        json!({"userId": USER, "skills": [{"tagName": "faq", "targetLevel": 0}]}),
    )
    .unwrap();
    let reqs = srv.requests();
    assert_eq!(
        reqs[0].line(),
        "PATCH /rest/v1/users/a%2Fb%3Fc%23d%25e/skills"
    );
    assert_eq!(
        reqs[0].body,
        json!({"op": "update", "path": "skills", "value": [{"tagName": "leadership", "level": 1024}]})
    );
    assert_eq!(
        reqs[1].body,
        json!({"op": "update", "path": "skills", "value": [{"tagName": "faq", "targetLevel": 0}]})
    );
}

#[tokio::test]
async fn update_150_user_skills_sends_two_chunks_and_merges_the_counts() {
    let srv = CaptureServer::start().await;
    srv.reply(
        200,
        json!({"status": 200, "message": "100 skill(s) updated successfully for the learner."}),
    );
    srv.reply(
        200,
        json!({"status": 200, "message": "50 skill(s) updated successfully for the learner."}),
    );
    let skills: Vec<Value> = (0..150)
        .map(|i| json!({"tagName": format!("skill{i}"), "level": i % 4}))
        .collect();
    let out = srv
        .run(
            "thrive_update_user_skills",
            json!({"userId": USER, "skills": skills}),
        )
        .await
        .unwrap();
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[0].body,
        json!({"op": "update", "path": "skills", "value": skills[..100]})
    );
    assert_eq!(
        reqs[1].body,
        json!({"op": "update", "path": "skills", "value": skills[100..]})
    );
    assert_eq!(
        out,
        json!({"status": 200, "message": "150 skill(s) updated successfully for the learner."})
    );
}

#[tokio::test]
async fn update_user_skills_error() {
    let srv = CaptureServer::start().await;
    error_reply(
        &srv,
        422,
        "Unprocessable Content",
        json!({"value[0].level": "must not be less than -1"}),
    );
    let err = srv
        .run(
            "thrive_update_user_skills",
            json!({"userId": USER, "skills": "[{\"tagName\": \"x\"}]"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (
            ErrorCode::Unprocessable,
            Some(422),
            "value[0].level: must not be less than -1"
        )
    );
}

#[test]
fn update_user_skills_validation() {
    assert_eq!(
        violations("thrive_update_user_skills", json!({})),
        vec![
            (s("/skills"), s("skills is required")),
            (s("/userId"), s("userId is required")),
        ]
    );
    assert_eq!(
        violations(
            "thrive_update_user_skills",
            json!({"userId": USER, "skills": "[{\"tagName\": \"a\", \"level\": 0}, {\"tagName\": \" \"}, {\"tagName\": \"c\", \"level\": -2, \"targetLevel\": -1.5}]"})
        ),
        vec![
            (
                s("/skills/1/tagName"),
                s("skills[1].tagName must not be empty")
            ),
            (
                s("/skills/2/level"),
                s("skills[2].level must be at least -1, got -2")
            ),
            (
                s("/skills/2/targetLevel"),
                s("skills[2].targetLevel must be at least -1, got -1.5")
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_update_user_skills",
            json!({"userId": USER, "skills": "[{\"level\": 1}, {\"tagName\": \"b\", \"levle\": 2}, {\"tagName\": \"c\", \"level\": \"high\"}, \"d\"]"})
        ),
        vec![
            (s("/skills/0"), s("skills[0]: missing field `tagName`")),
            (
                s("/skills/1"),
                s(
                    "skills[1]: unknown field `levle`, expected one of `tagName`, `level`, `targetLevel`"
                )
            ),
            (
                s("/skills/2"),
                s("skills[2]: invalid type: string \"high\", expected f64")
            ),
            (
                s("/skills/3"),
                s("skills[3]: invalid type: string \"d\", expected struct SkillInput")
            ),
        ]
    );
    assert_eq!(
        violations(
            "thrive_update_user_skills",
            json!({"userId": "..", "skills": "[]"})
        ),
        vec![
            (
                s("/skills"),
                s("skills must not be an empty list (at least 1 item(s))")
            ),
            (s("/userId"), s("userId must not be '.' or '..'")),
        ]
    );
    assert_eq!(
        violated_pointers(
            "thrive_update_user_skills",
            json!({"userId": USER, "skills": "[{"})
        ),
        vec!["/skills"]
    );
}

// ----------------------------------------------------------- get skill levels

#[test]
fn get_skill_levels_request_and_output() {
    let srv = Offline::new();
    srv.reply(
        200,
        json!([
            { "name": "Beginner", "isEnabled": true, "value": 1, "futureField": 1 },
            { "name": "Intermediate", "isEnabled": true, "value": 2 },
            { "name": "Advanced", "isEnabled": true, "value": 3 },
            { "name": "Expert", "isEnabled": false, "value": 4 }
        ]),
    );
    let out = srv.run("thrive_get_skill_levels", json!({})).unwrap();
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/skills/levels");
    assert_eq!(req.body, Value::Null);
    assert_eq!(
        out,
        json!({"levels": [
            { "name": "Beginner", "isEnabled": true, "value": 1, "futureField": 1 },
            { "name": "Intermediate", "isEnabled": true, "value": 2 },
            { "name": "Advanced", "isEnabled": true, "value": 3 },
            { "name": "Expert", "isEnabled": false, "value": 4 }
        ]})
    );
}

#[test]
fn get_skill_levels_non_array_body_is_empty() {
    let srv = Offline::new();
    srv.reply(200, json!({}));
    let out = srv.run("thrive_get_skill_levels", json!({})).unwrap();
    assert_eq!(out, json!({"levels": []}));
}

#[tokio::test]
async fn get_skill_levels_error() {
    let srv = CaptureServer::start().await;
    error_reply(
        &srv,
        500,
        "Internal Server Error",
        json!("Something went wrong"),
    );
    let err = srv
        .run("thrive_get_skill_levels", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.message()),
        (ErrorCode::Upstream, Some(500), "Something went wrong")
    );
}

#[test]
fn get_skill_levels_validation() {
    assert!(violations("thrive_get_skill_levels", json!({})).is_empty());
    assert_eq!(
        violations(
            "thrive_get_skill_levels",
            json!({"page": 1, "returnAll": true})
        ),
        vec![
            (
                s("/page"),
                s(
                    "page is not an input of this tool; it takes only the connection inputs (tenantId, apiKey, host, clientId, scope)"
                )
            ),
            (
                s("/returnAll"),
                s(
                    "returnAll is not an input of this tool; it takes only the connection inputs (tenantId, apiKey, host, clientId, scope)"
                )
            ),
        ]
    );
}
