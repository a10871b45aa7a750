//! `thrive-blocks run --batch`: one JSON step per line in, one result per
//! line out, from one process.

#![cfg(feature = "cli")]

use crate::common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

fn batch(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thrive-blocks"));
    cmd.args(["run", "--batch"])
        .args(args)
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
    cmd
}

fn run_batch(args: &[&str], env: &[(&str, &str)], input: &str) -> Output {
    let mut child: Child = batch(args, env).spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The result lines, keyed by their id (as JSON text).
fn answers(o: &Output) -> BTreeMap<String, Value> {
    let text = String::from_utf8_lossy(&o.stdout);
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["id"].to_string(), v)
        })
        .collect()
}

#[cfg(feature = "sandbox")]
#[test]
fn every_step_answers_with_its_id_and_failures_do_not_stop_the_batch() {
    let input = [
        r#"{"tool": "thrive_get_user_by_ref", "params": {"ref": "EMP-00001"}, "id": "a"}"#,
        "",
        r#"{"tool": "thrive_nope", "id": "b"}"#,
        r#"{"tool": "thrive_get_user_by_ref", "params": {"ref": "  "}, "id": {"n": 3}}"#,
        r#"not json"#,
        r#"{"tool": "thrive_get_user_by_ref", "params": {"ref": "NOBODY"}, "id": "missing"}"#,
        r#"{"tool": "thrive_list_audiences", "params": {"perPage": 2}}"#,
    ]
    .join("\n");
    let o = run_batch(&["--sandbox"], &[], &input);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = answers(&o);
    assert_eq!(got.len(), 6, "{got:#?}");
    // Input order at the default concurrency of 1.
    let ids: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].clone())
        .collect();
    assert_eq!(
        ids,
        vec![
            json!("a"),
            json!("b"),
            json!({"n": 3}),
            json!(5),
            json!("missing"),
            json!(7)
        ]
    );

    let a = &got[r#""a""#];
    assert_eq!(a["result"]["user"]["ref"], "EMP-00001");
    assert!(a.get("error").is_none());
    assert_eq!(got[r#""b""#]["error"]["code"], "unknown_tool");
    let blank = &got[r#"{"n":3}"#]["error"];
    assert_eq!(blank["code"], "invalid_input");
    assert_eq!(blank["details"][0]["pointer"], "/ref");
    // Line 5 is not JSON: its id is its line number.
    let bad = &got["5"]["error"];
    assert_eq!(bad["code"], "invalid_input");
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("line 5 is not valid JSON"),
        "{bad}"
    );
    let missing = &got[r#""missing""#]["error"];
    assert_eq!(
        (&missing["code"], &missing["status"]),
        (&json!("not_found"), &json!(404))
    );
    let audiences = &got["7"]["result"];
    assert_eq!(audiences["results"].as_array().unwrap().len(), 2);
    // Nothing but result lines on stdout; the API key never appears.
    assert!(!String::from_utf8_lossy(&o.stdout).contains("sandbox-api-key"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_comes_from_the_environment_and_steps_run_concurrently() {
    let srv = CaptureServer::start().await;
    for _ in 0..20 {
        srv.reply(200, json!({"id": "U1", "ref": "R", "firstName": "Jane"}));
    }
    let origin = srv.origin();
    let input: String = (0..20)
        .map(|i| {
            format!(
                "{}\n",
                json!({"tool": "thrive_get_user_by_ref", "params": {"ref": format!("R{i}")}, "id": i})
            )
        })
        .collect();
    let o = tokio::task::spawn_blocking(move || {
        run_batch(
            &["--concurrency", "8"],
            &[
                ("THRIVE_ALLOWED_HOSTS", origin.as_str()),
                ("THRIVE_TENANT_ID", TENANT),
                ("THRIVE_API_KEY", KEY),
                ("THRIVE_HOST", origin.as_str()),
            ],
            &input,
        )
    })
    .await
    .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = answers(&o);
    assert_eq!(got.len(), 20);
    for i in 0..20 {
        let user = &got[&i.to_string()]["result"]["user"];
        assert_eq!(
            (&user["id"], &user["firstName"]),
            (&json!("U1"), &json!("Jane"))
        );
    }
    let mut paths: Vec<String> = srv.requests().iter().map(|r| r.line()).collect();
    paths.sort();
    let mut want: Vec<String> = (0..20)
        .map(|i| format!("GET /rest/v1/users/ref/R{i}"))
        .collect();
    want.sort();
    assert_eq!(paths, want);
    for r in srv.requests() {
        assert_headers(&r);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn params_give_defaults_and_a_step_overrides_them() {
    let srv = CaptureServer::start().await;
    let origin = srv.origin();
    let defaults = json!({"tenantId": TENANT, "apiKey": KEY, "host": origin}).to_string();
    let input = format!(
        "{}\n",
        json!({"tool": "thrive_get_user_by_ref", "params": {"ref": "R1", "apiKey": "other"}, "id": 1})
    );
    let o = tokio::task::spawn_blocking(move || {
        run_batch(
            &["--params", &defaults],
            &[("THRIVE_ALLOWED_HOSTS", origin.as_str())],
            &input,
        )
    })
    .await
    .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let req = srv.single();
    assert_eq!(req.line(), "GET /rest/v1/users/ref/R1");
    // base64("eu-west-2_AbcdEfghI:other")
    assert_eq!(
        req.authorization.as_deref(),
        Some("Basic ZXUtd2VzdC0yX0FiY2RFZmdoSTpvdGhlcg==")
    );
}

#[cfg(feature = "sandbox")]
#[test]
fn a_host_can_write_a_step_and_read_its_result_before_the_next() {
    let mut child = batch(&["--sandbox"], &[]).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut refs = vec!["EMP-00001".to_owned()];
    for step in 0..3 {
        let line =
            json!({"tool": "thrive_get_user_by_ref", "params": {"ref": refs[step]}, "id": step});
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        let mut answer = String::new();
        stdout.read_line(&mut answer).unwrap();
        let v: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(v["id"], step);
        assert_eq!(v["result"]["user"]["ref"], refs[step].as_str());
        // The next step depends on this result: follow the manager chain,
        // or ask for the same user again at the top.
        let next = v["result"]["user"]["managerRef"]
            .as_str()
            .unwrap_or(refs[step].as_str())
            .to_owned();
        refs.push(next);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[cfg(feature = "sandbox")]
#[test]
fn a_closed_stdout_ends_the_batch_quietly_with_exit_0() {
    // As `run --batch --sandbox < steps | head -1`: the reader takes one
    // line and goes away.
    let mut child = batch(&["--sandbox"], &[]).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let step = json!({"tool": "thrive_list_tags", "params": {}});
    writeln!(stdin, "{step}").unwrap();
    stdin.flush().unwrap();
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with(r#"{"id":1,"result":"#), "{first}");
    drop(stdout);
    // The process may stop reading at any of these: a refused write is fine.
    for _ in 0..50 {
        if writeln!(stdin, "{step}").is_err() {
            break;
        }
    }
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn batch_refuses_a_tool_id_and_a_zero_concurrency() {
    let o = Command::new(env!("CARGO_BIN_EXE_thrive-blocks"))
        .args(["run", "thrive_list_tags", "--batch"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be used with"));
    let o = run_batch(&["--concurrency", "0"], &[], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--concurrency must be at least 1"));
}
