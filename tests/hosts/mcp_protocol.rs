//! The MCP server's protocol edges over newline-delimited JSON-RPC: what
//! arrives before `initialize`, malformed lines and requests (each answered
//! with its id and the documented error code), progress notifications per
//! page and per chunk, and warnings forwarded as log messages.
#![cfg(all(feature = "mcp", feature = "sandbox"))]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use std::time::Duration;
use thrive_blocks::Catalogue;
use thrive_blocks::host::mcp::{self, McpServer};
use thrive_blocks::params::Connection;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::io::{Lines, ReadHalf, WriteHalf};

const PROTOCOL: &str = "2025-06-18";

/// A raw line-level client of a server running in-process.
struct Client {
    env: Env,
    writer: WriteHalf<DuplexStream>,
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
}

impl Client {
    /// A sandbox and a server for it; nothing sent yet.
    async fn start() -> Client {
        let env = Env::start().await;
        let cfg = env.sandbox.config();
        let connection =
            Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone()).with_host(env.base());
        let server = McpServer::new(Catalogue::global(), env.ctx.clone(), connection);
        let (client, server_io) = tokio::io::duplex(1 << 20);
        let (read, write) = tokio::io::split(server_io);
        tokio::spawn(mcp::serve(server, read, write));
        let (read, writer) = tokio::io::split(client);
        Client {
            env,
            writer,
            lines: BufReader::new(read).lines(),
        }
    }

    /// A started client after `initialize` and `notifications/initialized`.
    async fn initialized() -> Client {
        let mut client = Client::start().await;
        client.initialize(1).await;
        client
    }

    async fn initialize(&mut self, id: u64) {
        self.line(
            &json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": {
                "protocolVersion": PROTOCOL,
                "capabilities": {},
                "clientInfo": {"name": "thrive-blocks-tests", "version": "1.0.0"}
            }})
            .to_string(),
        )
        .await;
        let answer = self.answer(&json!(id)).await;
        assert_eq!(answer["result"]["protocolVersion"], PROTOCOL, "{answer}");
        self.line(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            .await;
    }

    async fn line(&mut self, line: &str) {
        self.writer.write_all(line.as_bytes()).await.unwrap();
        self.writer.write_all(b"\n").await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// The next message the server sends.
    async fn next(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(30), self.lines.next_line())
            .await
            .expect("the server answers in time")
            .unwrap()
            .expect("the server keeps the stream open");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }

    /// The answer with `id`; the notifications before it are kept.
    async fn answer_after(&mut self, id: &Value) -> (Value, Vec<Value>) {
        let mut before = Vec::new();
        loop {
            let message = self.next().await;
            if message.get("id") == Some(id) && message.get("method").is_none() {
                return (message, before);
            }
            before.push(message);
        }
    }

    async fn answer(&mut self, id: &Value) -> Value {
        self.answer_after(id).await.0
    }
}

fn error_code(answer: &Value) -> i64 {
    answer["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error answer: {answer}"))
}

#[tokio::test]
async fn notifications_and_responses_before_initialize_are_ignored() {
    let mut client = Client::start().await;
    client
        .line(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        .await;
    client
        .line(r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}"#)
        .await;
    client
        .line(r#"{"jsonrpc":"2.0","id":77,"result":{}}"#)
        .await;
    client
        .line(r#"{"jsonrpc":"2.0","id":78,"error":{"code":-1,"message":"x"}}"#)
        .await;
    client
        .line(r#"{"jsonrpc":"2.0","id":"p","method":"ping"}"#)
        .await;
    let pong = client.answer(&json!("p")).await;
    assert_eq!(pong["result"], json!({}), "{pong}");
    client.initialize(2).await;
    client
        .line(r#"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#)
        .await;
    let tools = client.answer(&json!(3)).await;
    assert_eq!(tools["result"]["tools"].as_array().unwrap().len(), 53);
}

#[tokio::test]
async fn malformed_lines_get_the_documented_errors_with_their_id() {
    let mut client = Client::initialized().await;
    let deep = format!(
        r#"{{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{{"name":"thrive_get_skill_levels","arguments":{{"a":{}1{}}}}}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    );
    let cases: Vec<(String, Value, i64)> = vec![
        ("this is not json".into(), Value::Null, -32700),
        (r#"{"jsonrpc":"2.0","id":"s-9","method":"tools/list", oops"#.into(), json!("s-9"), -32700),
        (r#"{"jsonrpc":"2.0","id":5,"method":"tools/list","params":[1]}"#.into(), json!(5), -32602),
        (r#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":"x"}"#.into(), json!(6), -32602),
        (r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"thrive_get_skill_levels","arguments":[]}}"#.into(), json!(7), -32602),
        (deep, json!(8), -32600),
        (r#"[{"jsonrpc":"2.0","id":10,"method":"ping"}]"#.into(), Value::Null, -32600),
        (r#"{"jsonrpc":"1.0","id":11,"method":"ping"}"#.into(), json!(11), -32600),
        (r#"{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"arguments":{}}}"#.into(), json!(12), -32602),
        (r#"{"jsonrpc":"2.0","id":13,"method":"tools/list","params":{"cursor":"abc"}}"#.into(), json!(13), -32602),
        (r#"{"jsonrpc":"2.0","id":14,"method":"no/such/method"}"#.into(), json!(14), -32601),
        (r#"{"jsonrpc":"2.0","id":15,"method":7}"#.into(), json!(15), -32600),
        (r#"{"jsonrpc":"2.0","id":16,"method":"tools/call","params":{"name":5}}"#.into(), json!(16), -32602),
    ];
    for (line, id, code) in cases {
        client.line(&line).await;
        let answer = client.answer(&id).await;
        assert_eq!(error_code(&answer), code, "{line}\n→ {answer}");
        assert_eq!(answer["jsonrpc"], "2.0");
    }
    // Malformed notifications get no answer; the session goes on.
    client
        .line(r#"{"jsonrpc":"2.0","method":"notifications/progress","params":"x"}"#)
        .await;
    client
        .line(r#"{"jsonrpc":"2.0","id":99,"method":"ping"}"#)
        .await;
    let pong = client.answer(&json!(99)).await;
    assert_eq!(pong["result"], json!({}), "{pong}");
}

/// The `notifications/progress` with `token` among `messages`: (progress, total).
fn progress_of(messages: &[Value], token: &str) -> Vec<(f64, Option<f64>)> {
    messages
        .iter()
        .filter(|m| m["method"] == "notifications/progress")
        .filter(|m| m["params"]["progressToken"] == token)
        .map(|m| {
            (
                m["params"]["progress"].as_f64().unwrap(),
                m["params"]["total"].as_f64(),
            )
        })
        .collect()
}

#[tokio::test]
async fn progress_is_notified_per_page_and_per_chunk() {
    let mut client = Client::initialized().await;
    let users = client.env.state.user_count();
    client
        .line(
            &json!({"jsonrpc": "2.0", "id": 20, "method": "tools/call", "params": {
                "name": "thrive_search_users",
                "arguments": {"returnAll": true, "perPage": 10},
                "_meta": {"progressToken": "pages"}
            }})
            .to_string(),
        )
        .await;
    let (answer, before) = client.answer_after(&json!(20)).await;
    let results = answer["result"]["structuredContent"]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .len();
    let progress = progress_of(&before, "pages");
    assert_eq!(
        progress.len(),
        results.div_ceil(10),
        "one per page: {progress:?}"
    );
    assert!(progress.windows(2).all(|w| w[0].0 < w[1].0), "{progress:?}");
    assert_eq!(progress.last().unwrap().0, results as f64);
    assert!(
        users >= results && results > 10,
        "{users} users, {results} results"
    );

    // 150 members are sent in two chunks: 100 then 150 of 150.
    client.env.state.insert_users(150);
    let refs: Vec<String> = (0..150).map(|i| format!("bulk-{i:04}")).collect();
    client
        .line(
            &json!({"jsonrpc": "2.0", "id": 21, "method": "tools/call", "params": {
                "name": "thrive_add_audience_members",
                "arguments": {"audienceId": "aud-finance", "users": refs},
                "_meta": {"progressToken": 7}
            }})
            .to_string(),
        )
        .await;
    let (answer, before) = client.answer_after(&json!(21)).await;
    assert_eq!(answer["result"]["isError"], false, "{answer}");
    let chunks: Vec<_> = before
        .iter()
        .filter(|m| m["method"] == "notifications/progress" && m["params"]["progressToken"] == 7)
        .map(|m| {
            (
                m["params"]["progress"].clone(),
                m["params"]["total"].clone(),
            )
        })
        .collect();
    assert_eq!(
        chunks,
        vec![(json!(100.0), json!(150.0)), (json!(150.0), json!(150.0))]
    );

    // Without a token, no progress is sent.
    client
        .line(
            &json!({"jsonrpc": "2.0", "id": 22, "method": "tools/call", "params": {
                "name": "thrive_search_users",
                "arguments": {"returnAll": true, "perPage": 10}
            }})
            .to_string(),
        )
        .await;
    let (_, before) = client.answer_after(&json!(22)).await;
    assert!(
        before
            .iter()
            .all(|m| m["method"] != "notifications/progress"),
        "{before:?}"
    );
}

#[tokio::test]
async fn warnings_are_forwarded_as_log_messages_at_the_clients_level() {
    let mut client = Client::initialized().await;
    let known = text(&client.env.non_members("aud-finance")[0]["email"]);
    let call = |id: u64| {
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
            "name": "thrive_add_audience_members",
            "arguments": {"audienceId": "aud-finance", "users": [known, "nobody@example.com"]}
        }})
        .to_string()
    };
    client.line(&call(30)).await;
    let (answer, before) = client.answer_after(&json!(30)).await;
    assert_eq!(answer["result"]["structuredContent"]["partial"], true);
    let logs: Vec<&Value> = before
        .iter()
        .filter(|m| m["method"] == "notifications/message")
        .collect();
    assert_eq!(logs.len(), 1, "{before:?}");
    assert_eq!(logs[0]["params"]["level"], "warning");
    assert_eq!(logs[0]["params"]["logger"], "thrive-blocks");
    assert_eq!(
        logs[0]["params"]["data"]["tool"],
        "thrive_add_audience_members"
    );
    assert_eq!(logs[0]["params"]["data"]["partial"], true);
    let text = logs[0].to_string();
    assert!(
        !text.contains("nobody@example.com"),
        "no arguments in logs: {text}"
    );

    client
        .line(r#"{"jsonrpc":"2.0","id":31,"method":"logging/setLevel","params":{"level":"error"}}"#)
        .await;
    let set = client.answer(&json!(31)).await;
    assert_eq!(set["result"], json!({}), "{set}");
    client.line(&call(32)).await;
    let (_, before) = client.answer_after(&json!(32)).await;
    assert!(
        before
            .iter()
            .all(|m| m["method"] != "notifications/message"),
        "{before:?}"
    );
}

/// Runs `thrive-blocks mcp --sandbox` with `RUST_LOG=trace` (and `extra`
/// environment), makes one call whose arguments hold an email, closes stdin
/// and returns everything the server logged on stderr.
fn trace_log_of_one_call(extra: &[(&str, &str)]) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thrive-blocks"));
    cmd.args(["mcp", "--sandbox"])
        .env("RUST_LOG", "trace")
        .env_remove("THRIVE_BLOCKS_LOG_PAYLOADS")
        .envs(extra.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let lines = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": PROTOCOL, "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "thrive_get_user_by_ref", "arguments": {"ref": "secret.person@example.com"}}}),
    ];
    for line in lines {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    // Wait for the answer to the call, then close stdin to end the session.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0 {
        if line.contains("\"id\":2") {
            break;
        }
        line.clear();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn trace_logs_hold_no_arguments_unless_asked() {
    let quiet = trace_log_of_one_call(&[]);
    assert!(quiet.contains("tools/call"), "trace logs are on: {quiet}");
    assert!(
        !quiet.contains("secret.person"),
        "an argument leaked: {quiet}"
    );
    let loud = trace_log_of_one_call(&[("THRIVE_BLOCKS_LOG_PAYLOADS", "1")]);
    assert!(loud.contains("secret.person"), "the opt-in shows payloads");
}
