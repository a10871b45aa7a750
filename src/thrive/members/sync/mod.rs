//! Bulk sync of an audience's members as resumable steps.
//!
//! Thrive adds at most 100 members per call, removes one member per call,
//! and refuses a replace of more than 100. Making an audience's members
//! equal a list of any length therefore takes several calls:
//!
//! 1. **plan**: read every page of the current members (1,000 a page) and
//!    compare them with the target list ([`SyncPlan::compute`], pure);
//! 2. **step k of n**: add the missing users, 100 per call, then remove the
//!    extra members, one call each, grouped 100 to a step
//!    ([`SyncPlan::steps`]);
//! 3. **report**: counts and every per-user failure with Thrive's reason
//!    ([`SyncReport`]).
//!
//! [`MemberSync`] runs each unit through the catalogue's own list, add and
//! remove tools, so auth, retries, the 429 gate and host checks are the
//! ordinary ones. The `thrive_sync_audience_members` tool runs them in a row
//! in one process; a durable engine (the Restate companion under
//! `tools/restate`) runs the same functions with each step journaled, so a
//! crash resumes at the first step whose result was not recorded.
//!
//! A cost estimate: `ceil(current / 1000)` reads + `ceil(add / 100)` adds +
//! one call per removed member ([`SyncPlan::requests`]).

mod plan;
mod run;

pub use plan::{
    ADD_CHUNK, PlannedRemoval, READ_PAGE, REMOVE_CHUNK, RequestCount, SyncPlan, SyncStep,
};
pub use run::{MemberSync, StepOutcome, SyncFailure, SyncOperation, SyncReport};

mod tool;

pub use tool::*;
