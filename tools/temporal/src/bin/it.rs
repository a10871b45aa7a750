//! `thrive-temporal-it`: the Temporal integration driver run by the CI suite
//! `.ci/suites/55-temporal.sh`. Talks only to loopback.
//!
//! ```text
//! thrive-temporal-it TEMPORAL_BIN PYTHON WORKFLOWS_PY WORKER_BIN THRIVE_BLOCKS_BIN WORK_DIR
//! ```
//!
//! It starts, on free loopback ports: two Thrive sandboxes with the same seed
//! (one for `thrive-blocks run`, one for the activities), a recording proxy
//! in front of the second (one listener per worker, so each request says
//! which worker sent it; it can hold one answer back after Thrive applied
//! the call, so a SIGKILL lands between the write and its answer),
//! `temporal server start-dev`, the Python workflow worker and Rust
//! activity workers, then checks:
//!
//! 1. every tool of the catalogue once as an activity: the same outcome as
//!    `thrive-blocks run` (outputs equal once ids and times are masked, or
//!    the same error code and status);
//! 2. a 404 read: a non-retryable failure typed `not_found` carrying the
//!    tool's error object, one request;
//! 3. a 429 storm: retried with the gate's delay between attempts, then
//!    success;
//! 4. 200 creates with the worker that sent the 50th SIGKILLed after Thrive
//!    applied it: 200 users, none created twice;
//! 5. two workers against 25 % 429s: no call inside a closed gate beyond
//!    the stated slack;
//! 6. a 10,000-user sync with a worker SIGKILLed in an add step and another
//!    in a remove step: the audience equals the target; requests within the
//!    stated bound; the workflow history's size.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use temporalio_client::{
    Client, ClientOptions, Connection, ConnectionOptions, WorkflowGetResultOptions,
    WorkflowStartOptions,
};
use temporalio_common::{HasWorkflowDefinition, WorkflowDefinition};
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, RetryPolicy};
use thrive_sandbox::{Faults, Sandbox, SandboxConfig};

type Res<T> = Result<T, String>;

fn ensure(cond: bool, what: impl Into<String>) -> Res<()> {
    if cond { Ok(()) } else { Err(what.into()) }
}

// ----- the recording proxy -----

#[derive(Debug, Clone)]
struct Seen {
    at: Instant,
    answered: Instant,
    method: String,
    path: String,
    status: u16,
    body: Bytes,
    via: String,
}

#[derive(Debug, Clone)]
struct Hold {
    method: &'static str,
    prefix: String,
    nth: usize,
    seen: usize,
    delay: Duration,
    held: Option<String>,
}

#[derive(Clone)]
struct Proxy {
    target: String,
    via: String,
    http: reqwest::Client,
    log: Arc<Mutex<Vec<Seen>>>,
    hold: Arc<Mutex<Option<Hold>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path_q = uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_default();
    let path = uri.path().to_owned();
    // The call and its record run in their own task: a worker killed
    // mid-request must not cancel a call Thrive is already applying.
    let task = tokio::spawn({
        let p = p.clone();
        async move {
            let at = Instant::now();
            let mut req = p
                .http
                .request(method.clone(), format!("{}{}", p.target, path_q))
                .body(body.clone());
            for name in ["authorization", "content-type", "accept"] {
                if let Some(v) = headers.get(name) {
                    req = req.header(name, v.clone());
                }
            }
            let (status, out_headers, bytes) = match req.send().await {
                Ok(r) => {
                    let h = r.headers().clone();
                    (r.status().as_u16(), h, r.bytes().await.unwrap_or_default())
                }
                Err(_) => (502, reqwest::header::HeaderMap::new(), Bytes::new()),
            };
            lock(&p.log).push(Seen {
                at,
                answered: Instant::now(),
                method: method.to_string(),
                path: path.clone(),
                status,
                body,
                via: p.via.clone(),
            });
            let delay = {
                let mut hold = lock(&p.hold);
                match hold.as_mut() {
                    Some(h)
                        if h.held.is_none()
                            && status < 300
                            && method.as_str() == h.method
                            && path.starts_with(&h.prefix) =>
                    {
                        h.seen += 1;
                        if h.seen == h.nth {
                            h.held = Some(p.via.clone());
                            Some(h.delay)
                        } else {
                            None
                        }
                    }
                    _ => None,
                }
            };
            (status, out_headers, bytes, delay)
        }
    });
    let Ok((status, out_headers, bytes, delay)) = task.await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
        bytes,
    )
        .into_response();
    for name in ["content-type", "retry-after"] {
        if let Some(v) = out_headers
            .get(name)
            .and_then(|v| axum::http::HeaderValue::from_bytes(v.as_bytes()).ok())
        {
            response.headers_mut().insert(name, v);
        }
    }
    response
}

impl Proxy {
    async fn listen(&self, via: &str) -> Res<String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let app = Router::new().fallback(forward).with_state(Proxy {
            via: via.to_owned(),
            ..self.clone()
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(format!("http://{addr}"))
    }
    fn seen(&self) -> Vec<Seen> {
        lock(&self.log).clone()
    }
    fn clear(&self) {
        lock(&self.log).clear();
    }
    fn hold(&self, method: &'static str, prefix: &str, nth: usize, delay: Duration) {
        *lock(&self.hold) = Some(Hold {
            method,
            prefix: prefix.to_owned(),
            nth,
            seen: 0,
            delay,
            held: None,
        });
    }
    /// Waits until the held request was applied; returns the worker that sent it.
    async fn held(&self, limit: Duration) -> Res<String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(via) = lock(&self.hold).as_ref().and_then(|h| h.held.clone()) {
                return Ok(via);
            }
            ensure(
                Instant::now() < deadline,
                format!("no held request within {limit:?}"),
            )?;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

// ----- processes -----

struct Proc {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix
        let _ = self.child.wait();
    }
    fn tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> Res<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn spawn(name: &str, cmd: &mut Command, dir: &Path) -> Res<Proc> {
    let log = dir.join(format!("{name}.log"));
    let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = file.try_clone().map_err(|e| e.to_string())?;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::from(file))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    // For the suite's exit trap, should this driver itself be killed.
    use std::io::Write as _;
    if let Ok(mut pids) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("pids"))
    {
        let _ = writeln!(pids, "{}", child.id());
    }
    Ok(Proc {
        name: name.to_owned(),
        child,
        log,
    })
}

// ----- Temporal -----

/// A workflow of `workflows.py`, by name, with JSON input and output.
struct Wf(&'static str);
impl WorkflowDefinition for Wf {
    type Input = Value;
    type Output = Value;
    fn name(&self) -> &str {
        self.0
    }
}
impl HasWorkflowDefinition for Wf {
    type Run = Self;
}

const QUEUE: &str = "thrive";

struct World {
    dir: PathBuf,
    temporal_bin: PathBuf,
    worker_bin: PathBuf,
    address: String,
    client: Client,
    proxy: Proxy,
    sandbox: Sandbox,
    workers: BTreeMap<String, Proc>,
    others: Vec<Proc>,
    next_id: usize,
}

impl World {
    async fn start_worker(&mut self, name: &str) -> Res<()> {
        let origin = self.proxy.listen(name).await?;
        let cfg = self.sandbox.config();
        let mut cmd = Command::new(&self.worker_bin);
        cmd.args([
            "--task-queue",
            QUEUE,
            "--namespace",
            "default",
            "--address",
            &self.address,
        ])
        .env("THRIVE_TENANT_ID", &cfg.tenant_id)
        .env("THRIVE_API_KEY", &cfg.api_key)
        .env("THRIVE_HOST", &origin)
        .env("THRIVE_ALLOWED_HOSTS", &origin)
        .env("RUST_LOG", "info,temporalio_sdk_core=warn");
        let proc = spawn(name, &mut cmd, &self.dir)?;
        self.workers.insert(name.to_owned(), proc);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text =
                std::fs::read_to_string(self.dir.join(format!("{name}.log"))).unwrap_or_default();
            if text.contains("worker started") {
                return Ok(());
            }
            ensure(
                Instant::now() < deadline,
                format!("{name} did not start: {text}"),
            )?;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn kill_worker(&mut self, name: &str) {
        if let Some(mut p) = self.workers.remove(name) {
            p.kill();
        }
    }

    fn id(&mut self, what: &str) -> String {
        self.next_id += 1;
        format!("{what}-{}", self.next_id)
    }

    async fn start(&mut self, wf: &'static str, id: &str, input: Value) -> Res<()> {
        self.client
            .start_workflow(Wf(wf), input, WorkflowStartOptions::new(QUEUE, id).build())
            .await
            .map_err(|e| format!("start {wf} {id}: {e}"))?;
        Ok(())
    }

    async fn result(&self, id: &str, limit: Duration) -> Res<Value> {
        let handle = self.client.get_workflow_handle::<Wf>(id);
        tokio::time::timeout(
            limit,
            handle.get_result(WorkflowGetResultOptions::default()),
        )
        .await
        .map_err(|_| format!("{id} did not finish within {limit:?}"))?
        .map_err(|e| format!("{id}: {e}"))
    }

    async fn execute(&mut self, wf: &'static str, input: Value, limit: Duration) -> Res<Value> {
        let id = self.id(wf);
        self.start(wf, &id, input).await?;
        self.result(&id, limit).await
    }

    async fn tool(&mut self, tool: &str, input: Value) -> Res<Value> {
        self.execute(
            "RunTool",
            json!({"tool": tool, "input": input}),
            Duration::from_secs(120),
        )
        .await
    }

    /// The size of a workflow's history as `temporal workflow show -o json`
    /// prints it: (bytes of that JSON, events, bytes of the payloads in it).
    fn history_bytes(&self, id: &str) -> Res<(usize, usize, usize)> {
        let out = Command::new(&self.temporal_bin)
            .args([
                "workflow",
                "show",
                "--workflow-id",
                id,
                "--address",
                &self.address,
                "--output",
                "json",
            ])
            .output()
            .map_err(|e| e.to_string())?;
        ensure(
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )?;
        let history: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        let events = history["events"].as_array().map_or(0, Vec::len);
        Ok((out.stdout.len(), events, payload_bytes(&history)))
    }

    fn direct_ctx(&self) -> Context {
        Context::builder()
            .allow_origin(Origin::parse(&self.sandbox.base_url()).expect("sandbox origin"))
            .retry(RetryPolicy::none())
            .build()
    }

    async fn direct(&self, tool: &str, params: Value) -> Res<Value> {
        let cfg = self.sandbox.config();
        let mut input = json!({"tenantId": cfg.tenant_id, "apiKey": cfg.api_key, "host": self.sandbox.base_url()});
        if let (Some(map), Value::Object(p)) = (input.as_object_mut(), params) {
            map.extend(p);
        }
        Catalogue::global()
            .execute(tool, input, &self.direct_ctx())
            .await
            .map_err(|e| format!("{tool}: {e}"))
    }
}

// ----- 1. every tool -----

/// Masks what differs between two runs of the same calls: ids and times.
fn mask(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let lower = k.to_ascii_lowercase();
                    let volatile = lower == "id"
                        || lower.ends_with("id")
                        || lower.ends_with("ids")
                        || lower.ends_with("at")
                        || lower.contains("date")
                        || lower.contains("time")
                        || lower.ends_with("ms")
                        || lower == "host"
                        || lower == "token"
                        || lower == "nextpage"
                        || lower == "cursor";
                    (
                        k.clone(),
                        if volatile && !v.is_object() && !v.is_array() {
                            json!("*")
                        } else {
                            mask(v)
                        },
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask).collect()),
        other => other.clone(),
    }
}

/// An input for every tool: known records of the seeded sandbox, found by
/// the list tools on `w`'s sandbox (the CLI's sandbox has the same seed).
async fn inputs(w: &World) -> Res<Vec<(String, Value)>> {
    // The first record's `key` in the list `list` of `tool`'s output.
    let find = |tool: &'static str, params: Value, list: &'static str, key: &'static str| async move {
        w.direct(tool, params)
            .await
            .ok()
            .and_then(|o| {
                o[list].as_array()?.first()?[key]
                    .as_str()
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "none".into())
    };
    let user = w
        .direct("thrive_get_user_by_ref", json!({"ref": "EMP-00002"}))
        .await?;
    let user_id = user["user"]["id"].as_str().unwrap_or("none").to_owned();
    let assignment = find("thrive_list_assignments", json!({}), "assignments", "id").await;
    let content = find("thrive_query_content", json!({}), "results", "id").await;
    let completion = find("thrive_list_completions", json!({}), "completions", "id").await;
    let activity = find("thrive_query_activities", json!({}), "results", "id").await;
    let tag = find("thrive_list_tags", json!({}), "results", "id").await;
    let category = find(
        "thrive_query_cpd_categories",
        json!({}),
        "results",
        "categoryId",
    )
    .await;
    let requirement = find(
        "thrive_query_cpd_requirements",
        json!({}),
        "results",
        "audienceRequirementId",
    )
    .await;
    let span =
        json!({"entryDateFrom": "2020-01-01 00:00:00", "entryDateTo": "2027-01-01 00:00:00"});
    let entry = find("thrive_query_cpd_entries", span, "results", "logEntryId").await;
    let enrolment = find(
        "thrive_list_enrolments",
        json!({"assignmentId": assignment}),
        "enrolments",
        "id",
    )
    .await;
    let mut out = Vec::new();
    for tool in Catalogue::global().tools() {
        let id = tool.meta().id.to_string();
        let schema = tool.input_schema();
        let required: Vec<String> = schema["required"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let mut input = serde_json::Map::new();
        for field in required {
            let value = match field.as_str() {
                "tenantId" | "apiKey" | "host" => continue,
                "ref" | "userRef" => json!("EMP-00003"),
                "audienceId" => json!("aud-platform"),
                "assignmentId" => json!(assignment),
                "enrolmentId" => json!(enrolment),
                "contentId" => json!(content),
                "userId" => json!(user_id),
                "tagId" => json!(tag),
                "categoryId" => json!(category),
                "audienceRequirementId" => json!(requirement),
                "logEntryId" => json!(entry),
                "users" => json!(["EMP-00004", "EMP-00005"]),
                "managers" => json!([{"reference": "EMP-00006"}]),
                "tags" => json!(["it-tag"]),
                "skills" => json!([{"tagName": "leadership", "level": 2}]),
                "email" => json!("it.person@example.com"),
                "firstName" => json!("It"),
                "lastName" => json!("Person"),
                "completedAt" => json!("2025-01-01T00:00:00.000Z"),
                // The provisioning event's time (required: a dry run then
                // shows exactly what the run sends).
                "timestamp" => json!("2025-01-01T00:00:00.000Z"),
                // The CPD entry query and the user summaries take the span
                // in two forms.
                "entryDateFrom" if id == "thrive_query_cpd_user_summaries" => {
                    json!("2020-01-01T00:00:00")
                }
                "entryDateTo" if id == "thrive_query_cpd_user_summaries" => {
                    json!("2027-01-01T00:00:00")
                }
                "entryDateFrom" => json!("2020-01-01 00:00:00"),
                "entryDateTo" => json!("2027-01-01 00:00:00"),
                "id" => json!(match id.as_str() {
                    "thrive_get_activity" => activity.clone(),
                    "thrive_get_completion" => completion.clone(),
                    "thrive_get_content" => content.clone(),
                    _ => user_id.clone(),
                }),
                _ => json!("none"),
            };
            input.insert(field, value);
        }
        if id == "thrive_create_user" {
            input.insert("ref".into(), json!("IT-NEW-1"));
            input.insert("email".into(), json!("it.new@example.com"));
        }
        if id == "thrive_create_audience" {
            input.insert("name".into(), json!("It audience"));
            input.insert("reference".into(), json!("it-audience"));
            input.insert("category".into(), json!("structure"));
        }
        // Reads first, then writes, deletes and suspensions last, so the
        // records the reads look for are still there.
        let rank = if tool.meta().hints.read_only {
            0
        } else if id.contains("delete") || id.contains("suspend") || id.contains("remove") {
            2
        } else {
            1
        };
        out.push((rank, id, Value::Object(input)));
    }
    out.sort_by_key(|(rank, _, _)| *rank);
    Ok(out.into_iter().map(|(_, id, input)| (id, input)).collect())
}

async fn check_every_tool(w: &mut World, blocks_bin: &Path, cli_sandbox: &Sandbox) -> Res<()> {
    let calls = inputs(w).await?;
    let cfg = cli_sandbox.config();
    let (mut same_ok, mut same_err) = (0, 0);
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let started = Instant::now();
    for (tool, input) in &calls {
        let cli = Command::new(blocks_bin)
            .args(["run", tool, "--params", &input.to_string()])
            .env("THRIVE_TENANT_ID", &cfg.tenant_id)
            .env("THRIVE_API_KEY", &cfg.api_key)
            .env("THRIVE_HOST", cli_sandbox.base_url())
            .env("THRIVE_ALLOWED_HOSTS", cli_sandbox.base_url())
            .output()
            .map_err(|e| format!("thrive-blocks run: {e}"))?;
        let activity = w.tool(tool, input.clone()).await?;
        if cli.status.success() {
            let cli_out: Value = serde_json::from_slice(&cli.stdout)
                .map_err(|e| format!("{tool}: CLI output is not JSON: {e}"))?;
            let out = activity.get("output").ok_or_else(|| {
                format!("{tool}: the CLI succeeded, the activity did not: {activity}")
            })?;
            ensure(
                mask(out) == mask(&cli_out),
                format!(
                    "{tool}: outputs differ\nCLI:      {}\nactivity: {}",
                    mask(&cli_out),
                    mask(out)
                ),
            )?;
            same_ok += 1;
        } else {
            let cli_err: Value = serde_json::from_slice(&cli.stderr).map_err(|e| {
                format!(
                    "{tool}: CLI error is not JSON ({e}): {}",
                    String::from_utf8_lossy(&cli.stderr)
                )
            })?;
            let f = activity.get("failure").ok_or_else(|| {
                format!("{tool}: the CLI failed ({cli_err}), the activity did not")
            })?;
            let got = &f["details"][0];
            ensure(
                got["code"] == cli_err["error"]["code"]
                    && got["status"] == cli_err["error"]["status"]
                    && f["type"] == cli_err["error"]["code"],
                format!("{tool}: errors differ\nCLI:      {cli_err}\nactivity: {f}"),
            )?;
            same_err += 1;
            let code = format!(
                "{} {}",
                cli_err["error"]["code"].as_str().unwrap_or("?"),
                cli_err["error"]["status"]
            );
            errors
                .entry(code)
                .or_default()
                .push(tool.trim_start_matches("thrive_").to_owned());
        }
    }
    println!(
        "ok  every tool ({}) once as an activity = `thrive-blocks run` on a sandbox of the same seed: {same_ok} identical outputs (ids and times masked), {same_err} identical errors (code, status); {:.1} s",
        calls.len(),
        started.elapsed().as_secs_f64()
    );
    for (code, tools) in &errors {
        println!("      both {code}: {}", tools.join(", "));
    }
    Ok(())
}

// ----- 2. 4xx, 3. 429 storm -----

async fn check_not_found(w: &mut World) -> Res<()> {
    w.proxy.clear();
    let out = w
        .tool("thrive_get_user_by_ref", json!({"ref": "NO-SUCH-REF"}))
        .await?;
    let f = &out["failure"];
    ensure(
        f["type"] == "not_found" && f["nonRetryable"] == true,
        format!("404: {out}"),
    )?;
    let e = &f["details"][0];
    ensure(
        e["code"] == "not_found"
            && e["status"] == 404
            && e["retryable"] == false
            && e["delivery"] == "answered",
        format!("404 details: {e}"),
    )?;
    ensure(
        f["retryState"] == "NON_RETRYABLE_FAILURE",
        format!("retry state: {f}"),
    )?;
    let n = w.proxy.seen().len();
    ensure(n == 1, format!("{n} requests for a non-retryable 404"))?;
    // Credentials in an activity input are refused before anything is sent.
    let out = w
        .tool(
            "thrive_get_user_by_ref",
            json!({"ref": "EMP-00001", "apiKey": "secret"}),
        )
        .await?;
    ensure(
        out["failure"]["type"] == "invalid_input" && !out.to_string().contains("secret\""),
        format!("apiKey input: {out}"),
    )?;
    println!(
        "ok  a 404 read: non-retryable `not_found` with the tool's error object (status 404, retryable false, delivery answered), 1 request; an apiKey in the input refused"
    );
    Ok(())
}

async fn check_429_storm(w: &mut World) -> Res<()> {
    w.proxy.clear();
    w.sandbox.set_faults(Faults {
        rate_429: 1.0,
        retry_after_secs: 1,
        ..Faults::none()
    });
    let id = w.id("storm");
    w.start(
        "RunTool",
        &id,
        json!({"tool": "thrive_get_user_by_ref", "input": {"ref": "EMP-00001"}}),
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    w.sandbox.set_faults(Faults::none());
    let out = w.result(&id, Duration::from_secs(60)).await?;
    ensure(
        out["output"]["user"]["ref"] == "EMP-00001",
        format!("storm result {out}"),
    )?;
    let seen = w.proxy.seen();
    let statuses: Vec<u16> = seen.iter().map(|s| s.status).collect();
    ensure(
        statuses.len() >= 3
            && statuses[..statuses.len() - 1].iter().all(|s| *s == 429)
            && statuses.last() == Some(&200),
        format!("statuses {statuses:?}"),
    )?;
    let gaps: Vec<u128> = seen
        .windows(2)
        .map(|p| p[1].at.duration_since(p[0].answered).as_millis())
        .collect();
    for (i, gap) in gaps.iter().enumerate() {
        let want = thrive_temporal::gate::gate_wait(u32::try_from(i + 1).unwrap_or(1)).as_millis();
        ensure(
            *gap + 50 >= want,
            format!(
                "attempt {} came {gap} ms after a 429, the gate said {want} ms: {gaps:?}",
                i + 2
            ),
        )?;
    }
    println!(
        "ok  a 429 storm (every answer 429 for 3.5 s, Retry-After 1): {} attempts, waits after each 429 {gaps:?} ms (gate 1 s, doubling), then 200",
        seen.len()
    );
    Ok(())
}

// ----- 4. 200 creates, a worker killed -----

async fn check_creates_with_a_kill(w: &mut World) -> Res<()> {
    w.proxy.clear();
    let users: Vec<Value> = (1..=200)
        .map(|i| json!({"ref": format!("TMP-{i:04}"), "firstName": "Temp", "lastName": format!("Hire{i}"), "email": format!("temp.hire{i}@example.com")}))
        .collect();
    let id = w.id("creates");
    w.proxy
        .hold("POST", "/rest/v2/users", 50, Duration::from_secs(5));
    w.start("CreateUsers", &id, Value::Array(users)).await?;
    let victim = w.proxy.held(Duration::from_secs(120)).await?;
    w.kill_worker(&victim);
    println!("..  SIGKILLed {victim} with the 50th create applied and its answer held");
    w.start_worker(&victim).await?;
    let out = w.result(&id, Duration::from_secs(180)).await?;
    let ids: BTreeSet<String> = out
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    ensure(
        ids.len() == 200,
        format!("{} distinct ids: {out}", ids.len()),
    )?;
    let stored = w
        .sandbox
        .state()
        .users()
        .into_iter()
        .filter(|u| u["ref"].as_str().is_some_and(|r| r.starts_with("TMP-")))
        .count();
    ensure(stored == 200, format!("{stored} TMP- users in the sandbox"))?;
    let seen = w.proxy.seen();
    let created = seen
        .iter()
        .filter(|s| s.method == "POST" && s.path == "/rest/v2/users" && s.status < 300)
        .count();
    let refused = seen
        .iter()
        .filter(|s| s.method == "POST" && s.path == "/rest/v2/users" && s.status == 409)
        .count();
    let reads = seen.iter().filter(|s| s.method == "GET").count();
    ensure(created == 200, format!("{created} creates applied"))?;
    println!(
        "ok  200 creates, a worker SIGKILLed after Thrive applied the 50th: 200 users, each created once ({created} creates applied, {refused} answered 409, {reads} read-back(s) by ref)"
    );
    Ok(())
}

// ----- 5. the shared gate -----

async fn check_shared_gate(w: &mut World) -> Res<()> {
    w.proxy.clear();
    w.sandbox.set_faults(Faults {
        rate_429: 0.25,
        retry_after_secs: 1,
        ..Faults::none()
    });
    let mut ids = Vec::new();
    for i in 0..40 {
        let id = w.id("gate");
        w.start("RunTool", &id, json!({"tool": "thrive_get_user_by_ref", "input": {"ref": format!("EMP-{:05}", 10 + i % 20)}})).await?;
        ids.push(id);
    }
    for id in &ids {
        let out = w.result(id, Duration::from_secs(240)).await?;
        ensure(out.get("output").is_some(), format!("{id}: {out}"))?;
    }
    w.sandbox.set_faults(Faults::none());
    let seen = w.proxy.seen();
    let slack = Duration::from_millis(250);
    let mut inside = Vec::new();
    // In flight: sent within the slack after a 429 (passed their check
    // before the gate closed). Held: the other worker's next call came
    // only once the gate reopened.
    let (mut in_flight, mut held_other) = (0, 0);
    let mut latest = Duration::ZERO;
    for s in seen.iter().filter(|s| s.status == 429) {
        for t in seen
            .iter()
            .filter(|t| t.at > s.answered && t.at <= s.answered + slack)
        {
            in_flight += 1;
            latest = latest.max(t.at.duration_since(s.answered));
        }
        let next_other = seen
            .iter()
            .filter(|t| t.via != s.via && t.at > s.answered)
            .map(|t| t.at)
            .min();
        if next_other.is_some_and(|t| t >= s.answered + thrive_temporal::gate::GATE_BASE) {
            held_other += 1;
        }
        let closed_until = s.answered + thrive_temporal::gate::GATE_BASE;
        for t in &seen {
            if t.at > s.answered + slack && t.at < closed_until {
                inside.push(format!(
                    "{} {} at +{} ms after a 429 answered to {}",
                    t.via,
                    t.path,
                    t.at.duration_since(s.answered).as_millis(),
                    s.via
                ));
            }
        }
    }
    let vias: BTreeSet<&str> = seen.iter().map(|s| s.via.as_str()).collect();
    let n429 = seen.iter().filter(|s| s.status == 429).count();
    ensure(
        vias.len() == 2,
        format!("requests came from {vias:?}, want both workers"),
    )?;
    ensure(n429 > 0, "no 429 was answered")?;
    ensure(
        inside.is_empty(),
        format!("calls inside a closed gate: {inside:?}"),
    )?;
    ensure(
        held_other > 0,
        "no 429 was seen holding the other worker back",
    )?;
    println!(
        "ok  two workers, 40 reads at 25 % 429: {} requests ({n429} answered 429) from {vias:?}; none sent from {} ms after a 429 until the gate reopened (slack {} ms: the close signal reaching the server, plus a worker's cached read of {} ms); {in_flight} sent within the slack (the latest {} ms after the 429); {held_other} of the 429s held the other worker back until the gate reopened",
        seen.len(),
        slack.as_millis(),
        slack.as_millis(),
        thrive_temporal::gate::SHARED_FRESH.as_millis(),
        latest.as_millis()
    );
    Ok(())
}

// ----- 6. the sync -----

/// The bytes of every payload's data (base64 in the JSON) in a history.
fn payload_bytes(v: &Value) -> usize {
    match v {
        Value::Object(map)
            if map.contains_key("metadata") && map.get("data").is_some_and(Value::is_string) =>
        {
            map["data"]
                .as_str()
                .map_or(0, |d| d.trim_end_matches('=').len() * 3 / 4)
        }
        Value::Object(map) => map.values().map(payload_bytes).sum(),
        Value::Array(items) => items.iter().map(payload_bytes).sum(),
        _ => 0,
    }
}

fn user_refs(sandbox: &Sandbox, ids: &[String]) -> Vec<String> {
    let by_id: BTreeMap<String, String> = sandbox
        .state()
        .users()
        .into_iter()
        .filter_map(|u| Some((u["id"].as_str()?.to_owned(), u["ref"].as_str()?.to_owned())))
        .collect();
    ids.iter()
        .map(|id| by_id.get(id).cloned().unwrap_or_default())
        .collect()
}

async fn check_sync_with_kills(
    w: &mut World,
    current: usize,
    leavers: usize,
    joiners: usize,
) -> Res<()> {
    let org = w
        .direct(
            "thrive_create_audience",
            json!({"name": "Sync org", "reference": "tsync-org", "category": "structure"}),
        )
        .await?;
    let aud = w.direct("thrive_create_audience", json!({"name": "Sync", "reference": "tsync", "category": "audience", "parentId": org["audience"]["id"]})).await?;
    let audience = aud["audience"]["id"]
        .as_str()
        .ok_or("no audience id")?
        .to_owned();
    let ids = w.sandbox.state().insert_users(current + joiners);
    let refs = user_refs(&w.sandbox, &ids);
    for chunk in refs[..current].chunks(100) {
        w.direct(
            "thrive_add_audience_members",
            json!({"audienceId": audience, "users": chunk}),
        )
        .await?;
    }
    let target: Vec<String> = refs[leavers..].to_vec();
    let reads = current.div_ceil(1000).max(1);
    let adds = joiners.div_ceil(100);
    let minimum = reads + adds + leavers;
    w.proxy.clear();
    let tenant = w.sandbox.config().tenant_id.clone();
    let id = format!("thrive-sync-{tenant}");
    let started = Instant::now();
    w.proxy.hold(
        "POST",
        &format!("/rest/v1/audiences/{audience}/members"),
        adds / 2,
        Duration::from_secs(5),
    );
    w.start(
        "AudienceSync",
        &id,
        json!({"audienceId": audience, "users": target}),
    )
    .await?;
    let victim = w.proxy.held(Duration::from_secs(180)).await?;
    w.kill_worker(&victim);
    println!(
        "..  SIGKILLed {victim} in add step {} (applied, answer held)",
        adds / 2
    );
    w.start_worker(&victim).await?;
    w.proxy.hold(
        "DELETE",
        &format!("/rest/v1/audiences/{audience}/members/"),
        leavers / 2 + 17,
        Duration::from_secs(5),
    );
    let victim = w.proxy.held(Duration::from_secs(240)).await?;
    w.kill_worker(&victim);
    println!(
        "..  SIGKILLed {victim} in the middle of a remove step (remove {} applied, answer held)",
        leavers / 2 + 17
    );
    w.start_worker(&victim).await?;
    let report = w.result(&id, Duration::from_secs(420)).await?;
    let elapsed = started.elapsed();
    let members: BTreeSet<String> = user_refs(&w.sandbox, &w.sandbox.state().members(&audience))
        .into_iter()
        .collect();
    let want: BTreeSet<String> = target.iter().cloned().collect();
    ensure(
        members == want,
        format!(
            "members {} differ from the target {}",
            members.len(),
            want.len()
        ),
    )?;
    let removed =
        report["removed"].as_u64().unwrap_or(0) + report["alreadyAbsent"].as_u64().unwrap_or(0);
    ensure(
        report["added"] == joiners && removed == leavers as u64 && report["failed"] == 0,
        format!("report {report}"),
    )?;
    let seen = w.proxy.seen();
    let faults = seen
        .iter()
        .filter(|s| s.status == 429 || s.status >= 500)
        .count();
    let answered = seen.len() - faults;
    // A kill costs the calls after the last heartbeat the server recorded:
    // the held add (1), and at most one remove step (100 calls).
    let bound = minimum + 1 + 100;
    ensure(
        answered <= bound,
        format!("{answered} requests answered, bound {bound}"),
    )?;
    let mut adds_by_body: BTreeMap<&[u8], usize> = BTreeMap::new();
    for s in seen.iter().filter(|s| s.method == "POST" && s.status < 300) {
        *adds_by_body.entry(s.body.as_ref()).or_default() += 1;
    }
    let twice = adds_by_body.values().filter(|n| **n > 1).count();
    ensure(
        adds_by_body.len() == adds && twice <= 1,
        format!("{} add chunks, {twice} sent twice", adds_by_body.len()),
    )?;
    let (bytes, events, payloads) = w.history_bytes(&id)?;
    println!(
        "ok  sync {current} -> {} ({leavers} leave, {joiners} join), 2 worker SIGKILLs: exact membership; report added {} removed {} alreadyAbsent {}; {answered} requests answered (minimum {minimum}, bound {bound}); add chunks re-sent {twice}; history {events} events, {bytes} bytes as `temporal workflow show -o json`, of which {payloads} bytes of payloads; {:.1} s",
        target.len(),
        report["added"],
        report["removed"],
        report["alreadyAbsent"],
        elapsed.as_secs_f64()
    );
    Ok(())
}

async fn run(args: &[String]) -> Res<()> {
    let [
        temporal_bin,
        python,
        workflows_py,
        worker_bin,
        blocks_bin,
        dir,
    ] = args
    else {
        return Err("usage: thrive-temporal-it TEMPORAL_BIN PYTHON WORKFLOWS_PY WORKER_BIN THRIVE_BLOCKS_BIN WORK_DIR".into());
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let cli_sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let proxy = Proxy {
        target: sandbox.base_url(),
        via: String::new(),
        http: reqwest::Client::new(),
        log: Arc::default(),
        hold: Arc::default(),
    };

    let (port, http_port, metrics_port) = (free_port()?, free_port()?, free_port()?);
    let address = format!("127.0.0.1:{port}");
    let server = spawn(
        "temporal-server",
        Command::new(temporal_bin).args([
            "server",
            "start-dev",
            "--headless",
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--http-port",
            &http_port.to_string(),
            "--metrics-port",
            &metrics_port.to_string(),
            "--db-filename",
            &dir.join("temporal.db").to_string_lossy(),
            "--log-level",
            "error",
        ]),
        &dir,
    )?;
    let target = url::Url::parse(&format!("http://{address}")).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let connection = loop {
        match Connection::connect(ConnectionOptions::new(target.clone()).build()).await {
            Ok(c) => break c,
            Err(e) => {
                ensure(
                    Instant::now() < deadline,
                    format!("temporal server not up in 60 s: {e}\n{}", server.tail()),
                )?;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    let client = Client::new(connection, ClientOptions::new("default").build())
        .map_err(|e| e.to_string())?;
    let py = spawn(
        "workflow-worker",
        Command::new(python).args([
            workflows_py.as_str(),
            "--address",
            &address,
            "--task-queue",
            QUEUE,
        ]),
        &dir,
    )?;
    let mut w = World {
        dir,
        temporal_bin: PathBuf::from(temporal_bin),
        worker_bin: PathBuf::from(worker_bin),
        address,
        client,
        proxy,
        sandbox,
        workers: BTreeMap::new(),
        others: vec![server, py],
        next_id: 0,
    };
    w.start_worker("worker-a").await?;
    // The first workflow waits for the namespace and the Python worker.
    let first = w
        .tool("thrive_get_user_by_ref", json!({"ref": "EMP-00001"}))
        .await?;
    ensure(
        first["output"]["user"]["ref"] == "EMP-00001",
        format!("first call: {first}"),
    )?;
    println!("ok  temporal server, the Python workflow worker and worker-a up; RunTool answered");

    let result = async {
        check_not_found(&mut w).await?;
        check_429_storm(&mut w).await?;
        check_every_tool(&mut w, Path::new(blocks_bin), &cli_sandbox).await?;
        w.start_worker("worker-b").await?;
        check_creates_with_a_kill(&mut w).await?;
        check_shared_gate(&mut w).await?;
        check_sync_with_kills(&mut w, 4000, 1000, 7000).await
    }
    .await;
    if result.is_err() {
        for p in w.others.iter().chain(w.workers.values()) {
            eprintln!("--- {} (tail)\n{}", p.name, p.tail());
        }
    }
    result
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    match run(&args).await {
        Ok(()) => {
            println!(
                "thrive-temporal-it: all checks passed in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("thrive-temporal-it: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}
