//! [`Access`]: who may call a server and how much it takes on.

use std::time::Duration;

/// Who may call the server and how much it takes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Host names (without port) accepted in `Host` besides loopback names
    /// and addresses and the address the connection came in on; `*` accepts any.
    pub allowed_hosts: Vec<String>,
    /// Browser origins (`scheme://host[:port]`) allowed besides the server's
    /// own; `*` allows any.
    pub allowed_origins: Vec<String>,
    /// The deadline of one request, from its head to its answer.
    pub request_timeout: Duration,
    /// Runs executing at once; more are answered 503.
    pub max_runs: usize,
    /// The largest body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Time for a body to arrive whole, from the end of its head (408 after).
    pub body_timeout: Duration,
    /// Bytes per second a slow body must keep up beyond `body_timeout`: it
    /// gets one more second per `min_body_rate` bytes.
    pub min_body_rate: u64,
    /// Whether [`check`](super::check) reads bodies (and refuses those over the limit);
    /// `false` for a route that reads and answers them itself (MCP, with
    /// [`read_body`](super::read_body)).
    pub read_bodies: bool,
}
