//! Starting the embedded sandbox, and listeners that could not be bound.

use crate::api::ProgressFn;
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorCode};
#[cfg(feature = "sandbox")]
use crate::params::Connection;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Starts the embedded sandbox with its default demo tenant on a free
/// loopback port.
#[cfg(feature = "sandbox")]
pub(super) async fn start_sandbox() -> Result<thrive_sandbox::Sandbox, Error> {
    thrive_sandbox::Sandbox::start(thrive_sandbox::SandboxConfig::default())
        .await
        .map_err(|e| {
            Error::new(
                ErrorCode::Transport,
                format!("could not start the sandbox: {e}"),
            )
        })
}

/// The embedded sandbox's connection: its tenant and key, at its address.
#[cfg(feature = "sandbox")]
pub(super) fn sandbox_connection(sandbox: &thrive_sandbox::Sandbox) -> Connection {
    let cfg = sandbox.config();
    Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone()).with_host(sandbox.base_url())
}

/// A progress bar on stderr for steps that fetch pages or send chunks.
pub(super) fn progress_bar() -> ProgressFn {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} items {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    Arc::new(move |p: crate::api::Progress| {
        if let Some(total) = p.total {
            bar.set_length(total);
        }
        bar.set_position(p.done);
        if p.total.is_some_and(|t| p.done >= t) {
            bar.finish_and_clear();
        }
    })
}

pub(super) fn manifests(catalogue: &Catalogue, out: &Path, check: bool) -> Result<ExitCode, Error> {
    let (index, files) = catalogue.manifests();
    let mut wanted: Vec<(PathBuf, String)> = vec![(out.join("index.json"), pretty(&index))];
    for (id, manifest) in files.into_iter().chain(catalogue.trigger_manifests()) {
        wanted.push((out.join(format!("{id}.json")), pretty(&manifest)));
    }
    let io = |e: std::io::Error, p: &Path| {
        Error::new(ErrorCode::Transport, format!("{}: {e}", p.display()))
    };
    if check {
        if !out.is_dir() {
            let _ = writeln!(
                std::io::stderr(),
                "no manifests folder at {}: run this from the repository root, or give --out DIR",
                absolute(out).display()
            );
            return Ok(ExitCode::from(1));
        }
        let mut stale = Vec::new();
        for (path, text) in &wanted {
            if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
        }
        if let Ok(entries) = std::fs::read_dir(out) {
            for entry in entries.flatten() {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "json")
                    && !wanted.iter().any(|(w, _)| *w == p)
                {
                    stale.push(format!("{} (no such tool)", p.display()));
                }
            }
        }
        if stale.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        let _ = writeln!(
            std::io::stderr(),
            "manifests in {} are stale; run `cargo run -- manifests` and commit:\n  {}",
            absolute(out).display(),
            stale.join("\n  ")
        );
        return Ok(ExitCode::from(1));
    }
    std::fs::create_dir_all(out).map_err(|e| io(e, out))?;
    for (path, text) in &wanted {
        std::fs::write(path, text).map_err(|e| io(e, path))?;
    }
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} files to {}",
        wanted.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `path` made absolute against the current directory, for messages.
pub(super) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// A listener that could not be bound: a port in use or a refused address
/// is the operator's to fix, so it is `invalid_input` (exit 2), not a
/// retryable transport failure.
#[cfg(feature = "server")]
pub(super) fn bind_error(addr: std::net::SocketAddr, e: std::io::Error) -> Error {
    let why = match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "the address {addr} is already in use (another process listens there); \
             stop it or choose another port"
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            format!("the address {addr} is not one of this machine's")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!("no permission to listen on {addr} (ports below 1024 need privileges)")
        }
        _ => format!("could not listen on {addr}: {e}"),
    };
    Error::new(ErrorCode::InvalidInput, format!("--bind: {why}"))
}

pub(super) fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
