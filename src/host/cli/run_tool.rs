//! `run`: one step, or one per line with `--batch`.

use super::args::RunArgs;
use super::input::read_params;
use super::output::{EXIT_PARTIAL, print_error, print_json};
use super::startup::progress_bar;
#[cfg(feature = "sandbox")]
use super::startup::{sandbox_connection, start_sandbox};
#[cfg(feature = "sandbox")]
use crate::api::Origin;
use crate::api::{Context, RetryPolicy};
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorCode};
use crate::params::Connection;
use serde_json::Value;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

pub(super) async fn run_tool(
    catalogue: &'static Catalogue,
    args: RunArgs,
) -> Result<ExitCode, Error> {
    let mut params = read_params(&args.params)?;
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero() && *t <= MAX_TIMEOUT)
        .ok_or_else(|| {
            Error::field(
                "",
                format!(
                    "--timeout must be a number of seconds above 0 and at most {}, got {}",
                    MAX_TIMEOUT.as_secs(),
                    args.timeout
                ),
            )
        })?;
    let mut builder = Context::builder()
        .hosts(crate::api::HostPolicy::from_env())
        .timeout(timeout)
        .retry(RetryPolicy::default().with_max_attempts(args.retries.saturating_add(1)));
    if std::io::stderr().is_terminal() {
        builder = builder.progress(progress_bar());
    }

    #[cfg(feature = "sandbox")]
    let _sandbox = if args.sandbox {
        let sandbox = start_sandbox().await?;
        let origin = Origin::parse(&sandbox.base_url())?;
        builder = builder.allow_origin(origin);
        if let Value::Object(map) = &mut params {
            // One rule: the sandbox's connection replaces every connection
            // input and THRIVE_* variable (none of them is read).
            let given = sandbox_connection(&sandbox).replace(map);
            if !given.is_empty() {
                // To the log, not stderr: stderr of a failed run is one JSON document.
                tracing::info!(
                    "--sandbox replaces the connection inputs given ({})",
                    given.join(", ")
                );
            }
        }
        Some(sandbox)
    } else {
        None
    };
    // Credentials may come from the environment (THRIVE_TENANT_ID,
    // THRIVE_API_KEY, ...) so a key need not be typed on a command line,
    // where shell history and process lists would keep it.
    #[cfg(feature = "sandbox")]
    let from_env = !args.sandbox;
    #[cfg(not(feature = "sandbox"))]
    let from_env = true;
    if from_env && let Value::Object(map) = &mut params {
        Connection::fill_from_env(map);
    }
    let ctx = builder.build();

    let Some(id) = args.id.as_deref() else {
        let max_line = super::input::max_input_bytes();
        return crate::host::batch::run_stdio(catalogue, &ctx, params, args.concurrency, max_line)
            .await;
    };
    if args.dry_run {
        let dry = catalogue
            .dry_run(id, params, &ctx)
            .map_err(connection_hint)?;
        print_json(&dry.to_json(), args.compact);
        return Ok(ExitCode::SUCCESS);
    }
    let output = tokio::select! {
        output = catalogue.execute(id, params, &ctx) => output.map_err(connection_hint)?,
        _ = tokio::signal::ctrl_c() => {
            print_error(&interrupted(&ctx));
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
    };
    print_json(&output, args.compact);
    if output.get("partial") == Some(&Value::Bool(true)) {
        // A 207 answer keeps Thrive's `result.failure`; a sync lists every
        // user that failed in `failures`.
        let (what, count, place) = match output.pointer("/result/failure/count") {
            Some(n) => ("partial success (HTTP 207)", n.as_u64(), "result.failure"),
            None => (
                "partial success",
                output.get("failed").and_then(Value::as_u64),
                "failures",
            ),
        };
        let failed = count
            .map(|n| format!("{n} item(s)"))
            .unwrap_or_else(|| "some items".to_owned());
        let _ = writeln!(
            std::io::stderr(),
            "note: {what}: {failed} failed; see {place} in the output{}",
            if args.fail_on_partial {
                ""
            } else {
                " (exit 0; --fail-on-partial exits 4)"
            }
        );
        if args.fail_on_partial {
            return Ok(ExitCode::from(EXIT_PARTIAL));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The exit code of a run stopped by Ctrl-C (SIGINT): 128 + 2, as shells
/// report it.
pub(super) const EXIT_INTERRUPTED: u8 = 130;

/// The error printed when Ctrl-C stops a step: whether its request may have
/// reached Thrive (`sent_no_answer`: for a write, check before running it
/// again) or not (`not_sent`: safe to run again).
fn interrupted(ctx: &Context) -> Error {
    let (delivery, what) = if ctx.requests_started() == 0 {
        (
            crate::error::Delivery::NotSent,
            "interrupted (Ctrl-C) before the request was sent: nothing reached Thrive",
        )
    } else {
        (
            crate::error::Delivery::SentNoAnswer,
            "interrupted (Ctrl-C) after the request was sent, before Thrive answered: a write \
             may or may not have taken effect; check before running it again",
        )
    };
    Error::new(ErrorCode::Transport, what)
        .with_retry(delivery, delivery == crate::error::Delivery::NotSent)
}

/// Ends the message of a missing `tenantId`/`apiKey` with the ways to give
/// a connection on the command line, so a first run says what to do next.
/// Other errors are returned as they are.
fn connection_hint(error: Error) -> Error {
    let Some(crate::error::Details::Violations(problems)) = error.typed_details() else {
        return error;
    };
    let missing = |v: &crate::error::Violation| {
        matches!(v.pointer.as_str(), "/tenantId" | "/apiKey") && v.message.ends_with("is required")
    };
    let Some(last) = problems.iter().rposition(missing) else {
        return error;
    };
    let mut problems = problems.clone();
    #[cfg(feature = "sandbox")]
    let sandbox = ", or add --sandbox to try the tool without a tenant";
    #[cfg(not(feature = "sandbox"))]
    let sandbox = "";
    problems[last].message.push_str(&format!(
        " (no connection given: set THRIVE_TENANT_ID and THRIVE_API_KEY, with THRIVE_HOST \
         for a tenant outside the default region, or give tenantId and apiKey in \
         --params{sandbox})"
    ));
    Error::invalid_input(problems)
}

/// The longest `--timeout` accepted (a day; the call's own deadline is
/// shorter anyway).
pub(super) const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
