//! `thrive_add_audience_managers`: `POST /rest/v1/audiences/{audienceId}/managers`.

use super::{ManagerInput, managers_body};
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

/// Inputs of [`AddAudienceManagers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddAudienceManagersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The people to make managers of this audience, at least one. For each,
    /// give their email or reference (e.g. jane@example.com) and tick what
    /// they may do; anything left unticked is not granted. Administrator
    /// permissions apply to structures only. Long lists are sent 100 at a time.
    pub managers: JsonList<ManagerInput, 1, 0>,
}

/// Add managers to a Thrive audience with their permissions.
pub struct AddAudienceManagers;

impl Block for AddAudienceManagers {
    type Params = AddAudienceManagersParams;
    type Output = BulkOutput;

    const ID: &'static str = "thrive_add_audience_managers";
    const TITLE: &'static str = "Add audience managers";
    const DESCRIPTION: &'static str = "Add managers to a Thrive audience with their permissions.";
    const ENDPOINT: &'static str = "POST /rest/v1/audiences/{audienceId}/managers";
    const HINTS: Hints = Hints::CREATE;
    const BATCHING: Batching = crate::thrive::chunked("");
}

impl Tool for AddAudienceManagers {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let (managers, request) = together(
            p.managers.items("managers"),
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id]),
        )?;
        Ok(request.body(managers_body(managers)?))
    }
}

register_tool!(AddAudienceManagers);
