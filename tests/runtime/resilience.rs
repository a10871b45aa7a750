//! The runtime against the sandbox with its fault switches on: bulk reads
//! under 429s and 5xx, writes that must not be duplicated, Retry-After,
//! OAuth renewal, auto-pagination and chunking at scale.

#![cfg(feature = "sandbox")]

use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, ErrorCode, RetryPolicy};
use thrive_sandbox::{Faults, OneShotFault, Sandbox, SandboxConfig};

async fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}

fn context(sb: &Sandbox, retry: RetryPolicy) -> Context {
    Context::builder()
        .allow_origin(Origin::parse(&sb.base_url()).unwrap())
        .retry(retry)
        .build()
}

fn input(sb: &Sandbox, params: Value) -> Value {
    let cfg = sb.config();
    let mut v = json!({"tenantId": cfg.tenant_id, "apiKey": cfg.api_key, "host": sb.base_url()});
    for (k, val) in params.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

fn patient() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 12,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        deadline: Duration::from_secs(60),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_reads_under_429s_and_503s_all_come_back_right() {
    let sb = sandbox(SandboxConfig::default()).await;
    let users = sb.state().users();
    let refs: Vec<String> = users
        .iter()
        .filter_map(|u| u["ref"].as_str().map(str::to_owned))
        .take(50)
        .collect();
    assert_eq!(refs.len(), 50);
    sb.set_faults(Faults {
        rate_429: 0.2,
        retry_after_secs: 0,
        rate_5xx: 0.1,
        ..Faults::none()
    });
    let ctx = context(&sb, patient());
    let mut tasks = tokio::task::JoinSet::new();
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    for i in 0..1000 {
        let r = refs[i % refs.len()].clone();
        let (ctx, sem, input) = (ctx.clone(), sem.clone(), input(&sb, json!({"ref": r})));
        tasks.spawn(async move {
            let _permit = sem.acquire_owned().await.unwrap();
            let out = Catalogue::global()
                .execute("thrive_get_user_by_ref", input, &ctx)
                .await;
            (r, out)
        });
    }
    let mut ok = 0;
    while let Some(joined) = tasks.join_next().await {
        let (r, out) = joined.unwrap();
        let out = out.unwrap_or_else(|e| panic!("{r}: {e}"));
        assert_eq!(out["user"]["ref"], r.as_str());
        ok += 1;
    }
    assert_eq!(ok, 1000);
    let stats = sb.stats();
    // Only 5xx the policy retries count: 502 and 503; 500 is not retried for
    // GET, so the sandbox must not have sent any 500 that reached a caller.
    assert!(stats.injected_429 > 100, "faults were on: {stats:?}");
    assert!(stats.injected_5xx > 30, "faults were on: {stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_are_never_duplicated_under_5xx_and_dropped_connections() {
    let sb = sandbox(SandboxConfig::default()).await;
    let before = sb.state().audiences().len();
    sb.set_faults(Faults {
        rate_5xx: 0.3,
        rate_drop: 0.1,
        ..Faults::none()
    });
    let ctx = context(&sb, patient());
    let mut created = BTreeSet::new();
    let mut failed = 0;
    for i in 0..120 {
        let params = json!({"name": format!("Cohort {i}"), "reference": format!("cohort-{i}"), "category": "structure"});
        match Catalogue::global()
            .execute("thrive_create_audience", input(&sb, params), &ctx)
            .await
        {
            Ok(out) => {
                assert_eq!(out["audience"]["reference"], format!("cohort-{i}"));
                created.insert(format!("cohort-{i}"));
            }
            Err(e) => {
                assert!(
                    matches!(e.code(), ErrorCode::Upstream | ErrorCode::Transport),
                    "{e}"
                );
                assert_eq!(
                    e.attempts(),
                    1,
                    "a write that may have reached the server is not retried"
                );
                failed += 1;
            }
        }
    }
    sb.set_faults(Faults::none());
    let audiences = sb.state().audiences();
    let cohorts: Vec<&str> = audiences
        .iter()
        .filter_map(|a| a["reference"].as_str())
        .filter(|r| r.starts_with("cohort-"))
        .collect();
    let unique: BTreeSet<&str> = cohorts.iter().copied().collect();
    assert_eq!(cohorts.len(), unique.len(), "a create was duplicated");
    assert_eq!(unique.len(), created.len());
    assert_eq!(audiences.len(), before + created.len());
    assert!(failed > 10, "faults were on ({failed} failures)");
}

#[tokio::test]
async fn retry_after_is_waited_out() {
    let sb = sandbox(SandboxConfig::default()).await;
    sb.queue_faults([OneShotFault::TooManyRequests {
        retry_after_secs: 1,
    }]);
    let ctx = context(&sb, patient());
    let started = Instant::now();
    let out = Catalogue::global()
        .execute("thrive_get_skill_levels", input(&sb, json!({})), &ctx)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
    assert!(!out["levels"].as_array().unwrap().is_empty());
    assert_eq!(sb.stats().count("GET", "/rest/v1/skills/levels"), 2);
}

#[tokio::test]
async fn rate_limited_when_retries_run_out() {
    let sb = sandbox(SandboxConfig::default()).await;
    sb.set_faults(Faults {
        rate_429: 1.0,
        retry_after_secs: 0,
        ..Faults::none()
    });
    let ctx = context(&sb, patient().with_max_attempts(3));
    let err = Catalogue::global()
        .execute("thrive_list_tags", input(&sb, json!({})), &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn oauth_tokens_are_shared_and_renewed_after_revocation() {
    let sb = sandbox(SandboxConfig::default()).await;
    let cfg = sb.config().clone();
    let ctx = context(&sb, patient());
    let oauth = |params: Value| {
        let mut v = input(&sb, params);
        v["clientId"] = cfg.client_id.clone().into();
        v["apiKey"] = cfg.client_secret.clone().into();
        v
    };
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let (ctx, input) = (ctx.clone(), oauth(json!({"perPage": 1})));
        tasks.spawn(async move {
            Catalogue::global()
                .execute("thrive_list_audiences", input, &ctx)
                .await
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
    assert_eq!(
        sb.stats().tokens_issued,
        1,
        "100 concurrent first calls fetch one token"
    );

    sb.state().revoke_tokens();
    Catalogue::global()
        .execute("thrive_list_audiences", oauth(json!({"perPage": 1})), &ctx)
        .await
        .unwrap();
    assert_eq!(
        sb.stats().tokens_issued,
        2,
        "a revoked token is renewed once"
    );

    sb.state().expire_tokens();
    Catalogue::global()
        .execute("thrive_get_skill_levels", oauth(json!({})), &ctx)
        .await
        .unwrap();
    assert_eq!(
        sb.stats().tokens_issued,
        3,
        "an expired token is renewed once"
    );

    let mut read_only =
        oauth(json!({"ref": "X-1", "firstName": "A", "lastName": "B", "email": "x1@example.com"}));
    read_only["scope"] = "api/read".into();
    let err = Catalogue::global()
        .execute("thrive_create_user", read_only, &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert_eq!(err.status(), Some(403));
    assert!(sb.state().user_by_ref("X-1").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn return_all_over_five_thousand_users_returns_each_exactly_once() {
    let sb = sandbox(SandboxConfig {
        empty: true,
        ..SandboxConfig::default()
    })
    .await;
    let inserted: BTreeSet<String> = sb.state().insert_users(5000).into_iter().collect();
    let ctx = context(&sb, patient());
    let out = Catalogue::global()
        .execute(
            "thrive_search_users",
            input(&sb, json!({"returnAll": true, "perPage": 1000})),
            &ctx,
        )
        .await
        .unwrap();
    let ids: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 5000);
    let unique: BTreeSet<String> = ids.iter().map(|s| s.to_string()).collect();
    assert_eq!(unique, inserted);
    assert_eq!(out["pagination"]["totalResults"], 5000);
    assert_eq!(sb.stats().count("GET", "/rest/v1/users"), 5);

    // The streaming form holds one page at a time.
    let mut pager = Catalogue::global()
        .pager(
            "thrive_search_users",
            input(&sb, json!({"perPage": 700})),
            &ctx,
        )
        .unwrap();
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    while let Some(page) = pager.next_page().await {
        let page = page.unwrap();
        assert!(page.len() <= 700);
        pages += 1;
        for u in page {
            assert!(
                seen.insert(u["id"].as_str().unwrap().to_owned()),
                "duplicate"
            );
        }
    }
    assert_eq!(pages, 8);
    assert_eq!(seen, inserted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_1050_members_sends_11_requests_and_reports_every_unknown_user() {
    let sb = sandbox(SandboxConfig::default()).await;
    let known = sb.state().insert_users(1000);
    let structure = sb
        .state()
        .audiences()
        .into_iter()
        .find(|a| a["category"] == "audience")
        .expect("a seeded child audience");
    let audience_id = structure["id"].as_str().unwrap().to_owned();
    let mut users: Vec<String> = known.clone();
    let unknown: Vec<String> = (0..50).map(|i| format!("ghost-{i}@example.com")).collect();
    // Interleave the unknown users so several chunks carry some.
    for (i, u) in unknown.iter().enumerate() {
        users.insert(i * 21, u.clone());
    }
    assert_eq!(users.len(), 1050);
    let ctx = context(&sb, patient());
    sb.reset_stats();
    let out = Catalogue::global()
        .execute(
            "thrive_add_audience_members",
            input(&sb, json!({"audienceId": audience_id, "users": users})),
            &ctx,
        )
        .await
        .unwrap();
    assert_eq!(
        sb.stats()
            .count("POST", "/rest/v1/audiences/{audienceId}/members"),
        11
    );
    assert_eq!(out["partial"], true);
    assert_eq!(out["result"]["success"]["count"], 1000);
    let failed: BTreeSet<&str> = out["result"]["failure"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reference"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = unknown.iter().map(String::as_str).collect();
    assert_eq!(failed, expected);
    let members: BTreeSet<String> = sb.state().members(&audience_id).into_iter().collect();
    for id in &known {
        assert!(members.contains(id), "{id} missing");
    }
}

#[tokio::test]
async fn replacing_more_than_100_members_is_refused_before_sending() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ctx = context(&sb, patient());
    sb.reset_stats();
    let users: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let err = Catalogue::global()
        .execute(
            "thrive_replace_audience_members",
            input(&sb, json!({"audienceId": "any", "users": users})),
            &ctx,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.violations()[0].message,
        "users has 101 items; a replace takes at most 100 and cannot be split into several calls, because each call replaces the whole list"
    );
    assert_eq!(sb.stats().total_requests, 0);
}

#[tokio::test]
async fn a_slow_sandbox_gives_timeout_not_a_hang() {
    let sb = sandbox(SandboxConfig::default()).await;
    sb.set_faults(Faults {
        latency_ms: 3_000,
        ..Faults::none()
    });
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&sb.base_url()).unwrap())
        .timeout(Duration::from_millis(250))
        .retry(RetryPolicy {
            deadline: Duration::from_secs(1),
            ..patient().with_max_attempts(2)
        })
        .build();
    let err = Catalogue::global()
        .execute("thrive_list_tags", input(&sb, json!({})), &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert_eq!(err.attempts(), 2);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn writes_are_retried_only_when_nothing_reached_the_server() {
    let sb = sandbox(SandboxConfig::default()).await;
    let ctx = context(&sb, patient());
    // A dropped connection after the request was sent: not retried.
    sb.queue_faults([OneShotFault::Drop]);
    let params = json!({"name": "Once", "reference": "once-only", "category": "structure"});
    let err = Catalogue::global()
        .execute("thrive_create_audience", input(&sb, params.clone()), &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Transport);
    assert_eq!(err.attempts(), 1);
    // A 429 means Thrive refused it unprocessed: retried, created once.
    sb.queue_faults([OneShotFault::TooManyRequests {
        retry_after_secs: 0,
    }]);
    let out = Catalogue::global()
        .execute("thrive_create_audience", input(&sb, params), &ctx)
        .await
        .unwrap();
    assert_eq!(out["audience"]["reference"], "once-only");
    let n = sb
        .state()
        .audiences()
        .iter()
        .filter(|a| a["reference"] == "once-only")
        .count();
    assert_eq!(n, 1);
}
