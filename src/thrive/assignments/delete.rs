//! `thrive_delete_assignment`: `DELETE /rest/v1/assignments/{assignmentId}`,
//! with a JSON body.

use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::thrive::common::SuccessOutput;
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

/// Inputs of [`DeleteAssignment`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAssignmentParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: Required,
    /// The audience ID. Sent in the JSON body of the DELETE as
    /// `{"audienceId": ...}`.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
}

declare_tool! {
    DeleteAssignment {
        id: "thrive_delete_assignment",
        title: "Delete assignment",
        description: "Delete a compliance assignment in Thrive.",
        endpoint: "DELETE /rest/v1/assignments/{assignmentId}",
        hints: DESTROY,
        params: DeleteAssignmentParams,
        output: SuccessOutput,
    }
    impl {
        // The response body is not documented: `success` is read when present,
        // and any 2xx (including an empty 204) counts as success.

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id])?
                .body(json!({ "audienceId": p.audience_id })))
        }
    }
}
