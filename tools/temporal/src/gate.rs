//! The tenant's 429 gate, shared by every worker through Temporal itself.
//!
//! The gate's truth is a small workflow per tenant, `ThriveGate` with id
//! `thrive-gate-{tenantId}` (in `workflows.py`): one number, the time (ms
//! since the Unix epoch) until which the tenant's calls must wait. A 429
//! closes it with the signal `close` (signal-with-start, so the first 429
//! creates it); people can read it with the query `gate_until`.
//!
//! - **check**, right before every call: the later of this process's own
//!   gate (closed the instant it sees a 429) and the shared one, read from
//!   the gate workflow's newest history events on the server (the latest
//!   `close` signal), not with a query: a signal is in the history as soon
//!   as the server accepts it, while a query answers only once the
//!   workflow worker has processed it (hundreds of ms on a busy machine).
//!   A shared read at most [`SHARED_FRESH`] old is reused (the calls of a
//!   step come milliseconds apart). No gate workflow yet: open (nobody
//!   closed it). A read that fails otherwise: the call is not sent; the
//!   activity fails retryably and Temporal tries it again.
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
use temporalio_client::{Client, WorkflowStartOptions};
use temporalio_common::{HasWorkflowDefinition, SignalDefinition, WorkflowDefinition};

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
/// Its signal `close` (until when, ms since the epoch).
struct Close;
impl SignalDefinition for Close {
    type Workflow = GateWorkflow;
    type Input = u64;
    fn name(&self) -> &str {
        "close"
    }
}

/// The shared gate's time, read from the gate workflow's history on the
/// server (its newest events, newest first): the latest `close` signal, or
/// the input it was continued with. Signals are written to the history
/// when the server accepts them, so this sees a close at once, without
/// waiting for the workflow worker to process it (a query would). No gate
/// workflow yet: 0 (never closed).
async fn read_shared(client: &Client, tenant: &str) -> Result<u64, String> {
    use temporalio_client::NamespacedClient;
    use temporalio_client::grpc::WorkflowService;
    use temporalio_common::protos::temporal::api::common::v1::WorkflowExecution;
    use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;
    use temporalio_common::protos::temporal::api::workflowservice::v1::GetWorkflowExecutionHistoryReverseRequest;
    let request = GetWorkflowExecutionHistoryReverseRequest {
        namespace: client.namespace(),
        execution: Some(WorkflowExecution {
            workflow_id: gate_workflow_id(tenant),
            run_id: String::new(),
        }),
        maximum_page_size: 50,
        next_page_token: Vec::new(),
    };
    let mut grpc = client.clone();
    let events = match WorkflowService::get_workflow_execution_history_reverse(
        &mut grpc,
        temporalio_client::tonic::Request::new(request),
    )
    .await
    {
        Ok(response) => response
            .into_inner()
            .history
            .map(|h| h.events)
            .unwrap_or_default(),
        Err(status) if status.code() == temporalio_client::tonic::Code::NotFound => return Ok(0),
        Err(status) => return Err(status.message().to_owned()),
    };
    let first_number =
        |payloads: &Option<temporalio_common::protos::temporal::api::common::v1::Payloads>| {
            let data = &payloads.as_ref()?.payloads.first()?.data;
            serde_json::from_slice::<Value>(data).ok()
        };
    let mut until = 0;
    for event in events {
        match event.attributes {
            Some(Attributes::WorkflowExecutionSignaledEventAttributes(a))
                if a.signal_name == "close" =>
            {
                until = until.max(first_number(&a.input).and_then(|v| v.as_u64()).unwrap_or(0));
            }
            Some(Attributes::WorkflowExecutionStartedEventAttributes(a)) => {
                let started = first_number(&a.input).and_then(|v| v["until"].as_u64());
                until = until.max(started.unwrap_or(0));
            }
            _ => {}
        }
    }
    Ok(until)
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
            Some((client, _)) if !fresh => match read_shared(client, tenant).await {
                Ok(until) => self.hold(tenant, until, true),
                Err(reason) => return GateCheck::Unreadable(reason),
            },
            _ => known.until,
        };
        let now = now_ms();
        if until > now {
            GateCheck::Closed(Duration::from_millis(until - now))
        } else {
            GateCheck::Open
        }
    }

    /// Closes the tenant's gate after the `attempt`-th 429 in a row, for the
    /// gate's own wait or `at_least` (Thrive's `Retry-After`), whichever is
    /// longer: this process's at once, then the shared one. Returns the wait.
    pub async fn close(&self, tenant: &str, attempt: u32, at_least: Duration) -> Duration {
        let wait = gate_wait(attempt.max(1)).max(at_least);
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
        assert_eq!(
            gate.close("acme", 2, Duration::ZERO).await,
            Duration::from_secs(2)
        );
        // Thrive's Retry-After, when longer, is the wait.
        assert_eq!(
            gate.close("acme", 1, Duration::from_secs(7)).await,
            Duration::from_secs(7)
        );
        let GateCheck::Closed(left) = gate.check("acme").await else {
            panic!("closed")
        };
        assert!(left > Duration::from_millis(6900) && left <= Duration::from_secs(7));
        assert_eq!(gate.check("globex").await, GateCheck::Open, "per tenant");
    }
}
