//! Assignments, enrolments and completions.

use serde_json::{Value, json};
use thrive_sandbox::SandboxConfig;

use crate::client::{Client, assert_error, enc, start, start_with};

async fn first_content(c: &Client) -> String {
    c.get("/rest/v1/contents?perPage=1").await.json()["results"][0]["id"]
        .as_str()
        .expect("content id")
        .to_owned()
}

async fn user_id(c: &Client, reference: &str) -> String {
    c.get(&format!("/rest/v1/users/ref/{reference}"))
        .await
        .json()["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[tokio::test]
async fn create_assignment_enrols_members() {
    let (sandbox, c) = start().await;
    let content = first_content(&c).await;
    let state = sandbox.state();
    let audience = state.audience("aud-people").expect("audience");
    let audience_id = audience["id"].as_str().expect("id");
    let members = state.members(audience_id);
    assert!(!members.is_empty());
    let r = c
        .post(
            "/rest/v1/assignments",
            json!({"audienceId": "aud-people", "contentId": content, "completionPeriod": 14, "recurrence": 365}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let a = r.json();
    let keys: Vec<&str> = a
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "audienceId",
            "primaryContentId",
            "alternativeContentIds",
            "hideAlternativeContent",
            "completionPeriod",
            "recurrence",
            "isActive",
            "isDeleted",
            "createdAt",
            "deletedAt",
            "updatedAt"
        ]
    );
    assert_eq!(a["audienceId"], audience_id, "reference resolved to the id");
    assert_eq!(a["primaryContentId"], content.as_str());
    assert!(a.get("contentId").is_none());
    assert_eq!(a["alternativeContentIds"], json!([]));
    assert_eq!(a["isActive"], true);
    assert_eq!(a["deletedAt"], Value::Null);
    let id = a["id"].as_str().expect("id");

    let enrolments = c
        .get(&format!("/rest/v1/assignments/{id}/enrolments"))
        .await
        .json();
    let list = enrolments.as_array().expect("bare array");
    assert_eq!(list.len(), members.len());
    for e in list {
        assert_eq!(e["status"], "open");
        assert_eq!(e["assignmentId"], id);
        assert_eq!(e["primaryContentId"], content.as_str());
        assert_eq!(e["history"][0]["previousStatus"], "unassigned");
        assert_eq!(e["history"][0]["nextStatus"], "open");
        assert_eq!(e["history"][0]["completionId"], Value::Null);
    }
    // One enrolment by id.
    let eid = list[0]["id"].as_str().expect("id");
    let one = c
        .get(&format!("/rest/v1/assignments/{id}/enrolments/{eid}"))
        .await;
    assert_eq!(one.json(), list[0]);
    assert_error(
        &c.get(&format!("/rest/v1/assignments/{id}/enrolments/nope"))
            .await,
        404,
        "Not Found",
    );

    // A new member is enrolled too.
    c.post(
        "/rest/v1/audiences/aud-people/members",
        json!(["EMP-00299"]),
    )
    .await;
    let after = c
        .get(&format!("/rest/v1/assignments/{id}/enrolments"))
        .await
        .json();
    assert_eq!(after.as_array().map(Vec::len), Some(members.len() + 1));
    let newcomer = user_id(&c, "EMP-00299").await;
    assert!(
        after
            .as_array()
            .expect("array")
            .iter()
            .any(|e| e["userId"] == newcomer.as_str())
    );
    // Removing them unassigns the enrolment.
    c.delete("/rest/v1/audiences/aud-people/members/EMP-00299")
        .await;
    let e = state
        .enrolments(id)
        .into_iter()
        .find(|e| e["userId"] == newcomer.as_str())
        .expect("enrolment kept");
    assert_eq!(e["status"], "unassigned");
}

#[tokio::test]
async fn assignment_validation() {
    let (_sandbox, c) = start().await;
    let content = first_content(&c).await;
    assert_error(
        &c.post("/rest/v1/assignments", json!({"contentId": content}))
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post("/rest/v1/assignments", json!({"audienceId": "aud-people"}))
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post(
            "/rest/v1/assignments",
            json!({"audienceId": "aud-people", "contentId": content, "completionPeriod": "30"}),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post(
            "/rest/v1/assignments",
            json!({"audienceId": "aud-people", "contentId": content, "completionPeriod": 0}),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post(
            "/rest/v1/assignments",
            json!({"audienceId": "ghost", "contentId": content}),
        )
        .await,
        404,
        "Not Found",
    );
    assert_error(
        &c.post(
            "/rest/v1/assignments",
            json!({"audienceId": "aud-people", "contentId": "000000000000000000000000"}),
        )
        .await,
        404,
        "Not Found",
    );
    // Defaults.
    let a = c
        .post(
            "/rest/v1/assignments",
            json!({"audienceId": "aud-people", "contentId": content}),
        )
        .await
        .json();
    assert_eq!(a["completionPeriod"], 30);
    assert_eq!(a["recurrence"], Value::Null);
    assert_eq!(a["hideAlternativeContent"], false);
}

#[tokio::test]
async fn update_and_delete_need_the_audience() {
    let (sandbox, c) = start().await;
    let content = first_content(&c).await;
    let a = c
        .post(
            "/rest/v1/assignments",
            json!({"audienceId": "aud-finance", "contentId": content}),
        )
        .await
        .json();
    let id = a["id"].as_str().expect("id").to_owned();
    let audience_id = a["audienceId"].as_str().expect("audience").to_owned();

    let r = c
        .patch(
            &format!("/rest/v1/assignments/{id}"),
            json!({"audienceId": audience_id, "completionPeriod": 14, "recurrence": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["completionPeriod"], 14);
    assert_eq!(r.json()["recurrence"], Value::Null);
    assert_error(
        &c.patch(
            &format!("/rest/v1/assignments/{id}"),
            json!({"completionPeriod": 7}),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.patch(
            &format!("/rest/v1/assignments/{id}"),
            json!({"audienceId": "aud-people", "completionPeriod": 7}),
        )
        .await,
        404,
        "Not Found",
    );

    // DELETE requires a JSON body with audienceId.
    assert_error(
        &c.delete(&format!("/rest/v1/assignments/{id}")).await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.delete_with(&format!("/rest/v1/assignments/{id}"), json!({}))
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.delete_with(
            &format!("/rest/v1/assignments/{id}"),
            json!({"audienceId": "aud-people"}),
        )
        .await,
        404,
        "Not Found",
    );
    assert!(
        sandbox
            .state()
            .assignment(&id)
            .is_some_and(|a| a["isDeleted"] == false)
    );
    let r = c
        .delete_with(
            &format!("/rest/v1/assignments/{id}"),
            json!({"audienceId": audience_id}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"success": true}));
    assert_error(
        &c.get(&format!("/rest/v1/assignments/{id}")).await,
        404,
        "Not Found",
    );
    let kept = sandbox.state().assignment(&id).expect("soft-deleted");
    assert_eq!(kept["isDeleted"], true);
    assert_eq!(kept["isActive"], false);
    assert!(kept["deletedAt"].is_string());
    assert!(
        sandbox
            .state()
            .enrolments(&id)
            .iter()
            .all(|e| e["status"] == "archived")
    );
    let listed = c
        .get(&format!("/rest/v1/assignments?audienceId={audience_id}"))
        .await
        .json();
    assert!(
        listed
            .as_array()
            .expect("array")
            .iter()
            .all(|a| a["id"] != id.as_str())
    );
}

#[tokio::test]
async fn list_assignments_is_a_bare_array_with_filters() {
    let (_sandbox, c) = start().await;
    let all = c.get("/rest/v1/assignments").await.json();
    assert_eq!(all.as_array().map(Vec::len), Some(6));
    let page = c.get("/rest/v1/assignments?page=2&perPage=4").await.json();
    assert_eq!(page.as_array().map(Vec::len), Some(2));
    let by_ref = c
        .get("/rest/v1/assignments?audienceId=aud-platform")
        .await
        .json();
    assert_eq!(by_ref.as_array().map(Vec::len), Some(1));
    assert_error(
        &c.get("/rest/v1/assignments?perPage=101").await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/assignments?audienceId=ghost").await,
        404,
        "Not Found",
    );
    let future = c
        .get("/rest/v1/assignments?updatedSince=2099-01-01")
        .await
        .json();
    assert_eq!(future, json!([]));
}

#[tokio::test]
async fn seeded_enrolments_cover_every_status_and_filter() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let mut seen = std::collections::BTreeSet::new();
    for a in state.assignments() {
        for e in state.enrolments(a["id"].as_str().expect("id")) {
            seen.insert(e["status"].as_str().expect("status").to_owned());
            assert_eq!(e["history"][0]["previousStatus"], "unassigned");
        }
    }
    let expected: std::collections::BTreeSet<String> = [
        "archived",
        "complete",
        "open",
        "overdue",
        "scheduled",
        "unassigned",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(seen, expected);

    let id = state.assignments()[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let overdue = c
        .get(&format!(
            "/rest/v1/assignments/{id}/enrolments?status=overdue"
        ))
        .await
        .json();
    assert!(!overdue.as_array().expect("array").is_empty());
    assert!(
        overdue
            .as_array()
            .expect("array")
            .iter()
            .all(|e| e["status"] == "overdue")
    );
    assert_error(
        &c.get(&format!("/rest/v1/assignments/{id}/enrolments?status=late"))
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get(&format!(
            "/rest/v1/assignments/{id}/enrolments?updatedAtTo=2025-01-01T00:00:00Z"
        ))
        .await,
        422,
        "Unprocessable Content",
    );
    assert_error(
        &c.get(&format!("/rest/v1/assignments/{id}/enrolments?perPage=101"))
            .await,
        400,
        "Bad Request",
    );
    let all = state.enrolments(&id);
    let from = "2024-01-01T00:00:00Z";
    let to = "2025-03-01";
    let window = c
        .get(&format!(
            "/rest/v1/assignments/{id}/enrolments?updatedAtFrom={}&updatedAtTo={to}&perPage=100",
            enc(from)
        ))
        .await
        .json();
    let expected = all
        .iter()
        .filter(|e| {
            let u = e["updatedAt"].as_str().unwrap_or_default();
            ("2024-01-01T00:00:00.000Z"..="2025-03-01T23:59:59.999Z").contains(&u)
        })
        .count();
    assert_eq!(window.as_array().map(Vec::len), Some(expected.min(100)));
    assert_error(
        &c.get("/rest/v1/assignments/ghost/enrolments").await,
        404,
        "Not Found",
    );
}

#[tokio::test]
async fn completions_are_created_then_found() {
    let (sandbox, c) = start_with(SandboxConfig::default()).await;
    let state = sandbox.state();
    // An open enrolment: completing its primary content completes it.
    let (assignment, enrolment) = state
        .assignments()
        .iter()
        .find_map(|a| {
            let id = a["id"].as_str()?.to_owned();
            let e = state
                .enrolments(&id)
                .into_iter()
                .find(|e| e["status"] == "open")?;
            Some((a.clone(), e))
        })
        .expect("an open enrolment");
    let body = json!({
        "userId": enrolment["userId"],
        "contentId": assignment["primaryContentId"],
        "completedAt": "2025-09-02T13:45:00.000Z"
    });
    let first = c.post("/rest/v1/learning/completions", body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text());
    let statement = first.json()["statementId"]
        .as_str()
        .expect("statementId")
        .to_owned();
    assert_eq!(first.json().as_object().map(|m| m.len()), Some(1));
    // Same user + content + completedAt: 200 with the same stub.
    let second = c.post("/rest/v1/learning/completions", body.clone()).await;
    assert_eq!(second.status, 200);
    assert_eq!(second.json(), json!({"statementId": statement}));
    // The same instant written differently is the same record.
    let mut shifted = body.clone();
    shifted["completedAt"] = json!("2025-09-02T14:45:00+01:00");
    assert_eq!(
        c.post("/rest/v1/learning/completions", shifted)
            .await
            .status,
        200
    );

    let aid = assignment["id"].as_str().expect("id");
    let eid = enrolment["id"].as_str().expect("id");
    let e = c
        .get(&format!("/rest/v1/assignments/{aid}/enrolments/{eid}"))
        .await
        .json();
    assert_eq!(e["status"], "complete");
    assert_eq!(e["lastCompletedAt"], "2025-09-02T13:45:00.000Z");
    let last = e["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .expect("history");
    assert_eq!(last["previousStatus"], "open");
    assert_eq!(last["nextStatus"], "complete");
    assert!(last["completionId"].is_string());

    // The record, by id or statement id, and in the filtered list.
    let record = c
        .get(&format!("/rest/v1/learning/completions/{statement}"))
        .await
        .json();
    assert_eq!(record["userId"], enrolment["userId"]);
    assert_eq!(record["hadDueDate"], true);
    assert_eq!(record["isRPL"], false);
    let by_id = c
        .get(&format!(
            "/rest/v1/learning/completions/{}",
            record["id"].as_str().expect("id")
        ))
        .await
        .json();
    assert_eq!(by_id, record);
    let user = enrolment["userId"].as_str().expect("user");
    let list = c
        .get(&format!("/rest/v1/learning/completions?userId={user}&completedDateRangeStart=2025-09-02&completedDateRangeEnd=2025-09-02"))
        .await
        .json();
    assert_eq!(list, json!([record]));
    let none = c
        .get(&format!("/rest/v1/learning/completions?userId={user}&completedDateRangeStart=2025-09-02T13:45:00.001Z"))
        .await
        .json();
    assert_eq!(none, json!([]));
    assert_error(
        &c.get("/rest/v1/learning/completions/nope").await,
        404,
        "Not Found",
    );
}

#[tokio::test]
async fn completion_validation_and_filters() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let content = first_content(&c).await;
    let user = user_id(&c, "EMP-00005").await;
    for body in [
        json!({"contentId": content, "completedAt": "2025-01-01T00:00:00Z"}),
        json!({"userId": user, "completedAt": "2025-01-01T00:00:00Z"}),
        json!({"userId": user, "contentId": content}),
        json!({"userId": user, "contentId": content, "completedAt": "soon"}),
    ] {
        assert_error(
            &c.post("/rest/v1/learning/completions", body).await,
            400,
            "Bad Request",
        );
    }
    assert_error(
        &c.post(
            "/rest/v1/learning/completions",
            json!({"userId": "ghost", "contentId": content, "completedAt": "2025-01-01T00:00:00Z"}),
        )
        .await,
        404,
        "Not Found",
    );
    // Bare array, default perPage 1000.
    let total = state.completions().len();
    assert!(total > 100);
    let all = c.get("/rest/v1/learning/completions").await.json();
    assert_eq!(all.as_array().map(Vec::len), Some(total.min(1000)));
    let rpl = c
        .get("/rest/v1/learning/completions?isRPL=true")
        .await
        .json();
    let rpl_count = state
        .completions()
        .iter()
        .filter(|c| c["isRPL"] == true)
        .count();
    assert!(rpl_count > 0);
    assert_eq!(rpl.as_array().map(Vec::len), Some(rpl_count));
    let by_content = c
        .get(&format!(
            "/rest/v1/learning/completions?contentId={content}"
        ))
        .await
        .json();
    assert!(
        by_content
            .as_array()
            .expect("array")
            .iter()
            .all(|x| x["contentId"] == content.as_str())
    );
    assert_error(
        &c.get("/rest/v1/learning/completions?perPage=1001").await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/learning/completions?isRPL=1").await,
        400,
        "Bad Request",
    );
}
