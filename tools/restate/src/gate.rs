//! The tenant's shared 429 gate, consulted right before every send.
//!
//! The gate's truth is the state of the `ThriveGate/{tenantId}` virtual
//! object in Restate: one number, the time (ms since the Unix epoch) until
//! which the tenant's calls must wait. Every call checks it *inside* its
//! journaled side effect, immediately before the HTTP call, and a 429 closes
//! it *inside* the same side effect, before the step's outcome is journaled.
//!
//! Both go to the Restate server's **admin API**, not to a handler, so the
//! gate needs no service deployment to be up: a handler invocation is routed
//! to the newest deployment, and a dead newest deployment would stall every
//! worker's gate (and with it every sync, wherever it runs).
//!
//! - **check**: the later of this process's own gate (closed the instant it
//!   sees a 429) and the object's state, read with the admin SQL API
//!   (`POST /query`, table `state`). A read at most [`SHARED_FRESH`] old is
//!   reused. Closed → the step sends nothing and journals the time left; the
//!   handler sleeps durably. A read that fails makes the step wait and try
//!   again, never send blind and never fail.
//! - **close**: on a 429 the process closes its own gate at once, then
//!   writes the object's state with the admin API
//!   (`POST /services/ThriveGate/state`, applied by the server without any
//!   deployment) and waits for the write to be accepted, so the gate is
//!   closed for every process before the step returns. The state only moves
//!   forward: the write is the later of what this process last read and the
//!   new time.
//!
//! What this cannot stop: a call that passed its check before the 429 was
//! answered (already on the wire, or between the check and the send) — at
//! most the time the close takes to apply plus one check's latency (and
//! [`SHARED_FRESH`]). The gate is wall-clock time, so workers on several
//! machines need clocks kept in step (NTP); skew adds to the slack.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a 429 closes the tenant's gate (Thrive documents no
/// `Retry-After`; the wait doubles on each 429 in a row, up to
/// [`GATE_MAX`]).
pub const GATE_BASE: Duration = Duration::from_secs(1);
/// The longest a single 429 closes the gate.
pub const GATE_MAX: Duration = Duration::from_secs(30);
/// How old a read of the shared gate may be and still be used for the
/// next call of the same process (the calls of a multi-call step come a few
/// milliseconds apart; reading before each would add a round trip to each).
pub const SHARED_FRESH: Duration = Duration::from_millis(20);
/// How long one admin API call of the gate may take.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(5);
/// The virtual object holding the gate, and its state key.
pub(crate) const GATE_SERVICE: &str = "ThriveGate";
pub(crate) const GATE_KEY: &str = "gateUntil";

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

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The shared gate could not be read: the step must wait and check again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckError(pub(crate) String);

/// One tenant's gate as this process knows it.
#[derive(Debug, Default, Clone, Copy)]
struct Known {
    /// Until when this process holds the tenant's calls (its own 429s and
    /// the shared state it last read).
    until: u64,
    /// When the shared state was last read.
    read_at: Option<Instant>,
}

/// One process's view of the tenants' gates: its own, and the shared one
/// through the Restate admin API.
pub(crate) struct Gate {
    /// The Restate admin API (`http://host:9070`); `None` keeps the gate to
    /// this process (the unit tests).
    admin: Option<reqwest::Url>,
    http: reqwest::Client,
    known: Mutex<HashMap<String, Known>>,
}

impl Gate {
    /// A gate shared through the Restate admin API at `admin`.
    pub(crate) fn shared(admin: reqwest::Url) -> Self {
        Self {
            admin: Some(admin),
            ..Self::local()
        }
    }

    /// A gate kept to this process.
    pub(crate) fn local() -> Self {
        Self {
            admin: None,
            http: reqwest::Client::builder()
                .timeout(ADMIN_TIMEOUT)
                .build()
                .unwrap_or_default(),
            known: Mutex::default(),
        }
    }

    fn known(&self, tenant: &str) -> Known {
        let gates = self.known.lock().unwrap_or_else(|e| e.into_inner());
        gates.get(tenant).copied().unwrap_or_default()
    }

    /// Moves this process's gate for `tenant` to `until` unless it is
    /// already closed for longer (and notes a fresh shared read); returns
    /// the gate's time.
    fn hold(&self, tenant: &str, until: u64, read: bool) -> u64 {
        let mut gates = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let slot = gates.entry(tenant.to_owned()).or_default();
        slot.until = slot.until.max(until);
        if read {
            slot.read_at = Some(Instant::now());
        }
        slot.until
    }

    /// How long the tenant's calls must still wait (`None`: open): the
    /// later of this process's gate and the shared one. An error means the
    /// shared gate could not be read; the caller must not send.
    pub(crate) async fn check(&self, tenant: &str) -> Result<Option<u64>, CheckError> {
        let known = self.known(tenant);
        let fresh = known.read_at.is_some_and(|at| at.elapsed() < SHARED_FRESH);
        let until = match &self.admin {
            Some(admin) if !fresh => {
                let shared = self.read_shared(admin, tenant).await?;
                self.hold(tenant, shared, true)
            }
            _ => known.until,
        };
        let now = now_ms();
        Ok((until > now).then(|| until - now))
    }

    /// The shared gate's time from the object's state (0: never closed).
    async fn read_shared(&self, admin: &reqwest::Url, tenant: &str) -> Result<u64, CheckError> {
        let sql = format!(
            "SELECT value_utf8 FROM state WHERE service_name = '{GATE_SERVICE}' \
             AND service_key = '{}' AND key = '{GATE_KEY}'",
            tenant.replace('\'', "''")
        );
        let read = async {
            let response = self
                .http
                .post(endpoint(admin, &["query"]))
                .header("accept", "application/json")
                .json(&serde_json::json!({ "query": sql }))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status();
            let body: serde_json::Value = response.json().await.map_err(|e| e.to_string())?;
            if !status.is_success() {
                return Err(format!("answered {status}: {body}"));
            }
            parse_rows(&body)
        };
        read.await.map_err(|e| {
            CheckError(format!(
                "the shared 429 gate could not be read through Restate's admin API at {admin}: {e}"
            ))
        })
    }

    /// Closes the tenant's gate for the wait after the `attempt`-th 429 in a
    /// row: this process's at once, then the shared one (waiting for Restate
    /// to accept it). Returns the wait in ms. A shared close that fails is
    /// logged: this process still holds back, and the step waits too.
    pub(crate) async fn close(&self, tenant: &str, attempt: u32) -> u64 {
        let wait = millis(gate_wait(attempt));
        let until = self.hold(tenant, now_ms().saturating_add(wait), false);
        let Some(admin) = &self.admin else {
            return wait;
        };
        let body = serde_json::json!({
            "object_key": tenant,
            "new_state": { GATE_KEY: until.to_string().into_bytes() },
        });
        let url = endpoint(admin, &["services", GATE_SERVICE, "state"]);
        let closed = async {
            let response = self.http.post(url).json(&body).send().await?;
            response.error_for_status().map(drop)
        };
        match closed.await {
            Ok(()) => tracing::info!(tenant, until, "429: closed the shared gate"),
            Err(e) => {
                tracing::warn!(tenant, error = %e, "429: the shared gate could not be closed; this process holds back")
            }
        }
        wait
    }
}

/// The gate time in a `/query` answer: `{"rows": [{"value_utf8": "123"}]}`,
/// no row when the gate was never closed.
fn parse_rows(body: &serde_json::Value) -> Result<u64, String> {
    let rows = body
        .get("rows")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| format!("no `rows` in {body}"))?;
    let Some(row) = rows.first() else {
        return Ok(0);
    };
    row.get("value_utf8")
        .and_then(serde_json::Value::as_str)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("`value_utf8` is not a number of ms in {row}"))
}

/// `{admin}/{segments...}`, each segment percent-encoded.
fn endpoint(admin: &reqwest::Url, segments: &[&str]) -> reqwest::Url {
    let mut url = admin.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_wait_doubles_and_is_capped() {
        let waits: Vec<u64> = (1..=8).map(|n| gate_wait(n).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[test]
    fn the_endpoint_encodes_the_tenant() {
        let admin = reqwest::Url::parse("http://127.0.0.1:9070").expect("url");
        assert_eq!(
            endpoint(&admin, &["services", "acme/eu 1", "state"]).as_str(),
            "http://127.0.0.1:9070/services/acme%2Feu%201/state"
        );
    }

    #[test]
    fn query_rows_are_read_as_the_gate_time() {
        let row = serde_json::json!({"rows": [{"value_utf8": "1765000000000"}]});
        assert_eq!(parse_rows(&row), Ok(1_765_000_000_000));
        assert_eq!(parse_rows(&serde_json::json!({"rows": []})), Ok(0));
        assert_eq!(
            parse_rows(&serde_json::json!({"rows": [{"value_utf8": "soon"}]})),
            Err(r#"`value_utf8` is not a number of ms in {"value_utf8":"soon"}"#.to_owned())
        );
        assert!(parse_rows(&serde_json::json!({"message": "no"})).is_err());
    }

    #[tokio::test]
    async fn a_429_closes_the_gate_for_this_process_at_once() {
        let gate = Gate::local();
        assert_eq!(gate.check("acme").await, Ok(None), "open at first");
        let wait = gate.close("acme", 2).await;
        assert_eq!(wait, 2000, "the second 429 in a row waits 2 s");
        let Ok(Some(left)) = gate.check("acme").await else {
            panic!("the gate is closed")
        };
        assert!((1900..=2000).contains(&left), "{left}");
        // Another tenant's gate is its own.
        assert_eq!(gate.check("globex").await, Ok(None));
    }

    #[tokio::test]
    async fn an_unreadable_shared_gate_is_an_error_not_an_open_gate() {
        // Nothing listens on port 9 of loopback (discard is not served).
        let gate = Gate::shared(reqwest::Url::parse("http://127.0.0.1:9").expect("url"));
        let Err(CheckError(message)) = gate.check("acme").await else {
            panic!("an unreadable gate must not read as open")
        };
        assert!(
            message.starts_with(
                "the shared 429 gate could not be read through Restate's admin API at http://127.0.0.1:9/"
            ),
            "{message}"
        );
    }
}
