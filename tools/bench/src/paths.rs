//! The clients compared: a load generator, raw reqwest, the catalogue in
//! process, the CLI (one process per step, and batch mode), Node `fetch`
//! and Python `requests` / `aiohttp`. Every one fetches the same user by
//! ref from the same sandbox.

use crate::alloc;
use crate::measure::{
    Sample, peak_rss_mib, percentile_ms, process_cpu, reset_peak_rss, wait_child,
};
use crate::sandbox::Endpoint;
use serde_json::{Value, json};
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use thrive_blocks::api::Origin;
use thrive_blocks::call::call;
use thrive_blocks::params::Connection;
use thrive_blocks::thrive::users::{GetUserByRef, GetUserByRefParams};
use thrive_blocks::{Catalogue, Context};

/// A client under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Path {
    /// ApacheBench with keep-alive.
    Ab,
    /// wrk.
    Wrk,
    /// reqwest 0.12, one shared client, body parsed into a `Value`.
    Reqwest,
    /// `Catalogue::execute_text` from JSON input text to JSON output text,
    /// validation included: what a host that reads and prints JSON pays.
    Catalogue,
    /// The typed door: `call::<GetUserByRef>` with typed params (built
    /// once, as a Rust host holds them) and a typed output.
    Typed,
    /// `thrive-blocks run --batch`, steps written and read over pipes.
    CliBatch,
    /// `thrive-blocks run`, one process per step.
    CliProcess,
    /// Node's built-in `fetch`.
    Node,
    /// Python `requests`, a Session per thread.
    PyRequests,
    /// Python `aiohttp`, one ClientSession.
    PyAiohttp,
}

impl Path {
    /// Every path, in table order.
    pub const ALL: [Path; 10] = [
        Path::Ab,
        Path::Wrk,
        Path::Reqwest,
        Path::Catalogue,
        Path::Typed,
        Path::CliBatch,
        Path::CliProcess,
        Path::Node,
        Path::PyRequests,
        Path::PyAiohttp,
    ];

    /// The row label.
    pub fn label(self) -> &'static str {
        match self {
            Path::Ab => "ab -k (load generator)",
            Path::Wrk => "wrk (load generator)",
            Path::Reqwest => "raw reqwest 0.12, one client",
            Path::Catalogue => "catalogue execute_text (validate+run, JSON in and out)",
            Path::Typed => "typed call::<T> (no JSON door)",
            Path::CliBatch => "CLI run --batch",
            Path::CliProcess => "CLI, one process per step",
            Path::Node => "Node fetch",
            Path::PyRequests => "Python requests",
            Path::PyAiohttp => "Python aiohttp",
        }
    }

    /// The key in `--json` output and `--only`.
    pub fn key(self) -> &'static str {
        match self {
            Path::Ab => "ab",
            Path::Wrk => "wrk",
            Path::Reqwest => "reqwest",
            Path::Catalogue => "catalogue",
            Path::Typed => "typed",
            Path::CliBatch => "cli_batch",
            Path::CliProcess => "cli_process",
            Path::Node => "node",
            Path::PyRequests => "python_requests",
            Path::PyAiohttp => "python_aiohttp",
        }
    }

    /// Whether the client runs inside this process.
    pub fn in_process(self) -> bool {
        matches!(self, Path::Reqwest | Path::Catalogue | Path::Typed)
    }
}

/// Where the external clients are, found once.
pub struct Clients {
    /// `thrive-blocks` binary.
    pub cli: Option<PathBuf>,
    /// `ab` on PATH.
    pub ab: Option<PathBuf>,
    /// `wrk` on PATH.
    pub wrk: Option<PathBuf>,
    /// `node` on PATH.
    pub node: Option<PathBuf>,
    /// A Python with `requests`.
    pub py_requests: Option<PathBuf>,
    /// A Python with `aiohttp`.
    pub py_aiohttp: Option<PathBuf>,
    /// Where the scripts were written.
    pub scripts: PathBuf,
}

impl Clients {
    /// Why `path` cannot run here, if it cannot.
    pub fn missing(&self, path: Path) -> Option<&'static str> {
        let (present, why) = match path {
            Path::Ab => (
                self.ab.is_some(),
                "ab not on PATH (apt-get install apache2-utils)",
            ),
            Path::Wrk => (self.wrk.is_some(), "wrk not on PATH (apt-get install wrk)"),
            Path::Reqwest | Path::Catalogue | Path::Typed => (true, ""),
            Path::CliBatch | Path::CliProcess => (
                self.cli.is_some(),
                "the thrive-blocks binary was not found (cargo build --release)",
            ),
            Path::Node => (self.node.is_some(), "node not on PATH"),
            Path::PyRequests => (
                self.py_requests.is_some(),
                "no Python with requests (see tools/bench/README.md for the venv)",
            ),
            Path::PyAiohttp => (
                self.py_aiohttp.is_some(),
                "no Python with aiohttp (see tools/bench/README.md for the venv)",
            ),
        };
        (!present).then_some(why)
    }
}

/// In-process state shared by the in-process paths.
pub struct InProcess {
    http: reqwest::Client,
    ctx: Context,
    connection: Connection,
    params: Arc<GetUserByRefParams>,
    url: &'static str,
    auth: &'static str,
    input: &'static str,
}

impl InProcess {
    /// One reqwest client and one `Context` for the whole run.
    pub fn new(ep: &Endpoint) -> Result<Self, String> {
        let origin = Origin::parse(&ep.base_url).map_err(|e| e.to_string())?;
        let input = json!({
            "tenantId": ep.tenant_id,
            "apiKey": ep.api_key,
            "host": ep.base_url,
            "ref": ep.user_ref,
        })
        .to_string();
        let connection =
            Connection::basic(ep.tenant_id.clone(), ep.api_key.clone()).with_host(&ep.base_url);
        let params: GetUserByRefParams =
            serde_json::from_value(json!({"ref": ep.user_ref})).map_err(|e| e.to_string())?;
        Ok(Self {
            http: reqwest::Client::new(),
            ctx: Context::builder().allow_origin(origin).build(),
            connection,
            params: Arc::new(params),
            url: Box::leak(ep.user_url().into_boxed_str()),
            auth: Box::leak(ep.basic().into_boxed_str()),
            input: Box::leak(input.into_boxed_str()),
        })
    }

    /// The shared reqwest client (for paging).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Runs `n` calls of an in-process path at concurrency `c`.
    pub async fn sample(&self, path: Path, n: usize, c: usize) -> Result<Sample, String> {
        match path {
            Path::Reqwest => {
                let (http, url, auth) = (self.http.clone(), self.url, self.auth);
                drive(n, c, move || {
                    let http = http.clone();
                    async move {
                        let r = http
                            .get(url)
                            .header(reqwest::header::AUTHORIZATION, auth)
                            .header(reqwest::header::ACCEPT, "application/json")
                            .send()
                            .await
                            .map_err(|e| e.to_string())?;
                        if r.status() != 200 {
                            return Err(format!("status {}", r.status()));
                        }
                        let v: Value = r.json().await.map_err(|e| e.to_string())?;
                        std::hint::black_box(v);
                        Ok(())
                    }
                })
                .await
            }
            Path::Catalogue => {
                let (ctx, input) = (self.ctx.clone(), self.input);
                drive(n, c, move || {
                    let ctx = ctx.clone();
                    async move {
                        let input: Value =
                            serde_json::from_str(input).map_err(|e| e.to_string())?;
                        let out = Catalogue::global()
                            .execute_text("thrive_get_user_by_ref", input, &ctx)
                            .await
                            .map_err(|e| e.to_string())?;
                        std::hint::black_box(out);
                        Ok(())
                    }
                })
                .await
            }
            Path::Typed => {
                let (ctx, connection, params) = (
                    self.ctx.clone(),
                    self.connection.clone(),
                    self.params.clone(),
                );
                drive(n, c, move || {
                    let (ctx, connection, params) =
                        (ctx.clone(), connection.clone(), params.clone());
                    async move {
                        let out = call::<GetUserByRef>(&ctx, &connection, &params)
                            .await
                            .map_err(|e| e.to_string())?;
                        std::hint::black_box(out);
                        Ok(())
                    }
                })
                .await
            }
            other => Err(format!("{other:?} is not an in-process path")),
        }
    }
}

/// Runs `f` `n` times with `c` in flight (after a warm-up of `2c` calls),
/// measuring latency, wall time, this process's CPU and allocations.
async fn drive<F, Fut>(n: usize, c: usize, f: F) -> Result<Sample, String>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let f = Arc::new(f);
    workers((2 * c).max(20), c, f.clone()).await?;
    reset_peak_rss();
    let allocs = alloc::allocations();
    let cpu = process_cpu();
    let started = Instant::now();
    let mut lat = workers(n, c, f).await?;
    let wall = started.elapsed();
    let cpu = process_cpu().saturating_sub(cpu);
    let allocs = alloc::allocations() - allocs;
    lat.sort();
    Ok(Sample {
        calls: n,
        p50_ms: percentile_ms(&lat, 0.5),
        p99_ms: percentile_ms(&lat, 0.99),
        calls_per_s: n as f64 / wall.as_secs_f64(),
        cpu_us_per_call: cpu.as_secs_f64() * 1e6 / n as f64,
        peak_rss_mib: peak_rss_mib(),
        allocs_per_call: Some(allocs as f64 / n as f64),
    })
}

async fn workers<F, Fut>(n: usize, c: usize, f: Arc<F>) -> Result<Vec<Duration>, String>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..c {
        let (next, f) = (next.clone(), f.clone());
        set.spawn(async move {
            let mut lat = Vec::with_capacity(n / c + 1);
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let t = Instant::now();
                f().await?;
                lat.push(t.elapsed());
            }
            Ok::<_, String>(lat)
        });
    }
    let mut all = Vec::with_capacity(n);
    while let Some(r) = set.join_next().await {
        all.extend(r.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

/// Runs a path that is another process.
pub fn sample_child(
    clients: &Clients,
    ep: &Endpoint,
    path: Path,
    n: usize,
    c: usize,
) -> Result<Sample, String> {
    let url = ep.user_url();
    let auth = ep.basic();
    let script = |runner: &Option<PathBuf>, file: &str| -> Result<Sample, String> {
        let runner = runner.as_ref().ok_or("missing runner")?;
        let out = Command::new(runner)
            .arg(clients.scripts.join(file))
            .args([&url, &auth, &n.to_string(), &c.to_string()])
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("{file}: {e}"))?;
        if !out.status.success() {
            return Err(format!("{file} failed ({})", out.status));
        }
        serde_json::from_slice(&out.stdout).map_err(|e| {
            format!(
                "{file} printed {:?}: {e}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    };
    match path {
        Path::Node => script(&clients.node, "fetch.mjs"),
        Path::PyRequests => script(&clients.py_requests, "py_requests.py"),
        Path::PyAiohttp => script(&clients.py_aiohttp, "py_aiohttp.py"),
        Path::Ab => ab(clients, &url, &auth, n, c),
        Path::Wrk => wrk(clients, &url, &auth, n, c),
        Path::CliProcess => cli_process(clients, ep, n, c),
        Path::CliBatch => cli_batch(clients, ep, n, c),
        Path::Reqwest | Path::Catalogue | Path::Typed => Err(format!("{path:?} runs in process")),
    }
}

fn ab(clients: &Clients, url: &str, auth: &str, n: usize, c: usize) -> Result<Sample, String> {
    let ab = clients.ab.as_ref().ok_or("ab missing")?;
    let csv = clients.scripts.join(format!("ab-{c}.csv"));
    let child = Command::new(ab)
        .args([
            "-k",
            "-q",
            "-n",
            &n.max(c).to_string(),
            "-c",
            &c.to_string(),
            "-e",
        ])
        .arg(&csv)
        .args([
            "-H",
            &format!("Authorization: {auth}"),
            "-H",
            "Accept: application/json",
            url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("ab: {e}"))?;
    let (stdout, cpu, rss, code) = collect(child)?;
    if code != 0 {
        return Err(format!("ab exited with {code}: {stdout}"));
    }
    let field = |name: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l[name.len()..].split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
    };
    if field("Non-2xx responses:").unwrap_or(0.0) > 0.0
        || field("Failed requests:").unwrap_or(0.0) > 0.0
    {
        return Err(format!("ab saw failures: {stdout}"));
    }
    let rps = field("Requests per second:").ok_or("ab printed no rate")?;
    let calls = field("Complete requests:").unwrap_or(n as f64);
    let text = std::fs::read_to_string(&csv).map_err(|e| format!("ab csv: {e}"))?;
    let pct = |p: &str| {
        text.lines()
            .find_map(|l| {
                l.strip_prefix(&format!("{p},"))
                    .and_then(|v| v.trim().parse::<f64>().ok())
            })
            .unwrap_or(f64::NAN)
    };
    Ok(Sample {
        calls: calls as usize,
        p50_ms: pct("50"),
        p99_ms: pct("99"),
        calls_per_s: rps,
        cpu_us_per_call: cpu.as_secs_f64() * 1e6 / calls,
        peak_rss_mib: rss,
        allocs_per_call: None,
    })
}

fn wrk(clients: &Clients, url: &str, auth: &str, n: usize, c: usize) -> Result<Sample, String> {
    let wrk = clients.wrk.as_ref().ok_or("wrk missing")?;
    // wrk runs for a duration: aim at about as many calls as the others.
    let secs = ((n as f64) / 4000.0).clamp(1.0, 10.0).round() as u64;
    let child = Command::new(wrk)
        .args([
            &format!("-t{}", c.min(2)),
            &format!("-c{c}"),
            &format!("-d{secs}s"),
            "--latency",
            "-H",
            &format!("Authorization: {auth}"),
            url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("wrk: {e}"))?;
    let (stdout, cpu, rss, code) = collect(child)?;
    if code != 0 || stdout.contains("Non-2xx") || stdout.contains("Socket errors") {
        return Err(format!("wrk failed or saw errors: {stdout}"));
    }
    let ms = |v: &str| -> Option<f64> {
        let split = v.find(|ch: char| ch.is_ascii_alphabetic())?;
        let (num, unit) = v.split_at(split);
        let num: f64 = num.parse().ok()?;
        Some(match unit {
            "us" => num / 1e3,
            "ms" => num,
            "s" => num * 1e3,
            "m" => num * 60e3,
            _ => return None,
        })
    };
    let line_value = |prefix: &str| {
        stdout
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| {
                l[prefix.len()..]
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
            })
    };
    let calls: f64 = stdout
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or("wrk printed no request count")?;
    Ok(Sample {
        calls: calls as usize,
        p50_ms: line_value("50%").and_then(|v| ms(&v)).unwrap_or(f64::NAN),
        p99_ms: line_value("99%").and_then(|v| ms(&v)).unwrap_or(f64::NAN),
        calls_per_s: line_value("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .ok_or("wrk printed no rate")?,
        cpu_us_per_call: cpu.as_secs_f64() * 1e6 / calls,
        peak_rss_mib: rss,
        allocs_per_call: None,
    })
}

/// Reads a child's stdout to the end and reaps it with `wait4`.
fn collect(mut child: std::process::Child) -> Result<(String, Duration, f64, i32), String> {
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        std::io::Read::read_to_string(&mut out, &mut stdout).map_err(|e| e.to_string())?;
    }
    let err = child.stderr.take();
    let (cpu, rss, code) = wait_child(child.id()).map_err(|e| e.to_string())?;
    if code != 0
        && let Some(mut err) = err
    {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut text);
        stdout.push_str(&text);
    }
    Ok((stdout, cpu, rss, code))
}

fn cli_command(clients: &Clients, ep: &Endpoint) -> Result<Command, String> {
    let cli = clients.cli.as_ref().ok_or("no CLI")?;
    let mut cmd = Command::new(cli);
    cmd.env("THRIVE_ALLOWED_HOSTS", &ep.base_url)
        .env("THRIVE_TENANT_ID", &ep.tenant_id)
        .env("THRIVE_API_KEY", &ep.api_key)
        .env("THRIVE_HOST", &ep.base_url)
        .env_remove("THRIVE_CLIENT_ID")
        .env_remove("RUST_LOG");
    Ok(cmd)
}

/// One CLI process: wall time, CPU time, peak RSS (MiB).
type StepCost = (Duration, Duration, f64);

fn cli_process(clients: &Clients, ep: &Endpoint, n: usize, c: usize) -> Result<Sample, String> {
    let params = json!({"ref": ep.user_ref}).to_string();
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let results: Vec<Result<Vec<StepCost>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..c)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    while next.fetch_add(1, Ordering::Relaxed) < n {
                        let t = Instant::now();
                        let child = cli_command(clients, ep)?
                            .args([
                                "run",
                                "thrive_get_user_by_ref",
                                "--compact",
                                "--params",
                                &params,
                            ])
                            .stdout(Stdio::piped())
                            .stderr(Stdio::piped())
                            .spawn()
                            .map_err(|e| e.to_string())?;
                        let (stdout, cpu, rss, code) = collect(child)?;
                        if code != 0 {
                            return Err(format!("the CLI exited with {code}: {stdout}"));
                        }
                        out.push((t.elapsed(), cpu, rss));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a CLI thread panicked".into()))
            })
            .collect()
    });
    let wall = started.elapsed();
    let mut lat = Vec::new();
    let (mut cpu, mut rss) = (Duration::ZERO, 0f64);
    for r in results {
        for (l, c, m) in r? {
            lat.push(l);
            cpu += c;
            rss = rss.max(m);
        }
    }
    lat.sort();
    Ok(Sample {
        calls: lat.len(),
        p50_ms: percentile_ms(&lat, 0.5),
        p99_ms: percentile_ms(&lat, 0.99),
        calls_per_s: lat.len() as f64 / wall.as_secs_f64(),
        cpu_us_per_call: cpu.as_secs_f64() * 1e6 / lat.len().max(1) as f64,
        peak_rss_mib: rss,
        allocs_per_call: None,
    })
}

fn cli_batch(clients: &Clients, ep: &Endpoint, n: usize, c: usize) -> Result<Sample, String> {
    let mut child = cli_command(clients, ep)?
        .args(["run", "--batch", "--concurrency", &c.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let warmup = (2 * c).max(20);
    let total = warmup + n;
    let step = |i: usize| {
        format!(
            "{}\n",
            json!({"tool": "thrive_get_user_by_ref", "params": {"ref": ep.user_ref}, "id": i})
        )
    };
    // Keep `c` steps in flight: write one more for every result read.
    let mut sent = vec![None::<Instant>; total];
    let mut written = 0usize;
    let write =
        |i: usize, stdin: &mut std::process::ChildStdin, sent: &mut Vec<Option<Instant>>| {
            sent[i] = Some(Instant::now());
            stdin
                .write_all(step(i).as_bytes())
                .map_err(|e| e.to_string())?;
            stdin.flush().map_err(|e| e.to_string())
        };
    while written < c.min(total) {
        write(written, &mut stdin, &mut sent)?;
        written += 1;
    }
    let mut lat = Vec::with_capacity(n);
    let mut measured_from = None;
    let mut line = String::new();
    for _ in 0..total {
        line.clear();
        stdout.read_line(&mut line).map_err(|e| e.to_string())?;
        let v: Value =
            serde_json::from_str(&line).map_err(|e| format!("batch said {line:?}: {e}"))?;
        if v.get("result").is_none() {
            return Err(format!("batch step failed: {line}"));
        }
        let id = v["id"].as_u64().ok_or("batch result without id")? as usize;
        let t = sent.get(id).copied().flatten().ok_or("unknown id")?;
        if id >= warmup {
            lat.push(t.elapsed());
            measured_from.get_or_insert(t);
        }
        if written < total {
            write(written, &mut stdin, &mut sent)?;
            written += 1;
        }
    }
    let wall = measured_from.map_or(Duration::ZERO, |t| t.elapsed());
    drop(stdin);
    let (cpu, rss, code) = wait_child(child.id()).map_err(|e| e.to_string())?;
    if code != 0 {
        return Err(format!("batch exited with {code}"));
    }
    lat.sort();
    Ok(Sample {
        calls: lat.len(),
        p50_ms: percentile_ms(&lat, 0.5),
        p99_ms: percentile_ms(&lat, 0.99),
        calls_per_s: lat.len() as f64 / wall.as_secs_f64(),
        // The whole process (start-up included) over every step it ran.
        cpu_us_per_call: cpu.as_secs_f64() * 1e6 / total as f64,
        peak_rss_mib: rss,
        allocs_per_call: None,
    })
}
