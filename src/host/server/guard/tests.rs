use super::{Access, Guard, deadline_passed, is_json, referer_origin};
use crate::host::server::conn::ConnInfo;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;

fn guard(hosts: &[&str], origins: &[&str]) -> Arc<Guard> {
    Guard::new(Access {
        allowed_hosts: hosts.iter().map(|s| s.to_string()).collect(),
        allowed_origins: origins.iter().map(|s| s.to_string()).collect(),
        request_timeout: Duration::from_secs(1),
        max_runs: 1,
        max_body_bytes: 10,
        body_timeout: Duration::from_secs(1),
        min_body_rate: 1024,
        read_bodies: true,
    })
}

#[test]
fn hosts_are_loopback_the_local_address_or_allowed() {
    let g = guard(&["blocks.example.com"], &[]);
    let conn = ConnInfo {
        local: "10.1.2.3:8787".parse().unwrap(),
        peer: "10.9.9.9:5555".parse().unwrap(),
    };
    for ok in [
        "localhost:8787",
        "LOCALHOST",
        "ui.localhost:1",
        "127.0.0.1:8787",
        "127.9.9.9",
        "[::1]:8787",
        "10.1.2.3:8787",
        "blocks.example.com:443",
        "Blocks.Example.com",
    ] {
        assert!(g.allowed.host_allowed(ok, Some(&conn)), "{ok}");
    }
    for bad in [
        "evil.example.com",
        "10.1.2.4:8787",
        "localhost.evil.com",
        "blocks.example.com.evil",
        "",
    ] {
        assert!(!g.allowed.host_allowed(bad, Some(&conn)), "{bad}");
    }
    assert!(
        guard(&["*"], &[])
            .allowed
            .host_allowed("anything.example", None)
    );
}

#[test]
fn origins_are_same_origin_or_allowed() {
    let g = guard(&[], &["https://app.example.com", "http://localhost:3000"]);
    let host = Some("127.0.0.1:8787");
    assert!(g.allowed.origin_allowed("http://127.0.0.1:8787", host));
    assert!(
        g.allowed
            .origin_allowed("https://app.example.com:443", host)
    );
    assert!(g.allowed.origin_allowed("HTTP://LOCALHOST:3000", host));
    assert!(!g.allowed.origin_allowed("http://localhost:3001", host));
    assert!(!g.allowed.origin_allowed("http://127.0.0.1:8788", host));
    assert!(!g.allowed.origin_allowed("null", host));
    assert!(!g.allowed.origin_allowed("https://evil.example.com", host));
    assert!(
        guard(&[], &["*"])
            .allowed
            .origin_allowed("https://x.example", host)
    );
}

#[test]
fn json_content_types() {
    let mut h = HeaderMap::new();
    assert!(!is_json(&h));
    for (value, ok) in [
        ("application/json", true),
        ("Application/JSON; charset=utf-8", true),
        ("application/merge-patch+json", true),
        ("text/plain", false),
        ("application/x-www-form-urlencoded", false),
        ("multipart/form-data; boundary=x", false),
    ] {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        assert_eq!(is_json(&h), ok, "{value}");
    }
}

async fn error_of(response: Response) -> (StatusCode, serde_json::Value) {
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["error"].clone(),
    )
}

#[tokio::test]
async fn a_deadline_answer_fits_its_route() {
    let d = Duration::from_secs(3);
    for path in [
        "/tools/x/validate",
        "/tools/x/dry-run",
        "/tools",
        "/openapi.json",
    ] {
        let (status, error) = error_of(deadline_passed(path, d)).await;
        assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
        assert_eq!(error["delivery"], "not_sent", "{path}");
        assert_eq!(error["attempts"], 0, "{path}");
        assert_eq!(error["retryable"], true, "{path}");
        let message = error["message"].as_str().unwrap();
        assert!(!message.contains("write"), "{path}: {message}");
    }
    for path in ["/tools/x/run", "/tools/x/options/f", "/mcp"] {
        let (_, error) = error_of(deadline_passed(path, d)).await;
        assert_eq!(error["delivery"], "sent_no_answer", "{path}");
        assert_eq!(
            error["attempts"], 1,
            "{path}: sent_no_answer implies an attempt"
        );
        assert_eq!(error["retryable"], false, "{path}");
    }
}

#[test]
fn a_referer_gives_its_origin() {
    assert_eq!(
        referer_origin("http://127.0.0.1:8787/ui?x=1").as_deref(),
        Some("http://127.0.0.1:8787")
    );
    assert_eq!(referer_origin("not a url"), None);
}
