//! `thrive-restate-it`: the Restate integration driver run by the CI suite
//! `.ci/suites/50-restate.sh`. It needs a `restate-server` binary (installed
//! from npm) and the `thrive-restate` binary, and talks only to loopback.
//!
//! It starts, on free loopback ports: the Thrive sandbox (in this process),
//! a recording proxy in front of it (every request with its arrival time,
//! status and body), the Restate server and the `thrive-restate` service,
//! registers the deployment through the admin API, then checks:
//!
//! 1. a read and a write through Restate's ingress;
//! 2. the same write twice with one idempotency key → one write at Thrive;
//! 3. a create whose first attempt reached Thrive before a crash → 409 →
//!    the existing record is read back, no duplicate;
//! 4. a sync of 10,000 users into an audience holding 2,000 others, with the
//!    service SIGKILLed in the middle and started again: the workflow
//!    finishes, the audience equals the target, no journaled chunk is sent
//!    again, and the request count stays within the stated bound;
//! 5. two service processes behind one Restate server, against a sandbox
//!    answering 429s: after a 429, no call of the tenant reaches Thrive
//!    before the shared gate opens, from either process, beyond a stated
//!    slack for calls already past the gate (each process has its own proxy
//!    listener, so every request says who sent it; the timeline is written
//!    to `gate-timeline.txt` in the work directory).
//!
//! Every wait is bounded; the driver stops its children on exit.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, RetryPolicy};
use thrive_sandbox::{Faults, Sandbox, SandboxConfig};

type Res<T> = Result<T, String>;

/// One request the proxy forwarded.
#[derive(Debug, Clone)]
struct Seen {
    /// When it arrived.
    at: Instant,
    /// When its answer was sent back.
    answered: Instant,
    method: String,
    path: String,
    status: u16,
    body: Bytes,
    /// The service process that sent it (each has its own proxy listener).
    via: String,
}

#[derive(Clone)]
struct Proxy {
    target: String,
    /// The name of the process this listener serves.
    via: String,
    http: reqwest::Client,
    log: Arc<Mutex<Vec<Seen>>>,
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    let path_q = uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_default();
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
            let status = r.status().as_u16();
            let h = r.headers().clone();
            (status, h, r.bytes().await.unwrap_or_default())
        }
        Err(_) => (502, reqwest::header::HeaderMap::new(), Bytes::new()),
    };
    p.log.lock().unwrap_or_else(|e| e.into_inner()).push(Seen {
        at,
        answered: Instant::now(),
        method: method.to_string(),
        path: uri.path().to_owned(),
        status,
        body,
        via: p.via.clone(),
    });
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
    /// A new loopback listener forwarding to the sandbox into the same log,
    /// its requests tagged `via`; returns its origin.
    async fn listen(&self, via: &str) -> Res<String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let state = Proxy {
            via: via.to_owned(),
            ..self.clone()
        };
        let app = Router::new().fallback(forward).with_state(state);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(format!("http://{addr}"))
    }

    fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    fn clear(&self) {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// A child process killed when dropped.
struct Proc {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn kill(&mut self) {
        // `Child::kill` sends SIGKILL on Unix.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> Res<u16> {
    let l = StdListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
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
    Ok(Proc {
        name: name.to_owned(),
        child,
        log,
    })
}

struct World {
    http: reqwest::Client,
    ingress: String,
    admin: String,
    service_bin: PathBuf,
    dir: PathBuf,
    /// The recording proxy's log; every service process gets its own
    /// listener ([`Proxy::listen`]), so each request says who sent it.
    proxy: Proxy,
    sandbox: Sandbox,
    services: Vec<(u16, Proc)>,
    restate: Option<Proc>,
}

fn ensure(cond: bool, what: impl Into<String>) -> Res<()> {
    if cond { Ok(()) } else { Err(what.into()) }
}

impl World {
    fn service_env(&self, cmd: &mut Command, origin: &str) {
        let cfg = self.sandbox.config();
        cmd.env("THRIVE_TENANT_ID", &cfg.tenant_id)
            .env("THRIVE_API_KEY", &cfg.api_key)
            .env("THRIVE_HOST", origin)
            .env("THRIVE_ALLOWED_HOSTS", origin)
            .env("THRIVE_RESTATE_INGRESS", &self.ingress)
            .env("RUST_LOG", "info,thrive_restate=info");
    }

    async fn start_service(&mut self, port: u16, name: &str) -> Res<()> {
        let mut cmd = Command::new(&self.service_bin);
        cmd.arg("--listen").arg(format!("127.0.0.1:{port}"));
        let origin = self.proxy.listen(name).await?;
        self.service_env(&mut cmd, &origin);
        let proc = spawn(name, &mut cmd, &self.dir)?;
        self.services.push((port, proc));
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!("{name} did not listen on {port} within 30 s"))
    }

    async fn register(&self, port: u16) -> Res<Value> {
        let r = self
            .http
            .post(format!("{}/deployments", self.admin))
            .json(&json!({"uri": format!("http://127.0.0.1:{port}"), "force": true}))
            .send()
            .await
            .map_err(|e| format!("register: {e}"))?;
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        ensure(
            (200..300).contains(&status),
            format!("register answered {status}: {body}"),
        )?;
        Ok(body)
    }

    /// POST to ingress; returns status and JSON body.
    async fn ingress(&self, path: &str, body: &Value, key: Option<&str>) -> Res<(u16, Value)> {
        let mut req = self
            .http
            .post(format!("{}{}", self.ingress, path))
            .timeout(Duration::from_secs(120));
        if !body.is_null() {
            req = req.json(body);
        }
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let r = req.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        Ok((
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ))
    }

    async fn tool(&self, tool: &str, input: Value, key: Option<&str>) -> Res<(u16, Value)> {
        self.ingress(
            "/ThriveTools/run",
            &json!({"tool": tool, "input": input}),
            key,
        )
        .await
    }

    fn direct_ctx(&self) -> Context {
        Context::builder()
            .allow_origin(Origin::parse(&self.sandbox.base_url()).expect("sandbox origin"))
            .retry(RetryPolicy::none())
            .build()
    }

    /// Runs a tool straight against the sandbox (not through the proxy).
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

    fn count(&self, method: &str, prefix: &str) -> usize {
        self.proxy
            .seen()
            .iter()
            .filter(|s| s.method == method && s.path.starts_with(prefix))
            .count()
    }
}

/// The refs of users `ids`, in order, from one snapshot of the sandbox's
/// users (looking each up on its own costs a pass over every membership).
fn user_refs<'a>(sandbox: &Sandbox, ids: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let by_id: BTreeMap<String, String> = sandbox
        .state()
        .users()
        .into_iter()
        .filter_map(|u| Some((u["id"].as_str()?.to_owned(), u["ref"].as_str()?.to_owned())))
        .collect();
    ids.into_iter()
        .map(|id| by_id.get(id).cloned().unwrap_or_default())
        .collect()
}

async fn new_audience(w: &World, reference: &str) -> Res<String> {
    let s = w
        .direct(
            "thrive_create_audience",
            json!({"name": format!("{reference} org"), "reference": format!("{reference}-org"), "category": "structure"}),
        )
        .await?;
    let a = w
        .direct(
            "thrive_create_audience",
            json!({"name": reference, "reference": reference, "category": "audience", "parentId": s["audience"]["id"]}),
        )
        .await?;
    a["audience"]["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no audience id in {a}"))
}

// ----- the checks -----

async fn check_read_and_write(w: &World) -> Res<()> {
    let (status, out) = w
        .tool("thrive_get_user_by_ref", json!({"ref": "EMP-00001"}), None)
        .await?;
    ensure(status == 200, format!("read answered {status}: {out}"))?;
    ensure(
        out["user"]["ref"] == "EMP-00001",
        format!("read output {out}"),
    )?;

    let before = w.count("POST", "/rest/v2/users");
    let (status, out) = w
        .tool(
            "thrive_create_user",
            json!({"ref": "RS-WRITE-1", "firstName": "Ada", "lastName": "Write", "email": "rs-write-1@example.com"}),
            None,
        )
        .await?;
    ensure(status == 200, format!("write answered {status}: {out}"))?;
    ensure(
        out["user"]["ref"] == "RS-WRITE-1",
        format!("write output {out}"),
    )?;
    ensure(
        w.sandbox.state().user_by_ref("RS-WRITE-1").is_some(),
        "the user exists at the sandbox",
    )?;
    ensure(
        w.count("POST", "/rest/v2/users") == before + 1,
        "one create call",
    )?;

    // A Thrive error is terminal, with Thrive's status.
    let (status, out) = w
        .tool("thrive_get_user_by_ref", json!({"ref": "NOBODY-XYZ"}), None)
        .await?;
    ensure(
        status == 404,
        format!("unknown user answered {status}: {out}"),
    )?;
    println!("ok  read and write through ingress (unknown user -> {status})");
    Ok(())
}

async fn check_idempotency(w: &World) -> Res<()> {
    let before = w.count("POST", "/rest/v2/users");
    let input = json!({"ref": "RS-IDEM-1", "firstName": "Ida", "lastName": "Idem", "email": "rs-idem-1@example.com"});
    let (s1, o1) = w
        .tool("thrive_create_user", input.clone(), Some("idem-key-1"))
        .await?;
    let (s2, o2) = w
        .tool("thrive_create_user", input, Some("idem-key-1"))
        .await?;
    ensure(
        s1 == 200 && s2 == 200,
        format!("statuses {s1} {s2}: {o1} {o2}"),
    )?;
    ensure(o1 == o2, "both answers are the same")?;
    let sent = w.count("POST", "/rest/v2/users") - before;
    ensure(
        sent == 1,
        format!("{sent} create calls reached the sandbox, want 1"),
    )?;
    println!("ok  same request twice with one idempotency key -> {sent} write at the sandbox");
    Ok(())
}

async fn check_conflict_read_back(w: &World) -> Res<()> {
    // The first attempt reached Thrive, then the worker died before the
    // result was journaled: Restate runs the create again.
    w.direct(
            "thrive_create_user",
            json!({"ref": "RS-CRASH-1", "firstName": "Cy", "lastName": "Crash", "email": "rs-crash-1@example.com"}),
        )
        .await?;
    let (status, out) = w
        .tool(
            "thrive_create_user",
            json!({"ref": "RS-CRASH-1", "firstName": "Cy", "lastName": "Crash", "email": "rs-crash-1@example.com"}),
            None,
        )
        .await?;
    ensure(status == 200, format!("retry answered {status}: {out}"))?;
    ensure(
        out["user"]["ref"] == "RS-CRASH-1",
        format!("read back {out}"),
    )?;
    let copies = w
        .sandbox
        .state()
        .users()
        .iter()
        .filter(|u| u["ref"] == "RS-CRASH-1")
        .count();
    ensure(copies == 1, format!("{copies} users with the ref"))?;
    let audience_first = w
        .direct(
            "thrive_create_audience",
            json!({"name": "RS crash org", "reference": "rs-crash-org", "category": "structure"}),
        )
        .await?;
    let (status, out) = w
        .tool(
            "thrive_create_audience",
            json!({"name": "RS crash org", "reference": "rs-crash-org", "category": "structure"}),
            None,
        )
        .await?;
    ensure(
        status == 200 && out["audience"]["id"] == audience_first["audience"]["id"],
        format!("audience read back: {status} {out}"),
    )?;
    println!(
        "ok  a create retried after a crash reads the existing record back (user and audience)"
    );
    Ok(())
}

async fn progress(w: &World, id: &str) -> Res<Value> {
    let (status, out) = w
        .ingress(&format!("/AudienceSync/{id}/progress"), &json!(null), None)
        .await?;
    ensure(status == 200, format!("progress answered {status}: {out}"))?;
    Ok(out)
}

async fn check_sync_with_crash(w: &mut World) -> Res<()> {
    let audience = new_audience(w, "rs-sync").await?;
    let ids = w.sandbox.state().insert_users(12_000);
    let refs: Vec<String> = user_refs(&w.sandbox, &ids);
    for chunk in refs[..2000].chunks(100) {
        w.direct(
            "thrive_add_audience_members",
            json!({"audienceId": audience, "users": chunk}),
        )
        .await?;
    }
    let target: Vec<String> = refs[2000..].to_vec();
    // A little latency per call, so the crash lands in the middle.
    w.sandbox.set_faults(Faults {
        latency_ms: 4,
        ..Faults::none()
    });
    w.proxy.clear();

    let started = Instant::now();
    let (status, out) = w
        .ingress(
            "/AudienceSync/nightly-1/run/send",
            &json!({"audienceId": audience, "users": target}),
            // The workflow id is the idempotency key (Restate refuses another).
            None,
        )
        .await?;
    ensure(
        (200..300).contains(&status),
        format!("start answered {status}: {out}"),
    )?;

    // Kill the service once 30 of the 120 steps are journaled.
    let deadline = Instant::now() + Duration::from_secs(120);
    let done_at_kill = loop {
        ensure(
            Instant::now() < deadline,
            "the sync did not reach step 30 within 120 s",
        )?;
        let p = progress(w, "nightly-1").await?;
        let done = p["done"].as_u64().unwrap_or(0);
        if done >= 30 {
            break done;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let (port, mut proc) = w.services.remove(0);
    proc.kill();
    let sent_at_kill = w.proxy.seen().len();
    println!(
        "..  SIGKILLed the service after {done_at_kill} journaled steps ({sent_at_kill} requests so far)"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(proc);
    w.start_service(port, "service-a-restarted").await?;

    let r = w
        .http
        .get(format!(
            "{}/restate/workflow/AudienceSync/nightly-1/attach",
            w.ingress
        ))
        .timeout(Duration::from_secs(240))
        .send()
        .await
        .map_err(|e| format!("attach: {e}"))?;
    let status = r.status().as_u16();
    let report: Value = r.json().await.map_err(|e| format!("attach body: {e}"))?;
    ensure(status == 200, format!("attach answered {status}: {report}"))?;
    let elapsed = started.elapsed();
    w.sandbox.set_faults(Faults::none());

    // The audience equals the target exactly.
    let members: BTreeSet<String> = user_refs(&w.sandbox, &w.sandbox.state().members(&audience))
        .into_iter()
        .collect();
    let want: BTreeSet<String> = target.iter().cloned().collect();
    ensure(
        members == want,
        format!(
            "members differ from the target: {} vs {}",
            members.len(),
            want.len()
        ),
    )?;
    ensure(report["added"] == 10_000, format!("report {report}"))?;
    let removed =
        report["removed"].as_u64().unwrap_or(0) + report["alreadyAbsent"].as_u64().unwrap_or(0);
    ensure(removed == 2000, format!("removed {removed}: {report}"))?;
    ensure(report["failed"] == 0, format!("failures: {report}"))?;

    // No chunk sent twice once journaled: at most the chunk in flight at the
    // kill is sent again, and never one of the `done_at_kill` journaled ones.
    let seen = w.proxy.seen();
    let posts: Vec<&Seen> = seen.iter().filter(|s| s.method == "POST").collect();
    let mut by_body: BTreeMap<&[u8], usize> = BTreeMap::new();
    for p in &posts {
        *by_body.entry(p.body.as_ref()).or_default() += 1;
    }
    ensure(
        by_body.len() == 100,
        format!("{} distinct add chunks, want 100", by_body.len()),
    )?;
    let twice: Vec<usize> = by_body
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(body, _)| {
            let first: Vec<String> = serde_json::from_slice(body).unwrap_or_default();
            first
                .first()
                .and_then(|r| target.iter().position(|t| t == r))
                .map(|i| i / 100)
                .unwrap_or(usize::MAX)
        })
        .collect();
    ensure(twice.len() <= 1, format!("chunks sent twice: {twice:?}"))?;
    if let Some(&chunk) = twice.first() {
        ensure(
            chunk >= done_at_kill as usize,
            format!("chunk {chunk} was sent again although {done_at_kill} steps were journaled"),
        )?;
    }
    // The bound: the plan's calls (2 reads + 100 adds + 2000 removes), plus
    // at most one step in flight at the kill (≤ 100 calls) and the reads
    // again if the plan was not journaled yet.
    let planned = 2 + 100 + 2000;
    let bound = planned + 100 + 2;
    let total = seen.len();
    ensure(total <= bound, format!("{total} requests, bound {bound}"))?;
    println!(
        "ok  sync 10,000 users into an audience of 2,000 others, SIGKILL at step {done_at_kill}/120: exact membership; {total} requests (planned {planned}, bound {bound}); chunks re-sent: {}; {:.1} s",
        twice.len(),
        elapsed.as_secs_f64()
    );
    Ok(())
}

async fn check_shared_gate(w: &mut World) -> Res<()> {
    let audience = new_audience(w, "rs-gate").await?;
    let ids = w.sandbox.state().insert_users(40);
    let refs: Vec<String> = user_refs(&w.sandbox, &ids);
    w.proxy.clear();
    w.sandbox.set_faults(Faults {
        rate_429: 0.25,
        retry_after_secs: 1,
        ..Faults::none()
    });
    let http = w.http.clone();
    let ingress = w.ingress.clone();
    let fire = |batch: &[String], tag: &str| {
        batch
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let body = if i % 2 == 0 {
                    json!({"tool": "thrive_add_audience_members", "input": {"audienceId": audience, "users": [r]}})
                } else {
                    json!({"tool": "thrive_get_user_by_ref", "input": {"ref": r}})
                };
                let http = http.clone();
                let url = format!("{ingress}/ThriveTools/run");
                let key = format!("gate-{tag}-{i}");
                tokio::spawn(async move {
                    http.post(url)
                        .header("idempotency-key", key)
                        .timeout(Duration::from_secs(180))
                        .json(&body)
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0)
                })
            })
            .collect::<Vec<_>>()
    };
    // Batch one goes to process A; then process B is registered (new
    // invocations go to the newest deployment) while batch one still runs.
    // Restate picks the deployment when an invocation starts, not when
    // ingress accepts it, so B is registered only once A has sent a call to
    // Thrive: a fixed pause let a slow machine register B before any of
    // batch one had started, and B then served them all.
    let first = fire(&refs[..20], "a");
    let started = Instant::now();
    while !w
        .proxy
        .seen()
        .iter()
        .any(|s| s.via.starts_with("service-a"))
    {
        ensure(
            started.elapsed() < Duration::from_secs(60),
            "process A sent no call within 60 s of batch one",
        )?;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let port_b = free_port()?;
    w.start_service(port_b, "service-b").await?;
    w.register(port_b).await?;
    let second = fire(&refs[20..], "b");
    let mut statuses = Vec::new();
    for h in first.into_iter().chain(second) {
        statuses.push(h.await.unwrap_or(0));
    }
    w.sandbox.set_faults(Faults::none());
    ensure(
        statuses.iter().all(|s| *s == 200),
        format!("statuses {statuses:?}"),
    )?;

    let seen = w.proxy.seen();
    if let Some(first) = seen.first() {
        let t0 = first.at;
        let lines: Vec<String> = seen
            .iter()
            .map(|s| {
                format!(
                    "{:>6} {:>6} {} {} {} {}",
                    (s.at - t0).as_millis(),
                    (s.answered - t0).as_millis(),
                    s.status,
                    s.via,
                    s.method,
                    s.path
                )
            })
            .collect();
        let _ = std::fs::write(w.dir.join("gate-timeline.txt"), lines.join("\n"));
    }
    let throttled: Vec<&Seen> = seen.iter().filter(|s| s.status == 429).collect();
    ensure(!throttled.is_empty(), "the sandbox answered no 429")?;
    // A 429 closes the tenant's gate for GATE_BASE (1 s) from the moment
    // its process sees the answer, for both processes. What a gate cannot
    // stop are calls that passed their check before the close reached
    // Restate: the close is committed through ingress before the step
    // returns, and every check reads the gate fresh right before its send,
    // so that is the close's commit through ingress plus one check: 0-14 ms
    // on idle loopback, up to 145 ms on two cores busy with other builds
    // (the second process just registered, its first invocations cold).
    // `SLACK` allows that; no call may arrive after it while the gate is
    // closed (the last 20 ms are left out for clock rounding at reopening).
    // Before the fix calls arrived 250-570 ms into a closed gate.
    const SLACK: Duration = Duration::from_millis(250);
    let window = Duration::from_millis(1000) - Duration::from_millis(20);
    let mut violations = Vec::new();
    let mut latest = Duration::ZERO;
    let mut passed = 0;
    for t in &throttled {
        for s in &seen {
            let Some(after) = s.at.checked_duration_since(t.answered) else {
                continue;
            };
            if after.is_zero() || after >= window {
                continue;
            }
            if after > SLACK {
                violations.push(format!(
                    "{} {} {} {:?} after a 429 answered to {}",
                    s.via, s.method, s.path, after, t.via
                ));
            } else {
                passed += 1;
                latest = latest.max(after);
            }
        }
    }
    ensure(
        violations.is_empty(),
        format!("calls inside a closed gate: {violations:?}"),
    )?;
    let calls_in = |name: &str| seen.iter().filter(|s| s.via.starts_with(name)).count();
    let (a, b) = (calls_in("service-a"), calls_in("service-b"));
    ensure(
        a > 0 && b > 0,
        format!("calls per process: A {a}, B {b}; both must serve"),
    )?;
    println!(
        "ok  two service processes, 429s at 25%: {} requests, {} answered 429, none inside a closed gate \
         (calls already past the gate: {passed}, the latest {} ms after a 429; slack {} ms); calls A {a}, B {b}",
        seen.len(),
        throttled.len(),
        latest.as_millis(),
        SLACK.as_millis()
    );
    Ok(())
}

async fn run(restate_bin: PathBuf, service_bin: PathBuf, dir: PathBuf) -> Res<()> {
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let proxy = Proxy {
        target: sandbox.base_url(),
        via: String::new(),
        http: reqwest::Client::new(),
        log: Arc::default(),
    };

    let (ingress_port, admin_port, node_port) = (free_port()?, free_port()?, free_port()?);
    let mut cmd = Command::new(&restate_bin);
    cmd.arg("--no-logo")
        .arg("--base-dir")
        .arg(dir.join("restate-data"))
        .env("RESTATE_DISABLE_TELEMETRY", "true")
        .env("RESTATE_LISTEN_MODE", "tcp")
        .env(
            "RESTATE_INGRESS__BIND_ADDRESS",
            format!("127.0.0.1:{ingress_port}"),
        )
        .env(
            "RESTATE_ADMIN__BIND_ADDRESS",
            format!("127.0.0.1:{admin_port}"),
        )
        .env("RESTATE_BIND_ADDRESS", format!("127.0.0.1:{node_port}"))
        .env(
            "RESTATE_ADVERTISED_ADDRESS",
            format!("http://127.0.0.1:{node_port}/"),
        )
        .env("RESTATE_DEFAULT_NUM_PARTITIONS", "2")
        .env("RESTATE_ROCKSDB_TOTAL_MEMORY_SIZE", "256MB")
        .env("RESTATE_LOG_FORMAT", "compact")
        .env("NO_COLOR", "1");
    let restate = spawn("restate-server", &mut cmd, &dir)?;

    let mut w = World {
        http: reqwest::Client::new(),
        ingress: format!("http://127.0.0.1:{ingress_port}"),
        admin: format!("http://127.0.0.1:{admin_port}"),
        service_bin,
        dir,
        proxy,
        sandbox,
        services: Vec::new(),
        restate: Some(restate),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        ensure(
            Instant::now() < deadline,
            "restate-server was not healthy within 60 s",
        )?;
        let ok = w
            .http
            .get(format!("{}/health", w.admin))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let port_a = free_port()?;
    w.start_service(port_a, "service-a").await?;
    let reg = w.register(port_a).await?;
    println!(
        "ok  restate-server up, deployment registered: {}",
        reg["id"]
    );
    // Ingress learns about new services asynchronously; wait until it routes.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, _) = w
            .tool("thrive_get_user_by_ref", json!({"ref": "EMP-00001"}), None)
            .await?;
        if status == 200 {
            break;
        }
        ensure(
            Instant::now() < deadline,
            format!("ingress answered {status} for 30 s"),
        )?;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let result = async {
        check_read_and_write(&w).await?;
        check_idempotency(&w).await?;
        check_conflict_read_back(&w).await?;
        check_sync_with_crash(&mut w).await?;
        check_shared_gate(&mut w).await
    }
    .await;
    if result.is_err() {
        if let Some(r) = &w.restate {
            eprintln!("--- {} (tail)\n{}", r.name, r.log_tail());
        }
        for (_, p) in &w.services {
            eprintln!("--- {} (tail)\n{}", p.name, p.log_tail());
        }
    }
    result
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [restate_bin, service_bin, dir] = args.as_slice() else {
        eprintln!("usage: thrive-restate-it RESTATE_SERVER_BIN THRIVE_RESTATE_BIN WORK_DIR");
        return ExitCode::from(2);
    };
    let overall = Duration::from_secs(420);
    match tokio::time::timeout(
        overall,
        run(restate_bin.into(), service_bin.into(), dir.into()),
    )
    .await
    {
        Ok(Ok(())) => {
            println!("all Restate checks passed");
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("FAILED: {e}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("FAILED: the checks did not finish within {overall:?}");
            ExitCode::FAILURE
        }
    }
}
