//! # thrive-restate
//!
//! The thrive-blocks catalogue as a [Restate](https://restate.dev) deployment,
//! so tool calls run as durable, journaled steps shared by several workers.
//!
//! Four Restate components, all served by one endpoint ([`endpoint`]):
//!
//! - **`ThriveTools`** (service), handler `run`: runs any tool by id with JSON
//!   input. Reads run here, inside a journaled `ctx.run`; writes are handed to
//!   the tenant's object so they are serialised.
//! - **`ThriveTenant`** (virtual object keyed by tenant id): `write` runs one
//!   write of that tenant at a time (Restate runs one exclusive handler per
//!   key, whichever worker process serves it).
//! - **`ThriveGate`** (virtual object keyed by tenant id): the tenant's
//!   shared 429 gate in Restate state. Every step reads it fresh right
//!   before it sends (`gateUntil`, shared, never queued) and, while it is
//!   closed, sends nothing and waits durably; a 429 seen by any worker
//!   closes it (`closeGate`) for all of them before the step returns. Both
//!   go through Restate's ingress, from inside the step (see [`gate`] for
//!   why, and what a gate cannot stop).
//! - **`AudienceSync`** (workflow keyed by a caller-chosen id): the bulk
//!   member sync of [`thrive_blocks::sync`], with the plan and every chunk
//!   its own journaled step, and a `progress` handler to watch it.
//!
//! Credentials: a request may carry `apiKey` (and `clientId`), but Restate
//! journals request bodies, so the recommended set-up keeps them out of the
//! journal: start the endpoint with `THRIVE_TENANT_ID`, `THRIVE_API_KEY`,
//! `THRIVE_HOST`, ... in its environment and send only the tool inputs.
//!
//! Retries: the endpoint's context makes one attempt per call (its runtime
//! never retries a 429 on its own: a retry there would be a send that never
//! consulted the shared gate). A 429 closes the tenant's shared gate for
//! everyone and the step waits (durably) and tries again; 5xx and transport failures fail the `ctx.run` so Restate
//! retries it with its own backoff; other errors are terminal.
//!
//! Crash safety of writes: a step that crashed after Thrive accepted a write
//! but before its result was journaled runs again. Adding members again is a
//! success at Thrive, removing a member already gone answers 404 (counted as
//! done), and a create whose natural key already exists (a user's `ref`, an
//! audience's `reference`) answers 409: the step then reads the existing
//! record back and returns it as the create's output.

#![warn(missing_docs)]

pub mod gate;

use gate::Gate;
pub use gate::{GATE_BASE, GATE_MAX};
use restate_sdk::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Duration;
use thrive_blocks::catalogue::composite::connection_inputs;
use thrive_blocks::params::Connection;
use thrive_blocks::sync::{MemberSync, StepOutcome, SyncPlan, SyncReport, SyncStep};
use thrive_blocks::{Catalogue, Context as ThriveContext, Error, ErrorCode, RetryPolicy};

/// How many 429s in a row one step accepts before it gives up.
pub const MAX_RATE_LIMITED: u32 = 30;

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
    /// Connection inputs (`tenantId`, `host`, ...); the environment fills
    /// the rest.
    #[serde(default, flatten)]
    pub connection: Map<String, Value>,
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
}

/// The journaled result of one gated step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Outcome<T> {
    /// The call succeeded.
    Done { value: T },
    /// Thrive answered 429; the gate is closed for everyone: wait
    /// `wait_ms`, try again.
    RateLimited {
        #[serde(default, rename = "waitMs")]
        wait_ms: u64,
    },
    /// The tenant's gate was closed: nothing was sent; wait `wait_ms`.
    Closed {
        #[serde(rename = "waitMs")]
        wait_ms: u64,
    },
    /// A terminal failure, as the catalogue's error JSON.
    Failed { error: Value },
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

    /// Runs one tool call and classifies the result for the journal.
    /// Retryable failures (5xx, transport, timeout) are returned as `Err`
    /// so Restate retries the `ctx.run`.
    async fn call(&self, call: &ToolCall) -> Result<Outcome<Value>, HandlerError> {
        let input = Self::with_env(call.input.clone());
        tracing::info!(tool = %call.tool, "thrive tool call");
        match self
            .catalogue
            .execute(&call.tool, input.clone(), &self.ctx)
            .await
        {
            Ok(value) => Ok(Outcome::Done { value }),
            Err(e) if e.code() == ErrorCode::RateLimited => Ok(Outcome::RateLimited { wait_ms: 0 }),
            Err(e) if e.is_retryable() || e.code() == ErrorCode::Upstream => {
                tracing::warn!(tool = %call.tool, error = %e, "retryable failure; Restate retries the step");
                Err(HandlerError::from(e))
            }
            Err(e) if e.code() == ErrorCode::Conflict => {
                match self.read_back(&call.tool, &input).await {
                    Some(Ok(value)) => {
                        tracing::info!(tool = %call.tool, "conflict on the natural key: read the existing record back");
                        Ok(Outcome::Done { value })
                    }
                    Some(Err(read)) if read.is_retryable() => Err(HandlerError::from(read)),
                    _ => Ok(Outcome::Failed { error: e.to_json() }),
                }
            }
            Err(e) => Ok(Outcome::Failed { error: e.to_json() }),
        }
    }

    /// After a 409 on a create with a natural key, the existing record in the
    /// create's output shape; `None` for tools without a natural key.
    async fn read_back(&self, tool: &str, input: &Value) -> Option<Result<Value, Error>> {
        let connection = Value::Object(connection_inputs(input));
        let (read_tool, params, key) = match tool {
            "thrive_create_user" => (
                "thrive_get_user_by_ref",
                json!({"ref": input.get("ref")?.as_str()?}),
                "user",
            ),
            "thrive_create_audience" => (
                "thrive_get_audience",
                json!({"audienceId": input.get("reference")?.as_str()?}),
                "audience",
            ),
            _ => return None,
        };
        let mut read_input = connection;
        if let (Some(map), Value::Object(params)) = (read_input.as_object_mut(), params) {
            map.extend(params);
        }
        Some(
            self.catalogue
                .execute(read_tool, read_input, &self.ctx)
                .await
                .map(|out| json!({ key: out.get(key).cloned().unwrap_or(out) })),
        )
    }
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

/// Runs `$body` (an expression giving `Result<Outcome<T>, HandlerError>`,
/// evaluated inside the step) as a journaled step named `$name`, behind the
/// tenant's shared gate ([`Gate::guard`]: checked right before the send, and
/// closed for everyone on a 429 before the step returns). While the gate is
/// closed the step sends nothing; the handler sleeps durably for the time
/// the step journaled and runs the step again. Evaluates to the step's
/// value; returns the handler's error on a terminal failure or after
/// [`MAX_RATE_LIMITED`] 429s in a row.
///
/// A macro rather than a generic function: the handler contexts are
/// distinct types whose lifetimes a generic helper cannot name.
macro_rules! gated_step {
    ($ctx:expr, $gate:expr, $tenant:expr, $name:expr, $body:expr) => {{
        let mut throttled: u32 = 0;
        loop {
            let attempt = throttled + 1;
            let Json(outcome) = $ctx
                .run(|| async {
                    $gate
                        .guard(&$tenant, attempt, async { $body })
                        .await
                        .map(Json)
                })
                .name($name)
                .await?;
            match outcome {
                Outcome::Done { value } => break value,
                Outcome::Failed { error } => return Err(terminal(error)),
                Outcome::Closed { wait_ms } => {
                    $ctx.sleep(Duration::from_millis(wait_ms)).await?;
                }
                Outcome::RateLimited { wait_ms } => {
                    throttled += 1;
                    if throttled >= MAX_RATE_LIMITED {
                        return Err(
                            TerminalError::new_with_code(429, "Thrive kept answering 429").into(),
                        );
                    }
                    $ctx.sleep(Duration::from_millis(wait_ms)).await?;
                }
            }
        }
    }};
}

/// `ThriveTools`: any tool by id.
pub struct ThriveTools(Shared);

#[restate_sdk::service(name = "ThriveTools", client_visibility = "pub(crate)")]
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
        let value: Value = gated_step!(
            ctx,
            shared.gate,
            tenant,
            call.tool.clone(),
            shared.call(&call).await
        );
        Ok(Json(value))
    }
}

/// `ThriveTenant`: one per tenant; serialises the tenant's writes.
pub struct ThriveTenant(Shared);

#[restate_sdk::object(name = "ThriveTenant", client_visibility = "pub(crate)")]
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
        let value: Value = gated_step!(
            ctx,
            shared.gate,
            tenant,
            call.tool.clone(),
            shared.call(&call).await
        );
        Ok(Json(value))
    }
}

/// `ThriveGate`: one per tenant; holds the tenant's shared 429 gate. Kept
/// apart from `ThriveTenant` so closing or reading the gate never queues
/// behind a running write.
pub struct ThriveGate;

const GATE: &str = "gateUntil";

#[restate_sdk::object(name = "ThriveGate", client_visibility = "pub(crate)")]
impl ThriveGate {
    /// Until when (ms since the epoch) the tenant's calls must wait; 0 when
    /// the gate has never been closed. Runs concurrently with everything.
    #[handler(name = "gateUntil")]
    async fn gate_until(&self, ctx: SharedObjectContext<'_>) -> Result<u64, HandlerError> {
        Ok(ctx.get::<u64>(GATE).await?.unwrap_or(0))
    }

    /// Closes the gate until `until` (ms since the epoch), unless it is
    /// already closed for longer.
    #[handler(name = "closeGate")]
    async fn close_gate(&self, ctx: ObjectContext<'_>, until: u64) -> Result<(), HandlerError> {
        let current = ctx.get::<u64>(GATE).await?.unwrap_or(0);
        if until > current {
            ctx.set(GATE, until);
        }
        Ok(())
    }
}

/// `AudienceSync`: the bulk member sync as a durable workflow.
pub struct AudienceSync(Shared);

const PROGRESS: &str = "progress";

#[restate_sdk::workflow(
    name = "AudienceSync",
    client_visibility = "pub(crate)",
    invocation_retry_policy(initial_interval = "200ms", factor = 2.0, max_interval = "2s")
)]
impl AudienceSync {
    /// Plans the sync (one journaled step: every page of members read, the
    /// difference computed), then runs each chunk as its own journaled step.
    /// After a crash Restate replays the journal: journaled steps are not
    /// sent again; the step that was running is.
    #[handler(name = "run")]
    async fn run(
        &self,
        ctx: WorkflowContext<'_>,
        req: Json<SyncRequest>,
    ) -> Result<Json<SyncReport>, HandlerError> {
        let req = req.into_inner();
        let input = Shared::with_env(Value::Object(req.connection.clone()));
        let connection = connection_inputs(&input);
        let tenant = tenant_of(&input)?;
        let sync = MemberSync::new(self.0.catalogue, &self.0.ctx, connection);
        let audience = req.audience_id.as_str();
        let users = req.users.as_slice();
        ctx.set(
            PROGRESS,
            Json(SyncProgress {
                phase: "planning".into(),
                ..Default::default()
            }),
        );

        let plan: SyncPlan = gated_step!(
            ctx,
            self.0.gate,
            tenant,
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
            let name = match step {
                SyncStep::Add { index, .. } => format!("add-{index}"),
                SyncStep::Remove { index, .. } => format!("remove-{index}"),
            };
            let outcome: StepOutcome = gated_step!(
                ctx,
                self.0.gate,
                tenant,
                name.clone(),
                classify(sync.run_step(audience, step).await)
            );
            progress.done += 1;
            progress.added += outcome.added;
            progress.removed += outcome.removed + outcome.already_absent;
            progress.failed += outcome.failures.len();
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
}

/// Sorts a sync step's result into journal outcomes (see [`Shared::call`]).
fn classify<T>(result: Result<T, Error>) -> Result<Outcome<T>, HandlerError> {
    match result {
        Ok(value) => Ok(Outcome::Done { value }),
        Err(e) if e.code() == ErrorCode::RateLimited => Ok(Outcome::RateLimited { wait_ms: 0 }),
        Err(e) if e.is_retryable() || e.code() == ErrorCode::Upstream => Err(HandlerError::from(e)),
        Err(e) => Ok(Outcome::Failed { error: e.to_json() }),
    }
}

/// The Restate endpoint serving `ThriveTools`, `ThriveTenant`,
/// `ThriveGate` and `AudienceSync`. Serve it with `restate_sdk::http_server::HttpServer`.
///
/// `ingress` is the Restate server's ingress (e.g. `http://127.0.0.1:8080`):
/// every step reads and closes the tenant's shared 429 gate through it,
/// right before and right after its call (see [`gate`]).
pub fn endpoint(ingress: reqwest::Url) -> restate_sdk::endpoint::Endpoint {
    let shared = Shared::new(Gate::shared(ingress));
    Endpoint::builder()
        .bind(ThriveTools(shared.clone()))
        .bind(ThriveTenant(shared.clone()))
        .bind(ThriveGate)
        .bind(AudienceSync(shared))
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
        let outcome = shared.call(&call).await.expect("not a retryable error");
        assert!(
            matches!(outcome, Outcome::RateLimited { .. }),
            "{outcome:?}"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 1, "one attempt, no retry");
    }

    #[test]
    fn a_terminal_error_keeps_thrive_status() {
        let e = Error::from_response(
            404,
            &json!({"status": 404, "error": "Not Found", "message": "User not found"}),
        );
        let outcome = classify::<()>(Err(e)).expect("not retryable");
        let Outcome::Failed { error } = outcome else {
            panic!("a 404 is a terminal failure")
        };
        assert_eq!(error["error"]["status"], 404);
        let rate = Error::from_response(429, &json!({}));
        assert!(matches!(
            classify::<()>(Err(rate)),
            Ok(Outcome::RateLimited { .. })
        ));
        let upstream = Error::from_response(503, &json!({}));
        assert!(
            classify::<()>(Err(upstream)).is_err(),
            "a 5xx is retried by Restate"
        );
    }
}
