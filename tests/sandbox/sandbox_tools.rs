//! Every tool of the catalogue executed against the sandbox, with the output
//! checked against the sandbox's state (read through `SandboxState`).
//!
//! Each test starts its own sandbox (seeded demo tenant, free loopback port),
//! runs one tool (or a small group) through `Catalogue::execute`, and compares
//! the output with what the sandbox holds. `COVERED` lists the tool ids these
//! tests exercise; the last test checks it equals the catalogue, so a new
//! tool without a sandbox test fails the suite.

#![cfg(feature = "sandbox")]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use thrive_blocks::{Catalogue, ErrorCode};

/// The tool ids exercised by the tests in this file.
const COVERED: &[&str] = &[
    // users
    "thrive_create_user",
    "thrive_update_user",
    "thrive_delete_user",
    "thrive_suspend_user",
    "thrive_search_users",
    "thrive_get_user_by_id",
    "thrive_get_user_by_ref",
    // audiences
    "thrive_list_audiences",
    "thrive_create_audience",
    "thrive_get_audience",
    "thrive_update_audience",
    "thrive_delete_audience",
    // members
    "thrive_list_audience_members",
    "thrive_add_audience_members",
    "thrive_replace_audience_members",
    "thrive_remove_audience_member",
    // `thrive_sync_audience_members` (a composite of the three above) has
    // its own sandbox tests in tests/sandbox/sync.rs.
    "thrive_sync_audience_members",
    // managers
    "thrive_list_audience_managers",
    "thrive_add_audience_managers",
    "thrive_replace_audience_managers",
    "thrive_remove_audience_manager",
    // assignments and enrolments
    "thrive_list_assignments",
    "thrive_create_assignment",
    "thrive_get_assignment",
    "thrive_update_assignment",
    "thrive_delete_assignment",
    "thrive_list_enrolments",
    "thrive_get_enrolment",
    // completions
    "thrive_list_completions",
    "thrive_get_completion",
    "thrive_create_completion",
    // content and activity
    "thrive_get_content",
    "thrive_query_content",
    "thrive_get_activity",
    "thrive_query_activities",
    // CPD
    "thrive_get_cpd_category",
    "thrive_query_cpd_categories",
    "thrive_get_cpd_entry",
    "thrive_query_cpd_entries",
    "thrive_get_cpd_requirement",
    "thrive_query_cpd_requirements",
    "thrive_query_cpd_user_summaries",
    // tags and skills
    "thrive_list_tags",
    "thrive_get_tag",
    "thrive_add_user_tags",
    "thrive_remove_user_tags",
    "thrive_update_user_skills",
    "thrive_get_skill_levels",
    // connection
    "thrive_test_connection",
    // inbound provisioning: tested against the sandbox in tests/triggers/triggers.rs
    "thrive_provision_user_joined",
    "thrive_provision_user_updated",
    "thrive_provision_user_suspended",
    "thrive_provision_user_deleted",
];

/// The keys of the documented v1 BasicUser object (get by ref).
const BASIC_USER_KEYS: [&str; 10] = [
    "id",
    "ref",
    "firstName",
    "lastName",
    "email",
    "role",
    "status",
    "positions",
    "additionalFields",
    "languageCode",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("expected an object, got {v}"))
        .keys()
        .cloned()
        .collect()
}

fn set(items: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    items.into_iter().collect()
}

/// The first live user whose v1 status is `status`.
fn user_with_status(env: &Env, status: &str) -> Value {
    env.live_users()
        .into_iter()
        .find(|u| u["status"] == status)
        .unwrap_or_else(|| panic!("the seeded tenant has no {status} user"))
}

// ----- users -----

#[tokio::test]
async fn create_user_stores_the_user_and_returns_the_lifecycle_object() {
    let env = Env::start().await;
    let before = env.state.user_count();
    let out = env
        .ok(
            "thrive_create_user",
            json!({
                "ref": "NEW-0001", "firstName": "Ada", "lastName": "Lovelace",
                "email": "ada.lovelace@example.com", "role": "learneradmin",
                "jobTitle": "Analyst", "managerRef": "EMP-00001",
                "startDate": "2025-10-01T09:00:00.000Z", "timeZone": "Europe/Paris",
                "languageCode": "fr-fr", "sso": false,
                "additionalFields": "{\"department\": \"Research\"}"
            }),
        )
        .await;
    let stored = env
        .state
        .user_lifecycle("NEW-0001")
        .expect("the created user is in the sandbox");
    assert_eq!(
        out["user"], stored,
        "output.user is the stored lifecycle object"
    );
    for (k, v) in [
        ("firstName", json!("Ada")),
        ("lastName", json!("Lovelace")),
        ("email", json!("ada.lovelace@example.com")),
        ("role", json!("learneradmin")),
        ("jobTitle", json!("Analyst")),
        ("managerRef", json!("EMP-00001")),
        ("startDate", json!("2025-10-01T09:00:00.000Z")),
        ("timeZone", json!("Europe/Paris")),
        ("languageCode", json!("fr-fr")),
        ("sso", json!(false)),
        ("active", json!(true)),
        ("additionalFields", json!({"department": "Research"})),
    ] {
        assert_eq!(stored[k], v, "stored {k}");
    }
    let v1 = env.state.user_by_ref("NEW-0001").expect("readable by ref");
    assert_eq!(v1["id"], out["user"]["id"], "same Thrive id in v1 reads");
    assert_eq!(env.state.user_count(), before + 1, "exactly one user added");

    // The ref is unique per tenant.
    let err = env
        .err(
            "thrive_create_user",
            json!({"ref": "NEW-0001", "firstName": "B", "lastName": "C", "email": "other@example.com"}),
        )
        .await;
    assert_error(&err, ErrorCode::Conflict, Some(409));
    assert_eq!(
        env.state.user_count(),
        before + 1,
        "the duplicate was not stored"
    );
}

#[tokio::test]
async fn update_user_changes_only_the_given_fields() {
    let env = Env::start().await;
    let before = env.state.user_lifecycle("EMP-00010").expect("seeded user");
    let out = env
        .ok(
            "thrive_update_user",
            json!({"ref": "EMP-00010", "jobTitle": "Head of Sales", "lastName": "Okafor-Smith",
                   "additionalFields": "{\"department\": \"Sales\", \"location\": \"Leeds\"}"}),
        )
        .await;
    let after = env.state.user_lifecycle("EMP-00010").expect("still there");
    assert_eq!(
        out["user"], after,
        "output.user is the stored lifecycle object"
    );
    assert_eq!(after["jobTitle"], "Head of Sales");
    assert_eq!(after["lastName"], "Okafor-Smith");
    assert_eq!(
        after["additionalFields"],
        json!({"department": "Sales", "location": "Leeds"})
    );
    for k in [
        "id",
        "firstName",
        "email",
        "role",
        "managerRef",
        "timeZone",
        "active",
    ] {
        assert_eq!(after[k], before[k], "{k} was not sent and must not change");
    }

    let err = env
        .err(
            "thrive_update_user",
            json!({"ref": "NO-SUCH-REF", "jobTitle": "x"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn delete_user_obfuscates_and_hides_the_user() {
    let env = Env::start().await;
    let member = env.state.members("aud-finance")[0].clone();
    let user = env.state.user(&member).expect("member exists");
    let reference = text(&user["ref"]);
    let before = env.state.user_count();

    let out = env
        .ok("thrive_delete_user", json!({"ref": reference}))
        .await;
    assert_eq!(out, json!({"success": true}));

    assert!(
        env.state.user_by_ref(&reference).is_none(),
        "the ref no longer resolves"
    );
    let gone = env.state.user(&member).expect("the record is kept by id");
    assert_eq!(gone["deleted"], true);
    assert_eq!(gone["ref"], Value::Null, "ref is cleared");
    assert_eq!(gone["email"], Value::Null, "email is cleared");
    assert_eq!(env.state.user_count(), before - 1);
    assert!(
        !env.state.members("aud-finance").contains(&member),
        "a deleted user is no member"
    );

    let err = env
        .err("thrive_get_user_by_ref", json!({"ref": reference}))
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
    let err = env
        .err("thrive_delete_user", json!({"ref": reference}))
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn suspend_user_marks_the_account_inactive() {
    let env = Env::start().await;
    let user = user_with_status(&env, "active");
    let reference = text(&user["ref"]);
    let out = env
        .ok(
            "thrive_suspend_user",
            json!({"ref": reference, "endDate": "2025-12-31T17:00:00.000Z"}),
        )
        .await;
    let lifecycle = env.state.user_lifecycle(&reference).expect("still live");
    assert_eq!(
        out["user"], lifecycle,
        "output.user is the stored lifecycle object"
    );
    assert_eq!(out["user"]["active"], false);
    assert_eq!(out["user"]["endDate"], "2025-12-31T17:00:00.000Z");
    let v1 = env.state.user_by_ref(&reference).unwrap();
    assert_eq!(v1["status"], "inactive", "suspended users read as inactive");
}

#[tokio::test]
async fn search_users_pages_match_the_state() {
    let env = Env::start().await;
    let live = env.live_users();
    assert_eq!(live.len(), env.state.user_count());

    let out = env
        .ok("thrive_search_users", json!({"page": 2, "perPage": 50}))
        .await;
    assert_eq!(out["pagination"], pagination(live.len(), 2, 50));
    assert_eq!(
        out["results"],
        Value::Array(live[50..100].to_vec()),
        "page 2 holds users 51..100 in creation order, as full v1 User objects"
    );

    // Status filters.
    let inactive: Vec<String> = live
        .iter()
        .filter(|u| u["status"] == "inactive")
        .map(|u| text(&u["id"]))
        .collect();
    let out = env
        .ok(
            "thrive_search_users",
            json!({"status": "inactive", "perPage": 1000}),
        )
        .await;
    assert_eq!(out["pagination"], pagination(inactive.len(), 1, 1000));
    assert_eq!(strings(&out["results"], "id"), inactive);

    let wanted: Vec<String> = live
        .iter()
        .filter(|u| u["status"] == "new" || u["status"] == "expired")
        .map(|u| text(&u["id"]))
        .collect();
    let out = env
        .ok(
            "thrive_search_users",
            json!({"statuses": "new,expired", "perPage": 1000}),
        )
        .await;
    assert_eq!(strings(&out["results"], "id"), wanted);

    // updatedSince: users updated on or after the instant.
    let since = text(&live[120]["updatedAt"]);
    let recent: Vec<String> = live
        .iter()
        .filter(|u| text(&u["updatedAt"]) >= since)
        .map(|u| text(&u["id"]))
        .collect();
    let out = env
        .ok(
            "thrive_search_users",
            json!({"updatedSince": since, "perPage": 1000}),
        )
        .await;
    assert_eq!(strings(&out["results"], "id"), recent);

    let kept = live.iter().filter(|u| u["status"] != "active").count();
    let out = env
        .ok(
            "thrive_search_users",
            json!({"omitStatuses": "active", "perPage": 1}),
        )
        .await;
    assert_eq!(out["pagination"], pagination(kept, 1, 1));
}

#[tokio::test]
async fn get_user_by_id_returns_the_full_user() {
    let env = Env::start().await;
    let id = env.user_id("EMP-00042");
    let out = env.ok("thrive_get_user_by_id", json!({"id": id})).await;
    assert_eq!(out["user"], env.state.user(&id).unwrap());

    let err = env
        .err(
            "thrive_get_user_by_id",
            json!({"id": "0123456789abcdef01234567"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn get_user_by_ref_returns_the_basic_user() {
    let env = Env::start().await;
    let out = env
        .ok("thrive_get_user_by_ref", json!({"ref": "EMP-00001"}))
        .await;
    let full = env.state.user_by_ref("EMP-00001").unwrap();
    let user = &out["user"];
    assert_eq!(
        keys(user),
        BASIC_USER_KEYS.iter().map(|k| k.to_string()).collect(),
        "a BasicUser has exactly the documented keys"
    );
    for k in BASIC_USER_KEYS {
        assert_eq!(user[k], full[k], "{k} matches the stored user");
    }

    let err = env
        .err("thrive_get_user_by_ref", json!({"ref": "NO-SUCH-REF"}))
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

// ----- audiences -----

#[tokio::test]
async fn list_audiences_matches_the_state() {
    let env = Env::start().await;
    let all = env.state.audiences();
    let out = env
        .ok("thrive_list_audiences", json!({"page": 1, "perPage": 5}))
        .await;
    assert_eq!(out["pagination"], pagination(all.len(), 1, 5));
    assert_eq!(out["results"], Value::Array(all[..5].to_vec()));

    let out = env
        .ok(
            "thrive_list_audiences",
            json!({"returnAll": true, "perPage": 4}),
        )
        .await;
    assert_eq!(
        out["results"],
        Value::Array(all.clone()),
        "every audience once"
    );
    assert_eq!(out["pagination"]["totalResults"], all.len());

    let ui: Vec<Value> = all
        .iter()
        .filter(|a| a["apiControlled"] == false)
        .cloned()
        .collect();
    assert!(!ui.is_empty(), "the seed has UI-created audiences");
    let out = env
        .ok("thrive_list_audiences", json!({"apiControlled": false}))
        .await;
    assert_eq!(out["results"], Value::Array(ui.clone()));
    assert_eq!(out["pagination"], pagination(ui.len(), 1, 100));
}

#[tokio::test]
async fn create_audience_makes_structures_and_child_audiences() {
    let env = Env::start().await;
    let s = env
        .ok(
            "thrive_create_audience",
            json!({"name": "Research", "reference": "struct-research", "category": "structure"}),
        )
        .await;
    let stored = env.state.audience("struct-research").expect("stored");
    assert_eq!(s["audience"], stored);
    assert_eq!(stored["category"], "structure");
    assert_eq!(stored["apiControlled"], true);
    assert_eq!(stored["type"], "manual");
    assert_eq!(stored["parent"], Value::Null);

    let c = env
        .ok(
            "thrive_create_audience",
            json!({"name": "Research - Labs", "reference": "aud-labs",
                   "parentId": "struct-research", "category": "audience"}),
        )
        .await;
    let child = env.state.audience("aud-labs").expect("stored");
    assert_eq!(c["audience"], child);
    assert_eq!(child["category"], "audience");
    assert_eq!(
        child["parent"],
        json!({"name": "Research", "reference": "struct-research", "id": stored["id"]})
    );

    // Each reference is unique; a child audience cannot be a parent.
    let err = env
        .err(
            "thrive_create_audience",
            json!({"name": "Dup", "reference": "aud-labs", "category": "structure"}),
        )
        .await;
    assert_error(&err, ErrorCode::Conflict, Some(409));
    let err = env
        .err(
            "thrive_create_audience",
            json!({"name": "Nested", "reference": "aud-nested", "parentId": "aud-labs", "category": "audience"}),
        )
        .await;
    assert_error(&err, ErrorCode::Unprocessable, Some(422));
    assert!(env.state.audience("aud-nested").is_none());
}

#[tokio::test]
async fn get_audience_by_id_or_reference() {
    let env = Env::start().await;
    let stored = env.state.audience("aud-platform").unwrap();
    let by_ref = env
        .ok("thrive_get_audience", json!({"audienceId": "aud-platform"}))
        .await;
    assert_eq!(by_ref["audience"], stored);
    let by_id = env
        .ok("thrive_get_audience", json!({"audienceId": stored["id"]}))
        .await;
    assert_eq!(by_id["audience"], stored);

    let err = env
        .err(
            "thrive_get_audience",
            json!({"audienceId": "no-such-audience"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn update_audience_renames_and_moves() {
    let env = Env::start().await;
    // A rename is not a move: memberOperations is null.
    let out = env
        .ok(
            "thrive_update_audience",
            json!({"audienceId": "aud-people", "name": "People Team"}),
        )
        .await;
    let stored = env.state.audience("aud-people").unwrap();
    assert_eq!(stored["name"], "People Team");
    assert_eq!(out["audience"]["memberOperations"], Value::Null);
    assert_eq!(out["partial"], false);
    for k in [
        "id",
        "name",
        "reference",
        "category",
        "parent",
        "apiControlled",
    ] {
        assert_eq!(out["audience"][k], stored[k], "{k}");
    }

    // Move aud-finance from struct-operations to struct-sales.
    let old_parent = env.audience_id("struct-operations");
    let new_parent = env.audience_id("struct-sales");
    let moving = env.state.members("aud-finance");
    assert!(!moving.is_empty(), "the seeded audience has members");
    let siblings: Vec<String> = env
        .state
        .audiences()
        .iter()
        .filter(|a| a["parent"]["id"] == old_parent && a["reference"] != "aud-finance")
        .map(|a| text(&a["id"]))
        .collect();
    let stays = |uid: &String| siblings.iter().any(|s| env.state.members(s).contains(uid));
    let label = |uid: &String| text(&env.state.user(uid).unwrap()["ref"]);
    let expect_ok: Vec<String> = moving.iter().filter(|u| !stays(u)).map(label).collect();
    let expect_failed: Vec<String> = moving.iter().filter(|u| stays(u)).map(label).collect();

    let out = env
        .ok(
            "thrive_update_audience",
            json!({"audienceId": "aud-finance", "parentId": new_parent}),
        )
        .await;
    let moved = env.state.audience("aud-finance").unwrap();
    assert_eq!(
        moved["parent"]["id"], new_parent,
        "the audience has the new parent"
    );
    assert_eq!(out["audience"]["parent"], moved["parent"]);
    let ops = &out["audience"]["memberOperations"];
    assert_eq!(
        set(strings(&ops["success"]["entities"], "reference")),
        set(expect_ok.clone())
    );
    assert_eq!(
        ops["success"]["count"].as_u64(),
        Some(expect_ok.len() as u64)
    );
    assert_eq!(out["partial"], !expect_failed.is_empty());
    if expect_failed.is_empty() {
        assert!(
            ops.get("failure").is_none(),
            "no failure key on full success"
        );
    } else {
        assert_eq!(
            set(strings(&ops["failure"]["entities"], "reference")),
            set(expect_failed)
        );
    }
    let in_new = env.state.members(&new_parent);
    for uid in &moving {
        assert!(
            in_new.contains(uid),
            "moved member {uid} is in the new structure"
        );
    }
    let in_old = env.state.members(&old_parent);
    for uid in moving.iter().filter(|u| !stays(u)) {
        assert!(!in_old.contains(uid), "member {uid} left the old structure");
    }
}

#[tokio::test]
async fn delete_audience_removes_it_and_refuses_structures_with_children() {
    let env = Env::start().await;
    let id = env.audience_id("aud-platform");
    let assignments: Vec<String> = env
        .state
        .assignments()
        .iter()
        .filter(|a| a["audienceId"] == id)
        .map(|a| text(&a["id"]))
        .collect();
    let out = env
        .ok(
            "thrive_delete_audience",
            json!({"audienceId": "aud-platform"}),
        )
        .await;
    assert_eq!(out, json!({"success": true}));
    assert!(env.state.audience("aud-platform").is_none());
    assert!(env.state.audience(&id).is_none());
    for a in &assignments {
        assert_eq!(
            env.state.assignment(a).unwrap()["isDeleted"],
            true,
            "the audience's assignment {a} is retired"
        );
    }

    // The docs disagree on structures with children (refuse vs cascade); the
    // tool's own description says "only if it has no child audiences".
    let before = env.state.audiences().len();
    let err = env
        .err(
            "thrive_delete_audience",
            json!({"audienceId": "struct-sales"}),
        )
        .await;
    assert!(
        matches!(err.code(), ErrorCode::Conflict | ErrorCode::Unprocessable),
        "refused with 409 or 422: {}",
        err.to_json()
    );
    assert_eq!(env.state.audiences().len(), before, "nothing was deleted");
    assert!(env.state.audience("struct-sales").is_some());
}

// ----- members -----

fn member_rows(env: &Env, audience: &str) -> Vec<Value> {
    env.state
        .members(audience)
        .iter()
        .map(|id| {
            let u = env.state.user(id).unwrap();
            json!({"userId": u["id"], "reference": u["ref"], "email": u["email"]})
        })
        .collect()
}

#[tokio::test]
async fn list_audience_members_pages_match_the_state() {
    let env = Env::start().await;
    let rows = member_rows(&env, "aud-account-execs");
    assert!(rows.len() > 6, "enough members to page");
    let out = env
        .ok(
            "thrive_list_audience_members",
            json!({"audienceId": "aud-account-execs", "page": 2, "perPage": 3}),
        )
        .await;
    assert_eq!(out["pagination"], pagination(rows.len(), 2, 3));
    assert_eq!(out["results"], Value::Array(rows[3..6].to_vec()));

    let out = env
        .ok(
            "thrive_list_audience_members",
            json!({"audienceId": "aud-account-execs", "returnAll": true, "perPage": 4}),
        )
        .await;
    assert_eq!(out["results"], Value::Array(rows.clone()));
    assert_eq!(out["pagination"]["totalResults"], rows.len());
}

#[tokio::test]
async fn add_audience_members_adds_known_users_and_reports_the_unknown_one() {
    let env = Env::start().await;
    let outsiders = env.non_members("aud-finance");
    let (a, b, c) = (&outsiders[0], &outsiders[1], &outsiders[2]);
    let sent = [
        text(&a["email"]),
        text(&b["ref"]),
        text(&c["id"]),
        "nobody@example.com".to_owned(),
    ];
    let out = env
        .ok(
            "thrive_add_audience_members",
            json!({"audienceId": "aud-finance", "users": serde_json::to_string(&sent).unwrap()}),
        )
        .await;
    assert_eq!(out["partial"], true, "one user is unknown: 207");
    assert_eq!(
        out["result"],
        json!({
            "success": {"count": 3, "entities": [
                {"reference": sent[0]}, {"reference": sent[1]}, {"reference": sent[2]}]},
            "failure": {"count": 1, "entities": [
                {"reason": "User does not exist.", "reference": "nobody@example.com"}]}
        })
    );
    let members = env.state.members("aud-finance");
    for u in [a, b, c] {
        assert!(
            members.contains(&text(&u["id"])),
            "{} is a member",
            u["ref"]
        );
    }

    // Full success: 200 without a failure key.
    let out = env
        .ok(
            "thrive_add_audience_members",
            json!({"audienceId": "aud-finance", "users": [text(&outsiders[3]["ref"])]}),
        )
        .await;
    assert_eq!(out["partial"], false);
    assert!(out["result"].get("failure").is_none());
    assert!(
        env.state
            .members("aud-finance")
            .contains(&text(&outsiders[3]["id"]))
    );
}

#[tokio::test]
async fn replace_audience_members_keeps_only_the_given_users() {
    let env = Env::start().await;
    let current = env.state.members("aud-people");
    assert!(current.len() >= 2);
    let keep = env.state.user(&current[0]).unwrap();
    let newcomer = env.non_members("aud-people")[0].clone();
    let out = env
        .ok(
            "thrive_replace_audience_members",
            json!({"audienceId": "aud-people", "users": [text(&keep["ref"]), text(&newcomer["email"])]}),
        )
        .await;
    assert_eq!(out["partial"], false);
    assert_eq!(out["result"]["success"]["count"].as_u64(), Some(2));
    assert_eq!(
        set(env.state.members("aud-people")),
        set([text(&keep["id"]), text(&newcomer["id"])]),
        "only the given users remain"
    );
}

#[tokio::test]
async fn remove_audience_member_takes_the_user_out() {
    let env = Env::start().await;
    let uid = env.state.members("aud-customer-success")[0].clone();
    let email = text(&env.state.user(&uid).unwrap()["email"]);
    let out = env
        .ok(
            "thrive_remove_audience_member",
            json!({"audienceId": "aud-customer-success", "userRef": email}),
        )
        .await;
    assert_eq!(out, json!({"success": true}));
    assert!(!env.state.members("aud-customer-success").contains(&uid));

    let err = env
        .err(
            "thrive_remove_audience_member",
            json!({"audienceId": "aud-customer-success", "userRef": email}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

// ----- managers -----

#[tokio::test]
async fn list_audience_managers_matches_the_state() {
    let env = Env::start().await;
    for audience in ["struct-sales", "aud-platform"] {
        let out = env
            .ok(
                "thrive_list_audience_managers",
                json!({"audienceId": audience}),
            )
            .await;
        let stored = env.state.managers(audience);
        assert!(!stored.is_empty(), "{audience} has seeded managers");
        assert_eq!(
            without_null_administrator(&out["managers"]),
            Value::Array(stored),
            "{audience}"
        );
    }
    // administrator appears only for structures (the tool's typed output
    // shows it as null on child audiences).
    let out = env
        .ok(
            "thrive_list_audience_managers",
            json!({"audienceId": "aud-platform"}),
        )
        .await;
    for m in array(&out["managers"]) {
        assert!(m["permissions"]["administrator"].is_null(), "{m}");
    }
    let out = env
        .ok(
            "thrive_list_audience_managers",
            json!({"audienceId": "struct-sales"}),
        )
        .await;
    for m in array(&out["managers"]) {
        assert!(m["permissions"]["administrator"].is_object(), "{m}");
    }
}

/// The managers with a null `permissions.administrator` key dropped: the
/// tool's typed output writes `null` where Thrive leaves the key out.
fn without_null_administrator(managers: &Value) -> Value {
    let mut managers = managers.clone();
    for m in managers.as_array_mut().expect("managers array") {
        if let Some(p) = m["permissions"].as_object_mut()
            && p.get("administrator").is_some_and(Value::is_null)
        {
            p.remove("administrator");
        }
    }
    managers
}

#[tokio::test]
async fn add_audience_managers_stores_permissions() {
    let env = Env::start().await;
    let user = env.state.user_by_ref("EMP-00150").unwrap();
    let out = env
        .ok(
            "thrive_add_audience_managers",
            json!({"audienceId": "struct-engineering", "managers": [
                {"reference": "EMP-00150", "permissions": {
                    "audienceManager": {"manageContent": true, "assignments": false},
                    "peopleManager": {"canViewLearnPage": true, "insights": false, "manage": true},
                    "administrator": {"canAddAudienceManagers": true}}},
                {"reference": "ghost@example.com", "permissions": {}}
            ]}),
        )
        .await;
    assert_eq!(out["partial"], true);
    assert_eq!(
        out["result"]["success"],
        json!({"count": 1, "entities": [{"reference": "EMP-00150"}]})
    );
    assert_eq!(
        strings(&out["result"]["failure"]["entities"], "reference"),
        ["ghost@example.com"]
    );
    let stored = env.state.managers("struct-engineering");
    let m = stored
        .iter()
        .find(|m| m["userId"] == user["id"])
        .expect("EMP-00150 is a manager");
    assert_eq!(m["reference"], "EMP-00150");
    assert_eq!(m["permissions"]["audienceManager"]["manageContent"], true);
    assert_eq!(m["permissions"]["audienceManager"]["assignments"], false);
    assert_eq!(m["permissions"]["peopleManager"]["canViewLearnPage"], true);
    assert_eq!(m["permissions"]["peopleManager"]["insights"], false);
    assert_eq!(m["permissions"]["peopleManager"]["manage"], true);
    assert_eq!(
        m["permissions"]["administrator"]["canAddAudienceManagers"],
        true
    );
}

#[tokio::test]
async fn replace_audience_managers_keeps_only_the_given_managers() {
    let env = Env::start().await;
    assert!(!env.state.managers("aud-account-execs").is_empty());
    let out = env
        .ok(
            "thrive_replace_audience_managers",
            json!({"audienceId": "aud-account-execs", "managers": "[{\"reference\": \"EMP-00160\", \"permissions\": {\"peopleManager\": {\"insights\": true}}}]"}),
        )
        .await;
    assert_eq!(out["partial"], false);
    let stored = env.state.managers("aud-account-execs");
    assert_eq!(
        stored.len(),
        1,
        "only the given manager remains: {stored:?}"
    );
    assert_eq!(stored[0]["reference"], "EMP-00160");
    assert_eq!(stored[0]["permissions"]["peopleManager"]["insights"], true);
    assert_eq!(
        stored[0]["permissions"]["audienceManager"]["manageContent"],
        false
    );
}

#[tokio::test]
async fn remove_audience_manager_takes_the_manager_out() {
    let env = Env::start().await;
    let first = env.state.managers("struct-sales")[0].clone();
    let out = env
        .ok(
            "thrive_remove_audience_manager",
            json!({"audienceId": "struct-sales", "userId": first["reference"]}),
        )
        .await;
    assert_eq!(out, json!({"success": true}));
    assert!(
        env.state
            .managers("struct-sales")
            .iter()
            .all(|m| m["userId"] != first["userId"])
    );
    let err = env
        .err(
            "thrive_remove_audience_manager",
            json!({"audienceId": "struct-sales", "userId": first["userId"]}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

// ----- assignments and enrolments -----

fn live_assignments(env: &Env) -> Vec<Value> {
    env.state
        .assignments()
        .into_iter()
        .filter(|a| a["isDeleted"] == false)
        .collect()
}

#[tokio::test]
async fn list_assignments_matches_the_state() {
    let env = Env::start().await;
    let live = live_assignments(&env);
    let out = env.ok("thrive_list_assignments", json!({})).await;
    assert_eq!(out["assignments"], Value::Array(live.clone()));

    let platform = env.audience_id("aud-platform");
    let out = env
        .ok(
            "thrive_list_assignments",
            json!({"audienceId": "aud-platform"}),
        )
        .await;
    let expected: Vec<Value> = live
        .iter()
        .filter(|a| a["audienceId"] == platform)
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(out["assignments"], Value::Array(expected));

    let out = env
        .ok("thrive_list_assignments", json!({"page": 2, "perPage": 4}))
        .await;
    assert_eq!(out["assignments"], Value::Array(live[4..].to_vec()));
}

#[tokio::test]
async fn create_assignment_enrols_every_member() {
    let env = Env::start().await;
    let contents = env.state.contents();
    let (primary, alternative) = (text(&contents[7]["id"]), text(&contents[8]["id"]));
    let members = env.state.members("aud-people");
    let out = env
        .ok(
            "thrive_create_assignment",
            json!({"audienceId": "aud-people", "contentId": primary,
                   "alternativeContentIds": format!("[\"{alternative}\"]"),
                   "completionPeriod": 45, "recurrence": 365}),
        )
        .await;
    let id = text(&out["assignment"]["id"]);
    let stored = env.state.assignment(&id).expect("stored");
    assert_eq!(out["assignment"], stored);
    assert_eq!(stored["audienceId"], env.audience_id("aud-people"));
    assert_eq!(stored["primaryContentId"], primary);
    assert_eq!(stored["alternativeContentIds"], json!([alternative]));
    assert_eq!(stored["completionPeriod"], 45);
    assert_eq!(stored["recurrence"], 365);

    let enrolments = env.state.enrolments(&id);
    assert_eq!(
        set(strings(&Value::Array(enrolments.clone()), "userId")),
        set(members)
    );
    assert!(enrolments.iter().all(|e| e["status"] == "open"));

    let err = env
        .err(
            "thrive_create_assignment",
            json!({"audienceId": "no-such-audience", "contentId": primary}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn get_assignment_returns_the_stored_assignment() {
    let env = Env::start().await;
    let a = live_assignments(&env)[2].clone();
    let out = env
        .ok("thrive_get_assignment", json!({"assignmentId": a["id"]}))
        .await;
    assert_eq!(out["assignment"], a);
}

#[tokio::test]
async fn update_assignment_changes_the_completion_period() {
    let env = Env::start().await;
    let a = live_assignments(&env)[1].clone();
    let out = env
        .ok(
            "thrive_update_assignment",
            json!({"assignmentId": a["id"], "audienceId": a["audienceId"],
                   "completionPeriod": 60, "recurrence": 180}),
        )
        .await;
    let stored = env.state.assignment(&text(&a["id"])).unwrap();
    assert_eq!(out["assignment"], stored);
    assert_eq!(stored["completionPeriod"], 60);
    assert_eq!(stored["recurrence"], 180);
    assert_eq!(
        stored["primaryContentId"], a["primaryContentId"],
        "unchanged"
    );
}

#[tokio::test]
async fn delete_assignment_retires_it() {
    let env = Env::start().await;
    let a = live_assignments(&env)[0].clone();
    let out = env
        .ok(
            "thrive_delete_assignment",
            json!({"assignmentId": a["id"], "audienceId": a["audienceId"]}),
        )
        .await;
    assert_eq!(out, json!({"success": true}));
    let stored = env.state.assignment(&text(&a["id"])).unwrap();
    assert_eq!(stored["isDeleted"], true);
    assert_eq!(stored["isActive"], false);
    let err = env
        .err("thrive_get_assignment", json!({"assignmentId": a["id"]}))
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn list_enrolments_matches_the_state() {
    let env = Env::start().await;
    let a = live_assignments(&env)
        .into_iter()
        .max_by_key(|a| env.state.enrolments(&text(&a["id"])).len())
        .unwrap();
    let id = text(&a["id"]);
    let all = env.state.enrolments(&id);
    let out = env
        .ok(
            "thrive_list_enrolments",
            json!({"assignmentId": id, "returnAll": true, "perPage": 25}),
        )
        .await;
    assert_eq!(out["enrolments"], Value::Array(all.clone()));

    let complete: Vec<Value> = all
        .iter()
        .filter(|e| e["status"] == "complete")
        .cloned()
        .collect();
    let out = env
        .ok(
            "thrive_list_enrolments",
            json!({"assignmentId": id, "status": "complete"}),
        )
        .await;
    assert_eq!(out["enrolments"], Value::Array(complete));
}

#[tokio::test]
async fn get_enrolment_returns_the_stored_enrolment() {
    let env = Env::start().await;
    let a = live_assignments(&env)[0].clone();
    let id = text(&a["id"]);
    let e = env.state.enrolments(&id)[1].clone();
    let out = env
        .ok(
            "thrive_get_enrolment",
            json!({"assignmentId": id, "enrolmentId": e["id"]}),
        )
        .await;
    assert_eq!(out["enrolment"], e);

    let err = env
        .err(
            "thrive_get_enrolment",
            json!({"assignmentId": id, "enrolmentId": "0123456789abcdef01234567"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

// ----- completions -----

#[tokio::test]
async fn list_completions_filters_match_the_state() {
    let env = Env::start().await;
    let all = env.state.completions();
    assert!(all.len() < 1000, "one default page holds them all");
    let out = env.ok("thrive_list_completions", json!({})).await;
    assert_eq!(out["completions"], Value::Array(all.clone()));

    let user = all[0]["userId"].clone();
    let out = env
        .ok("thrive_list_completions", json!({"userId": user}))
        .await;
    let mine: Vec<Value> = all
        .iter()
        .filter(|c| c["userId"] == user)
        .cloned()
        .collect();
    assert_eq!(out["completions"], Value::Array(mine));

    let rpl: Vec<Value> = all.iter().filter(|c| c["isRPL"] == true).cloned().collect();
    assert!(!rpl.is_empty(), "the seed has RPL completions");
    let out = env
        .ok("thrive_list_completions", json!({"isRPL": true}))
        .await;
    assert_eq!(out["completions"], Value::Array(rpl));

    // The range filters are inclusive and take bare dates (the end date
    // covers its whole day).
    let day = text(&all[5]["completedAt"])[..10].to_owned();
    let (from, to) = (
        format!("{day}T00:00:00.000Z"),
        format!("{day}T23:59:59.999Z"),
    );
    let that_day: Vec<Value> = all
        .iter()
        .filter(|c| {
            let at = text(&c["completedAt"]);
            at >= from && at <= to
        })
        .cloned()
        .collect();
    let out = env
        .ok(
            "thrive_list_completions",
            json!({"completedDateRangeStart": day, "completedDateRangeEnd": day}),
        )
        .await;
    assert_eq!(out["completions"], Value::Array(that_day));
}

#[tokio::test]
async fn get_completion_returns_the_stored_record() {
    let env = Env::start().await;
    let c = env.state.completions()[3].clone();
    let out = env
        .ok("thrive_get_completion", json!({"id": c["id"]}))
        .await;
    assert_eq!(out["completion"], c);
}

#[tokio::test]
async fn create_completion_records_it_once() {
    let env = Env::start().await;
    // An open enrolment: completing its content completes it.
    let (assignment, enrolment) = live_assignments(&env)
        .into_iter()
        .find_map(|a| {
            let id = text(&a["id"]);
            env.state
                .enrolments(&id)
                .into_iter()
                .find(|e| e["status"] == "open")
                .map(|e| (a, e))
        })
        .expect("the seed has an open enrolment");
    let before = env.state.completions().len();
    let params = json!({"userId": enrolment["userId"], "contentId": assignment["primaryContentId"],
                        "completedAt": "2025-10-01T10:00:00.000Z"});
    let out = env.ok("thrive_create_completion", params.clone()).await;
    let statement = text(&out["statementId"]);
    assert!(!statement.is_empty());

    let all = env.state.completions();
    assert_eq!(all.len(), before + 1);
    let record = all.last().unwrap();
    assert_eq!(record["userId"], enrolment["userId"]);
    assert_eq!(record["contentId"], assignment["primaryContentId"]);
    assert_eq!(record["completedAt"], "2025-10-01T10:00:00.000Z");
    let by_statement = env
        .ok("thrive_get_completion", json!({"id": statement}))
        .await;
    assert_eq!(&by_statement["completion"], record);

    let now = env
        .state
        .enrolments(&text(&assignment["id"]))
        .into_iter()
        .find(|e| e["id"] == enrolment["id"])
        .unwrap();
    assert_eq!(now["status"], "complete");
    assert_eq!(now["lastCompletedAt"], "2025-10-01T10:00:00.000Z");

    // Sending the same completion again returns the existing statement.
    let again = env.ok("thrive_create_completion", params).await;
    assert_eq!(again["statementId"], statement);
    assert_eq!(env.state.completions().len(), before + 1, "not duplicated");
}

// ----- content and activity -----

#[tokio::test]
async fn get_content_returns_the_stored_record() {
    let env = Env::start().await;
    let c = env.state.contents()[4].clone();
    let out = env.ok("thrive_get_content", json!({"id": c["id"]})).await;
    assert_eq!(out["content"], c);
    let err = env
        .err(
            "thrive_get_content",
            json!({"id": "0123456789abcdef01234567"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn query_content_matches_the_state() {
    let env = Env::start().await;
    let all = env.state.contents();
    let out = env.ok("thrive_query_content", json!({})).await;
    assert_eq!(
        out["pagination"],
        pagination(all.len(), 1, 20),
        "default perPage 20"
    );
    assert_eq!(
        out["results"],
        Value::Array(all[..all.len().min(20)].to_vec())
    );

    let wanted: Vec<Value> = all
        .iter()
        .filter(|c| c["type"] == "video" || c["type"] == "scorm")
        .cloned()
        .collect();
    let out = env
        .ok(
            "thrive_query_content",
            json!({"types": "video,scorm", "perPage": 100}),
        )
        .await;
    assert_eq!(out["results"], Value::Array(wanted.clone()));
    assert_eq!(out["pagination"], pagination(wanted.len(), 1, 100));

    let rest = all.iter().filter(|c| c["type"] != "video").count();
    let out = env
        .ok(
            "thrive_query_content",
            json!({"omitTypes": "video", "perPage": 1}),
        )
        .await;
    assert_eq!(out["pagination"], pagination(rest, 1, 1));

    // With both, omitTypes is ignored (documented).
    let videos = all.iter().filter(|c| c["type"] == "video").count();
    let out = env
        .ok(
            "thrive_query_content",
            json!({"types": "video", "omitTypes": "video", "perPage": 1}),
        )
        .await;
    assert_eq!(out["pagination"], pagination(videos, 1, 1));
}

#[tokio::test]
async fn get_activity_returns_the_stored_record() {
    let env = Env::start().await;
    let a = env.state.activities()[10].clone();
    let out = env.ok("thrive_get_activity", json!({"id": a["id"]})).await;
    assert_eq!(out["activity"], a);
    let err = env
        .err(
            "thrive_get_activity",
            json!({"id": "0123456789abcdef01234567"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn query_activities_matches_the_state() {
    let env = Env::start().await;
    let all = env.state.activities();
    let out = env.ok("thrive_query_activities", json!({})).await;
    assert_eq!(
        out["pagination"],
        pagination(all.len(), 1, 20),
        "default perPage 20"
    );
    assert_eq!(out["results"], Value::Array(all[..20].to_vec()));

    let completed: Vec<Value> = all
        .iter()
        .filter(|a| a["type"] == "completed")
        .cloned()
        .collect();
    assert!(!completed.is_empty());
    let out = env
        .ok(
            "thrive_query_activities",
            json!({"actions": "completed", "returnAll": true, "perPage": 1000}),
        )
        .await;
    assert_eq!(out["results"], Value::Array(completed));

    // A timestamp window in the documented `YYYY-MM-DD hh:mm:ss` form.
    let in_window = all
        .iter()
        .filter(|a| {
            let d = text(&a["date"]);
            d.as_str() >= "2025-06-01T00:00:00.000Z" && d.as_str() <= "2025-06-30T23:59:59.999Z"
        })
        .count();
    let out = env
        .ok(
            "thrive_query_activities",
            json!({"timestampFrom": "2025-06-01 00:00:00", "timestampTo": "2025-06-30 23:59:59", "perPage": 1}),
        )
        .await;
    assert_eq!(out["pagination"]["totalResults"], in_window);
}

// ----- CPD -----

#[tokio::test]
async fn cpd_categories_get_and_query() {
    let env = Env::start().await;
    let all = env.state.cpd_categories();
    let out = env.ok("thrive_query_cpd_categories", json!({})).await;
    assert_eq!(out["results"], Value::Array(all.clone()));
    assert_eq!(out["pagination"], pagination(all.len(), 1, 100));

    let one = env
        .ok(
            "thrive_get_cpd_category",
            json!({"categoryId": all[2]["categoryId"]}),
        )
        .await;
    assert_eq!(one["category"], all[2]);
    let err = env
        .err(
            "thrive_get_cpd_category",
            json!({"categoryId": "0123456789abcdef01234567"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn cpd_entries_get_and_query() {
    let env = Env::start().await;
    let all = env.state.cpd_entries();
    let out = env
        .ok(
            "thrive_query_cpd_entries",
            json!({"page": 2, "perPage": 50}),
        )
        .await;
    assert_eq!(out["pagination"], pagination(all.len(), 2, 50));
    assert_eq!(out["results"], Value::Array(all[50..100].to_vec()));

    let window: Vec<Value> = all
        .iter()
        .filter(|e| {
            let d = text(&e["entryDate"]);
            d.as_str() >= "2025-03-01T00:00:00.000Z" && d.as_str() <= "2025-05-31T23:59:59.999Z"
        })
        .cloned()
        .collect();
    assert!(!window.is_empty());
    let out = env
        .ok(
            "thrive_query_cpd_entries",
            json!({"entryDateFrom": "2025-03-01 00:00:00", "entryDateTo": "2025-05-31 23:59:59",
                   "returnAll": true}),
        )
        .await;
    assert_eq!(out["results"], Value::Array(window));

    let one = env
        .ok(
            "thrive_get_cpd_entry",
            json!({"logEntryId": all[7]["logEntryId"]}),
        )
        .await;
    assert_eq!(one["entry"], all[7]);
}

#[tokio::test]
async fn cpd_requirements_get_and_query() {
    let env = Env::start().await;
    let all = env.state.cpd_requirements();
    let out = env.ok("thrive_query_cpd_requirements", json!({})).await;
    assert_eq!(out["results"], Value::Array(all.clone()));
    assert_eq!(out["pagination"], pagination(all.len(), 1, 100));

    let one = env
        .ok(
            "thrive_get_cpd_requirement",
            json!({"audienceRequirementId": all[1]["audienceRequirementId"]}),
        )
        .await;
    assert_eq!(one["requirement"], all[1]);
    let err = env
        .err(
            "thrive_get_cpd_requirement",
            json!({"audienceRequirementId": "0123456789abcdef01234567"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[tokio::test]
async fn cpd_user_summaries_add_up_the_entries() {
    let env = Env::start().await;
    let mut minutes: BTreeMap<String, u64> = BTreeMap::new();
    for e in env.state.cpd_entries() {
        let d = text(&e["entryDate"]);
        if d.as_str() >= "2025-01-01T00:00:00.000Z" && d.as_str() <= "2025-06-30T23:59:59.999Z" {
            *minutes.entry(text(&e["userId"])).or_default() +=
                e["durationMinutes"].as_u64().unwrap();
        }
    }
    assert!(!minutes.is_empty());
    let out = env
        .ok(
            "thrive_query_cpd_user_summaries",
            json!({"entryDateFrom": "2025-01-01T00:00:00", "entryDateTo": "2025-06-30T23:59:59",
                   "returnAll": true}),
        )
        .await;
    let got: BTreeMap<String, u64> = array(&out["results"])
        .iter()
        .map(|r| (text(&r["userId"]), r["durationMinutes"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, minutes, "one row per user with their total minutes");
    assert_eq!(out["pagination"]["totalResults"], minutes.len());

    let (uid, total) = minutes.iter().next().unwrap();
    let out = env
        .ok(
            "thrive_query_cpd_user_summaries",
            json!({"entryDateFrom": "2025-01-01T00:00:00", "entryDateTo": "2025-06-30T23:59:59",
                   "userIds": uid}),
        )
        .await;
    assert_eq!(
        out["results"],
        json!([{"userId": uid, "durationMinutes": total}])
    );
}

// ----- tags and skills -----

#[tokio::test]
async fn tags_list_and_get() {
    let env = Env::start().await;
    let all = env.state.tags();
    let out = env.ok("thrive_list_tags", json!({})).await;
    assert_eq!(out["results"], Value::Array(all.clone()));
    assert_eq!(out["pagination"], pagination(all.len(), 1, 100));

    let one = env
        .ok("thrive_get_tag", json!({"tagId": all[3]["id"]}))
        .await;
    assert_eq!(one["tag"], all[3]);
    let err = env
        .err(
            "thrive_get_tag",
            json!({"tagId": "0123456789abcdef01234567"}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

/// Two seeded tag names `user` does not have yet.
fn new_tags_for(env: &Env, user: &str) -> Vec<String> {
    let has = env.state.user_tags(user);
    env.state
        .tags()
        .iter()
        .map(|t| text(&t["tag"]))
        .filter(|n| !has.contains(n))
        .take(2)
        .collect()
}

#[tokio::test]
async fn add_user_tags_attaches_existing_tags() {
    let env = Env::start().await;
    let uid = env.user_id("EMP-00030");
    let names = new_tags_for(&env, &uid);
    let out = env
        .ok(
            "thrive_add_user_tags",
            json!({"userId": uid, "tags": serde_json::to_string(&names).unwrap()}),
        )
        .await;
    assert_eq!(
        out,
        json!({"status": 200, "message": "2 tag(s) added successfully to the learner."})
    );
    let tags = env.state.user_tags(&uid);
    for n in &names {
        assert!(tags.contains(n), "{n} was added: {tags:?}");
    }

    // Tags must already exist: nothing changes.
    let err = env
        .err(
            "thrive_add_user_tags",
            json!({"userId": uid, "tags": ["no-such-tag"]}),
        )
        .await;
    assert_error(&err, ErrorCode::Unprocessable, Some(422));
    assert_eq!(env.state.user_tags(&uid), tags);
}

#[tokio::test]
async fn remove_user_tags_detaches_them() {
    let env = Env::start().await;
    let uid = env.user_id("EMP-00031");
    let names = new_tags_for(&env, &uid);
    env.ok(
        "thrive_add_user_tags",
        json!({"userId": uid, "tags": names}),
    )
    .await;
    let out = env
        .ok(
            "thrive_remove_user_tags",
            json!({"userId": uid, "tags": [names[0]]}),
        )
        .await;
    assert_eq!(
        out,
        json!({"status": 200, "message": "1 tag(s) removed successfully from the learner."})
    );
    let tags = env.state.user_tags(&uid);
    assert!(!tags.contains(&names[0]), "{} removed", names[0]);
    assert!(tags.contains(&names[1]), "{} kept", names[1]);
}

#[tokio::test]
async fn update_user_skills_sets_levels() {
    let env = Env::start().await;
    let uid = env.user_id("EMP-00032");
    let out = env
        .ok(
            "thrive_update_user_skills",
            json!({"userId": uid, "skills": [
                {"tagName": "coaching", "level": 2, "targetLevel": 3},
                {"tagName": "negotiation", "targetLevel": 4}
            ]}),
        )
        .await;
    assert_eq!(
        out,
        json!({"status": 200, "message": "2 skill(s) updated successfully for the learner."})
    );
    let skills = env.state.user_skills(&uid);
    let coaching = skills
        .iter()
        .find(|s| s["tagName"] == "coaching")
        .expect("coaching skill stored");
    assert_eq!(
        (num(&coaching["level"]), num(&coaching["targetLevel"])),
        (2.0, 3.0)
    );
    let negotiation = skills
        .iter()
        .find(|s| s["tagName"] == "negotiation")
        .expect("negotiation skill stored");
    assert_eq!(num(&negotiation["targetLevel"]), 4.0);

    // Update an existing skill's level.
    env.ok(
        "thrive_update_user_skills",
        json!({"userId": uid, "skills": "[{\"tagName\": \"coaching\", \"level\": 3}]"}),
    )
    .await;
    let skills = env.state.user_skills(&uid);
    let coaching = skills.iter().find(|s| s["tagName"] == "coaching").unwrap();
    assert_eq!(
        (num(&coaching["level"]), num(&coaching["targetLevel"])),
        (3.0, 3.0)
    );
}

#[tokio::test]
async fn get_skill_levels_returns_the_configuration() {
    let env = Env::start().await;
    let out = env.ok("thrive_get_skill_levels", json!({})).await;
    assert_eq!(out["levels"], Value::Array(env.state.skill_levels()));
}

// ----- connection -----

#[tokio::test]
async fn test_connection_reports_ok_and_unauthorized() {
    let env = Env::start().await;
    let out = env.ok("thrive_test_connection", json!({})).await;
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["authMethod"], "basic");
    assert_eq!(out["host"], env.base());
    assert_eq!(out["region"], "custom");
    assert_eq!(out["status"], 200);
    assert_eq!(out["code"], Value::Null);

    let out = env
        .ok("thrive_test_connection", json!({"apiKey": "wrong-key"}))
        .await;
    assert_eq!(out["ok"], false, "{out}");
    assert_eq!(out["code"], "unauthorized");
    assert_eq!(out["status"], 401);
    assert!(out["reason"].as_str().is_some_and(|r| !r.is_empty()));
}

// ----- documented shapes -----

/// Asserts `v` has exactly the documented keys.
#[track_caller]
fn assert_keys(what: &str, v: &Value, expected: &[&str]) {
    let want: BTreeSet<String> = expected.iter().map(|k| k.to_string()).collect();
    assert_eq!(keys(v), want, "the documented keys of {what}: {v}");
}

#[tokio::test]
async fn records_have_the_documented_keys() {
    let env = Env::start().await;
    let out = env
        .ok(
            "thrive_create_user",
            json!({"ref": "SHAPE-1", "firstName": "S", "lastName": "H", "email": "shape@example.com"}),
        )
        .await;
    assert_keys(
        "a user-lifecycle object",
        &out["user"],
        &[
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
            "additionalFields",
        ],
    );
    assert_eq!(
        out["user"]["timeZone"], "Europe/London",
        "the tenant default"
    );
    assert_eq!(out["user"]["role"], "learner", "the default role");
    assert_eq!(
        out["user"]["loginMethod"], "email",
        "the default login method"
    );

    let audience_keys = [
        "id",
        "name",
        "reference",
        "apiControlled",
        "category",
        "type",
        "parent",
        "createdAt",
        "updatedAt",
    ];
    let a = env
        .ok("thrive_get_audience", json!({"audienceId": "aud-platform"}))
        .await;
    assert_keys("an Audience", &a["audience"], &audience_keys);
    assert_keys(
        "an Audience's parent",
        &a["audience"]["parent"],
        &["name", "reference", "id"],
    );

    let out = env
        .ok(
            "thrive_list_audience_members",
            json!({"audienceId": "aud-platform", "perPage": 1}),
        )
        .await;
    assert_keys(
        "a member",
        &out["results"][0],
        &["userId", "reference", "email"],
    );
    assert_keys(
        "a pagination object",
        &out["pagination"],
        &["totalResults", "totalPages", "page", "perPage"],
    );

    let a = live_assignments(&env)[0].clone();
    let got = env
        .ok("thrive_get_assignment", json!({"assignmentId": a["id"]}))
        .await;
    assert_keys(
        "an Assignment",
        &got["assignment"],
        &[
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
            "updatedAt",
        ],
    );
    let e = env.state.enrolments(&text(&a["id"]))[0].clone();
    let got = env
        .ok(
            "thrive_get_enrolment",
            json!({"assignmentId": a["id"], "enrolmentId": e["id"]}),
        )
        .await;
    assert_keys(
        "an Enrolment",
        &got["enrolment"],
        &[
            "id",
            "userId",
            "assignmentId",
            "audienceId",
            "primaryContentId",
            "status",
            "availableDate",
            "dueDate",
            "lastCompletedAt",
            "history",
            "updatedAt",
        ],
    );
    assert_keys(
        "an enrolment history item",
        &got["enrolment"]["history"][0],
        &[
            "type",
            "completionId",
            "previousStatus",
            "nextStatus",
            "createdAt",
            "updatedAt",
        ],
    );

    let c = env.state.completions()[0].clone();
    let got = env
        .ok("thrive_get_completion", json!({"id": c["id"]}))
        .await;
    assert_keys(
        "a completion",
        &got["completion"],
        &[
            "id",
            "userId",
            "contentId",
            "contentVersion",
            "skills",
            "completionType",
            "hadDueDate",
            "isRPL",
            "completedAt",
            "activeUntil",
        ],
    );

    let content = env.state.contents()[0].clone();
    let got = env
        .ok("thrive_get_content", json!({"id": content["id"]}))
        .await;
    assert_keys(
        "a content record",
        &got["content"],
        &[
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
        ],
    );

    let activity = env.state.activities()[0].clone();
    let got = env
        .ok("thrive_get_activity", json!({"id": activity["id"]}))
        .await;
    let documented = [
        "id",
        "user",
        "contextId",
        "type",
        "name",
        "date",
        "contextType",
        "data",
        "with",
    ];
    let have = keys(&got["activity"]);
    for k in documented {
        assert!(have.contains(k), "an activity has {k}: {}", got["activity"]);
    }

    let cat = env.state.cpd_categories()[0].clone();
    let got = env
        .ok(
            "thrive_get_cpd_category",
            json!({"categoryId": cat["categoryId"]}),
        )
        .await;
    assert_keys("a CPD category", &got["category"], &["categoryId", "name"]);
    let entry = env.state.cpd_entries()[0].clone();
    let got = env
        .ok(
            "thrive_get_cpd_entry",
            json!({"logEntryId": entry["logEntryId"]}),
        )
        .await;
    assert_keys(
        "a CPD log entry",
        &got["entry"],
        &[
            "logEntryId",
            "userId",
            "activity",
            "category",
            "entryDate",
            "durationMinutes",
            "description",
            "isVerified",
        ],
    );
    let req = env.state.cpd_requirements()[0].clone();
    let got = env
        .ok(
            "thrive_get_cpd_requirement",
            json!({"audienceRequirementId": req["audienceRequirementId"]}),
        )
        .await;
    assert_keys(
        "a CPD requirement summary",
        &got["requirement"],
        &[
            "audienceRequirementId",
            "audienceId",
            "requiredMinutes",
            "createdAt",
            "updatedAt",
        ],
    );

    let tag = env.state.tags()[0].clone();
    let got = env.ok("thrive_get_tag", json!({"tagId": tag["id"]})).await;
    assert_keys(
        "a tag",
        &got["tag"],
        &["tag", "id", "contents", "campaigns", "interests", "skills"],
    );
    let levels = env.ok("thrive_get_skill_levels", json!({})).await;
    for l in array(&levels["levels"]) {
        assert_keys("a skill level", l, &["name", "isEnabled", "value"]);
    }
}

// ----- coverage -----

#[test]
fn every_catalogue_tool_has_a_sandbox_test() {
    let covered: BTreeSet<&str> = COVERED.iter().copied().collect();
    assert_eq!(covered.len(), COVERED.len(), "COVERED lists an id twice");
    let catalogue: BTreeSet<&str> = Catalogue::global().tools().map(|t| t.meta().id).collect();
    let missing: Vec<_> = catalogue.difference(&covered).collect();
    let unknown: Vec<_> = covered.difference(&catalogue).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "tools without a sandbox test: {missing:?}; covered ids not in the catalogue: {unknown:?}"
    );
    assert_eq!(
        catalogue.len(),
        53,
        "47 documented operations, test_connection and 4 provisioning tools and the member sync"
    );
}

/// `returnAll` through the catalogue reads each page with the tool's own
/// output reader as it arrives; the runtime's merge of parsed pages,
/// mapped at the end, is the reference. Both give the same output for
/// every paginated tool, over several pages, with and without a cap.
#[tokio::test]
async fn return_all_reads_pages_as_outputs_and_matches_the_merged_answer() {
    use thrive_blocks::api::exchange;
    let env = Env::start().await;
    let assignment = live_assignments(&env)
        .into_iter()
        .max_by_key(|a| env.state.enrolments(&text(&a["id"])).len())
        .unwrap();
    let needs = json!({
        "audienceId": "aud-account-execs",
        "assignmentId": assignment["id"],
        "entryDateFrom": "2020-01-01T00:00:00",
        "entryDateTo": "2030-12-31T23:59:59",
    });
    let cat = Catalogue::global();
    let mut compared = Vec::new();
    for tool in cat.tools().filter(|t| t.meta().paging.is_paginated()) {
        let id = tool.meta().id;
        let required = tool.input_schema()["required"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut params = json!({"returnAll": true, "perPage": 2});
        for name in required.iter().filter_map(Value::as_str) {
            if let Some(v) = needs.get(name) {
                params[name] = v.clone();
            }
        }
        for cap in [None, Some(3)] {
            if let Some(cap) = cap {
                params["maxResults"] = json!(cap);
            }
            let input = env.input(params.clone());
            let direct = cat.execute(id, input.clone(), &env.ctx).await;
            let prepared = tool.prepare(input).unwrap();
            let merged = exchange::run(&env.ctx, &prepared)
                .await
                .and_then(|r| tool.output(r));
            match (direct, merged) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{id} with maxResults {cap:?}");
                    let list = a
                        .as_object()
                        .unwrap()
                        .values()
                        .find_map(Value::as_array)
                        .unwrap();
                    compared.push((id, list.len()));
                }
                (a, b) => panic!("{id}: direct {a:?}, merged {b:?}"),
            }
        }
    }
    assert_eq!(compared.len(), 2 * 13, "{compared:?}");
    // Most tools have more than one page of seeded items at perPage 2.
    let several = compared.iter().filter(|(_, n)| *n > 2).count();
    assert!(several >= 10, "{compared:?}");
}

// ----- the JSON door's two outputs -----

#[tokio::test]
async fn execute_text_writes_the_same_output_as_execute() {
    let env = Env::start().await;
    let user = env.live_users().into_iter().next().expect("a seeded user");
    let steps = [
        ("thrive_get_user_by_ref", json!({"ref": user["ref"]})),
        ("thrive_search_users", json!({"perPage": 5})),
        (
            "thrive_search_users",
            json!({"perPage": 50, "returnAll": true}),
        ),
        ("thrive_list_audiences", json!({})),
    ];
    for (id, params) in steps {
        let value = env.ok(id, params.clone()).await;
        let text = Catalogue::global()
            .execute_text(id, env.input(params.clone()), &env.ctx)
            .await
            .unwrap_or_else(|e| panic!("{id}: {}", e.to_json()));
        let parsed: Value = serde_json::from_str(&text).expect("JSON text");
        assert_eq!(parsed, value, "{id} with {params}");
        // Field order is the typed output's, as `execute` gives it.
        assert_eq!(text, value.to_string(), "{id} with {params}");
    }
    // A refused input is the same error through both.
    let a = env.err("thrive_get_user_by_ref", json!({})).await;
    let b = Catalogue::global()
        .execute_text("thrive_get_user_by_ref", env.input(json!({})), &env.ctx)
        .await
        .expect_err("refused");
    assert_eq!(a.to_json(), b.to_json());
}
