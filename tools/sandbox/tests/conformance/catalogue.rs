//! Content, activities, CPD, tags and skills.

use serde_json::{Value, json};
use thrive_sandbox::SandboxConfig;

use crate::client::{Client, assert_error, enc, start, start_with};

async fn user_id(c: &Client, reference: &str) -> String {
    c.get(&format!("/rest/v1/users/ref/{reference}"))
        .await
        .json()["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[tokio::test]
async fn content_query_and_get() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let page = c.get("/rest/v1/contents").await.json();
    assert_eq!(
        page["pagination"],
        json!({"totalResults": 20, "totalPages": 1, "page": 1, "perPage": 20})
    );
    let first = &page["results"][0];
    for k in [
        "id",
        "title",
        "description",
        "tags",
        "type",
        "createdAt",
        "updatedAt",
        "author",
        "isOfficial",
        "duration",
        "contentHistory",
    ] {
        assert!(first.get(k).is_some(), "content lacks {k}");
    }
    let id = first["id"].as_str().expect("id");
    assert_eq!(
        c.get(&format!("/rest/v1/contents/{id}")).await.json(),
        *first
    );
    assert_error(
        &c.get("/rest/v1/contents/000000000000000000000000").await,
        404,
        "Not Found",
    );
    assert_error(
        &c.get("/rest/v1/contents/not-hex").await,
        400,
        "Bad Request",
    );

    let count = |t: &str| state.contents().iter().filter(|c| c["type"] == t).count();
    let r = c.get("/rest/v1/contents?types=video,file").await.json();
    assert_eq!(
        r["pagination"]["totalResults"],
        count("video") + count("file")
    );
    let r = c.get("/rest/v1/contents?omitTypes=video").await.json();
    assert_eq!(r["pagination"]["totalResults"], 20 - count("video"));
    // omitTypes is ignored when types is set.
    let r = c
        .get("/rest/v1/contents?types=video&omitTypes=video")
        .await
        .json();
    assert_eq!(r["pagination"]["totalResults"], count("video"));
    assert_error(
        &c.get("/rest/v1/contents?types=podcast").await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/contents?perPage=1001").await,
        400,
        "Bad Request",
    );
    let r = c
        .get("/rest/v1/contents?updatedSince=2099-01-01T00:00:00Z")
        .await
        .json();
    assert_eq!(
        r,
        json!({"results": [], "pagination": {"totalResults": 0, "totalPages": 0, "page": 1, "perPage": 20}})
    );
}

#[tokio::test]
async fn activities_query_and_singular_get() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let all = state.activities();
    let r = c.get("/rest/v1/activities").await.json();
    assert_eq!(r["pagination"]["perPage"], 20);
    assert_eq!(r["pagination"]["totalResults"], all.len());
    let a = &r["results"][0];
    let id = a["id"].as_str().expect("id");
    assert_eq!(c.get(&format!("/rest/v1/activity/{id}")).await.json(), *a);
    assert_eq!(
        c.get(&format!("/rest/v1/activities/{id}")).await.status,
        404,
        "plural is the query path"
    );
    assert_error(
        &c.get("/rest/v1/activity/000000000000000000000000").await,
        404,
        "Not Found",
    );

    let count = |f: &dyn Fn(&Value) -> bool| all.iter().filter(|a| f(a)).count();
    let r = c
        .get("/rest/v1/activities?actions=viewed,completed&perPage=1")
        .await
        .json();
    assert_eq!(
        r["pagination"]["totalResults"],
        count(&|a| a["type"] == "viewed" || a["type"] == "completed")
    );
    let r = c
        .get("/rest/v1/activities?omitActions=viewed&perPage=1")
        .await
        .json();
    assert_eq!(
        r["pagination"]["totalResults"],
        count(&|a| a["type"] != "viewed")
    );
    let r = c
        .get("/rest/v1/activities?contentType=video&perPage=1")
        .await
        .json();
    assert_eq!(
        r["pagination"]["totalResults"],
        count(&|a| a["contentType"] == "video")
    );
    let content = a["contextId"].as_str().unwrap_or_default();
    let r = c
        .get(&format!(
            "/rest/v1/activities?contentIds={content}&perPage=1000"
        ))
        .await
        .json();
    assert!(
        r["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|x| x["contextId"] == content)
    );

    // Timestamps use "YYYY-MM-DD hh:mm:ss" and are inclusive.
    let date = a["date"].as_str().expect("date");
    let stamp = format!("{} {}", &date[..10], &date[11..19]);
    let r = c
        .get(&format!(
            "/rest/v1/activities?timestampFrom={}&timestampTo={}&perPage=1000",
            enc(&stamp),
            enc(&format!("{} 23:59:59", &date[..10]))
        ))
        .await
        .json();
    assert!(
        r["results"]
            .as_array()
            .expect("results")
            .iter()
            .any(|x| x["id"] == a["id"])
    );
    let r = c
        .get("/rest/v1/activities?timestampFrom=2020-01-01%2000:00:00&timestampTo=2020-10-01%2000:00:00")
        .await
        .json();
    assert_eq!(r["pagination"]["totalResults"], 0);
    assert_error(
        &c.get("/rest/v1/activities?timestampFrom=2020-01-01T00:00:00Z")
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/activities?actions=danced").await,
        400,
        "Bad Request",
    );
}

#[tokio::test]
async fn cpd_endpoints() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let cats = c
        .get("/rest/v1/cpdCategories?page=1&perPage=5")
        .await
        .json();
    assert_eq!(
        cats["pagination"],
        json!({"totalResults": 8, "totalPages": 2, "page": 1, "perPage": 5})
    );
    let cat = &cats["results"][0];
    assert_eq!(cat.as_object().map(|m| m.len()), Some(2));
    let cid = cat["categoryId"].as_str().expect("categoryId");
    assert_eq!(
        c.get(&format!("/rest/v1/cpdCategories/{cid}")).await.json(),
        *cat
    );
    let r = c
        .get("/rest/v1/cpdCategories/000000000000000000000000")
        .await;
    assert_error(&r, 404, "Not Found");
    assert_eq!(r.json()["message"], "CPD category not found");
    // updatedSince accepted (a no-op for categories).
    assert_eq!(
        c.get("/rest/v1/cpdCategories?updatedSince=2099-01-01")
            .await
            .json()["pagination"]["totalResults"],
        8
    );

    let entries = c.get("/rest/v1/cpdEntries?perPage=1").await.json();
    assert_eq!(
        entries["pagination"]["totalResults"],
        state.cpd_entries().len()
    );
    let e = &entries["results"][0];
    for k in [
        "logEntryId",
        "userId",
        "activity",
        "category",
        "entryDate",
        "durationMinutes",
        "description",
        "isVerified",
    ] {
        assert!(e.get(k).is_some(), "entry lacks {k}");
    }
    let eid = e["logEntryId"].as_str().expect("id");
    assert_eq!(
        c.get(&format!("/rest/v1/cpdEntries/{eid}")).await.json(),
        *e
    );
    let in_2025 = c
        .get("/rest/v1/cpdEntries?entryDateFrom=2025-01-01%2000:00:00&entryDateTo=2025-12-31")
        .await
        .json();
    let expected = state
        .cpd_entries()
        .iter()
        .filter(|x| {
            x["entryDate"]
                .as_str()
                .unwrap_or_default()
                .starts_with("2025")
        })
        .count();
    assert_eq!(in_2025["pagination"]["totalResults"], expected);
    assert_error(
        &c.get("/rest/v1/cpdEntries?entryDateFrom=25/09/2020").await,
        400,
        "Bad Request",
    );

    let reqs = c.get("/rest/v1/cpdRequirementSummaries").await.json();
    assert_eq!(reqs["pagination"]["totalResults"], 5);
    let rid = reqs["results"][0]["audienceRequirementId"]
        .as_str()
        .expect("id");
    assert_eq!(
        c.get(&format!("/rest/v1/cpdRequirementSummaries/{rid}"))
            .await
            .json(),
        reqs["results"][0]
    );
    assert_error(
        &c.get("/rest/v1/cpdRequirementSummaries/000000000000000000000000")
            .await,
        404,
        "Not Found",
    );
}

#[tokio::test]
async fn cpd_user_summaries_need_both_dates() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    assert_error(
        &c.get("/rest/v1/cpdUserLogSummaries").await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/cpdUserLogSummaries?entryDateFrom=2020-11-17T09:50:00")
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/cpdUserLogSummaries?entryDateTo=2021-11-17T09:51:00")
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/cpdUserLogSummaries?entryDateFrom=2020-11-17%2009:50:00&entryDateTo=2021-11-17%2009:51:00").await,
        400,
        "Bad Request",
    );
    // Sums are computed from the entries.
    let entries = state.cpd_entries();
    let user = entries[0]["userId"].as_str().expect("user").to_owned();
    let minutes: i64 = entries
        .iter()
        .filter(|e| e["userId"] == user.as_str())
        .map(|e| e["durationMinutes"].as_i64().unwrap_or(0))
        .sum();
    let nobody = "000000000000000000000000";
    let r = c
        .get(&format!(
            "/rest/v1/cpdUserLogSummaries?entryDateFrom=2000-01-01T00:00:00&entryDateTo=2100-01-01T00:00:00&userIds={user},{nobody}"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({
            "results": [{"userId": user, "durationMinutes": minutes}],
            "pagination": {"totalResults": 1, "totalPages": 1, "page": 1, "perPage": 100}
        })
    );
    // Without userIds: one row per user with entries in the period.
    let r = c
        .get("/rest/v1/cpdUserLogSummaries?entryDateFrom=2000-01-01T00:00:00&entryDateTo=2100-01-01T00:00:00&perPage=1000")
        .await
        .json();
    let distinct: std::collections::HashSet<&str> = entries
        .iter()
        .filter_map(|e| e["userId"].as_str())
        .collect();
    assert_eq!(r["pagination"]["totalResults"], distinct.len());
    let total: i64 = r["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|x| x["durationMinutes"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(
        total,
        entries
            .iter()
            .map(|e| e["durationMinutes"].as_i64().unwrap_or(0))
            .sum::<i64>()
    );
}

#[tokio::test]
async fn tags_add_remove_and_unknown() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let uid = user_id(&c, "EMP-00077").await;
    let path = format!("/rest/v1/users/{uid}/tags");
    let r = c
        .post(&path, json!({"tags": ["leadership", "communication"]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"status": 200, "message": "2 tag(s) added successfully to the learner."})
    );
    let tags = state.user_tags(&uid);
    assert!(tags.contains(&"leadership".to_owned()) && tags.contains(&"communication".to_owned()));
    // Unknown tags: 422 and nothing changes.
    let r = c
        .post(
            &path,
            json!({"tags": ["leadership", "underwater-basket-weaving"]}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    // Remove.
    let r = c
        .patch(
            &path,
            json!({"op": "remove", "path": "tags", "value": ["leadership"]}),
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"status": 200, "message": "1 tag(s) removed successfully from the learner."})
    );
    assert!(!state.user_tags(&uid).contains(&"leadership".to_owned()));
    // The tag record lists learners.
    let tag = state
        .tags()
        .into_iter()
        .find(|t| t["tag"] == "communication")
        .expect("tag");
    assert!(
        tag["interests"]
            .as_array()
            .expect("interests")
            .iter()
            .any(|x| x == uid.as_str())
    );
    let by_id = c
        .get(&format!(
            "/rest/v1/tags/{}",
            tag["id"].as_str().expect("id")
        ))
        .await
        .json();
    assert_eq!(by_id, tag);
    // Validation.
    assert_error(
        &c.patch(
            &path,
            json!({"op": "add", "path": "tags", "value": ["wellbeing"]}),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.patch(
            &path,
            json!({"op": "remove", "path": "skills", "value": ["wellbeing"]}),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.patch(&path, json!({"op": "remove", "path": "tags", "value": []}))
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post(&path, json!({"tags": []})).await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post(&path, json!({"tags": "leadership"})).await,
        400,
        "Bad Request",
    );
    let many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    assert_error(
        &c.post(&path, json!({"tags": many})).await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post(
            "/rest/v1/users/000000000000000000000000/tags",
            json!({"tags": ["leadership"]}),
        )
        .await,
        404,
        "Not Found",
    );
    // List tags: envelope, default 100.
    let list = c.get("/rest/v1/tags").await.json();
    assert_eq!(
        list["pagination"],
        json!({"totalResults": 15, "totalPages": 1, "page": 1, "perPage": 100})
    );
    assert_error(&c.get("/rest/v1/tags/nope").await, 404, "Not Found");
}

#[tokio::test]
async fn skills_update_and_levels() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let uid = user_id(&c, "EMP-00078").await;
    let path = format!("/rest/v1/users/{uid}/skills");
    let r = c
        .patch(
            &path,
            json!({"op": "update", "path": "skills", "value": [
                {"tagName": "leadership", "level": 1, "targetLevel": 3},
                {"tagName": "communication"}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"status": 200, "message": "2 skill(s) updated successfully for the learner."})
    );
    let skills = state.user_skills(&uid);
    assert!(skills.contains(&json!({"tagName": "leadership", "level": 1.0, "targetLevel": 3.0})));
    // level below -1: 422; -1 and 1024 are fine.
    let r = c
        .patch(&path, json!({"op": "update", "path": "skills", "value": [{"tagName": "leadership", "level": -2}]}))
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    let r = c
        .patch(&path, json!({"op": "update", "path": "skills", "value": [{"tagName": "leadership", "level": -1, "targetLevel": 1024}]}))
        .await;
    assert_eq!(r.status, 200);
    // Unknown tag, missing tagName, wrong types, wrong op.
    assert_error(
        &c.patch(
            &path,
            json!({"op": "update", "path": "skills", "value": [{"tagName": "juggling"}]}),
        )
        .await,
        422,
        "Unprocessable Content",
    );
    assert_error(
        &c.patch(
            &path,
            json!({"op": "update", "path": "skills", "value": [{"level": 1}]}),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.patch(&path, json!({"op": "update", "path": "skills", "value": [{"tagName": "leadership", "level": "high"}]})).await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.patch(
            &path,
            json!({"op": "replace", "path": "skills", "value": [{"tagName": "leadership"}]}),
        )
        .await,
        400,
        "Bad Request",
    );

    let levels = c.get("/rest/v1/skills/levels").await.json();
    let levels = levels.as_array().expect("bare array");
    assert!(levels.len() >= 4);
    assert_eq!(
        levels[0],
        json!({"name": "Beginner", "isEnabled": true, "value": 1})
    );
    assert_eq!(levels.iter().filter(|l| l["isEnabled"] == false).count(), 1);
}

#[tokio::test]
async fn empty_tenant_has_only_skill_levels() {
    let (sandbox, c) = start_with(SandboxConfig {
        empty: true,
        ..SandboxConfig::default()
    })
    .await;
    for path in [
        "/rest/v1/users",
        "/rest/v1/audiences",
        "/rest/v1/contents",
        "/rest/v1/activities",
        "/rest/v1/tags",
        "/rest/v1/cpdCategories",
        "/rest/v1/cpdEntries",
        "/rest/v1/cpdRequirementSummaries",
    ] {
        let r = c.get(path).await.json();
        assert_eq!(r["results"], json!([]), "{path}");
        assert_eq!(r["pagination"]["totalResults"], 0, "{path}");
        assert_eq!(r["pagination"]["totalPages"], 0, "{path}");
    }
    for path in ["/rest/v1/assignments", "/rest/v1/learning/completions"] {
        assert_eq!(c.get(path).await.json(), json!([]), "{path}");
    }
    assert_eq!(
        c.get("/rest/v1/skills/levels")
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    // Test helpers fill it in.
    let state = sandbox.state();
    let content = state.insert_content("Safety 101", "video");
    state.insert_tag("safety");
    let r = c
        .post(
            "/rest/v2/users",
            json!({"ref": "u1", "firstName": "U", "lastName": "One", "email": "u1@example.com"}),
        )
        .await;
    let uid = r.json()["id"].as_str().expect("id").to_owned();
    c.post(
        "/rest/v1/audiences",
        json!({"name": "S", "reference": "s", "category": "structure"}),
    )
    .await;
    c.post("/rest/v1/audiences/s/members", json!(["u1"])).await;
    let a = c
        .post(
            "/rest/v1/assignments",
            json!({"audienceId": "s", "contentId": content}),
        )
        .await;
    assert_eq!(a.status, 201);
    assert_eq!(
        state.enrolments(a.json()["id"].as_str().expect("id")).len(),
        1
    );
    let t = c
        .post(
            &format!("/rest/v1/users/{uid}/tags"),
            json!({"tags": ["Safety"]}),
        )
        .await;
    assert_eq!(t.status, 200, "{}", t.text());
}

#[tokio::test]
async fn demo_tenant_is_reproducible_from_the_seed() {
    let (a, _) = start().await;
    let (b, _) = start().await;
    let (other, _) = start_with(SandboxConfig {
        seed: 7,
        ..SandboxConfig::default()
    })
    .await;
    let (sa, sb, so) = (a.state(), b.state(), other.state());
    assert_eq!(sa.users(), sb.users());
    assert_eq!(sa.audiences(), sb.audiences());
    assert_eq!(sa.assignments(), sb.assignments());
    assert_eq!(sa.completions(), sb.completions());
    assert_eq!(sa.activities(), sb.activities());
    assert_eq!(sa.cpd_entries(), sb.cpd_entries());
    assert_ne!(sa.users(), so.users());
    // Shape of the demo tenant.
    assert_eq!(sa.user_count(), 300);
    assert_eq!(sa.users()[0]["ref"], "EMP-00001");
    assert_eq!(sa.contents().len(), 20);
    assert_eq!(sa.assignments().len(), 6);
    let structures = sa
        .audiences()
        .into_iter()
        .filter(|x| x["category"] == "structure" && x["apiControlled"] == true)
        .count();
    assert_eq!(structures, 3);
    for id in sa.audiences().iter().filter_map(|x| x["id"].as_str()) {
        assert_eq!(id.len(), 24);
    }
    let types: std::collections::HashSet<String> = sa
        .contents()
        .iter()
        .filter_map(|c| c["type"].as_str().map(str::to_owned))
        .collect();
    assert!(types.len() >= 10);
}
