//! User lifecycle (v2) and reads (v1).

use serde_json::{Value, json};
use thrive_sandbox::{DeleteResponseMode, SandboxConfig};

use crate::client::{assert_error, enc, start, start_with};

fn create_body(reference: &str) -> Value {
    json!({
        "ref": reference,
        "firstName": "Thomas",
        "lastName": "Jefferson",
        "email": format!("{}@thrivelearning.example", reference.to_lowercase()),
        "loginMethod": "email",
        "role": "learner",
        "jobTitle": "Director",
        "managerRef": "EMP-00001",
        "startDate": "2021-08-19T18:00:00.000Z",
        "timeZone": "Europe/London",
        "languageCode": "en-gb",
        "sso": false,
        "additionalFields": { "department": "Sales" }
    })
}

#[tokio::test]
async fn create_returns_the_lifecycle_object_and_duplicates_conflict() {
    let (sandbox, c) = start().await;
    let r = c.post("/rest/v2/users", create_body("UID30084022")).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let u = r.json();
    let keys: Vec<&str> = u
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "loginMethod",
            "ref",
            "email",
            "firstName",
            "lastName",
            "role",
            "jobTitle",
            "managerRef",
            "startDate",
            "endDate",
            "timeZone",
            "languageCode",
            "active",
            "createdAt",
            "updatedAt",
            "sso",
            "domain",
            "additionalFields"
        ]
    );
    assert_eq!(u["ref"], "UID30084022");
    assert_eq!(u["active"], true);
    assert_eq!(u["endDate"], Value::Null);
    assert_eq!(u["additionalFields"], json!({"department": "Sales"}));
    let id = u["id"].as_str().expect("id");
    assert_eq!(id.len(), 24);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));

    let dup = c.post("/rest/v2/users", create_body("UID30084022")).await;
    assert_error(&dup, 409, "Conflict");
    assert!(sandbox.state().user_lifecycle("UID30084022").is_some());
}

#[tokio::test]
async fn create_validation() {
    let (_sandbox, c) = start().await;
    // email required unless loginMethod is ref
    let r = c
        .post(
            "/rest/v2/users",
            json!({"ref": "NE1", "firstName": "A", "lastName": "B"}),
        )
        .await;
    assert_error(&r, 400, "Bad Request");
    let r = c
        .post(
            "/rest/v2/users",
            json!({"ref": "NE1", "firstName": "A", "lastName": "B", "loginMethod": "ref"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["email"], Value::Null);
    assert_eq!(r.json()["role"], "learner");
    // missing ref / firstName, wrong types, bad enum, malformed JSON, non-object
    for body in [
        json!({"firstName": "A", "lastName": "B", "email": "a@b.example"}),
        json!({"ref": "R2", "lastName": "B", "email": "a@b.example"}),
        json!({"ref": 12, "firstName": "A", "lastName": "B", "email": "a@b.example"}),
        json!({"ref": "R3", "firstName": "A", "lastName": "B", "email": "a@b.example", "role": "boss"}),
        json!({"ref": "R4", "firstName": "A", "lastName": "B", "email": "a@b.example", "sso": "yes"}),
        json!({"ref": "R5", "firstName": "A", "lastName": "B", "email": "a@b.example", "additionalFields": "{}"}),
        json!({"ref": "R6", "firstName": "A", "lastName": "B", "email": "a@b.example", "startDate": "last tuesday"}),
        json!(["not", "an", "object"]),
    ] {
        assert_error(&c.post("/rest/v2/users", body).await, 400, "Bad Request");
    }
    let r = c.send("POST", "/rest/v2/users", None).await;
    assert_error(&r, 400, "Bad Request");
}

#[tokio::test]
async fn update_changes_only_given_fields_and_null_clears() {
    let (_sandbox, c) = start().await;
    c.post("/rest/v2/users", create_body("UPD1")).await;
    let r = c
        .patch(
            "/rest/v2/users/ref/UPD1",
            json!({"jobTitle": "Head of Sales", "managerRef": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let u = r.json();
    assert_eq!(u["jobTitle"], "Head of Sales");
    assert_eq!(u["managerRef"], Value::Null);
    assert_eq!(u["firstName"], "Thomas");
    assert_eq!(u["additionalFields"], json!({"department": "Sales"}));
    assert_error(
        &c.patch("/rest/v2/users/ref/NOPE", json!({"jobTitle": "x"}))
            .await,
        404,
        "Not Found",
    );
    assert_error(
        &c.patch("/rest/v2/users/ref/UPD1", json!({"firstName": null}))
            .await,
        400,
        "Bad Request",
    );
    // email taken by a seeded user
    let taken = c.get("/rest/v1/users/ref/EMP-00002").await.json()["email"].clone();
    assert_error(
        &c.patch("/rest/v2/users/ref/UPD1", json!({"email": taken}))
            .await,
        409,
        "Conflict",
    );
}

#[tokio::test]
async fn suspend_marks_inactive() {
    let (_sandbox, c) = start().await;
    let created = c.post("/rest/v2/users", create_body("SUS1")).await.json();
    let r = c
        .patch(
            "/rest/v2/users/ref/SUS1/suspend",
            json!({"endDate": "2024-06-30T00:00:00.000Z"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["active"], false);
    assert_eq!(r.json()["endDate"], "2024-06-30T00:00:00.000Z");
    let v1 = c
        .get(&format!(
            "/rest/v1/user/{}",
            created["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(v1.json()["status"], "inactive");
    // An empty body is accepted too.
    let r = c
        .send("PATCH", "/rest/v2/users/ref/EMP-00020/suspend", None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["active"], false);
}

#[tokio::test]
async fn delete_obfuscates_and_hides_the_user() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let before = c.get("/rest/v1/users/ref/EMP-00012").await.json();
    let id = before["id"].as_str().expect("id").to_owned();
    assert!(!state.members("aud-account-execs").is_empty());
    let r = c.delete("/rest/v2/users/ref/EMP-00012").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"success": true}));
    assert_error(
        &c.get("/rest/v1/users/ref/EMP-00012").await,
        404,
        "Not Found",
    );
    assert_error(
        &c.get(&format!("/rest/v1/user/{id}")).await,
        404,
        "Not Found",
    );
    assert_error(
        &c.delete("/rest/v2/users/ref/EMP-00012").await,
        404,
        "Not Found",
    );
    // History kept, PII gone.
    let kept = state.user(&id).expect("record kept");
    assert_eq!(kept["deleted"], true);
    assert_eq!(kept["ref"], Value::Null);
    assert_eq!(kept["email"], Value::Null);
    assert_ne!(kept["firstName"], before["firstName"]);
    assert!(state.audiences().iter().all(|a| {
        !state
            .members(a["id"].as_str().unwrap_or_default())
            .contains(&id)
    }));
    let search = c.get("/rest/v1/users?perPage=1000").await.json();
    assert!(
        search["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|u| u["id"] != id.as_str())
    );
    assert_eq!(search["pagination"]["totalResults"], 299);
    // The ref can be used again for a new, unrelated account.
    let again = c.post("/rest/v2/users", create_body("EMP-00012")).await;
    assert_eq!(again.status, 201);
    assert_ne!(again.json()["id"], id.as_str());
    // Missing ref: 400.
    assert_error(&c.delete("/rest/v2/users/ref/").await, 400, "Bad Request");
}

#[tokio::test]
async fn delete_can_answer_204() {
    let (_sandbox, c) = start_with(SandboxConfig {
        delete_response: DeleteResponseMode::NoContent,
        ..SandboxConfig::default()
    })
    .await;
    let r = c.delete("/rest/v2/users/ref/EMP-00030").await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn v1_reads_have_the_documented_shapes() {
    let (_sandbox, c) = start().await;
    let basic = c.get("/rest/v1/users/ref/EMP-00001").await;
    assert_eq!(basic.status, 200);
    let b = basic.json();
    let keys: Vec<&str> = b
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "ref",
            "firstName",
            "lastName",
            "email",
            "role",
            "status",
            "positions",
            "additionalFields",
            "languageCode"
        ]
    );
    let position = &b["positions"][0];
    for k in [
        "id",
        "manager",
        "ouId",
        "isActive",
        "startDate",
        "endDate",
        "createdAt",
        "updatedAt",
    ] {
        assert!(position.get(k).is_some(), "position lacks {k}");
    }
    // Singular /user/{id} returns the full User.
    let full = c
        .get(&format!("/rest/v1/user/{}", b["id"].as_str().expect("id")))
        .await
        .json();
    for k in [
        "deleted",
        "compliance",
        "level",
        "firstLogin",
        "lastLogin",
        "tags",
        "usersFollowing",
        "tagsFollowing",
        "createdAt",
        "updatedAt",
        "hasPicture",
        "timeZone",
        "summary",
        "relevancy",
        "rank",
        "agreedTerms",
        "onboarded",
        "audiences",
        "singleSignOn",
    ] {
        assert!(full.get(k).is_some(), "User lacks {k}");
    }
    assert_eq!(full["ref"], "EMP-00001");
    assert!(full["audiences"].as_array().is_some_and(|a| !a.is_empty()));
    // Plural /users/{id} is not the get-by-id path.
    assert_eq!(c.get("/rest/v1/users/EMP-00001").await.status, 404);
    assert_error(
        &c.get("/rest/v1/user/000000000000000000000000").await,
        404,
        "Not Found",
    );
    // Percent-encoded refs are decoded.
    c.post(
        "/rest/v2/users",
        json!({"ref": "a/b c@d", "firstName": "Enc", "lastName": "Oded", "loginMethod": "ref"}),
    )
    .await;
    let r = c
        .get(&format!("/rest/v1/users/ref/{}", enc("a/b c@d")))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["ref"], "a/b c@d");
}

#[tokio::test]
async fn search_filters_by_status_and_updated_since() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let all = state.users();
    let count = |s: &str| all.iter().filter(|u| u["status"] == s).count();
    for s in ["active", "inactive", "expired", "new"] {
        assert!(count(s) > 0, "seed has {s} users");
        let r = c
            .get(&format!("/rest/v1/users?status={s}&perPage=1000"))
            .await
            .json();
        assert_eq!(r["pagination"]["totalResults"], count(s), "status={s}");
        assert!(
            r["results"]
                .as_array()
                .expect("results")
                .iter()
                .all(|u| u["status"] == s)
        );
    }
    let r = c
        .get("/rest/v1/users?statuses=active,new&perPage=1000")
        .await
        .json();
    assert_eq!(
        r["pagination"]["totalResults"],
        count("active") + count("new")
    );
    let r = c
        .get("/rest/v1/users?omitStatuses=active&perPage=1000")
        .await
        .json();
    assert_eq!(r["pagination"]["totalResults"], 300 - count("active"));
    let r = c
        .get("/rest/v1/users?statuses=active,new&status=new")
        .await
        .json();
    assert_eq!(r["pagination"]["totalResults"], count("new"));
    assert_error(
        &c.get("/rest/v1/users?status=retired").await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/users?statuses=active,bogus").await,
        400,
        "Bad Request",
    );

    // updatedSince: on or after. A user created now is the only recent one.
    let made = c
        .post("/rest/v2/users", create_body("RECENT1"))
        .await
        .json();
    let since = made["updatedAt"].as_str().expect("updatedAt");
    let r = c
        .get(&format!("/rest/v1/users?updatedSince={}", enc(since)))
        .await
        .json();
    assert_eq!(r["pagination"]["totalResults"], 1, "{r}");
    assert_eq!(r["results"][0]["ref"], "RECENT1");
    assert_eq!(r["results"][0]["status"], "new");
    assert_error(
        &c.get("/rest/v1/users?updatedSince=yesterday").await,
        400,
        "Bad Request",
    );
    // Unknown parameters are ignored.
    assert_eq!(
        c.get("/rest/v1/users?colour=blue&perPage=5").await.status,
        200
    );
}
