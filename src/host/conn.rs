//! Accepting connections for the servers, with the limits a service needs
//! in production: a cap on open connections, a header-read timeout, an idle
//! keep-alive timeout, and a graceful stop bounded by a grace period.
//!
//! * **Connection cap.** At most [`Limits::max_connections`] connections are
//!   served at once. A connection over the cap is answered `503` with a JSON
//!   error (`code` `unavailable`, `Retry-After: 1`) and closed; when even
//!   that small overflow pool is full, it is closed at once. Nobody hangs.
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

use axum::Router;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper::http::{HeaderValue, StatusCode, header};
use hyper_util::rt::TokioIo;
use serde_json::json;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

/// Connections over the cap that are still answered `503` (beyond these,
/// they are closed without an answer).
const OVERFLOW_ANSWERS: usize = 64;

/// How long a connection over the cap may take to send its request head
/// before it is closed without its `503`.
const OVERFLOW_WITHIN: Duration = Duration::from_secs(2);

/// The longest time kept at the end of the grace period to send the `503`
/// answers of requests that were still running.
const FLUSH_AT_MOST: Duration = Duration::from_secs(1);

/// The connection limits and the grace period of a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time allowed for a request head once it has begun (or, for a new
    /// connection, from its opening).
    pub header_timeout: Duration,
    /// Time a keep-alive connection may stay silent between requests.
    pub idle_timeout: Duration,
    /// Connections served at once; more are answered `503`.
    pub max_connections: usize,
    /// Time given to requests in flight after a stop is asked for.
    pub grace: Duration,
}

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
        if let Ok(permit) = slots.clone().try_acquire_owned() {
            tracker.spawn(serve_connection(
                stream,
                info,
                router.clone(),
                limits,
                signals.clone(),
                permit,
            ));
        } else if let Ok(permit) = overflow.clone().try_acquire_owned() {
            tracing::debug!(peer = %info.peer, "connection over the cap: answering 503");
            tracker.spawn(refuse_connection(stream, limits, permit));
        } else {
            tracing::debug!(peer = %info.peer, "connection over the cap: closed");
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
    _slot: OwnedSemaphorePermit,
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
async fn refuse_connection(stream: TcpStream, limits: Limits, _slot: OwnedSemaphorePermit) {
    let service = hyper::service::service_fn(|_request: hyper::Request<Incoming>| async {
        Ok::<_, Infallible>(busy(
            "the server is serving as many connections as it allows",
        ))
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(limits.header_timeout.min(OVERFLOW_WITHIN), conn).await;
}

/// A `503` answer for a full server: `{"error": {"code": "unavailable", ...}}`
/// with `Retry-After: 1`.
pub fn busy(what: &str) -> Response {
    let body = json!({"error": {
        "code": "unavailable",
        "message": format!("{what}; try again shortly"),
        "retryable": true,
        "attempts": 0,
    }});
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// What a connection is doing, for its timeouts.
struct Activity {
    state: Mutex<ConnState>,
    changed: Notify,
}

struct ConnState {
    /// Requests whose answer is not ready yet.
    in_flight: usize,
    /// Whether a request has been answered on this connection.
    served: bool,
    /// The last answer, the last byte written, or the opening.
    since: Instant,
    /// When the first byte of the next request head arrived.
    head_since: Option<Instant>,
}

/// A request in flight; dropping it marks the answer ready.
struct InFlight(Arc<Activity>);

impl Activity {
    fn new() -> Self {
        Self {
            state: Mutex::new(ConnState {
                in_flight: 0,
                served: false,
                since: Instant::now(),
                head_since: None,
            }),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ConnState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A request head has been read.
    fn begin(self: &Arc<Self>) -> InFlight {
        {
            let mut s = self.lock();
            s.in_flight += 1;
            s.head_since = None;
        }
        self.changed.notify_one();
        InFlight(self.clone())
    }

    /// Bytes arrived from the client.
    fn read(&self) {
        let mut s = self.lock();
        if s.in_flight == 0 && s.head_since.is_none() {
            s.head_since = Some(Instant::now());
            drop(s);
            self.changed.notify_one();
        }
    }

    /// Bytes went to the client.
    fn wrote(&self) {
        self.lock().since = Instant::now();
    }

    /// When the connection must close if nothing changes; `None` while a
    /// request is in flight.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        let s = self.lock();
        if s.in_flight > 0 {
            None
        } else if let Some(head) = s.head_since {
            Some(head + limits.header_timeout)
        } else if s.served {
            Some(s.since + limits.idle_timeout)
        } else {
            Some(s.since + limits.header_timeout)
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        {
            let mut s = self.0.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
            s.served = true;
            s.since = Instant::now();
        }
        self.0.changed.notify_one();
    }
}

/// Completes when the connection has been silent, or slow to send a request
/// head, for longer than its limits allow.
async fn watchdog(activity: Arc<Activity>, limits: Limits) {
    loop {
        let changed = activity.changed.notified();
        match activity.deadline(&limits) {
            None => changed.await,
            Some(at) if at <= Instant::now() => return,
            Some(at) => {
                tokio::select! {
                    () = tokio::time::sleep_until(at) => {}
                    () = changed => {}
                }
            }
        }
    }
}

/// A stream that reports reads and writes to its connection's [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
