//! Accepting connections for the servers, with the limits a service needs
//! in production: a cap on open connections, a header-read timeout, an idle
//! keep-alive timeout, and a graceful stop bounded by a grace period.
//!
//! * **Connection cap.** At most [`Limits::max_connections`] connections are
//!   served at once. A connection over the cap is answered `503` with a JSON
//!   error (`code` `unavailable`, `Retry-After: 1`) and closed; when even
//!   that small overflow pool is full, it is closed at once. Nobody hangs.
//! * **Per-client cap.** One client (a peer IPv4 address, or an IPv6 /64)
//!   holds at most [`Limits::max_connections_per_client`] of those
//!   connections, so a client that opens (and reopens) connections without
//!   end cannot take every slot: its extra connections are answered `503`
//!   the same way while other clients are served. The server's bearer token
//!   is one shared secret, so a per-token cap would be the global cap; the
//!   per-client cap applies with or without it.
//! * **Header-read timeout.** A request's head (request line and headers)
//!   must arrive within [`Limits::header_timeout`] of its first byte (of the
//!   connection's opening, for the first request); otherwise the connection
//!   is closed. A client that sends half a request line and waits holds its
//!   connection no longer than that.
//! * **Idle timeout.** A keep-alive connection with no request in flight and
//!   no bytes in either direction for [`Limits::idle_timeout`] is closed.
//! * **Graceful stop.** When the shutdown future completes the listener is
//!   closed (no new connections), idle connections are closed, and requests
//!   in flight run on and are answered (their connections then close).
//!   Whatever still runs when [`Limits::grace`] is nearly over is answered
//!   `503` (`unavailable`: the server stopped before the step finished), and
//!   at the end of the grace period every remaining connection is dropped,
//!   so a slow or half-sent request never holds the stop back.

use crate::host::server::refusal::Refusal;
use axum::Router;
use axum::response::{IntoResponse, Response};
use clients::{ClientSlot, Clients};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
pub use limits::Limits;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;
use watch::{Activity, Watched, watchdog};

mod clients;
mod limits;
mod watch;

/// Connections over the cap that are still answered `503` (beyond these,
/// they are closed without an answer).
const OVERFLOW_ANSWERS: usize = 64;

/// How long a connection over the cap may take to send its request head
/// before it is closed without its `503`.
const OVERFLOW_WITHIN: Duration = Duration::from_secs(2);

/// The longest time kept at the end of the grace period to send the `503`
/// answers of requests that were still running.
const FLUSH_AT_MOST: Duration = Duration::from_secs(1);

/// Where a request came in: the local address its connection was accepted
/// on, and the peer. Added to every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnInfo {
    /// The address the client connected to.
    pub local: SocketAddr,
    /// The client's address.
    pub peer: SocketAddr,
}

/// Cancelled when the grace period is nearly over: handlers still running
/// answer `503`. Added to every request's extensions.
#[derive(Debug, Clone)]
pub struct Stopping(pub CancellationToken);

/// The signals of a stop, shared by every connection task.
#[derive(Clone, Default)]
struct Signals {
    /// Stop keep-alive; finish the requests in flight.
    draining: CancellationToken,
    /// Answer what still runs with `503`.
    stopping: CancellationToken,
    /// Drop every connection.
    kill: CancellationToken,
}

/// Serves `router` on `listener` with `limits` until `shutdown` completes,
/// then stops gracefully within `limits.grace` (see the module docs).
pub async fn serve_router<F>(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: F,
) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let fallback_local = listener.local_addr()?;
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let clients = Clients::new(limits.per_client());
    let overflow = Arc::new(Semaphore::new(OVERFLOW_ANSWERS));
    let signals = Signals::default();
    let tracker = TaskTracker::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) if is_per_connection(&e) => continue,
            Err(e) => {
                // E.g. too many open files: wait a little instead of spinning.
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(Duration::from_millis(100)) => continue,
                }
            }
        };
        let info = ConnInfo {
            local: stream.local_addr().unwrap_or(fallback_local),
            peer,
        };
        let admitted = match clients.admit(info.peer.ip()) {
            Ok(client) => match slots.clone().try_acquire_owned() {
                Ok(permit) => Ok((permit, client)),
                Err(_) => Err("the server is serving as many connections as it allows"),
            },
            Err(()) => {
                Err("this client has as many connections open as the server allows one client")
            }
        };
        if let Ok(slot) = admitted {
            tracker.spawn(serve_connection(
                stream,
                info,
                router.clone(),
                limits,
                signals.clone(),
                slot,
            ));
        } else if let (Err(what), Ok(permit)) = (admitted, overflow.clone().try_acquire_owned()) {
            tracing::debug!(peer = %info.peer, what, "connection refused: answering 503");
            tracker.spawn(refuse_connection(stream, limits, permit, what));
        } else {
            tracing::debug!(peer = %info.peer, "connection refused: closed");
            drop(stream);
        }
    }
    drop(listener);
    tracker.close();
    signals.draining.cancel();
    let flush = FLUSH_AT_MOST.min(limits.grace / 4);
    let answered = tokio::time::timeout(limits.grace - flush, tracker.wait())
        .await
        .is_ok();
    if !answered {
        tracing::warn!(
            grace = ?limits.grace,
            "requests still running at the end of the grace period: answering them 503"
        );
        signals.stopping.cancel();
        let _ = tokio::time::timeout(flush, tracker.wait()).await;
        signals.kill.cancel();
    }
    Ok(())
}

/// Accept errors that concern one connection only.
fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection until it ends, times out, or the stop drops it.
async fn serve_connection(
    stream: TcpStream,
    info: ConnInfo,
    router: Router,
    limits: Limits,
    signals: Signals,
    _slot: (OwnedSemaphorePermit, ClientSlot),
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let stopping = signals.stopping.clone();
    let tracked = activity.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(info);
        request.extensions_mut().insert(Stopping(stopping.clone()));
        let in_flight = tracked.begin();
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await;
            drop(in_flight);
            response
        }
    });
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    tokio::pin!(conn);
    let watchdog = watchdog(activity, limits);
    tokio::pin!(watchdog);
    tokio::select! {
        result = conn.as_mut() => {
            finished(result, &info);
            return;
        }
        () = &mut watchdog => {
            tracing::debug!(peer = %info.peer, "connection timed out: closed");
            return;
        }
        () = signals.kill.cancelled() => return,
        () = signals.draining.cancelled() => {}
    }
    conn.as_mut().graceful_shutdown();
    tokio::select! {
        result = conn.as_mut() => finished(result, &info),
        () = &mut watchdog => tracing::debug!(peer = %info.peer, "connection timed out: closed"),
        () = signals.kill.cancelled() => {}
    }
}

fn finished(result: Result<(), hyper::Error>, info: &ConnInfo) {
    if let Err(e) = result {
        tracing::debug!(peer = %info.peer, error = %e, "connection ended with an error");
    }
}

/// Answers one request on a connection over the cap with `503`, then closes it.
async fn refuse_connection(
    stream: TcpStream,
    limits: Limits,
    _slot: OwnedSemaphorePermit,
    what: &'static str,
) {
    let service =
        hyper::service::service_fn(move |_request: hyper::Request<Incoming>| async move {
            Ok::<_, Infallible>(busy(what))
        });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(limits.header_timeout.min(OVERFLOW_WITHIN), conn).await;
}

/// A `503` answer for a full server: `{"error": {"code": "unavailable", ...}}`
/// with `Retry-After: 1`.
pub fn busy(what: &str) -> Response {
    Refusal::busy(what).into_response()
}
