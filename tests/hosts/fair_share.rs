//! No single client can starve the servers: heads whose body never comes,
//! a reconnecting slowloris from one address while another is served,
//! `Host` headers that are missing, unreadable or repeated, chunked bodies
//! over the limit, and malformed MCP messages over HTTP. Counts are small
//! and timeouts short (set through `ServerOptions`), so each test takes a
//! few seconds; the only time bounds are generous ones.
#![cfg(all(feature = "server", feature = "sandbox", feature = "mcp"))]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use thrive_blocks::Catalogue;
use thrive_blocks::host::http::{self, ServerOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Serves the block server with `options` on 127.0.0.1 until the test ends.
async fn serve(env: &Env, options: ServerOptions) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(http::serve_with_shutdown(
        listener,
        Catalogue::global(),
        env.ctx.clone(),
        options,
        std::future::pending(),
    ));
    addr
}

/// A connection to `addr` from the loopback address `from` (127.0.0.x).
async fn connect_from(from: &str, addr: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{from}:0").parse().unwrap())?;
    socket.connect(addr).await
}

/// Reads until the server closes (or `within` passes): the raw answer.
async fn answer_of(stream: &mut TcpStream, within: Duration) -> String {
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(within, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    answer_of(&mut stream, Duration::from_secs(10)).await
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
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {answer:?}"))
}

/// POST validate with a valid input until it is answered 200 (following
/// `503` + `Retry-After`), at most `tries` times; the last status.
async fn validate_until_served(client: &reqwest::Client, base: &str, input: &Value) -> u16 {
    let mut status = 0;
    for _ in 0..40 {
        let sent = client
            .post(format!("{base}/tools/thrive_get_skill_levels/validate"))
            .header("content-type", "application/json")
            .body(input.to_string())
            .send()
            .await;
        status = sent.as_ref().map_or(0, |r| r.status().as_u16());
        if status == 200 {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    status
}

#[tokio::test]
async fn heads_whose_body_never_comes_are_answered_408_and_free_their_slots() {
    let env = Env::start().await;
    let addr = serve(
        &env,
        ServerOptions {
            max_connections: 500,
            max_connections_per_client: Some(500),
            body_timeout: Duration::from_secs(1),
            ..ServerOptions::default()
        },
    )
    .await;
    let started = Instant::now();
    // 500 heads that declare a body and never send it: every slot taken.
    let mut heads = Vec::new();
    for _ in 0..500 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(
                b"POST /tools/thrive_get_skill_levels/run HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                  Content-Type: application/json\r\nContent-Length: 10\r\n\r\n",
            )
            .await
            .unwrap();
        heads.push(tokio::spawn(async move {
            answer_of(&mut stream, Duration::from_secs(20)).await
        }));
    }
    // Then 50 normal requests, 10 at a time: all served within seconds.
    let base = format!("http://{addr}");
    let input = env.input(json!({}));
    let client = reqwest::Client::new();
    let mut normal = Vec::new();
    for _ in 0..10 {
        let (client, base, input) = (client.clone(), base.clone(), input.clone());
        normal.push(tokio::spawn(async move {
            let mut served = 0;
            for _ in 0..5 {
                served += u32::from(validate_until_served(&client, &base, &input).await == 200);
            }
            served
        }));
    }
    let mut served = 0;
    for task in normal {
        served += task.await.unwrap();
    }
    assert_eq!(served, 50, "every normal request is served");
    for head in heads {
        let answer = head.await.unwrap();
        assert_eq!(status_of(&answer), 408, "{answer}");
        let error = &body_of(&answer)["error"];
        assert_eq!(error["code"], "timeout", "{answer}");
        assert_eq!(error["delivery"], "not_sent", "nothing was run: {answer}");
        assert_eq!(error["attempts"], 0);
        assert!(!answer.contains("may or may not"), "{answer}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "served within seconds, not the request deadline: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_slow_body_is_allowed_its_rate_and_a_stalled_one_is_not() {
    let env = Env::start().await;
    let addr = serve(
        &env,
        ServerOptions {
            body_timeout: Duration::from_millis(500),
            min_body_rate: 100,
            ..ServerOptions::default()
        },
    )
    .await;
    // 200 bytes at 100 B/s beyond 0.5 s: 2.5 s allowed; sent within ~1.2 s.
    let input = env.input(json!({})).to_string();
    let padded = format!("{input:<200}");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /tools/thrive_get_skill_levels/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                padded.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    for chunk in padded.as_bytes().chunks(padded.len() / 4 + 1) {
        stream.write_all(chunk).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let answer = answer_of(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status_of(&answer), 200, "{answer}");
    // A chunked body that stops half-way is cut off at the body timeout.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /tools/thrive_get_skill_levels/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\n",
        )
        .await
        .unwrap();
    let answer = answer_of(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status_of(&answer), 408, "{answer}");
    assert_eq!(body_of(&answer)["error"]["delivery"], "not_sent");
}

#[tokio::test]
async fn a_reconnecting_slowloris_from_one_address_leaves_another_served() {
    let env = Env::start().await;
    let addr = serve(
        &env,
        ServerOptions {
            max_connections: 64,
            header_timeout: Duration::from_millis(500),
            ..ServerOptions::default()
        },
    )
    .await;
    let stop = tokio_util_stop();
    // 200 slowloris connections from 127.0.0.2, a byte every 100 ms, each
    // reopened as soon as it is dropped or refused.
    let mut attackers = Vec::new();
    for _ in 0..200 {
        let stop = stop.clone();
        attackers.push(tokio::spawn(async move {
            let mut refused = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let Ok(mut stream) = connect_from("127.0.0.2", addr).await else {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                for byte in b"GET /tools HTTP/1.1\r\nHost: 127.0.0.1\r\n" {
                    if stream.write_all(&[*byte]).await.is_err() {
                        break;
                    }
                    let mut peek = [0u8; 1];
                    let read =
                        tokio::time::timeout(Duration::from_millis(100), stream.read(&mut peek))
                            .await;
                    if matches!(read, Ok(Ok(_)) | Ok(Err(_))) {
                        refused += 1;
                        break;
                    }
                }
            }
            refused
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Meanwhile 100 requests from 127.0.0.1, 4 at a time, each once.
    let client = reqwest::Client::builder()
        .local_address("127.0.0.1".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    let base = format!("http://{addr}");
    let mut victims = Vec::new();
    for _ in 0..4 {
        let (client, base) = (client.clone(), base.clone());
        victims.push(tokio::spawn(async move {
            let mut served = 0u32;
            for _ in 0..25 {
                let reply = client.get(format!("{base}/tools")).send().await;
                served += u32::from(reply.is_ok_and(|r| r.status() == 200));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            served
        }));
    }
    let mut served = 0;
    for v in victims {
        served += v.await.unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut refused = 0;
    for a in attackers {
        refused += a.await.unwrap();
    }
    assert!(served >= 95, "only {served} of 100 served");
    assert!(refused > 0, "the attacker's extra connections were refused");
    // The attacker's refusals are 503 with Retry-After in the one shape.
    let mut extra = Vec::new();
    for _ in 0..20 {
        let mut s = connect_from("127.0.0.2", addr).await.unwrap();
        s.write_all(b"GET /tools HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .await
            .unwrap();
        extra.push(s);
    }
    let mut over = connect_from("127.0.0.2", addr).await.unwrap();
    over.write_all(b"GET /tools HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let answer = answer_of(&mut over, Duration::from_secs(5)).await;
    assert_eq!(status_of(&answer), 503, "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 1"),
        "{answer}"
    );
    let error = &body_of(&answer)["error"];
    assert_eq!(error["code"], "unavailable");
    assert!(
        error["message"].as_str().unwrap().contains("one client"),
        "{error}"
    );
}

fn tokio_util_stop() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false))
}

#[tokio::test]
async fn a_missing_unreadable_or_repeated_host_is_refused_before_any_step() {
    let env = Env::start().await;
    let addr = serve(&env, ServerOptions::default()).await;
    let input = env.input(json!({})).to_string();
    let post = |host_lines: &str, version: &str| {
        format!(
            "POST /tools/thrive_get_skill_levels/run {version}\r\n{host_lines}\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{input}",
            input.len()
        )
        .into_bytes()
    };
    let mut unreadable = post("", "HTTP/1.1");
    let at = unreadable.iter().position(|b| *b == b'\n').unwrap() + 1;
    unreadable.splice(at..at, b"Host: evil\xff.example\r\n".iter().copied());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("missing, HTTP/1.1", post("", "HTTP/1.1")),
        ("missing, HTTP/1.0", post("", "HTTP/1.0")),
        ("unreadable", unreadable),
        (
            "own then evil",
            post("Host: 127.0.0.1\r\nHost: evil.example\r\n", "HTTP/1.1"),
        ),
        (
            "own twice",
            post("Host: 127.0.0.1\r\nHost: 127.0.0.1\r\n", "HTTP/1.1"),
        ),
        ("empty", post("Host: \r\n", "HTTP/1.1")),
    ];
    for (case, request) in cases {
        let answer = raw(addr, &request).await;
        assert_eq!(status_of(&answer), 400, "{case}: {answer}");
        let error = &body_of(&answer)["error"];
        assert_eq!(error["code"], "bad_request", "{case}");
        assert_eq!(error["delivery"], "not_sent", "{case}");
    }
    // An absolute URI naming another host is refused like a foreign Host.
    let answer = raw(
        addr,
        b"GET http://evil.example/tools HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), 403, "{answer}");
    // The same request with one good Host runs.
    let answer = raw(addr, &post("Host: 127.0.0.1\r\n", "HTTP/1.1")).await;
    assert_eq!(status_of(&answer), 200, "{answer}");
}

#[tokio::test]
async fn a_chunked_webhook_body_over_the_limit_gets_the_json_error() {
    use thrive_blocks::triggers::{EventLog, Receiver, ReceiverConfig, SqliteStore, Subscription};
    let env = Env::start().await;
    let path =
        std::env::temp_dir().join(format!("thrive-fair-share-{}.db", uuid_like(&env.base())));
    let log = EventLog::new(SqliteStore::open(&path).unwrap()).unwrap();
    let config = ReceiverConfig::for_tenant("eu-west-2_AbcdEfghI")
        .subscription(Subscription::Completion, None);
    let addr = serve(
        &env,
        ServerOptions {
            webhooks: Some(Receiver::new(
                config,
                log,
                thrive_blocks::Catalogue::global().webhook_routes(),
            )),
            ..ServerOptions::default()
        },
    )
    .await;
    // Over the receiver's 256 KiB, and over the server's 1 MiB.
    for size in [320 * 1024, 1536 * 1024] {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = "POST /webhooks/thrive/completion_subscription HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                    Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        let (mut read, mut write) = stream.split();
        let send = async {
            write.write_all(head.as_bytes()).await?;
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..size / chunk.len() {
                write
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                write.write_all(&chunk).await?;
                write.write_all(b"\r\n").await?;
            }
            write.write_all(b"0\r\n\r\n").await
        };
        let receive = async {
            let mut answer = Vec::new();
            let _ =
                tokio::time::timeout(Duration::from_secs(10), read.read_to_end(&mut answer)).await;
            String::from_utf8_lossy(&answer).into_owned()
        };
        let (_, answer) = tokio::join!(send, receive);
        assert_eq!(status_of(&answer), 413, "{size}: {answer}");
        assert!(
            answer
                .to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{answer}"
        );
        let error = &body_of(&answer)["error"];
        assert_eq!(error["code"], "invalid_input", "{answer}");
        assert_eq!(error["delivery"], "not_sent");
        assert_eq!(error["attempts"], 0);
    }
    let _ = std::fs::remove_file(path);
}

/// A file-name-safe token unique to this sandbox (its port).
fn uuid_like(base: &str) -> String {
    base.chars().filter(char::is_ascii_digit).collect()
}

// ---- MCP over HTTP --------------------------------------------------------

async fn serve_mcp(env: &Env) -> String {
    use thrive_blocks::host::mcp::McpServer;
    use thrive_blocks::params::Connection;
    let cfg = env.sandbox.config();
    let connection =
        Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone()).with_host(env.base());
    let server = McpServer::new(Catalogue::global(), env.ctx.clone(), connection);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(thrive_blocks::host::mcp::http::serve(
        server,
        listener,
        ServerOptions::default(),
        std::future::pending(),
    ));
    format!("http://{addr}/mcp")
}

/// POSTs `body` as MCP's transport does; status, content type and body.
async fn mcp_post(url: &str, body: Vec<u8>, content_type: &str) -> (u16, String, Value) {
    let reply = reqwest::Client::new()
        .post(url)
        .header("content-type", content_type)
        .header("accept", "application/json, text/event-stream")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    let kind = reply
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = reply.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, kind, json)
}

#[tokio::test]
async fn mcp_over_http_answers_every_malformed_message_with_its_id() {
    let env = Env::start().await;
    let url = serve_mcp(&env).await;
    let deep = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{{\"x\":{}{}}}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let oversized = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{{\"name\":\"x\",\"arguments\":{{\"pad\":\"{}\"}}}}}}",
        "a".repeat(1_100_000)
    );
    let mut bad_utf8 = br#"{"jsonrpc":"2.0","id":6,"method":"tools/list","params":{"x":""#.to_vec();
    bad_utf8.extend_from_slice(b"\xff\xfe\"}}");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(br#"{"jsonrpc":"1.0","id":"bom","method":"initialize","params":{}}"#);
    let cases: Vec<(&str, Vec<u8>, Value, i64)> = vec![
        (
            "wrong jsonrpc",
            br#"{"jsonrpc":"1.0","id":1,"method":"initialize","params":{}}"#.to_vec(),
            json!(1),
            -32600,
        ),
        (
            "params not an object",
            br#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":[1]}"#.to_vec(),
            json!(2),
            -32602,
        ),
        (
            "method not a string",
            br#"{"jsonrpc":"2.0","id":"m","method":5}"#.to_vec(),
            json!("m"),
            -32600,
        ),
        (
            "broken JSON after the id",
            br#"{"jsonrpc":"2.0","id":4,"method":"#.to_vec(),
            json!(4),
            -32700,
        ),
        ("deep nesting", deep.into_bytes(), json!(7), -32600),
        ("bad UTF-8", bad_utf8, json!(6), -32700),
        ("BOM, wrong jsonrpc", bom, json!("bom"), -32600),
        ("over 1 MiB", oversized.into_bytes(), json!(8), -32600),
        (
            "tool arguments not an object",
            br#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"x","arguments":[1]}}"#
                .to_vec(),
            json!(9),
            -32602,
        ),
    ];
    for (case, body, id, code) in cases {
        let (status, kind, answer) = mcp_post(&url, body, "application/json").await;
        assert!(kind.starts_with("application/json"), "{case}: {kind}");
        assert!((400..500).contains(&status), "{case}: {status}");
        assert_eq!(answer["jsonrpc"], "2.0", "{case}: {answer}");
        assert_eq!(answer["id"], id, "{case}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{case}: {answer}");
    }
    // Not declared JSON: a JSON-RPC error with the id too, never plain text.
    let (status, kind, answer) = mcp_post(
        &url,
        br#"{"jsonrpc":"2.0","id":10,"method":"ping"}"#.to_vec(),
        "text/plain",
    )
    .await;
    assert_eq!(status, 415);
    assert!(kind.starts_with("application/json"), "{kind}");
    assert_eq!(answer["id"], 10);
    // A request for an unknown session: rmcp's refusal in JSON-RPC's shape.
    let reply = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-session-id", "no-such-session")
        .body(r#"{"jsonrpc":"2.0","id":11,"method":"tools/list","params":{}}"#)
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_client_error(), "{}", reply.status());
    let answer: Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
    assert_eq!(answer["id"], 11, "{answer}");
    assert_eq!(answer["error"]["code"], -32600);
    // A well-formed initialize still opens a session.
    let reply = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(
            json!({"jsonrpc": "2.0", "id": 12, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": {"name": "test", "version": "1"}}})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert!(reply.headers().contains_key("mcp-session-id"));
}
