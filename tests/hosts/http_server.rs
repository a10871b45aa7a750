//! The HTTP block server (`thrive_blocks::host::http`) as hosts in other
//! languages use it: the router on a loopback port in-process, called with
//! reqwest, runs against the embedded sandbox; and `thrive-blocks serve`.
#![cfg(all(feature = "server", feature = "sandbox"))]

use crate::support_sandbox::*;
use reqwest::header::{AUTHORIZATION, HeaderMap, RETRY_AFTER, WWW_AUTHENTICATE};
use serde_json::{Value, json};
use std::time::Duration;
use thrive_blocks::api::Origin;
use thrive_blocks::host::http::{self, ServerOptions};
use thrive_blocks::{Catalogue, Context, RetryPolicy};
use thrive_sandbox::{Faults, OneShotFault, SandboxConfig};

/// The sandbox's API key: must never appear in any response.
const API_KEY: &str = "api-key-NEVER-ECHOED-4f2c";
/// The server's shared secret: must never appear in any response.
const SERVER_TOKEN: &str = "server-token-NEVER-ECHOED-91ab";

/// A router serving on 127.0.0.1 and a client for it.
struct Server {
    base: String,
    client: reqwest::Client,
}

/// One answer: status, headers and body (JSON, or `Null` when it is not).
struct Reply {
    status: u16,
    headers: HeaderMap,
    json: Value,
}

impl Server {
    async fn start(ctx: Context, options: ServerOptions) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = http::router_with_options(Catalogue::global(), ctx, options);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
        }
    }

    /// Sends `request`, checks no secret is echoed, and reads the answer.
    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        for secret in [API_KEY, SERVER_TOKEN] {
            assert!(
                !text.contains(secret),
                "a secret leaked into a {status} answer: {text}"
            );
        }
        for (name, value) in &headers {
            let value = value.to_str().unwrap_or_default();
            assert!(
                !value.contains(API_KEY) && !value.contains(SERVER_TOKEN),
                "a secret leaked into header {name}"
            );
        }
        Reply {
            status,
            headers,
            json: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_raw(path, body.to_string()).await
    }

    async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Reply {
        self.send(
            self.client
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .body(body),
        )
        .await
    }
}

/// A sandbox (with [`API_KEY`]) and a server whose context allows it.
async fn sandbox_server() -> (Env, Server) {
    let env = Env::with_config(SandboxConfig {
        api_key: API_KEY.into(),
        ..SandboxConfig::default()
    })
    .await;
    let server = Server::start(env.ctx.clone(), ServerOptions::default()).await;
    (env, server)
}

/// A server whose context allows only the region hosts (nothing is sent).
async fn offline_server() -> Server {
    Server::start(
        Context::builder().retry(RetryPolicy::none()).build(),
        ServerOptions::default(),
    )
    .await
}

fn offline_input(extra: Value) -> Value {
    merge(
        json!({"tenantId": "eu-west-2_AbcdEfghI", "apiKey": API_KEY}),
        extra,
    )
}

/// `{"error": {...}}` with `code`, no Thrive status, nothing sent.
fn assert_local_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], code, "{}", reply.json);
    assert_eq!(reply.json["error"]["attempts"], 0);
    assert_eq!(reply.json["error"]["retryable"], false);
    assert!(
        reply.json["error"].get("status").is_none(),
        "{}",
        reply.json
    );
    assert!(reply.json["error"]["message"].as_str().is_some());
}

#[tokio::test]
async fn healthz_counts_the_tools() {
    let server = offline_server().await;
    let reply = server.get("/healthz").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json, json!({"status": "ok", "tools": 53}));
    assert_eq!(
        reply.headers["content-type"], "application/json",
        "JSON content type"
    );
}

#[tokio::test]
async fn tools_lists_every_tool_with_its_hints() {
    let server = offline_server().await;
    let reply = server.get("/tools").await;
    assert_eq!(reply.status, 200);
    let tools = reply.json.as_array().unwrap();
    assert_eq!(tools.len(), 53);
    let catalogue = Catalogue::global();
    let ids: Vec<&str> = tools.iter().map(|t| t["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = catalogue.tools().map(|t| t.meta().id).collect();
    assert_eq!(ids, expected, "same tools, in id order");
    for (listed, tool) in tools.iter().zip(catalogue.tools()) {
        let manifest = tool.manifest();
        assert_eq!(
            *listed,
            json!({
                "id": manifest["id"],
                "title": manifest["title"],
                "description": manifest["description"],
                "version": manifest["version"],
                "hints": manifest["hints"],
            })
        );
    }
    let delete = tools
        .iter()
        .find(|t| t["id"] == "thrive_delete_user")
        .unwrap();
    assert_eq!(
        delete["hints"],
        json!({"readOnly": false, "destructive": true, "idempotent": true, "paginated": false})
    );
}

#[tokio::test]
async fn manifest_by_id_and_unknown_id() {
    let server = offline_server().await;
    let reply = server.get("/tools/thrive_create_user").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json,
        Catalogue::global()
            .get("thrive_create_user")
            .unwrap()
            .manifest()
    );

    let reply = server.get("/tools/thrive_nope").await;
    assert_eq!(
        reply.json,
        json!({"error": {
            "code": "unknown_tool",
            "message": "no tool has the id \"thrive_nope\"; GET /tools lists them all",
            "retryable": false,
            "delivery": "not_sent",
            "attempts": 0
        }})
    );
    assert_eq!(reply.status, 404);
    for path in [
        "/tools/thrive_nope/validate",
        "/tools/thrive_nope/dry-run",
        "/tools/thrive_nope/run",
    ] {
        let reply = server.post(path, &offline_input(json!({}))).await;
        assert_local_error(&reply, 404, "unknown_tool");
    }
}

#[tokio::test]
async fn unknown_endpoint_and_wrong_method_answer_json() {
    let server = offline_server().await;
    let reply = server.get("/nope").await;
    assert_local_error(&reply, 404, "not_found");
    let reply = server.get("/tools/thrive_create_user/run").await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.json["error"]["code"], "bad_request");
}

#[tokio::test]
async fn validate_accepts_good_input_and_lists_every_problem() {
    let server = offline_server().await;
    let reply = server
        .post(
            "/tools/thrive_get_user_by_ref/validate",
            &offline_input(json!({"ref": "EMP-00001"})),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json, json!({"valid": true}));

    // Form hosts' blanks count as absent; every problem is listed at once.
    let reply = server
        .post(
            "/tools/thrive_create_user/validate",
            &json!({"ref": "E1", "tenantId": "", "firstName": "  "}),
        )
        .await;
    assert_local_error(&reply, 422, "invalid_input");
    assert_eq!(
        reply.json["error"]["details"],
        json!([
            {"pointer": "/apiKey", "message": "apiKey is required"},
            {"pointer": "/email", "message": "email is required unless the user signs in with their reference (loginMethod \"ref\")"},
            {"pointer": "/firstName", "message": "firstName is required"},
            {"pointer": "/lastName", "message": "lastName is required"},
            {"pointer": "/tenantId", "message": "tenantId is required"},
        ])
    );

    // Nested problems carry their pointer too.
    let reply = server
        .post(
            "/tools/thrive_add_audience_members/validate",
            &offline_input(json!({"audienceId": "a", "users": "[1,2"})),
        )
        .await;
    assert_local_error(&reply, 422, "invalid_input");
    assert_eq!(reply.json["error"]["details"][0]["pointer"], "/users");

    // JSON that is not an object is invalid input, not a malformed body.
    let reply = server
        .post("/tools/thrive_get_skill_levels/validate", &json!([1, 2]))
        .await;
    assert_local_error(&reply, 422, "invalid_input");
    assert_eq!(reply.json["error"]["details"][0]["pointer"], "");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400_and_a_huge_one_413() {
    let server = offline_server().await;
    for endpoint in ["validate", "dry-run", "run"] {
        let path = format!("/tools/thrive_get_skill_levels/{endpoint}");
        for body in ["tenantId=x&apiKey=y", "", "{\"tenantId\": "] {
            let reply = server.post_raw(&path, body).await;
            assert_local_error(&reply, 400, "invalid_input");
            let message = reply.json["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with("invalid input: the request body is not valid JSON"),
                "{message}"
            );
        }
    }

    // Over 1 MiB: refused before it is parsed.
    let users: Vec<String> = (0..56_000).map(|i| format!("user-{i:06}@x.io")).collect();
    let big = offline_input(json!({"audienceId": "a", "users": users}));
    assert!(big.to_string().len() > http::MAX_BODY_BYTES);
    let reply = server
        .post("/tools/thrive_add_audience_members/validate", &big)
        .await;
    assert_local_error(&reply, 413, "invalid_input");
}

#[tokio::test]
async fn dry_run_shows_the_request_with_credentials_masked() {
    let server = offline_server().await;
    let reply = server
        .post(
            "/tools/thrive_add_audience_members/dry-run",
            &offline_input(json!({"audienceId": "struct-tech", "users": "[\"jane@example.com\"]"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(
        reply.json,
        json!({
            "method": "POST",
            "url": "https://public.api.learn.link/rest/v1/audiences/struct-tech/members",
            "headers": {
                "Authorization": "Basic ***",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
            "body": ["jane@example.com"],
        })
    );

    let reply = server
        .post(
            "/tools/thrive_get_skill_levels/dry-run",
            &offline_input(json!({"clientId": "my-client"})),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["headers"]["Authorization"], "Bearer ***");

    let reply = server
        .post(
            "/tools/thrive_get_skill_levels/dry-run",
            &offline_input(json!({"host": "evil.example"})),
        )
        .await;
    assert_local_error(&reply, 403, "host_not_allowed");
}

#[tokio::test]
async fn run_returns_the_tools_output() {
    let (env, server) = sandbox_server().await;
    let reply = server
        .post("/tools/thrive_get_skill_levels/run", &env.input(json!({})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(reply.json["levels"], Value::Array(env.state.skill_levels()));

    let user = env.state.user_by_ref("EMP-00001").unwrap();
    let reply = server
        .post(
            "/tools/thrive_get_user_by_ref/run",
            &env.input(json!({"ref": "EMP-00001"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(reply.json["user"]["id"], user["id"]);
}

#[tokio::test]
async fn a_partial_success_is_200_with_partial_true() {
    let (env, server) = sandbox_server().await;
    let outsider = text(&env.non_members("aud-finance")[0]["ref"]);
    let sent = json!([outsider, "nobody@example.com"]).to_string();
    let reply = server
        .post(
            "/tools/thrive_add_audience_members/run",
            &env.input(json!({"audienceId": "aud-finance", "users": sent})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(reply.json["partial"], true);
    assert_eq!(
        reply.json["result"],
        json!({
            "success": {"count": 1, "entities": [{"reference": outsider}]},
            "failure": {"count": 1, "entities": [
                {"reason": "User does not exist.", "reference": "nobody@example.com"}]}
        })
    );
    assert!(
        env.state
            .members("aud-finance")
            .contains(&env.user_id(&outsider))
    );
}

#[tokio::test]
async fn thrive_refusals_are_502_with_thrives_status() {
    let (env, server) = sandbox_server().await;
    let reply = server
        .post(
            "/tools/thrive_get_user_by_ref/run",
            &env.input(json!({"ref": "NO-SUCH-USER"})),
        )
        .await;
    assert_eq!(reply.status, 502, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], "not_found");
    assert_eq!(reply.json["error"]["status"], 404);
    assert_eq!(reply.json["error"]["retryable"], false);
    assert_eq!(reply.json["error"]["attempts"], 1);

    // Wrong credentials: Thrive's 401 is the upstream's refusal, not ours.
    let mut input = env.input(json!({}));
    input["apiKey"] = json!("wrong-key");
    let reply = server
        .post("/tools/thrive_get_skill_levels/run", &input)
        .await;
    assert_eq!(reply.status, 502, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], "unauthorized");
    assert_eq!(reply.json["error"]["status"], 401);
}

#[tokio::test]
async fn invalid_input_and_refused_hosts_are_not_sent() {
    let (env, server) = sandbox_server().await;
    env.sandbox.reset_stats();
    let reply = server
        .post("/tools/thrive_get_user_by_ref/run", &env.input(json!({})))
        .await;
    assert_local_error(&reply, 422, "invalid_input");
    assert_eq!(reply.json["error"]["details"][0]["pointer"], "/ref");

    let mut input = env.input(json!({}));
    input["host"] = json!("http://127.0.0.1:9");
    let reply = server
        .post("/tools/thrive_get_skill_levels/run", &input)
        .await;
    assert_local_error(&reply, 403, "host_not_allowed");
    assert_eq!(
        env.sandbox.stats().total_requests,
        0,
        "nothing reached Thrive"
    );
}

#[tokio::test]
async fn rate_limited_is_429_with_retry_after_and_timeout_504() {
    let env = Env::with_config(SandboxConfig {
        api_key: API_KEY.into(),
        ..SandboxConfig::default()
    })
    .await;
    // Thrive asks for 30 s, past the call's 5 s deadline: the call gives up at
    // once and the tenant's gate stays closed for about 30 s.
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&env.base()).unwrap())
        .retry(RetryPolicy {
            deadline: Duration::from_secs(5),
            ..RetryPolicy::default()
        })
        .timeout(Duration::from_millis(300))
        .build();
    let server = Server::start(ctx, ServerOptions::default()).await;
    env.sandbox.queue_faults([OneShotFault::TooManyRequests {
        retry_after_secs: 30,
    }]);
    let reply = server
        .post("/tools/thrive_get_skill_levels/run", &env.input(json!({})))
        .await;
    assert_eq!(reply.status, 429, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], "rate_limited");
    assert_eq!(reply.json["error"]["status"], 429);
    assert_eq!(reply.json["error"]["retryable"], true);
    let secs: u64 = reply.headers[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((25..=30).contains(&secs), "Retry-After: {secs}");

    // A slow Thrive times out (another sandbox: another origin, another gate).
    let env2 = Env::with_config(SandboxConfig {
        api_key: API_KEY.into(),
        ..SandboxConfig::default()
    })
    .await;
    env2.sandbox.set_faults(Faults {
        latency_ms: 2_000,
        ..Faults::default()
    });
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&env2.base()).unwrap())
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(200))
        .build();
    let server = Server::start(ctx, ServerOptions::default()).await;
    let reply = server
        .post("/tools/thrive_get_skill_levels/run", &env2.input(json!({})))
        .await;
    assert_eq!(reply.status, 504, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], "timeout");
    assert!(reply.headers.get(RETRY_AFTER).is_none());
}

#[tokio::test]
async fn concurrent_runs_share_one_context() {
    let (env, server) = sandbox_server().await;
    let server = std::sync::Arc::new(server);
    let input = env.input(json!({"ref": "EMP-00002"}));
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let server = server.clone();
        let input = input.clone();
        tasks.push(tokio::spawn(async move {
            server
                .post("/tools/thrive_get_user_by_ref/run", &input)
                .await
                .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
}

#[tokio::test]
async fn a_token_protects_everything_but_healthz() {
    let (env, _) = sandbox_server().await;
    let server = Server::start(
        env.ctx.clone(),
        ServerOptions::default().with_token(SERVER_TOKEN),
    )
    .await;
    let url = |p: &str| format!("{}{p}", server.base);

    let reply = server.get("/healthz").await;
    assert_eq!(reply.status, 200);

    let wrong = format!("{SERVER_TOKEN}x");
    let near = &SERVER_TOKEN[..SERVER_TOKEN.len() - 1];
    for auth in [
        None,
        Some("Bearer wrong".to_owned()),
        Some(format!("Bearer {wrong}")),
        Some(format!("Bearer {near}")),
        Some(format!("Basic {SERVER_TOKEN}")),
        Some(SERVER_TOKEN.to_owned()),
    ] {
        for request in [
            server.client.get(url("/tools")),
            server.client.get(url("/tools/thrive_create_user")),
            server
                .client
                .post(url("/tools/thrive_get_skill_levels/validate"))
                .body(env.input(json!({})).to_string()),
            server
                .client
                .post(url("/tools/thrive_get_skill_levels/run"))
                .body(env.input(json!({})).to_string()),
        ] {
            let request = match &auth {
                Some(a) => request.header(AUTHORIZATION, a),
                None => request,
            };
            let reply = server.send(request).await;
            assert_local_error(&reply, 401, "unauthorized");
            assert_eq!(reply.headers[WWW_AUTHENTICATE], "Bearer");
        }
    }

    let bearer = format!("Bearer {SERVER_TOKEN}");
    let reply = server
        .send(
            server
                .client
                .get(url("/tools"))
                .header(AUTHORIZATION, &bearer),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json.as_array().unwrap().len(), 53);
    let reply = server
        .send(
            server
                .client
                .post(url("/tools/thrive_get_skill_levels/run"))
                .header(AUTHORIZATION, format!("bearer {SERVER_TOKEN}"))
                .header("content-type", "application/json")
                .body(env.input(json!({})).to_string()),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(reply.json["levels"], Value::Array(env.state.skill_levels()));
}

#[test]
fn server_options_debug_hides_the_token() {
    let text = format!("{:?}", ServerOptions::default().with_token(SERVER_TOKEN));
    assert!(!text.contains(SERVER_TOKEN), "{text}");
}

/// `thrive-blocks serve --bind 127.0.0.1:0`: the stderr line names the bound
/// address, the server answers there, and the token comes from the environment.
#[tokio::test]
async fn cli_serve_prints_its_address_and_reads_the_token() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    /// Kills the server when the test ends, whether it passed or not.
    struct Child(std::process::Child);
    impl Drop for Child {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_thrive-blocks"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env_remove("THRIVE_ALLOWED_HOSTS")
            .env_remove("RUST_LOG")
            .env("THRIVE_BLOCKS_SERVER_TOKEN", SERVER_TOKEN)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = child.0.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("serve prints its address on stderr");
    let base = line
        .strip_prefix("thrive-blocks serving 53 tools on ")
        .unwrap_or_else(|| panic!("unexpected line: {line}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let server = Server {
        base,
        client: reqwest::Client::new(),
    };
    let reply = server.get("/healthz").await;
    assert_eq!(reply.json, json!({"status": "ok", "tools": 53}));
    let reply = server.get("/tools").await;
    assert_local_error(&reply, 401, "unauthorized");
    let reply = server
        .send(
            server
                .client
                .get(format!("{}/tools/thrive_create_user", server.base))
                .header(AUTHORIZATION, format!("Bearer {SERVER_TOKEN}")),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["id"], "thrive_create_user");
    drop(child);
}
