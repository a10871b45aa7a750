//! Triggers across processes: the receiver in `thrive-blocks serve`
//! killed with SIGKILL loses nothing, and the sandbox's signed webhooks
//! reach `thrive-blocks listen`.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const TENANT: &str = "eu-west-2_AbcdEfghI";
const SECRET: &str = "process-test-secret";

fn temp_store() -> PathBuf {
    std::env::temp_dir().join(format!(
        "thrive-triggers-proc-{}.db",
        uuid::Uuid::new_v4().simple()
    ))
}

/// A running `thrive-blocks serve` and what it printed on start.
struct Server {
    child: Child,
    base: String,
    lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thrive-blocks"));
    cmd.arg("serve")
        .args(["--bind", "127.0.0.1:0"])
        .args(args)
        .env_remove("THRIVE_BLOCKS_SERVER_TOKEN")
        .env_remove("THRIVE_WEBHOOK_SECRET")
        .env_remove("THRIVE_TENANT_ID")
        .env_remove("THRIVE_EVENTS_DB")
        .env_remove("THRIVE_WEBHOOK_TENANTS")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut reader = BufReader::new(stderr);
    let mut lines = Vec::new();
    let mut base = None;
    // The start-up lines come first; the server is listening once printed.
    for _ in 0..10 {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("read stderr") == 0 {
            break;
        }
        if let Some(url) = line
            .trim()
            .strip_prefix("thrive-blocks serving ")
            .and_then(|r| r.split(" on ").nth(1))
        {
            base = Some(url.to_owned());
        }
        let done = line.starts_with("sandbox:")
            || (line.starts_with("webhooks:") && !args.contains(&"--sandbox"));
        lines.push(line);
        if done {
            break;
        }
    }
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    let base = base.unwrap_or_else(|| panic!("serve did not start: {lines:?}"));
    Server { child, base, lines }
}

fn body(n: usize) -> String {
    json!({"eventType": "user.created", "tenantId": TENANT,
           "user": {"id": format!("user-{n}"), "reference": null, "firstName": null,
                    "lastName": null, "email": null, "status": "new", "role": "learner"},
           "createdAt": "2026-03-15T10:30:00.000Z", "dispatchedAt": "2026-03-15T10:30:01.000Z"})
    .to_string()
}

async fn all_events(client: &reqwest::Client, base: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page: Value = client
            .get(format!("{base}/events?after={after}&limit=1000"))
            .send()
            .await
            .expect("events")
            .json()
            .await
            .expect("json");
        let list = page["events"].as_array().cloned().unwrap_or_default();
        if list.is_empty() {
            return out;
        }
        after = page["next"].as_u64().expect("next");
        out.extend(list);
    }
}

#[tokio::test]
async fn a_receiver_killed_with_sigkill_after_acknowledging_loses_nothing() {
    let store = temp_store();
    let store_arg = store.to_str().expect("utf-8 path");
    let env = [("THRIVE_WEBHOOK_SECRET", SECRET)];
    let args = ["--store", store_arg, "--webhook-tenant", TENANT];
    let mut server = serve(&args, &env);
    let client = client();
    for n in 0..200 {
        let b = body(n);
        let resp = client
            .post(format!("{}/webhooks/thrive/user_subscription", server.base))
            .header(
                "x-hmac-signature",
                thrive_blocks::triggers::sign(SECRET.as_bytes(), b.as_bytes()),
            )
            .body(b)
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status().as_u16(), 200, "event {n}");
    }
    // SIGKILL right after the 200th acknowledgement: no shutdown, no flush.
    server.child.kill().expect("kill -9");
    let _ = server.child.wait();
    drop(server);

    let server = serve(&args, &env);
    let events = all_events(&client, &server.base).await;
    assert_eq!(events.len(), 200);
    for (n, e) in events.iter().enumerate() {
        assert_eq!(e["cursor"], n as u64 + 1);
        assert_eq!(e["payload"]["user"]["id"], format!("user-{n}"));
        assert_eq!(e["trigger"], "thrive_on_user_changed");
    }
    drop(server);
    remove_store(&store);
}

async fn run_tool(client: &reqwest::Client, base: &str, id: &str, input: Value) -> Value {
    let resp = client
        .post(format!("{base}/tools/{id}/run"))
        .json(&input)
        .send()
        .await
        .expect("run");
    let status = resp.status();
    let out: Value = resp.json().await.expect("json");
    assert!(status.is_success(), "{id}: {out}");
    out
}

fn listen(store: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_thrive-blocks"))
        .arg("listen")
        .args(["--store", store.to_str().expect("utf-8 path")])
        .args(extra)
        .env_remove("THRIVE_EVENTS_DB")
        .output()
        .expect("listen")
}

#[tokio::test]
async fn a_completion_in_the_sandbox_reaches_listen_as_a_typed_trigger_event() {
    let store = temp_store();
    let server = serve(
        &["--sandbox", "--store", store.to_str().expect("utf-8")],
        &[],
    );
    let sandbox_line = server
        .lines
        .iter()
        .find(|l| l.starts_with("sandbox:"))
        .expect("sandbox line");
    // "sandbox: host URL, tenantId T, apiKey K"
    let field = |name: &str| {
        sandbox_line
            .split(", ")
            .find_map(|p| p.trim().trim_start_matches("sandbox: ").strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("{name} in {sandbox_line}"))
    };
    let connection =
        json!({"tenantId": field("tenantId "), "apiKey": field("apiKey "), "host": field("host ")});
    let client = client();
    let with = |extra: Value| {
        let mut input = connection.clone();
        if let (Some(m), Value::Object(e)) = (input.as_object_mut(), extra) {
            m.extend(e);
        }
        input
    };
    let users = run_tool(
        &client,
        &server.base,
        "thrive_search_users",
        with(json!({"perPage": 1})),
    )
    .await;
    let user_id = users["results"][0]["id"]
        .as_str()
        .expect("a user")
        .to_owned();
    let content = run_tool(
        &client,
        &server.base,
        "thrive_query_content",
        with(json!({"perPage": 1})),
    )
    .await;
    let content_id = content["results"][0]["id"]
        .as_str()
        .expect("content")
        .to_owned();
    run_tool(
        &client,
        &server.base,
        "thrive_create_completion",
        with(json!({"userId": user_id, "contentId": content_id, "completedAt": "2026-03-15T10:30:00.000Z"})),
    )
    .await;

    let out = listen(
        &store,
        &[
            "--from",
            "0",
            "--trigger",
            "thrive_on_content_completed",
            "--limit",
            "1",
            "--idle-exit",
            "30",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let event: Value = serde_json::from_str(lines[0]).expect("one JSON event per line");
    assert_eq!(event["trigger"], "thrive_on_content_completed");
    assert_eq!(event["eventType"], "content.completed");
    assert_eq!(event["source"], "completion_subscription");
    assert_eq!(event["payload"]["user"]["id"], user_id.as_str());
    assert_eq!(event["payload"]["content"]["id"], content_id.as_str());
    let typed: thrive_blocks::triggers::payloads::CompletionEvent =
        serde_json::from_value(event["payload"].clone()).expect("typed payload");
    assert_eq!(typed.tenant_id, field("tenantId "));

    // The sandbox signed it: an unsigned copy is refused.
    let unsigned = client
        .post(format!(
            "{}/webhooks/thrive/completion_subscription",
            server.base
        ))
        .body(event["payload"].to_string())
        .send()
        .await
        .expect("post");
    assert_eq!(unsigned.status().as_u16(), 401);
    drop(server);
    remove_store(&store);
}

/// A client whose requests fail instead of hanging.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Removes a test store and its WAL files.
fn remove_store(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
