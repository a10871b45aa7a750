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
use tokio::io::{AsyncBufRead, AsyncWrite};
use tokio::sync::{Semaphore, mpsc};

mod lines;
mod step;
#[cfg(test)]
mod tests;

use lines::{LineRead, StdoutInPlace, read_line, write_lines};
use step::parse_step;

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
                Ok((tool, params)) => catalogue.execute_text(&tool, params, &ctx).await,
                Err(e) => Err(e),
            };
            // The output is already JSON text (written once from the typed
            // output); the line around it is written by hand.
            let line = match outcome {
                Ok(result) => format!("{{\"id\":{id},\"result\":{result}}}"),
                Err(e) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    let error = match e.to_json() {
                        Value::Object(mut m) => m.remove("error").unwrap_or(Value::Null),
                        other => other,
                    };
                    let mut answer = Map::with_capacity(2);
                    answer.insert("id".into(), id);
                    answer.insert("error".into(), error);
                    Value::Object(answer).to_string()
                }
            };
            let _ = tx.send(line);
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

/// `run --batch` on standard input and output: `defaults` are the
/// `--params` object with the connection filled in; a line longer than
/// `max_line_bytes` is answered as an error. Returns the exit code.
pub(crate) async fn run_stdio(
    catalogue: &'static Catalogue,
    ctx: &Context,
    defaults: Value,
    concurrency: usize,
    max_line_bytes: u64,
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
    let max_line = usize::try_from(max_line_bytes).unwrap_or(usize::MAX);
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
