//! `thrive-blocks run --batch`: many steps through one process.
//!
//! A shell or Python host that starts `thrive-blocks run` once per step pays
//! a process start, a catalogue build, a TLS handshake and (with OAuth) a
//! token fetch every time. In batch mode it starts one process, writes one
//! JSON step per line to its standard input and reads one JSON result per
//! line from its standard output; every step shares one runtime, one HTTP
//! client (and its connection pool), one token cache and one 429 gate.
//!
//! # Protocol
//!
//! Each input line is a step:
//!
//! ```json
//! {"tool": "thrive_get_user_by_ref", "params": {"ref": "EMP-00042"}, "id": "step-1"}
//! ```
//!
//! `tool` is required; `params` defaults to `{}`; `id` is any JSON value and
//! is echoed back (when it is absent, the 1-based line number is used).
//! Blank lines are skipped. Each step answers with exactly one line:
//!
//! ```json
//! {"id": "step-1", "result": {"user": {...}}}
//! {"id": "step-2", "error": {"code": "not_found", "message": "...", "status": 404, "retryable": false, "attempts": 1}}
//! ```
//!
//! The `error` object is the one `run` prints on failure. Connection inputs
//! a step leaves out are taken from `--params` (the defaults of every step),
//! then from `THRIVE_TENANT_ID`, `THRIVE_API_KEY`, `THRIVE_HOST`,
//! `THRIVE_CLIENT_ID` and `THRIVE_SCOPE`, as for a single `run`.
//!
//! # Order
//!
//! Up to `--concurrency` steps run at once (default 1). Results are written
//! as steps **complete**, each carrying its `id`: with `--concurrency 1`
//! that is input order; with more, match results to steps by `id`. Each
//! result line is flushed as soon as it is written, so a host may also write
//! a step, read its result and decide on the next one.
//!
//! The process exits when standard input closes and every started step has
//! answered: `0` if every step succeeded, `3` if any failed (each failure is
//! on its own line), `1` if standard input or output could not be used.

use crate::api::Context;
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorCode};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{Semaphore, mpsc};

/// What a batch did: how many steps ran and how many failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Steps answered (lines that were not blank).
    pub steps: usize,
    /// Steps answered with an error.
    pub failed: usize,
}

/// Runs every step read from `input` (one JSON object per line) with up to
/// `concurrency` in flight, writing one result line per step to `output`
/// in completion order. `defaults` are inputs added to every step that does
/// not set them (the connection, typically). A line longer than
/// `max_line_bytes` is not kept: it is answered with an `invalid_input`
/// error line (its id is its line number) and the rest of it skipped, so
/// memory stays flat whatever arrives.
///
/// Fails only when `input` cannot be read or `output` cannot be written; a
/// step's own failure is an `error` line.
pub async fn run<R, W>(
    catalogue: &'static Catalogue,
    ctx: &Context,
    defaults: Map<String, Value>,
    concurrency: usize,
    max_line_bytes: usize,
    mut input: R,
    output: W,
) -> std::io::Result<BatchSummary>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let defaults = Arc::new(defaults);
    let failed = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::unbounded_channel::<String>();
    let writer = tokio::spawn(write_lines(rx, output));
    let mut steps = 0usize;
    let mut line_no = 0u64;
    let mut bytes = Vec::new();
    loop {
        // The writer stops when the output is closed (a reader such as
        // `head` has had enough): read and run no further step.
        if tx.is_closed() {
            break;
        }
        let read = read_line(&mut input, &mut bytes, max_line_bytes).await?;
        if read == LineRead::End {
            break;
        }
        line_no += 1;
        let line = match (read, std::str::from_utf8(&bytes)) {
            (LineRead::TooLong, _) => Err(format!(
                "line {line_no} is longer than {max_line_bytes} bytes; raise the limit with \
                 --max-input-bytes"
            )),
            (_, Err(e)) => Err(format!("line {line_no} is not UTF-8: {e}")),
            (_, Ok(text)) if text.trim().is_empty() => continue,
            (_, Ok(text)) => Ok(text.to_owned()),
        };
        steps += 1;
        // Waiting for a permit before reading on keeps at most
        // `concurrency` steps (and their inputs) in memory.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let (ctx, defaults, failed, tx) =
            (ctx.clone(), defaults.clone(), failed.clone(), tx.clone());
        tokio::spawn(async move {
            let (id, step) = match &line {
                Ok(line) => parse_step(line, line_no, &defaults),
                Err(problem) => (Value::from(line_no), Err(Error::field("", problem.clone()))),
            };
            let outcome = match step {
                Ok((tool, params)) => catalogue.execute(&tool, params, &ctx).await,
                Err(e) => Err(e),
            };
            let mut answer = Map::with_capacity(2);
            answer.insert("id".into(), id);
            match outcome {
                Ok(result) => {
                    answer.insert("result".into(), result);
                }
                Err(e) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    let error = match e.to_json() {
                        Value::Object(mut m) => m.remove("error").unwrap_or(Value::Null),
                        other => other,
                    };
                    answer.insert("error".into(), error);
                }
            }
            let _ = tx.send(Value::Object(answer).to_string());
            drop(permit);
        });
    }
    drop(tx);
    writer
        .await
        .map_err(|e| std::io::Error::other(format!("the output writer stopped: {e}")))??;
    Ok(BatchSummary {
        steps,
        failed: failed.load(Ordering::Relaxed),
    })
}

/// What [`read_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineRead {
    /// A whole line (its bytes without the `\n`).
    Line,
    /// A line longer than the limit, skipped to its end (nothing kept).
    TooLong,
    /// The end of the input.
    End,
}

/// Reads the next line into `line` (cleared first), keeping at most `max`
/// bytes: a longer line is read to its end and dropped.
async fn read_line<R: AsyncBufRead + Unpin>(
    input: &mut R,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<LineRead> {
    line.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = input.fill_buf().await?;
        if available.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => LineRead::End,
                (true, true) => LineRead::TooLong,
                (true, false) => LineRead::Line,
            });
        }
        any = true;
        let newline = available.iter().position(|b| *b == b'\n');
        let take = newline.unwrap_or(available.len());
        if !too_long && line.len() + take > max {
            too_long = true;
            line.clear();
            line.shrink_to(0);
        }
        if !too_long {
            line.extend_from_slice(&available[..take]);
        }
        let consumed = newline.map_or(take, |i| i + 1);
        input.consume(consumed);
        if newline.is_some() {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

/// Writes each line as it arrives and flushes it, so a host reading
/// line by line sees every result at once.
async fn write_lines<W: AsyncWrite + Unpin>(
    mut rx: mpsc::UnboundedReceiver<String>,
    mut output: W,
) -> std::io::Result<()> {
    while let Some(mut line) = rx.recv().await {
        line.push('\n');
        output.write_all(line.as_bytes()).await?;
        output.flush().await?;
    }
    Ok(())
}

/// Reads one step line: its id (echoed back, the line number when absent)
/// and either the tool id and parameters with the defaults filled in, or an
/// `invalid_input` error naming the field.
fn parse_step(
    line: &str,
    line_no: u64,
    defaults: &Map<String, Value>,
) -> (Value, Result<(String, Value), Error>) {
    let fallback_id = Value::from(line_no);
    let step: Value = match serde_json::from_str(line) {
        Ok(step) => step,
        Err(e) => {
            let e = Error::field("", format!("line {line_no} is not valid JSON: {e}"));
            return (fallback_id, Err(e));
        }
    };
    let Value::Object(mut step) = step else {
        let e = Error::field(
            "",
            format!(
                "line {line_no} must be a JSON object {{\"tool\", \"params\", \"id\"}}, got {}",
                crate::params::json_kind(&step)
            ),
        );
        return (fallback_id, Err(e));
    };
    let id = step.remove("id").unwrap_or(fallback_id);
    let parsed = step_fields(step, defaults);
    (id, parsed)
}

/// The tool id and parameters of a step object (its id removed).
fn step_fields(
    mut step: Map<String, Value>,
    defaults: &Map<String, Value>,
) -> Result<(String, Value), Error> {
    let tool = match step.remove("tool") {
        Some(Value::String(tool)) => tool,
        Some(other) => {
            let kind = crate::params::json_kind(&other);
            return Err(Error::field(
                "/tool",
                format!("tool must be a tool id string, got {kind}"),
            ));
        }
        None => return Err(Error::field("/tool", "tool is required")),
    };
    let mut params = match step.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(params)) => params,
        Some(other) => {
            let kind = crate::params::json_kind(&other);
            return Err(Error::field(
                "/params",
                format!("params must be an object, got {kind}"),
            ));
        }
    };
    if let Some(unknown) = step.keys().next() {
        return Err(Error::field(
            format!("/{unknown}"),
            format!("{unknown} is not a step field (expected tool, params, id)"),
        ));
    }
    for (k, v) in defaults {
        if !params.contains_key(k) {
            params.insert(k.clone(), v.clone());
        }
    }
    Ok((tool, Value::Object(params)))
}

/// `run --batch` on standard input and output: `defaults` are the
/// `--params` object with the connection filled in. Returns the exit code.
pub(crate) async fn run_stdio(
    catalogue: &'static Catalogue,
    ctx: &Context,
    defaults: Value,
    concurrency: usize,
) -> Result<std::process::ExitCode, Error> {
    let Value::Object(defaults) = defaults else {
        return Err(Error::field(
            "",
            format!(
                "--params must be a JSON object in batch mode, got {}",
                crate::params::json_kind(&defaults)
            ),
        ));
    };
    if concurrency == 0 {
        return Err(Error::field("", "--concurrency must be at least 1"));
    }
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    let max_line =
        usize::try_from(crate::host::cli::input::max_input_bytes()).unwrap_or(usize::MAX);
    let summary = match run(
        catalogue,
        ctx,
        defaults,
        concurrency,
        max_line,
        stdin,
        StdoutInPlace,
    )
    .await
    {
        // The reader closed standard output (`| head -1`): it has all it
        // wanted, so the run ends quietly and successfully; steps not yet
        // read are not run.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(std::process::ExitCode::SUCCESS);
        }
        other => other,
    }
    .map_err(|e| {
        Error::new(
            ErrorCode::Transport,
            format!("batch input/output failed: {e}"),
        )
    })?;
    Ok(if summary.failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(3)
    })
}

/// Standard output written in place, from the task that writes the line.
///
/// `tokio::io::stdout()` hands every write, and the flush after it, to a
/// blocking-pool thread and wakes the task when it is done: two thread
/// switches per result line, which is much of what a step costs beyond its
/// HTTP call. A result line is a few hundred bytes into a pipe, which does
/// not block unless the host stops reading, and then the batch has to wait
/// for it anyway (the next steps' results could not be delivered either).
struct StdoutInPlace;

impl tokio::io::AsyncWrite for StdoutInPlace {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(std::io::Write::write(&mut std::io::stdout().lock(), buf))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(std::io::Write::flush(&mut std::io::stdout().lock()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::{LineRead, parse_step, read_line};

    use serde_json::{Map, Value};

    use serde_json::json;

    fn defaults() -> Map<String, Value> {
        let Value::Object(m) = json!({"tenantId": "t", "apiKey": "k"}) else {
            unreachable!()
        };
        m
    }

    #[tokio::test]
    async fn lines_over_the_limit_are_skipped_whole_and_reported() {
        let text = format!("{}\nshort\r\n\n{}", "x".repeat(100), "y".repeat(50));
        let mut input = tokio::io::BufReader::with_capacity(16, text.as_bytes());
        let mut line = Vec::new();
        let mut seen = Vec::new();
        loop {
            let read = read_line(&mut input, &mut line, 20).await.unwrap();
            if read == LineRead::End {
                break;
            }
            assert!(line.len() <= 20);
            seen.push((read, String::from_utf8(line.clone()).unwrap()));
        }
        assert_eq!(
            seen,
            [
                (LineRead::TooLong, String::new()),
                (LineRead::Line, "short".into()),
                (LineRead::Line, String::new()),
                (LineRead::TooLong, String::new()),
            ]
        );
    }

    #[test]
    fn a_step_gets_the_defaults_it_does_not_set() {
        let (id, step) = parse_step(
            r#"{"tool": "thrive_get_user", "params": {"tenantId": "mine", "userId": "u1"}, "id": [1]}"#,
            4,
            &defaults(),
        );
        let (tool, params) = step.unwrap();
        assert_eq!(id, json!([1]));
        assert_eq!(tool, "thrive_get_user");
        assert_eq!(
            params,
            json!({"tenantId": "mine", "userId": "u1", "apiKey": "k"})
        );
    }

    #[test]
    fn malformed_steps_name_the_field_and_keep_the_id() {
        let err = |line: &str| {
            let (id, step) = parse_step(line, 7, &defaults());
            let e = step.unwrap_err();
            let v = &e.violations()[0];
            (id, v.pointer.clone(), v.message.clone())
        };
        assert_eq!(
            err(r#"{"id": "a"}"#),
            (json!("a"), "/tool".into(), "tool is required".into())
        );
        assert_eq!(
            err(r#"{"tool": 3}"#),
            (
                json!(7),
                "/tool".into(),
                "tool must be a tool id string, got a number".into()
            )
        );
        assert_eq!(
            err(r#"{"tool": "x", "params": [], "id": 1}"#),
            (
                json!(1),
                "/params".into(),
                "params must be an object, got an array".into()
            )
        );
        assert_eq!(
            err(r#"{"tool": "x", "parms": {}}"#),
            (
                json!(7),
                "/parms".into(),
                "parms is not a step field (expected tool, params, id)".into()
            )
        );
        let (id, pointer, message) = err("{not json");
        assert_eq!((id, pointer), (json!(7), String::new()));
        assert!(message.starts_with("line 7 is not valid JSON"), "{message}");
    }
}
