//! `thrive-blocks demo`: an onboarding-to-compliance workflow run step by
//! step against the embedded sandbox.

use crate::error::{Error, ErrorCode};
use std::process::ExitCode;

/// Runs the demo workflow.
pub async fn run(_seed: u64) -> Result<ExitCode, Error> {
    Err(Error::new(
        ErrorCode::Transport,
        "the demo needs the sandbox, which is not built yet",
    ))
}
