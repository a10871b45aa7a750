//! Instruction counts per call under callgrind: the figure that does not
//! move with the machine's load, so a change in per-call CPU shows even
//! when the timings are noise.
//!
//! Each count is the difference of two runs of the same program, one doing
//! `calls` more calls than the other after the same warm-up, divided by
//! `calls`: start-up, the sandbox's start, the first call's schema build and
//! the connection set-up cancel out. Needs `valgrind` on `PATH`; the step
//! is skipped with a message when it is missing (or with
//! `--no-instructions`).

use crate::sandbox::Endpoint;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Warm-up steps of the batch runs (the in-process runs warm up inside
/// `--profile`, as every sample does).
const BATCH_WARMUP: usize = 20;

/// Per-call instruction counts of raw reqwest, `Catalogue::execute`, the
/// typed door (`call::<T>`) and a `run --batch` step, and the catalogue's
/// and the typed door's excess over reqwest.
pub fn measure(
    valgrind: &Path,
    bench: &Path,
    cli: Option<&Path>,
    ep: &Endpoint,
    calls: usize,
) -> Result<Value, String> {
    let calls = calls.max(1);
    let in_process = |path: &str| -> Result<f64, String> {
        let run = |n: usize| {
            let mut cmd = Command::new(bench);
            cmd.args(["--profile", path, "--profile-calls", &n.to_string()]);
            total(valgrind, cmd, None)
        };
        Ok((run(calls)? as f64 - run(0)? as f64) / calls as f64)
    };
    let reqwest = in_process("reqwest")?;
    let catalogue = in_process("catalogue")?;
    let typed = in_process("typed")?;
    let batch = match cli {
        Some(cli) => {
            let run = |n: usize| {
                let mut cmd = Command::new(cli);
                cmd.args(["run", "--batch"])
                    .env("THRIVE_ALLOWED_HOSTS", &ep.base_url)
                    .env("THRIVE_TENANT_ID", &ep.tenant_id)
                    .env("THRIVE_API_KEY", &ep.api_key)
                    .env("THRIVE_HOST", &ep.base_url)
                    .env_remove("THRIVE_CLIENT_ID")
                    .env_remove("RUST_LOG");
                let line =
                    json!({"tool": "thrive_get_user_by_ref", "params": {"ref": ep.user_ref}})
                        .to_string();
                total(valgrind, cmd, Some((line, BATCH_WARMUP + n)))
            };
            Some((run(calls)? as f64 - run(0)? as f64) / calls as f64)
        }
        None => None,
    };
    Ok(json!({
        "calls": calls,
        "reqwest_per_call": reqwest,
        "catalogue_per_call": catalogue,
        "catalogue_over_reqwest": catalogue - reqwest,
        "typed_per_call": typed,
        "typed_over_reqwest": typed - reqwest,
        "cli_batch_per_step": batch,
    }))
}

/// The instructions `cmd` executes under callgrind (its own threads; child
/// processes are not followed). With `steps`, writes the line that many
/// times to its standard input, one at a time, reading one answer line for
/// each (as a host drives `run --batch`).
fn total(valgrind: &Path, cmd: Command, steps: Option<(String, usize)>) -> Result<u64, String> {
    let out = std::env::temp_dir().join(format!(
        "thrive-bench-callgrind-{}-{}.out",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let mut vg = Command::new(valgrind);
    vg.args(["--tool=callgrind", "--quiet"])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(if steps.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => vg.env(k, v),
            None => vg.env_remove(k),
        };
    }
    let mut child = vg.spawn().map_err(|e| format!("valgrind: {e}"))?;
    if let Some((line, n)) = steps {
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut answer = String::new();
        for _ in 0..n {
            writeln!(stdin, "{line}").map_err(|e| e.to_string())?;
            stdin.flush().map_err(|e| e.to_string())?;
            answer.clear();
            stdout.read_line(&mut answer).map_err(|e| e.to_string())?;
            if !answer.contains("\"result\"") {
                return Err(format!("a batch step under callgrind failed: {answer}"));
            }
        }
    }
    let status = child.wait_with_output().map_err(|e| e.to_string())?.status;
    if !status.success() {
        return Err(format!(
            "{} under callgrind failed ({status})",
            cmd.get_program().to_string_lossy()
        ));
    }
    let text = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let _ = std::fs::remove_file(&out);
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no instruction total in {}", out.display()))
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// `valgrind` on `PATH`, if any.
pub fn valgrind() -> Option<PathBuf> {
    crate::on_path("valgrind")
}
