//! `thrive-blocks sandbox`: a sandbox that keeps its state while it runs
//! (and across restarts with `--state FILE`), for trying several steps that
//! build on each other.
//!
//! It prints the shell exports that point `thrive-blocks run` (and `serve`,
//! `mcp`) at it on standard output, then serves until Ctrl-C or SIGTERM.

use crate::error::{Error, ErrorCode};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `thrive-blocks sandbox`.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// The loopback port to listen on (0: any free port).
    #[arg(long, default_value_t = 18080)]
    pub port: u16,
    /// Keep the state in FILE: changes recorded there are replayed at start,
    /// and each new change is saved to it at once (written to a temporary
    /// file, then renamed).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Seed of the demo data (a state file only loads with its own seed).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Start with an empty tenant instead of the demo data.
    #[arg(long)]
    pub empty: bool,
}

/// The exports that point the THRIVE_* connection variables at a sandbox.
pub fn exports(sandbox: &thrive_sandbox::Sandbox) -> String {
    let cfg = sandbox.config();
    let url = sandbox.base_url();
    format!(
        "export THRIVE_HOST={url}\nexport THRIVE_TENANT_ID={}\nexport THRIVE_API_KEY={}\n\
         export THRIVE_ALLOWED_HOSTS={url}\n",
        cfg.tenant_id, cfg.api_key
    )
}

/// Runs the sandbox until Ctrl-C or SIGTERM.
pub async fn run(args: SandboxArgs) -> Result<ExitCode, Error> {
    let config = thrive_sandbox::SandboxConfig {
        seed: args.seed,
        empty: args.empty,
        ..thrive_sandbox::SandboxConfig::default()
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let started = match &args.state {
        Some(path) => thrive_sandbox::Sandbox::start_with_state(config, addr, path).await,
        None => thrive_sandbox::Sandbox::start_on(config, addr).await,
    };
    let sandbox = started.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => Error::new(
            ErrorCode::InvalidInput,
            format!(
                "--port: {addr} is already in use (another sandbox?); stop it or give another --port"
            ),
        ),
        std::io::ErrorKind::InvalidData => Error::field("", format!("--state: {e}")),
        _ => Error::new(
            ErrorCode::InvalidInput,
            format!("could not start the sandbox: {e}"),
        ),
    })?;
    let kept = match &args.state {
        Some(path) => format!("state kept in {}", path.display()),
        None => "state kept until it stops; --state FILE keeps it across restarts".to_owned(),
    };
    let mut out = std::io::stdout().lock();
    let _ = write!(
        out,
        "# thrive sandbox on {} ({kept}).\n# Paste these lines into another terminal, then use `thrive-blocks run`:\n{}",
        sandbox.base_url(),
        exports(&sandbox)
    );
    let _ = out.flush();
    drop(out);
    let _ = writeln!(std::io::stderr(), "Ctrl-C stops the sandbox.");
    shutdown_signal().await;
    sandbox.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C, or SIGTERM where there is one.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
