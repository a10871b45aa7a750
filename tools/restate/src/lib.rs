//! # thrive-restate
//!
//! The thrive-blocks catalogue as a [Restate](https://restate.dev) deployment,
//! so tool calls run as durable, journaled steps shared by several workers.
//!
//! Five Restate components, all served by one endpoint ([`endpoint`]):
//!
//! - **`ThriveTools`** (service), handler `run`: runs any tool by id with JSON
//!   input. Reads run here, inside a journaled `ctx.run`; writes are handed to
//!   the tenant's object so they are serialised.
//! - **`ThriveTenant`** (virtual object keyed by tenant id): `write` runs one
//!   write of that tenant at a time (Restate runs one exclusive handler per
//!   key, whichever worker process serves it).
//! - **`ThriveGate`** (virtual object keyed by tenant id): its state is the
//!   tenant's shared 429 gate. Steps read and write that state through the
//!   Restate server's admin API, not through a handler, so the gate never
//!   waits for a deployment (see [`gate`]); `gateUntil` shows it.
//! - **`AudienceSync`** (workflow keyed by a caller-chosen id): the bulk
//!   member sync of [`thrive_blocks::sync`], with the plan, every add call
//!   and every [`CALLS_PER_RECORD`] remove calls its own journaled step, and
//!   a `progress` handler to watch it.
//! - **`SyncStart`** (virtual object keyed by the workflow id): `start`
//!   starts an `AudienceSync` and refuses (409) a second start of the same
//!   id with a different input, which Restate's own `/run/send` accepts
//!   silently (`PreviouslyAccepted`).
//!
//! Credentials: a request may carry `apiKey` (and `clientId`), but Restate
//! journals request bodies, so the recommended set-up keeps them out of the
//! journal: start the endpoint with `THRIVE_TENANT_ID`, `THRIVE_API_KEY`,
//! `THRIVE_HOST`, ... in its environment and send only the tool inputs.
//!
//! Failures, and who waits for them (every wait is a durable sleep):
//!
//! - **429**: the endpoint's context makes one attempt per call (its runtime
//!   never retries behind the shared gate's back). A 429 closes the tenant's
//!   gate for every worker ([`GATE_BASE`], doubling on each 429 in a row up
//!   to [`GATE_MAX`]); the step waits and sends the one failed call again.
//!   There is no cap: a tenant that keeps answering 429 makes the step wait,
//!   unless the sync was given a deadline (`deadlineSecs`).
//! - **5xx, transport errors, timeouts** of calls that are safe to send again
//!   (reads, the sync's adds and removes, creates with a natural key), and a
//!   shared gate that cannot be read: the step waits [`RETRY_BASE`], doubling
//!   up to [`RETRY_MAX`], and sends the one failed call again.
//! - **A worker that dies**: Restate retries the invocation on the deployment
//!   it started on (Restate pins it) with [`INVOCATION_RETRY`]'s policy, so a
//!   worker down for hours resumes when it is back.
//! - Everything else (4xx) is terminal, with Thrive's status.
//!
//! Crash safety of writes: a step that crashed after Thrive accepted a write
//! but before its result was journaled runs again. Adding members again is a
//! success at Thrive, removing a member already gone answers 404 (counted as
//! `alreadyAbsent`), and a create whose natural key already exists (a user's
//! `ref`, an audience's `reference`) answers 409: the step then reads the
//! existing record back and returns it only when it matches what was sent;
//! a record that differs is the tool's 409 (`conflict`, with its id).

#![warn(missing_docs)]

pub mod gate;

use gate::{CheckError, Gate, now_ms};
pub use gate::{GATE_BASE, GATE_MAX, SHARED_FRESH};
use restate_sdk::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use thrive_blocks::params::Connection;
use thrive_blocks::sync::{MemberSync, StepOutcome, SyncPlan, SyncReport, SyncStep};
use thrive_blocks::thrive::natural_key;
use thrive_blocks::{Catalogue, Context as ThriveContext, Error, ErrorCode, RetryPolicy};

/// The first wait after a 5xx, a transport error or an unreadable gate.
pub const RETRY_BASE: Duration = Duration::from_millis(500);
/// The longest wait after one of those (the wait doubles in a row).
pub const RETRY_MAX: Duration = Duration::from_secs(30);
/// Remove calls per journal entry of a remove step: progress is recorded
/// after this many calls, and at the first call that fails, so a failure
/// sends only the failed call again and a crash at most this many.
pub const CALLS_PER_RECORD: usize = 20;

/// Restate's retry policy for invocations of every component (set on the
/// services, so it travels with the deployment): what happens when the
/// worker running an invocation dies. The invocation is pinned to the
/// deployment it started on; Restate retries it there, first after
/// `initial`, each wait `factor` times the last up to `max`, for `attempts`
/// attempts (about 2 h 45 min with these numbers), then pauses it (resume
/// with `PATCH /invocations/{id}/resume`, optionally `?deployment=Latest`).
pub const INVOCATION_RETRY: RetryNumbers = RetryNumbers {
    initial: Duration::from_millis(500),
    factor: 2.0,
    max: Duration::from_secs(10),
    attempts: 1000,
};

/// The numbers of a retry policy (see [`INVOCATION_RETRY`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryNumbers {
    /// The first wait.
    pub initial: Duration,
    /// Each wait is this many times the last.
    pub factor: f64,
    /// The longest wait.
    pub max: Duration,
    /// Attempts before the invocation is paused.
    pub attempts: u32,
}

/// A tool call: the tool id and its JSON input (connection inputs may be
/// left out when the endpoint's environment supplies them).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ToolCall {
    /// The tool id, e.g. `thrive_get_user_by_ref`.
    pub tool: String,
    /// The tool's input.
    #[serde(default)]
    pub input: Value,
}

/// The input of the `AudienceSync` workflow: the audience, the complete
/// target list, and connection inputs the environment does not supply.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncRequest {
    /// The audience id or reference.
    pub audience_id: String,
    /// Every user the audience must hold afterwards (emails, refs or ids).
    pub users: Vec<String>,
    /// Give up (terminal error, with the counts so far) once the sync has
    /// run this many seconds and Thrive still answers 429 or 5xx. Without
    /// it the sync waits as long as Thrive refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_secs: Option<u64>,
    /// Connection inputs (`tenantId`, `host`, ...); the environment fills
    /// the rest.
    #[serde(default, flatten)]
    pub connection: Map<String, Value>,
}

impl SyncRequest {
    /// A digest of the request (SHA-256, hex), the same for the same
    /// audience, users (in order), deadline and connection inputs in any
    /// key order.
    pub fn digest(&self) -> String {
        let mut connection: Vec<(&String, &Value)> = self.connection.iter().collect();
        connection.sort_by_key(|(k, _)| *k);
        let canonical = json!([self.audience_id, self.users, self.deadline_secs, connection]);
        let bytes = Sha256::digest(canonical.to_string().as_bytes());
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// What the `progress` handler of `AudienceSync` returns.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// `planning`, `running` or `done`.
    pub phase: String,
    /// Steps whose result is journaled.
    pub done: usize,
    /// Steps in the plan.
    pub total: usize,
    /// Users added so far.
    pub added: usize,
    /// Members removed so far (already-absent ones included).
    pub removed: usize,
    /// Per-user failures so far.
    pub failed: usize,
    /// Thrive's 429s and 5xx answers (and unreadable gates) waited out so
    /// far; each cost one call sent again.
    #[serde(default)]
    pub retried: usize,
}

/// The result of one attempt at a call, as journaled.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Outcome<T> {
    /// The call succeeded.
    Done { value: T },
    /// Thrive answered 429; the gate is closed for everyone: wait
    /// `wait_ms`, try again.
    RateLimited {
        #[serde(rename = "waitMs")]
        wait_ms: u64,
    },
    /// The tenant's gate was closed: nothing was sent; wait `wait_ms`.
    Closed {
        #[serde(rename = "waitMs")]
        wait_ms: u64,
    },
    /// A 5xx, a transport error or timeout of a call safe to send again, or
    /// an unreadable gate: wait (backing off), try again.
    Unavailable { reason: String },
    /// A terminal failure, as the catalogue's error JSON.
    Failed { error: Value },
}

/// One journaled attempt: when it was made and what came of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Attempt<T> {
    #[serde(rename = "atMs")]
    at_ms: u64,
    #[serde(flatten)]
    outcome: Outcome<T>,
}

/// The failures in a row of one call, which set its waits, and the
/// deadline they must not pass.
#[derive(Debug, Default)]
pub(crate) struct Streak {
    /// 429s in a row.
    throttled: u32,
    /// Other retryable failures in a row.
    failed: u32,
    /// Retries so far, all calls of the handler.
    retried: usize,
    /// Give up waiting past this time (ms since the epoch).
    deadline: Option<u64>,
}

/// What the handler does after an attempt.
pub(crate) enum Next<T> {
    /// The call's value.
    Done(T),
    /// Sleep this many ms, then try again.
    Wait(u64),
}

impl Streak {
    fn new(deadline: Option<u64>) -> Self {
        Self {
            deadline,
            ..Self::default()
        }
    }

    /// The 429 count of the next attempt (1-based), which sets how long a
    /// 429 closes the gate.
    fn attempt(&self) -> u32 {
        self.throttled + 1
    }

    /// Folds an attempt in: the value, a wait, or the terminal error (a
    /// terminal failure, or a wait that would pass the deadline).
    fn next<T>(&mut self, attempt: Attempt<T>) -> Result<Next<T>, HandlerError> {
        let (wait, what) = match attempt.outcome {
            Outcome::Done { value } => {
                self.throttled = 0;
                self.failed = 0;
                return Ok(Next::Done(value));
            }
            Outcome::Failed { error } => return Err(terminal(error)),
            Outcome::Closed { wait_ms } => (wait_ms, None),
            Outcome::RateLimited { wait_ms } => {
                self.throttled += 1;
                self.retried += 1;
                (wait_ms, Some((429, "Thrive kept answering 429".to_owned())))
            }
            Outcome::Unavailable { reason } => {
                self.failed += 1;
                self.retried += 1;
                (millis(retry_wait(self.failed)), Some((503, reason)))
            }
        };
        if let (Some(deadline), Some((status, what))) = (self.deadline, what)
            && attempt.at_ms.saturating_add(wait) > deadline
        {
            return Err(TerminalError::new_with_code(
                status,
                format!("the deadline passed while waiting to try again: {what}"),
            )
            .into());
        }
        Ok(Next::Wait(wait))
    }
}

/// The wait after the `n`-th retryable failure in a row (1-based).
pub(crate) fn retry_wait(n: u32) -> Duration {
    RETRY_BASE
        .saturating_mul(1 << n.saturating_sub(1).min(8))
        .min(RETRY_MAX)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The catalogue context of every step: one attempt per call, so the
/// runtime never retries a 429 (or anything else) behind the shared gate's
/// back; the durable loop owns every wait.
fn step_context(hosts: thrive_blocks::HostPolicy) -> ThriveContext {
    ThriveContext::builder()
        .hosts(hosts)
        .retry(RetryPolicy::none())
        .build()
}

/// Shared by every handler of the endpoint.
#[derive(Clone)]
struct Shared {
    catalogue: &'static Catalogue,
    ctx: ThriveContext,
    gate: Arc<Gate>,
}

impl Shared {
    fn new(gate: Gate) -> Self {
        Self::with_context(step_context(thrive_blocks::HostPolicy::from_env()), gate)
    }

    /// `ctx` must make one attempt per call ([`RetryPolicy::none`]): the
    /// durable loop owns every wait after a 429.
    fn with_context(ctx: ThriveContext, gate: Gate) -> Self {
        Self {
            catalogue: Catalogue::global(),
            ctx,
            gate: Arc::new(gate),
        }
    }

    /// `input` with connection inputs filled from the environment.
    fn with_env(input: Value) -> Value {
        match input {
            Value::Object(mut map) => {
                Connection::fill_from_env(&mut map);
                Value::Object(map)
            }
            Value::Null => {
                let mut map = Map::new();
                Connection::fill_from_env(&mut map);
                Value::Object(map)
            }
            other => other,
        }
    }

    /// Runs `call` unless the tenant's gate is closed; closes the gate for
    /// everyone when it answers 429 (`attempt`: the 429 count of this
    /// attempt, 1-based). Sends nothing while the gate is closed or cannot
    /// be read.
    async fn guard<T>(
        &self,
        tenant: &str,
        attempt: u32,
        call: impl Future<Output = Outcome<T>>,
    ) -> Outcome<T> {
        match self.gate.check(tenant).await {
            Err(CheckError(reason)) => return Outcome::Unavailable { reason },
            Ok(Some(wait_ms)) => return Outcome::Closed { wait_ms },
            Ok(None) => {}
        }
        match call.await {
            Outcome::RateLimited { .. } => Outcome::RateLimited {
                wait_ms: self.gate.close(tenant, attempt).await,
            },
            other => other,
        }
    }

    /// Runs one tool call and classifies the result for the journal.
    async fn call(&self, call: &ToolCall) -> Outcome<Value> {
        let input = Self::with_env(call.input.clone());
        tracing::info!(tool = %call.tool, "thrive tool call");
        let keyed = natural_key::key_of(&call.tool).is_some();
        match self
            .catalogue
            .execute(&call.tool, input.clone(), &self.ctx)
            .await
        {
            Ok(value) => Outcome::Done { value },
            Err(e) if e.code() == ErrorCode::RateLimited => Outcome::RateLimited { wait_ms: 0 },
            // A create with a natural key may be sent again after any
            // failure: a copy that reached Thrive answers 409 and is read
            // back and compared.
            Err(e)
                if e.is_retryable()
                    || e.code() == ErrorCode::Upstream
                    || (keyed && matches!(e.code(), ErrorCode::Transport | ErrorCode::Timeout)) =>
            {
                tracing::warn!(tool = %call.tool, error = %e, "retryable failure; the step waits and tries again");
                Outcome::Unavailable {
                    reason: e.to_string(),
                }
            }
            Err(e) if e.code() == ErrorCode::Conflict && keyed => {
                self.read_back(&call.tool, &input, e).await
            }
            Err(e) => Outcome::Failed { error: e.to_json() },
        }
    }

    /// After a 409 on a create with a natural key: the existing record in
    /// the create's output shape when it matches what was sent (an earlier
    /// attempt of this create reached Thrive), else the tool's 409 with the
    /// existing record's id.
    async fn read_back(&self, tool: &str, input: &Value, conflict: Error) -> Outcome<Value> {
        let (Some(key), Ok(connection)) =
            (natural_key::key_of(tool), Connection::from_input(input))
        else {
            return Outcome::Failed {
                error: conflict.to_json(),
            };
        };
        // The get tool of the key, called by type; the comparison is the
        // library's (`thrive_blocks::thrive::natural_key`).
        match natural_key::read_back(&self.ctx, &connection, tool, input).await {
            Some(Ok(natural_key::Existing::Same(value))) => {
                tracing::info!(
                    tool,
                    "409 on the natural key: the existing record is the one sent"
                );
                Outcome::Done { value }
            }
            Some(Ok(differs)) => Outcome::Failed {
                error: differs.conflict(key).unwrap_or(conflict).to_json(),
            },
            Some(Err(e)) if e.code() == ErrorCode::RateLimited => {
                Outcome::RateLimited { wait_ms: 0 }
            }
            Some(Err(e)) if e.is_retryable() || e.code() == ErrorCode::Upstream => {
                Outcome::Unavailable {
                    reason: format!("reading back after a 409: {e}"),
                }
            }
            Some(Err(_)) | None => Outcome::Failed {
                error: conflict.to_json(),
            },
        }
    }

    /// Runs calls of `step` from `leg.next` on, up to [`CALLS_PER_RECORD`]
    /// of them, each right after a gate check, stopping at the first that
    /// fails (or a closed gate); returns how far it got and why it stopped.
    async fn leg(
        &self,
        sync: &MemberSync<'_>,
        tenant: &str,
        audience: &str,
        step: &SyncStep,
        mut leg: Leg,
        attempt: u32,
    ) -> LegAttempt {
        let at_ms = now_ms();
        let end = step.calls().min(leg.next + CALLS_PER_RECORD);
        let mut stop = None;
        while leg.next < end {
            let mut outcome = leg.outcome.clone();
            let sent = self
                .guard(tenant, attempt, async {
                    classify(sync.run_call(audience, step, leg.next, &mut outcome).await)
                })
                .await;
            match sent {
                Outcome::Done { value: () } => {
                    leg.outcome = outcome;
                    leg.next += 1;
                }
                other => {
                    stop = Some(other);
                    break;
                }
            }
        }
        LegAttempt {
            at_ms,
            leg,
            stop: stop.unwrap_or(Outcome::Done { value: () }),
        }
    }
}

/// How far a multi-call step got: what its calls did, and the next call.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Leg {
    outcome: StepOutcome,
    next: usize,
}

/// One journaled leg of a multi-call step: how far it got, and why it
/// stopped (`Done`: it ran its calls).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LegAttempt {
    #[serde(rename = "atMs")]
    at_ms: u64,
    leg: Leg,
    stop: Outcome<()>,
}

/// The tenant key of a tool input (filled from the environment).
fn tenant_of(input: &Value) -> Result<String, TerminalError> {
    Shared::with_env(input.clone())
        .get("tenantId")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            TerminalError::new_with_code(
                400,
                "tenantId: required (in the input or THRIVE_TENANT_ID)",
            )
        })
}

fn terminal(error: Value) -> HandlerError {
    // The catalogue's error JSON is `{"error": {"code", "message", "status", ...}}`.
    let status = error
        .pointer("/error/status")
        .or_else(|| error.get("status"))
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (400..600).contains(s))
        .unwrap_or(500);
    TerminalError::new_with_code(status, error.to_string()).into()
}

/// Runs `$body` (an expression giving an [`Outcome`], evaluated inside the
/// step) as a journaled step named `$name`, behind the tenant's shared gate
/// (checked right before the send, and closed for everyone on a 429 before
/// the step returns), folding each attempt into `$streak` ([`Streak`]).
/// While the gate is closed, after a 429 and after a retryable failure the
/// handler sleeps durably and runs the step again; nothing else is sent
/// again. Evaluates to the step's value; returns the handler's error on a
/// terminal failure or a passed deadline.
///
/// A macro rather than a generic function: the handler contexts are
/// distinct types whose lifetimes a generic helper cannot name.
macro_rules! gated_step {
    ($ctx:expr, $shared:expr, $tenant:expr, $streak:expr, $name:expr, $body:expr) => {{
        loop {
            let attempt = $streak.attempt();
            let Json(journaled) = $ctx
                .run(|| async {
                    let at_ms = now_ms();
                    let outcome = $shared.guard(&$tenant, attempt, async { $body }).await;
                    Ok(Json(Attempt { at_ms, outcome }))
                })
                .name($name)
                .await?;
            match $streak.next(journaled)? {
                Next::Done(value) => break value,
                Next::Wait(ms) => $ctx.sleep(Duration::from_millis(ms)).await?,
            }
        }
    }};
}

/// `ThriveTools`: any tool by id.
pub struct ThriveTools(Shared);

#[restate_sdk::service(
    name = "ThriveTools",
    client_visibility = "pub(crate)",
    invocation_retry_policy(
        initial_interval = "500ms",
        factor = 2.0,
        max_interval = "10s",
        max_attempts = 1000,
        on_max_attempts = "pause"
    )
)]
impl ThriveTools {
    /// Runs the tool `tool` with `input`. Reads run here as one journaled
    /// step (after the tenant's 429 gate opens); writes are forwarded to
    /// `ThriveTenant/{tenantId}/write`, which runs one write per tenant at a
    /// time. Thrive's errors are terminal, with Thrive's status.
    #[handler(name = "run")]
    async fn run(
        &self,
        ctx: Context<'_>,
        call: Json<ToolCall>,
    ) -> Result<Json<Value>, HandlerError> {
        let call = call.into_inner();
        let tool = self
            .0
            .catalogue
            .get(&call.tool)
            .map_err(|e| terminal(e.to_json()))?;
        let tenant = tenant_of(&call.input)?;
        if !tool.meta().hints.read_only {
            return Ok(ctx
                .object_client::<ThriveTenantClient>(tenant)
                .write(Json(call))
                .call()
                .await?);
        }
        let shared = &self.0;
        let mut streak = Streak::new(None);
        let value: Value = gated_step!(
            ctx,
            shared,
            tenant,
            streak,
            call.tool.clone(),
            shared.call(&call).await
        );
        Ok(Json(value))
    }
}

/// `ThriveTenant`: one per tenant; serialises the tenant's writes.
pub struct ThriveTenant(Shared);

#[restate_sdk::object(
    name = "ThriveTenant",
    client_visibility = "pub(crate)",
    invocation_retry_policy(
        initial_interval = "500ms",
        factor = 2.0,
        max_interval = "10s",
        max_attempts = 1000,
        on_max_attempts = "pause"
    )
)]
impl ThriveTenant {
    /// Runs one write tool for this tenant, one at a time per tenant across
    /// every worker, as a journaled step behind the tenant's 429 gate. A 429
    /// closes the gate for every worker; the write waits durably and tries
    /// again.
    #[handler(name = "write")]
    async fn write(
        &self,
        ctx: ObjectContext<'_>,
        call: Json<ToolCall>,
    ) -> Result<Json<Value>, HandlerError> {
        let mut call = call.into_inner();
        let tenant = ctx.key().to_owned();
        if let Value::Object(map) = &mut call.input {
            // The object's key is the tenant.
            map.insert("tenantId".into(), Value::from(tenant.clone()));
        }
        let shared = &self.0;
        let mut streak = Streak::new(None);
        let value: Value = gated_step!(
            ctx,
            shared,
            tenant,
            streak,
            call.tool.clone(),
            shared.call(&call).await
        );
        Ok(Json(value))
    }
}

/// `ThriveGate`: one per tenant; its state (`gateUntil`, ms since the
/// epoch) is the tenant's shared 429 gate, read and written by the steps
/// through Restate's admin API (see [`gate`]).
pub struct ThriveGate;

#[restate_sdk::object(name = "ThriveGate", client_visibility = "pub(crate)")]
impl ThriveGate {
    /// Until when (ms since the epoch) the tenant's calls must wait; 0 when
    /// the gate has never been closed. For people and dashboards: the
    /// steps read the state without a handler.
    #[handler(name = "gateUntil")]
    async fn gate_until(&self, ctx: SharedObjectContext<'_>) -> Result<u64, HandlerError> {
        Ok(ctx.get::<u64>(gate::GATE_KEY).await?.unwrap_or(0))
    }
}

/// `AudienceSync`: the bulk member sync as a durable workflow.
pub struct AudienceSync(Shared);

const PROGRESS: &str = "progress";
const INPUT_DIGEST: &str = "inputDigest";

#[restate_sdk::workflow(
    name = "AudienceSync",
    client_visibility = "pub(crate)",
    invocation_retry_policy(
        initial_interval = "500ms",
        factor = 2.0,
        max_interval = "10s",
        max_attempts = 1000,
        on_max_attempts = "pause"
    )
)]
impl AudienceSync {
    /// Plans the sync (one journaled step: every page of members read, the
    /// difference computed), then runs each add call as its own journaled
    /// step and the remove calls [`CALLS_PER_RECORD`] to a journal entry.
    /// After a crash Restate replays the journal: journaled calls are not
    /// sent again; the ones of the entry that was running are. After a 429
    /// or a 5xx only the call that failed is sent again.
    #[handler(name = "run")]
    async fn run(
        &self,
        ctx: WorkflowContext<'_>,
        req: Json<SyncRequest>,
    ) -> Result<Json<SyncReport>, HandlerError> {
        let req = req.into_inner();
        ctx.set(INPUT_DIGEST, req.digest());
        let input = Shared::with_env(Value::Object(req.connection.clone()));
        let tenant = tenant_of(&input)?;
        let connection =
            Connection::from_input(&input).map_err(|e| TerminalError::new(e.message()))?;
        let shared = &self.0;
        let sync = MemberSync::new(&shared.ctx, connection);
        let audience = req.audience_id.as_str();
        let users = req.users.as_slice();
        let deadline = match req.deadline_secs {
            Some(secs) => {
                let started: u64 = ctx.run(|| async { Ok(now_ms()) }).name("started").await?;
                Some(started.saturating_add(secs.saturating_mul(1000)))
            }
            None => None,
        };
        let mut streak = Streak::new(deadline);
        ctx.set(
            PROGRESS,
            Json(SyncProgress {
                phase: "planning".into(),
                ..Default::default()
            }),
        );

        let plan: SyncPlan = gated_step!(
            ctx,
            shared,
            tenant,
            streak,
            "plan",
            classify(sync.plan(audience, users).await)
        );
        let steps = plan.steps();
        let mut progress = SyncProgress {
            phase: "running".into(),
            total: steps.len(),
            ..Default::default()
        };
        ctx.set(PROGRESS, Json(progress.clone()));

        let mut outcomes: Vec<StepOutcome> = Vec::with_capacity(steps.len());
        for step in &steps {
            let outcome: StepOutcome = match step {
                SyncStep::Add { index, .. } => gated_step!(
                    ctx,
                    shared,
                    tenant,
                    streak,
                    format!("add-{index}"),
                    classify(sync.run_step(audience, step).await)
                ),
                SyncStep::Remove { index, .. } => {
                    let mut leg = Leg {
                        outcome: StepOutcome {
                            index: *index,
                            ..StepOutcome::default()
                        },
                        next: 0,
                    };
                    while leg.next < step.calls() {
                        let attempt = streak.attempt();
                        let from = leg.clone();
                        let Json(journaled) = ctx
                            .run(|| async {
                                Ok(Json(
                                    shared
                                        .leg(&sync, &tenant, audience, step, from, attempt)
                                        .await,
                                ))
                            })
                            .name(format!("remove-{index}@{}", leg.next))
                            .await?;
                        let LegAttempt {
                            at_ms,
                            leg: got,
                            stop,
                        } = journaled;
                        if got.next > leg.next {
                            // Progress breaks a run of failures.
                            streak.next(Attempt {
                                at_ms,
                                outcome: Outcome::Done { value: () },
                            })?;
                        }
                        progress.removed += (got.outcome.removed + got.outcome.already_absent)
                            - (leg.outcome.removed + leg.outcome.already_absent);
                        leg = got;
                        let next = streak.next(Attempt {
                            at_ms,
                            outcome: stop,
                        });
                        progress.retried = streak.retried;
                        ctx.set(PROGRESS, Json(progress.clone()));
                        if let Next::Wait(ms) = next? {
                            ctx.sleep(Duration::from_millis(ms)).await?;
                        }
                    }
                    leg.outcome
                }
            };
            progress.done += 1;
            if matches!(step, SyncStep::Add { .. }) {
                progress.added += outcome.added;
            }
            progress.failed += outcome.failures.len();
            progress.retried = streak.retried;
            ctx.set(PROGRESS, Json(progress.clone()));
            outcomes.push(outcome);
        }
        progress.phase = "done".into();
        ctx.set(PROGRESS, Json(progress));
        Ok(Json(SyncReport::new(&plan, &outcomes, false)))
    }

    /// Where the sync is: steps journaled of all steps, counts so far.
    #[handler(name = "progress")]
    async fn progress(
        &self,
        ctx: SharedWorkflowContext<'_>,
    ) -> Result<Json<SyncProgress>, HandlerError> {
        Ok(ctx
            .get::<Json<SyncProgress>>(PROGRESS)
            .await?
            .unwrap_or_default())
    }

    /// The digest ([`SyncRequest::digest`]) of the input this workflow runs
    /// with; empty before it started.
    #[handler(name = "inputDigest")]
    async fn input_digest(&self, ctx: SharedWorkflowContext<'_>) -> Result<String, HandlerError> {
        Ok(ctx.get::<String>(INPUT_DIGEST).await?.unwrap_or_default())
    }
}

/// `SyncStart`: one per workflow id; starts an `AudienceSync` once.
pub struct SyncStart;

const STARTED: &str = "digest";

#[restate_sdk::object(name = "SyncStart", client_visibility = "pub(crate)")]
impl SyncStart {
    /// Starts the `AudienceSync` workflow whose id is this object's key with
    /// `req`, and answers `{"workflowId", "status": "started"}`. The same
    /// input again answers `"status": "previouslyStarted"`; a different
    /// input is refused with 409 (so is an id already started directly with
    /// `/run/send` and another input). The object remembers an id for good,
    /// while Restate forgets a finished workflow after its retention (a
    /// day), so each run needs a new id.
    #[handler(name = "start")]
    async fn start(
        &self,
        ctx: ObjectContext<'_>,
        req: Json<SyncRequest>,
    ) -> Result<Json<Value>, HandlerError> {
        let req = req.into_inner();
        let id = ctx.key().to_owned();
        let digest = req.digest();
        let known = match ctx.get::<String>(STARTED).await? {
            Some(started) => started,
            None => {
                ctx.workflow_client::<AudienceSyncClient>(id.clone())
                    .input_digest()
                    .call()
                    .await?
            }
        };
        if known.is_empty() {
            ctx.set(STARTED, digest);
            ctx.workflow_client::<AudienceSyncClient>(id.clone())
                .run(Json(req))
                .send();
            return Ok(Json(json!({"workflowId": id, "status": "started"})));
        }
        if known == digest {
            return Ok(Json(
                json!({"workflowId": id, "status": "previouslyStarted"}),
            ));
        }
        Err(TerminalError::new_with_code(
            409,
            format!(
                "workflow `{id}` was already started with a different input (digest {known}, this one {digest}); choose a new workflow id"
            ),
        )
        .into())
    }
}

/// Sorts a sync call's result into journal outcomes: adds, removes and
/// reads may all be sent again, so 5xx, transport errors and timeouts are
/// retried; a 429 closes the gate.
fn classify<T>(result: Result<T, Error>) -> Outcome<T> {
    match result {
        Ok(value) => Outcome::Done { value },
        Err(e) if e.code() == ErrorCode::RateLimited => Outcome::RateLimited { wait_ms: 0 },
        Err(e)
            if e.is_retryable()
                || matches!(
                    e.code(),
                    ErrorCode::Upstream | ErrorCode::Transport | ErrorCode::Timeout
                ) =>
        {
            Outcome::Unavailable {
                reason: e.to_string(),
            }
        }
        Err(e) => Outcome::Failed { error: e.to_json() },
    }
}

/// The Restate endpoint serving `ThriveTools`, `ThriveTenant`,
/// `ThriveGate`, `AudienceSync` and `SyncStart`. Serve it with
/// `restate_sdk::http_server::HttpServer`.
///
/// `admin` is the Restate server's admin API (e.g. `http://127.0.0.1:9070`):
/// every call reads and closes the tenant's shared 429 gate through it,
/// right before and right after it is sent (see [`gate`]).
pub fn endpoint(admin: reqwest::Url) -> restate_sdk::endpoint::Endpoint {
    let shared = Shared::new(Gate::shared(admin));
    Endpoint::builder()
        .bind(ThriveTools(shared.clone()))
        .bind(ThriveTenant(shared.clone()))
        .bind(ThriveGate)
        .bind(AudienceSync(shared))
        .bind(SyncStart)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_429_is_sent_once_and_not_retried_inside_the_step() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let hits = Arc::new(AtomicU32::new(0));
        let counter = hits.clone();
        let app = axum::Router::new().fallback(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", "1"), ("content-type", "application/json")],
                    "{}",
                )
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let origin = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        let hosts = thrive_blocks::HostPolicy::regions_only()
            .allow(thrive_blocks::api::Origin::parse(&origin).expect("origin"));
        let shared = Shared::with_context(step_context(hosts), Gate::local());
        let call = ToolCall {
            tool: "thrive_get_user_by_ref".into(),
            input: json!({"tenantId": "eu-west-2_SandboxDemo", "apiKey": "k", "host": origin, "ref": "EMP-1"}),
        };
        let tenant = "eu-west-2_SandboxDemo";
        let outcome = shared.guard(tenant, 1, shared.call(&call)).await;
        assert!(
            matches!(outcome, Outcome::RateLimited { wait_ms: 1000 }),
            "{outcome:?}"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 1, "one attempt, no retry");
        // The gate is now closed: the next attempt sends nothing.
        let again = shared.guard(tenant, 1, shared.call(&call)).await;
        assert!(matches!(again, Outcome::Closed { .. }), "{again:?}");
        assert_eq!(hits.load(Ordering::SeqCst), 1, "nothing sent while closed");
    }

    #[test]
    fn classify_retries_5xx_and_keeps_thrive_status_on_terminal_errors() {
        let e = Error::from_response(
            404,
            &json!({"status": 404, "error": "Not Found", "message": "User not found"}),
        );
        let Outcome::Failed { error } = classify::<()>(Err(e)) else {
            panic!("a 404 is a terminal failure")
        };
        assert_eq!(error["error"]["status"], 404);
        let rate = Error::from_response(429, &json!({}));
        assert!(matches!(
            classify::<()>(Err(rate)),
            Outcome::RateLimited { .. }
        ));
        let upstream = Error::from_response(503, &json!({}));
        assert!(
            matches!(classify::<()>(Err(upstream)), Outcome::Unavailable { .. }),
            "a 5xx waits and is sent again"
        );
    }

    fn attempt<T>(at_ms: u64, outcome: Outcome<T>) -> Attempt<T> {
        Attempt { at_ms, outcome }
    }

    #[test]
    fn a_streak_waits_without_a_cap_and_gives_up_only_at_the_deadline() {
        let mut streak = Streak::new(None);
        for _ in 0..100 {
            let next = streak
                .next(attempt::<()>(0, Outcome::RateLimited { wait_ms: 30_000 }))
                .expect("no deadline: waits");
            assert!(matches!(next, Next::Wait(30_000)));
        }
        let waits: Vec<u64> = (0..8)
            .map(|_| {
                match streak.next(attempt::<()>(
                    0,
                    Outcome::Unavailable {
                        reason: "503".into(),
                    },
                )) {
                    Ok(Next::Wait(ms)) => ms,
                    _ => panic!("waits"),
                }
            })
            .collect();
        assert_eq!(
            waits,
            vec![500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]
        );
        assert_eq!(streak.retried, 108);
        assert!(matches!(
            streak.next(attempt(0, Outcome::Done { value: 7 })),
            Ok(Next::Done(7))
        ));
        assert_eq!((streak.throttled, streak.failed), (0, 0), "success resets");

        let mut bounded = Streak::new(Some(10_000));
        assert!(matches!(
            bounded.next(attempt::<()>(
                8_000,
                Outcome::RateLimited { wait_ms: 1_000 }
            )),
            Ok(Next::Wait(1_000))
        ));
        let Err(e) = bounded.next(attempt::<()>(
            9_500,
            Outcome::RateLimited { wait_ms: 1_000 },
        )) else {
            panic!("past the deadline")
        };
        let shown = AsRef::<dyn std::error::Error>::as_ref(&e).to_string();
        assert_eq!(
            shown,
            "Terminal error [429]: the deadline passed while waiting to try again: Thrive kept answering 429"
        );
        // A closed gate is not a failure, but its wait still cannot pass
        // the deadline unnoticed: the next 429 ends it.
        assert!(matches!(
            bounded.next(attempt::<()>(9_500, Outcome::Closed { wait_ms: 400 })),
            Ok(Next::Wait(400))
        ));
    }

    #[test]
    fn the_request_digest_ignores_key_order_only() {
        let a: SyncRequest = serde_json::from_value(
            json!({"audienceId": "a1", "users": ["x", "y"], "tenantId": "t", "host": "h"}),
        )
        .expect("request");
        let b: SyncRequest = serde_json::from_value(
            json!({"host": "h", "tenantId": "t", "users": ["x", "y"], "audienceId": "a1"}),
        )
        .expect("request");
        let c: SyncRequest = serde_json::from_value(
            json!({"audienceId": "a1", "users": ["x", "z"], "tenantId": "t", "host": "h"}),
        )
        .expect("request");
        assert_eq!(a.digest(), b.digest());
        assert_ne!(a.digest(), c.digest());
        assert_eq!(a.digest().len(), 64);
    }
}
