//! `thrive_list_audience_members`: `GET /rest/v1/audiences/{audienceId}/members`.

use super::AudienceMember;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::thrive::common::Page;
use crate::tool::{Paging, declare_tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`ListAudienceMembers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAudienceMembersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000OneBased,
}

declare_tool! {
    ListAudienceMembers {
        id: "thrive_list_audience_members",
        title: "List audience members",
        description: "List the members of a Thrive audience with pagination.",
        endpoint: "GET /rest/v1/audiences/{audienceId}/members",
        hints: READ,
        params: ListAudienceMembersParams,
        output: Page<AudienceMember>,
    }
    impl {
        const PAGING: Paging = crate::thrive::paging::PerPage1000OneBased::PAGING;

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])?.paged(&p.paging))
        }
    }
}
