//! `thrive_update_audience`: `PATCH /rest/v1/audiences/{audienceId}`.

use super::{UpdateAudienceOutput, UpdatedAudience};
use crate::api::{ApiRequest, ApiResponse};
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`UpdateAudience`]. Only the fields given are sent.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAudienceParams {
    /// The audience id or audience reference (sent as one path segment).
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    #[serde(skip_serializing_if = "crate::wire::sent_apart")]
    pub audience_id: Required,
    /// The name of the audience (max 100 characters).
    #[schemars(length(max = 100))]
    pub name: Option<String>,
    /// The external reference for the audience (max 100 characters).
    #[schemars(length(max = 100))]
    pub reference: Option<String>,
    /// The id of the parent audience/structure to move the audience to.
    /// Members that cannot be removed from the old parent are reported in
    /// `audience.memberOperations.failure` and `partial` is true; Thrive
    /// answers 422 when it refuses the move.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub parent_id: Option<String>,
}

impl crate::wire::FromResponse for UpdateAudienceOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        let status_partial = response.is_partial();
        let audience = crate::thrive::common::object::<UpdatedAudience>(response)?;
        let failed = audience
            .as_ref()
            .and_then(|a| a.member_operations.as_ref())
            .and_then(|m| m.failure.as_ref())
            .is_some_and(|f| !f.entities.is_empty());
        Ok(UpdateAudienceOutput {
            audience,
            partial: status_partial || failed,
        })
    }
}

/// Update an audience in Thrive, optionally moving it to a new parent.
pub struct UpdateAudience;

impl Block for UpdateAudience {
    type Params = UpdateAudienceParams;
    type Output = UpdateAudienceOutput;

    const ID: &'static str = "thrive_update_audience";
    const TITLE: &'static str = "Update audience";
    const DESCRIPTION: &'static str =
        "Update an audience in Thrive, optionally moving it to a new parent.";
    const ENDPOINT: &'static str = "PATCH /rest/v1/audiences/{audienceId}";
    const HINTS: Hints = Hints::UPDATE;
}

impl Tool for UpdateAudience {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // The newer docs print the path with a trailing slash; Sim sends it
        // without, and so does this tool. An update with no field to change
        // is not documented; it is sent as `{}` rather than refused.
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])?.body_fields(p)
    }
}

register_tool!(UpdateAudience);
