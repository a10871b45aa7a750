//! `thrive_add_audience_managers`: `POST /rest/v1/audiences/{audienceId}/managers`.

use super::{ManagerInput, check_references, managers_body};
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::JsonList;
use crate::thrive::common::BulkOutput;
use crate::tool::{Batching, Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Add managers to a Thrive audience with their permissions.
pub struct AddAudienceManagers;

/// Inputs of [`AddAudienceManagers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddAudienceManagersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: String,
    /// JSON array of manager objects (1-100). Each: {"reference":"jane@example.com","permissions":{"audienceManager":{"manageContent":true,"assignments":true},"peopleManager":{"canViewLearnPage":true,"insights":false,"manage":false},"administrator":{"canAddAudienceManagers":false}}}
    ///
    /// `reference` (email or ref) is required. `permissions` and each of its
    /// booleans are optional (Thrive defaults them to false) and are sent only
    /// as given. `administrator` is for structures only. Output-only keys
    /// such as `manageMembers` and `canManageAudiences` are refused. Thrive
    /// takes 1-100 per call; longer lists are sent in chunks of 100 and the
    /// results merged.
    pub managers: JsonList<ManagerInput, 1, 0>,
}

impl Tool for AddAudienceManagers {
    type Params = AddAudienceManagersParams;
    type Output = BulkOutput;

    const ID: &'static str = "thrive_add_audience_managers";
    const TITLE: &'static str = "Add audience managers";
    const DESCRIPTION: &'static str = "Add managers to a Thrive audience with their permissions.";
    const ENDPOINT: &'static str = "POST /rest/v1/audiences/{audienceId}/managers";
    const HINTS: Hints = Hints::CREATE;
    const BATCHING: Batching = Batching::Chunked {
        pointer: "",
        size: 100,
    };

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        p.managers.check("managers", out);
        check_references("managers", p.managers.items(), out);
    }

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])?
            .body(managers_body(p.managers.items())?))
    }
}

crate::register_tool!(AddAudienceManagers);
