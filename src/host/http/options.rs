//! [`ServerOptions`]: the token, who may call, limits and timeouts, and
//! their defaults.

use crate::host::server::conn::Limits;
use crate::host::server::guard::Access;
use crate::params::Connection;
use std::fmt;
use std::time::Duration;

/// The largest request body accepted: 1 MiB. Larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The environment variable `thrive-blocks serve` reads the shared secret
/// from. [`router`](super::router) and [`serve`](super::serve) never read the environment themselves.
pub const SERVER_TOKEN_ENV: &str = "THRIVE_BLOCKS_SERVER_TOKEN";

/// The default grace period of a stop: 30 s.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);
/// The default time allowed for a request head: 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time a keep-alive connection may stay silent: 60 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default deadline of one request: 300 s (a `returnAll` of many pages
/// takes a while).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(300);
/// The default cap on open connections: 512.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// The default time for a request body to arrive whole: 10 s (plus a
/// second per [`DEFAULT_MIN_BODY_RATE`] bytes).
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// The default slowest body accepted: 64 KiB per second beyond
/// [`DEFAULT_BODY_TIMEOUT`] (a 1 MiB body gets 26 s).
pub const DEFAULT_MIN_BODY_RATE: u64 = 64 * 1024;
/// The default cap on runs executing at once: 128.
pub const DEFAULT_MAX_RUNS: usize = 128;

/// Options of the server beyond the catalogue and the context: the token,
/// who may call ([`ServerOptions::allowed_hosts`],
/// [`ServerOptions::allowed_origins`]), limits and timeouts. See
/// [`crate::host::server::guard`] and [`crate::host::server::conn`] for what each does.
///
/// `Debug` never shows the token.
#[derive(Clone)]
pub struct ServerOptions {
    /// A shared secret: when set, every endpoint except `/healthz`, `/ui`,
    /// `/ui/assets/*` (no data) and the HMAC-signed webhook receiver
    /// requires `Authorization: Bearer <token>` and answers 401 otherwise.
    pub token: Option<String>,
    /// Host names accepted in `Host` besides loopback names and addresses
    /// and the address a connection came in on; `*` accepts any.
    pub allowed_hosts: Vec<String>,
    /// Foreign browser origins allowed (`scheme://host[:port]`); `*` allows any.
    pub allowed_origins: Vec<String>,
    /// Time requests in flight get to finish after a stop is asked for.
    pub grace: Duration,
    /// Time allowed for a request head, from its first byte.
    pub header_timeout: Duration,
    /// Time a keep-alive connection may stay silent between requests.
    pub idle_timeout: Duration,
    /// The deadline of one request, from its head to its answer (504 past it).
    pub request_timeout: Duration,
    /// Connections served at once; more are answered 503.
    pub max_connections: usize,
    /// Connections one client (peer address; an IPv6 /64) may hold at once;
    /// more are answered 503. `None`: a quarter of `max_connections`.
    pub max_connections_per_client: Option<usize>,
    /// Time allowed for a request body, from its head to its last byte
    /// (408 past it), plus one second per [`ServerOptions::min_body_rate`]
    /// bytes of the body.
    pub body_timeout: Duration,
    /// The slowest body accepted beyond `body_timeout`, in bytes per second.
    pub min_body_rate: u64,
    /// Runs (`POST /tools/{id}/run`) executing at once; more are answered 503.
    pub max_runs: usize,
    /// The connection used by requests that give no connection input at
    /// all (`serve --sandbox`, or the operator's `THRIVE_*` variables). A
    /// request's own connection always wins and is never mixed with it.
    pub default_connection: Option<Connection>,
    /// The webhook receiver: when set, `POST /webhooks/thrive/{subscription}`
    /// and `GET /events` are served (see [`crate::host::events::webhooks`]).
    pub webhooks: Option<crate::triggers::Receiver>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            token: None,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            grace: DEFAULT_GRACE,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_connections_per_client: None,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            min_body_rate: DEFAULT_MIN_BODY_RATE,
            max_runs: DEFAULT_MAX_RUNS,
            default_connection: None,
            webhooks: None,
        }
    }
}

impl ServerOptions {
    /// Returns the options with the shared-secret `token` required.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The connection limits and grace period these options set.
    pub fn limits(&self) -> Limits {
        Limits {
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            max_connections: self.max_connections,
            max_connections_per_client: self.max_connections_per_client,
            grace: self.grace,
        }
    }

    /// The request checks these options set.
    pub fn access(&self) -> Access {
        Access {
            allowed_hosts: self.allowed_hosts.clone(),
            allowed_origins: self.allowed_origins.clone(),
            request_timeout: self.request_timeout,
            max_runs: self.max_runs,
            max_body_bytes: MAX_BODY_BYTES,
            body_timeout: self.body_timeout,
            min_body_rate: self.min_body_rate,
            read_bodies: true,
        }
    }

    /// Returns the options with `connection` as the default connection.
    pub fn with_default_connection(mut self, connection: Connection) -> Self {
        self.default_connection = Some(connection);
        self
    }
}

impl fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerOptions")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("allowed_hosts", &self.allowed_hosts)
            .field("allowed_origins", &self.allowed_origins)
            .field("limits", &self.limits())
            .field("request_timeout", &self.request_timeout)
            .field("max_runs", &self.max_runs)
            .field("default_connection", &self.default_connection)
            .field("webhooks", &self.webhooks.is_some())
            .finish()
    }
}
