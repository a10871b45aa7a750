//! The command line as hosts in other languages use it.

#![cfg(feature = "cli")]

use crate::common::*;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cli(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thrive-blocks"));
    cmd.args(args)
        .env_remove("THRIVE_ALLOWED_HOSTS")
        .env_remove("RUST_LOG")
        .env_remove("THRIVE_TENANT_ID")
        .env_remove("THRIVE_API_KEY")
        .env_remove("THRIVE_HOST")
        .env_remove("THRIVE_CLIENT_ID")
        .env_remove("THRIVE_SCOPE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn stderr_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stderr)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)))
}

#[test]
fn list_shows_every_tool() {
    let o = cli(&["list", "--json"], &[], None);
    assert!(o.status.success());
    let list = stdout_json(&o);
    assert_eq!(list.as_array().unwrap().len(), 53);
    assert_eq!(
        list[0],
        json!({"id": "thrive_add_audience_managers", "title": "Add audience managers",
               "description": "Add managers to a Thrive audience with their permissions."})
    );
    let o = cli(&["list"], &[], None);
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 53);
    assert!(text.contains("thrive_create_user"));
}

#[test]
fn schema_prints_the_manifest() {
    let o = cli(&["schema", "thrive_get_user_by_ref"], &[], None);
    assert!(o.status.success());
    let m = stdout_json(&o);
    assert_eq!(m["id"], "thrive_get_user_by_ref");
    assert_eq!(m["hints"]["readOnly"], true);
    assert_eq!(m["inputSchema"]["properties"]["ref"]["type"], "string");

    let o = cli(&["schema", "thrive_nope"], &[], None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr_json(&o)["error"]["code"], "unknown_tool");
}

#[test]
fn validate_exits_zero_or_lists_every_problem() {
    let ok = r#"{"tenantId":"t","apiKey":"k","ref":"U1"}"#;
    assert!(
        cli(
            &["validate", "thrive_get_user_by_ref", "--params", ok],
            &[],
            None
        )
        .status
        .success()
    );
    let o = cli(
        &["validate", "thrive_create_user", "--params", "-"],
        &[],
        Some(r#"{"tenantId":"t","apiKey":"k","ref":""}"#),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr_json(&o);
    assert_eq!(err["error"]["code"], "invalid_input");
    let pointers: Vec<&str> = err["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/email", "/firstName", "/lastName", "/ref"]);
    let o = cli(
        &["validate", "thrive_create_user", "--params", "{not json"],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn params_from_a_file() {
    let path = std::env::temp_dir().join(format!("thrive-blocks-cli-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"tenantId":"t","apiKey":"k","ref":"U1"}"#).unwrap();
    let arg = format!("@{}", path.display());
    let o = cli(
        &["validate", "thrive_get_user_by_ref", "--params", &arg],
        &[],
        None,
    );
    std::fs::remove_file(&path).ok();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn dry_run_prints_the_request_with_the_key_masked() {
    let params =
        json!({"tenantId": TENANT, "apiKey": KEY, "audienceId": "a1", "users": "[\"x@y.z\"]"})
            .to_string();
    let o = cli(
        &[
            "run",
            "thrive_add_audience_members",
            "--dry-run",
            "--params",
            &params,
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown = stdout_json(&o);
    assert_eq!(
        shown,
        json!({"method": "POST", "url": "https://public.api.learn.link/rest/v1/audiences/a1/members",
               "headers": {"Authorization": "Basic ***", "Accept": "application/json", "Content-Type": "application/json"},
               "body": ["x@y.z"]})
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains(KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn run_prints_output_or_a_json_error_with_exit_code_3() {
    let srv = CaptureServer::start().await;
    srv.reply(200, json!({"id": "1", "ref": "U1", "firstName": "Ann"}))
        .reply(
            404,
            json!({"status": 404, "error": "Not Found", "message": "User not found"}),
        );
    let params =
        json!({"tenantId": TENANT, "apiKey": KEY, "host": srv.origin(), "ref": "U1"}).to_string();
    let allowed = srv.origin();
    let env = [
        ("THRIVE_ALLOWED_HOSTS", allowed.as_str()),
        ("RUST_LOG", "trace"),
    ];
    let args = [
        "run",
        "thrive_get_user_by_ref",
        "--params",
        &params,
        "--retries",
        "0",
    ];
    let o = tokio::task::spawn_blocking({
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move || {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let e: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            // The second run logs nothing, so stderr is exactly the error JSON.
            (cli(&a, &e, None), cli(&a, &e[..1], None))
        }
    })
    .await
    .unwrap();
    let (ok, missing) = o;
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(stdout_json(&ok)["user"]["firstName"], "Ann");
    // Trace-level diagnostics never contain the key or the Authorization value.
    let logs = String::from_utf8_lossy(&ok.stderr);
    assert!(!logs.contains(KEY) && !logs.contains(&BASIC[6..]), "{logs}");

    assert_eq!(missing.status.code(), Some(3));
    let err = stderr_json(&missing);
    assert_eq!(
        err,
        json!({"error": {"code": "not_found", "message": "User not found", "status": 404, "retryable": false, "delivery": "answered", "attempts": 1}})
    );
}

#[test]
fn a_host_outside_the_allow_list_exits_2_without_sending() {
    let params =
        json!({"tenantId": TENANT, "apiKey": KEY, "host": "evil.example", "ref": "U1"}).to_string();
    let o = cli(
        &["run", "thrive_get_user_by_ref", "--params", &params],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr_json(&o)["error"]["code"], "host_not_allowed");
}

#[test]
fn manifests_check_passes_on_the_committed_files() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/manifests");
    let o = cli(&["manifests", "--check", "--out", dir], &[], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tmp = std::env::temp_dir().join(format!("thrive-manifests-{}", std::process::id()));
    let o = cli(
        &["manifests", "--check", "--out", tmp.to_str().unwrap()],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let o = cli(&["manifests", "--out", tmp.to_str().unwrap()], &[], None);
    assert!(o.status.success());
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        63,
        "index, 53 tools, 9 triggers"
    );
    std::fs::remove_dir_all(&tmp).ok();
}

#[cfg(feature = "sandbox")]
#[test]
fn run_against_the_embedded_sandbox_needs_no_credentials() {
    let o = cli(
        &[
            "run",
            "thrive_list_audiences",
            "--sandbox",
            "--params",
            r#"{"perPage": 2, "apiControlled": true}"#,
        ],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout_json(&o);
    assert_eq!(out["results"].as_array().unwrap().len(), 2);
    assert_eq!(out["pagination"]["perPage"], 2);
    assert!(
        out["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["apiControlled"] == true)
    );
}

#[cfg(feature = "sandbox")]
#[test]
fn demo_runs_the_onboarding_workflow_end_to_end() {
    let o = cli(&["demo"], &[], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    // With the block server compiled in, the demo also shows a trigger.
    let steps = 16 + usize::from(cfg!(feature = "server"));
    assert!(
        text.contains(&format!(
            "[1/{steps}] Check the credentials from the connection form"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("Done: {steps} steps against the sandbox.")),
        "{text}"
    );
    if cfg!(feature = "server") {
        assert!(
            text.contains(
                "event:   #1 content.completed -> thrive_on_content_completed: priya.shah@example.com completed"
            ),
            "{text}"
        );
    }
    for expected in [
        "result: ok=true via basic (custom)",
        "partial=true: 2 added, not added: no.such.person@example.com (User does not exist.)",
        "1 manager(s) added, partial=false",
        "2 enrolment(s): open, open",
        "1 complete enrolment(s)",
        "DEMO-1002 active=false",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("failed:"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_can_come_from_the_environment_and_params_win() {
    let srv = CaptureServer::start().await;
    srv.reply(200, json!({"id": "1"}))
        .reply(200, json!({"id": "2"}));
    let origin = srv.origin();
    let (from_env, explicit) = tokio::task::spawn_blocking(move || {
        let env = [
            ("THRIVE_ALLOWED_HOSTS", origin.as_str()),
            ("THRIVE_TENANT_ID", TENANT),
            ("THRIVE_API_KEY", KEY),
            ("THRIVE_HOST", origin.as_str()),
        ];
        let a = cli(
            &[
                "run",
                "thrive_get_user_by_ref",
                "--params",
                r#"{"ref": "U1", "apiKey": " "}"#,
            ],
            &env,
            None,
        );
        let b = cli(
            &[
                "run",
                "thrive_get_user_by_ref",
                "--params",
                r#"{"ref": "U2", "tenantId": "other", "apiKey": "k2"}"#,
            ],
            &env,
            None,
        );
        (a, b)
    })
    .await
    .unwrap();
    assert!(
        from_env.status.success(),
        "{}",
        String::from_utf8_lossy(&from_env.stderr)
    );
    assert!(
        explicit.status.success(),
        "{}",
        String::from_utf8_lossy(&explicit.stderr)
    );
    let seen = srv.requests();
    assert_eq!(seen[0].authorization.as_deref(), Some(BASIC));
    // base64("other:k2")
    assert_eq!(seen[1].authorization.as_deref(), Some("Basic b3RoZXI6azI="));
    // validate sees the environment too; --params defaults to {}.
    let o = cli(
        &["validate", "thrive_get_skill_levels"],
        &[("THRIVE_TENANT_ID", TENANT), ("THRIVE_API_KEY", KEY)],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn triggers_have_flavours_and_are_validated_on_the_command_line() {
    let o = cli(
        &[
            "schema",
            "thrive_on_enrolment_status_changed",
            "--flavour",
            "form",
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let form: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(form["required"], json!(["assignmentId"]));
    let o = cli(
        &[
            "schema",
            "thrive_on_content_completed",
            "--flavour",
            "connection",
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("is a webhook trigger: it has no connection schema")
    );
    let o = cli(
        &[
            "validate",
            "thrive_on_enrolment_status_changed",
            "--params",
            r#"{"tenantId":"t","apiKey":"k","statuses":["late"]}"#,
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("\"pointer\": \"/assignmentId\""), "{err}");
    assert!(err.contains("\"pointer\": \"/statuses/0\""), "{err}");
    let o = cli(
        &[
            "validate",
            "thrive_on_content_completed",
            "--params",
            r#"{"contentIds":["c1"]}"#,
        ],
        &[],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
