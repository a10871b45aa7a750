//! Honest retry signals: `retryable` means "safe to send again as is", and
//! `delivery` says what became of the request, under timeouts, dropped
//! connections, refused connections, error answers and untrusted TLS
//! certificates. Every server here is a loopback server the test starts.

use crate::common::*;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, Delivery, Error, ErrorCode, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn policy(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        deadline: Duration::from_secs(20),
    }
}

fn ctx(origin: &str, timeout: Duration, attempts: u32) -> Context {
    Context::builder()
        .allow_origin(Origin::parse(origin).unwrap())
        .timeout(timeout)
        .retry(policy(attempts))
        .build()
}

fn input(origin: &str, params: Value) -> Value {
    let mut v = json!({"tenantId": TENANT, "apiKey": KEY, "host": origin});
    for (k, val) in params.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

fn create_user() -> Value {
    json!({"ref": "EMP-9", "firstName": "Jane", "lastName": "Doe", "email": "jane@example.com"})
}

/// What a raw server does with each connection once it has read a request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Never answer (the client times out).
    Silent,
    /// Close the connection without answering.
    Drop,
}

/// A raw TCP server that reads one request per connection, counts it, and
/// then stays silent or drops the connection.
async fn raw_server(behaviour: Behaviour) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut got = Vec::new();
                // Read until the end of the headers (and a little body).
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                match behaviour {
                    Behaviour::Silent => {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    Behaviour::Drop => {
                        let _ = stream.shutdown().await;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), seen)
}

/// A loopback address nothing listens on.
async fn closed_origin() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

async fn run(id: &str, origin: &str, params: Value, ctx: &Context) -> Error {
    Catalogue::global()
        .execute(id, input(origin, params), ctx)
        .await
        .expect_err("the step should fail")
}

fn assert_signals(e: &Error, code: ErrorCode, retryable: bool, delivery: Delivery) {
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(e.is_retryable(), retryable, "retryable of {e}");
    assert_eq!(e.delivery(), delivery, "delivery of {e}");
    let json = e.to_json();
    assert_eq!(json["error"]["retryable"], retryable);
    assert_eq!(json["error"]["delivery"], delivery.as_str());
}

#[tokio::test]
async fn a_create_that_timed_out_is_not_retryable_and_was_sent_once() {
    let (origin, seen) = raw_server(Behaviour::Silent).await;
    let ctx = ctx(&origin, Duration::from_millis(300), 5);
    let e = run("thrive_create_user", &origin, create_user(), &ctx).await;
    assert_signals(&e, ErrorCode::Timeout, false, Delivery::SentNoAnswer);
    assert_eq!(e.attempts(), 1);
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "a create is never sent twice"
    );
}

#[tokio::test]
async fn a_read_that_timed_out_is_retried_and_stays_retryable() {
    let (origin, seen) = raw_server(Behaviour::Silent).await;
    let ctx = ctx(&origin, Duration::from_millis(200), 3);
    let e = run(
        "thrive_get_user_by_ref",
        &origin,
        json!({"ref": "EMP-9"}),
        &ctx,
    )
    .await;
    assert_signals(&e, ErrorCode::Timeout, true, Delivery::SentNoAnswer);
    assert_eq!(e.attempts(), 3);
    assert_eq!(seen.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_create_whose_connection_dropped_after_sending_is_not_retryable() {
    let (origin, seen) = raw_server(Behaviour::Drop).await;
    let ctx = ctx(&origin, Duration::from_secs(5), 5);
    let e = run("thrive_create_user", &origin, create_user(), &ctx).await;
    assert_signals(&e, ErrorCode::Transport, false, Delivery::SentNoAnswer);
    assert_eq!(e.attempts(), 1);
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_read_whose_connection_dropped_is_retried() {
    let (origin, seen) = raw_server(Behaviour::Drop).await;
    let ctx = ctx(&origin, Duration::from_secs(5), 2);
    let e = run(
        "thrive_get_user_by_ref",
        &origin,
        json!({"ref": "EMP-9"}),
        &ctx,
    )
    .await;
    assert_signals(&e, ErrorCode::Transport, true, Delivery::SentNoAnswer);
    assert_eq!(e.attempts(), 2);
    assert_eq!(seen.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_create_that_could_not_connect_was_not_sent_and_is_retryable() {
    let origin = closed_origin().await;
    let ctx = ctx(&origin, Duration::from_secs(5), 3);
    let e = run("thrive_create_user", &origin, create_user(), &ctx).await;
    assert_signals(&e, ErrorCode::Transport, true, Delivery::NotSent);
    assert_eq!(
        e.attempts(),
        3,
        "nothing reached a server, so it was retried"
    );
}

#[tokio::test]
async fn answers_say_answered_and_only_safe_ones_are_retryable() {
    let srv = CaptureServer::start().await;
    let body = json!({"status": 503, "error": "Service Unavailable", "message": "busy"});
    let ctx = ctx(&srv.origin(), Duration::from_secs(5), 1);
    srv.reply(503, body.clone());
    let e = run("thrive_create_user", &srv.origin(), create_user(), &ctx).await;
    assert_signals(&e, ErrorCode::Upstream, false, Delivery::Answered);

    srv.reply(503, body);
    let e = run(
        "thrive_get_user_by_ref",
        &srv.origin(),
        json!({"ref": "EMP-9"}),
        &ctx,
    )
    .await;
    assert_signals(&e, ErrorCode::Upstream, true, Delivery::Answered);

    srv.reply(
        429,
        json!({"status": 429, "error": "Too Many Requests", "message": "slow down"}),
    );
    let e = run("thrive_create_user", &srv.origin(), create_user(), &ctx).await;
    assert_signals(&e, ErrorCode::RateLimited, true, Delivery::Answered);

    srv.reply(
        409,
        json!({"status": 409, "error": "Conflict", "message": "ref taken"}),
    );
    let e = run("thrive_create_user", &srv.origin(), create_user(), &ctx).await;
    assert_signals(&e, ErrorCode::Conflict, false, Delivery::Answered);
}

#[tokio::test]
async fn invalid_input_was_not_sent_and_is_not_retryable() {
    let origin = closed_origin().await;
    let ctx = ctx(&origin, Duration::from_secs(5), 3);
    let e = run(
        "thrive_create_user",
        &origin,
        json!({"firstName": "Jane"}),
        &ctx,
    )
    .await;
    assert_signals(&e, ErrorCode::InvalidInput, false, Delivery::NotSent);
    assert_eq!(e.attempts(), 0);
}

#[tokio::test]
async fn an_untrusted_certificate_is_permanent_and_tried_once() {
    use std::sync::Arc;
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let cert = CertificateDer::from(include_bytes!("../data/tls/untrusted-cert.der").to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        include_bytes!("../data/tls/untrusted-key.der").to_vec(),
    ));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handshakes = Arc::new(AtomicUsize::new(0));
    let counter = handshakes.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = acceptor.accept(stream).await;
            });
        }
    });
    let origin = format!("https://{addr}");
    let ctx = ctx(&origin, Duration::from_secs(5), 5);
    let e = run(
        "thrive_get_user_by_ref",
        &origin,
        json!({"ref": "EMP-9"}),
        &ctx,
    )
    .await;
    assert_signals(&e, ErrorCode::Transport, false, Delivery::NotSent);
    assert_eq!(e.attempts(), 1, "a refused certificate is not retried");
    assert_eq!(handshakes.load(Ordering::SeqCst), 1);
    assert!(e.message().contains("certificate"), "{}", e.message());
}
