//! `thrive_add_audience_members`: `POST /rest/v1/audiences/{audienceId}/members`.

use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::JsonList;
use crate::params::Required;
use crate::thrive::common::BulkOutput;
use crate::tool::{Batching, declare_tool};
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

declare_tool! {
    AddAudienceMembers {
        id: "thrive_add_audience_members",
        title: "Add audience members",
        description: "Add members to a Thrive audience by email, ref, or id.",
        endpoint: "POST /rest/v1/audiences/{audienceId}/members",
        hints: CREATE,
        params: AddAudienceMembersParams,
        output: BulkOutput,
    }
    impl {
        const BATCHING: Batching = crate::thrive::chunked("");

        fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
            p.users.check_texts("users", out);
        }

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            let users = p.users.trimmed();
            Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])?.body(users))
        }
    }
}
