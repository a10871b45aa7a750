//! [`Limits`]: how many connections a server holds and how long it waits.

use std::time::Duration;

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
    /// Connections one client (peer address) may hold at once; more are
    /// answered `503`. `None`: a quarter of `max_connections`.
    pub max_connections_per_client: Option<usize>,
    /// Time given to requests in flight after a stop is asked for.
    pub grace: Duration,
}

impl Limits {
    /// The per-client cap in effect: [`Limits::max_connections_per_client`]
    /// (by default a quarter of [`Limits::max_connections`]), at least 1 and
    /// at most [`Limits::max_connections`].
    pub fn per_client(&self) -> usize {
        let all = self.max_connections.max(1);
        self.max_connections_per_client
            .unwrap_or(all / 4)
            .clamp(1, all)
    }
}
