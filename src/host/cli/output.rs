//! What the command line writes: a result as JSON on standard output, an
//! error as JSON on standard error, and the exit codes.

use crate::error::{Error, ErrorCode};
use serde_json::Value;
use std::io::Write;
use std::process::ExitCode;

/// The exit code for a failed step.
pub fn exit_code_for(e: &Error) -> ExitCode {
    match e.code() {
        ErrorCode::InvalidInput | ErrorCode::UnknownTool | ErrorCode::HostNotAllowed => {
            ExitCode::from(2)
        }
        _ => ExitCode::from(3),
    }
}

/// The exit code of a partial success under `--fail-on-partial`.
pub const EXIT_PARTIAL: u8 = 4;

/// Writes `e` as its JSON error document on standard error.
pub(super) fn print_error(e: &Error) {
    let text = serde_json::to_string_pretty(&e.to_json()).unwrap_or_else(|_| e.to_string());
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// Writes `value` on standard output, pretty unless `compact`.
pub(super) fn print_json(value: &Value, compact: bool) {
    let text = if compact {
        value.to_string()
    } else {
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    };
    let _ = writeln!(std::io::stdout(), "{text}");
}
