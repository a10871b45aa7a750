//! `thrive-bench`: thrive-blocks side by side with a load generator, raw
//! reqwest, Node and Python clients, against one sandbox in a child
//! process. Prints figures; asserts nothing.
//!
//! Run: `cargo run --release -p thrive-bench -- --quick` (see README.md).

mod alloc;
mod instructions;
mod measure;
mod paging;
mod paths;
mod sandbox;

use clap::Parser;
use measure::{Sample, median};
use paths::{Clients, InProcess, Path};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// Benchmarks thrive-blocks against other clients of the same sandbox.
#[derive(Debug, Parser)]
#[command(name = "thrive-bench")]
struct Args {
    /// Fewer rounds and calls: the whole run in under two minutes.
    #[arg(long)]
    quick: bool,
    /// Print one JSON document on stdout instead of tables.
    #[arg(long)]
    json: bool,
    /// Interleaved rounds (default 5, 3 with --quick); figures are medians.
    #[arg(long)]
    rounds: Option<usize>,
    /// Concurrency levels.
    #[arg(long, value_delimiter = ',', default_value = "1,16,128")]
    concurrency: Vec<usize>,
    /// Only these paths (ab, wrk, reqwest, catalogue, typed, cli_batch, cli_process,
    /// node, python_requests, python_aiohttp).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Tenant sizes for the returnAll / streaming runs (0 to skip them).
    /// Default: 10000 and 100000; 10000 alone with --quick, which keeps
    /// the quick run under two minutes.
    #[arg(long, value_delimiter = ',')]
    users: Vec<usize>,
    /// The thrive-blocks binary (default: built into `target/bench-cli`).
    #[arg(long)]
    cli: Option<PathBuf>,
    /// Only run `N` calls of one in-process path (reqwest, catalogue or typed) at
    /// concurrency 1 and print its figures: a small driver for
    /// `valgrind --tool=callgrind` (instruction counts are repeatable where
    /// timings are not).
    #[arg(long, value_name = "PATH")]
    profile: Option<String>,
    /// Calls for --profile.
    #[arg(long, default_value_t = 1000)]
    profile_calls: usize,
    /// Skip the instruction counts under callgrind (taken when `valgrind`
    /// is on PATH; about half a minute).
    #[arg(long)]
    no_instructions: bool,
    /// Internal: serve a sandbox in this process until stdin closes.
    #[arg(long, hide = true)]
    serve_sandbox: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.serve_sandbox {
        let extra = args.users.first().copied().unwrap_or(0);
        return match sandbox::serve(extra) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("thrive-bench sandbox: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(path) = &args.profile {
        return match profile(path, args.profile_calls) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("thrive-bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thrive-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--profile`: one in-process path, `calls` calls, concurrency 1.
fn profile(path: &str, calls: usize) -> Result<(), String> {
    let path = [Path::Reqwest, Path::Catalogue, Path::Typed]
        .into_iter()
        .find(|p| p.key() == path)
        .ok_or("--profile takes reqwest, catalogue or typed")?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let sb = sandbox::ChildSandbox::start(0)?;
    let inproc = rt.block_on(async { InProcess::new(&sb.endpoint) })?;
    let s = rt.block_on(inproc.sample(path, calls, 1))?;
    println!("{}", serde_json::to_string(&s).map_err(|e| e.to_string())?);
    Ok(())
}

/// Calls per sample at concurrency `c`.
fn calls(quick: bool, path: Path, c: usize) -> usize {
    let base = match (quick, c) {
        (true, 1) => 300,
        (true, c) if c <= 16 => 1500,
        (true, _) => 3000,
        (false, 1) => 1000,
        (false, c) if c <= 16 => 4000,
        (false, _) => 10000,
    };
    match path {
        Path::CliProcess => {
            if quick {
                10
            } else {
                30
            }
        }
        _ => base,
    }
}

fn log(msg: impl AsRef<str>) {
    eprintln!("{}", msg.as_ref());
}

fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let rounds = args.rounds.unwrap_or(if args.quick { 3 } else { 5 }).max(1);
    let clients = find_clients(args)?;
    let wanted: Vec<Path> = Path::ALL
        .into_iter()
        .filter(|p| args.only.is_empty() || args.only.iter().any(|o| o == p.key()))
        .filter(|p| match clients.missing(*p) {
            Some(why) => {
                log(format!("skipping {}: {why}", p.label()));
                false
            }
            None => true,
        })
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;

    let startup = startup(&clients);
    let sb = sandbox::ChildSandbox::start(0)?;
    let ep = sb.endpoint.clone();
    log(format!(
        "sandbox (pid {}) at {} with {} users; {rounds} rounds",
        sb.pid(),
        ep.base_url,
        ep.users
    ));
    let inproc = rt.block_on(async { InProcess::new(&ep) })?;

    let mut samples: BTreeMap<(usize, Path), Vec<Sample>> = BTreeMap::new();
    for round in 1..=rounds {
        for &c in &args.concurrency {
            for &path in &wanted {
                if path == Path::CliProcess && c > 1 {
                    continue; // a process per step: concurrency 1 says it all
                }
                let n = calls(args.quick, path, c);
                let sample = if path.in_process() {
                    rt.block_on(inproc.sample(path, n, c))
                } else {
                    paths::sample_child(&clients, &ep, path, n, c)
                };
                match sample {
                    Ok(s) => samples.entry((c, path)).or_default().push(s),
                    Err(e) => log(format!("round {round}, {} at {c}: {e}", path.label())),
                }
            }
        }
        log(format!(
            "round {round}/{rounds} done ({:.0} s)",
            started.elapsed().as_secs_f64()
        ));
    }
    let instructions = instruction_counts(args, &clients, &ep);
    drop(sb);

    let mut paging = Vec::new();
    let sizes = match (args.users.is_empty(), args.quick) {
        (false, _) => args.users.clone(),
        (true, true) => vec![10_000],
        (true, false) => vec![10_000, 100_000],
    };
    for &users in sizes.iter().filter(|u| **u > 0) {
        let sb = sandbox::ChildSandbox::start(users)?;
        let ep = sb.endpoint.clone();
        log(format!("paging over {} users", ep.users));
        let origin = thrive_blocks::api::Origin::parse(&ep.base_url).map_err(|e| e.to_string())?;
        let ctx = thrive_blocks::Context::builder()
            .allow_origin(origin)
            .build();
        let http = inproc.http().clone();
        // Interleaved: raw, returnAll, stream; one round (two without --quick).
        for _ in 0..if args.quick { 1 } else { 2 } {
            paging.push(rt.block_on(paging::raw_pages(&http, &ep))?);
            paging.push(rt.block_on(paging::return_all(&ctx, &ep))?);
            paging.push(rt.block_on(paging::stream(&ctx, &ep))?);
        }
    }

    let table = summarise(&samples);
    let report = build_report(
        args,
        rounds,
        &table,
        &startup,
        &instructions,
        &paging,
        started,
    );
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
    } else {
        print_tables(&report, &table, &paging);
    }
    Ok(())
}

/// The median of every figure over the rounds.
fn summarise(samples: &BTreeMap<(usize, Path), Vec<Sample>>) -> BTreeMap<(usize, Path), Sample> {
    samples
        .iter()
        .map(|(k, v)| {
            let m = |f: fn(&Sample) -> f64| median(v.iter().map(f).collect());
            let allocs = v
                .iter()
                .filter_map(|s| s.allocs_per_call)
                .collect::<Vec<_>>();
            (
                *k,
                Sample {
                    calls: v.iter().map(|s| s.calls).sum(),
                    p50_ms: m(|s| s.p50_ms),
                    p99_ms: m(|s| s.p99_ms),
                    calls_per_s: m(|s| s.calls_per_s),
                    cpu_us_per_call: m(|s| s.cpu_us_per_call),
                    peak_rss_mib: m(|s| s.peak_rss_mib),
                    allocs_per_call: (!allocs.is_empty()).then(|| median(allocs)),
                },
            )
        })
        .collect()
}

/// Instruction counts per call under callgrind (see [`instructions`]), or
/// `null` when valgrind is missing or `--no-instructions` is given.
fn instruction_counts(args: &Args, clients: &Clients, ep: &sandbox::Endpoint) -> Value {
    if args.no_instructions {
        return Value::Null;
    }
    let Some(valgrind) = instructions::valgrind() else {
        log("skipping instruction counts: valgrind not on PATH (apt-get install valgrind)");
        return Value::Null;
    };
    let Ok(bench) = std::env::current_exe() else {
        return Value::Null;
    };
    let calls = if args.quick { 500 } else { 2000 };
    log(format!(
        "instruction counts under callgrind ({calls} calls)…"
    ));
    let t = Instant::now();
    match instructions::measure(&valgrind, &bench, clients.cli.as_deref(), ep, calls) {
        Ok(v) => {
            log(format!(
                "instruction counts done ({:.0} s)",
                t.elapsed().as_secs_f64()
            ));
            v
        }
        Err(e) => {
            log(format!("instruction counts failed: {e}"));
            Value::Null
        }
    }
}

/// Start-up figures: catalogue build, first validation, `list`.
fn startup(clients: &Clients) -> Value {
    let t = Instant::now();
    let fresh = thrive_blocks::Catalogue::new();
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let _ = fresh.validate(
        "thrive_get_user_by_ref",
        json!({"tenantId": "t", "apiKey": "k", "ref": "R1"}),
    );
    let first_validate_ms = t.elapsed().as_secs_f64() * 1e3;
    let list_ms = clients.cli.as_ref().map(|cli| {
        let mut times: Vec<f64> = (0..5)
            .filter_map(|_| {
                let t = Instant::now();
                let ok = Command::new(cli)
                    .args(["list", "--json"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .ok()?
                    .success();
                ok.then(|| t.elapsed().as_secs_f64() * 1e3)
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
    });
    json!({
        "catalogue_build_ms": build_ms,
        "first_validate_ms": first_validate_ms,
        "cli_list_process_ms": list_ms,
    })
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Value {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 && a.is_finite() && b.is_finite() => json!(a / b),
        _ => Value::Null,
    }
}

fn build_report(
    args: &Args,
    rounds: usize,
    table: &BTreeMap<(usize, Path), Sample>,
    startup: &Value,
    instructions: &Value,
    paging: &[paging::PagingSample],
    started: Instant,
) -> Value {
    let get = |c: usize, p: Path, f: fn(&Sample) -> f64| table.get(&(c, p)).map(f);
    let p50 = |s: &Sample| s.p50_ms;
    let top = args.concurrency.iter().copied().max().unwrap_or(1);
    let loadgen_rate = [Path::Ab, Path::Wrk]
        .into_iter()
        .filter_map(|p| get(top, p, |s| s.calls_per_s))
        .fold(None, |acc: Option<f64>, r| {
            Some(acc.map_or(r, |a| a.max(r)))
        });
    let ours = get(1, Path::Catalogue, p50);
    let python = [Path::PyRequests, Path::PyAiohttp]
        .into_iter()
        .filter_map(|p| get(1, p, p50))
        .fold(None, |acc: Option<f64>, r| {
            Some(acc.map_or(r, |a| a.min(r)))
        });
    let cpu_over = match (
        get(1, Path::Catalogue, |s| s.cpu_us_per_call),
        get(1, Path::Reqwest, |s| s.cpu_us_per_call),
    ) {
        (Some(a), Some(b)) => json!(a - b),
        _ => Value::Null,
    };
    let mut per_concurrency = serde_json::Map::new();
    for &c in &args.concurrency {
        let mut rows = serde_json::Map::new();
        for p in Path::ALL {
            if let Some(s) = table.get(&(c, p)) {
                rows.insert(p.key().into(), json!(s));
            }
        }
        rows.insert(
            "ratios".into(),
            json!({
                "catalogue_p50_over_reqwest": ratio(get(c, Path::Catalogue, p50), get(c, Path::Reqwest, p50)),
                "catalogue_cpu_us_over_reqwest": match (get(c, Path::Catalogue, |s| s.cpu_us_per_call), get(c, Path::Reqwest, |s| s.cpu_us_per_call)) {
                    (Some(a), Some(b)) => json!(a - b), _ => Value::Null },
                "catalogue_rate_over_loadgen": ratio(get(c, Path::Catalogue, |s| s.calls_per_s), [Path::Ab, Path::Wrk].into_iter().filter_map(|p| get(c, p, |s| s.calls_per_s)).reduce(f64::max)),
                "node_p50_over_catalogue": ratio(get(c, Path::Node, p50), get(c, Path::Catalogue, p50)),
                "python_requests_p50_over_catalogue": ratio(get(c, Path::PyRequests, p50), get(c, Path::Catalogue, p50)),
                "python_aiohttp_p50_over_catalogue": ratio(get(c, Path::PyAiohttp, p50), get(c, Path::Catalogue, p50)),
            }),
        );
        per_concurrency.insert(c.to_string(), Value::Object(rows));
    }
    json!({
        "machine": measure::machine(),
        "quick": args.quick,
        "rounds": rounds,
        "duration_s": started.elapsed().as_secs_f64(),
        "overhead_ratio_vs_reqwest": ratio(ours, get(1, Path::Reqwest, p50)),
        "cpu_us_over_reqwest": cpu_over,
        "typed_cpu_us_over_reqwest": match (
            get(1, Path::Typed, |s| s.cpu_us_per_call),
            get(1, Path::Reqwest, |s| s.cpu_us_per_call),
        ) {
            (Some(a), Some(b)) => json!(a - b),
            _ => Value::Null,
        },
        "typed_overhead_ratio_vs_reqwest": ratio(get(1, Path::Typed, p50), get(1, Path::Reqwest, p50)),
        "throughput_ratio_vs_loadgen": ratio(get(top, Path::Catalogue, |s| s.calls_per_s), loadgen_rate),
        "node_ratio": ratio(get(1, Path::Node, p50), ours),
        "python_ratio": ratio(python, ours),
        "startup_ms": startup["cli_list_process_ms"],
        "catalogue_build_ms": startup["catalogue_build_ms"],
        "first_validate_ms": startup["first_validate_ms"],
        "cli_batch_ms_per_step": get(1, Path::CliBatch, p50),
        "instructions_over_reqwest": instructions["catalogue_over_reqwest"],
        "typed_instructions_over_reqwest": instructions["typed_over_reqwest"],
        "instructions": instructions,
        "startup": startup,
        "concurrency": per_concurrency,
        "paging": paging,
    })
}

fn fmt(v: f64, digits: usize) -> String {
    if v.is_finite() {
        format!("{v:.digits$}")
    } else {
        "–".into()
    }
}

fn print_tables(
    report: &Value,
    table: &BTreeMap<(usize, Path), Sample>,
    paging: &[paging::PagingSample],
) {
    let m = &report["machine"];
    println!(
        "thrive-bench: {} cores ({}), {} GiB, load {} at start; {} rounds, medians{}",
        m["cores"],
        m["cpu"].as_str().unwrap_or(""),
        m["memory_gib"],
        m["load_1min_at_start"].as_str().unwrap_or("?"),
        report["rounds"],
        if report["quick"] == true {
            " (--quick)"
        } else {
            ""
        }
    );
    let mut last_c = 0;
    for ((c, p), s) in table {
        if *c != last_c {
            println!(
                "\nconcurrency {c}\n| path | p50 ms | p99 ms | calls/s | CPU µs/call | peak MiB | allocs/call |\n|---|---|---|---|---|---|---|"
            );
            last_c = *c;
        }
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            p.label(),
            fmt(s.p50_ms, 3),
            fmt(s.p99_ms, 3),
            fmt(s.calls_per_s, 0),
            fmt(s.cpu_us_per_call, 0),
            fmt(s.peak_rss_mib, 1),
            s.allocs_per_call.map_or("–".into(), |a| fmt(a, 0)),
        );
    }
    println!("\n| ratio | value |\n|---|---|");
    for key in [
        "overhead_ratio_vs_reqwest",
        "cpu_us_over_reqwest",
        "typed_overhead_ratio_vs_reqwest",
        "typed_cpu_us_over_reqwest",
        "throughput_ratio_vs_loadgen",
        "node_ratio",
        "python_ratio",
        "startup_ms",
        "catalogue_build_ms",
        "first_validate_ms",
        "cli_batch_ms_per_step",
        "instructions_over_reqwest",
        "typed_instructions_over_reqwest",
    ] {
        println!(
            "| {key} | {} |",
            report[key].as_f64().map_or("–".into(), |v| fmt(v, 3))
        );
    }
    let s = &report["startup"];
    println!(
        "\nstart-up: catalogue build {} ms, first validate {} ms, `thrive-blocks list` process {} ms",
        fmt(s["catalogue_build_ms"].as_f64().unwrap_or(f64::NAN), 2),
        fmt(s["first_validate_ms"].as_f64().unwrap_or(f64::NAN), 2),
        fmt(s["cli_list_process_ms"].as_f64().unwrap_or(f64::NAN), 1),
    );
    let i = &report["instructions"];
    if !i.is_null() {
        let n = |k: &str| i[k].as_f64().map_or("–".into(), |v| fmt(v, 0));
        println!(
            "\ninstructions per call (callgrind, {} calls): raw reqwest {}, catalogue {}, over reqwest {}, run --batch step {}",
            i["calls"],
            n("reqwest_per_call"),
            n("catalogue_per_call"),
            n("catalogue_over_reqwest"),
            n("cli_batch_per_step"),
        );
    }
    if !paging.is_empty() {
        println!(
            "\n| paging | users | pages | ms | pages/s | CPU µs/user | peak heap MiB |\n|---|---|---|---|---|---|---|"
        );
        for p in paging {
            println!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                p.mode,
                p.read,
                p.pages,
                fmt(p.ms, 0),
                fmt(p.pages_per_s, 0),
                fmt(p.cpu_us_per_user, 1),
                fmt(p.peak_heap_mib, 1)
            );
        }
    }
}

/// Finds the external clients and writes the scripts to a temporary folder.
fn find_clients(args: &Args) -> Result<Clients, String> {
    let scripts = std::env::temp_dir().join(format!("thrive-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scripts).map_err(|e| format!("{}: {e}", scripts.display()))?;
    for (name, text) in [
        ("fetch.mjs", include_str!("../scripts/fetch.mjs")),
        ("py_requests.py", include_str!("../scripts/py_requests.py")),
        ("py_aiohttp.py", include_str!("../scripts/py_aiohttp.py")),
    ] {
        std::fs::write(scripts.join(name), text).map_err(|e| format!("{name}: {e}"))?;
    }
    let python = python();
    let has = |module: &str| {
        python.clone().filter(|py| {
            Command::new(py)
                .args(["-c", &format!("import {module}")])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
    };
    Ok(Clients {
        cli: match &args.cli {
            Some(p) => Some(p.clone()),
            None => build_cli(),
        },
        ab: on_path("ab"),
        wrk: on_path("wrk"),
        node: on_path("node"),
        py_requests: has("requests"),
        py_aiohttp: has("aiohttp"),
        scripts,
    })
}

pub(crate) fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// `THRIVE_BENCH_PYTHON`, else the venv the README creates
/// (`target/bench-venv`), else `python3` on PATH.
fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("THRIVE_BENCH_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-venv/bin/python");
    if venv.is_file() {
        return Some(venv);
    }
    on_path("python3")
}

/// Builds `thrive-blocks` with this binary's profile (a no-op when it is
/// fresh) and returns its path.
///
/// It is built into its own target folder (`target/bench-cli`): built on its
/// own, the package resolves its dependencies' features differently from
/// this bench, and in the shared folder each build would overwrite the
/// other's library and rebuild it on every run.
fn build_cli() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let profile = dir.file_name()?.to_owned();
    let target = dir.parent()?.join("bench-cli");
    if let Some(cargo) = std::env::var_os("CARGO") {
        let mut cmd = Command::new(cargo);
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "thrive-blocks",
            "--bin",
            "thrive-blocks",
        ]);
        cmd.arg("--target-dir").arg(&target);
        if profile == "release" {
            cmd.arg("--release");
        }
        log("building thrive-blocks for the CLI paths…");
        let ok = cmd.status().is_ok_and(|s| s.success());
        if !ok {
            log("could not build thrive-blocks");
        }
    }
    let cli = target.join(profile).join("thrive-blocks");
    cli.is_file().then_some(cli)
}
