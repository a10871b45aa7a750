//! The tenant's 429 gate, shared by every worker through Temporal itself.
//!
//! The gate's truth is a small workflow per tenant, `ThriveGate` with id
//! `thrive-gate-{tenantId}` (in `workflows.py`): its state is one number,
//! the time (ms since the Unix epoch) until which the tenant's calls must
//! wait. Workers read it with the query `gate_until` and close it with the
//! signal `close` (signal-with-start, so the first 429 creates it).
//!
//! - **check**, right before every call: the later of this process's own
//!   gate (closed the instant it sees a 429) and the shared one. A shared
//!   read at most [`SHARED_FRESH`] old is reused (the calls of a step come
//!   milliseconds apart). No gate workflow yet: open (nobody closed it). A
//!   query that fails otherwise: the call is not sent; the activity fails
//!   retryably and Temporal tries it again.
//! - **close**, on a 429: this process's gate at once, then the shared one
//!   (the signal is accepted by the server before the activity fails, so
//!   every worker's next check sees it).
//!
//! What it cannot stop: a call of another worker that passed its check
//! before the signal was accepted (on the wire, or within [`SHARED_FRESH`]
//! of its last read). Clocks of the workers must agree (NTP).

use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use temporalio_client::{
    Client, WorkflowQueryOptions, WorkflowStartOptions, errors::WorkflowQueryError,
};
use temporalio_common::{
    HasWorkflowDefinition, QueryDefinition, SignalDefinition, WorkflowDefinition,
};

/// How long the first 429 closes the gate; it doubles with each 429 in a
/// row of the same activity (its attempt number), up to [`GATE_MAX`].
pub const GATE_BASE: Duration = Duration::from_secs(1);
/// The longest one 429 closes the gate.
pub const GATE_MAX: Duration = Duration::from_secs(30);
/// How old a read of the shared gate may be and still be used.
pub const SHARED_FRESH: Duration = Duration::from_millis(20);
/// The gate workflow's type, query and signal names.
pub const GATE_WORKFLOW: &str = "ThriveGate";

/// The workflow id of a tenant's gate.
pub fn gate_workflow_id(tenant: &str) -> String {
    format!("thrive-gate-{tenant}")
}

/// The gate wait after the `n`-th 429 in a row (1-based).
pub fn gate_wait(n: u32) -> Duration {
    GATE_BASE
        .saturating_mul(1 << n.saturating_sub(1).min(5))
        .min(GATE_MAX)
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateCheck {
    /// Send.
    Open,
    /// Wait this long first.
    Closed(Duration),
    /// The shared gate could not be read: do not send.
    Unreadable(String),
}

/// The `ThriveGate` workflow (written in Python; referred to by name).
struct GateWorkflow;
impl WorkflowDefinition for GateWorkflow {
    type Input = Value;
    type Output = Value;
    fn name(&self) -> &str {
        GATE_WORKFLOW
    }
}
impl HasWorkflowDefinition for GateWorkflow {
    type Run = Self;
}
/// Its query `gate_until` (ms since the epoch; 0: never closed).
struct GateUntil;
impl QueryDefinition for GateUntil {
    type Workflow = GateWorkflow;
    type Input = Value;
    type Output = u64;
    fn name(&self) -> &str {
        "gate_until"
    }
}
/// Its signal `close` (until when, ms since the epoch).
struct Close;
impl SignalDefinition for Close {
    type Workflow = GateWorkflow;
    type Input = u64;
    fn name(&self) -> &str {
        "close"
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Known {
    until: u64,
    read_at: Option<Instant>,
}

/// One worker's view of the tenants' gates.
pub struct Gate {
    /// The Temporal client and the task queue of the gate workflow;
    /// `None` keeps the gate to this process (unit tests).
    shared: Option<(Client, String)>,
    known: Mutex<HashMap<String, Known>>,
}

impl Gate {
    /// A gate shared through the `ThriveGate` workflows on `task_queue`.
    pub fn shared(client: Client, task_queue: String) -> Self {
        Self {
            shared: Some((client, task_queue)),
            known: Mutex::default(),
        }
    }

    /// A gate kept to this process.
    pub fn local() -> Self {
        Self {
            shared: None,
            known: Mutex::default(),
        }
    }

    fn hold(&self, tenant: &str, until: u64, read: bool) -> u64 {
        let mut gates = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let slot = gates.entry(tenant.to_owned()).or_default();
        slot.until = slot.until.max(until);
        if read {
            slot.read_at = Some(Instant::now());
        }
        slot.until
    }

    /// Whether the tenant's calls may be sent now.
    pub async fn check(&self, tenant: &str) -> GateCheck {
        let known = {
            let gates = self.known.lock().unwrap_or_else(|e| e.into_inner());
            gates.get(tenant).copied().unwrap_or_default()
        };
        let fresh = known.read_at.is_some_and(|at| at.elapsed() < SHARED_FRESH);
        let until = match &self.shared {
            Some((client, _)) if !fresh => {
                let handle = client.get_workflow_handle::<GateWorkflow>(gate_workflow_id(tenant));
                match handle
                    .query(GateUntil, Value::Null, WorkflowQueryOptions::default())
                    .await
                {
                    Ok(until) => self.hold(tenant, until, true),
                    Err(WorkflowQueryError::NotFound(_) | WorkflowQueryError::Rejected { .. }) => {
                        self.hold(tenant, 0, true)
                    }
                    Err(e) => return GateCheck::Unreadable(e.to_string()),
                }
            }
            _ => known.until,
        };
        let now = now_ms();
        if until > now {
            GateCheck::Closed(Duration::from_millis(until - now))
        } else {
            GateCheck::Open
        }
    }

    /// Closes the tenant's gate after the `attempt`-th 429 in a row: this
    /// process's at once, then the shared one. Returns the wait.
    pub async fn close(&self, tenant: &str, attempt: u32) -> Duration {
        let wait = gate_wait(attempt.max(1));
        let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        let until = self.hold(tenant, now_ms().saturating_add(millis), false);
        if let Some((client, queue)) = &self.shared {
            let options =
                WorkflowStartOptions::new(queue.clone(), gate_workflow_id(tenant)).build();
            match client
                .signal_with_start_workflow(
                    GateWorkflow,
                    Value::Object(Default::default()),
                    Close,
                    until,
                    options,
                )
                .await
            {
                Ok(_) => tracing::info!(tenant, until, "429: closed the shared gate"),
                Err(e) => {
                    tracing::warn!(tenant, error = %e, "429: the shared gate could not be closed; this worker holds back")
                }
            }
        }
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_wait_doubles_and_is_capped() {
        let waits: Vec<u64> = (1..=8).map(|n| gate_wait(n).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[tokio::test]
    async fn a_429_closes_this_workers_gate_at_once() {
        let gate = Gate::local();
        assert_eq!(gate.check("acme").await, GateCheck::Open);
        assert_eq!(gate.close("acme", 2).await, Duration::from_secs(2));
        let GateCheck::Closed(left) = gate.check("acme").await else {
            panic!("closed")
        };
        assert!(left > Duration::from_millis(1900) && left <= Duration::from_secs(2));
        assert_eq!(gate.check("globex").await, GateCheck::Open, "per tenant");
    }
}
