//! The command line as a newcomer meets it: describe, did-you-mean, the
//! `--sandbox` rule, connection-free validation, flag errors as JSON, exit
//! codes of partial successes, plain logs, `--bind`, and the state-keeping
//! `sandbox` command.

#![cfg(all(feature = "cli", feature = "sandbox"))]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_thrive-blocks");

fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for var in [
        "THRIVE_ALLOWED_HOSTS",
        "RUST_LOG",
        "THRIVE_TENANT_ID",
        "THRIVE_API_KEY",
        "THRIVE_HOST",
        "THRIVE_CLIENT_ID",
        "THRIVE_SCOPE",
        "THRIVE_BLOCKS_SERVER_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(args, env).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON error object on stderr (the last JSON document there).
fn error_json(o: &Output) -> Value {
    let text = stderr(o);
    let start = text
        .find("{\n  \"error\"")
        .or_else(|| text.find("{\"error\""))
        .unwrap_or_else(|| panic!("no error object in {text}"));
    serde_json::from_str(&text[start..]).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("thrive-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn describe_shows_the_tools_own_inputs_outputs_and_an_example() {
    let o = cli(&["describe", "thrive_search_users"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("thrive_search_users: Search users\n"),
        "{text}"
    );
    let header = text
        .lines()
        .find(|l| l.trim_start().starts_with("name "))
        .unwrap();
    for column in [
        "required",
        "type",
        "allowed values",
        "default",
        "description",
        "example",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let status = text
        .lines()
        .find(|l| l.trim_start().starts_with("status "))
        .unwrap();
    // The allowed values wrap (at a `|`) so the table fits 100 columns.
    assert!(status.contains("active|inactive|"), "{status}");
    assert!(text.contains("expired|"), "{text}");
    assert!(
        text.lines()
            .filter(|l| !l.contains("thrive-blocks run"))
            .all(|l| l.chars().count() <= 100),
        "{text}"
    );
    let per_page = text
        .lines()
        .find(|l| l.trim_start().starts_with("perPage "))
        .unwrap();
    assert!(
        per_page.contains("integer") && per_page.contains("100"),
        "{per_page}"
    );
    // The connection inputs are not in the table.
    assert!(!text.lines().any(|l| l.trim_start().starts_with("apiKey ")));
    assert!(text.contains("Output (top-level fields):"));
    assert!(text.lines().any(|l| l.trim_start().starts_with("results ")));
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("pagination "))
    );
    assert!(text.contains("thrive-blocks run thrive_search_users --sandbox --params '"));

    let o = cli(&["describe", "thrive_create_user", "--json"], &[]);
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    let required: Vec<&str> = d["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["required"] == true)
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(required, ["ref", "firstName", "lastName"]);
    assert_eq!(d["outputs"][0]["name"], "user");
}

#[test]
fn the_example_run_line_of_describe_runs() {
    let o = cli(&["describe", "thrive_create_user", "--json"], &[]);
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    let line = d["example"].as_str().unwrap();
    let o = Command::new("sh")
        .arg("-c")
        .arg(line.replacen("thrive-blocks", BIN, 1))
        .env_remove("THRIVE_CLIENT_ID")
        .output()
        .unwrap();
    assert!(o.status.success(), "{line}: {}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    let example_ref = d["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "ref")
        .unwrap()["example"]
        .clone();
    assert_eq!(out["user"]["ref"], example_ref);
}

#[test]
fn run_help_describes_the_tool_after_the_flags() {
    let o = cli(&["run", "thrive_add_audience_members", "--help"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("--fail-on-partial"), "{text}");
    assert!(text.contains("thrive_add_audience_members: Add audience members"));
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("audienceId "))
    );
    assert!(text.lines().any(|l| l.trim_start().starts_with("users ")));
}

#[test]
fn unknown_tool_and_field_get_a_suggestion() {
    let o = cli(&["run", "thrive_create_usr", "--sandbox"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = error_json(&o);
    assert_eq!(e["error"]["code"], "unknown_tool");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("(did you mean `thrive_create_user`?)"),
        "{message}"
    );

    let o = cli(
        &[
            "validate",
            "thrive_list_audience_members",
            "--no-connection",
            "--params",
            r#"{"audienceID": "x"}"#,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = error_json(&o);
    let details = e["error"]["details"].as_array().unwrap();
    let unknown = details
        .iter()
        .find(|d| d["pointer"] == "/audienceID")
        .unwrap();
    assert_eq!(
        unknown["message"],
        "audienceID is not an input of this tool (did you mean `audienceId`?); \
         its inputs: audienceId, page, perPage, returnAll, maxResults \
         (connection: tenantId, apiKey, host, clientId, scope)"
    );
    assert!(details.iter().any(|d| d["pointer"] == "/audienceId"));
}

#[test]
fn sandbox_connection_replaces_every_connection_input_and_variable() {
    // A clientId from the environment and a tenantId in the parameters
    // would send OAuth with the wrong tenant: --sandbox ignores both.
    let o = cli(
        &[
            "run",
            "thrive_get_user_by_ref",
            "--sandbox",
            "--params",
            r#"{"ref": "EMP-00001", "tenantId": "eu-west-2_Other", "host": "example.com"}"#,
        ],
        &[
            ("THRIVE_CLIENT_ID", "my-real-client"),
            ("THRIVE_API_KEY", "my-real-key"),
            ("THRIVE_SCOPE", "api/read"),
            // The note is logged at info level (stderr of a failure is one JSON document).
            ("RUST_LOG", "thrive_blocks=info"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["user"]["ref"], "EMP-00001");
    assert!(
        stderr(&o).contains("--sandbox replaces the connection inputs given (tenantId, host)"),
        "{}",
        stderr(&o)
    );
    let help = stdout(&cli(&["run", "--help"], &[]));
    // clap wraps the help text; compare it with the line breaks taken out.
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("replaces every connection input"), "{help}");
}

#[test]
fn a_missing_connection_says_how_to_give_one() {
    let o = cli(
        &["run", "thrive_get_user_by_id", "--params", r#"{"id": "x"}"#],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let error: Value = serde_json::from_str(&stderr(&o))
        .unwrap_or_else(|e| panic!("stderr is not one JSON document ({e}): {}", stderr(&o)));
    assert_eq!(
        error["error"]["details"],
        serde_json::json!([
            {"pointer": "/apiKey", "message": "apiKey is required"},
            {"pointer": "/tenantId", "message": "tenantId is required (no connection given: \
              set THRIVE_TENANT_ID and THRIVE_API_KEY, with THRIVE_HOST for a tenant outside \
              the default region, or give tenantId and apiKey in --params, or add --sandbox \
              to try the tool without a tenant)"}
        ])
    );
}

#[test]
fn a_resource_named_id_is_matched_to_the_tools_id() {
    let o = cli(
        &[
            "validate",
            "thrive_get_user_by_id",
            "--no-connection",
            "--params",
            r#"{"userId": "5f0c4bc1a3e5d2001c000001"}"#,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = error_json(&o);
    assert_eq!(
        e["error"]["details"],
        serde_json::json!([
            {"pointer": "/id", "message": "id is required"},
            {"pointer": "/userId", "message": "userId is not an input of this tool (did you \
              mean `id`?); its inputs: id (connection: tenantId, apiKey, host, clientId, scope)"}
        ])
    );

    let o = cli(
        &[
            "validate",
            "thrive_list_audience_members",
            "--no-connection",
            "--params",
            r#"{"audience_id": "x"}"#,
        ],
        &[],
    );
    let e = error_json(&o);
    let details = e["error"]["details"].as_array().unwrap();
    let unknown = details
        .iter()
        .find(|d| d["pointer"] == "/audience_id")
        .unwrap();
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .starts_with("audience_id is not an input of this tool (did you mean `audienceId`?); "),
        "{unknown}"
    );
}

#[test]
fn a_closed_stdout_ends_a_run_quietly() {
    let mut child = command(&["run", "thrive_list_tags", "--sandbox"], &[])
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
}

#[test]
fn a_failed_sandbox_run_with_connection_inputs_has_one_json_document_on_stderr() {
    let o = cli(
        &[
            "run",
            "thrive_get_user_by_ref",
            "--sandbox",
            "--params",
            r#"{"tenantId": "eu-west-2_Other", "host": "example.com"}"#,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let error: Value = serde_json::from_str(&stderr(&o))
        .unwrap_or_else(|e| panic!("stderr is not one JSON document ({e}): {}", stderr(&o)));
    assert_eq!(error["error"]["code"], "invalid_input");
}

#[test]
fn validate_without_a_connection_reports_only_the_tools_own_inputs() {
    for flag in ["--no-connection", "--sandbox"] {
        let o = cli(
            &[
                "validate",
                "thrive_create_user",
                flag,
                "--params",
                r#"{"ref": "E1"}"#,
            ],
            &[("THRIVE_SCOPE", "nonsense")],
        );
        assert_eq!(o.status.code(), Some(2), "{flag}");
        let pointers: Vec<String> = error_json(&o)["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["pointer"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(pointers, ["/email", "/firstName", "/lastName"], "{flag}");
        let o = cli(
            &[
                "validate",
                "thrive_create_user",
                flag,
                "--params",
                r#"{"ref": "E1", "firstName": "A", "lastName": "B", "email": "a@example.com"}"#,
            ],
            &[],
        );
        assert!(o.status.success(), "{flag}: {}", stderr(&o));
    }
    // Without the flag the missing connection is reported.
    let o = cli(
        &[
            "validate",
            "thrive_create_user",
            "--params",
            r#"{"ref": "E1"}"#,
        ],
        &[],
    );
    let text = stderr(&o);
    assert!(
        text.contains("/tenantId") && text.contains("/apiKey"),
        "{text}"
    );
}

#[test]
fn flag_errors_are_json_error_objects_with_exit_2() {
    let o = cli(&["run", "thrive_list_audiences", "--retries", "-1"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = error_json(&o);
    assert_eq!(e["error"]["code"], "invalid_input");
    assert_eq!(e["error"]["retryable"], false);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--retries"),
        "{e}"
    );

    for timeout in ["1e20", "0", "-3", "NaN", "inf"] {
        let o = cli(
            &[
                "run",
                "thrive_list_audiences",
                "--sandbox",
                "--timeout",
                timeout,
            ],
            &[],
        );
        assert_eq!(
            o.status.code(),
            Some(2),
            "--timeout {timeout}: {}",
            stderr(&o)
        );
        let e = error_json(&o);
        assert_eq!(e["error"]["code"], "invalid_input");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("--timeout must be a number of seconds above 0 and at most 86400"),
            "{e}"
        );
    }
}

#[test]
fn partial_success_exits_0_with_a_note_or_4_on_request() {
    let params = r#"{"audienceId": "aud-account-execs", "users": ["EMP-00001", "NOBODY-1"]}"#;
    let args = [
        "run",
        "thrive_add_audience_members",
        "--sandbox",
        "--params",
        params,
    ];
    let o = cli(&args, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["partial"], true);
    assert!(
        stderr(&o).contains("note: partial success (HTTP 207): 1 item(s) failed"),
        "{}",
        stderr(&o)
    );
    let mut strict = args.to_vec();
    strict.push("--fail-on-partial");
    let o = cli(&strict, &[]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert_eq!(
        serde_json::from_slice::<Value>(&o.stdout).unwrap()["partial"],
        true
    );
}

#[test]
fn the_sync_says_where_failures_are_and_its_dry_run_names_who_goes() {
    let params = r#"{"audienceId": "aud-account-execs", "users": ["EMP-00001", "NOBODY-1"]}"#;
    let o = cli(
        &[
            "run",
            "thrive_sync_audience_members",
            "--sandbox",
            "--params",
            params,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        out["failures"],
        serde_json::json!([{"operation": "add", "user": "NOBODY-1", "reason": "User does not exist."}])
    );
    assert_eq!(
        stderr(&o),
        "note: partial success: 1 item(s) failed; see failures in the output \
         (exit 0; --fail-on-partial exits 4)\n"
    );

    let dry = r#"{"audienceId": "aud-account-execs", "users": ["EMP-00001"], "dryRun": true}"#;
    let o = cli(
        &[
            "run",
            "thrive_sync_audience_members",
            "--sandbox",
            "--params",
            dry,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids = out["planRemove"].as_array().unwrap();
    let users = out["planRemoveUsers"].as_array().unwrap();
    assert!(!ids.is_empty());
    assert_eq!(users.len(), ids.len());
    for (id, user) in ids.iter().zip(users) {
        assert_eq!(&user["userId"], id);
        let reference = user["reference"].as_str().unwrap();
        assert!(
            reference.starts_with("EMP-") && reference != "EMP-00001",
            "{user}"
        );
        assert!(
            user["email"]
                .as_str()
                .unwrap()
                .ends_with("@thrive-sandbox.example"),
            "{user}"
        );
    }
}

#[test]
fn ctrl_c_during_a_write_says_it_was_sent_without_an_answer_and_exits_130() {
    use std::io::Read;
    // A loopback "Thrive" that takes the request and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("http://{}", listener.local_addr().unwrap());
    let params = serde_json::json!({
        "ref": "EMP-9",
        "tenantId": "eu-west-2_Test",
        "apiKey": "k",
        "host": host,
    })
    .to_string();
    let mut child = command(
        &[
            "run",
            "thrive_delete_user",
            "--params",
            &params,
            "--retries",
            "0",
        ],
        &[("THRIVE_ALLOWED_HOSTS", &host)],
    )
    .spawn()
    .unwrap();
    // Wait for the request, but not for ever if the run ended before it.
    listener.set_nonblocking(true).unwrap();
    let mut conn = loop {
        match listener.accept() {
            Ok((conn, _)) => break conn,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if let Some(status) = child.try_wait().unwrap() {
                    let o = child.wait_with_output().unwrap();
                    panic!("the run ended ({status}) without a request: {}", stderr(&o));
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("{e}"),
        }
    };
    conn.set_nonblocking(false).unwrap();
    let mut head = [0u8; 16];
    conn.read_exact(&mut head).unwrap();
    assert!(head.starts_with(b"DELETE "), "{head:?}");
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let error: Value = serde_json::from_str(&stderr(&o))
        .unwrap_or_else(|e| panic!("stderr is not one JSON document ({e}): {}", stderr(&o)));
    assert_eq!(
        error,
        serde_json::json!({"error": {
            "code": "transport",
            "message": "interrupted (Ctrl-C) after the request was sent, before Thrive \
                answered: a write may or may not have taken effect; check before running it again",
            "retryable": false,
            "delivery": "sent_no_answer",
            "attempts": 0
        }})
    );
}

#[test]
fn logs_are_plain_when_stderr_is_not_a_terminal() {
    let o = cli(
        &["run", "thrive_get_skill_levels", "--sandbox"],
        // The runtime's request paths are user data, shown only on opt-in.
        &[
            ("RUST_LOG", "thrive_blocks=debug"),
            ("THRIVE_BLOCKS_LOG_PAYLOADS", "1"),
        ],
    );
    assert!(o.status.success());
    let text = stderr(&o);
    assert!(text.contains("thrive call"), "debug logs expected: {text}");
    assert!(!text.contains('\u{1b}'), "ANSI escape in {text:?}");
}

#[test]
fn list_prints_titles() {
    let text = stdout(&cli(&["list"], &[]));
    let line = text
        .lines()
        .find(|l| l.starts_with("thrive_create_user "))
        .unwrap();
    assert!(line.contains("Create user"), "{line}");
}

#[test]
fn manifests_check_outside_the_repository_says_where_it_looked() {
    let dir = temp_dir("manifests");
    let o = command(&["manifests", "--check"], &[])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = stderr(&o);
    let looked = dir.join("manifests");
    assert!(
        text.contains(&format!("no manifests folder at {}", looked.display())),
        "{text}"
    );
    assert!(!text.contains("stale"), "{text}");
}

/// Reads the serve banner `... on http://ADDR` from a child's stderr.
fn banner_addr(child: &mut Child) -> String {
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(at) = line.find("http://") {
            return line[at + "http://".len()..].trim().to_owned();
        }
    }
    panic!("no banner");
}

#[test]
fn bind_accepts_localhost_and_reports_a_port_in_use_clearly() {
    let mut first = command(&["serve", "--bind", "localhost:0"], &[])
        .spawn()
        .unwrap();
    let addr = banner_addr(&mut first);
    assert!(
        addr.starts_with("127.0.0.1:") || addr.starts_with("[::1]:"),
        "{addr}"
    );
    let o = cli(&["serve", "--bind", &addr], &[]);
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = error_json(&o);
    assert_eq!(e["error"]["code"], "invalid_input");
    assert_eq!(e["error"]["retryable"], false);
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("already in use"), "{message}");
}

/// A running `thrive-blocks sandbox` and the exports it printed.
struct SandboxProcess {
    child: Child,
    exports: Vec<(String, String)>,
}

impl SandboxProcess {
    fn start(state: &Path) -> Self {
        let mut child = command(
            &["sandbox", "--port", "0", "--state", state.to_str().unwrap()],
            &[],
        )
        .spawn()
        .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut exports = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(kv) = line.strip_prefix("export ") {
                let (k, v) = kv.split_once('=').unwrap();
                exports.push((k.to_owned(), v.to_owned()));
                if k == "THRIVE_ALLOWED_HOSTS" {
                    break;
                }
            }
        }
        assert_eq!(
            exports.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            [
                "THRIVE_HOST",
                "THRIVE_TENANT_ID",
                "THRIVE_API_KEY",
                "THRIVE_ALLOWED_HOSTS"
            ]
        );
        SandboxProcess { child, exports }
    }

    fn run(&self, id: &str, params: &str) -> Output {
        let env: Vec<(&str, &str)> = self
            .exports
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        cli(&["run", id, "--params", params], &env)
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_sandbox_command_keeps_state_across_calls_and_restarts() {
    let dir = temp_dir("state");
    let state = dir.join("demo.json");
    let sandbox = SandboxProcess::start(&state);
    let o = sandbox.run(
        "thrive_create_user",
        r#"{"ref": "NEW-1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}"#,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let created: Value = serde_json::from_slice(&o.stdout).unwrap();
    let id = created["user"]["id"].as_str().unwrap().to_owned();
    // The next call sees the user.
    let o = sandbox.run("thrive_get_user_by_ref", r#"{"ref": "NEW-1"}"#);
    assert!(o.status.success(), "{}", stderr(&o));
    // The file was saved at once, atomically (no temporary left behind).
    let file: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(file["changes"].as_array().unwrap().len(), 1);
    assert_eq!(file["changes"][0]["uri"], "/rest/v2/users");
    assert!(!dir.join(".demo.json.tmp").exists());
    // Killed without a chance to save: the state is already on disk.
    drop(sandbox);

    let sandbox = SandboxProcess::start(&state);
    let o = sandbox.run("thrive_get_user_by_ref", r#"{"ref": "NEW-1"}"#);
    assert!(o.status.success(), "{}", stderr(&o));
    let again: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        again["user"]["id"],
        id.as_str(),
        "the same id after a restart"
    );
    assert_eq!(again["user"]["firstName"], "Ada");
    // A duplicate create is refused as before the restart.
    let o = sandbox.run(
        "thrive_create_user",
        r#"{"ref": "NEW-1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}"#,
    );
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(error_json(&o)["error"]["code"], "conflict");
}
