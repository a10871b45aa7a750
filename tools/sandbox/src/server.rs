//! The loopback server: a hand-rolled accept loop around hyper's HTTP/1.1
//! connection driver, so a request can make its connection close without a
//! response (the drop fault), and a clean shutdown.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tower_service::Service;

use crate::config::{DemoCredentials, Faults, SandboxConfig};
use crate::fault_plan::OneShotFault;
use crate::faults::ConnControl;
use crate::outbox::WebhookConfig;
use crate::persist::Journal;
use crate::routes;
use crate::seed;
use crate::state::SandboxState;
use crate::stats::Stats;

/// A running sandbox. Dropping it stops the server too; prefer
/// [`Sandbox::shutdown`] to wait until it has stopped.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    config: SandboxConfig,
    state: SandboxState,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` with an OS-chosen port.
    pub async fn start(config: SandboxConfig) -> io::Result<Sandbox> {
        Self::start_on(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts a sandbox on `addr` (port 0 lets the OS choose).
    pub async fn start_on(config: SandboxConfig, addr: SocketAddr) -> io::Result<Sandbox> {
        Self::start_inner(config, addr, None).await
    }

    /// Starts a sandbox on `addr` that keeps its state in the file at
    /// `path`: the changes recorded there are replayed at start, and every
    /// later change is saved to it (see the `persist` module's notes). The
    /// file is created on the first change. A file made with another seed
    /// is refused.
    pub async fn start_with_state(
        config: SandboxConfig,
        addr: SocketAddr,
        path: &std::path::Path,
    ) -> io::Result<Sandbox> {
        let journal = Journal::open(path, &config)?;
        Self::start_inner(config, addr, Some(journal)).await
    }

    async fn start_inner(
        config: SandboxConfig,
        addr: SocketAddr,
        journal: Option<Journal>,
    ) -> io::Result<Sandbox> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = SandboxState::new(config.clone(), seed::tenant(&config));
        let router = routes::router(state.clone());
        let router = match journal {
            Some(journal) => {
                let changes = journal.len().await;
                let router = journal.attach(router, &state).await?;
                tracing::debug!(changes, "thrive sandbox state restored");
                router
            }
            None => router,
        };
        let (shutdown, signal) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, router, signal));
        tracing::debug!(%addr, "thrive sandbox listening");
        Ok(Sandbox {
            addr,
            config,
            state,
            shutdown,
            task: Some(task),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the base URL to give a client (it adds
    /// `/rest/v1/...` and `/oauth2/token/...` itself).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The configuration the sandbox started with (later
    /// [`Sandbox::set_faults`] calls are not reflected here; see
    /// [`SandboxState::faults`]).
    pub fn config(&self) -> &SandboxConfig {
        &self.config
    }

    /// The tenant's credentials.
    pub fn demo_credentials(&self) -> DemoCredentials {
        self.config.demo_credentials()
    }

    /// A handle on the state, for tests to inspect and change it.
    pub fn state(&self) -> SandboxState {
        self.state.clone()
    }

    /// Replaces the fault settings at runtime.
    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }

    /// See [`SandboxState::set_webhooks`].
    pub fn set_webhooks(&self, config: WebhookConfig) {
        self.state.set_webhooks(config);
    }

    /// Queues one-shot faults for the next affected requests.
    pub fn queue_faults(&self, faults: impl IntoIterator<Item = OneShotFault>) {
        self.state.queue_faults(faults);
    }

    /// A snapshot of the request counters.
    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// Zeroes the request counters.
    pub fn reset_stats(&self) {
        self.state.reset_stats();
    }

    /// Stops accepting, lets open requests finish (at most 2 s) and waits
    /// for the server task to end.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

async fn accept_loop(listener: TcpListener, router: Router, mut signal: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = signal.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve_connection(stream, router.clone(), signal.clone()));
                }
                Err(error) => {
                    tracing::warn!(%error, "sandbox: accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
    connections.abort_all();
}

async fn serve_connection(stream: TcpStream, router: Router, mut signal: watch::Receiver<bool>) {
    let control = ConnControl::default();
    let per_request = control.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(per_request.clone());
        let mut router = router.clone();
        async move { router.call(request).await }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, "sandbox: connection error");
            }
        }
        () = control.dropped() => {
            // Returning drops the connection and its socket: no response.
        }
        _ = signal.changed() => {
            connection.as_mut().graceful_shutdown();
            tokio::select! {
                _ = connection.as_mut() => {}
                () = control.dropped() => {}
                () = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
        }
    }
}
