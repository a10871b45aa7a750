//! `thrive_sync_audience_members` against the sandbox: the final membership,
//! the counts, the failures, the calls made, and the resumable steps.

#![cfg(feature = "sandbox")]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use thrive_blocks::sync::{MemberSync, SyncStep};
use thrive_blocks::{Catalogue, ErrorCode};

const SYNC: &str = "thrive_sync_audience_members";
const MEMBERS: &str = "/rest/v1/audiences/{audienceId}/members";
const MEMBER: &str = "/rest/v1/audiences/{audienceId}/members/{userRef}";

/// An empty child audience created through the API; returns its id.
async fn new_audience(env: &Env, reference: &str) -> String {
    let structure = env
        .ok(
            "thrive_create_audience",
            json!({"name": format!("{reference} org"), "reference": format!("{reference}-org"), "category": "structure"}),
        )
        .await;
    let out = env
        .ok(
            "thrive_create_audience",
            json!({
                "name": reference,
                "reference": reference,
                "category": "audience",
                "parentId": structure["audience"]["id"],
            }),
        )
        .await;
    text(&out["audience"]["id"])
}

/// The refs of `n` new users (`bulk-NNNN`).
fn bulk_refs(env: &Env, n: usize) -> Vec<String> {
    let ids = env.state.insert_users(n);
    ids.iter()
        .map(|id| text(&env.state.user(id).expect("inserted user")["ref"]))
        .collect()
}

/// Adds `users` to the audience directly through the add tool.
async fn seed_members(env: &Env, audience: &str, users: &[String]) {
    let out = env
        .ok(
            "thrive_add_audience_members",
            json!({"audienceId": audience, "users": users}),
        )
        .await;
    assert_eq!(out["partial"], false, "seeding members: {out}");
}

/// The audience's members as refs, read from the sandbox's state.
fn member_refs(env: &Env, audience: &str) -> BTreeSet<String> {
    env.state
        .members(audience)
        .iter()
        .map(|id| text(&env.state.user(id).expect("member is a user")["ref"]))
        .collect()
}

/// 250 target users against 120 current members, 70 of them in both; the
/// target also names 3 users who do not exist and one member twice.
struct Scenario {
    env: Env,
    audience: String,
    target: Vec<String>,
    expected: BTreeSet<String>,
    unknown: Vec<String>,
}

async fn scenario() -> Scenario {
    let env = Env::start().await;
    let audience = new_audience(&env, "sync-target").await;
    let refs = bulk_refs(&env, 300);
    // current: refs[0..120]; target: refs[50..297] (70 kept, 177 new) + 3 unknown.
    let current = &refs[0..120];
    seed_members(&env, &audience, &current[..100]).await;
    seed_members(&env, &audience, &current[100..]).await;
    let mut target: Vec<String> = refs[50..297].to_vec();
    let unknown: Vec<String> = (0..3)
        .map(|i| format!("ghost-{i}@nowhere.example"))
        .collect();
    target.extend(unknown.iter().cloned());
    // The same member a second time, by email in another case.
    let email = text(&env.state.user_by_ref(&refs[60]).expect("user")["email"]);
    target.push(email.to_uppercase());
    assert_eq!(target.len(), 251);
    let expected = refs[50..297].iter().cloned().collect();
    env.sandbox.reset_stats();
    Scenario {
        env,
        audience,
        target,
        expected,
        unknown,
    }
}

#[tokio::test]
async fn sync_makes_the_members_equal_the_target_and_reports_every_failure() {
    let s = scenario().await;
    let out = s
        .env
        .ok(SYNC, json!({"audienceId": s.audience, "users": s.target}))
        .await;

    assert_eq!(member_refs(&s.env, &s.audience), s.expected);
    let failures: Vec<Value> = s
        .unknown
        .iter()
        .map(|u| json!({"operation": "add", "user": u, "reason": "User does not exist."}))
        .collect();
    assert_eq!(
        out,
        json!({
            "dryRun": false,
            "audienceId": s.audience,
            "current": 120,
            "target": 250,
            "unchanged": 70,
            "duplicates": 1,
            "toAdd": 180,
            "toRemove": 50,
            "steps": 3,
            "requests": {"reads": 1, "adds": 2, "removes": 50, "total": 53},
            "added": 177,
            "removed": 50,
            "alreadyAbsent": 0,
            "failed": 3,
            "failures": failures,
            "partial": true
        })
    );
    // Exactly the planned calls: one page read, two adds, fifty removes.
    let stats = s.env.sandbox.stats();
    assert_eq!(stats.count("GET", MEMBERS), 1);
    assert_eq!(stats.count("POST", MEMBERS), 2);
    assert_eq!(stats.count("DELETE", MEMBER), 50);
    assert_eq!(stats.total_requests, 53);
}

#[tokio::test]
async fn dry_run_returns_the_plan_and_sends_no_write() {
    let s = scenario().await;
    let before = member_refs(&s.env, &s.audience);
    let out = s
        .env
        .ok(
            SYNC,
            json!({"audienceId": s.audience, "users": s.target, "dryRun": true}),
        )
        .await;

    assert_eq!(member_refs(&s.env, &s.audience), before);
    let stats = s.env.sandbox.stats();
    assert_eq!(stats.count("GET", MEMBERS), 1);
    assert_eq!(stats.total_requests, 1, "a dry run only reads");
    assert_eq!(out["dryRun"], true);
    assert_eq!(out["toAdd"], 180);
    assert_eq!(out["toRemove"], 50);
    assert_eq!(out["added"], 0);
    assert_eq!(out["failures"], json!([]));
    let plan_add = strings_of(&out["planAdd"]);
    assert_eq!(plan_add.len(), 180);
    assert_eq!(plan_add[..177], s.target[70..247]);
    assert_eq!(plan_add[177..], s.unknown[..]);
    // Removals are named by user id: the first 50 current members.
    let removed: BTreeSet<String> = strings_of(&out["planRemove"])
        .iter()
        .map(|id| text(&s.env.state.user(id).expect("a user id")["ref"]))
        .collect();
    let expected: BTreeSet<String> = before.difference(&s.expected).cloned().collect();
    assert_eq!(removed, expected);
    // ... and shown with their references, for a person reading the plan.
    let named: BTreeSet<String> = array(&out["planRemoveUsers"])
        .iter()
        .map(|u| text(&u["reference"]))
        .collect();
    assert_eq!(named, expected);
}

fn strings_of(v: &Value) -> Vec<String> {
    array(v).iter().map(text).collect()
}

#[tokio::test]
async fn reading_more_than_one_page_follows_every_page() {
    let env = Env::start().await;
    let audience = new_audience(&env, "big").await;
    let refs = bulk_refs(&env, 1100);
    for chunk in refs[..1050].chunks(100) {
        seed_members(&env, &audience, chunk).await;
    }
    env.sandbox.reset_stats();
    let out = env
        .ok(
            SYNC,
            json!({"audienceId": audience, "users": refs[50..].to_vec()}),
        )
        .await;
    assert_eq!(out["current"], 1050);
    assert_eq!(out["requests"]["reads"], 2);
    assert_eq!(env.sandbox.stats().count("GET", MEMBERS), 2);
    assert_eq!(out["added"], 50);
    assert_eq!(out["removed"], 50);
    assert_eq!(
        member_refs(&env, &audience),
        refs[50..].iter().cloned().collect::<BTreeSet<_>>()
    );
}

#[tokio::test]
async fn a_step_run_again_after_an_interruption_changes_nothing_and_counts_absent_members() {
    let s = scenario().await;
    let connection = thrive_blocks::params::Connection::from_input(&s.env.connection())
        .expect("the sandbox connection");
    let sync = MemberSync::new(&s.env.ctx, connection);
    let plan = sync.plan(&s.audience, &s.target).await.expect("plan");
    let steps = plan.steps();
    assert_eq!(steps.len(), 3);
    assert!(matches!(steps[2], SyncStep::Remove { index: 2, .. }));

    let mut first = Vec::new();
    for step in &steps {
        first.push(sync.run_step(&s.audience, step).await.expect("step"));
    }
    // The process "crashed" after the last step ran but before its result
    // was recorded: the engine runs it again.
    let again_add = sync.run_step(&s.audience, &steps[0]).await.expect("re-add");
    let again_remove = sync
        .run_step(&s.audience, &steps[2])
        .await
        .expect("re-remove");
    assert_eq!(first[2].removed, 50);
    assert_eq!((again_remove.removed, again_remove.already_absent), (0, 50));
    assert_eq!(
        again_add.added, first[0].added,
        "adding a member again is a success"
    );
    assert_eq!(member_refs(&s.env, &s.audience), s.expected);
}

#[tokio::test]
async fn a_failed_call_of_a_remove_step_is_the_only_one_run_again() {
    let s = scenario().await;
    let connection = thrive_blocks::params::Connection::from_input(&s.env.connection())
        .expect("the sandbox connection");
    let sync = MemberSync::new(&s.env.ctx, connection);
    let plan = sync.plan(&s.audience, &s.target).await.expect("plan");
    let steps = plan.steps();
    for step in &steps[..2] {
        sync.run_step(&s.audience, step).await.expect("add step");
    }
    let remove = &steps[2];
    assert_eq!(remove.calls(), 50);
    let mut outcome = thrive_blocks::sync::StepOutcome {
        index: remove.index(),
        ..Default::default()
    };
    for call in 0..10 {
        sync.run_call(&s.audience, remove, call, &mut outcome)
            .await
            .expect("remove call");
    }
    s.env.sandbox.reset_stats();
    // The 11th call meets a 503 (a write: the runtime does not resend it).
    s.env
        .sandbox
        .queue_faults([thrive_sandbox::OneShotFault::Status(503)]);
    let before = outcome.clone();
    let err = sync
        .run_call(&s.audience, remove, 10, &mut outcome)
        .await
        .expect_err("the injected 503");
    assert_eq!(err.code(), ErrorCode::Upstream);
    assert_eq!(outcome, before, "a failed call adds nothing");
    // Only that call is sent again, then the rest.
    for call in 10..50 {
        sync.run_call(&s.audience, remove, call, &mut outcome)
            .await
            .expect("remove call");
    }
    assert_eq!((outcome.removed, outcome.already_absent), (50, 0));
    assert_eq!(s.env.sandbox.stats().count("DELETE", MEMBER), 41);
    let beyond = sync
        .run_call(&s.audience, remove, 50, &mut outcome)
        .await
        .expect_err("no call 50");
    assert_eq!(
        beyond.to_string(),
        "invalid_input: call: step 2 makes 50 call(s), there is no call 50"
    );
    assert_eq!(member_refs(&s.env, &s.audience), s.expected);
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let env = Env::start().await;
    env.sandbox.reset_stats();
    let err = env
        .err(
            SYNC,
            json!({"audienceId": "a1", "users": "[\"ok\", \" \"]"}),
        )
        .await;
    assert_error(&err, ErrorCode::InvalidInput, None);
    let pointers: Vec<String> = err.violations().into_iter().map(|v| v.pointer).collect();
    assert_eq!(pointers, vec!["/users/1".to_owned()]);
    let err = env
        .err(SYNC, json!({"audienceId": "a1", "users": "[]"}))
        .await;
    assert_error(&err, ErrorCode::InvalidInput, None);
    assert_eq!(env.sandbox.stats().total_requests, 0);
}

#[tokio::test]
async fn an_unknown_audience_stops_the_sync_with_the_error() {
    let env = Env::start().await;
    let err = env
        .err(
            SYNC,
            json!({"audienceId": "no-such-audience", "users": ["EMP-00001"]}),
        )
        .await;
    assert_error(&err, ErrorCode::NotFound, Some(404));
}

#[test]
fn the_catalogue_lists_the_sync_with_its_schema_and_manifest() {
    let catalogue = Catalogue::global();
    let tool = catalogue.get(SYNC).expect("registered");
    let manifest = tool.manifest();
    assert_eq!(manifest["id"], SYNC);
    assert_eq!(manifest["hints"]["destructive"], true);
    assert_eq!(manifest["hints"]["idempotent"], true);
    let props = &manifest["inputSchema"]["properties"];
    for field in ["tenantId", "apiKey", "audienceId", "users", "dryRun"] {
        assert!(props.get(field).is_some(), "{field} in {props}");
    }
    assert_eq!(
        manifest["outputSchema"]["properties"]["failures"]["type"],
        "array"
    );
}
