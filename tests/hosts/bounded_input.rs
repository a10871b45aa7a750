//! The command line reads bounded input: `--params @FILE`, `--params -`
//! and `run --batch` lines are capped (16 MiB unless `--max-input-bytes`
//! says otherwise), refused with the JSON error, and read no further than
//! the cap, so memory stays flat whatever is sent.

#![cfg(feature = "cli")]

use serde_json::Value;
use std::io::Write;
use std::process::{Child, Command, Stdio};

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_thrive-blocks"))
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("THRIVE_BLOCKS_MAX_INPUT_BYTES")
        .env("THRIVE_TENANT_ID", "eu-west-2_AbcdEfghI")
        .env("THRIVE_API_KEY", "not-used")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The peak resident memory of `pid` so far, in KiB (Linux), if readable.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn one_json_error(stderr: &[u8]) -> Value {
    let error: Value = serde_json::from_slice(stderr).unwrap_or_else(|e| {
        panic!(
            "stderr is not one JSON document ({e}): {}",
            String::from_utf8_lossy(stderr)
        )
    });
    error["error"].clone()
}

#[test]
fn params_from_dev_zero_are_refused_at_the_cap() {
    let child = spawn(&[
        "run",
        "thrive_get_skill_levels",
        "--dry-run",
        "--params",
        "@/dev/zero",
    ]);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let error = one_json_error(&out.stderr);
    assert_eq!(error["code"], "invalid_input");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("/dev/zero is larger than 16777216 bytes")
            && message.contains("--max-input-bytes"),
        "{message}"
    );
}

#[test]
fn endless_params_on_stdin_are_read_no_further_than_the_cap_with_memory_flat() {
    let mut child = spawn(&[
        "run",
        "thrive_get_skill_levels",
        "--dry-run",
        "--params",
        "-",
    ]);
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut written = 0usize;
    let mut peak = 0u64;
    // Up to 256 MiB; the process stops reading after 16 MiB and exits.
    while written < 256 * 1024 * 1024 {
        if stdin.write_all(&chunk).is_err() {
            break;
        }
        written += chunk.len();
        peak = peak.max(peak_kib(pid).unwrap_or(0));
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let error = one_json_error(&out.stderr);
    assert_eq!(error["code"], "invalid_input");
    assert!(
        written <= 18 * 1024 * 1024,
        "read {written} bytes past a 16 MiB cap"
    );
    assert!(peak < 200 * 1024, "peak memory {peak} KiB");
}

#[test]
fn a_batch_line_over_the_cap_is_an_error_line_and_the_batch_goes_on() {
    let mut child = spawn(&["run", "--batch", "--max-input-bytes", "65536"]);
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let mut peak = 0u64;
    stdin
        .write_all(br#"{"tool": "thrive_nope", "pad": ""#)
        .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..160 {
        stdin.write_all(&chunk).unwrap();
        peak = peak.max(peak_kib(pid).unwrap_or(0));
    }
    stdin.write_all(b"\"}\n").unwrap();
    stdin
        .write_all(br#"{"tool": "thrive_nope", "id": "after"}"#)
        .unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["error"]["code"], "invalid_input");
    assert!(
        lines[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 1 is longer than 65536 bytes"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["id"], "after");
    assert_eq!(lines[1]["error"]["code"], "unknown_tool");
    assert!(peak < 200 * 1024, "peak memory {peak} KiB");
}
