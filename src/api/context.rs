//! The execution [`Context`]: what every step shares besides its input.

use super::auth;
use super::host::{HostPolicy, Origin};
use super::retry::RetryPolicy;
use super::{ApiRequest, ApiVersion, Progress, ProgressFn};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Everything a step needs besides its input: the shared HTTP client,
/// the host policy, timeouts, the retry policy, the OAuth token cache, the
/// per-host rate-limit gates and concurrency caps.
///
/// Create one per process and clone it freely (clones share everything).
/// To cancel a running step, drop its future.
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    hosts: HostPolicy,
    timeout: Duration,
    retry: RetryPolicy,
    max_concurrent_per_host: Option<usize>,
    tokens: auth::TokenCache,
    /// 429 gates by origin, then tenant: looked up with borrowed keys, so
    /// a call allocates nothing to find its gate.
    gates: Arc<Mutex<HashMap<Origin, HashMap<String, Instant>>>>,
    semaphores: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    endpoints: Arc<Mutex<HashMap<Origin, Arc<Endpoint>>>>,
    /// What each `host` input resolved to under this context's policy, by
    /// the text given (`""` for absent), for REST and for user API calls:
    /// a call looks its host up instead of parsing and checking it again.
    resolved: Arc<Mutex<[Resolved; 2]>>,
    progress: Option<ProgressFn>,
    /// HTTP attempts started (handed to the HTTP client) through this
    /// context and its copies, so a host interrupted mid-step can tell whether anything
    /// may have reached Thrive.
    started: Arc<std::sync::atomic::AtomicU64>,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("hosts", &self.inner.hosts)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field(
                "max_concurrent_per_host",
                &self.inner.max_concurrent_per_host,
            )
            .finish_non_exhaustive()
    }
}

impl Context {
    /// A context with default settings and `THRIVE_ALLOWED_HOSTS` read from
    /// the environment.
    pub fn from_env() -> Self {
        Self::builder().hosts(HostPolicy::from_env()).build()
    }

    /// A builder with defaults: 30 s per attempt, 10 s to connect, the
    /// default [`RetryPolicy`], region hosts only, no concurrency cap.
    pub fn builder() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// The host policy.
    pub fn hosts(&self) -> &HostPolicy {
        &self.inner.hosts
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn tokens(&self) -> &auth::TokenCache {
        &self.inner.tokens
    }

    /// How many HTTP requests this context has handed to its HTTP client
    /// (token fetches excluded). When it is unchanged across an interrupted
    /// step, nothing of that step reached Thrive; when it grew, the request
    /// was (or may have been) sent.
    pub fn requests_started(&self) -> u64 {
        self.inner.started.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(crate) fn note_request_started(&self) {
        self.inner
            .started
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    pub(crate) fn report(&self, progress: Progress) {
        if let Some(f) = &self.inner.progress {
            f(progress);
        }
    }

    /// Until when calls for `tenant` on `origin` must wait after a 429 (the
    /// gate of one tenant on one host holds back every call that shares it).
    pub(crate) fn gate_until(&self, tenant: &str, origin: &Origin) -> Option<Instant> {
        let gates = self.inner.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates
            .get(origin)
            .and_then(|tenants| tenants.get(tenant))
            .copied()
            .filter(|t| *t > Instant::now())
    }

    /// Holds every call for `tenant` on `origin` back until `until`.
    pub(crate) fn close_gate(&self, tenant: &str, origin: &Origin, until: Instant) {
        let mut gates = self.inner.gates.lock().unwrap_or_else(|e| e.into_inner());
        let slot = gates
            .entry(origin.clone())
            .or_default()
            .entry(tenant.to_owned())
            .or_insert(until);
        if *slot < until {
            *slot = until;
        }
    }

    /// The base URL of `origin`, formatted and parsed once per context: a
    /// call then only sets its path and query on a copy, instead of
    /// formatting the origin and parsing (and IDNA-checking) the host
    /// again. At most [`MAX_ENDPOINTS`] origins are kept; beyond that (a
    /// host policy with that many allowed hosts in use) they are built per
    /// call, as before.
    pub(crate) fn endpoint(&self, origin: &Origin) -> Result<Arc<Endpoint>, crate::Error> {
        let mut map = self
            .inner
            .endpoints
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(found) = map.get(origin) {
            return Ok(found.clone());
        }
        let endpoint = Arc::new(Endpoint::new(origin.clone())?);
        if map.len() < MAX_ENDPOINTS {
            map.insert(origin.clone(), endpoint.clone());
        }
        Ok(endpoint)
    }

    /// Where a call of `version` with the `host` input goes: the host
    /// resolved under this context's policy ([`HostPolicy::resolve_for`])
    /// with its parsed base URL. Each host text is parsed and checked once
    /// per context (at most [`MAX_ENDPOINTS`] of them are kept); a refused
    /// host is checked again each time, so its error is always fresh.
    pub(crate) fn resolve(
        &self,
        host: Option<&str>,
        version: ApiVersion,
    ) -> Result<Arc<Endpoint>, crate::Error> {
        let slot = usize::from(version == ApiVersion::UserApi);
        let key = host.unwrap_or("");
        {
            let resolved = self
                .inner
                .resolved
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(found) = resolved[slot].get(key) {
                return Ok(found.clone());
            }
        }
        let origin = self.hosts().resolve_for(host, version)?;
        let endpoint = self.endpoint(&origin)?;
        let mut resolved = self
            .inner
            .resolved
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if resolved[slot].len() < MAX_ENDPOINTS {
            resolved[slot].insert(key.to_owned(), endpoint.clone());
        }
        Ok(endpoint)
    }

    /// The concurrency limiter for an origin, when a cap is configured.
    pub(crate) fn limiter(&self, origin: &str) -> Option<Arc<Semaphore>> {
        let cap = self.inner.max_concurrent_per_host?;
        let mut map = self
            .inner
            .semaphores
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        Some(
            map.entry(origin.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(cap.max(1))))
                .clone(),
        )
    }

    /// A copy of this context that reports progress to `f` (sharing the
    /// client, caches and gates).
    pub fn with_progress(&self, f: ProgressFn) -> Self {
        let i = &self.inner;
        Self {
            inner: Arc::new(Inner {
                http: i.http.clone(),
                hosts: i.hosts.clone(),
                timeout: i.timeout,
                retry: i.retry.clone(),
                max_concurrent_per_host: i.max_concurrent_per_host,
                tokens: i.tokens.clone(),
                gates: i.gates.clone(),
                semaphores: i.semaphores.clone(),
                endpoints: i.endpoints.clone(),
                resolved: i.resolved.clone(),
                progress: Some(f),
                started: i.started.clone(),
            }),
        }
    }
}

/// Host texts and what they resolved to, for one kind of call.
type Resolved = HashMap<String, Arc<Endpoint>>;

/// How many parsed origins a [`Context`] keeps (see `Context::endpoint`).
const MAX_ENDPOINTS: usize = 64;

/// An origin's base URL, as text (for call metadata and the per-host
/// limiter) and parsed (the template each call's URL is copied from).
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// The origin.
    pub(crate) origin: Origin,
    /// `https://public.api.learn.link`, no trailing slash.
    pub(crate) base: String,
    /// The same, parsed.
    url: reqwest::Url,
}

impl Endpoint {
    fn new(origin: Origin) -> Result<Self, crate::Error> {
        let base = origin.base_url();
        let url = reqwest::Url::parse(&base).map_err(|e| {
            crate::Error::new(
                crate::ErrorCode::HostNotAllowed,
                format!("{base} is not a valid base URL: {e}"),
            )
        })?;
        Ok(Self { origin, base, url })
    }

    /// The URL of `request` on this origin. Path and query come encoded
    /// from the request (spaces as `%20`, as Thrive's docs show them); the
    /// URL parser keeps existing escapes as they are.
    pub(crate) fn url_for(&self, request: &ApiRequest) -> reqwest::Url {
        let mut url = self.url.clone();
        url.set_path(&request.full_path());
        let query = request.encoded_query();
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        url
    }
}

impl Default for Context {
    fn default() -> Self {
        Self::from_env()
    }
}

/// Builds a [`Context`].
#[derive(Clone)]
pub struct ContextBuilder {
    hosts: HostPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_concurrent_per_host: Option<usize>,
    progress: Option<ProgressFn>,
}

impl Default for ContextBuilder {
    fn default() -> Self {
        Self {
            hosts: HostPolicy::regions_only(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            max_concurrent_per_host: None,
            progress: None,
        }
    }
}

impl ContextBuilder {
    /// The host policy (default: region hosts only).
    pub fn hosts(mut self, hosts: HostPolicy) -> Self {
        self.hosts = hosts;
        self
    }

    /// Allows one more origin, e.g. a loopback sandbox.
    pub fn allow_origin(mut self, origin: Origin) -> Self {
        self.hosts = self.hosts.allow(origin);
        self
    }

    /// Timeout of each HTTP attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout for establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// At most `n` requests in flight per host (default: no cap).
    pub fn max_concurrent_per_host(mut self, n: usize) -> Self {
        self.max_concurrent_per_host = Some(n);
        self
    }

    /// A callback for progress on multi-call steps.
    pub fn progress(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }

    /// Builds the context and its HTTP client.
    pub fn build(self) -> Context {
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("thrive-blocks/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Context {
            inner: Arc::new(Inner {
                http,
                hosts: self.hosts,
                timeout: self.timeout,
                retry: self.retry,
                max_concurrent_per_host: self.max_concurrent_per_host,
                tokens: auth::TokenCache::default(),
                gates: Arc::default(),
                semaphores: Arc::default(),
                endpoints: Arc::default(),
                resolved: Arc::default(),
                progress: self.progress,
                started: Default::default(),
            }),
        }
    }
}
