//! `thrive_sync_audience_members`: make an audience's members equal a list of
//! any length (list, then add in chunks of 100, then remove one by one).

use super::{MemberSync, READ_PAGE, SyncPlan, SyncReport};
use crate::Context;
use crate::api::{ApiRequest, segment};
use crate::block::Block;
use crate::composite::Composite;
use crate::error::{Result, Violation};
use crate::params::{Connection, JsonList};
use crate::register_composite;
use crate::tool::{Batching, Hints};
use schemars::JsonSchema;
use serde::Deserialize;

/// Make an audience's members equal a list of any length.
pub struct SyncAudienceMembers;

/// Inputs of [`SyncAudienceMembers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncAudienceMembersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    #[schemars(with = "crate::params::Required")]
    pub audience_id: String,
    /// JSON array of user emails/refs/ids the audience must hold afterwards,
    /// of any length. Example: `["jane@example.com", "EMP-00042"]`.
    /// Members not in the list are removed; a user matches a member by id,
    /// reference, or email (ignoring case).
    pub users: JsonList<String, 1, 0>,
    /// Only read the members and return the plan (who would be added and
    /// removed, how many calls it takes); send no write. Default false.
    #[serde(default)]
    pub dry_run: Option<bool>,
}

impl Block for SyncAudienceMembers {
    type Params = SyncAudienceMembersParams;
    type Output = SyncReport;

    const ID: &'static str = "thrive_sync_audience_members";
    const TITLE: &'static str = "Sync audience members";
    const DESCRIPTION: &'static str = "Make a Thrive audience's members equal a list of any length: reads every member, adds the missing ones in chunks of 100, removes the others, and reports every failure.";
    const ENDPOINT: &'static str = "GET, POST /rest/v1/audiences/{audienceId}/members; DELETE /rest/v1/audiences/{audienceId}/members/{userRef}";
    const HINTS: Hints = Hints::DESTROY;
    const BATCHING: Batching = Batching::Chunked {
        pointer: "",
        size: super::ADD_CHUNK,
    };

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        p.users.check("users", out);
    }
}

#[async_trait::async_trait]
impl Composite for SyncAudienceMembers {
    fn first_request(p: &Self::Params) -> Result<ApiRequest> {
        let audience = segment("audienceId", &p.audience_id)?;
        Ok(ApiRequest::get(&["audiences", &audience, "members"])
            .query("page", Some(1))
            .query("perPage", Some(READ_PAGE)))
    }

    async fn run(
        ctx: &Context,
        connection: &Connection,
        p: SyncAudienceMembersParams,
    ) -> Result<SyncReport> {
        let sync = MemberSync::new(ctx, connection.clone());
        if p.dry_run == Some(true) {
            let plan: SyncPlan = sync.plan(&p.audience_id, p.users.items("users")?).await?;
            return Ok(SyncReport::new(&plan, &[], true));
        }
        sync.run_all(&p.audience_id, p.users.items("users")?).await
    }
}

register_composite!(SyncAudienceMembers);
