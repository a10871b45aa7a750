//! `thrive_replace_audience_members`: `PATCH /rest/v1/audiences/{audienceId}/members`.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::JsonList;
use crate::params::Required;
use crate::params::together;
use crate::register_tool;
use crate::thrive::common::BulkOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`ReplaceAudienceMembers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceAudienceMembersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The audience's complete list of members, 1 to 100, by email, reference or Thrive id, e.g. jane@example.com; anyone not in it is removed.
    /// Members not in the list are removed. Unlike add, a replace is never
    /// split into several calls (each call replaces the whole list), so more
    /// than 100 items are refused before anything is sent.
    #[schemars(transform = crate::params::replace_limit)]
    pub users: JsonList<String, 1, 0>,
}

/// Replace a Thrive audience's entire members list with the given users (does not support an empty array).
pub struct ReplaceAudienceMembers;

impl Block for ReplaceAudienceMembers {
    type Params = ReplaceAudienceMembersParams;
    type Output = BulkOutput;

    const ID: &'static str = "thrive_replace_audience_members";
    const TITLE: &'static str = "Replace audience members";
    const DESCRIPTION: &'static str = "Replace a Thrive audience's entire members list with the given users (does not support an empty array).";
    const ENDPOINT: &'static str = "PATCH /rest/v1/audiences/{audienceId}/members";
    const HINTS: Hints = Hints::DESTROY;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        p.users
            .check_replace_limit("users", crate::params::REPLACE_LIMIT, out);
    }
}

impl Tool for ReplaceAudienceMembers {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let (users, request) = together(
            p.users.trimmed("users"),
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id]),
        )?;
        Ok(request.body(users))
    }
}

register_tool!(ReplaceAudienceMembers);
