//! Running a [`SyncPlan`]: reading the members and running one step, each
//! through the list, add and remove tools, called by type.

use super::plan::{READ_PAGE, SyncPlan, SyncStep};
use crate::Context;
use crate::api::Progress;
use crate::call::{self, pages};
use crate::error::{Error, ErrorCode, Result};
use crate::params::{Connection, JsonList, Required};
use crate::thrive::common::BulkGroup;
use crate::thrive::members::{
    AddAudienceMembers, AddAudienceMembersParams, AudienceMember, ListAudienceMembers,
    ListAudienceMembersParams, RemoveAudienceMember, RemoveAudienceMemberParams,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which kind of write failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum SyncOperation {
    /// Adding a user to the audience.
    Add,
    /// Removing a member from the audience.
    Remove,
}

/// One user the sync could not add or remove, with Thrive's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncFailure {
    /// Add or remove.
    pub operation: SyncOperation,
    /// The user as the plan named it.
    pub user: String,
    /// Thrive's reason (e.g. `User does not exist.`).
    pub reason: String,
}

/// What one step did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepOutcome {
    /// The step's index.
    pub index: usize,
    /// Users Thrive reported as added.
    pub added: usize,
    /// Members removed.
    pub removed: usize,
    /// Members that were no longer in the audience when their remove call
    /// came (404): someone else removed them, or this step ran before, was
    /// interrupted and is being retried. They count as done.
    pub already_absent: usize,
    /// Users that could not be added or removed.
    pub failures: Vec<SyncFailure>,
}

/// Runs the steps of an audience-member sync for one connection, calling
/// the list, add and remove tools by type. Each method is one resumable
/// unit: a durable engine calls [`MemberSync::plan`] once and
/// [`MemberSync::run_step`] once per step, journaling each result;
/// [`MemberSync::run_all`] runs them in a row.
pub struct MemberSync<'a> {
    ctx: &'a Context,
    connection: Connection,
}

impl<'a> MemberSync<'a> {
    /// A sync as `connection`.
    pub fn new(ctx: &'a Context, connection: Connection) -> Self {
        Self { ctx, connection }
    }

    /// Every member of the audience, all pages (1,000 a page).
    pub async fn read_members(&self, audience_id: &str) -> Result<Vec<AudienceMember>> {
        let mut params = ListAudienceMembersParams {
            audience_id: Required::new(audience_id),
            paging: Default::default(),
        };
        params.paging.per_page = Some(READ_PAGE as u32);
        let mut pager = pages::<ListAudienceMembers>(self.ctx, &self.connection, &params)?;
        let mut members = Vec::new();
        while let Some(page) = pager.next_page_as::<AudienceMember>().await {
            members.extend(page?);
        }
        Ok(members)
    }

    /// Reads the members and computes the plan. Sends no write.
    pub async fn plan(&self, audience_id: &str, target: &[String]) -> Result<SyncPlan> {
        let current = self.read_members(audience_id).await?;
        Ok(SyncPlan::compute(audience_id, &current, target))
    }

    /// Runs one step. Safe to run again after an interruption: adding a
    /// member twice is a success at Thrive, and removing one that is gone
    /// answers 404, counted as `alreadyAbsent`.
    ///
    /// Per-user problems (Thrive's partial-success failures, a remove
    /// refused for one user) are returned in the outcome. Problems that
    /// concern the whole call (auth, the audience, rate limits after the
    /// retries, transport) stop the step with the error, so the caller can
    /// retry it. A caller that must not send the step's earlier calls again
    /// after such a stop runs it call by call with [`MemberSync::run_call`].
    pub async fn run_step(&self, audience_id: &str, step: &SyncStep) -> Result<StepOutcome> {
        let mut outcome = StepOutcome {
            index: step.index(),
            ..StepOutcome::default()
        };
        for call in 0..step.calls() {
            self.run_call(audience_id, step, call, &mut outcome).await?;
        }
        Ok(outcome)
    }

    /// Runs call `call` (0-based, below [`SyncStep::calls`]) of `step` and
    /// adds what it did to `outcome`: the one add call of an add step, or
    /// the remove of the step's `call`-th user. The unit a durable engine
    /// records progress by, so a failure retries only the call that failed.
    ///
    /// On an error that concerns the whole call (see [`MemberSync::run_step`])
    /// `outcome` is left as it was, and the same call can be run again.
    pub async fn run_call(
        &self,
        audience_id: &str,
        step: &SyncStep,
        call: usize,
        outcome: &mut StepOutcome,
    ) -> Result<()> {
        if call >= step.calls() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "call: step {} makes {} call(s), there is no call {call}",
                    step.index(),
                    step.calls()
                ),
            ));
        }
        match step {
            SyncStep::Add { users, .. } => {
                let params = AddAudienceMembersParams {
                    audience_id: Required::new(audience_id),
                    users: JsonList::from_items(users.clone()),
                };
                let out =
                    call::call::<AddAudienceMembers>(self.ctx, &self.connection, &params).await?;
                outcome.added += out.result.success.as_ref().map_or(0, count_of);
                for f in out.result.failure.into_iter().flat_map(|f| f.entities) {
                    outcome.failures.push(SyncFailure {
                        operation: SyncOperation::Add,
                        user: f.reference.unwrap_or_default(),
                        reason: f.reason.unwrap_or_default(),
                    });
                }
            }
            SyncStep::Remove { users, .. } => {
                let user = &users[call];
                let params = RemoveAudienceMemberParams {
                    audience_id: Required::new(audience_id),
                    user_ref: Required::new(user.as_str()),
                };
                match call::call::<RemoveAudienceMember>(self.ctx, &self.connection, &params).await
                {
                    Ok(_) => outcome.removed += 1,
                    Err(e) if e.code() == ErrorCode::NotFound => outcome.already_absent += 1,
                    Err(e) if is_per_user(&e) => outcome.failures.push(SyncFailure {
                        operation: SyncOperation::Remove,
                        user: user.clone(),
                        reason: e.message().to_owned(),
                    }),
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    /// Plans and runs every step in a row, reporting progress (steps done
    /// of all steps) to the context's progress callback.
    pub async fn run_all(&self, audience_id: &str, target: &[String]) -> Result<SyncReport> {
        let plan = self.plan(audience_id, target).await?;
        let steps = plan.steps();
        let total = steps.len() as u64;
        let mut outcomes = Vec::with_capacity(steps.len());
        for (done, step) in steps.iter().enumerate() {
            self.ctx.report(Progress {
                done: done as u64,
                total: Some(total),
            });
            outcomes.push(self.run_step(audience_id, step).await?);
        }
        self.ctx.report(Progress {
            done: total,
            total: Some(total),
        });
        Ok(SyncReport::new(&plan, &outcomes, false))
    }
}

/// A 4xx that concerns one user, not the call: a bad request, a conflict or
/// an unprocessable user. Auth, permission and rate-limit errors are not.
fn is_per_user(e: &Error) -> bool {
    matches!(e.status(), Some(400 | 409 | 422))
}

/// How many a bulk group counts: Thrive's `count`, else its entities.
fn count_of(group: &BulkGroup) -> usize {
    group
        .count
        .as_ref()
        .and_then(|n| n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)))
        .map_or(group.entities.len(), |n| n as usize)
}

/// The sync's result: what the plan was and what the steps did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// True when only the plan was made and nothing was written.
    pub dry_run: bool,
    /// The audience id or reference.
    pub audience_id: String,
    /// Members before the sync.
    pub current: usize,
    /// Distinct users in the target list.
    pub target: usize,
    /// Target users that were already members.
    pub unchanged: usize,
    /// Target entries naming a user already named earlier (skipped).
    pub duplicates: usize,
    /// Users to add (planned).
    pub to_add: usize,
    /// Members to remove (planned).
    pub to_remove: usize,
    /// Steps in the plan (chunks of 100 adds, groups of 100 removes).
    pub steps: usize,
    /// HTTP calls the plan costs without retries, reads included.
    pub requests: super::plan::RequestCount,
    /// Users Thrive reported as added.
    pub added: usize,
    /// Members removed.
    pub removed: usize,
    /// Members already gone when their remove call came.
    pub already_absent: usize,
    /// Users that could not be added or removed (`failures.len()`).
    pub failed: usize,
    /// Every user that could not be added or removed, with the reason.
    pub failures: Vec<SyncFailure>,
    /// True when some user failed. Branch on this.
    pub partial: bool,
    /// With `dryRun`: the users that would be added, in target order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_add: Option<Vec<String>>,
    /// With `dryRun`: the members that would be removed (by id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_remove: Option<Vec<String>>,
    /// With `dryRun`: who would be removed, with the reference and email
    /// Thrive listed for each (same order as `planRemove`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_remove_users: Option<Vec<super::PlannedRemoval>>,
}

impl SyncReport {
    /// Folds the step outcomes into a report. With `dry_run`, `outcomes` is
    /// empty and the plan's lists are included.
    pub fn new(plan: &SyncPlan, outcomes: &[StepOutcome], dry_run: bool) -> Self {
        let failures: Vec<SyncFailure> = outcomes
            .iter()
            .flat_map(|o| o.failures.iter().cloned())
            .collect();
        Self {
            dry_run,
            audience_id: plan.audience_id.clone(),
            current: plan.current,
            target: plan.target,
            unchanged: plan.unchanged,
            duplicates: plan.duplicates,
            to_add: plan.to_add.len(),
            to_remove: plan.to_remove.len(),
            steps: plan.step_count(),
            requests: plan.requests(),
            added: outcomes.iter().map(|o| o.added).sum(),
            removed: outcomes.iter().map(|o| o.removed).sum(),
            already_absent: outcomes.iter().map(|o| o.already_absent).sum(),
            failed: failures.len(),
            partial: !failures.is_empty(),
            failures,
            plan_add: dry_run.then(|| plan.to_add.clone()),
            plan_remove: dry_run.then(|| plan.to_remove.clone()),
            plan_remove_users: dry_run.then(|| plan.removals.clone()),
        }
    }
}
