//! The MCP server (`thrive_blocks::host::mcp`) as an MCP host uses it:
//! newline-delimited JSON-RPC over an in-memory duplex stream to the server
//! running in-process against the embedded sandbox, and over the stdin and
//! stdout of `thrive-blocks mcp --sandbox`.
#![cfg(all(feature = "mcp", feature = "sandbox"))]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use thrive_blocks::Catalogue;
use thrive_blocks::host::mcp::{self, McpServer};
use thrive_blocks::params::{CREDENTIAL_MARKER, Connection};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader as AsyncBufReader, DuplexStream};
use tokio::io::{Lines, ReadHalf, WriteHalf};

/// The sandbox's API key: must never appear in anything the server sends.
const API_KEY: &str = "sandbox-api-key";

/// The protocol version the tests' client asks for.
const PROTOCOL: &str = "2025-06-18";

/// How long to wait for one answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

fn initialize_request(id: u64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": {
        "protocolVersion": PROTOCOL,
        "capabilities": {},
        "clientInfo": {"name": "thrive-blocks-tests", "version": "1.0.0"}
    }})
}

/// Parses one line the server sent and checks it: JSON-RPC 2.0, no secret.
fn parse_line(line: &str) -> Value {
    assert!(!line.contains(API_KEY), "the API key leaked: {line}");
    let message: Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("the server sent a line that is not JSON ({e}): {line}"));
    assert_eq!(message["jsonrpc"], "2.0", "{line}");
    message
}

/// A client session with the server running in-process.
struct Session {
    /// The sandbox the server calls.
    env: Env,
    writer: WriteHalf<DuplexStream>,
    lines: Lines<AsyncBufReader<ReadHalf<DuplexStream>>>,
    next_id: u64,
    /// The `initialize` answer.
    init: Value,
}

impl Session {
    /// A sandbox, a server with its connection, and an initialized session.
    async fn start() -> Session {
        let env = Env::start().await;
        let cfg = env.sandbox.config();
        assert_eq!(cfg.api_key, API_KEY);
        let connection =
            Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone()).with_host(env.base());
        let server = McpServer::new(Catalogue::global(), env.ctx.clone(), connection);
        server.check_connection().unwrap();
        let (client, server_io) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_io);
        tokio::spawn(mcp::serve(server, server_read, server_write));
        let (read, writer) = tokio::io::split(client);
        let mut session = Session {
            env,
            writer,
            lines: AsyncBufReader::new(read).lines(),
            next_id: 1,
            init: Value::Null,
        };
        let id = session.fresh_id();
        session.send(&initialize_request(id)).await;
        session.init = session.answer(id).await;
        session
            .send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        session
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    async fn send(&mut self, message: &Value) {
        let mut line = message.to_string();
        line.push('\n');
        self.writer.write_all(line.as_bytes()).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// The answer to request `id` (notifications before it are skipped).
    async fn answer(&mut self, id: u64) -> Value {
        loop {
            let line = tokio::time::timeout(ANSWER_WITHIN, self.lines.next_line())
                .await
                .expect("the server answers in time")
                .unwrap()
                .expect("the server keeps the stream open");
            let message = parse_line(&line);
            if message["id"] == id {
                return message;
            }
        }
    }

    /// Sends request `method` and returns the whole answer message.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.fresh_id();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.answer(id).await
    }

    /// `tools/call` of `name` with `arguments`: the result (not a JSON-RPC error).
    async fn call(&mut self, name: &str, arguments: Value) -> Value {
        let answer = self
            .request("tools/call", json!({"name": name, "arguments": arguments}))
            .await;
        assert!(answer.get("error").is_none(), "{answer}");
        answer["result"].clone()
    }

    /// The tools from `tools/list`.
    async fn tools(&mut self) -> Vec<Value> {
        let answer = self.request("tools/list", json!({})).await;
        array(&answer["result"]["tools"]).clone()
    }
}

/// The JSON of a result's first text content.
fn text_json(result: &Value) -> Value {
    let content = array(&result["content"]);
    assert_eq!(content[0]["type"], "text", "{result}");
    serde_json::from_str(content[0]["text"].as_str().unwrap()).unwrap()
}

/// A successful result's output: the structured content, which the text
/// content repeats.
fn output(result: &Value) -> Value {
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(text_json(result), result["structuredContent"]);
    result["structuredContent"].clone()
}

/// A failed result's `error` object (`Error::to_json`), given as text.
fn tool_error(result: &Value) -> Value {
    assert_eq!(result["isError"], true, "{result}");
    assert!(result.get("structuredContent").is_none(), "{result}");
    text_json(result)["error"].clone()
}

/// Checks `output` against the `outputSchema` that `tools/list` declared.
fn assert_conforms(tools: &[Value], name: &str, output: &Value) {
    let tool = tools.iter().find(|t| t["name"] == name).unwrap();
    let validator = jsonschema::validator_for(&tool["outputSchema"]).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(output)
        .map(|e| e.to_string())
        .collect();
    assert!(problems.is_empty(), "{name}: {problems:?}");
}

#[tokio::test]
async fn initialize_answers_with_the_server_and_the_tools_capability() {
    let session = Session::start().await;
    let result = &session.init["result"];
    assert_eq!(result["protocolVersion"], PROTOCOL);
    assert_eq!(result["serverInfo"]["name"], "thrive-blocks");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(result["capabilities"]["tools"].is_object(), "{result}");
    let instructions = result["instructions"].as_str().unwrap();
    assert!(instructions.contains("never pass tenantId, apiKey"));
}

#[tokio::test]
async fn tools_list_has_every_tool_without_the_connection_inputs() {
    let mut session = Session::start().await;
    let tools = session.tools().await;
    assert_eq!(tools.len(), 53);
    assert_eq!(tools.len(), Catalogue::global().len());
    for (tool, entry) in tools.iter().zip(Catalogue::global().tools()) {
        let meta = entry.meta();
        assert_eq!(tool["name"], meta.id);
        assert_eq!(tool["title"], meta.title);
        let description = tool["description"].as_str().unwrap();
        assert!(description.starts_with(meta.description), "{description}");
        assert!(description.contains(meta.endpoint), "{description}");

        let schema = &tool["inputSchema"];
        assert_eq!(schema["type"], "object", "{}", meta.id);
        let props = schema["properties"].as_object().unwrap();
        for (name, prop) in props {
            assert!(
                prop.get(CREDENTIAL_MARKER).is_none(),
                "{}.{name} is a credential",
                meta.id
            );
            assert!(!Connection::FIELDS.contains(&name.as_str()), "{name}");
        }
        for name in schema["required"].as_array().into_iter().flatten() {
            assert!(props.contains_key(name.as_str().unwrap()), "{name}");
        }
        // Every other input of the catalogue schema is still there.
        let full = entry.input_schema()["properties"].as_object().unwrap();
        assert_eq!(props.len() + Connection::FIELDS.len(), full.len());
        // The output schema, with `true` subschemas written as `{}`.
        let mut output = entry.output_schema().clone();
        mcp::object_subschemas(&mut output);
        assert_eq!(tool["outputSchema"], output);

        let hints = &tool["annotations"];
        assert_eq!(hints["readOnlyHint"], meta.hints.read_only, "{}", meta.id);
        assert_eq!(hints["destructiveHint"], meta.hints.destructive);
        assert_eq!(hints["idempotentHint"], meta.hints.idempotent);
        assert_eq!(hints["openWorldHint"], true);
    }
    let by_name = |name: &str| tools.iter().find(|t| t["name"] == name).unwrap();
    assert_eq!(
        by_name("thrive_get_skill_levels")["annotations"]["readOnlyHint"],
        true
    );
    assert_eq!(
        by_name("thrive_delete_user")["annotations"]["destructiveHint"],
        true
    );
    let add = &by_name("thrive_add_audience_members")["inputSchema"];
    assert_eq!(add["required"], json!(["audienceId", "users"]));
}

#[tokio::test]
async fn get_skill_levels_returns_the_levels() {
    let mut session = Session::start().await;
    let tools = session.tools().await;
    let result = session.call("thrive_get_skill_levels", json!({})).await;
    let out = output(&result);
    let names: Vec<String> = strings(&out["levels"], "name");
    assert_eq!(names, ["Beginner", "Intermediate", "Advanced", "Expert"]);
    assert_conforms(&tools, "thrive_get_skill_levels", &out);

    // Omitted arguments are an empty input.
    let answer = session
        .request("tools/call", json!({"name": "thrive_get_skill_levels"}))
        .await;
    assert_eq!(output(&answer["result"]), out);
}

#[tokio::test]
async fn add_members_with_an_unknown_user_is_a_partial_success() {
    let mut session = Session::start().await;
    let tools = session.tools().await;
    let known = text(&session.env.non_members("aud-finance")[0]["email"]);
    let users = json!([known, "nobody@example.com"]);
    let result = session
        .call(
            "thrive_add_audience_members",
            json!({"audienceId": "aud-finance", "users": users}),
        )
        .await;
    let out = output(&result);
    assert_eq!(out["partial"], true, "{out}");
    assert_eq!(out["result"]["success"]["count"], 1);
    assert_eq!(
        out["result"]["failure"]["entities"],
        json!([{"reason": "User does not exist.", "reference": "nobody@example.com"}])
    );
    assert_conforms(&tools, "thrive_add_audience_members", &out);
}

#[tokio::test]
async fn connection_inputs_in_the_arguments_are_refused_by_name() {
    let mut session = Session::start().await;
    let before = session.env.state.members("aud-finance");
    for (field, value) in [
        ("apiKey", json!("another-key")),
        ("host", json!("https://attacker.example.com")),
        ("tenantId", json!("eu-west-2_Other")),
        ("clientId", json!("c")),
        ("scope", json!("api/all")),
        ("host", Value::Null),
    ] {
        let result = session
            .call(
                "thrive_add_audience_members",
                json!({"audienceId": "aud-finance", "users": ["nobody@example.com"], field: value}),
            )
            .await;
        let error = tool_error(&result);
        assert_eq!(error["code"], "invalid_input", "{error}");
        assert_eq!(error["attempts"], 0, "nothing was sent");
        assert_eq!(
            error["details"],
            json!([{"pointer": format!("/{field}"), "message": format!(
                "{field} is part of the connection, which this server's operator configures; \
                 it cannot be given in a tool call: remove {field}")}]),
        );
        assert!(error["message"].as_str().unwrap().contains(field));
    }
    let result = session
        .call(
            "thrive_get_skill_levels",
            json!({"apiKey": "k", "host": "evil.example.com"}),
        )
        .await;
    let pointers = strings(&tool_error(&result)["details"], "pointer");
    assert_eq!(pointers, ["/apiKey", "/host"]);
    assert_eq!(session.env.state.members("aud-finance"), before);
}

#[tokio::test]
async fn invalid_input_lists_every_violation() {
    let mut session = Session::start().await;
    let result = session
        .call(
            "thrive_add_audience_members",
            json!({"users": "not json", "colour": "blue"}),
        )
        .await;
    let error = tool_error(&result);
    assert_eq!(error["code"], "invalid_input", "{error}");
    assert_eq!(error["attempts"], 0);
    let pointers = strings(&error["details"], "pointer");
    for expected in ["/audienceId", "/users"] {
        assert!(pointers.iter().any(|p| p == expected), "{error}");
    }
    assert!(
        pointers.len() >= 3,
        "the unknown input is reported too: {error}"
    );
}

#[tokio::test]
async fn thrive_refusals_are_tool_errors() {
    let mut session = Session::start().await;
    let result = session
        .call("thrive_get_user_by_id", json!({"id": "no-such-user"}))
        .await;
    let error = tool_error(&result);
    assert_eq!(error["code"], "not_found", "{error}");
    assert_eq!(error["status"], 404);
    assert_eq!(error["retryable"], false);
}

#[tokio::test]
async fn unknown_tool_is_a_json_rpc_invalid_params_error() {
    let mut session = Session::start().await;
    let answer = session
        .request(
            "tools/call",
            json!({"name": "thrive_nope", "arguments": {}}),
        )
        .await;
    assert!(answer.get("result").is_none(), "{answer}");
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("thrive_nope")
    );
}

#[tokio::test]
async fn a_cancelled_call_is_dropped_unanswered_and_the_session_goes_on() {
    let mut session = Session::start().await;
    let before = session.env.state.members("aud-finance");
    let user = text(&session.env.non_members("aud-finance")[0]["email"]);
    session.env.sandbox.set_faults(thrive_sandbox::Faults {
        latency_ms: 1_000,
        ..thrive_sandbox::Faults::none()
    });
    let cancelled = session.fresh_id();
    let arguments = json!({"audienceId": "aud-finance", "users": [user]});
    let call = json!({"jsonrpc": "2.0", "id": cancelled, "method": "tools/call",
                      "params": {"name": "thrive_add_audience_members", "arguments": arguments}});
    session.send(&call).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let cancel = json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                        "params": {"requestId": cancelled, "reason": "the user gave up"}});
    session.send(&cancel).await;
    session
        .env
        .sandbox
        .set_faults(thrive_sandbox::Faults::none());
    // The call was dropped with its HTTP request: the sandbox never handled it.
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    assert_eq!(session.env.state.members("aud-finance"), before);

    let next = session.fresh_id();
    let call = json!({"jsonrpc": "2.0", "id": next, "method": "tools/call",
                      "params": {"name": "thrive_get_skill_levels", "arguments": {}}});
    session.send(&call).await;
    loop {
        let line = tokio::time::timeout(ANSWER_WITHIN, session.lines.next_line())
            .await
            .expect("the next call is answered")
            .unwrap()
            .unwrap();
        let message = parse_line(&line);
        assert_ne!(
            message["id"], cancelled,
            "a cancelled request is not answered"
        );
        if message["id"] == next {
            assert_eq!(array(&output(&message["result"])["levels"]).len(), 4);
            break;
        }
    }
}

/// A child process killed when dropped.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn mcp_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thrive-blocks"));
    cmd.arg("mcp");
    for name in [
        "THRIVE_ALLOWED_HOSTS",
        "RUST_LOG",
        mcp::TENANT_ID_ENV,
        mcp::API_KEY_ENV,
        mcp::HOST_ENV,
        mcp::CLIENT_ID_ENV,
        mcp::SCOPE_ENV,
    ] {
        cmd.env_remove(name);
    }
    cmd
}

#[test]
fn the_binary_serves_mcp_on_stdio_and_prints_nothing_else_on_stdout() {
    let mut child = Child(
        mcp_command()
            .arg("--sandbox")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stdin = child.0.stdin.take().unwrap();
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut send = move |message: Value| {
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    };
    let answer = |id: u64| loop {
        let line = rx
            .recv_timeout(ANSWER_WITHIN)
            .expect("the server answers on stdout in time");
        let message = parse_line(&line);
        if message["id"] == id {
            return message;
        }
    };

    send(initialize_request(1));
    let init = answer(1);
    assert_eq!(init["result"]["serverInfo"]["name"], "thrive-blocks");
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

    send(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}));
    let list = answer(2);
    let tools = array(&list["result"]["tools"]);
    assert_eq!(tools.len(), 53);
    assert!(
        tools
            .iter()
            .all(|t| t["inputSchema"]["properties"].get("apiKey").is_none())
    );

    send(json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                "params": {"name": "thrive_get_skill_levels", "arguments": {}}}));
    let call = answer(3);
    assert_eq!(array(&output(&call["result"])["levels"]).len(), 4);

    send(json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                "params": {"name": "thrive_get_skill_levels", "arguments": {"apiKey": "x"}}}));
    let refused = answer(4);
    assert_eq!(
        tool_error(&refused["result"])["details"][0]["pointer"],
        "/apiKey"
    );

    send(json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
                "params": {"name": "thrive_nope", "arguments": {}}}));
    assert_eq!(answer(5)["error"]["code"], -32602);

    // Closing stdin ends the server cleanly; stdout held only protocol messages.
    drop(send);
    let status = child.0.wait().unwrap();
    assert!(status.success(), "{status}");
    for line in rx.try_iter() {
        parse_line(&line);
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.0.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("thrive-blocks serving 53 tools over MCP on stdio"),
        "{stderr}"
    );
    assert!(!stderr.contains(API_KEY), "{stderr}");
}

#[test]
fn the_binary_needs_a_connection_without_sandbox() {
    let out = mcp_command()
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on the protocol channel");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("THRIVE_TENANT_ID and THRIVE_API_KEY are not set"),
        "{stderr}"
    );

    // A host the context does not allow is refused at start, not per call.
    let out = mcp_command()
        .env(mcp::TENANT_ID_ENV, "eu-west-2_AbcdEfghI")
        .env(mcp::API_KEY_ENV, "operator-key-NEVER-ECHOED")
        .env(mcp::HOST_ENV, "attacker.example.com")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("host_not_allowed"), "{stderr}");
    assert!(!stderr.contains("operator-key-NEVER-ECHOED"), "{stderr}");
}
