//! The README's Triggers walk-through, run as written after the newcomer
//! walk-through it continues (same state file, so the same tenant): the
//! sandbox of `triggers: terminal 1` restarts from `demo.json` posting
//! webhooks, the receiver of `triggers: terminal 2` is started with the
//! printed exports, and every command of `triggers: terminal 3` is run by a
//! shell. The receiver's port 8787 is replaced by a free one, so tests can
//! run side by side. Also: the README's figures (tool and trigger counts)
//! are the catalogue's.

#![cfg(all(feature = "cli", feature = "sandbox", feature = "server"))]

use crate::cli_readme::{block_after, readme, shell, start_sandbox};
use serde_json::Value;
use std::collections::BTreeSet;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the processes a test started when it ends, passed or not.
struct Running(Vec<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs a README command, killed after `limit` (a webhook that never
/// arrives must fail the test, not hang it).
fn run_within(line: &str, dir: &Path, exports: &[(String, String)], limit: Duration) -> Output {
    let mut child = shell(line, dir, exports)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "`{line}` failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// (eventType, the user's reference) of each user event.
fn user_events(events: &[Value]) -> BTreeSet<(String, String)> {
    events
        .iter()
        .map(|e| {
            assert_eq!(e["trigger"], "thrive_on_user_changed", "{e}");
            assert_eq!(e["tenantId"], "eu-west-2_SandboxDemo", "{e}");
            (
                e["eventType"].as_str().unwrap_or_default().to_owned(),
                e["payload"]["user"]["reference"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_readme_triggers_walkthrough_runs_as_written() {
    let readme = readme();
    let walkthrough = [
        block_after(&readme, "<!-- walkthrough: terminal 1 -->"),
        block_after(&readme, "<!-- walkthrough: terminal 2 -->"),
    ];
    let first = block_after(&readme, "<!-- triggers: terminal 1 -->");
    let second = block_after(&readme, "<!-- triggers: terminal 2 -->");
    let third = block_after(&readme, "<!-- triggers: terminal 3 -->");
    assert_eq!(first.len(), 1, "terminal 1 runs one command: {first:?}");
    assert_eq!(second.len(), 1, "terminal 2 runs one command: {second:?}");
    assert!(third.len() >= 3, "terminal 3: {third:?}");

    let dir = std::env::temp_dir().join(format!("thrive-readme-triggers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // The walk-through the section continues: NEW-001 exists in demo.json.
    let (sandbox, exports) = start_sandbox(&walkthrough[0][0], &dir);
    let mut running = Running(vec![sandbox]);
    for line in &walkthrough[1] {
        run_within(line, &dir, &exports, Duration::from_secs(60));
    }
    for mut child in running.0.drain(..) {
        let _ = child.kill();
        let _ = child.wait();
    }

    let port = free_port();
    let local = |line: &str| line.replace(":8787", &format!(":{port}"));
    let (sandbox, exports) = start_sandbox(&local(&first[0]), &dir);
    running.0.push(sandbox);
    let names: Vec<&str> = exports.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "THRIVE_HOST",
            "THRIVE_TENANT_ID",
            "THRIVE_API_KEY",
            "THRIVE_WEBHOOK_SECRET",
            "THRIVE_ALLOWED_HOSTS"
        ],
        "the exports the README describes"
    );

    let serve = &second[0];
    assert!(
        serve.starts_with("thrive-blocks serve ") && !serve.contains("--bind"),
        "{serve}"
    );
    let receiver = shell(
        &format!("exec {serve} --bind 127.0.0.1:{port}"),
        &dir,
        &exports,
    )
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    running.0.push(receiver);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let mut outputs = Vec::new();
    for line in &third {
        outputs.push(run_within(&local(line), &dir, &exports, Duration::from_secs(60)).stdout);
    }

    // The update and the creation answered with the users.
    let updated: Value = serde_json::from_slice(&outputs[0]).unwrap();
    assert_eq!(updated["user"]["ref"], "NEW-001", "{updated}");
    assert_eq!(
        updated["user"]["jobTitle"], "Graduate engineer",
        "{updated}"
    );
    let created: Value = serde_json::from_slice(&outputs[1]).unwrap();
    assert_eq!(created["user"]["ref"], "NEW-002", "{created}");

    // `listen` printed both changes as typed trigger events, in either order.
    let printed: Vec<Value> = String::from_utf8(outputs[2].clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("user.created".to_owned(), "NEW-002".to_owned()),
        ("user.updated".to_owned(), "NEW-001".to_owned()),
    ]
    .into();
    assert_eq!(printed.len(), 2, "{printed:?}");
    assert_eq!(user_events(&printed), expected);
    // The long poll answers the same events.
    if let Some(polled) = outputs.get(3) {
        let polled: Value = serde_json::from_slice(polled).unwrap();
        let events = polled["events"].as_array().expect("events");
        assert_eq!(user_events(events), expected, "{polled}");
    }
    drop(running);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Numbers written before `word` in `text` ("53 tools" gives 53), digits only.
fn counts_before(text: &str, word: &str) -> Vec<usize> {
    let needle = format!(" {word}");
    text.match_indices(&needle)
        .filter_map(|(at, _)| {
            let before = &text[..at];
            let digits: String = before
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn the_readme_figures_are_the_catalogues() {
    let readme = readme();
    let catalogue = thrive_blocks::Catalogue::global();
    let tools = catalogue.len();
    let triggers = catalogue.triggers().count();
    let tool_counts = counts_before(&readme, "tools");
    assert!(!tool_counts.is_empty(), "the README names the tool count");
    assert!(
        tool_counts.iter().all(|&n| n == tools),
        "the README says {tool_counts:?} tools; the catalogue has {tools}"
    );
    assert!(
        readme.contains(&format!("`{{\"status\":\"ok\",\"tools\":{tools}}}`")),
        "the README's /healthz answer should say {tools} tools"
    );
    let words = [
        "No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
        "Eleven", "Twelve",
    ];
    let said: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| readme.contains(&format!("{w} triggers")))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(said, [triggers], "the README's trigger count");
}
