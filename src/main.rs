//! The `thrive-blocks` binary: a thin shell around [`thrive_blocks::host::cli`].

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    thrive_blocks::host::cli::main().await
}
