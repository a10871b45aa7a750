//! `thrive_remove_audience_member`: `DELETE /rest/v1/audiences/{audienceId}/members/{userRef}`.

use crate::api::{ApiRequest, segment};
use crate::error::{Result, Violation};
use crate::thrive::common::SuccessOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Remove a single member from a Thrive audience.
pub struct RemoveAudienceMember;

/// Inputs of [`RemoveAudienceMember`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemoveAudienceMemberParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: String,
    /// The user email, ref, or id to remove. Sent percent-encoded as one
    /// path segment.
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    pub user_ref: String,
}

impl Tool for RemoveAudienceMember {
    type Params = RemoveAudienceMemberParams;
    // The response body is not documented: an empty 2xx body (or one without
    // `success`) counts as success, as Sim does.
    type Output = SuccessOutput;

    const ID: &'static str = "thrive_remove_audience_member";
    const TITLE: &'static str = "Remove audience member";
    const DESCRIPTION: &'static str = "Remove a single member from a Thrive audience.";
    const ENDPOINT: &'static str = "DELETE /rest/v1/audiences/{audienceId}/members/{userRef}";
    const HINTS: Hints = Hints::DESTROY;

    // Both path ids are checked here too, so a bad value in each is reported
    // at once (`request` stops at the first).
    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        for (field, value) in [("audienceId", &p.audience_id), ("userRef", &p.user_ref)] {
            if let Err(e) = segment(field, value) {
                out.extend(e.violations());
            }
        }
    }

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id, &p.user_ref])
    }
}

crate::register_tool!(RemoveAudienceMember);
