//! `thrive-blocks sandbox`: a sandbox that keeps its state while it runs
//! (and across restarts with `--state FILE`), for trying several steps that
//! build on each other.
//!
//! It prints the shell exports that point `thrive-blocks run` (and `serve`,
//! `mcp`) at it on standard output, then serves until Ctrl-C or SIGTERM.
//!
//! With `--webhooks-to URL` it also posts Thrive's signed webhooks for
//! every user, completion and assignment change to the receiver at `URL`
//! (a `thrive-blocks serve --store FILE`), signed with
//! `THRIVE_WEBHOOK_SECRET` when that is set, else with a fresh secret it
//! prints as an `export THRIVE_WEBHOOK_SECRET=...` line: a `serve` started
//! with the printed exports then checks the signature and accepts the
//! sandbox's tenant (its `THRIVE_TENANT_ID`).

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
    /// Post signed webhooks for every user, completion and assignment
    /// change to the receiver at URL, e.g. `http://127.0.0.1:8787` for a
    /// `thrive-blocks serve --store FILE` (events go to
    /// URL/webhooks/thrive/{subscription}).
    #[arg(long, value_name = "URL", value_parser = receiver_url)]
    pub webhooks_to: Option<String>,
}

/// The environment variable whose value signs the webhooks (the one
/// `serve` checks them with).
pub const WEBHOOK_SECRET_ENV: &str = "THRIVE_WEBHOOK_SECRET";

/// Checks a `--webhooks-to` value: an `http` or `https` URL with a host and
/// nothing after its path; answers it without a trailing `/`.
fn receiver_url(value: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(value.trim())
        .map_err(|e| format!("{e}; give the receiver's address, e.g. http://127.0.0.1:8787"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("give an http:// or https:// address, e.g. http://127.0.0.1:8787".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(
            "give the receiver's address without a query or fragment, e.g. http://127.0.0.1:8787"
                .into(),
        );
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The webhook targets of every subscription at the receiver `base`, signed
/// with `secret`.
pub fn webhook_config(base: &str, secret: &str) -> thrive_sandbox::WebhookConfig {
    let mut config = thrive_sandbox::WebhookConfig {
        // A receiver started a little after the sandbox still gets the
        // first events: the last retry comes about 25 s after the change.
        max_attempts: 8,
        ..thrive_sandbox::WebhookConfig::default()
    };
    for sub in crate::triggers::Subscription::ALL {
        config = config.target(
            sub.key(),
            format!("{base}/webhooks/thrive/{}", sub.key()),
            Some(secret),
        );
    }
    config
}

/// The exports that point the THRIVE_* connection variables at a sandbox.
pub fn exports(sandbox: &thrive_sandbox::Sandbox) -> String {
    exports_with_secret(sandbox, None)
}

/// [`exports`], with `THRIVE_WEBHOOK_SECRET` before the last line when a
/// fresh webhook secret was made (`THRIVE_ALLOWED_HOSTS` stays last).
fn exports_with_secret(sandbox: &thrive_sandbox::Sandbox, secret: Option<&str>) -> String {
    let cfg = sandbox.config();
    let url = sandbox.base_url();
    let secret = secret
        .map(|s| format!("export {WEBHOOK_SECRET_ENV}={s}\n"))
        .unwrap_or_default();
    format!(
        "export THRIVE_HOST={url}\nexport THRIVE_TENANT_ID={}\nexport THRIVE_API_KEY={}\n\
         {secret}export THRIVE_ALLOWED_HOSTS={url}\n",
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
    // A secret from the environment is the reader's own: it is used, never
    // printed. A fresh one is printed as an export, like the sandbox's key.
    let mut fresh_secret = None;
    let mut webhooks_note = String::new();
    if let Some(base) = &args.webhooks_to {
        let secret = match std::env::var(WEBHOOK_SECRET_ENV) {
            Ok(s) if !s.trim().is_empty() => s.trim().to_owned(),
            _ => fresh_secret
                .insert(uuid::Uuid::new_v4().simple().to_string())
                .clone(),
        };
        sandbox.set_webhooks(webhook_config(base, &secret));
        webhooks_note = format!(
            "# Webhooks of every user, completion and assignment change go to {base}/webhooks/thrive/{{subscription}}, signed with {WEBHOOK_SECRET_ENV}{}.\n",
            if fresh_secret.is_some() {
                " (below)"
            } else {
                " from the environment"
            }
        );
    }
    let mut out = std::io::stdout().lock();
    let _ = write!(
        out,
        "# thrive sandbox on {} ({kept}).\n{webhooks_note}# Paste these lines into another terminal, then use `thrive-blocks run`:\n{}",
        sandbox.base_url(),
        exports_with_secret(&sandbox, fresh_secret.as_deref())
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

#[cfg(test)]
mod tests {
    use super::{receiver_url, webhook_config};

    #[test]
    fn the_receiver_url_is_an_http_address_kept_without_its_trailing_slash() {
        assert_eq!(
            receiver_url("http://127.0.0.1:8787/").as_deref(),
            Ok("http://127.0.0.1:8787")
        );
        assert_eq!(
            receiver_url(" https://hooks.example.com/thrive ").as_deref(),
            Ok("https://hooks.example.com/thrive")
        );
        for bad in [
            "127.0.0.1:8787",
            "ftp://127.0.0.1/",
            "http://127.0.0.1:8787/?x=1",
            "",
        ] {
            let error = receiver_url(bad).unwrap_err();
            assert!(error.contains("http://127.0.0.1:8787"), "{bad}: {error}");
        }
    }

    #[test]
    fn every_subscription_goes_to_the_receiver_signed() {
        let config = webhook_config("http://127.0.0.1:8787", "s3cret");
        assert_eq!(
            config.targets.len(),
            crate::triggers::Subscription::ALL.len()
        );
        for sub in crate::triggers::Subscription::ALL {
            let target = &config.targets[sub.key()];
            assert_eq!(
                target.url,
                format!("http://127.0.0.1:8787/webhooks/thrive/{}", sub.key())
            );
            assert_eq!(target.secret.as_deref(), Some("s3cret"));
        }
        assert!(!format!("{config:?}").contains("s3cret"));
    }
}
