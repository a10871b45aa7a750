//! The binaries' command lines: usage and argument errors. Running these
//! tests (`.ci/suites/50-restate.sh` does) also builds both binaries once,
//! in the root's target directory, for the integration driver.

use std::process::Command;

#[test]
fn the_service_prints_usage_and_refuses_unknown_arguments() {
    let help = Command::new(env!("CARGO_BIN_EXE_thrive-restate"))
        .arg("--help")
        .output()
        .expect("runs");
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.starts_with("Usage: thrive-restate [--listen ADDR] [--admin URL]"),
        "{text}"
    );
    assert!(text.contains("THRIVE_API_KEY"), "{text}");

    let bad = Command::new(env!("CARGO_BIN_EXE_thrive-restate"))
        .args(["--listen", "not-an-address"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim(),
        "thrive-restate: --listen needs an address like 127.0.0.1:9080"
    );

    let bad = Command::new(env!("CARGO_BIN_EXE_thrive-restate"))
        .args(["--admin", "ftp://127.0.0.1:9070"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim(),
        "thrive-restate: admin `ftp://127.0.0.1:9070` is not an http(s) URL like http://127.0.0.1:9070"
    );
}

#[test]
fn the_driver_needs_its_three_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_thrive-restate-it"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "usage: thrive-restate-it RESTATE_SERVER_BIN THRIVE_RESTATE_BIN WORK_DIR"
    );
}
