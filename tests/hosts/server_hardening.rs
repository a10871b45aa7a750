//! The block server under the conditions of production: stops asked for
//! with SIGTERM while slow runs are in flight, clients that send half a
//! request, too many connections or runs, other web pages (foreign `Host`,
//! foreign `Origin`, `text/plain` bodies), and the order of 401 and 405.
//! Timeouts are set short through `ServerOptions`.
#![cfg(all(feature = "server", feature = "sandbox"))]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use thrive_blocks::Catalogue;
use thrive_blocks::host::http::{self, ServerOptions};
use thrive_sandbox::{Faults, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A server started with `serve_with_shutdown`, and the switch that stops it.
struct Running {
    addr: SocketAddr,
    base: String,
    stop: Option<oneshot::Sender<()>>,
    done: JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn start(env: &Env, options: ServerOptions) -> Running {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let ctx = env.ctx.clone();
        let done = tokio::spawn(http::serve_with_shutdown(
            listener,
            Catalogue::global(),
            ctx,
            options,
            async move {
                let _ = rx.await;
            },
        ));
        Running {
            addr,
            base: format!("http://{addr}"),
            stop: Some(tx),
            done,
        }
    }

    fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }

    /// Waits for the server to return after a stop; fails after `within`.
    async fn stopped_within(self, within: Duration) {
        tokio::time::timeout(within, self.done)
            .await
            .expect("the server stops within its grace period")
            .unwrap()
            .unwrap();
    }
}

/// Short limits for tests.
fn quick() -> ServerOptions {
    ServerOptions {
        grace: Duration::from_secs(5),
        header_timeout: Duration::from_millis(400),
        idle_timeout: Duration::from_millis(600),
        request_timeout: Duration::from_secs(10),
        ..ServerOptions::default()
    }
}

async fn slow_env(latency_ms: u64) -> Env {
    let env = Env::with_config(SandboxConfig::default()).await;
    env.state.set_faults(Faults {
        latency_ms,
        ..Faults::none()
    });
    env
}

/// POSTs a JSON body and returns status and JSON answer.
async fn post(base: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sends `request` as raw bytes and reads until the server closes the
/// connection (or `within` passes): the raw answer.
async fn raw(addr: SocketAddr, request: &[u8], within: Duration) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(within, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"))
}

fn body_of(answer: &str) -> Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_stop_answers_every_slow_run_in_flight() {
    let env = slow_env(1500).await;
    let mut server = Running::start(&env, quick()).await;
    let input = env.input(json!({}));
    let runs: Vec<_> = (0..6)
        .map(|_| {
            let base = server.base.clone();
            let input = input.clone();
            tokio::spawn(
                async move { post(&base, "/tools/thrive_get_skill_levels/run", &input).await },
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.stop();
    let levels = Value::Array(env.state.skill_levels());
    for run in runs {
        let (status, body) = run.await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["levels"], levels);
    }
    let addr = server.addr;
    server.stopped_within(Duration::from_secs(5)).await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the listener is closed after the stop"
    );
}

#[tokio::test]
async fn runs_still_going_at_the_end_of_the_grace_are_answered_503() {
    let env = slow_env(4000).await;
    let mut server = Running::start(
        &env,
        ServerOptions {
            grace: Duration::from_millis(800),
            ..quick()
        },
    )
    .await;
    let base = server.base.clone();
    let input = env.input(json!({}));
    let run =
        tokio::spawn(
            async move { post(&base, "/tools/thrive_get_skill_levels/run", &input).await },
        );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    server.stop();
    let (status, body) = run.await.unwrap();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(body["error"]["retryable"], false);
    assert_eq!(body["error"]["delivery"], "sent_no_answer");
    assert_eq!(
        body["error"]["attempts"], 1,
        "sent_no_answer: the step was running"
    );
    server.stopped_within(Duration::from_secs(3)).await;
    assert!(asked.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let env = Env::start().await;
    let server = Running::start(&env, quick()).await;
    let mut half = TcpStream::connect(server.addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // Health checks keep answering meanwhile.
    let health = reqwest::get(format!("{}/healthz", server.base))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), half.read_to_end(&mut buf)).await;
    assert!(
        read.is_ok(),
        "the half-sent request's connection was closed"
    );
    assert!(buf.is_empty() || String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 4"));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let env = Env::start().await;
    let server = Running::start(&env, quick()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // Silent past the idle timeout: the server closes the connection.
    let rest = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await;
    assert!(matches!(rest, Ok(Ok(0))), "closed while idle: {rest:?}");
}

#[tokio::test]
async fn a_half_sent_request_does_not_hold_the_stop() {
    let env = Env::start().await;
    let mut server = Running::start(
        &env,
        ServerOptions {
            header_timeout: Duration::from_secs(60),
            grace: Duration::from_millis(800),
            ..quick()
        },
    )
    .await;
    let mut half = TcpStream::connect(server.addr).await.unwrap();
    half.write_all(b"POST /tools/thrive_get_skill_levels/run HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"ten")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.stop();
    server.stopped_within(Duration::from_secs(3)).await;
}

#[tokio::test]
async fn connections_over_the_cap_get_503_at_once() {
    let env = Env::start().await;
    let server = Running::start(
        &env,
        ServerOptions {
            max_connections: 2,
            header_timeout: Duration::from_secs(30),
            ..quick()
        },
    )
    .await;
    let _a = TcpStream::connect(server.addr).await.unwrap();
    let _b = TcpStream::connect(server.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let answer = raw(
        server.addr,
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(status_of(&answer), 503, "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 1"),
        "{answer}"
    );
    assert_eq!(body_of(&answer)["error"]["code"], "unavailable");
    drop((_a, _b));
}

#[tokio::test]
async fn runs_over_the_cap_get_503_and_the_others_run() {
    let env = slow_env(800).await;
    let server = Running::start(
        &env,
        ServerOptions {
            max_runs: 1,
            ..quick()
        },
    )
    .await;
    let input = env.input(json!({}));
    let first = {
        let (base, input) = (server.base.clone(), input.clone());
        tokio::spawn(async move { post(&base, "/tools/thrive_get_skill_levels/run", &input).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, body) = post(&server.base, "/tools/thrive_get_skill_levels/run", &input).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(body["error"]["retryable"], true);
    // Validation is not a run: it is not held back.
    let (status, _) = post(
        &server.base,
        "/tools/thrive_get_skill_levels/validate",
        &input,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = first.await.unwrap();
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_request_past_its_deadline_is_504() {
    let env = slow_env(3000).await;
    let server = Running::start(
        &env,
        ServerOptions {
            request_timeout: Duration::from_millis(500),
            ..quick()
        },
    )
    .await;
    let (status, body) = post(
        &server.base,
        "/tools/thrive_get_skill_levels/run",
        &env.input(json!({})),
    )
    .await;
    assert_eq!(status, 504, "{body}");
    assert_eq!(body["error"]["code"], "timeout");
}

#[tokio::test]
async fn text_plain_foreign_origin_and_foreign_host_are_refused_and_nothing_runs() {
    let env = Env::start().await;
    let server = Running::start(&env, quick()).await;
    let body = env.input(json!({})).to_string();
    let url = format!("{}/tools/thrive_get_skill_levels/run", server.base);
    env.state.reset_stats();
    let client = reqwest::Client::new();

    // A form or fetch() with text/plain: 415.
    for content_type in ["text/plain", "application/x-www-form-urlencoded", ""] {
        let mut request = client.post(&url).body(body.clone());
        if !content_type.is_empty() {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 415, "{content_type:?}");
        let json: Value = response.json().await.unwrap();
        assert_eq!(json["error"]["code"], "invalid_input");
    }

    // Another web page: 403.
    let response = client
        .post(&url)
        .header("content-type", "application/json")
        .header("origin", "https://evil.example.com")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let json: Value = response.json().await.unwrap();
    assert_eq!(json["error"]["code"], "forbidden");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--allow-origin")
    );

    // DNS rebinding: the page's own name in Host.
    let request = format!(
        "POST /tools/thrive_get_skill_levels/run HTTP/1.1\r\nHost: rebind.example.com:{}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        server.addr.port(),
        body.len()
    );
    let answer = raw(server.addr, request.as_bytes(), Duration::from_secs(5)).await;
    assert_eq!(status_of(&answer), 403, "{answer}");
    assert!(
        body_of(&answer)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("rebind.example.com")
    );

    assert_eq!(
        env.state.stats().total_requests,
        0,
        "nothing reached Thrive"
    );

    // The server's own origin (the playground) and localhost names pass.
    let response = client
        .post(&url)
        .header("content-type", "application/json; charset=utf-8")
        .header("origin", &server.base)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: localhost:{}\r\nconnection: close\r\n\r\n",
        server.addr.port()
    );
    let answer = raw(server.addr, request.as_bytes(), Duration::from_secs(5)).await;
    assert_eq!(status_of(&answer), 200, "{answer}");
}

#[tokio::test]
async fn allowed_origins_and_hosts_are_let_in_with_cors() {
    let env = Env::start().await;
    let server = Running::start(
        &env,
        ServerOptions {
            allowed_origins: vec!["https://app.example.com".into()],
            allowed_hosts: vec!["blocks.example.com".into()],
            ..quick()
        },
    )
    .await;
    let client = reqwest::Client::new();
    let url = format!("{}/tools/thrive_get_skill_levels/validate", server.base);
    let preflight = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, authorization",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let response = client
        .post(&url)
        .header("origin", "https://app.example.com")
        .header("content-type", "application/json")
        .body(env.input(json!({})).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let answer = raw(
        server.addr,
        b"GET /healthz HTTP/1.1\r\nHost: blocks.example.com\r\nconnection: close\r\n\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(status_of(&answer), 200, "{answer}");
}

#[tokio::test]
async fn a_missing_token_is_401_before_404_and_405() {
    let env = Env::start().await;
    let server = Running::start(&env, quick().with_token("tok-3f9a")).await;
    let client = reqwest::Client::new();
    for (method, path) in [
        (reqwest::Method::GET, "/tools/thrive_create_user/run"),
        (reqwest::Method::DELETE, "/tools"),
        (reqwest::Method::GET, "/nope"),
    ] {
        let response = client
            .request(method.clone(), format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{method} {path}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }
    let response = client
        .get(format!("{}/tools/thrive_create_user/run", server.base))
        .bearer_auth("tok-3f9a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    // A POST without the token is 401 whatever its content type.
    let response = client
        .post(format!("{}/tools/thrive_create_user/run", server.base))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    // /healthz never needs the token.
    let response = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn expect_100_continue_with_an_oversize_body_is_413_at_once() {
    let env = Env::start().await;
    let server = Running::start(&env, quick()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(
            b"POST /tools/thrive_get_skill_levels/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              content-type: application/json\r\ncontent-length: 5000000\r\n\
              expect: 100-continue\r\n\r\n",
        )
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("an answer without sending the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]).into_owned();
    assert_eq!(status_of(&answer), 413, "{answer}");
    assert!(!answer.contains("100 Continue"), "{answer}");
}

/// `thrive-blocks serve` stopped with SIGTERM while slow runs are in
/// flight: every run answered, exit status 0.
#[cfg(unix)]
#[tokio::test]
async fn cli_serve_drains_on_sigterm_and_exits_0() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let env = slow_env(1500).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_thrive-blocks"))
        .args(["serve", "--bind", "127.0.0.1:0", "--grace", "10"])
        .env("THRIVE_ALLOWED_HOSTS", env.base())
        .env_remove("THRIVE_BLOCKS_SERVER_TOKEN")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    let base = line
        .strip_prefix("thrive-blocks serving 53 tools on ")
        .unwrap_or_else(|| panic!("unexpected line: {line}"))
        .to_owned();
    let input = env.input(json!({}));
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let (base, input) = (base.clone(), input.clone());
            tokio::spawn(
                async move { post(&base, "/tools/thrive_get_skill_levels/run", &input).await },
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for run in runs {
        let (status, body) = run.await.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
}
