//! Watching a connection's activity, for its idle and header timeouts.

use super::limits::Limits;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::Instant;

/// What a connection is doing, for its timeouts.
pub(super) struct Activity {
    pub(super) state: Mutex<ConnState>,
    pub(super) changed: Notify,
}

pub(super) struct ConnState {
    /// Requests whose answer is not ready yet.
    pub(super) in_flight: usize,
    /// Whether a request has been answered on this connection.
    pub(super) served: bool,
    /// The last answer, the last byte written, or the opening.
    pub(super) since: Instant,
    /// When the first byte of the next request head arrived.
    pub(super) head_since: Option<Instant>,
}

/// A request in flight; dropping it marks the answer ready.
pub(super) struct InFlight(Arc<Activity>);

impl Activity {
    pub(super) fn new() -> Self {
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
    pub(super) fn begin(self: &Arc<Self>) -> InFlight {
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
pub(super) async fn watchdog(activity: Arc<Activity>, limits: Limits) {
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
pub(super) struct Watched {
    pub(super) inner: TcpStream,
    pub(super) activity: Arc<Activity>,
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
