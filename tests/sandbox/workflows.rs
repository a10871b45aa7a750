//! Workflows across tools, run through the catalogue against the sandbox as
//! a workflow engine would run them, with every step checked against the
//! sandbox's state.

#![cfg(feature = "sandbox")]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use thrive_blocks::{Catalogue, ErrorCode};

const MEMBERS_ROUTE: &str = "/rest/v1/audiences/{audienceId}/members";

fn set(items: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    items.into_iter().collect()
}

/// Creates a structure and returns its id.
async fn structure(env: &Env, reference: &str) -> String {
    let out = env
        .ok(
            "thrive_create_audience",
            json!({"name": format!("Structure {reference}"), "reference": reference, "category": "structure"}),
        )
        .await;
    text(&out["audience"]["id"])
}

/// Creates a child audience under `parent` and returns its id.
async fn child(env: &Env, reference: &str, parent: &str) -> String {
    let out = env
        .ok(
            "thrive_create_audience",
            json!({"name": format!("Audience {reference}"), "reference": reference,
                   "parentId": parent, "category": "audience"}),
        )
        .await;
    text(&out["audience"]["id"])
}

/// Creates a learner and returns the created lifecycle object.
async fn user(env: &Env, reference: &str, first: &str, last: &str) -> Value {
    let email = format!(
        "{}.{}@example.com",
        first.to_lowercase(),
        last.to_lowercase()
    );
    let out = env
        .ok(
            "thrive_create_user",
            json!({"ref": reference, "firstName": first, "lastName": last, "email": email,
                   "role": "learner", "startDate": "2025-10-01T09:00:00.000Z"}),
        )
        .await;
    out["user"].clone()
}

#[tokio::test]
async fn onboarding_from_structure_to_completion() {
    let env = Env::start().await;

    // Structure and a child audience for the new starters.
    let ops = structure(&env, "wf-ops").await;
    let starters = child(&env, "wf-ops-starters", &ops).await;
    assert_eq!(
        env.state.audience(&starters).unwrap()["parent"]["id"],
        ops,
        "the child audience sits in the structure"
    );

    // New starters and their line manager.
    let priya = user(&env, "WF-1001", "Priya", "Shah").await;
    let tom = user(&env, "WF-1002", "Tom", "Baker").await;
    let ana = user(&env, "WF-1003", "Ana", "Silva").await;
    let grace = user(&env, "WF-1000", "Grace", "Hopper").await;
    for u in [&priya, &tom, &ana, &grace] {
        let stored = env.state.user_by_ref(&text(&u["ref"])).expect("created");
        assert_eq!(stored["id"], u["id"]);
    }

    // Add the starters, one address deliberately unknown: a partial result.
    let out = env
        .ok(
            "thrive_add_audience_members",
            json!({"audienceId": starters, "users": [
                text(&priya["email"]), text(&tom["ref"]), text(&ana["id"]), "no.such.person@example.com"]}),
        )
        .await;
    assert_eq!(out["partial"], true);
    assert_eq!(out["result"]["success"]["count"].as_u64(), Some(3));
    assert_eq!(
        out["result"]["failure"],
        json!({"count": 1, "entities": [{"reason": "User does not exist.", "reference": "no.such.person@example.com"}]})
    );
    let member_ids =
        set([priya["id"].clone(), tom["id"].clone(), ana["id"].clone()].map(|v| text(&v)));
    assert_eq!(set(env.state.members(&starters)), member_ids);

    // The line manager becomes an audience manager.
    let out = env
        .ok(
            "thrive_add_audience_managers",
            json!({"audienceId": starters, "managers": [{"reference": "WF-1000", "permissions": {
                "audienceManager": {"manageContent": true, "assignments": true},
                "peopleManager": {"canViewLearnPage": true, "insights": true, "manage": false}}}]}),
        )
        .await;
    assert_eq!(out["partial"], false);
    let managers = env.state.managers(&starters);
    assert_eq!(managers.len(), 1);
    assert_eq!(managers[0]["userId"], grace["id"]);
    assert_eq!(
        managers[0]["permissions"]["audienceManager"]["assignments"],
        true
    );

    // Assign content: every member gets an open enrolment.
    let content = env
        .ok(
            "thrive_query_content",
            json!({"types": "elearning", "perPage": 1}),
        )
        .await;
    let content_id = text(&content["results"][0]["id"]);
    let out = env
        .ok(
            "thrive_create_assignment",
            json!({"audienceId": starters, "contentId": content_id, "completionPeriod": 30}),
        )
        .await;
    let assignment = text(&out["assignment"]["id"]);
    assert_eq!(out["assignment"]["completionPeriod"], 30);
    assert_eq!(out["assignment"]["primaryContentId"], content_id);

    let out = env
        .ok(
            "thrive_list_enrolments",
            json!({"assignmentId": assignment}),
        )
        .await;
    let enrolments = array(&out["enrolments"]).clone();
    assert_eq!(enrolments.len(), 3, "one enrolment per member");
    assert_eq!(set(strings(&out["enrolments"], "userId")), member_ids);
    assert!(
        enrolments.iter().all(|e| e["status"] == "open"),
        "{enrolments:?}"
    );
    assert_eq!(
        out["enrolments"],
        Value::Array(env.state.enrolments(&assignment))
    );

    // Priya completes the content in the external player.
    let out = env
        .ok(
            "thrive_create_completion",
            json!({"userId": priya["id"], "contentId": content_id, "completedAt": "2025-10-03T14:30:00.000Z"}),
        )
        .await;
    let statement = text(&out["statementId"]);
    assert!(!statement.is_empty());

    // Her enrolment is now complete; the others stay open.
    let out = env
        .ok(
            "thrive_list_enrolments",
            json!({"assignmentId": assignment, "status": "complete"}),
        )
        .await;
    let complete = array(&out["enrolments"]);
    assert_eq!(complete.len(), 1);
    assert_eq!(complete[0]["userId"], priya["id"]);
    let one = env
        .ok(
            "thrive_get_enrolment",
            json!({"assignmentId": assignment, "enrolmentId": complete[0]["id"]}),
        )
        .await;
    assert_eq!(one["enrolment"]["status"], "complete");
    assert_eq!(
        one["enrolment"]["lastCompletedAt"],
        "2025-10-03T14:30:00.000Z"
    );
    let out = env
        .ok(
            "thrive_list_enrolments",
            json!({"assignmentId": assignment, "status": "open"}),
        )
        .await;
    assert_eq!(
        set(strings(&out["enrolments"], "userId")),
        set([text(&tom["id"]), text(&ana["id"])])
    );

    // Her completion record is listed.
    let out = env
        .ok("thrive_list_completions", json!({"userId": priya["id"]}))
        .await;
    let records = array(&out["completions"]);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["contentId"], content_id);
    assert_eq!(records[0]["completedAt"], "2025-10-03T14:30:00.000Z");
    let stored: Vec<Value> = env
        .state
        .completions()
        .into_iter()
        .filter(|c| c["userId"] == priya["id"])
        .collect();
    assert_eq!(out["completions"], Value::Array(stored));
    let got = env
        .ok("thrive_get_completion", json!({"id": statement}))
        .await;
    assert_eq!(got["completion"], records[0]);
}

#[tokio::test]
async fn membership_replace_and_removal() {
    let env = Env::start().await;
    let s = structure(&env, "wf-members").await;
    let a = child(&env, "wf-members-team", &s).await;
    let ids = env.state.insert_users(5);
    let refs: Vec<String> = ids
        .iter()
        .map(|id| text(&env.state.user(id).unwrap()["ref"]))
        .collect();

    env.ok(
        "thrive_add_audience_members",
        json!({"audienceId": a, "users": refs[..4]}),
    )
    .await;
    assert_eq!(set(env.state.members(&a)), set(ids[..4].to_vec()));

    // Replace keeps only the given users (one kept, one new).
    let out = env
        .ok(
            "thrive_replace_audience_members",
            json!({"audienceId": a, "users": [refs[0], refs[4]]}),
        )
        .await;
    assert_eq!(out["partial"], false);
    assert_eq!(
        out["result"],
        json!({"success": {"count": 2, "entities": [{"reference": refs[0]}, {"reference": refs[4]}]}})
    );
    assert_eq!(
        set(env.state.members(&a)),
        set([ids[0].clone(), ids[4].clone()])
    );
    let out = env
        .ok("thrive_list_audience_members", json!({"audienceId": a}))
        .await;
    assert_eq!(
        set(strings(&out["results"], "userId")),
        set([ids[0].clone(), ids[4].clone()])
    );
    assert_eq!(out["pagination"], pagination(2, 1, 100));

    // Remove one member by ref.
    let out = env
        .ok(
            "thrive_remove_audience_member",
            json!({"audienceId": a, "userRef": refs[4]}),
        )
        .await;
    assert_eq!(out["success"], true);
    assert_eq!(env.state.members(&a), vec![ids[0].clone()]);

    // Replace is never split: more than 100 users, or none, is refused
    // before anything is sent.
    env.sandbox.reset_stats();
    let many: Vec<String> = (0..101).map(|i| format!("user{i}@example.com")).collect();
    let err = env
        .err(
            "thrive_replace_audience_members",
            json!({"audienceId": a, "users": serde_json::to_string(&many).unwrap()}),
        )
        .await;
    assert_error(&err, ErrorCode::InvalidInput, None);
    assert_eq!(err.attempts(), 0);
    let err = env
        .err(
            "thrive_replace_audience_members",
            json!({"audienceId": a, "users": "[]"}),
        )
        .await;
    assert_error(&err, ErrorCode::InvalidInput, None);
    let err = env
        .err(
            "thrive_replace_audience_members",
            json!({"audienceId": a, "users": []}),
        )
        .await;
    assert_error(&err, ErrorCode::InvalidInput, None);
    assert_eq!(env.sandbox.stats().total_requests, 0, "nothing was sent");
    assert_eq!(
        env.state.members(&a),
        vec![ids[0].clone()],
        "membership unchanged"
    );
}

#[tokio::test]
async fn audience_moves_between_structures() {
    let env = Env::start().await;
    let from = structure(&env, "wf-from").await;
    let to = structure(&env, "wf-to").await;
    let team = child(&env, "wf-team", &from).await;
    let sibling = child(&env, "wf-sibling", &from).await;
    let ids = env.state.insert_users(3);
    let refs: Vec<String> = ids
        .iter()
        .map(|id| text(&env.state.user(id).unwrap()["ref"]))
        .collect();
    env.ok(
        "thrive_add_audience_members",
        json!({"audienceId": team, "users": refs[..2]}),
    )
    .await;

    // A clean move: the members follow, the answer lists them.
    let out = env
        .ok(
            "thrive_update_audience",
            json!({"audienceId": team, "parentId": to}),
        )
        .await;
    assert_eq!(out["partial"], false);
    let ops = &out["audience"]["memberOperations"];
    assert!(ops.is_object(), "a move reports memberOperations: {out}");
    assert_eq!(
        set(strings(&ops["success"]["entities"], "reference")),
        set(refs[..2].to_vec())
    );
    assert!(ops.get("failure").is_none());
    let got = env
        .ok("thrive_get_audience", json!({"audienceId": team}))
        .await;
    assert_eq!(
        got["audience"]["parent"]["id"], to,
        "the new parent is shown"
    );
    assert_eq!(got["audience"]["parent"]["reference"], "wf-to");
    for id in &ids[..2] {
        assert!(
            env.state.members(&to).contains(id),
            "{id} is in the new structure"
        );
        assert!(
            !env.state.members(&from).contains(id),
            "{id} left the old structure"
        );
    }

    // A member who also belongs to a sibling audience cannot leave the old
    // structure: 207 with that member in failure.
    env.ok(
        "thrive_add_audience_members",
        json!({"audienceId": sibling, "users": [refs[2]]}),
    )
    .await;
    let roamer = child(&env, "wf-roamer", &from).await;
    env.ok(
        "thrive_add_audience_members",
        json!({"audienceId": roamer, "users": [refs[2]]}),
    )
    .await;
    let out = env
        .ok(
            "thrive_update_audience",
            json!({"audienceId": roamer, "parentId": to}),
        )
        .await;
    assert_eq!(out["partial"], true, "{out}");
    let ops = &out["audience"]["memberOperations"];
    assert_eq!(
        strings(&ops["failure"]["entities"], "reference"),
        [refs[2].clone()]
    );
    assert_eq!(env.state.audience(&roamer).unwrap()["parent"]["id"], to);

    // A refused move (under a child audience) is unprocessable; nothing moves.
    let err = env
        .err(
            "thrive_update_audience",
            json!({"audienceId": team, "parentId": sibling}),
        )
        .await;
    assert_error(&err, ErrorCode::Unprocessable, Some(422));
    assert_eq!(env.state.audience(&team).unwrap()["parent"]["id"], to);
}

#[tokio::test]
async fn manager_permission_changes() {
    let env = Env::start().await;
    let s = structure(&env, "wf-mgr-struct").await;
    let c = child(&env, "wf-mgr-team", &s).await;
    let ids = env.state.insert_users(2);
    let refs: Vec<String> = ids
        .iter()
        .map(|id| text(&env.state.user(id).unwrap()["ref"]))
        .collect();

    env.ok(
        "thrive_add_audience_managers",
        json!({"audienceId": c, "managers": [{"reference": refs[0], "permissions": {
            "audienceManager": {"manageContent": true},
            "peopleManager": {"insights": true}}}]}),
    )
    .await;
    let out = env
        .ok("thrive_list_audience_managers", json!({"audienceId": c}))
        .await;
    let listed = array(&out["managers"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["userId"], ids[0]);
    let p = &listed[0]["permissions"];
    assert_eq!(p["audienceManager"]["manageContent"], true);
    assert_eq!(
        p["audienceManager"]["assignments"], false,
        "unsent booleans are false"
    );
    assert_eq!(p["peopleManager"]["insights"], true);
    assert_eq!(p["peopleManager"]["manage"], false);

    // Replace with changed permissions and a second manager.
    let out = env
        .ok(
            "thrive_replace_audience_managers",
            json!({"audienceId": c, "managers": [
                {"reference": refs[0], "permissions": {"audienceManager": {"assignments": true},
                                                       "peopleManager": {"manage": true}}},
                {"reference": refs[1], "permissions": {"peopleManager": {"canViewLearnPage": true}}}]}),
        )
        .await;
    assert_eq!(out["partial"], false);
    assert_eq!(out["result"]["success"]["count"].as_u64(), Some(2));
    let out = env
        .ok("thrive_list_audience_managers", json!({"audienceId": c}))
        .await;
    let listed = array(&out["managers"]);
    assert_eq!(set(strings(&out["managers"], "userId")), set(ids.clone()));
    let first = listed.iter().find(|m| m["userId"] == ids[0]).unwrap();
    assert_eq!(
        first["permissions"]["audienceManager"]["manageContent"], false,
        "replaced"
    );
    assert_eq!(first["permissions"]["audienceManager"]["assignments"], true);
    assert_eq!(
        first["permissions"]["peopleManager"]["insights"], false,
        "replaced"
    );
    assert_eq!(first["permissions"]["peopleManager"]["manage"], true);
    let second = listed.iter().find(|m| m["userId"] == ids[1]).unwrap();
    assert_eq!(
        second["permissions"]["peopleManager"]["canViewLearnPage"],
        true
    );
    for m in listed {
        assert!(
            m["permissions"]["administrator"].is_null(),
            "no administrator set on a child audience: {m}"
        );
    }
    assert_eq!(env.state.managers(&c).len(), 2);

    // Administrator permissions exist only on structures.
    env.ok(
        "thrive_add_audience_managers",
        json!({"audienceId": s, "managers": [{"reference": refs[1], "permissions": {
            "administrator": {"canAddAudienceManagers": true}}}]}),
    )
    .await;
    let out = env
        .ok("thrive_list_audience_managers", json!({"audienceId": s}))
        .await;
    let listed = array(&out["managers"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0]["permissions"]["administrator"]["canAddAudienceManagers"],
        true
    );
    assert_eq!(
        listed[0]["permissions"]["administrator"]["canManageAudiences"],
        false
    );
}

#[tokio::test]
async fn assignment_update_and_delete() {
    let env = Env::start().await;
    let content = text(&env.state.contents()[9]["id"]);
    let audience = env.audience_id("aud-quality");
    let out = env
        .ok(
            "thrive_create_assignment",
            json!({"audienceId": "aud-quality", "contentId": content, "completionPeriod": 30}),
        )
        .await;
    let id = text(&out["assignment"]["id"]);
    assert_eq!(out["assignment"]["audienceId"], audience);

    let out = env
        .ok(
            "thrive_update_assignment",
            json!({"assignmentId": id, "audienceId": audience, "completionPeriod": 90}),
        )
        .await;
    assert_eq!(out["assignment"]["completionPeriod"], 90);
    let got = env
        .ok("thrive_get_assignment", json!({"assignmentId": id}))
        .await;
    assert_eq!(got["assignment"]["completionPeriod"], 90);
    assert_eq!(got["assignment"]["primaryContentId"], content, "unchanged");
    assert_eq!(env.state.assignment(&id).unwrap()["completionPeriod"], 90);

    let out = env
        .ok(
            "thrive_delete_assignment",
            json!({"assignmentId": id, "audienceId": audience}),
        )
        .await;
    assert_eq!(out["success"], true);
    let err = env
        .err("thrive_get_assignment", json!({"assignmentId": id}))
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
    let out = env
        .ok("thrive_list_assignments", json!({"audienceId": audience}))
        .await;
    assert!(
        array(&out["assignments"]).iter().all(|a| a["id"] != id),
        "a deleted assignment is not listed"
    );
    assert_eq!(env.state.assignment(&id).unwrap()["isDeleted"], true);
}

#[tokio::test]
async fn offboarding_keeps_history() {
    let env = Env::start().await;
    // A live user with completion history.
    let completions = env.state.completions();
    let (id, reference) = completions
        .iter()
        .find_map(|c| {
            let u = env.state.user(&text(&c["userId"]))?;
            (u["deleted"] == false && u["status"] == "active")
                .then(|| (text(&u["id"]), text(&u["ref"])))
        })
        .expect("an active user with completions");
    let history: Vec<Value> = completions
        .iter()
        .filter(|c| c["userId"] == id)
        .cloned()
        .collect();

    // Suspend (no end date), then delete.
    let out = env
        .ok("thrive_suspend_user", json!({"ref": reference}))
        .await;
    assert_eq!(out["user"]["active"], false);
    assert_eq!(
        env.state.user_by_ref(&reference).unwrap()["status"],
        "inactive"
    );

    let out = env
        .ok("thrive_delete_user", json!({"ref": reference}))
        .await;
    assert_eq!(out["success"], true);

    let err = env
        .err("thrive_get_user_by_ref", json!({"ref": reference}))
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
    let err = env.err("thrive_get_user_by_id", json!({"id": id})).await;
    assert_error(&err, ErrorCode::NotFound, Some(404));

    // Training history is kept under the internal id.
    let out = env
        .ok("thrive_list_completions", json!({"userId": id}))
        .await;
    assert_eq!(out["completions"], Value::Array(history));
    let search = env
        .ok(
            "thrive_search_users",
            json!({"returnAll": true, "perPage": 1000}),
        )
        .await;
    assert!(
        array(&search["results"]).iter().all(|u| u["id"] != id),
        "a deleted user is not searchable"
    );
}

#[tokio::test]
async fn return_all_pages_through_every_user_once() {
    let env = Env::start().await;
    env.state.insert_users(1200);
    let live: Vec<String> = env.live_users().iter().map(|u| text(&u["id"])).collect();
    assert_eq!(live.len(), 1500);

    env.sandbox.reset_stats();
    let out = env
        .ok(
            "thrive_search_users",
            json!({"returnAll": true, "perPage": 250}),
        )
        .await;
    let got = strings(&out["results"], "id");
    assert_eq!(got.len(), live.len(), "no user twice, none missing");
    assert_eq!(set(got.clone()), set(live.clone()));
    assert_eq!(got, live, "in the server's order");
    assert_eq!(out["pagination"]["totalResults"], 1500);
    assert_eq!(
        env.sandbox.stats().count("GET", "/rest/v1/users"),
        6,
        "1500 users at 250 per page"
    );
}

#[tokio::test]
async fn chunked_add_of_250_members() {
    let env = Env::start().await;
    let s = structure(&env, "wf-bulk").await;
    let a = child(&env, "wf-bulk-team", &s).await;
    let ids = env.state.insert_users(250);

    env.sandbox.reset_stats();
    let out = env
        .ok(
            "thrive_add_audience_members",
            json!({"audienceId": a, "users": serde_json::to_string(&ids).unwrap()}),
        )
        .await;
    assert_eq!(out["partial"], false);
    assert_eq!(out["result"]["success"]["count"].as_u64(), Some(250));
    assert_eq!(
        strings(&out["result"]["success"]["entities"], "reference"),
        ids
    );
    assert_eq!(
        env.sandbox.stats().count("POST", MEMBERS_ROUTE),
        3,
        "100 + 100 + 50"
    );
    let members = env.state.members(&a);
    assert_eq!(members.len(), 250);
    assert_eq!(set(members), set(ids));
}

#[tokio::test]
async fn oauth_client_credentials_against_the_sandbox() {
    let env = Env::start().await;

    // Client id + client secret get a bearer token.
    let out = env
        .run_raw("thrive_test_connection", env.oauth_connection(None))
        .await
        .expect("test connection runs");
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["authMethod"], "oauth2");
    let input = merge(
        env.oauth_connection(None),
        json!({"ref": "OAUTH-1", "firstName": "Olu", "lastName": "Auth", "email": "olu@example.com"}),
    );
    let created = env
        .run_raw("thrive_create_user", input)
        .await
        .expect("api/all may write");
    assert_eq!(
        env.state.user_by_ref("OAUTH-1").unwrap()["id"],
        created["user"]["id"]
    );
    assert_eq!(env.sandbox.stats().tokens_issued, 1, "one cached token");

    // A read-only scope may read but not write.
    let read_only = env.oauth_connection(Some("api/read"));
    let out = env
        .run_raw(
            "thrive_search_users",
            merge(read_only.clone(), json!({"perPage": 1})),
        )
        .await
        .expect("api/read may read");
    assert_eq!(out["pagination"]["totalResults"], env.state.user_count());
    let err = env
        .run_raw(
            "thrive_create_user",
            merge(read_only, json!({"ref": "OAUTH-2", "firstName": "R", "lastName": "O", "email": "ro@example.com"})),
        )
        .await
        .expect_err("api/read may not write");
    assert_error(&err, ErrorCode::Forbidden, Some(403));
    assert!(
        env.state.user_by_ref("OAUTH-2").is_none(),
        "nothing was written"
    );
    let issued = env.sandbox.stats().tokens_issued;
    assert_eq!(issued, 2, "one token per scope");

    // Revoked tokens are renewed on the 401 and the call still succeeds.
    env.state.revoke_tokens();
    let out = env
        .run_raw(
            "thrive_get_user_by_ref",
            merge(env.oauth_connection(None), json!({"ref": "OAUTH-1"})),
        )
        .await
        .expect("the client renews a revoked token");
    assert_eq!(out["user"]["id"], created["user"]["id"]);
    assert_eq!(env.sandbox.stats().tokens_issued, issued + 1, "one renewal");

    // A wrong client secret is refused by the token endpoint (a fresh
    // context: see `oauth_cached_token_is_not_served_to_a_wrong_secret`).
    let mut bad = env.oauth_connection(None);
    bad["apiKey"] = json!("not-the-secret");
    let err = Catalogue::global()
        .execute(
            "thrive_search_users",
            merge(bad, json!({"perPage": 1})),
            &env.fresh_context(),
        )
        .await
        .expect_err("wrong secret");
    assert_error(&err, ErrorCode::AuthFailed, Some(401));
}

/// A token earned by the right client secret is never served to a call in
/// the same context that gives a wrong secret: the secret is part of the
/// cache key (as a keyed hash).
#[tokio::test]
async fn oauth_cached_token_is_not_served_to_a_wrong_secret() {
    let env = Env::start().await;
    env.run_raw(
        "thrive_search_users",
        merge(env.oauth_connection(None), json!({"perPage": 1})),
    )
    .await
    .expect("the right secret works");
    let mut bad = env.oauth_connection(None);
    bad["apiKey"] = json!("not-the-secret");
    let err = env
        .run_raw("thrive_search_users", merge(bad, json!({"perPage": 1})))
        .await
        .expect_err("a wrong secret must not reuse the cached token");
    assert_error(&err, ErrorCode::AuthFailed, Some(401));
}
