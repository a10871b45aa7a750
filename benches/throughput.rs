//! Throughput and latency figures for the runtime against the in-process
//! sandbox: steps at concurrency 1 and 16, retries under injected 429s and
//! 5xx, paging and chunked sends. Prints a table; asserts nothing.
//!
//! Per-call micro figures (validate, prepare, output mapping) are in
//! `cargo bench --bench micro`; the side-by-side comparison with other
//! clients is `cargo run --release -p thrive-bench`.
//!
//! Run: `cargo bench --bench throughput`

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, RetryPolicy};
use thrive_sandbox::{Faults, Sandbox, SandboxConfig};

fn input(sb: &Sandbox, params: Value) -> Value {
    let cfg = sb.config();
    let mut v = json!({"tenantId": cfg.tenant_id, "apiKey": cfg.api_key, "host": sb.base_url()});
    for (k, val) in params.as_object().expect("object") {
        v[k] = val.clone();
    }
    v
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Peak resident set size of this process, from /proc (Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn row(name: &str, figure: String) {
    println!("{name:<58} {figure}");
}

async fn steps(
    ctx: &Context,
    sb: &Sandbox,
    refs: &[String],
    n: usize,
    concurrency: usize,
) -> (Duration, Vec<Duration>) {
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let (ctx, sem) = (ctx.clone(), sem.clone());
        let input = input(sb, json!({"ref": refs[i % refs.len()]}));
        tasks.spawn(async move {
            let _p = sem.acquire_owned().await.expect("semaphore");
            let t = Instant::now();
            Catalogue::global()
                .execute("thrive_get_user_by_ref", input, &ctx)
                .await
                .expect("step succeeds");
            t.elapsed()
        });
    }
    let mut lat = Vec::with_capacity(n);
    while let Some(r) = tasks.join_next().await {
        lat.push(r.expect("task"));
    }
    lat.sort();
    (started.elapsed(), lat)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!("thrive-blocks benchmarks (2 worker threads, sandbox in process)\n");
    let cat = Catalogue::global();

    // Catalogue construction and schema compilation.
    let t = Instant::now();
    let fresh = Catalogue::new();
    row(
        "build catalogue (48 tools, schemas generated)",
        format!("{:.2} ms", t.elapsed().as_secs_f64() * 1e3),
    );
    let t = Instant::now();
    for tool in fresh.tools() {
        let _ = fresh.validate(tool.meta().id, json!({}));
    }
    row(
        "first validation of every tool (compiles 48 validators)",
        format!("{:.2} ms", t.elapsed().as_secs_f64() * 1e3),
    );

    // Runtime against the sandbox.
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox");
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&sb.base_url()).expect("origin"))
        .retry(RetryPolicy {
            max_attempts: 12,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(20),
            deadline: Duration::from_secs(60),
        })
        .build();
    let refs: Vec<String> = sb
        .state()
        .users()
        .iter()
        .filter_map(|u| u["ref"].as_str().map(str::to_owned))
        .take(100)
        .collect();
    let _ = steps(&ctx, &sb, &refs, 200, 8).await; // warm the connection pool
    for concurrency in [1, 16] {
        let (wall, lat) = steps(&ctx, &sb, &refs, 2000, concurrency).await;
        row(
            &format!("2,000 get_user_by_ref steps, concurrency {concurrency}"),
            format!(
                "{:.0} steps/s; p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
                2000.0 / wall.as_secs_f64(),
                percentile(&lat, 0.5).as_secs_f64() * 1e3,
                percentile(&lat, 0.95).as_secs_f64() * 1e3,
                percentile(&lat, 0.99).as_secs_f64() * 1e3
            ),
        );
    }
    sb.set_faults(Faults {
        rate_429: 0.2,
        retry_after_secs: 0,
        rate_5xx: 0.1,
        ..Faults::none()
    });
    sb.reset_stats();
    let (wall, lat) = steps(&ctx, &sb, &refs, 1000, 16).await;
    let stats = sb.stats();
    row(
        "1,000 steps with 20% 429s + 10% 5xx, concurrency 16",
        format!(
            "{:.0} steps/s; p99 {:.2} ms; {} requests for 1,000 steps",
            1000.0 / wall.as_secs_f64(),
            percentile(&lat, 0.99).as_secs_f64() * 1e3,
            stats.total_requests
        ),
    );
    sb.set_faults(Faults::none());

    // Pagination and memory.
    sb.state().insert_users(5000);
    let rss_before = peak_rss_mib();
    let t = Instant::now();
    let mut pager = cat
        .pager(
            "thrive_search_users",
            input(&sb, json!({"perPage": 500})),
            &ctx,
        )
        .expect("pager");
    let mut streamed = 0usize;
    while let Some(page) = pager.next_page().await {
        streamed += page.expect("page").len();
    }
    row(
        &format!("stream {streamed} users with Pager (perPage 500)"),
        format!(
            "{:.0} ms; peak RSS {:.1} MiB",
            t.elapsed().as_secs_f64() * 1e3,
            peak_rss_mib().unwrap_or(0.0)
        ),
    );
    let t = Instant::now();
    let out = cat
        .execute(
            "thrive_search_users",
            input(&sb, json!({"returnAll": true, "perPage": 1000})),
            &ctx,
        )
        .await
        .expect("returnAll");
    let all = out["results"].as_array().map_or(0, Vec::len);
    row(
        &format!("returnAll over {all} users (perPage 1000)"),
        format!(
            "{:.0} ms; peak RSS {:.1} MiB (before paging: {:.1} MiB)",
            t.elapsed().as_secs_f64() * 1e3,
            peak_rss_mib().unwrap_or(0.0),
            rss_before.unwrap_or(0.0)
        ),
    );

    // Chunked add.
    let ids = sb.state().insert_users(1050);
    let audience = sb
        .state()
        .audiences()
        .into_iter()
        .find(|a| a["category"] == "audience")
        .and_then(|a| a["id"].as_str().map(str::to_owned))
        .expect("an audience");
    sb.reset_stats();
    let t = Instant::now();
    cat.execute(
        "thrive_add_audience_members",
        input(&sb, json!({"audienceId": audience, "users": ids})),
        &ctx,
    )
    .await
    .expect("add");
    row(
        "add 1,050 members (chunked by 100)",
        format!(
            "{:.0} ms in {} requests",
            t.elapsed().as_secs_f64() * 1e3,
            sb.stats().total_requests
        ),
    );
    sb.shutdown().await;
}
