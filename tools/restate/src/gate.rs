//! The tenant's shared 429 gate, consulted right before every send.
//!
//! The gate's truth is the state of the `ThriveGate/{tenantId}` virtual
//! object in Restate: one number, the time (ms since the Unix epoch) until
//! which the tenant's calls must wait. Every step checks it *inside* its
//! journaled side effect, immediately before the HTTP call, and a 429 closes
//! it *inside* the same side effect, before the step's outcome is journaled:
//!
//! - **check**: the later of this process's own gate (closed the instant it
//!   sees a 429) and the object's state, read fresh through Restate's
//!   ingress (`ThriveGate/{tenantId}/gateUntil`, a shared handler that never
//!   queues). Closed → the step sends nothing and returns
//!   a "closed" outcome with the time left, and the handler sleeps durably.
//! - **close**: on a 429 the process closes its own gate at once, then calls
//!   `ThriveGate/{tenantId}/closeGate` through ingress and waits for it, so
//!   the gate is closed for every process before the step returns.
//!
//! Neither goes through the invocation's journal: a check read through the
//! journal would be answered a journal round trip (or a suspension and
//! replay) before the send, and a close sent after the outcome was journaled
//! leaves the gate open for the round trips in between — the check-then-act
//! gap that let calls through a closed gate.
//!
//! What this cannot stop: a call that passed its check before the 429 was
//! answered (already on the wire, or between the check and the send) — at
//! most the time the close takes to commit plus one check's latency. Calls
//! inside one multi-call step (the sync's 100 removes) are checked once, at
//! the step's start; a 429 inside the step ends the step (the endpoint's
//! runtime makes one attempt per call), so no call of that step follows it.
//! The gate is wall-clock time, so workers on several machines need clocks
//! kept in step (NTP); skew adds to the slack.

use crate::Outcome;
use restate_sdk::errors::HandlerError;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a 429 closes the tenant's gate (Thrive documents no
/// `Retry-After`; the wait doubles on each 429 in a row, up to
/// [`GATE_MAX`]).
pub const GATE_BASE: Duration = Duration::from_secs(1);
/// The longest a single 429 closes the gate.
pub const GATE_MAX: Duration = Duration::from_secs(30);
/// How long one ingress call of the gate may take.
const INGRESS_TIMEOUT: Duration = Duration::from_secs(5);

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The gate wait after the `n`-th 429 in a row (1-based).
pub(crate) fn gate_wait(n: u32) -> Duration {
    GATE_BASE
        .saturating_mul(1 << n.saturating_sub(1).min(5))
        .min(GATE_MAX)
}

/// One process's view of the tenants' gates: its own, and the shared one
/// through Restate's ingress.
pub(crate) struct Gate {
    /// Restate's ingress (`http://host:8080`); `None` keeps the gate to this
    /// process (the unit tests).
    ingress: Option<reqwest::Url>,
    http: reqwest::Client,
    /// Tenant → until when (ms since the epoch) this process holds its calls.
    local: Mutex<HashMap<String, u64>>,
}

impl Gate {
    /// A gate shared through the Restate ingress at `ingress`.
    pub(crate) fn shared(ingress: reqwest::Url) -> Self {
        Self {
            ingress: Some(ingress),
            ..Self::local()
        }
    }

    /// A gate kept to this process.
    pub(crate) fn local() -> Self {
        Self {
            ingress: None,
            http: reqwest::Client::builder()
                .timeout(INGRESS_TIMEOUT)
                .build()
                .unwrap_or_default(),
            local: Mutex::default(),
        }
    }

    /// Runs `call` unless the tenant's gate is closed; closes the gate for
    /// everyone when it answers 429. `attempt` is the step's 429 count plus
    /// one (the wait doubles with it). Sends nothing, and returns
    /// [`Outcome::Closed`], while the gate is closed.
    pub(crate) async fn guard<T>(
        &self,
        tenant: &str,
        attempt: u32,
        call: impl Future<Output = Result<Outcome<T>, HandlerError>>,
    ) -> Result<Outcome<T>, HandlerError> {
        let until = self.closed_until(tenant).await?;
        let now = now_ms();
        if until > now {
            return Ok(Outcome::Closed {
                wait_ms: until - now,
            });
        }
        match call.await? {
            Outcome::RateLimited { .. } => {
                let wait = u64::try_from(gate_wait(attempt).as_millis()).unwrap_or(u64::MAX);
                self.close(tenant, now_ms().saturating_add(wait)).await;
                Ok(Outcome::RateLimited { wait_ms: wait })
            }
            other => Ok(other),
        }
    }

    /// Until when the tenant's calls must wait: the later of this process's
    /// gate and the shared one (read fresh). A shared gate that cannot be
    /// read fails the step (Restate retries it): sending without it could
    /// break the tenant's shared limit.
    async fn closed_until(&self, tenant: &str) -> Result<u64, HandlerError> {
        let shared = match &self.ingress {
            Some(ingress) => {
                let url = handler_url(ingress, tenant, "gateUntil");
                let read = async {
                    let response = self.http.post(url).send().await?.error_for_status()?;
                    response.json::<u64>().await
                };
                read.await.map_err(|e| {
                    HandlerError::from(format!(
                        "the shared 429 gate could not be read through Restate's ingress at {ingress}: {e}"
                    ))
                })?
            }
            None => 0,
        };
        Ok(self.close_locally(tenant, shared))
    }

    /// Closes this process's gate at once, then the shared one (waiting for
    /// Restate to commit it). A close that fails is logged: this process
    /// still holds back, and the step's own wait follows.
    async fn close(&self, tenant: &str, until: u64) {
        self.close_locally(tenant, until);
        let Some(ingress) = &self.ingress else {
            return;
        };
        let url = handler_url(ingress, tenant, "closeGate");
        let closed = async {
            self.http
                .post(url)
                .json(&until)
                .send()
                .await?
                .error_for_status()
                .map(drop)
        };
        match closed.await {
            Ok(()) => tracing::info!(tenant, until, "429: closed the shared gate"),
            Err(e) => {
                tracing::warn!(tenant, error = %e, "429: the shared gate could not be closed; this process holds back")
            }
        }
    }

    /// Moves this process's gate for `tenant` to `until` unless it is
    /// already closed for longer; returns the gate's time.
    fn close_locally(&self, tenant: &str, until: u64) -> u64 {
        let mut gates = self.local.lock().unwrap_or_else(|e| e.into_inner());
        let slot = gates.entry(tenant.to_owned()).or_insert(0);
        *slot = (*slot).max(until);
        *slot
    }
}

/// `{ingress}/ThriveGate/{tenant}/{handler}`, the tenant percent-encoded.
fn handler_url(ingress: &reqwest::Url, tenant: &str, handler: &str) -> reqwest::Url {
    let mut url = ingress.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments
            .pop_if_empty()
            .extend(["ThriveGate", tenant, handler]);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn the_gate_wait_doubles_and_is_capped() {
        let waits: Vec<u64> = (1..=8).map(|n| gate_wait(n).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[test]
    fn the_handler_url_encodes_the_tenant() {
        let ingress = reqwest::Url::parse("http://127.0.0.1:8080").expect("url");
        assert_eq!(
            handler_url(&ingress, "acme/eu 1", "gateUntil").as_str(),
            "http://127.0.0.1:8080/ThriveGate/acme%2Feu%201/gateUntil"
        );
    }

    #[tokio::test]
    async fn a_429_closes_the_gate_and_the_next_call_is_not_sent() {
        let gate = Gate::local();
        let sent = AtomicU32::new(0);
        let call = || async {
            sent.fetch_add(1, Ordering::SeqCst);
            Ok::<_, HandlerError>(Outcome::<()>::RateLimited { wait_ms: 0 })
        };
        let first = gate.guard("acme", 2, call()).await.expect("outcome");
        assert!(
            matches!(first, Outcome::RateLimited { wait_ms: 2000 }),
            "the second 429 in a row waits 2 s"
        );
        let second = gate.guard("acme", 1, call()).await.expect("outcome");
        let Outcome::Closed { wait_ms } = second else {
            panic!("the gate is closed")
        };
        assert!((1900..=2000).contains(&wait_ms), "{wait_ms}");
        assert_eq!(sent.load(Ordering::SeqCst), 1, "nothing sent while closed");
        // Another tenant's gate is its own.
        let other = gate
            .guard("globex", 1, async {
                Ok::<_, HandlerError>(Outcome::Done { value: 7 })
            })
            .await
            .expect("outcome");
        assert!(matches!(other, Outcome::Done { value: 7 }));
    }
}
