//! # thrive-temporal
//!
//! The thrive-blocks catalogue as [Temporal](https://temporal.io) activities,
//! served by a Rust worker any Temporal workflow can call by activity name,
//! whatever language the workflow is written in.
//!
//! Three activities ([`ThriveActivities`]):
//!
//! - **`run_tool`** `{tool, input} -> output`: any tool by id. The input
//!   carries no credentials: the worker merges its own connection
//!   (`THRIVE_TENANT_ID`, `THRIVE_API_KEY`, `THRIVE_HOST`, ... from its
//!   environment), so nothing secret reaches Temporal's history.
//! - **`sync_plan`** `{audienceId, users} -> SyncPlan`: reads every member
//!   and computes the member sync's plan (no write).
//! - **`sync_step`** `{audienceId, step} -> StepOutcome`: one step of the
//!   plan, call by call, with its progress heartbeated so a retry (on this
//!   worker or another) resumes after the last call it recorded.
//!
//! Thrive's answers become Temporal's retry semantics ([`Failure`]):
//!
//! - **4xx** (bad input, 401/403, 404 on a read, a 409 that is not our own
//!   earlier create): a non-retryable application failure whose type is the
//!   error code (`not_found`, `invalid_input`, ...) and whose details are
//!   the tool's error object (`code`, `message`, `status`, `retryable`,
//!   `delivery`, ...).
//! - **429**: the tenant's shared gate ([`gate`]) is closed for every
//!   worker and the failure is retryable with `next_retry_delay` set to the
//!   gate's wait, so Temporal schedules the next attempt when the gate opens.
//! - **5xx, transport errors, timeouts** of calls that are safe to send
//!   again (reads, member adds and removes, creates with a natural key):
//!   retryable, with the workflow's retry policy's backoff.
//! - **A create whose first attempt may have reached Thrive** (any retry of
//!   `thrive_create_user` / `thrive_create_audience`, e.g. after a
//!   `sent_no_answer` or a worker killed mid-call): the record is read back
//!   by its natural key (`ref`, `reference`) *before* the create is sent
//!   again; a record that matches what was sent is returned as the create's
//!   output, one that differs is the tool's 409. A 409 on the first attempt
//!   is read back the same way, so a retried create never duplicates.
//! - Other writes that may have reached Thrive without an answer are not
//!   retried: non-retryable, with `delivery: sent_no_answer` in the details,
//!   for the workflow to reconcile.
//!
//! Every call makes one attempt ([`thrive_blocks::RetryPolicy::none`]):
//! Temporal owns every wait, so nothing is retried behind the shared gate's
//! back, and every retry is visible in the workflow's history.

#![warn(missing_docs)]

pub mod gate;

use gate::{Gate, GateCheck};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use temporalio_common::error::ApplicationFailure;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use thrive_blocks::params::Connection;
use thrive_blocks::sync::{MemberSync, RequestCount, StepOutcome, SyncPlan, SyncStep};
use thrive_blocks::thrive::natural_key;
use thrive_blocks::{Catalogue, Context as ThriveContext, Delivery, Error, ErrorCode, RetryPolicy};

/// How often a running activity heartbeats while it waits for Thrive or
/// for the gate (Temporal sends them on, throttled to 80 % of the
/// activity's heartbeat timeout).
pub const HEARTBEAT_EVERY: Duration = Duration::from_millis(500);

/// The input of `run_tool`: the tool id and its JSON input, without
/// credentials (the worker's environment supplies the connection).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ToolCall {
    /// The tool id, e.g. `thrive_get_user_by_ref`.
    pub tool: String,
    /// The tool's input.
    #[serde(default)]
    pub input: Value,
}

/// The input of `sync_plan`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanRequest {
    /// The audience id or reference.
    pub audience_id: String,
    /// Every user the audience must hold afterwards (emails, refs or ids).
    pub users: Vec<String>,
}

/// The input of `sync_step`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepRequest {
    /// The audience id or reference (as given to `sync_plan`).
    pub audience_id: String,
    /// One step of the plan.
    pub step: SyncStep,
}

/// What `sync_plan` returns: the plan's counts and its steps (the users
/// are in the steps only, so the history holds each list once).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanOut {
    /// The audience id or reference.
    pub audience_id: String,
    /// Members the audience had.
    pub current: usize,
    /// Distinct users in the target list.
    pub target: usize,
    /// Target users already members.
    pub unchanged: usize,
    /// Target entries naming a user named earlier.
    pub duplicates: usize,
    /// Users to add.
    pub to_add: usize,
    /// Members to remove.
    pub to_remove: usize,
    /// The HTTP calls the plan costs without retries, reads included.
    pub requests: RequestCount,
    /// The steps, adds first.
    pub steps: Vec<SyncStep>,
}

impl PlanOut {
    /// The counts and steps of `plan`.
    pub fn of(plan: &SyncPlan) -> Self {
        Self {
            audience_id: plan.audience_id.clone(),
            current: plan.current,
            target: plan.target,
            unchanged: plan.unchanged,
            duplicates: plan.duplicates,
            to_add: plan.to_add.len(),
            to_remove: plan.to_remove.len(),
            requests: plan.requests(),
            steps: plan.steps(),
        }
    }
}

/// How far a step got: what its calls did, and the next call to make.
/// Heartbeated after every call; a retry starts from the last one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Leg {
    /// What the calls so far did.
    pub outcome: StepOutcome,
    /// The next call (0-based).
    pub next: usize,
}

/// Why a call failed, sorted for Temporal.
#[derive(Debug)]
pub enum Failure {
    /// Thrive answered 429: wait this long (the gate's wait), then retry.
    RateLimited(Duration),
    /// A transient failure of a call safe to send again: retry with the
    /// workflow's backoff.
    Unavailable(Error),
    /// Not retryable: the tool's error.
    Terminal(Error),
    /// The activity was cancelled (the workflow asked, or its heartbeat
    /// timed out on the server).
    Cancelled,
}

impl Failure {
    /// What Temporal records: the failure's type (the error code), whether
    /// it is retryable, the next retry's delay, and its details (the tool's
    /// error object, `error.to_json()["error"]`). `None`: cancelled.
    pub fn parts(self) -> Option<FailureParts> {
        let (error, retryable, delay) = match self {
            Failure::RateLimited(wait) => (
                Error::new(
                    ErrorCode::RateLimited,
                    format!(
                        "Thrive answered 429; the tenant's gate is closed for {} ms",
                        wait.as_millis()
                    ),
                )
                .with_status(429)
                .with_retry(Delivery::Answered, true),
                true,
                Some(wait),
            ),
            Failure::Unavailable(e) => (e, true, None),
            Failure::Terminal(e) => (e, false, None),
            Failure::Cancelled => return None,
        };
        Some(FailureParts {
            type_name: error.code().as_str(),
            message: error.to_string(),
            non_retryable: !retryable,
            next_retry_delay: delay,
            details: error.to_json()["error"].clone(),
        })
    }

    /// The activity's error: an application failure made of [`Failure::parts`].
    pub fn into_activity_error(self) -> ActivityError {
        let Some(p) = self.parts() else {
            return ActivityError::cancelled();
        };
        let failure = ApplicationFailure::builder(p.message)
            .type_name(p.type_name.to_owned())
            .non_retryable(p.non_retryable)
            .maybe_next_retry_delay(p.next_retry_delay)
            .details(p.details)
            .build();
        ActivityError::application(failure)
    }
}

/// The parts of an application failure (see [`Failure::parts`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FailureParts {
    /// The failure type: the error code (`not_found`, `rate_limited`, ...).
    pub type_name: &'static str,
    /// The one-line message.
    pub message: String,
    /// True for 4xx: Temporal does not retry.
    pub non_retryable: bool,
    /// After a 429: the gate's wait, Temporal's next retry delay.
    pub next_retry_delay: Option<Duration>,
    /// The tool's error object.
    pub details: Value,
}

/// Sorts a failed call of the sync (reads, member adds and removes, all
/// safe to send again).
pub fn classify_sync(e: Error) -> Failure {
    match e.code() {
        ErrorCode::RateLimited => Failure::RateLimited(e.retry_after().unwrap_or(Duration::ZERO)),
        ErrorCode::Upstream | ErrorCode::Transport | ErrorCode::Timeout => Failure::Unavailable(e),
        _ if e.is_retryable() => Failure::Unavailable(e),
        _ => Failure::Terminal(e),
    }
}

/// Sorts a failed `run_tool` call: `keyed` is true for creates with a
/// natural key (safe to send again: the retry reads back first).
pub fn classify_tool(e: Error, keyed: bool) -> Failure {
    match e.code() {
        ErrorCode::RateLimited => Failure::RateLimited(e.retry_after().unwrap_or(Duration::ZERO)),
        _ if e.is_retryable() => Failure::Unavailable(e),
        ErrorCode::Upstream | ErrorCode::Transport | ErrorCode::Timeout if keyed => {
            Failure::Unavailable(e)
        }
        // A write that may have reached Thrive, answered with a 5xx: the
        // runtime's rule says it is not safe to send again as is.
        _ => Failure::Terminal(e),
    }
}

/// The connection every call of this worker uses: the worker's
/// environment (`THRIVE_TENANT_ID`, `THRIVE_API_KEY`, `THRIVE_HOST`, ...).
/// The one place that builds it, and the one place that builds a
/// [`MemberSync`] ([`Shared::member_sync`]).
fn env_connection() -> Map<String, Value> {
    let mut map = Map::new();
    Connection::fill_from_env(&mut map);
    map
}

/// Tool input with the worker's connection merged in. Credentials sent in
/// the activity input are refused (they would stay in Temporal's history),
/// and so is a tenant or host other than the worker's.
pub fn merge_connection(input: Value, connection: &Map<String, Value>) -> Result<Value, Error> {
    let mut map = match input {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("input: must be a JSON object, got {other}"),
            ));
        }
    };
    for secret in ["apiKey", "clientSecret", "clientId"] {
        if map.contains_key(secret) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "input.{secret}: credentials are not accepted in activity inputs (they would be stored in Temporal's history); set them in the worker's environment"
                ),
            ));
        }
    }
    // The worker serves one connection: an input naming another tenant or
    // host is refused, so the worker's key never goes with another tenant.
    for (k, v) in connection {
        match map.get(k) {
            Some(given) if given != v => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "input.{k}: this worker serves {v}, not {given}; send it to that connection's task queue"
                    ),
                ));
            }
            _ => {
                map.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Value::Object(map))
}

/// Shared by every activity of the worker.
pub struct Shared {
    catalogue: &'static Catalogue,
    ctx: ThriveContext,
    connection: Map<String, Value>,
    gate: Gate,
    /// Progress of steps whose last attempt ran in this process, by
    /// workflow and activity id: a retry here resumes from it even when
    /// the last heartbeat was throttled.
    legs: Mutex<HashMap<(String, String), Leg>>,
}

impl Shared {
    /// The worker's state: the catalogue with a one-attempt context,
    /// the connection from the environment, and the shared gate.
    pub fn from_env(gate: Gate) -> Self {
        let ctx = ThriveContext::builder()
            .hosts(thrive_blocks::HostPolicy::from_env())
            .retry(RetryPolicy::none())
            .build();
        Self::new(ctx, env_connection(), gate)
    }

    /// `ctx` must make one attempt per call ([`RetryPolicy::none`]).
    pub fn new(ctx: ThriveContext, connection: Map<String, Value>, gate: Gate) -> Self {
        Self {
            catalogue: Catalogue::global(),
            ctx,
            connection,
            gate,
            legs: Mutex::default(),
        }
    }

    /// The member sync for this worker's connection.
    fn member_sync(&self) -> Result<MemberSync<'_>, Failure> {
        let connection = Connection::from_input(&Value::Object(self.connection.clone()))
            .map_err(Failure::Terminal)?;
        Ok(MemberSync::new(&self.ctx, connection))
    }

    fn tenant(&self) -> Result<String, Failure> {
        self.connection
            .get("tenantId")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                Failure::Terminal(Error::new(
                    ErrorCode::InvalidInput,
                    "tenantId: the worker has no THRIVE_TENANT_ID",
                ))
            })
    }

    /// Waits (heartbeating) until the tenant's gate is open.
    async fn wait_for_gate(&self, actx: &ActivityContext, tenant: &str) -> Result<(), Failure> {
        loop {
            match self.gate.check(tenant).await {
                GateCheck::Open => return Ok(()),
                GateCheck::Closed(left) => {
                    tracing::info!(
                        tenant,
                        wait_ms = left.as_millis() as u64,
                        "gate closed; waiting"
                    );
                    heartbeat_sleep(actx, left).await?;
                }
                GateCheck::Unreadable(reason) => {
                    return Err(Failure::Unavailable(Error::new(
                        ErrorCode::Upstream,
                        format!("the tenant's 429 gate could not be read: {reason}"),
                    )));
                }
            }
        }
    }

    /// A 429: closes the gate for every worker, for the gate's own wait or
    /// Thrive's `Retry-After` (`server`), whichever is longer; the failure
    /// carries the wait as the next retry's delay.
    async fn rate_limited(&self, tenant: &str, attempt: u32, server: Duration) -> Failure {
        Failure::RateLimited(self.gate.close(tenant, attempt, server).await)
    }

    /// `run_tool`'s body: gate, call, read-back for keyed creates.
    pub async fn run_tool(&self, actx: &ActivityContext, call: ToolCall) -> Result<Value, Failure> {
        let tool = self.catalogue.get(&call.tool).map_err(Failure::Terminal)?;
        let read_only = tool.meta().hints.read_only;
        let input = merge_connection(call.input, &self.connection).map_err(Failure::Terminal)?;
        let tenant = self.tenant()?;
        let attempt = actx.info().attempt.max(1);
        let key = natural_key::key_of(&call.tool);
        if let (Some(key), true) = (key, attempt > 1 && !read_only) {
            // An earlier attempt may have created the record: look first.
            self.wait_for_gate(actx, &tenant).await?;
            match self.read_back(actx, &call.tool, &input).await? {
                Some(Ok(natural_key::Existing::Absent)) | None => {}
                Some(Ok(found)) => return Self::settle(found, key, None),
                Some(Err(e)) => return Err(self.sort(e, &tenant, attempt, true).await),
            }
        }
        self.wait_for_gate(actx, &tenant).await?;
        // Long list (returnAll) and chunked write calls report their
        // progress; it goes out with the heartbeats.
        let progress = Arc::new(Mutex::new(Value::Null));
        let ctx = self.ctx.with_progress(Arc::new({
            let progress = progress.clone();
            move |p: thrive_blocks::api::Progress| {
                *progress.lock().unwrap_or_else(|e| e.into_inner()) =
                    json!({"done": p.done, "total": p.total});
            }
        }));
        let sent = with_progress_heartbeats(
            actx,
            Some(&progress),
            self.catalogue.execute(&call.tool, input.clone(), &ctx),
        )
        .await?;
        match sent {
            Ok(out) => Ok(out),
            Err(e) if e.code() == ErrorCode::Conflict && key.is_some() => {
                let Some(key) = key else {
                    return Err(Failure::Terminal(e));
                };
                match self.read_back(actx, &call.tool, &input).await? {
                    Some(Ok(found)) => Self::settle(found, key, Some(e)),
                    None => Err(Failure::Terminal(e)),
                    Some(Err(read)) => Err(self.sort(read, &tenant, attempt, true).await),
                }
            }
            Err(e) => Err(self.sort(e, &tenant, attempt, key.is_some()).await),
        }
    }

    async fn sort(&self, e: Error, tenant: &str, attempt: u32, keyed: bool) -> Failure {
        match classify_tool(e, keyed) {
            Failure::RateLimited(server) => self.rate_limited(tenant, attempt, server).await,
            other => other,
        }
    }

    /// The record under the create's natural key, read back by type and
    /// compared with what the create sends (`thrive_blocks::thrive::natural_key`);
    /// `None` when the input holds no key.
    async fn read_back(
        &self,
        actx: &ActivityContext,
        tool: &str,
        input: &Value,
    ) -> Result<Option<Result<natural_key::Existing, Error>>, Failure> {
        let connection = Connection::from_input(input).map_err(Failure::Terminal)?;
        with_heartbeats(
            actx,
            natural_key::read_back(&self.ctx, &connection, tool, input),
        )
        .await
    }

    /// What a keyed create's step comes to once the record under its key is
    /// known: the record when it is the one sent, else the 409 (Thrive's
    /// own when there is one and no other record was found).
    fn settle(
        found: natural_key::Existing,
        key: &str,
        conflict: Option<Error>,
    ) -> Result<Value, Failure> {
        match found {
            natural_key::Existing::Same(value) => {
                tracing::info!(
                    key,
                    "the record with this natural key is the one sent; not sending the create again"
                );
                Ok(value)
            }
            other => Err(Failure::Terminal(
                other.conflict(key).or(conflict).unwrap_or_else(|| {
                    Error::new(
                        ErrorCode::Conflict,
                        format!("no {key} holds this natural key"),
                    )
                }),
            )),
        }
    }

    /// `sync_plan`'s body.
    pub async fn plan(&self, actx: &ActivityContext, req: PlanRequest) -> Result<PlanOut, Failure> {
        let tenant = self.tenant()?;
        self.wait_for_gate(actx, &tenant).await?;
        let sync = self.member_sync()?;
        match with_heartbeats(actx, sync.plan(&req.audience_id, &req.users)).await? {
            Ok(plan) => Ok(PlanOut::of(&plan)),
            Err(e) => Err(match classify_sync(e) {
                Failure::RateLimited(server) => {
                    self.rate_limited(&tenant, actx.info().attempt, server)
                        .await
                }
                other => other,
            }),
        }
    }

    /// `sync_step`'s body: the step's calls from the last recorded one on,
    /// each after a gate check, heartbeating the progress after each.
    pub async fn step(
        &self,
        actx: &ActivityContext,
        req: StepRequest,
    ) -> Result<StepOutcome, Failure> {
        let tenant = self.tenant()?;
        let info = actx.info();
        let slot = (
            format!(
                "{}/{}",
                info.workflow_id.clone().unwrap_or_default(),
                info.workflow_run_id.clone().unwrap_or_default()
            ),
            info.activity_id.clone(),
        );
        let from_heartbeat: Option<Leg> = actx.heartbeat_details().deserialize().ok().flatten();
        let from_here = self
            .legs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&slot)
            .cloned();
        let mut leg = [from_heartbeat, from_here]
            .into_iter()
            .flatten()
            .max_by_key(|l| l.next)
            .unwrap_or_else(|| Leg {
                outcome: StepOutcome {
                    index: req.step.index(),
                    ..StepOutcome::default()
                },
                next: 0,
            });
        if leg.next > 0 {
            tracing::info!(
                step = req.step.index(),
                resume_at = leg.next,
                "resuming a step"
            );
        }
        let sync = self.member_sync()?;
        while leg.next < req.step.calls() {
            if actx.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            self.wait_for_gate(actx, &tenant).await?;
            let mut outcome = leg.outcome.clone();
            let sent = with_heartbeats(
                actx,
                sync.run_call(&req.audience_id, &req.step, leg.next, &mut outcome),
            )
            .await?;
            match sent {
                Ok(()) => {
                    leg.outcome = outcome;
                    leg.next += 1;
                    self.legs
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(slot.clone(), leg.clone());
                    let _ = actx.record_heartbeat(leg.clone()).await;
                }
                Err(e) => {
                    return Err(match classify_sync(e) {
                        Failure::RateLimited(server) => {
                            self.rate_limited(&tenant, info.attempt, server).await
                        }
                        other => other,
                    });
                }
            }
        }
        self.legs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&slot);
        Ok(leg.outcome)
    }
}

/// Runs `call`, heartbeating every [`HEARTBEAT_EVERY`] while it runs;
/// gives up (cancelled) when the activity is cancelled.
async fn with_heartbeats<T>(
    actx: &ActivityContext,
    call: impl Future<Output = T>,
) -> Result<T, Failure> {
    with_progress_heartbeats(actx, None, call).await
}

/// [`with_heartbeats`], the heartbeat details being the call's progress
/// (`{"done", "total"}`: pages read or chunks sent) when `progress` is given.
async fn with_progress_heartbeats<T>(
    actx: &ActivityContext,
    progress: Option<&Mutex<Value>>,
    call: impl Future<Output = T>,
) -> Result<T, Failure> {
    let mut call = std::pin::pin!(call);
    let mut tick = tokio::time::interval(HEARTBEAT_EVERY);
    tick.tick().await;
    loop {
        tokio::select! {
            out = &mut call => return Ok(out),
            _ = actx.cancelled() => return Err(Failure::Cancelled),
            _ = tick.tick() => {
                let details = progress
                    .map(|p| p.lock().unwrap_or_else(|e| e.into_inner()).clone())
                    .unwrap_or(Value::Null);
                let _ = actx.record_heartbeat(details).await;
            }
        }
    }
}

/// Sleeps `wait`, heartbeating; stops early when cancelled.
async fn heartbeat_sleep(actx: &ActivityContext, wait: Duration) -> Result<(), Failure> {
    with_heartbeats(actx, tokio::time::sleep(wait)).await
}

/// The activities, registered on a worker with
/// `WorkerOptions::register_activities`.
pub struct ThriveActivities {
    shared: Arc<Shared>,
}

impl ThriveActivities {
    /// Activities over `shared`.
    pub fn new(shared: Shared) -> Self {
        Self {
            shared: Arc::new(shared),
        }
    }
}

fn cancelled_or(f: Failure) -> ActivityError {
    f.into_activity_error()
}

/// The activity registrations (`#[activities]` adds an undocumented
/// constant per activity, hence the module-wide allow).
#[allow(missing_docs)]
mod registered {
    use super::*;

    #[activities]
    impl ThriveActivities {
        /// Runs any tool by id (see the crate docs for the error mapping).
        #[activity(name = "run_tool")]
        pub async fn run_tool(
            self: Arc<Self>,
            ctx: ActivityContext,
            call: ToolCall,
        ) -> Result<Value, ActivityError> {
            let tool = call.tool.clone();
            tracing::info!(%tool, attempt = ctx.info().attempt, "run_tool");
            self.shared.run_tool(&ctx, call).await.map_err(cancelled_or)
        }

        /// Plans a member sync (reads only).
        #[activity(name = "sync_plan")]
        pub async fn sync_plan(
            self: Arc<Self>,
            ctx: ActivityContext,
            req: PlanRequest,
        ) -> Result<PlanOut, ActivityError> {
            self.shared.plan(&ctx, req).await.map_err(cancelled_or)
        }

        /// Runs one step of a member sync plan.
        #[activity(name = "sync_step")]
        pub async fn sync_step(
            self: Arc<Self>,
            ctx: ActivityContext,
            req: StepRequest,
        ) -> Result<StepOutcome, ActivityError> {
            self.shared.step(&ctx, req).await.map_err(cancelled_or)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(f: Failure) -> FailureParts {
        f.parts().expect("not cancelled")
    }

    #[test]
    fn a_4xx_is_non_retryable_and_carries_the_tools_error() {
        let e = Error::from_response(404, &json!({"status": 404, "message": "User not found"}));
        let Failure::Terminal(e) = classify_tool(e, false) else {
            panic!("a 404 is terminal")
        };
        let ActivityError::Application(failure) =
            Failure::Terminal(e.clone()).into_activity_error()
        else {
            panic!("an application failure")
        };
        assert!(failure.is_non_retryable());
        assert_eq!(failure.type_name(), Some("not_found"));
        let f = app(Failure::Terminal(e));
        assert!(f.non_retryable);
        assert_eq!(f.type_name, "not_found");
        assert_eq!(f.next_retry_delay, None);
        let details = f.details;
        assert_eq!(details["code"], "not_found");
        assert_eq!(details["status"], 404);
        assert_eq!(details["retryable"], false);
        assert_eq!(details["message"], "User not found");
    }

    #[test]
    fn a_429_is_retryable_after_the_gates_wait() {
        let e = Error::from_response(429, &json!({}));
        assert!(matches!(
            classify_tool(e.clone(), false),
            Failure::RateLimited(_)
        ));
        assert!(matches!(classify_sync(e), Failure::RateLimited(_)));
        let f = app(Failure::RateLimited(Duration::from_secs(2)));
        assert!(!f.non_retryable);
        assert_eq!(f.type_name, "rate_limited");
        assert_eq!(f.next_retry_delay, Some(Duration::from_secs(2)));
        assert!(Failure::Cancelled.parts().is_none());
        let details = f.details;
        assert_eq!(
            (details["status"].clone(), details["retryable"].clone()),
            (json!(429), json!(true))
        );
    }

    #[test]
    fn a_5xx_is_retryable_for_the_sync_and_keyed_creates_only() {
        // A 5xx answer to a write that may have been applied: the runtime
        // says it is not safe to send as is.
        let upstream = Error::from_response(503, &json!({})).with_retry(Delivery::Answered, false);
        assert!(matches!(
            classify_sync(upstream.clone()),
            Failure::Unavailable(_)
        ));
        assert!(matches!(
            classify_tool(upstream.clone(), true),
            Failure::Unavailable(_)
        ));
        assert!(matches!(
            classify_tool(upstream, false),
            Failure::Terminal(_)
        ));
        let lost =
            Error::new(ErrorCode::Timeout, "no answer").with_retry(Delivery::SentNoAnswer, false);
        let Failure::Terminal(e) = classify_tool(lost.clone(), false) else {
            panic!("an unkeyed write without an answer is left to the workflow")
        };
        assert_eq!(e.to_json()["error"]["delivery"], "sent_no_answer");
        assert!(matches!(classify_tool(lost, true), Failure::Unavailable(_)));
        // A read (retryable by the runtime's rule) is retried.
        let read = Error::from_response(502, &json!({})).with_retry(Delivery::Answered, true);
        assert!(matches!(
            classify_tool(read, false),
            Failure::Unavailable(_)
        ));
    }

    #[test]
    fn the_workers_connection_fills_the_input_and_secrets_in_inputs_are_refused() {
        let mut conn = Map::new();
        conn.insert("tenantId".into(), json!("t1"));
        conn.insert("apiKey".into(), json!("k"));
        let out = merge_connection(json!({"ref": "EMP-1"}), &conn).expect("merged");
        assert_eq!(
            out,
            json!({"ref": "EMP-1", "tenantId": "t1", "apiKey": "k"})
        );
        assert_eq!(
            merge_connection(Value::Null, &conn).expect("merged"),
            json!({"tenantId": "t1", "apiKey": "k"})
        );
        let refused =
            merge_connection(json!({"ref": "x", "apiKey": "secret"}), &conn).expect_err("refused");
        assert_eq!(refused.code(), ErrorCode::InvalidInput);
        assert!(!refused.to_string().contains("secret\""), "{refused}");
        assert!(merge_connection(json!([1]), &conn).is_err());
        let same = merge_connection(json!({"tenantId": "t1"}), &conn).expect("the worker's tenant");
        assert_eq!(same["tenantId"], "t1");
        let other = merge_connection(json!({"tenantId": "t2"}), &conn).expect_err("another tenant");
        assert!(
            other
                .message()
                .starts_with("input.tenantId: this worker serves"),
            "{other}"
        );
    }

    #[test]
    fn a_plan_out_holds_each_list_once() {
        let plan = SyncPlan {
            audience_id: "a1".into(),
            current: 3,
            target: 2,
            unchanged: 1,
            duplicates: 0,
            to_add: vec!["u4".into()],
            to_remove: vec!["u1".into(), "u2".into()],
            removals: vec![],
        };
        let out = serde_json::to_value(PlanOut::of(&plan)).expect("json");
        assert_eq!(out["toAdd"], 1);
        assert_eq!(out["toRemove"], 2);
        assert_eq!(out["requests"]["total"], 4);
        assert_eq!(
            out["steps"],
            json!([{"kind": "add", "index": 0, "users": ["u4"]}, {"kind": "remove", "index": 1, "users": ["u1", "u2"]}])
        );
    }
}
