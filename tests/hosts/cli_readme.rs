//! The README's newcomer walk-through, run as written: the command of the
//! block marked `walkthrough: terminal 1` starts the state-keeping sandbox
//! (on a free port instead of the default, so tests can run side by side),
//! its printed exports are applied, and every command of the block marked
//! `walkthrough: terminal 2` is run by a shell with `thrive-blocks` on the
//! `PATH`. If the README changes, this test runs the new commands.

#![cfg(all(feature = "cli", feature = "sandbox"))]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_thrive-blocks");

/// The README.
pub(crate) fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

/// The lines of the fenced block that follows `marker` in the README.
pub(crate) fn block_after(readme: &str, marker: &str) -> Vec<String> {
    let at = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README has no `{marker}`"));
    let rest = &readme[at..];
    let start = rest
        .find("```sh\n")
        .expect("a ```sh block after the marker")
        + "```sh\n".len();
    let end = rest[start..].find("```").expect("the block's end");
    rest[start..start + end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Starts the sandbox command `line` of the README (`thrive-blocks sandbox
/// ...`) in `dir` on a free port; answers the process and the exports it
/// printed (up to `THRIVE_ALLOWED_HOSTS`, its last).
pub(crate) fn start_sandbox(line: &str, dir: &Path) -> (Child, Vec<(String, String)>) {
    let mut words = line.split_whitespace();
    assert_eq!(words.next(), Some("thrive-blocks"));
    let mut sandbox = Command::new(BIN)
        .args(words)
        .args(["--port", "0"])
        .current_dir(dir)
        .env_remove("THRIVE_WEBHOOK_SECRET")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut exports = Vec::new();
    for line in BufReader::new(sandbox.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some((k, v)) = line
            .strip_prefix("export ")
            .and_then(|kv| kv.split_once('='))
        {
            exports.push((k.to_owned(), v.to_owned()));
            if k == "THRIVE_ALLOWED_HOSTS" {
                break;
            }
        }
    }
    (sandbox, exports)
}

/// A shell that runs the README command `line` in `dir` with
/// `thrive-blocks` on the `PATH` and the pasted `exports`.
pub(crate) fn shell(line: &str, dir: &Path, exports: &[(String, String)]) -> Command {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("RUST_LOG")
        .env_remove("THRIVE_CLIENT_ID")
        .env_remove("THRIVE_SCOPE")
        .env_remove("THRIVE_WEBHOOK_SECRET")
        .env_remove("THRIVE_WEBHOOK_TENANTS")
        .env_remove("THRIVE_BLOCKS_SERVER_TOKEN");
    for (k, v) in exports {
        cmd.env(k, v);
    }
    cmd
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let readme = readme();
    let first = block_after(&readme, "<!-- walkthrough: terminal 1 -->");
    let second = block_after(&readme, "<!-- walkthrough: terminal 2 -->");
    assert_eq!(first.len(), 1, "terminal 1 runs one command: {first:?}");
    assert!(second.len() >= 4, "terminal 2: {second:?}");

    let dir = std::env::temp_dir().join(format!("thrive-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let (mut sandbox, exports) = start_sandbox(&first[0], &dir);
    assert_eq!(exports.len(), 4, "{exports:?}");

    let mut last = Vec::new();
    for line in &second {
        let out = shell(line, &dir, &exports).output().unwrap();
        assert!(
            out.status.success(),
            "`{line}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        last = out.stdout;
    }
    let _ = sandbox.kill();
    let _ = sandbox.wait();

    // "The last command lists `NEW-001` as the audience's one member."
    let members: Value = serde_json::from_slice(&last).unwrap();
    let results = members["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{members}");
    assert!(members.to_string().contains("\"NEW-001\""), "{members}");
    // And the state was kept in the file the README names.
    let state: Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo.json")).unwrap()).unwrap();
    assert_eq!(state["changes"].as_array().unwrap().len(), 4);
    let _ = std::fs::remove_dir_all(&dir);
}
