//! `thrive_add_audience_members`: `POST /rest/v1/audiences/{audienceId}/members`.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::JsonList;
use crate::params::Required;
use crate::params::together;
use crate::register_tool;
use crate::thrive::common::BulkOutput;
use crate::tool::{Batching, Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`AddAudienceMembers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddAudienceMembersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The people to add, by email, reference or Thrive id, e.g. jane@example.com.
    /// Thrive takes 1-100 per call; longer lists are sent in chunks of 100
    /// and the results merged.
    pub users: JsonList<String, 1, 0>,
}

/// Add members to a Thrive audience by email, ref, or id.
pub struct AddAudienceMembers;

impl Block for AddAudienceMembers {
    type Params = AddAudienceMembersParams;
    type Output = BulkOutput;

    const ID: &'static str = "thrive_add_audience_members";
    const TITLE: &'static str = "Add audience members";
    const DESCRIPTION: &'static str = "Add members to a Thrive audience by email, ref, or id.";
    const ENDPOINT: &'static str = "POST /rest/v1/audiences/{audienceId}/members";
    const HINTS: Hints = Hints::CREATE;
    const BATCHING: Batching = crate::thrive::chunked("");
}

impl Tool for AddAudienceMembers {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let (users, request) = together(
            p.users.trimmed("users"),
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id]),
        )?;
        Ok(request.body(users))
    }
}

register_tool!(AddAudienceMembers);
