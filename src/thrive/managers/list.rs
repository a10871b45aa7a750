//! `thrive_list_audience_managers`: `GET /rest/v1/audiences/{audienceId}/managers`.

use super::ManagersOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`ListAudienceManagers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAudienceManagersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
}

/// List the managers of a Thrive audience.
pub struct ListAudienceManagers;

impl Block for ListAudienceManagers {
    type Params = ListAudienceManagersParams;
    type Output = ManagersOutput;

    const ID: &'static str = "thrive_list_audience_managers";
    const TITLE: &'static str = "List audience managers";
    const DESCRIPTION: &'static str = "List the managers of a Thrive audience.";
    const ENDPOINT: &'static str = "GET /rest/v1/audiences/{audienceId}/managers";
    const HINTS: Hints = Hints::READ;
}

impl Tool for ListAudienceManagers {
    // Not paginated: Thrive returns every manager in one bare array.
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])
    }
}

register_tool!(ListAudienceManagers);
