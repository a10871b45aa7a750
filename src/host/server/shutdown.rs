//! Stopping a server: the signals that ask for it.
//!
//! Service managers stop a process with `SIGTERM` (systemd, Docker,
//! Kubernetes) and people with `Ctrl-C` (`SIGINT`); both start the same
//! graceful stop. What happens then (no new connections, requests in flight
//! finish within the grace period, then the process exits 0) is the
//! server's part: see [`crate::host::http`].

/// Completes when the process receives `SIGTERM` or `SIGINT` (on platforms
/// without Unix signals: `Ctrl-C`). If a handler cannot be installed, that
/// signal is logged and not waited for.
pub async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())
            .map_err(|e| tracing::warn!(error = %e, "cannot listen for SIGTERM"))
            .ok();
        let mut int = signal(SignalKind::interrupt())
            .map_err(|e| tracing::warn!(error = %e, "cannot listen for SIGINT"))
            .ok();
        let term = async {
            match term.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        let int = async {
            match int.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = term => tracing::info!("SIGTERM received: stopping"),
            () = int => tracing::info!("SIGINT received: stopping"),
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("Ctrl-C received: stopping");
    }
}
