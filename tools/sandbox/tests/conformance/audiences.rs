//! Audiences, structures, hierarchy rules, members and managers.

use serde_json::{Value, json};
use thrive_sandbox::{DeleteResponseMode, DeleteStructureMode, SandboxConfig};

use crate::client::{Client, assert_error, enc, start, start_with};

async fn structure(c: &Client, name: &str, reference: &str) -> Value {
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": name, "reference": reference, "category": "structure"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

async fn child(c: &Client, name: &str, reference: &str, parent: &str) -> Value {
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": name, "reference": reference, "parentId": parent, "category": "audience"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

async fn emp_email(c: &Client, n: u32) -> String {
    let r = c
        .get(&format!("/rest/v1/users/ref/EMP-{n:05}"))
        .await
        .json();
    r["email"].as_str().expect("email").to_owned()
}

#[tokio::test]
async fn create_structure_then_child_as_documented() {
    let (_sandbox, c) = start().await;
    let s = structure(&c, "Tech Department", "struct-tech").await;
    assert_eq!(s["apiControlled"], true);
    assert_eq!(s["category"], "structure");
    assert_eq!(s["type"], "manual");
    assert_eq!(s["parent"], Value::Null);
    // parentId may be the parent's reference on create.
    let a = child(&c, "Tech Team", "audience123", "struct-tech").await;
    assert_eq!(
        a["parent"],
        json!({"name": "Tech Department", "reference": "struct-tech", "id": s["id"]})
    );
    assert_eq!(a["category"], "audience");
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
            "name",
            "reference",
            "apiControlled",
            "category",
            "type",
            "parent",
            "createdAt",
            "updatedAt"
        ]
    );
    // GET by id and by reference.
    let by_ref = c.get("/rest/v1/audiences/audience123").await.json();
    let by_id = c
        .get(&format!(
            "/rest/v1/audiences/{}",
            a["id"].as_str().expect("id")
        ))
        .await
        .json();
    assert_eq!(by_ref, by_id);
    assert_error(&c.get("/rest/v1/audiences/nope").await, 404, "Not Found");
}

#[tokio::test]
async fn hierarchy_rules_on_create() {
    let (_sandbox, c) = start().await;
    structure(&c, "Ops", "struct-ops-2").await;
    child(&c, "Ops Team", "ops-team", "struct-ops-2").await;
    // Duplicate reference: 409.
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "Again", "reference": "struct-ops-2", "category": "structure"}),
        )
        .await;
    assert_error(&r, 409, "Conflict");
    // A child audience without a parent: 422.
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "Orphan", "reference": "orphan", "category": "audience"}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    // A structure with a parent: 422.
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "S", "reference": "s-with-parent", "category": "structure", "parentId": "struct-ops-2"}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    // Under a child audience: 422.
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "Deep", "reference": "deep", "category": "audience", "parentId": "ops-team"}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    // Under a UI-created structure: 422.
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "In UI", "reference": "in-ui", "category": "audience", "parentId": "ui-all-staff"}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    // Unknown parent: 404.
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "Lost", "reference": "lost", "parentId": "no-such-parent"}),
        )
        .await;
    assert_error(&r, 404, "Not Found");
    // Validation: 400.
    let long = "x".repeat(101);
    for body in [
        json!({"reference": "no-name", "category": "structure"}),
        json!({"name": long, "reference": "long", "category": "structure"}),
        json!({"name": "Bad cat", "reference": "bad-cat", "category": "group"}),
        json!({"name": 5, "reference": "num"}),
    ] {
        assert_error(
            &c.post("/rest/v1/audiences", body).await,
            400,
            "Bad Request",
        );
    }
    // Category defaults from parentId.
    let inferred = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "Inferred", "reference": "inferred", "parentId": "struct-ops-2"}),
        )
        .await;
    assert_eq!(inferred.json()["category"], "audience");
}

#[tokio::test]
async fn update_renames_with_or_without_trailing_slash() {
    let (_sandbox, c) = start().await;
    let r = c
        .patch(
            "/rest/v1/audiences/aud-finance",
            json!({"name": "Finance & Treasury"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["name"], "Finance & Treasury");
    assert_eq!(r.json()["memberOperations"], Value::Null);
    let r = c
        .patch(
            "/rest/v1/audiences/aud-finance/",
            json!({"reference": "aud-treasury"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["reference"], "aud-treasury");
    assert_eq!(r.json()["memberOperations"], Value::Null);
    assert_eq!(
        c.get("/rest/v1/audiences/aud-treasury").await.json()["name"],
        "Finance & Treasury"
    );
    // Reference clash: 409.
    assert_error(
        &c.patch(
            "/rest/v1/audiences/aud-treasury",
            json!({"reference": "aud-people"}),
        )
        .await,
        409,
        "Conflict",
    );
    assert_error(
        &c.patch("/rest/v1/audiences/none/", json!({"name": "x"}))
            .await,
        404,
        "Not Found",
    );
}

#[tokio::test]
async fn moving_an_audience_reports_member_operations() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let old = structure(&c, "Old", "struct-old").await;
    let new = structure(&c, "New", "struct-new").await;
    child(&c, "Movers", "movers", "struct-old").await;
    child(&c, "Stayers", "stayers", "struct-old").await;
    let r = c
        .post(
            "/rest/v1/audiences/movers/members",
            json!(["EMP-00101", "EMP-00102", "EMP-00103"]),
        )
        .await;
    assert_eq!(r.status, 200);
    // EMP-00103 is also in a sibling audience of the old structure.
    c.post("/rest/v1/audiences/stayers/members", json!(["EMP-00103"]))
        .await;
    let old_id = old["id"].as_str().expect("id");
    let new_id = new["id"].as_str().expect("id");
    assert_eq!(
        state.members(old_id).len(),
        3,
        "members roll up into the structure"
    );

    let r = c
        .patch("/rest/v1/audiences/movers", json!({"parentId": new_id}))
        .await;
    assert_eq!(r.status, 207, "{}", r.text());
    let body = r.json();
    assert_eq!(body["parent"]["id"], new_id);
    assert_eq!(
        body["memberOperations"],
        json!({
            "success": {"count": 2, "entities": [{"reference": "EMP-00101"}, {"reference": "EMP-00102"}]},
            "failure": {"count": 1, "entities": [{
                "reason": "User is a member of another audience in the previous parent.",
                "reference": "EMP-00103"
            }]}
        })
    );
    assert_eq!(state.members(new_id).len(), 3);
    assert_eq!(state.members(old_id).len(), 1);

    // A clean move back: 200 with a success-only memberOperations.
    c.delete("/rest/v1/audiences/stayers/members/EMP-00103")
        .await;
    c.delete(&format!("/rest/v1/audiences/{old_id}/members/EMP-00103"))
        .await;
    let r = c
        .patch(
            "/rest/v1/audiences/movers/",
            json!({"parentId": "struct-old"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["memberOperations"]["success"]["count"], 3);
    assert!(r.json()["memberOperations"].get("failure").is_none());
    // Same parent again: not a move.
    let r = c
        .patch("/rest/v1/audiences/movers", json!({"parentId": old_id}))
        .await;
    assert_eq!(r.json()["memberOperations"], Value::Null);
}

#[tokio::test]
async fn refused_moves_are_422() {
    let (_sandbox, c) = start().await;
    // Under a child audience.
    let r = c
        .patch(
            "/rest/v1/audiences/aud-finance",
            json!({"parentId": "aud-people"}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    assert_eq!(
        r.json()["message"],
        json!({"parentId": "cannot move audience to this parent"})
    );
    // A structure cannot be moved.
    let r = c
        .patch(
            "/rest/v1/audiences/struct-sales",
            json!({"parentId": "struct-operations"}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    // Under itself.
    let r = c
        .patch(
            "/rest/v1/audiences/struct-sales",
            json!({"parentId": "struct-sales"}),
        )
        .await;
    assert_error(&r, 422, "Unprocessable Content");
    // The audience is unchanged.
    let a = c.get("/rest/v1/audiences/aud-finance").await.json();
    assert_eq!(a["parent"]["reference"], "struct-operations");
}

#[tokio::test]
async fn deleting_a_structure_with_children_is_refused_by_default() {
    let (sandbox, c) = start().await;
    let r = c.delete("/rest/v1/audiences/struct-operations").await;
    assert_error(&r, 409, "Conflict");
    assert!(sandbox.state().audience("struct-operations").is_some());
    // Children first, then the structure.
    assert_eq!(
        c.delete("/rest/v1/audiences/aud-finance").await.json(),
        json!({"success": true})
    );
    assert_eq!(c.delete("/rest/v1/audiences/aud-people").await.status, 200);
    assert_eq!(
        c.delete("/rest/v1/audiences/struct-operations")
            .await
            .status,
        200
    );
    assert_error(
        &c.get("/rest/v1/audiences/struct-operations").await,
        404,
        "Not Found",
    );
    // Its assignment was soft-deleted.
    let state = sandbox.state();
    assert!(
        state
            .assignments()
            .iter()
            .filter(|a| a["isDeleted"] == true)
            .count()
            >= 1
    );
}

#[tokio::test]
async fn deleting_a_structure_cascades_under_the_switch() {
    let (sandbox, c) = start_with(SandboxConfig {
        delete_structure: DeleteStructureMode::Cascade,
        delete_response: DeleteResponseMode::NoContent,
        ..SandboxConfig::default()
    })
    .await;
    let r = c.delete("/rest/v1/audiences/struct-operations").await;
    assert_eq!(r.status, 204);
    let state = sandbox.state();
    for reference in ["struct-operations", "aud-finance", "aud-people"] {
        assert!(state.audience(reference).is_none(), "{reference} deleted");
        assert_error(
            &c.get(&format!("/rest/v1/audiences/{reference}")).await,
            404,
            "Not Found",
        );
    }
    assert!(state.audience("struct-sales").is_some());
}

#[tokio::test]
async fn list_audiences_filters_by_api_controlled() {
    let (_sandbox, c) = start().await;
    let all = c.get("/rest/v1/audiences").await.json();
    assert_eq!(all["pagination"]["totalResults"], 14);
    let ui = c.get("/rest/v1/audiences?apiControlled=false").await.json();
    assert_eq!(ui["pagination"]["totalResults"], 2);
    assert!(
        ui["results"]
            .as_array()
            .expect("results")
            .iter()
            .any(|a| a["type"] == "smart")
    );
    let api = c
        .get("/rest/v1/audiences?apiControlled=true&limit=5")
        .await
        .json();
    assert_eq!(
        api["pagination"],
        json!({"totalResults": 12, "totalPages": 3, "page": 1, "perPage": 5})
    );
    assert_error(
        &c.get("/rest/v1/audiences?apiControlled=maybe").await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.get("/rest/v1/audiences?limit=101").await,
        400,
        "Bad Request",
    );
}

#[tokio::test]
async fn add_members_partial_success_is_207() {
    let (sandbox, c) = start().await;
    let r = c
        .post(
            "/rest/v1/audiences/aud-platform/members",
            json!(["test.user@thrivelearning.com", "EMP-00150"]),
        )
        .await;
    assert_eq!(r.status, 207, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({
            "success": {"count": 1, "entities": [{"reference": "EMP-00150"}]},
            "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "test.user@thrivelearning.com"}]}
        })
    );
    let id = c.get("/rest/v1/users/ref/EMP-00150").await.json()["id"].clone();
    assert!(
        sandbox
            .state()
            .members("aud-platform")
            .contains(&id.as_str().unwrap_or_default().to_owned())
    );
}

#[tokio::test]
async fn add_members_all_success_is_200_without_failure_key() {
    let (sandbox, c) = start().await;
    let s = structure(&c, "Fresh", "struct-fresh").await;
    let a = child(&c, "Fresh Team", "fresh-team", "struct-fresh").await;
    let email = emp_email(&c, 40).await;
    let id41 = c.get("/rest/v1/users/ref/EMP-00041").await.json()["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // Identified by email, ref or id; echoed as sent.
    let r = c
        .post(
            &format!(
                "/rest/v1/audiences/{}/members",
                a["id"].as_str().expect("id")
            ),
            json!([email, "EMP-00042", id41]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert!(body.get("failure").is_none());
    assert_eq!(
        body["success"],
        json!({"count": 3, "entities": [{"reference": email}, {"reference": "EMP-00042"}, {"reference": id41}]})
    );
    let state = sandbox.state();
    assert_eq!(state.members("fresh-team").len(), 3);
    assert_eq!(state.members(s["id"].as_str().expect("id")).len(), 3);
    // Adding again is idempotent.
    let again = c
        .post(
            "/rest/v1/audiences/fresh-team/members",
            json!(["EMP-00042"]),
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(state.members("fresh-team").len(), 3);
    // Listing.
    let list = c
        .get("/rest/v1/audiences/fresh-team/members?page=1&perPage=2")
        .await
        .json();
    assert_eq!(
        list["pagination"],
        json!({"totalResults": 3, "totalPages": 2, "page": 1, "perPage": 2})
    );
    assert_eq!(
        list["results"][0],
        json!({"userId": c.get("/rest/v1/users/ref/EMP-00040").await.json()["id"], "reference": "EMP-00040", "email": email})
    );
    // Remove by email, ref or id.
    assert_eq!(
        c.delete(&format!(
            "/rest/v1/audiences/fresh-team/members/{}",
            enc(&email)
        ))
        .await
        .json(),
        json!({"success": true})
    );
    assert_eq!(
        c.delete("/rest/v1/audiences/fresh-team/members/EMP-00042")
            .await
            .status,
        200
    );
    assert_eq!(
        c.delete(&format!("/rest/v1/audiences/fresh-team/members/{id41}"))
            .await
            .status,
        200
    );
    assert!(state.members("fresh-team").is_empty());
    assert_error(
        &c.delete("/rest/v1/audiences/fresh-team/members/EMP-00042")
            .await,
        404,
        "Not Found",
    );
}

#[tokio::test]
async fn all_failures_are_207_with_zero_successes() {
    let (_sandbox, c) = start().await;
    let r = c
        .post(
            "/rest/v1/audiences/aud-people/members",
            json!(["ghost-1", "ghost-2"]),
        )
        .await;
    assert_eq!(r.status, 207);
    assert_eq!(r.json()["success"], json!({"count": 0, "entities": []}));
    assert_eq!(r.json()["failure"]["count"], 2);
}

#[tokio::test]
async fn member_array_limits() {
    let (sandbox, c) = start().await;
    let before = sandbox.state().members("aud-people");
    assert_error(
        &c.patch("/rest/v1/audiences/aud-people/members", json!([]))
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post("/rest/v1/audiences/aud-people/members", json!([]))
            .await,
        400,
        "Bad Request",
    );
    let many: Vec<String> = (0..101).map(|i| format!("EMP-{:05}", i + 1)).collect();
    assert_error(
        &c.post("/rest/v1/audiences/aud-people/members", json!(many))
            .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.patch("/rest/v1/audiences/aud-people/members", json!(many))
            .await,
        400,
        "Bad Request",
    );
    // Not a bare array, or not strings.
    assert_error(
        &c.post(
            "/rest/v1/audiences/aud-people/members",
            json!({"users": ["EMP-00001"]}),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post("/rest/v1/audiences/aud-people/members", json!([1, 2]))
            .await,
        400,
        "Bad Request",
    );
    assert_eq!(sandbox.state().members("aud-people"), before);
    // Exactly 100 is fine.
    let hundred: Vec<String> = (0..100).map(|i| format!("EMP-{:05}", i + 1)).collect();
    assert_eq!(
        c.post("/rest/v1/audiences/aud-people/members", json!(hundred))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn replace_members_replaces_the_list() {
    let (sandbox, c) = start().await;
    let r = c
        .patch(
            "/rest/v1/audiences/aud-quality/members",
            json!(["EMP-00001", "EMP-00002", "nobody"]),
        )
        .await;
    assert_eq!(r.status, 207);
    assert_eq!(r.json()["success"]["count"], 2);
    let state = sandbox.state();
    let members = state.members("aud-quality");
    assert_eq!(members.len(), 2);
    let ids: Vec<Value> = ["EMP-00001", "EMP-00002"]
        .iter()
        .map(|r| state.user_by_ref(r).expect("user")["id"].clone())
        .collect();
    assert_eq!(members.iter().map(|m| json!(m)).collect::<Vec<_>>(), ids);
    // All failing leaves the list unchanged.
    let r = c
        .patch("/rest/v1/audiences/aud-quality/members", json!(["nobody"]))
        .await;
    assert_eq!(r.status, 207);
    assert_eq!(state.members("aud-quality").len(), 2);
    assert_error(
        &c.patch("/rest/v1/audiences/unknown/members", json!(["EMP-00001"]))
            .await,
        404,
        "Not Found",
    );
}

#[tokio::test]
async fn managers_lists_and_permission_defaults() {
    let (_sandbox, c) = start().await;
    let email = emp_email(&c, 60).await;
    // A child audience: administrator is ignored, missing booleans are false.
    let r = c
        .post(
            "/rest/v1/audiences/aud-finance/managers",
            json!([{
                "reference": email,
                "permissions": {
                    "audienceManager": {"manageContent": true},
                    "peopleManager": {"canViewLearnPage": true, "insights": false, "manage": false},
                    "administrator": {"canAddAudienceManagers": true}
                }
            }, {"reference": "no.such@user.example", "permissions": {}}]),
        )
        .await;
    assert_eq!(r.status, 207, "{}", r.text());
    assert_eq!(
        r.json()["failure"],
        json!({"count": 1, "entities": [{"reason": "User does not exist.", "reference": "no.such@user.example"}]})
    );
    let list = c.get("/rest/v1/audiences/aud-finance/managers").await;
    assert_eq!(list.status, 200);
    let managers = list.json();
    let m = managers
        .as_array()
        .expect("bare array")
        .iter()
        .find(|m| m["reference"] == "EMP-00060")
        .expect("new manager")
        .clone();
    assert_eq!(m["email"], email.as_str());
    assert_eq!(
        m["permissions"],
        json!({
            "audienceManager": {"manageMembers": false, "manageContent": true, "assignments": false},
            "peopleManager": {"canViewLearnPage": true, "insights": false, "manage": false}
        })
    );
    // A structure: administrator present, canManageAudiences defaults false.
    let r = c
        .post(
            "/rest/v1/audiences/struct-operations/managers",
            json!([{"reference": "EMP-00061", "permissions": {"administrator": {"canAddAudienceManagers": true}}}]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json().get("failure").is_none());
    let list = c
        .get("/rest/v1/audiences/struct-operations/managers")
        .await
        .json();
    let m = list
        .as_array()
        .expect("bare array")
        .iter()
        .find(|m| m["reference"] == "EMP-00061")
        .expect("manager")
        .clone();
    assert_eq!(
        m["permissions"]["administrator"],
        json!({"canManageAudiences": false, "canAddAudienceManagers": true})
    );
    assert_eq!(m["permissions"]["audienceManager"]["manageMembers"], false);
    // Paging parameters are ignored: still a bare array.
    assert!(
        c.get("/rest/v1/audiences/struct-operations/managers?page=2&perPage=1")
            .await
            .json()
            .is_array()
    );

    // Replace: [] refused; the list is replaced.
    assert_error(
        &c.patch("/rest/v1/audiences/struct-operations/managers", json!([]))
            .await,
        400,
        "Bad Request",
    );
    let r = c
        .patch(
            "/rest/v1/audiences/struct-operations/managers",
            json!([{"reference": "EMP-00062"}]),
        )
        .await;
    assert_eq!(r.status, 200);
    let list = c
        .get("/rest/v1/audiences/struct-operations/managers")
        .await
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["reference"], "EMP-00062");
    // Remove by ref; then 404.
    assert_eq!(
        c.delete("/rest/v1/audiences/struct-operations/managers/EMP-00062")
            .await
            .status,
        200
    );
    assert_error(
        &c.delete("/rest/v1/audiences/struct-operations/managers/EMP-00062")
            .await,
        404,
        "Not Found",
    );
    // Bad shapes.
    assert_error(
        &c.post(
            "/rest/v1/audiences/aud-finance/managers",
            json!(["EMP-00001"]),
        )
        .await,
        400,
        "Bad Request",
    );
    assert_error(
        &c.post(
            "/rest/v1/audiences/aud-finance/managers",
            json!([{"reference": "EMP-00001", "permissions": {"peopleManager": {"insights": "yes"}}}]),
        )
        .await,
        400,
        "Bad Request",
    );
}
