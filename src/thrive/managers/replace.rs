//! `thrive_replace_audience_managers`: `PATCH /rest/v1/audiences/{audienceId}/managers`.

use super::{ManagerInput, managers_body};
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

/// Inputs of [`ReplaceAudienceManagers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceAudienceManagersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The audience's complete list of managers, 1 to 100: anyone not in it
    /// stops being a manager. For each, give their email or reference (e.g.
    /// jane@example.com) and tick what they may do; anything left unticked is
    /// not granted. Administrator permissions apply to structures only.
    #[schemars(transform = crate::params::replace_limit)]
    pub managers: JsonList<ManagerInput, 1, 0>,
}

/// Replace a Thrive audience's entire manager list with the given managers (does not support an empty array).
pub struct ReplaceAudienceManagers;

impl Block for ReplaceAudienceManagers {
    type Params = ReplaceAudienceManagersParams;
    type Output = BulkOutput;

    const ID: &'static str = "thrive_replace_audience_managers";
    const TITLE: &'static str = "Replace audience managers";
    const DESCRIPTION: &'static str = "Replace a Thrive audience's entire manager list with the given managers (does not support an empty array).";
    const ENDPOINT: &'static str = "PATCH /rest/v1/audiences/{audienceId}/managers";
    const HINTS: Hints = Hints::DESTROY;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        p.managers
            .check_replace_limit("managers", crate::params::REPLACE_LIMIT, out);
    }
}

impl Tool for ReplaceAudienceManagers {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let (managers, request) = together(
            p.managers.items("managers"),
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id]),
        )?;
        Ok(request.body(managers_body(managers)?))
    }
}

register_tool!(ReplaceAudienceManagers);
