//! The runtime against loopback servers built for each behaviour: retries,
//! Retry-After, timeouts, the 429 gate, concurrency caps, OAuth token
//! caching and renewal, auto-pagination and chunking.

use crate::common::*;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, ErrorCode, RetryPolicy};

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(3),
        deadline: Duration::from_secs(20),
    }
}

fn ctx_for(addr: SocketAddr, retry: RetryPolicy) -> Context {
    Context::builder()
        .allow_origin(Origin::parse(&format!("http://{addr}")).unwrap())
        .retry(retry)
        .build()
}

fn input(addr: SocketAddr, params: Value) -> Value {
    let mut v = json!({"tenantId": TENANT, "apiKey": KEY, "host": format!("http://{addr}")});
    for (k, val) in params.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

#[tokio::test]
async fn get_is_retried_on_503_and_429_until_it_succeeds() {
    let srv = CaptureServer::start().await;
    srv.reply(
        503,
        json!({"status": 503, "error": "Service Unavailable", "message": "busy"}),
    )
    .reply(
        429,
        json!({"status": 429, "error": "Too Many Requests", "message": "slow down"}),
    )
    .reply(200, json!({"id": "a1", "name": "Tech"}));
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&srv.origin()).unwrap())
        .retry(fast_retries(5))
        .build();
    let out = Catalogue::global()
        .execute("thrive_test_connection", srv.input(json!({})), &ctx)
        .await
        .unwrap();
    assert_eq!(out["ok"], true);
    assert_eq!(srv.requests().len(), 3);
}

#[tokio::test]
async fn post_is_not_retried_on_503_and_the_error_counts_attempts() {
    let srv = CaptureServer::start().await;
    srv.reply(
        503,
        json!({"status": 503, "error": "Service Unavailable", "message": "busy"}),
    );
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&srv.origin()).unwrap())
        .retry(fast_retries(5))
        .build();
    let err = Catalogue::global()
        .execute(
            "thrive_create_user",
            srv.input(json!({"ref": "U1", "firstName": "A", "lastName": "B", "email": "a@b.c"})),
            &ctx,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Upstream);
    assert_eq!(err.attempts(), 1);
    assert_eq!(srv.requests().len(), 1);
}

#[tokio::test]
async fn post_is_retried_after_429_and_retry_after_is_honoured() {
    let srv = CaptureServer::start().await;
    srv.reply_with_headers(
        429,
        json!({"status": 429, "error": "Too Many Requests", "message": "slow down"}),
        &[("retry-after", "1")],
    )
    .reply(201, json!({"id": "u1", "ref": "U1"}));
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&srv.origin()).unwrap())
        .retry(fast_retries(3))
        .build();
    let started = Instant::now();
    let out = Catalogue::global()
        .execute(
            "thrive_create_user",
            srv.input(json!({"ref": "U1", "firstName": "A", "lastName": "B", "email": "a@b.c"})),
            &ctx,
        )
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 must be waited out"
    );
    assert_eq!(out["user"]["ref"], "U1");
    assert_eq!(srv.requests().len(), 2);
}

#[tokio::test]
async fn a_single_attempt_hands_thrives_retry_after_to_the_caller() {
    // An engine that owns the retries (one attempt per call) reads the wait
    // Thrive asked for from the error.
    let srv = CaptureServer::start().await;
    srv.reply_with_headers(
        429,
        json!({"status": 429, "error": "Too Many Requests", "message": "slow down"}),
        &[("retry-after", "7")],
    );
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&srv.origin()).unwrap())
        .retry(RetryPolicy::none())
        .build();
    let err = Catalogue::global()
        .execute("thrive_get_tag", srv.input(json!({"tagId": "t1"})), &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(srv.requests().len(), 1);
    // An answer without the header says nothing.
    srv.reply(503, json!({"message": "down"}));
    let err = Catalogue::global()
        .execute("thrive_get_tag", srv.input(json!({"tagId": "t1"})), &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_posts() {
    // Bind then drop a listener: nothing listens on the port afterwards.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let ctx = ctx_for(addr, fast_retries(3));
    let err = Catalogue::global()
        .execute(
            "thrive_create_user",
            input(
                addr,
                json!({"ref": "U1", "firstName": "A", "lastName": "B", "email": "a@b.c"}),
            ),
            &ctx,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Transport);
    assert_eq!(err.attempts(), 3);
    assert!(
        err.message().ends_with("(after 3 attempts)"),
        "{}",
        err.message()
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn four_hundreds_are_never_retried() {
    let srv = CaptureServer::start().await;
    srv.reply(
        404,
        json!({"status": 404, "error": "Not Found", "message": "Audience not found"}),
    );
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&srv.origin()).unwrap())
        .retry(fast_retries(5))
        .build();
    let err = Catalogue::global()
        .execute("thrive_test_connection", srv.input(json!({})), &ctx)
        .await
        .unwrap();
    assert_eq!(err["ok"], false);
    assert_eq!(err["code"], "not_found");
    assert_eq!(srv.requests().len(), 1);
}

#[tokio::test]
async fn a_silent_server_times_out_within_the_bound() {
    // Accepts connections and reads, but never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&format!("http://{addr}")).unwrap())
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy {
            deadline: Duration::from_secs(2),
            ..fast_retries(3)
        })
        .build();
    let started = Instant::now();
    let err = Catalogue::global()
        .execute(
            "thrive_get_user_by_ref",
            input(addr, json!({"ref": "U1"})),
            &ctx,
        )
        .await;
    let err = match err {
        Err(e) => e,
        Ok(v) => panic!("expected a timeout, got {v}"),
    };
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert_eq!(err.attempts(), 3);
    // The configured bound (3 attempts x 300 ms plus small backoffs, under the
    // 2 s deadline) holds; this is a correctness bound, not a speed target.
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_429_holds_back_concurrent_calls_to_the_same_tenant_and_host() {
    // The first request gets 429 with Retry-After: 1; every later request
    // records when it arrived.
    #[derive(Clone, Default)]
    struct S {
        n: Arc<AtomicUsize>,
        first_429_at: Arc<std::sync::Mutex<Option<Instant>>>,
        later: Arc<std::sync::Mutex<Vec<Instant>>>,
    }
    async fn h(State(s): State<S>) -> Response {
        if s.n.fetch_add(1, Ordering::SeqCst) == 0 {
            *s.first_429_at.lock().unwrap() = Some(Instant::now());
            return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], "{}").into_response();
        }
        s.later.lock().unwrap().push(Instant::now());
        (
            StatusCode::OK,
            [("content-type", "application/json")],
            r#"{"id":"a"}"#,
        )
            .into_response()
    }
    let s = S::default();
    let addr = serve(Router::new().fallback(any(h)).with_state(s.clone())).await;
    let ctx = ctx_for(addr, fast_retries(3));
    // Compile the tool's validator first, so the first call is not still
    // being prepared when the second one starts on a loaded machine.
    let _ = Catalogue::global().validate("thrive_get_audience", json!({}));
    let first = {
        let ctx = ctx.clone();
        tokio::spawn(async move {
            Catalogue::global()
                .execute(
                    "thrive_get_audience",
                    input(addr, json!({"audienceId": "a"})),
                    &ctx,
                )
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let second = Catalogue::global()
        .execute(
            "thrive_get_audience",
            input(addr, json!({"audienceId": "b"})),
            &ctx,
        )
        .await;
    assert!(first.await.unwrap().is_ok());
    assert!(second.is_ok());
    let t429 = s.first_429_at.lock().unwrap().unwrap();
    for t in s.later.lock().unwrap().iter() {
        assert!(
            t.duration_since(t429) >= Duration::from_millis(950),
            "a call went out {:?} after the 429",
            t.duration_since(t429)
        );
    }
}

#[tokio::test]
async fn concurrency_cap_per_host_is_respected() {
    #[derive(Clone, Default)]
    struct S {
        now: Arc<AtomicUsize>,
        max: Arc<AtomicUsize>,
    }
    async fn h(State(s): State<S>) -> Response {
        let n = s.now.fetch_add(1, Ordering::SeqCst) + 1;
        s.max.fetch_max(n, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(30)).await;
        s.now.fetch_sub(1, Ordering::SeqCst);
        (StatusCode::OK, [("content-type", "application/json")], "{}").into_response()
    }
    let s = S::default();
    let addr = serve(Router::new().fallback(any(h)).with_state(s.clone())).await;
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&format!("http://{addr}")).unwrap())
        .max_concurrent_per_host(2)
        .build();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let ctx = ctx.clone();
        tasks.push(tokio::spawn(async move {
            Catalogue::global()
                .execute(
                    "thrive_get_audience",
                    input(addr, json!({"audienceId": format!("a{i}")})),
                    &ctx,
                )
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(s.max.load(Ordering::SeqCst), 2);
}

/// A token request as seen: the Authorization header and the form body.
type TokenRequest = (Option<String>, String);

/// A token endpoint plus an API that accepts only the current token.
#[derive(Clone, Default)]
struct OAuthServer {
    issued: Arc<AtomicUsize>,
    api_calls: Arc<AtomicUsize>,
    current: Arc<std::sync::Mutex<String>>,
    bodies: Arc<std::sync::Mutex<Vec<TokenRequest>>>,
}

async fn token(State(s): State<OAuthServer>, headers: HeaderMap, body: String) -> Response {
    // Slow enough that concurrent first calls overlap.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    s.bodies.lock().unwrap().push((auth.clone(), body));
    // base64("client-1:client-secret")
    if auth.as_deref() != Some("Basic Y2xpZW50LTE6Y2xpZW50LXNlY3JldA==") {
        return (
            StatusCode::UNAUTHORIZED,
            [("content-type", "application/json")],
            r#"{"error":"invalid_client"}"#,
        )
            .into_response();
    }
    let n = s.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let value = format!("tok-{n}");
    *s.current.lock().unwrap() = value.clone();
    let body = json!({"access_token": value, "token_type": "Bearer", "expires_in": 3600});
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn api(State(s): State<OAuthServer>, headers: HeaderMap, uri: Uri) -> Response {
    s.api_calls.fetch_add(1, Ordering::SeqCst);
    let expected = format!("Bearer {}", s.current.lock().unwrap());
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        let body = json!({"status": 401, "error": "Unauthorized", "message": "Unauthorized"});
        return (
            StatusCode::UNAUTHORIZED,
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    let body = json!({"id": uri.path().rsplit('/').next().unwrap_or_default()});
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn oauth_server() -> (OAuthServer, SocketAddr) {
    let s = OAuthServer::default();
    let app = Router::new()
        .route("/oauth2/token/{tenant}", post(token))
        .fallback(any(api))
        .with_state(s.clone());
    let addr = serve(app).await;
    (s, addr)
}

fn oauth_input(addr: SocketAddr, id: &str) -> Value {
    input(
        addr,
        json!({"clientId": "client-1", "apiKey": "client-secret", "scope": "api/read", "audienceId": id}),
    )
}

#[tokio::test]
async fn a_hundred_concurrent_first_calls_fetch_exactly_one_token() {
    let (s, addr) = oauth_server().await;
    let ctx = ctx_for(addr, fast_retries(2));
    let mut tasks = Vec::new();
    for i in 0..100 {
        let ctx = ctx.clone();
        tasks.push(tokio::spawn(async move {
            Catalogue::global()
                .execute(
                    "thrive_get_audience",
                    oauth_input(addr, &format!("a{i}")),
                    &ctx,
                )
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(s.issued.load(Ordering::SeqCst), 1);
    let bodies = s.bodies.lock().unwrap();
    assert_eq!(
        bodies[0].1,
        "grant_type=client_credentials&scope=api%2Fread"
    );
}

#[tokio::test]
async fn a_revoked_token_is_renewed_once() {
    let (s, addr) = oauth_server().await;
    let ctx = ctx_for(addr, RetryPolicy::none());
    Catalogue::global()
        .execute("thrive_get_audience", oauth_input(addr, "a1"), &ctx)
        .await
        .unwrap();
    // Revoke: the API now expects a token that was never issued to us.
    *s.current.lock().unwrap() = "revoked".into();
    let out = Catalogue::global()
        .execute("thrive_get_audience", oauth_input(addr, "a2"), &ctx)
        .await
        .unwrap();
    assert_eq!(out["audience"]["id"], "a2");
    assert_eq!(s.issued.load(Ordering::SeqCst), 2);
    assert_eq!(s.api_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_refused_client_secret_is_auth_failed_and_never_echoed() {
    let (s, addr) = oauth_server().await;
    let ctx = ctx_for(addr, RetryPolicy::none());
    let mut bad = oauth_input(addr, "a1");
    bad["apiKey"] = "wrong-secret-value".into();
    let err = Catalogue::global()
        .execute("thrive_get_audience", bad, &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuthFailed);
    assert_eq!(err.status(), Some(401));
    let shown = format!("{err} {err:?} {}", err.to_json());
    assert!(!shown.contains("wrong-secret-value"), "{shown}");
    assert_eq!(s.api_calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn test_connection_reports_auth_method_region_and_reason() {
    let (_s, addr) = oauth_server().await;
    let ctx = ctx_for(addr, RetryPolicy::none());
    let ok = Catalogue::global()
        .execute(
            "thrive_test_connection",
            input(
                addr,
                json!({"clientId": "client-1", "apiKey": "client-secret"}),
            ),
            &ctx,
        )
        .await
        .unwrap();
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["authMethod"], "oauth2");
    assert_eq!(ok["region"], "custom");
    assert_eq!(ok["host"], format!("http://{addr}"));
    assert!(ok["roundTripMs"].is_u64());

    let bad = Catalogue::global()
        .execute("thrive_test_connection", input(addr, json!({})), &ctx)
        .await
        .unwrap();
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["authMethod"], "basic");
    assert_eq!(bad["code"], "unauthorized");
    assert_eq!(bad["status"], 401);
    assert!(
        bad["reason"]
            .as_str()
            .unwrap()
            .starts_with("the tenant id or API key")
    );

    let refused = Catalogue::global()
        .execute(
            "thrive_test_connection",
            json!({"tenantId": TENANT, "apiKey": KEY, "host": "evil.example"}),
            &ctx,
        )
        .await
        .unwrap();
    assert_eq!(refused["code"], "host_not_allowed");
    assert_eq!(refused["region"], "custom");
}

#[tokio::test]
async fn return_all_follows_envelope_pages_and_respects_max_results() {
    let srv = CaptureServer::start().await;
    for page in 1..=3 {
        let results: Vec<Value> = (0..2)
            .map(|i| json!({"id": format!("a{page}{i}")}))
            .collect();
        srv.reply(
            200,
            json!({"results": results, "pagination": {"totalResults": 6, "totalPages": 3, "page": page, "perPage": 2}}),
        );
    }
    let out = srv
        .run(
            "thrive_list_audiences",
            json!({"returnAll": true, "perPage": 2}),
        )
        .await
        .unwrap();
    let ids: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a10", "a11", "a20", "a21", "a30", "a31"]);
    assert_eq!(
        out["pagination"],
        json!({"totalResults": 6, "totalPages": 1, "page": 1, "perPage": 6})
    );
    let lines: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "GET /rest/v1/audiences?page=1&perPage=2",
            "GET /rest/v1/audiences?page=2&perPage=2",
            "GET /rest/v1/audiences?page=3&perPage=2"
        ]
    );

    let srv = CaptureServer::start().await;
    for page in 1..=3 {
        let results: Vec<Value> = (0..2)
            .map(|i| json!({"id": format!("a{page}{i}")}))
            .collect();
        srv.reply(
            200,
            json!({"results": results, "pagination": {"totalResults": 6, "totalPages": 3}}),
        );
    }
    let out = srv
        .run(
            "thrive_list_audiences",
            json!({"returnAll": "true", "perPage": 2, "maxResults": 3}),
        )
        .await
        .unwrap();
    assert_eq!(out["results"].as_array().unwrap().len(), 3);
    assert_eq!(srv.requests().len(), 2);
}

#[tokio::test]
async fn adding_1050_members_sends_11_chunks_in_order_and_merges_failures() {
    let srv = CaptureServer::start().await;
    for chunk in 0..11 {
        let n = if chunk == 10 { 50 } else { 100 };
        let mut ok = Vec::new();
        let mut failed = Vec::new();
        for i in 0..n {
            let reference = format!("user{}", chunk * 100 + i);
            if i == 7 {
                failed.push(json!({"reason": "User does not exist.", "reference": reference}));
            } else {
                ok.push(json!({"reference": reference}));
            }
        }
        srv.reply(
            207,
            json!({"success": {"count": ok.len(), "entities": ok}, "failure": {"count": failed.len(), "entities": failed}}),
        );
    }
    let users: Vec<String> = (0..1050).map(|i| format!("user{i}")).collect();
    let out = srv
        .run(
            "thrive_add_audience_members",
            json!({"audienceId": "aud", "users": users}),
        )
        .await
        .unwrap();
    let requests = srv.requests();
    assert_eq!(requests.len(), 11);
    assert_eq!(requests[0].body.as_array().unwrap().len(), 100);
    assert_eq!(requests[0].body[0], "user0");
    assert_eq!(requests[10].body.as_array().unwrap().len(), 50);
    assert_eq!(requests[10].body[49], "user1049");
    assert_eq!(out["partial"], true);
    assert_eq!(out["result"]["success"]["count"], 1039.0);
    assert_eq!(out["result"]["failure"]["count"], 11.0);
    assert_eq!(
        out["result"]["failure"]["entities"][10]["reference"],
        "user1007"
    );
}

#[tokio::test]
async fn a_failed_chunk_says_how_much_was_already_applied() {
    let srv = CaptureServer::start().await;
    srv.reply(200, json!({"success": {"count": 100, "entities": []}}))
        .reply(422, json!({"status": 422, "error": "Unprocessable Content", "message": "Audience is not API controlled"}));
    let users: Vec<String> = (0..150).map(|i| format!("u{i}")).collect();
    let err = srv
        .run(
            "thrive_add_audience_members",
            json!({"audienceId": "aud", "users": users}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unprocessable);
    assert_eq!(
        err.message(),
        "Audience is not API controlled (the first 100 of 150 items were already sent and applied)"
    );
    assert_eq!(
        err.details(),
        Some(&json!({"itemsApplied": 100, "itemsTotal": 150}))
    );
}

#[tokio::test]
async fn return_all_stops_when_the_server_ignores_paging() {
    let srv = CaptureServer::start().await;
    let tags: Vec<Value> = (0..5)
        .map(|i| json!({"tag": format!("t{i}"), "id": format!("{i}")}))
        .collect();
    srv.reply(200, json!({"results": tags}));
    let out = srv
        .run("thrive_list_tags", json!({"returnAll": true, "perPage": 2}))
        .await
        .unwrap();
    assert_eq!(out["results"].as_array().unwrap().len(), 5);
    assert_eq!(srv.requests().len(), 1);
}
