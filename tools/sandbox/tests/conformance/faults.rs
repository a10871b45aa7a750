//! Fault injection: 429 with Retry-After, 5xx, dropped connections,
//! latency, slow bodies, one-shot faults.

use std::time::{Duration, Instant};

use serde_json::json;
use thrive_sandbox::{Faults, OneShotFault, SandboxConfig};

use crate::client::{assert_error, basic, start, start_with, try_request};

#[tokio::test]
async fn rate_429_answers_with_retry_after() {
    let (sandbox, c) = start_with(SandboxConfig {
        faults: Faults {
            rate_429: 1.0,
            retry_after_secs: 7,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let r = c.get("/rest/v1/users").await;
    assert_error(&r, 429, "Too Many Requests");
    assert_eq!(r.header("retry-after"), Some("7"));
    // Writes are not applied.
    let r = c
        .post(
            "/rest/v1/audiences",
            json!({"name": "X", "reference": "x-429", "category": "structure"}),
        )
        .await;
    assert_eq!(r.status, 429);
    assert!(sandbox.state().audience("x-429").is_none());
    // The token endpoint is not affected by default.
    let t = try_request(
        sandbox.addr(),
        "POST",
        "/oauth2/token/eu-west-2_SandboxDemo",
        &[
            (
                "Authorization",
                &basic("sandbox-client", "sandbox-client-secret"),
            ),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"grant_type=client_credentials",
    )
    .await
    .expect("token");
    assert_eq!(t.status, 200);
    // Switched off at runtime.
    sandbox.set_faults(Faults::default());
    assert_eq!(c.get("/rest/v1/users?perPage=1").await.status, 200);
    let stats = sandbox.stats();
    assert_eq!(stats.injected_429, 2);
    assert_eq!(stats.count("GET", "/rest/v1/users"), 2);
}

#[tokio::test]
async fn rate_5xx_answers_server_errors() {
    let (sandbox, c) = start().await;
    sandbox.set_faults(Faults {
        rate_5xx: 1.0,
        ..Faults::default()
    });
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let r = c.get("/rest/v1/tags").await;
        let body = r.json();
        assert!([500, 502, 503].contains(&r.status), "{}", r.status);
        assert_eq!(body["status"], r.status);
        let phrase = match r.status {
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            _ => "Service Unavailable",
        };
        assert_eq!(body["error"], phrase);
        seen.insert(r.status);
    }
    assert!(seen.len() >= 2, "several 5xx codes: {seen:?}");
    assert_eq!(sandbox.stats().injected_5xx, 20);
}

#[tokio::test]
async fn dropped_connections_get_no_response() {
    let (sandbox, _c) = start().await;
    sandbox.set_faults(Faults {
        rate_drop: 1.0,
        ..Faults::default()
    });
    let auth = basic("eu-west-2_SandboxDemo", "sandbox-api-key");
    for _ in 0..3 {
        let started = Instant::now();
        let r = try_request(
            sandbox.addr(),
            "GET",
            "/rest/v1/users",
            &[("Authorization", &auth)],
            b"",
        )
        .await;
        assert!(r.is_err(), "expected no response, got {r:?}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "closed promptly"
        );
    }
    assert_eq!(sandbox.stats().injected_drops, 3);
    // The server itself keeps serving.
    sandbox.set_faults(Faults::default());
    let r = try_request(
        sandbox.addr(),
        "GET",
        "/rest/v1/users?perPage=1",
        &[("Authorization", &auth)],
        b"",
    )
    .await
    .expect("response");
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn latency_and_slow_bodies() {
    let (sandbox, c) = start().await;
    sandbox.set_faults(Faults {
        latency_ms: 150,
        ..Faults::default()
    });
    let started = Instant::now();
    assert_eq!(c.get("/rest/v1/skills/levels").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));

    sandbox.set_faults(Faults {
        slow_body_ms: 200,
        ..Faults::default()
    });
    let started = Instant::now();
    let r = c.get("/rest/v1/audiences?perPage=5").await;
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["results"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        r.header("content-length").and_then(|v| v.parse().ok()),
        Some(r.body.len())
    );
}

#[tokio::test]
async fn one_shot_faults_then_success() {
    let (sandbox, c) = start().await;
    sandbox.queue_faults([
        OneShotFault::TooManyRequests {
            retry_after_secs: 2,
        },
        OneShotFault::Status(503),
        OneShotFault::Drop,
    ]);
    let r = c.get("/rest/v1/tags").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert_error(&c.get("/rest/v1/tags").await, 503, "Service Unavailable");
    let auth = basic("eu-west-2_SandboxDemo", "sandbox-api-key");
    assert!(
        try_request(
            sandbox.addr(),
            "GET",
            "/rest/v1/tags",
            &[("Authorization", &auth)],
            b""
        )
        .await
        .is_err()
    );
    assert_eq!(c.get("/rest/v1/tags").await.status, 200);
    let stats = sandbox.stats();
    assert_eq!(stats.injected_total(), 3);
}

#[tokio::test]
async fn faults_on_the_token_endpoint_only_with_the_flag() {
    let (sandbox, _c) = start_with(SandboxConfig {
        faults_on_token_endpoint: true,
        faults: Faults {
            rate_5xx: 1.0,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let t = try_request(
        sandbox.addr(),
        "POST",
        "/oauth2/token/eu-west-2_SandboxDemo",
        &[
            (
                "Authorization",
                &basic("sandbox-client", "sandbox-client-secret"),
            ),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"grant_type=client_credentials",
    )
    .await
    .expect("response");
    assert!(t.status >= 500);
}

#[tokio::test]
async fn fault_rolls_are_reproducible_from_the_seed() {
    async fn pattern(seed: u64) -> Vec<u16> {
        let (sandbox, c) = start_with(SandboxConfig {
            seed,
            faults: Faults {
                rate_429: 0.5,
                ..Faults::default()
            },
            ..SandboxConfig::default()
        })
        .await;
        let mut out = Vec::new();
        for _ in 0..16 {
            out.push(c.get("/rest/v1/skills/levels").await.status);
        }
        sandbox.shutdown().await;
        out
    }
    let a = pattern(9).await;
    assert_eq!(a, pattern(9).await);
    assert!(a.contains(&429) && a.contains(&200), "{a:?}");
}
